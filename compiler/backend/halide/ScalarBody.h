// SPDX-License-Identifier: Apache-2.0
//
// The scalar region of a kern.kernel (arith, math and kern.activation on one
// f32 element) as a Halide Expr, and the mapping points from a math op name
// (lowerMathOp) and from a kern.activation (lowerActivation, through
// math::buildActivation) to a Halide Expr. NaN semantics of arith are kept
// explicitly: Halide compiles float code with LLVM's no-NaNs flag, and its
// max/min do not propagate NaN, so maximumf/minimumf and the unordered
// comparisons test with Halide::is_nan.

#ifndef ACTC_COMPILER_BACKEND_HALIDE_SCALARBODY_H
#define ACTC_COMPILER_BACKEND_HALIDE_SCALARBODY_H

#include <Halide.h>

#include "mlir/IR/Region.h"

#include <string>
#include <vector>

namespace actc::halide {

/// f(args) for the math dialect op `opName` ("math.exp", "math.erfc", ...):
/// the numerics library's vector approximation when it has one
/// (compiler/backend/halide/math), else Halide's own function. Returns an
/// undefined Expr and sets `error` for an op it does not know.
Halide::Expr lowerMathOp(const std::string &opName,
                         const std::vector<Halide::Expr> &args,
                         std::string &error);

/// The kern.activation `op` applied to `x`: math::buildActivation with the
/// op's params, in Default mode (ACTIVATIONS.md's bounds). Returns an
/// undefined Expr and sets `error` for an unknown activation or parameter.
Halide::Expr lowerActivation(mlir::Operation *op, const Halide::Expr &x,
                             std::string &error);

/// True where `x` (f32) is NaN, tested on its bits (survives the no-NaNs
/// flag Halide compiles float code with, unlike Halide::is_nan on a
/// computed value).
Halide::Expr isNaN(const Halide::Expr &x);

/// IEEE maximum/minimum (arith.maximumf/minimumf): NaN if either is NaN.
Halide::Expr nanMax(const Halide::Expr &a, const Halide::Expr &b);
Halide::Expr nanMin(const Halide::Expr &a, const Halide::Expr &b);

/// The value the scalar region `region` (one block ending in kern.yield)
/// yields, with its block arguments bound to `args`. Returns an undefined
/// Expr and sets `error` (naming the op) for an op it cannot lower.
Halide::Expr lowerScalarRegion(mlir::Region &region,
                               const std::vector<Halide::Expr> &args,
                               std::string &error);

} // namespace actc::halide

#endif // ACTC_COMPILER_BACKEND_HALIDE_SCALARBODY_H
