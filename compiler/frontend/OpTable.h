// SPDX-License-Identifier: Apache-2.0
//
// The catalogue of model-language ops: their operand counts, their keyword
// attributes with types and defaults (ACTIVATIONS.md's PyTorch defaults),
// and which ops read parameters. Sema checks calls against it, so adding an
// op to the language starts here (and continues with its shape rule in
// OpRules and its case in Sema).

#ifndef ACTC_COMPILER_FRONTEND_OPTABLE_H
#define ACTC_COMPILER_FRONTEND_OPTABLE_H

#include "compiler/frontend/Model.h"

#include <string>
#include <string_view>
#include <vector>

namespace actc::frontend {

/// How a keyword's value is written and what it becomes.
enum class AttrType {
  Int,     ///< an integer
  Float,   ///< a number (an integer is accepted)
  Bool,    ///< true / false
  String,  ///< "text"
  IntPair, ///< an integer n (meaning [n, n]) or a list of 2 integers
  IntList, ///< a list of integers (an integer n means [n])
  Padding, ///< n, [h, w], [top, left, bottom, right], "same" or "valid"
};

/// "an integer", "a list of 2 integers", ... for messages.
const char *describeAttrType(AttrType type);

struct AttrSpec {
  std::string name;
  AttrType type = AttrType::Int;
  bool required = false;
  /// The default, in canonical form (unused when required or fromKernel).
  AttrValue defaultValue;
  /// The default is the `kernel` attribute's value (pool strides).
  bool fromKernel = false;
};

/// What kind of rule computes an op's shape.
enum class OpKind {
  Dense,
  Conv2D,
  BatchNorm,
  LayerNorm,
  Pool2D,
  GlobalAvgPool2D,
  Broadcast,
  Matmul,
  Flatten,
  Reshape,
  Transpose,
  Concat,
  Activation, ///< elementwise; shape unchanged
  PRelu,
};

struct OpSpec {
  std::string name;      ///< as written
  std::string canonical; ///< as stored in the Model ("clip" for hardtanh)
  OpKind kind = OpKind::Activation;
  int minOperands = 1;
  int maxOperands = 1; ///< -1: no limit
  /// Reads parameters from the weights, so takes `name=`.
  bool hasParams = false;
  std::vector<AttrSpec> attrs;

  const AttrSpec *findAttr(std::string_view attr) const;
};

/// The op called `name` (aliases included), or null.
const OpSpec *findOp(std::string_view name);
/// Every op, in table order.
const std::vector<OpSpec> &allOps();
/// Every op name, aliases included (for spelling suggestions).
std::vector<std::string> allOpNames();

} // namespace actc::frontend

#endif // ACTC_COMPILER_FRONTEND_OPTABLE_H
