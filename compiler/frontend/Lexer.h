// SPDX-License-Identifier: Apache-2.0
//
// The lexer of the model language. It hands out one token at a time (the
// parser pulls them), so a large file never becomes a large token array, and
// it enforces the input limits: line length, token count, and what bytes may
// appear where (no NUL or control bytes, valid UTF-8 only, non-ASCII text
// only in comments and strings). An error is reported once, at its byte, and
// the lexer then returns Error tokens.

#ifndef ACTC_COMPILER_FRONTEND_LEXER_H
#define ACTC_COMPILER_FRONTEND_LEXER_H

#include "compiler/frontend/Diagnostics.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace actc::frontend {

/// The largest model file the front end reads.
constexpr size_t kMaxFileBytes = size_t(16) << 20;
/// The longest line, in bytes.
constexpr size_t kMaxLineBytes = size_t(64) << 10;
/// The most tokens in one file (a 100,000-layer model is about 2 million
/// bytes but far fewer tokens per line than this allows for).
constexpr size_t kMaxTokens = size_t(1) << 22;

enum class TokenKind {
  Ident,    ///< [A-Za-z_][A-Za-z0-9_]*; keywords are contextual identifiers
  Int,      ///< 12, -1
  Float,    ///< 0.5, -1e-5, 2.
  String,   ///< "text" (value without quotes, escapes resolved)
  LParen,   ///< (
  RParen,   ///< )
  LBracket, ///< [
  RBracket, ///< ]
  Comma,    ///< ,
  Colon,    ///< :
  Equals,   ///< =
  Newline,  ///< end of a line
  Eof,      ///< end of the file
  Error,    ///< the lexer reported an error
};

struct Token {
  TokenKind kind = TokenKind::Error;
  SourceLoc loc;
  std::string_view text; ///< the spelling in the source
  int64_t intValue = 0;
  double floatValue = 0;
  std::string stringValue;
};

/// "'abc'", "the end of the line", ... for "found ..." in messages.
std::string describeToken(const Token &tok);
/// A token kind's name, for the AST printer and tests.
const char *tokenKindName(TokenKind kind);

class Lexer {
public:
  /// `source` must outlive the lexer and its tokens.
  Lexer(std::string_view source, DiagnosticSink &diags);

  /// The next token. After Eof or Error, returns the same kind again.
  Token next();

private:
  Token make(TokenKind kind, size_t begin, SourceLoc loc);
  Token error(SourceLoc loc, std::string message);
  Token lexNumber(size_t begin, SourceLoc loc);
  Token lexString(size_t begin, SourceLoc loc);
  bool checkLine();
  SourceLoc locAt(size_t offset) const;
  /// Skips a comment to the end of the line, validating its UTF-8.
  bool skipComment();

  std::string_view src;
  DiagnosticSink &diags;
  size_t pos = 0;
  size_t lineStart = 0;
  uint32_t line = 1;
  size_t tokenCount = 0;
  bool lineChecked = false;
  bool failed = false;
};

/// The length of the valid UTF-8 sequence at s[i], or 0 if it is invalid.
size_t utf8SequenceLength(std::string_view s, size_t i);

} // namespace actc::frontend

#endif // ACTC_COMPILER_FRONTEND_LEXER_H
