// SPDX-License-Identifier: Apache-2.0
//
// Rendering of front-end diagnostics and the spelling suggestions that
// unknown ops, keywords and names carry. The source line is shown as written
// except that control bytes and invalid UTF-8 print as '?', one byte for one
// byte: the caret stays under the right column and a hostile file cannot send
// escape sequences to the user's terminal. Very long lines are cut around
// the caret.

#include "compiler/frontend/Diagnostics.h"

#include "compiler/support/EditDistance.h"

#include <algorithm>
#include <climits>

namespace actc::frontend {

std::string formatLoc(SourceLoc loc) {
  return std::to_string(loc.line) + ":" + std::to_string(loc.col);
}

void DiagnosticSink::setSource(std::string path, std::string source) {
  filePath = std::move(path);
  text = std::move(source);
}

void DiagnosticSink::error(SourceLoc loc, std::string message) {
  diags.push_back({Severity::Error, loc, std::move(message)});
  ++errorCount;
}

void DiagnosticSink::note(SourceLoc loc, std::string message) {
  diags.push_back({Severity::Note, loc, std::move(message)});
}

std::string DiagnosticSink::firstError() const {
  for (const Diagnostic &d : diags)
    if (d.severity == Severity::Error)
      return d.message;
  return "";
}

namespace {

/// The text of line `line` (1-based) without its end-of-line bytes.
std::string_view lineText(std::string_view text, uint32_t line) {
  size_t begin = 0;
  for (uint32_t l = 1; l < line; ++l) {
    size_t nl = text.find('\n', begin);
    if (nl == std::string_view::npos)
      return {};
    begin = nl + 1;
  }
  size_t end = text.find('\n', begin);
  if (end == std::string_view::npos)
    end = text.size();
  if (end > begin && text[end - 1] == '\r')
    --end;
  return text.substr(begin, end - begin);
}

/// Replaces control bytes and bytes of invalid UTF-8 with '?'.
std::string sanitize(std::string_view s) {
  std::string out(s);
  size_t i = 0;
  while (i < out.size()) {
    auto c = static_cast<unsigned char>(out[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t') || c == 0x7f)
        out[i] = '?';
      ++i;
      continue;
    }
    size_t len = c >= 0xf0 && c <= 0xf4   ? 4
                 : c >= 0xe0 && c <= 0xef ? 3
                 : c >= 0xc2 && c <= 0xdf ? 2
                                          : 0;
    bool valid = len > 0 && i + len <= out.size();
    for (size_t k = 1; valid && k < len; ++k)
      valid = (static_cast<unsigned char>(out[i + k]) & 0xc0) == 0x80;
    if (!valid) {
      out[i] = '?';
      ++i;
    } else {
      i += len;
    }
  }
  return out;
}

constexpr size_t kShownWidth = 160;

} // namespace

std::string DiagnosticSink::render(const Diagnostic &diag) const {
  std::string out = filePath + ":" + std::to_string(diag.loc.line) + ":" +
                    std::to_string(diag.loc.col) + ": " +
                    (diag.severity == Severity::Error ? "error: " : "note: ") +
                    diag.message + "\n";
  if (diag.loc.line == 0)
    return out;
  std::string_view line = lineText(text, diag.loc.line);
  size_t col = diag.loc.col == 0 ? 0 : diag.loc.col - 1;
  // Cut long lines to a window around the caret, marking the cuts.
  std::string prefix, suffix;
  size_t begin = 0;
  if (line.size() > kShownWidth) {
    if (col > kShownWidth / 2) {
      begin = std::min(col - kShownWidth / 2, line.size());
      prefix = "...";
    }
    if (begin + kShownWidth < line.size())
      suffix = "...";
    line = line.substr(begin, kShownWidth);
  }
  out += prefix + sanitize(line) + suffix + "\n";
  out += std::string(prefix.size() + (col - begin), ' ') + "^\n";
  return out;
}

std::string DiagnosticSink::render() const {
  std::string out;
  for (const Diagnostic &d : diags)
    out += render(d);
  return out;
}

std::string quoteChar(unsigned char c) {
  static const char *hex = "0123456789abcdef";
  if (c >= 0x20 && c < 0x7f)
    return std::string("'") + char(c) + "'";
  return std::string("'\\x") + hex[c >> 4] + hex[c & 15] + "'";
}

//===----------------------------------------------------------------------===//
// Spelling suggestions
//===----------------------------------------------------------------------===//

namespace {

int charClass(char c) {
  if (c >= '0' && c <= '9')
    return 0;
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
    return 1;
  return 2;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

/// Substitution cost in half edits: a case slip costs 1, a digit for a digit
/// or a letter for a letter 2, anything else 3 (so "relux" is closer to
/// "relu" than to "relu6", and "relu7" as close to "relu6" as to "relu").
size_t substCost(char a, char b) {
  if (a == b)
    return 0;
  if (lower(a) == lower(b))
    return 1;
  return charClass(a) == charClass(b) ? 2 : 3;
}

} // namespace

std::string closestSpelling(std::string_view word,
                            const std::vector<std::string> &candidates) {
  // Long words are not compared: the table would be large and nobody
  // misspells a 64-character op name.
  if (word.empty() || word.size() > 64)
    return "";
  // A case-only difference ("ReLU") is always the answer.
  for (const std::string &c : candidates)
    if (c.size() == word.size() &&
        std::equal(c.begin(), c.end(), word.begin(),
                   [](char a, char b) { return lower(a) == lower(b); }) &&
        c != word)
      return c;
  // About a third of the word may be wrong (in half edits: 2/3 of its
  // length, at least one edit), and never all of it: 'b' is not a slip of 'x'.
  int limit = std::max<int>(2, int(2 * word.size() / 3));
  std::string best;
  int bestCost = INT_MAX;
  bool bestSameLength = false;
  for (const std::string &c : candidates) {
    if (c == word || c.size() > 64)
      continue;
    int cost = int(editDistance(word, c, size_t(limit), /*step=*/2, substCost));
    if (cost > limit || cost >= int(2 * std::min(word.size(), c.size())))
      continue;
    bool sameLength = c.size() == word.size();
    if (cost < bestCost ||
        (cost == bestCost && sameLength && !bestSameLength)) {
      best = c;
      bestCost = cost;
      bestSameLength = sameLength;
    }
  }
  return best;
}

} // namespace actc::frontend
