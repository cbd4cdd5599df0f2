// SPDX-License-Identifier: Apache-2.0
//
// The reference interpreter: runs a `func.func` of nn ops (and of scalar or
// elementwise arith and math ops) in double precision with plain loops and
// libm, independent of everything the compiler generates. It is the oracle
// of every numeric test and of `actc check`.
//
// Values are Tensors of doubles (Tensor.h). Inputs come as Tensors (their
// shapes fill in the function's dynamic dimensions); parameters come from
// `nn.param` ops bound through a weights::WeightMap, or from
// `arith.constant` ops holding a DenseElementsAttr or a
// DenseResourceElementsAttr (f32 blobs, what materializeWeights makes).
//
// Dispatch is a registry from an op's name ("nn.conv2d", "math.exp") to a
// handler, so another dialect plugs in its own ops without touching this
// library:
//
//   actc::interp::Interpreter interp;          // nn, arith, math built in
//   interp.registry().add("kern.fused", [](actc::interp::OpCall &call) {
//     // call.operands: the operand values; fill call.results (one Tensor
//     // per op result); call.interp.runRegion(region, args) runs a nested
//     // region (e.g. a scalar body) and returns its terminator's operands.
//     return mlir::success();
//   });
//
// A handler reports a problem with `call.op->emitOpError() << ...` (the
// context's diagnostic handler receives it) and returns failure; run() then
// fails. A block's last op is its terminator (func.return, a kern yield,
// even an unregistered op that cannot declare the trait); its operands are
// the block's results, and it needs no handler. A value is freed after the
// last op of its block that uses it. Nothing here throws or prints.

#ifndef ACTC_COMPILER_INTERPRETER_INTERPRETER_H
#define ACTC_COMPILER_INTERPRETER_INTERPRETER_H

#include "compiler/interpreter/Tensor.h"
#include "compiler/weights/Binding.h"

#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

#include "llvm/ADT/StringMap.h"

#include <functional>
#include <vector>

namespace mlir {
class DialectRegistry;
class MLIRContext;
class Region;
namespace func {
class FuncOp;
} // namespace func
} // namespace mlir

namespace actc::interp {

class Interpreter;

/// One op to evaluate: what a handler reads and fills.
struct OpCall {
  mlir::Operation *op;
  /// The operands' values, in operand order.
  llvm::ArrayRef<const Tensor *> operands;
  /// The handler appends one Tensor per op result, in result order.
  std::vector<Tensor> results;
  /// The interpreter running the op (weights, nested regions).
  Interpreter &interp;

  const Tensor &operand(unsigned i) const { return *operands[i]; }
};

/// Evaluates one op. Returns failure after emitting a diagnostic on the op.
using OpHandler = std::function<mlir::LogicalResult(OpCall &call)>;

/// Op name -> handler. Adding a name that is already there replaces its
/// handler (so a dialect can override a built-in one).
class OpRegistry {
public:
  void add(llvm::StringRef opName, OpHandler handler);
  /// The handler for `opName`, or null.
  const OpHandler *lookup(llvm::StringRef opName) const;
  /// Whether `opName` has a handler.
  bool contains(llvm::StringRef opName) const { return lookup(opName); }

private:
  llvm::StringMap<OpHandler> handlers;
};

/// Registers the handlers of every nn op (NNOps.td).
void registerNNHandlers(OpRegistry &registry);
/// Registers the handlers of arith's float, select, compare and constant
/// ops and of math's float functions, elementwise on scalars and tensors.
void registerArithMathHandlers(OpRegistry &registry);

/// Adds the dialects the interpreter understands (nn, func, arith, math) to
/// `registry`, for tools that parse IR for it.
void registerInterpreterDialects(mlir::DialectRegistry &registry);

/// The interpreter. Not thread-safe; cheap to construct.
class Interpreter {
public:
  /// An interpreter with the nn, arith and math handlers registered.
  Interpreter();

  /// The handlers; add or replace entries to interpret other dialects.
  OpRegistry &registry() { return handlers; }

  /// The tensors `nn.param` ops read, by name (not owned; null: none).
  void setWeights(const weights::WeightMap *weights) { weightMap = weights; }
  const weights::WeightMap *getWeights() const { return weightMap; }

  /// Runs `func` on `inputs` (one per argument, shapes matching the
  /// argument types' static dims; arguments that share a named dynamic
  /// dimension through `nn.dims` must agree on it). Returns the values of
  /// func.return, or failure after a diagnostic on the offending op.
  mlir::FailureOr<std::vector<Tensor>> run(mlir::func::FuncOp func,
                                           llvm::ArrayRef<Tensor> inputs);

  /// Runs the first block of `region` with `args` bound to its arguments
  /// and returns the operands of its terminator (for handlers of ops with
  /// bodies).
  mlir::FailureOr<std::vector<Tensor>> runRegion(mlir::Region &region,
                                                 llvm::ArrayRef<Tensor> args);

  /// The value of an arith.constant's attribute as a Tensor of the result
  /// type (dense and dense_resource elements, splats, float, integer and
  /// bool scalars). Failure (with a diagnostic on `op`) otherwise.
  static mlir::FailureOr<Tensor> constantValue(mlir::Operation *op,
                                               mlir::Attribute value);

private:
  OpRegistry handlers;
  const weights::WeightMap *weightMap = nullptr;
};

/// The static-or-dynamic shape of a ranked tensor type, or {} for a scalar
/// type; dynamic dims are -1. For handlers that check result types.
std::vector<int64_t> typeShape(mlir::Type type);

/// Checks that `shape` fits `type` (same rank, equal static dims); emits an
/// error on `op` naming both otherwise.
mlir::LogicalResult checkResultShape(mlir::Operation *op, mlir::Type type,
                                     const std::vector<int64_t> &shape);

} // namespace actc::interp

#endif // ACTC_COMPILER_INTERPRETER_INTERPRETER_H
