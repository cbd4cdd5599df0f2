// SPDX-License-Identifier: Apache-2.0
//
// The model-language lexer (see Lexer.h). Numbers keep a leading '-' when a
// digit follows, because the language has no arithmetic: `-0.2` is one
// literal. Every rejection names the byte it stopped at, printed safely.

#include "compiler/frontend/Lexer.h"

#include <charconv>
#include <cstdio>

namespace actc::frontend {

namespace {

bool isIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isIdentChar(char c) { return isIdentStart(c) || isDigit(c); }

/// At most `n` bytes of a spelling, for messages about huge tokens.
std::string clip(std::string_view s, size_t n = 40) {
  if (s.size() <= n)
    return std::string(s);
  return std::string(s.substr(0, n)) + "...";
}

/// "'é' (U+00E9)" for the valid UTF-8 sequence at s[i].
std::string describeCodePoint(std::string_view s, size_t i, size_t len) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  uint32_t cp =
      len == 2   ? ((b(0) & 0x1f) << 6) | (b(1) & 0x3f)
      : len == 3 ? ((b(0) & 0x0f) << 12) | ((b(1) & 0x3f) << 6) | (b(2) & 0x3f)
                 : ((b(0) & 0x07) << 18) | ((b(1) & 0x3f) << 12) |
                       ((b(2) & 0x3f) << 6) | (b(3) & 0x3f);
  char buf[16];
  std::snprintf(buf, sizeof(buf), "U+%04X", unsigned(cp));
  return "'" + std::string(s.substr(i, len)) + "' (" + buf + ")";
}

} // namespace

size_t utf8SequenceLength(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80)
    return 1;
  size_t len = c >= 0xf0 && c <= 0xf4   ? 4
               : c >= 0xe0 && c <= 0xef ? 3
               : c >= 0xc2 && c <= 0xdf ? 2
                                        : 0;
  if (len == 0 || i + len > s.size())
    return 0;
  for (size_t k = 1; k < len; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80)
      return 0;
  auto c1 = static_cast<unsigned char>(s[i + 1]);
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
  if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0) ||
      (c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 >= 0x90))
    return 0;
  return len;
}

std::string describeToken(const Token &tok) {
  switch (tok.kind) {
  case TokenKind::Newline:
    return "the end of the line";
  case TokenKind::Eof:
    return "the end of the file";
  case TokenKind::Error:
    return "an invalid token";
  case TokenKind::String:
    return "the string " + clip(tok.text);
  case TokenKind::Int:
    return "the integer " + clip(tok.text);
  case TokenKind::Float:
    return "the number " + clip(tok.text);
  case TokenKind::Ident:
    return "'" + clip(tok.text) + "'";
  default:
    return "'" + std::string(tok.text) + "'";
  }
}

const char *tokenKindName(TokenKind kind) {
  switch (kind) {
  case TokenKind::Ident:
    return "ident";
  case TokenKind::Int:
    return "int";
  case TokenKind::Float:
    return "float";
  case TokenKind::String:
    return "string";
  case TokenKind::LParen:
    return "'('";
  case TokenKind::RParen:
    return "')'";
  case TokenKind::LBracket:
    return "'['";
  case TokenKind::RBracket:
    return "']'";
  case TokenKind::Comma:
    return "','";
  case TokenKind::Colon:
    return "':'";
  case TokenKind::Equals:
    return "'='";
  case TokenKind::Newline:
    return "newline";
  case TokenKind::Eof:
    return "eof";
  case TokenKind::Error:
    return "error";
  }
  return "?";
}

Lexer::Lexer(std::string_view source, DiagnosticSink &diags)
    : src(source), diags(diags) {}

SourceLoc Lexer::locAt(size_t offset) const {
  return {line, uint32_t(offset - lineStart + 1)};
}

Token Lexer::make(TokenKind kind, size_t begin, SourceLoc loc) {
  Token tok;
  tok.kind = kind;
  tok.loc = loc;
  tok.text = src.substr(begin, pos - begin);
  return tok;
}

Token Lexer::error(SourceLoc loc, std::string message) {
  if (!failed)
    diags.error(loc, std::move(message));
  failed = true;
  Token tok;
  tok.kind = TokenKind::Error;
  tok.loc = loc;
  return tok;
}

bool Lexer::checkLine() {
  lineChecked = true;
  size_t end = src.find('\n', lineStart);
  if (end == std::string_view::npos)
    end = src.size();
  if (end - lineStart <= kMaxLineBytes)
    return true;
  error({line, uint32_t(kMaxLineBytes + 1)},
        "expected lines of at most " + std::to_string(kMaxLineBytes) +
            " bytes, found a line of " + std::to_string(end - lineStart) +
            " bytes");
  return false;
}

bool Lexer::skipComment() {
  while (pos < src.size() && src[pos] != '\n') {
    auto c = static_cast<unsigned char>(src[pos]);
    if (c >= 0x80) {
      size_t len = utf8SequenceLength(src, pos);
      if (len == 0) {
        error(locAt(pos), "invalid UTF-8 byte " + quoteChar(c));
        return false;
      }
      pos += len;
      continue;
    }
    if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
      error(locAt(pos), "unexpected character " + quoteChar(c));
      return false;
    }
    ++pos;
  }
  return true;
}

Token Lexer::next() {
  if (failed)
    return error({}, "");
  for (;;) {
    if (!lineChecked && !checkLine())
      return error({}, "");
    if (pos >= src.size()) {
      Token tok;
      tok.kind = TokenKind::Eof;
      tok.loc = locAt(pos);
      return tok;
    }
    char c = src[pos];
    if (c == ' ' || c == '\t' ||
        (c == '\r' && pos + 1 < src.size() && src[pos + 1] == '\n')) {
      ++pos;
      continue;
    }
    if (c == '#') {
      if (!skipComment())
        return error({}, "");
      continue;
    }
    break;
  }

  if (++tokenCount > kMaxTokens)
    return error(locAt(pos), "expected at most " + std::to_string(kMaxTokens) +
                                 " tokens in a model file, found more");

  size_t begin = pos;
  SourceLoc loc = locAt(pos);
  char c = src[pos];
  if (c == '\n') {
    ++pos;
    Token tok = make(TokenKind::Newline, begin, loc);
    ++line;
    lineStart = pos;
    lineChecked = false;
    return tok;
  }
  if (isIdentStart(c)) {
    while (pos < src.size() && isIdentChar(src[pos]))
      ++pos;
    return make(TokenKind::Ident, begin, loc);
  }
  if (isDigit(c) || (c == '.' && pos + 1 < src.size() && isDigit(src[pos + 1])))
    return lexNumber(begin, loc);
  if (c == '-' && pos + 1 < src.size() &&
      (isDigit(src[pos + 1]) ||
       (src[pos + 1] == '.' && pos + 2 < src.size() && isDigit(src[pos + 2]))))
    return lexNumber(begin, loc);
  if (c == '"')
    return lexString(begin, loc);

  TokenKind kind;
  switch (c) {
  case '(':
    kind = TokenKind::LParen;
    break;
  case ')':
    kind = TokenKind::RParen;
    break;
  case '[':
    kind = TokenKind::LBracket;
    break;
  case ']':
    kind = TokenKind::RBracket;
    break;
  case ',':
    kind = TokenKind::Comma;
    break;
  case ':':
    kind = TokenKind::Colon;
    break;
  case '=':
    kind = TokenKind::Equals;
    break;
  default: {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      size_t len = utf8SequenceLength(src, pos);
      if (len == 0)
        return error(loc, "invalid UTF-8 byte " + quoteChar(u));
      return error(loc, "unexpected character " +
                            describeCodePoint(src, pos, len) +
                            "; non-ASCII text may appear only in comments "
                            "and strings");
    }
    return error(loc, "unexpected character " + quoteChar(u));
  }
  }
  ++pos;
  return make(kind, begin, loc);
}

Token Lexer::lexNumber(size_t begin, SourceLoc loc) {
  bool isFloat = false;
  if (src[pos] == '-')
    ++pos;
  while (pos < src.size() && isDigit(src[pos]))
    ++pos;
  if (pos < src.size() && src[pos] == '.') {
    isFloat = true;
    ++pos;
    while (pos < src.size() && isDigit(src[pos]))
      ++pos;
  }
  if (pos < src.size() && (src[pos] == 'e' || src[pos] == 'E')) {
    isFloat = true;
    ++pos;
    if (pos < src.size() && (src[pos] == '+' || src[pos] == '-'))
      ++pos;
    if (pos >= src.size() || !isDigit(src[pos]))
      return error(
          locAt(pos),
          "expected digits in the exponent of '" +
              clip(src.substr(begin, pos - begin)) + "', found " +
              (pos < src.size() ? quoteChar(src[pos]) : "the end of the file"));
    while (pos < src.size() && isDigit(src[pos]))
      ++pos;
  }
  std::string_view text = src.substr(begin, pos - begin);
  if (pos < src.size() && (isIdentChar(src[pos]) || src[pos] == '.'))
    return error(locAt(pos), "expected a separator after the number '" +
                                 clip(text) + "', found " +
                                 quoteChar(src[pos]));

  Token tok = make(isFloat ? TokenKind::Float : TokenKind::Int, begin, loc);
  // from_chars takes no '+' and no leading '.', so give it a normal form.
  std::string normal(text);
  if (normal[0] == '.')
    normal.insert(0, "0");
  else if (normal.size() > 1 && normal[0] == '-' && normal[1] == '.')
    normal.insert(1, "0");
  const char *first = normal.data(), *last = normal.data() + normal.size();
  if (!isFloat) {
    auto res = std::from_chars(first, last, tok.intValue);
    if (res.ec != std::errc() || res.ptr != last)
      return error(loc, "expected an integer between -9223372036854775808 and "
                        "9223372036854775807, found " +
                            clip(text));
    return tok;
  }
  auto res = std::from_chars(first, last, tok.floatValue);
  if (res.ec != std::errc() || res.ptr != last)
    return error(loc, "expected a number within the range of a double, "
                      "found " +
                          clip(text));
  return tok;
}

Token Lexer::lexString(size_t begin, SourceLoc loc) {
  std::string value;
  ++pos; // the opening quote
  for (;;) {
    if (pos >= src.size() || src[pos] == '\n' ||
        (src[pos] == '\r' && pos + 1 < src.size() && src[pos + 1] == '\n'))
      return error(loc, "unterminated string; expected a closing '\"' on the "
                        "same line");
    auto c = static_cast<unsigned char>(src[pos]);
    if (c == '"') {
      ++pos;
      break;
    }
    if (c == '\\') {
      char e = pos + 1 < src.size() ? src[pos + 1] : '\0';
      char out = e == '"'    ? '"'
                 : e == '\\' ? '\\'
                 : e == 'n'  ? '\n'
                 : e == 't'  ? '\t'
                             : '\0';
      if (out == '\0')
        return error(locAt(pos), "unknown escape in string; expected \\\", "
                                 "\\\\, \\n or \\t, found '\\' followed by " +
                                     quoteChar(static_cast<unsigned char>(e)));
      value += out;
      pos += 2;
      continue;
    }
    if (c >= 0x80) {
      size_t len = utf8SequenceLength(src, pos);
      if (len == 0)
        return error(locAt(pos), "invalid UTF-8 byte " + quoteChar(c));
      value.append(src.substr(pos, len));
      pos += len;
      continue;
    }
    if ((c < 0x20 && c != '\t') || c == 0x7f)
      return error(locAt(pos),
                   "unexpected character " + quoteChar(c) + " in a string");
    value += char(c);
    ++pos;
  }
  Token tok = make(TokenKind::String, begin, loc);
  tok.stringValue = std::move(value);
  return tok;
}

} // namespace actc::frontend
