// SPDX-License-Identifier: Apache-2.0
//
// Every activation of /work/shared/ACTIVATIONS.md as a Halide Expr (or, for
// softmax and log_softmax, a small group of Funcs), built in its stable form
// from the approximations of MathFunctions.h: softplus as
// max(z,0) + log1p(e^-|z|), ELU/SELU/CELU with expm1, sigmoid-like ops
// reflected so both tails keep relative accuracy, GELU through erfc in the
// left tail, the tanh GELU as x * sigmoid(2y) with y formed in double (no x^3
// overflow, no 1 + tanh cancellation). Piecewise-linear ops are bit-exact
// against the double reference and pass NaN through (a max()-based relu that
// turns NaN into 0 is wrong). The attribute names and defaults are those of
// dialects/NN/IR/NNOps.td. The backend lowers every nn activation through
// buildActivation, so this file is where their numerics live.

#ifndef ACTC_COMPILER_BACKEND_HALIDE_MATH_ACTIVATIONS_H
#define ACTC_COMPILER_BACKEND_HALIDE_MATH_ACTIVATIONS_H

#include "compiler/backend/halide/math/MathFunctions.h"

#include <Halide.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace actc::halide::math {

/// Attributes of one activation op, as the nn dialect carries them.
struct ActivationAttrs {
  /// Float attributes by their NNOps.td name: alpha, beta, gamma, cap, lo,
  /// hi, threshold. An attribute left out takes the op's default.
  std::map<std::string, float, std::less<>> floats;
  /// gelu's `approximate`: "none" (erf form) or "tanh".
  std::string approximate = "none";
  /// prelu's slope, already broadcast to the element being computed (for
  /// example slope(c) for the channel of x).
  Halide::Expr slope;
};

/// The elementwise activation names buildActivation accepts (the nn op
/// mnemonics without "nn.": relu, leaky_relu, prelu, relu6, leaky_relu6,
/// clip, hardtanh, elu, selu, celu, thresholded_relu, sigmoid, hard_sigmoid,
/// tanh, silu, swish, hard_swish, gelu, mish, softplus, softsign).
const std::vector<std::string_view> &elementwiseActivationNames();

/// f(x) for activation `op` (a name from elementwiseActivationNames, with or
/// without the "nn." prefix) with `attrs`, in `mode`. `x` is a float32 Expr.
/// Returns an undefined Expr and, when `error` is given, says why, for an
/// unknown op, an attribute the op does not take, a gelu approximation other
/// than "none"/"tanh", or a prelu without a slope.
Halide::Expr buildActivation(std::string_view op, const Halide::Expr &x,
                             const ActivationAttrs &attrs,
                             Mode mode = Mode::Default,
                             std::string *error = nullptr);

/// The Funcs of a softmax or log_softmax along one dimension: a row maximum,
/// a row sum of exp(x - max) (in double in Default mode, so long rows do
/// not lose accuracy), and the result. The caller schedules them (the usual
/// schedule computes `rowMax` and `rowSum` at the row loop of `result`).
struct SoftmaxFuncs {
  Halide::Func rowMax; ///< over the input's dimensions less `axis`
  Halide::Func rowSum; ///< same dimensions as rowMax
  Halide::Func result; ///< same dimensions as the input
};

/// softmax(x) = exp(x - max) / sum(exp(x - max)), or (for `logSoftmax`)
/// (x - max) - log(sum(exp(x - max))), along dimension `axis` of `input`,
/// whose extent along it is `axisExtent` (minimum 0). A row of -Inf gives
/// NaN (as PyTorch does); a NaN in a row makes the row NaN.
SoftmaxFuncs buildSoftmax(const Halide::Func &input, int axis,
                          const Halide::Expr &axisExtent, bool logSoftmax,
                          Mode mode = Mode::Default);

} // namespace actc::halide::math

#endif // ACTC_COMPILER_BACKEND_HALIDE_MATH_ACTIVATIONS_H
