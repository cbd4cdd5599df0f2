// SPDX-License-Identifier: Apache-2.0
//
// The recursive-descent parser of the model language: one statement a line,
// calls nested in calls. Nesting of calls and lists is bounded (kMaxDepth)
// so hostile input cannot exhaust the stack. The parser checks the grammar
// and the statement order that needs no symbol table (`model` first and
// once, `weights` at most once); the meaning is Sema's job.

#ifndef ACTC_COMPILER_FRONTEND_PARSER_H
#define ACTC_COMPILER_FRONTEND_PARSER_H

#include "compiler/frontend/AST.h"
#include "compiler/frontend/Lexer.h"

#include <optional>

namespace actc::frontend {

/// The deepest nesting of calls and lists in one expression.
constexpr int kMaxDepth = 64;

class Parser {
public:
  /// `source` must outlive the parser.
  Parser(std::string_view source, DiagnosticSink &diags);

  /// The module, or nullopt after reporting the first error.
  std::optional<ast::Module> parseModule();

private:
  bool parseStatement(ast::Module &module);
  bool parseModel(ast::Statement &stmt);
  bool parseWeights(ast::Statement &stmt);
  bool parseInput(ast::Statement &stmt);
  bool parseType(ast::TensorType &type);
  std::unique_ptr<ast::Expr> parseExpr(int depth);
  bool parseCallArgs(ast::Expr &call, int depth);
  std::optional<ast::Value> parseValue(const std::string &key, int depth);
  bool expectEndOfStatement(const char *what);

  void advance();
  bool fail(SourceLoc loc, std::string message);
  bool failHere(const std::string &expected);

  Lexer lexer;
  DiagnosticSink &diags;
  Token tok;  ///< the current token
  Token peek; ///< the one after it
};

/// Parses a whole file; nullopt after an error (reported to `diags`).
std::optional<ast::Module> parseSource(std::string_view source,
                                       DiagnosticSink &diags);

} // namespace actc::frontend

#endif // ACTC_COMPILER_FRONTEND_PARSER_H
