// SPDX-License-Identifier: Apache-2.0
//
// The one place that says how each elementwise nn op (every activation but
// softmax/log_softmax, prelu, add/sub/mul, batch_norm) computes one f32
// element: arith ops for the piecewise-linear activations and the
// arithmetic, one kern.activation (named after the nn op, with its
// attributes) for each transcendental activation. The kernels' scalar
// regions are built from it.

#ifndef ACTC_DIALECTS_KERN_TRANSFORMS_SCALARFORMS_H
#define ACTC_DIALECTS_KERN_TRANSFORMS_SCALARFORMS_H

#include "mlir/IR/Builders.h"
#include "mlir/Support/LLVM.h"

namespace actc::kern {

/// Builds the scalar form of the elementwise nn op `op` at the builder's
/// insertion point. `operands` holds one f32 per tensor operand of `op`, in
/// order (already broadcast: the element at the result's index). Fails only
/// for an op that is not elementwise.
mlir::FailureOr<mlir::Value> buildScalarForm(mlir::OpBuilder &builder,
                                             mlir::Location loc,
                                             mlir::Operation *op,
                                             mlir::ValueRange operands);

} // namespace actc::kern

#endif // ACTC_DIALECTS_KERN_TRANSFORMS_SCALARFORMS_H
