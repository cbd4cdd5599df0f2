// SPDX-License-Identifier: Apache-2.0
//
// The model-language parser (see Parser.h). Statement keywords (`model`,
// `weights`, `input`, `output`) are contextual: `input = relu(x)` defines a
// value named `input`, because a keyword statement is never followed by '='.
// The parser keeps one token of lookahead for exactly that decision and for
// telling `key=value` from an operand.

#include "compiler/frontend/Parser.h"

namespace actc::frontend {

Parser::Parser(std::string_view source, DiagnosticSink &diags)
    : lexer(source, diags), diags(diags) {
  tok = lexer.next();
  peek = lexer.next();
}

void Parser::advance() {
  tok = std::move(peek);
  peek = lexer.next();
}

bool Parser::fail(SourceLoc loc, std::string message) {
  if (!diags.hasErrors())
    diags.error(loc, std::move(message));
  return false;
}

/// Reports "expected X, found <current token>" at the current token (or
/// nothing when the lexer already reported an error there).
bool Parser::failHere(const std::string &expected) {
  if (tok.kind == TokenKind::Error)
    return false;
  return fail(tok.loc,
              "expected " + expected + ", found " + describeToken(tok));
}

std::optional<ast::Module> parseSource(std::string_view source,
                                       DiagnosticSink &diags) {
  Parser parser(source, diags);
  return parser.parseModule();
}

namespace {
const char *statementWord(ast::Statement::Kind kind) {
  switch (kind) {
  case ast::Statement::Model:
    return "'model'";
  case ast::Statement::Weights:
    return "'weights'";
  case ast::Statement::Input:
    return "'input'";
  case ast::Statement::Output:
    return "'output'";
  case ast::Statement::Define:
    break;
  }
  return "a definition";
}
} // namespace

std::optional<ast::Module> Parser::parseModule() {
  ast::Module module;
  // Locations, not pointers: the statement vector reallocates as it grows.
  std::optional<SourceLoc> modelLoc, weightsLoc;
  for (;;) {
    while (tok.kind == TokenKind::Newline)
      advance();
    if (tok.kind == TokenKind::Error)
      return std::nullopt;
    if (tok.kind == TokenKind::Eof)
      break;
    if (!parseStatement(module))
      return std::nullopt;
    const ast::Statement &stmt = module.statements.back();
    if (module.statements.size() == 1 && stmt.kind != ast::Statement::Model) {
      fail(stmt.loc, std::string("expected 'model NAME' as the first "
                                 "statement, found ") +
                         statementWord(stmt.kind));
      return std::nullopt;
    }
    if (stmt.kind == ast::Statement::Model) {
      if (modelLoc) {
        fail(stmt.loc, "expected one 'model' statement, found a second one");
        diags.note(*modelLoc, "the first 'model' statement is here");
        return std::nullopt;
      }
      modelLoc = stmt.loc;
    } else if (stmt.kind == ast::Statement::Weights) {
      if (weightsLoc) {
        fail(stmt.loc,
             "expected at most one 'weights' statement, found a second one");
        diags.note(*weightsLoc, "the first 'weights' statement is here");
        return std::nullopt;
      }
      weightsLoc = stmt.loc;
    }
  }
  if (!modelLoc) {
    fail(tok.loc, "expected 'model NAME' as the first statement, found the "
                  "end of the file");
    return std::nullopt;
  }
  return module;
}

bool Parser::expectEndOfStatement(const char *what) {
  if (tok.kind == TokenKind::Newline || tok.kind == TokenKind::Eof)
    return true;
  return failHere(std::string("the end of the line after ") + what +
                  " (one statement a line)");
}

bool Parser::parseStatement(ast::Module &module) {
  module.statements.emplace_back();
  ast::Statement &stmt = module.statements.back();
  stmt.loc = tok.loc;
  if (tok.kind != TokenKind::Ident)
    return failHere("a statement (model, weights, input, output or "
                    "NAME = EXPR)");
  bool keyword = peek.kind != TokenKind::Equals;
  std::string_view word = tok.text;
  if (keyword && word == "model")
    return parseModel(stmt);
  if (keyword && word == "weights")
    return parseWeights(stmt);
  if (keyword && word == "input")
    return parseInput(stmt);
  if (keyword && word == "output") {
    stmt.kind = ast::Statement::Output;
    advance();
    if (tok.kind != TokenKind::Ident)
      return failHere("a value name after 'output'");
    stmt.name = std::string(tok.text);
    stmt.nameLoc = tok.loc;
    advance();
    if (tok.kind == TokenKind::Equals) {
      advance();
      stmt.expr = parseExpr(0);
      if (!stmt.expr)
        return false;
    }
    return expectEndOfStatement("the output");
  }
  if (keyword) {
    advance();
    return failHere("'=' after '" + std::string(word) +
                    "' (a definition is NAME = EXPR)");
  }
  stmt.kind = ast::Statement::Define;
  stmt.name = std::string(tok.text);
  stmt.nameLoc = tok.loc;
  advance(); // name
  advance(); // '='
  stmt.expr = parseExpr(0);
  if (!stmt.expr)
    return false;
  return expectEndOfStatement("the definition");
}

bool Parser::parseModel(ast::Statement &stmt) {
  stmt.kind = ast::Statement::Model;
  advance();
  if (tok.kind != TokenKind::Ident)
    return failHere("a model name after 'model'");
  stmt.name = std::string(tok.text);
  stmt.nameLoc = tok.loc;
  advance();
  return expectEndOfStatement("the model name");
}

bool Parser::parseWeights(ast::Statement &stmt) {
  stmt.kind = ast::Statement::Weights;
  advance();
  if (tok.kind != TokenKind::String)
    return failHere("a path in double quotes after 'weights'");
  if (tok.stringValue.empty())
    return fail(tok.loc, "expected a weights file path, found an empty string");
  stmt.name = tok.stringValue;
  stmt.nameLoc = tok.loc;
  advance();
  return expectEndOfStatement("the weights path");
}

bool Parser::parseInput(ast::Statement &stmt) {
  stmt.kind = ast::Statement::Input;
  advance();
  if (tok.kind != TokenKind::Ident)
    return failHere("an input name after 'input'");
  stmt.name = std::string(tok.text);
  stmt.nameLoc = tok.loc;
  advance();
  if (tok.kind != TokenKind::Colon)
    return failHere("':' and a type after the input name '" + stmt.name + "'");
  advance();
  if (!parseType(stmt.type))
    return false;
  return expectEndOfStatement("the input's type");
}

bool Parser::parseType(ast::TensorType &type) {
  if (tok.kind != TokenKind::Ident)
    return failHere("a tensor type such as f32[1, 784]");
  type.elementType = std::string(tok.text);
  type.loc = tok.loc;
  advance();
  if (tok.kind != TokenKind::LBracket)
    return failHere("'[' and the dimensions after the element type '" +
                    type.elementType + "'");
  advance();
  if (tok.kind == TokenKind::RBracket) {
    advance();
    return true;
  }
  for (;;) {
    ast::Dim dim;
    dim.loc = tok.loc;
    if (tok.kind == TokenKind::Int) {
      dim.kind = ast::Dim::Int;
      dim.value = tok.intValue;
    } else if (tok.kind == TokenKind::Ident) {
      dim.kind = ast::Dim::Name;
      dim.name = std::string(tok.text);
    } else {
      return failHere("an integer or a name for a dimension");
    }
    type.dims.push_back(std::move(dim));
    advance();
    if (tok.kind == TokenKind::RBracket) {
      advance();
      return true;
    }
    if (tok.kind != TokenKind::Comma)
      return failHere("',' or ']' in the dimensions");
    advance();
  }
}

std::unique_ptr<ast::Expr> Parser::parseExpr(int depth) {
  if (tok.kind != TokenKind::Ident) {
    failHere("an operand (a value name or an op call)");
    return nullptr;
  }
  auto expr = std::make_unique<ast::Expr>();
  expr->loc = tok.loc;
  expr->name = std::string(tok.text);
  advance();
  if (tok.kind != TokenKind::LParen) {
    expr->kind = ast::Expr::Name;
    return expr;
  }
  expr->kind = ast::Expr::Call;
  if (depth >= kMaxDepth) {
    fail(expr->loc, "expected calls and lists nested at most " +
                        std::to_string(kMaxDepth) +
                        " deep, found deeper nesting");
    return nullptr;
  }
  advance(); // '('
  if (!parseCallArgs(*expr, depth + 1))
    return nullptr;
  return expr;
}

bool Parser::parseCallArgs(ast::Expr &call, int depth) {
  if (tok.kind == TokenKind::RParen) {
    advance();
    return true;
  }
  for (;;) {
    if (tok.kind == TokenKind::Ident && peek.kind == TokenKind::Equals) {
      ast::KeywordArg arg;
      arg.key = std::string(tok.text);
      arg.loc = tok.loc;
      advance();
      advance();
      auto value = parseValue(arg.key, depth);
      if (!value)
        return false;
      arg.value = std::move(*value);
      call.keywords.push_back(std::move(arg));
    } else if (!call.keywords.empty()) {
      if (tok.kind == TokenKind::Ident || tok.kind == TokenKind::Int ||
          tok.kind == TokenKind::Float || tok.kind == TokenKind::String)
        return fail(tok.loc, "expected a keyword argument (key=value) after '" +
                                 call.keywords.back().key +
                                 "=', found the operand " + describeToken(tok) +
                                 "; operands come before keyword arguments");
      return failHere("a keyword argument (key=value) or ')'");
    } else {
      auto operand = parseExpr(depth);
      if (!operand)
        return false;
      call.operands.push_back(std::move(operand));
    }
    if (tok.kind == TokenKind::RParen) {
      advance();
      return true;
    }
    if (tok.kind != TokenKind::Comma)
      return failHere("',' or ')' in the call to '" + call.name + "'");
    advance();
  }
}

std::optional<ast::Value> Parser::parseValue(const std::string &key,
                                             int depth) {
  ast::Value value;
  value.loc = tok.loc;
  value.text = std::string(tok.text);
  switch (tok.kind) {
  case TokenKind::Int:
    value.kind = ast::Value::Int;
    value.intValue = tok.intValue;
    advance();
    return value;
  case TokenKind::Float:
    value.kind = ast::Value::Float;
    value.floatValue = tok.floatValue;
    advance();
    return value;
  case TokenKind::String:
    value.kind = ast::Value::String;
    value.stringValue = tok.stringValue;
    advance();
    return value;
  case TokenKind::Ident:
    if (tok.text == "true" || tok.text == "false") {
      value.kind = ast::Value::Bool;
      value.boolValue = tok.text == "true";
      advance();
      return value;
    }
    fail(tok.loc, "expected a value for '" + key +
                      "' (a number, a string in double quotes, true, false "
                      "or a list), found the name '" +
                      std::string(tok.text) + "'");
    return std::nullopt;
  case TokenKind::LBracket:
    break;
  default:
    failHere("a value for '" + key + "'");
    return std::nullopt;
  }
  if (depth >= kMaxDepth) {
    fail(tok.loc, "expected calls and lists nested at most " +
                      std::to_string(kMaxDepth) +
                      " deep, found deeper nesting");
    return std::nullopt;
  }
  value.kind = ast::Value::List;
  advance(); // '['
  if (tok.kind == TokenKind::RBracket) {
    advance();
    return value;
  }
  for (;;) {
    auto element = parseValue(key, depth + 1);
    if (!element)
      return std::nullopt;
    value.list.push_back(std::move(*element));
    if (tok.kind == TokenKind::RBracket) {
      advance();
      return value;
    }
    if (tok.kind != TokenKind::Comma) {
      failHere("',' or ']' in the list for '" + key + "'");
      return std::nullopt;
    }
    advance();
  }
}

} // namespace actc::frontend
