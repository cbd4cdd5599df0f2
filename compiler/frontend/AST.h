// SPDX-License-Identifier: Apache-2.0
//
// The syntax tree of a model file, as written: nothing is resolved yet (op
// names may be unknown, names undefined, attribute values of any type). Sema
// turns it into a checked Model. Every node keeps the location of its first
// token so a diagnostic can point at exactly what the user wrote.

#ifndef ACTC_COMPILER_FRONTEND_AST_H
#define ACTC_COMPILER_FRONTEND_AST_H

#include "compiler/frontend/Diagnostics.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace actc::frontend::ast {

/// A keyword argument's value: a literal or a list of them.
struct Value {
  enum Kind { Int, Float, String, Bool, List };
  Kind kind = Int;
  SourceLoc loc;
  std::string text; ///< the spelling (for messages)
  int64_t intValue = 0;
  double floatValue = 0;
  std::string stringValue;
  bool boolValue = false;
  std::vector<Value> list;
};

struct Expr;

/// `key=value`.
struct KeywordArg {
  std::string key;
  SourceLoc loc; ///< of the key
  Value value;
};

/// A name (`x`) or a call (`op(operand, ..., key=value, ...)`).
struct Expr {
  enum Kind { Name, Call };
  Kind kind = Name;
  SourceLoc loc;    ///< of the name or the op name
  std::string name; ///< the value's name, or the op's name
  std::vector<std::unique_ptr<Expr>> operands;
  std::vector<KeywordArg> keywords;
};

/// One dimension of a tensor type: an integer (maybe not a valid size yet)
/// or a name.
struct Dim {
  enum Kind { Int, Name };
  Kind kind = Int;
  SourceLoc loc;
  int64_t value = 0;
  std::string name;
};

/// `f32[d0, d1, ...]`.
struct TensorType {
  std::string elementType;
  SourceLoc loc; ///< of the element type
  std::vector<Dim> dims;
};

/// One line of the file.
struct Statement {
  enum Kind {
    Model,   ///< model NAME
    Weights, ///< weights "PATH"
    Input,   ///< input NAME : TYPE
    Define,  ///< NAME = EXPR
    Output,  ///< output NAME = EXPR, or output NAME (then `expr` is null)
  };
  Kind kind = Model;
  SourceLoc loc;     ///< of the first token
  std::string name;  ///< model, input, value or output name; weights path
  SourceLoc nameLoc; ///< of the name (or the path string)
  TensorType type;   ///< Input only
  std::unique_ptr<Expr> expr;
};

/// A whole file, statements in order (blank lines and comments dropped).
struct Module {
  std::vector<Statement> statements;
};

} // namespace actc::frontend::ast

#endif // ACTC_COMPILER_FRONTEND_AST_H
