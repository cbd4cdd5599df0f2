// SPDX-License-Identifier: Apache-2.0
//
// The checked model: what the front end hands to MLIRGen. Everything in it
// has been validated (names defined before use, attribute types and ranges,
// every shape rule of OpRules), so building nn-dialect IR from it cannot
// fail on user input. Nodes are in topological order (an operand always
// comes earlier), attributes are complete (defaults filled in) and in
// canonical types, and each node carries its source location for the IR.

#ifndef ACTC_COMPILER_FRONTEND_MODEL_H
#define ACTC_COMPILER_FRONTEND_MODEL_H

#include "compiler/frontend/Diagnostics.h"
#include "dialects/NN/Rules/OpRules.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace actc::frontend {

/// A resolved attribute value. Canonical types: integers are int64_t, floats
/// double (already checked to be finite and to fit in f32), int lists
/// std::vector<int64_t> (kernel, stride, dilation: 2 values; padding: 4
/// values top, left, bottom, right; shape; perm).
using AttrValue =
    std::variant<int64_t, double, bool, std::string, std::vector<int64_t>>;

struct Attr {
  std::string name;
  AttrValue value;
};

/// An operand or output: a model input or an earlier node.
struct ValueRef {
  enum Kind : uint8_t { Input, Node };
  Kind kind = Input;
  uint32_t index = 0; ///< into Model::inputs or Model::nodes
  bool operator==(const ValueRef &o) const {
    return kind == o.kind && index == o.index;
  }
  bool operator!=(const ValueRef &o) const { return !(*this == o); }
};

/// A parameter a node reads from the weights file.
struct Param {
  std::string name; ///< full state_dict name, e.g. "conv1.weight"
  rules::ParamShape shape;
};

/// One op application.
struct Node {
  /// The op name as in SPEC.md section 1; aliases are canonical
  /// (`hardtanh` becomes "clip").
  std::string op;
  std::vector<ValueRef> operands;
  /// Every attribute of the op, in the op table's order, defaults included.
  /// `name=` is not an attribute: it is `paramPrefix`.
  std::vector<Attr> attrs;
  rules::Shape shape; ///< the result's shape
  /// The parameters' prefix (name=, else the statement's name); empty for
  /// ops without parameters.
  std::string paramPrefix;
  std::vector<Param> params;
  SourceLoc loc;         ///< of the op name
  std::string valueName; ///< the statement's name for an outermost op, else ""

  /// The attribute called `name`, or null.
  const Attr *findAttr(std::string_view name) const;
  /// Typed accessors; the attribute must exist with that type (asserted):
  /// the op table guarantees it for the op's own attributes.
  int64_t getInt(std::string_view name) const;
  double getFloat(std::string_view name) const;
  bool getBool(std::string_view name) const;
  const std::string &getString(std::string_view name) const;
  const std::vector<int64_t> &getInts(std::string_view name) const;
};

struct Input {
  std::string name;
  rules::Shape shape; ///< named dims are -2, -3, ... (see dimNames)
  SourceLoc loc;      ///< of the name
};

struct Output {
  std::string name; ///< the value's name
  ValueRef value;
  SourceLoc loc; ///< of the name in the `output` statement
};

struct Model {
  std::string name;
  SourceLoc loc;    ///< of the model name
  std::string file; ///< the .act path as given (for locations)
  /// The weights file resolved against the .act file's directory; nullopt
  /// when the model has no `weights` statement.
  std::optional<std::string> weightsPath;
  SourceLoc weightsLoc;
  /// dimNames[i] names dim -(i + 2), in order of first appearance (the order
  /// of the generated run function's dynamic-size arguments).
  rules::DimNames dimNames;
  std::vector<Input> inputs;
  std::vector<Node> nodes; ///< topological order
  std::vector<Output> outputs;

  const rules::Shape &shapeOf(ValueRef v) const;
  /// The value's user-visible name ("" for an unnamed nested node).
  const std::string &nameOf(ValueRef v) const;
};

/// Reads, parses and checks the model file at `path`. On a user error,
/// reports it to `diags` (whose source is set to this file) and returns
/// nullopt.
std::optional<Model> loadModel(const std::string &path, DiagnosticSink &diags);

/// Parses and checks `source` as if it were the file `path` (used for
/// locations and to resolve the weights path). For tests and tools.
std::optional<Model> parseModel(std::string_view source,
                                const std::string &path, DiagnosticSink &diags);

/// Reads a model file with the front end's limits (size, NUL-free text is
/// the lexer's job). Sets `diags`' source on success.
std::optional<std::string> readModelFile(const std::string &path,
                                         DiagnosticSink &diags);

} // namespace actc::frontend

#endif // ACTC_COMPILER_FRONTEND_MODEL_H
