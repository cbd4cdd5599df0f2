// SPDX-License-Identifier: Apache-2.0
//
// Diagnostics of the model-language front end. Errors are collected in a
// DiagnosticSink rather than printed, because library code never prints: the
// command line renders them to stderr in the one format users (and the lit
// tests) see:
//
//   path/to/file.act:LINE:COL: error: MESSAGE
//   <the source line>
//   <spaces>^
//
// followed by `note:` blocks in the same format. The front end stops at the
// first error (with its notes): a later error is often a consequence of the
// first one and would only add noise.

#ifndef ACTC_COMPILER_FRONTEND_DIAGNOSTICS_H
#define ACTC_COMPILER_FRONTEND_DIAGNOSTICS_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace actc::frontend {

/// A position in the source: 1-based line, 1-based column counted in bytes.
/// Line 0 means "no position".
struct SourceLoc {
  uint32_t line = 0;
  uint32_t col = 0;
  bool operator==(const SourceLoc &o) const {
    return line == o.line && col == o.col;
  }
  bool operator!=(const SourceLoc &o) const { return !(*this == o); }
};

/// "3:14".
std::string formatLoc(SourceLoc loc);

enum class Severity { Error, Note };

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceLoc loc;
  std::string message;
};

/// Collects the diagnostics of one model file and renders them.
class DiagnosticSink {
public:
  /// The file the diagnostics are about: `path` exactly as the user gave it
  /// (it is printed as is) and its text (to show the offending line).
  void setSource(std::string path, std::string text);
  const std::string &path() const { return filePath; }

  void error(SourceLoc loc, std::string message);
  void note(SourceLoc loc, std::string message);

  bool hasErrors() const { return errorCount > 0; }
  const std::vector<Diagnostic> &diagnostics() const { return diags; }
  /// The first error's message, or "" (handy in unit tests).
  std::string firstError() const;

  /// Every diagnostic in the format above, each block ending in '\n'.
  std::string render() const;
  /// One diagnostic in the format above.
  std::string render(const Diagnostic &diag) const;

private:
  std::string filePath;
  std::string text;
  std::vector<Diagnostic> diags;
  int errorCount = 0;
};

/// A character for a message: 'a' when printable ASCII, else '\x01'.
std::string quoteChar(unsigned char c);

/// The closest spelling of `word` among `candidates` (case, transposition
/// and digit-for-digit slips are cheap), or "" when nothing is close.
std::string closestSpelling(std::string_view word,
                            const std::vector<std::string> &candidates);

} // namespace actc::frontend

#endif // ACTC_COMPILER_FRONTEND_DIAGNOSTICS_H
