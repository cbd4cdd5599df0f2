// SPDX-License-Identifier: Apache-2.0
//
// The comparison `actc check` makes between an output of the compiled model
// and the reference interpreter's value of it, and the tolerance it holds
// the output to.
//
// Tolerance: an element passes when
//   |actual - ref| <= kCheckAbsTol * scale   or   |actual - ref| <=
//   kCheckRelTol * |ref|
// where ref is the double-precision reference rounded once to float32 and
// scale = max(1, the largest finite |ref| of that output). NaN positions
// must match exactly; an infinity must meet the same infinity.
//
// Why these numbers: the compiled model computes in float32 and sums
// contractions in another order than the reference (and fuses, folds batch
// norms into weights, and uses the vector activations of the numerics
// library, <= 4 ULP). The rounding error of a float32 sum of K products is
// about sqrt(K) * 2^-24 times the sum of the products' magnitudes; the
// examples reduce over at most 4096 products (dcgan's last conv: 256
// channels x 4 x 4), which gives ~4e-6 of the sum's scale, and
// tests/unit/backend/halide measured 5e-7 at worst. rel 1e-4 leaves room
// for the activations' ULPs (1e-4 is ~800 ULP) and longer reductions; the
// absolute term covers results that cancel to near 0, where the relative
// error means nothing, scaled by the output's own magnitude because the
// error of a cancelling sum scales with its terms (the edge inputs reach
// 1e4).
#ifndef ACTC_TOOLS_ACTC_CHECKCOMPARE_H
#define ACTC_TOOLS_ACTC_CHECKCOMPARE_H

#include "compiler/interpreter/Tensor.h"

namespace actc::cli {

constexpr double kCheckRelTol = 1e-4;
constexpr double kCheckAbsTol = 1e-5;

/// The tolerance for an output whose reference value is `reference` (see
/// the file comment).
interp::Tolerance checkTolerance(const interp::Tensor &reference);

/// Compares `actual` with `reference` (double results, rounded once to
/// float32 here) under checkTolerance(reference).
interp::Comparison compareOutput(const interp::Tensor &reference,
                                 const interp::Tensor &actual);

} // namespace actc::cli

#endif // ACTC_TOOLS_ACTC_CHECKCOMPARE_H
