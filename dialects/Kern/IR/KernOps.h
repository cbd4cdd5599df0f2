// SPDX-License-Identifier: Apache-2.0
//
// The kern dialect's ops (generated from KernOps.td; verifiers in
// KernOps.cpp), and the vocabulary shared by the passes that build and
// schedule kernels: the kinds, which nn ops anchor which kind, and which are
// elementwise.

#ifndef ACTC_DIALECTS_KERN_IR_KERNOPS_H
#define ACTC_DIALECTS_KERN_IR_KERNOPS_H

#include "dialects/Kern/IR/KernDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <optional>

#define GET_OP_CLASSES
#include "dialects/Kern/IR/KernOps.h.inc"

namespace actc::kern {

/// The kinds of kernel (KernelOp's `kind`).
namespace kind {
inline constexpr llvm::StringLiteral kContraction = "contraction";
inline constexpr llvm::StringLiteral kPool = "pool";
inline constexpr llvm::StringLiteral kReduction = "reduction";
inline constexpr llvm::StringLiteral kCopy = "copy";
inline constexpr llvm::StringLiteral kMap = "map";
} // namespace kind

/// The kind of kernel an nn op anchors ("contraction", ...), or nothing for
/// an elementwise op, a view, a parameter or anything else.
std::optional<llvm::StringRef> anchorKind(mlir::Operation *op);

/// True for the nn ops that compute each result element from the elements
/// at the same index of their operands (after broadcasting): every
/// activation except softmax and log_softmax, prelu, add, sub, mul and
/// batch_norm at inference.
bool isElementwise(mlir::Operation *op);

/// True for nn.reshape and nn.flatten: on the dense row-major tensors
/// between kernels they are free views (no kernel, no copy).
bool isView(mlir::Operation *op);

/// The schedule dictionary's keys (KernelOp's `schedule`).
namespace sched {
inline constexpr llvm::StringLiteral kTile = "tile";
inline constexpr llvm::StringLiteral kReduceSplit = "reduce_split";
inline constexpr llvm::StringLiteral kVector = "vector";
inline constexpr llvm::StringLiteral kUnroll = "unroll";
inline constexpr llvm::StringLiteral kParallelDim = "parallel_dim";
inline constexpr llvm::StringLiteral kParallelChunk = "parallel_chunk";
inline constexpr llvm::StringLiteral kGpuBlock = "gpu_block";
inline constexpr llvm::StringLiteral kGpuThread = "gpu_thread";
inline constexpr llvm::StringLiteral kSource = "source";
inline constexpr llvm::StringLiteral kTarget = "target";
inline constexpr llvm::StringLiteral kSignature = "signature";
} // namespace sched

/// The kernel's key in the tuning database: its anchor op, the anchor's
/// operand and result shapes and the attributes that change the loop nest
/// (for a map: the names of its ops and its shape), e.g.
/// "conv2d:1x3x64x64,16x3x3x3->1x16x64x64:s1x1:p1x1x1x1:d1x1:g1".
/// A dynamic dimension prints as "?". No spaces.
std::string kernelSignature(KernelOp kernel);

/// A shaped type's sizes as the signature writes them: "?x784" (`?` for a
/// dynamic size); any other type as MLIR prints it.
void printShape(llvm::raw_ostream &os, mlir::Type type);

} // namespace actc::kern

#endif // ACTC_DIALECTS_KERN_IR_KERNOPS_H
