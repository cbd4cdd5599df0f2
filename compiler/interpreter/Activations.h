// SPDX-License-Identifier: Apache-2.0
//
// The activations of ACTIVATIONS.md as scalar double-precision functions:
// the "ref" that accuracy is measured against. Each uses the stable form
// the contract asks for (softplus as max(z, 0) + log1p(exp(-|z|)), ELU,
// SELU and CELU with expm1, the sigmoid reflected so that its left tail
// never computes 1 + huge, the exact GELU through erfc in its left tail, the
// tanh GELU as x * sigmoid(2u) so that neither x^3 nor 1 + tanh(u) loses
// anything), propagates NaN, and returns the contract's limits at +-Inf
// (where a product like -Inf * 0 would give NaN, the limit, a signed zero,
// is returned instead). Nothing here depends on MLIR, so accuracy sweeps and
// other tools can call these directly.

#ifndef ACTC_COMPILER_INTERPRETER_ACTIVATIONS_H
#define ACTC_COMPILER_INTERPRETER_ACTIVATIONS_H

namespace actc::interp::ref {

/// max(0, x); NaN stays NaN.
double relu(double x);
/// x if x >= 0 else alpha * x.
double leakyRelu(double x, double alpha = 0.01);
/// min(max(0, x), 6); NaN stays NaN.
double relu6(double x);
/// alpha * x if x < 0; x if 0 <= x <= cap; cap if x > cap.
double leakyRelu6(double x, double alpha = 0.01, double cap = 6.0);
/// min(max(lo, x), hi); NaN stays NaN.
double clip(double x, double lo = -1.0, double hi = 1.0);
/// x if x > 0 else alpha * expm1(x).
double elu(double x, double alpha = 1.0);
/// gamma * elu(x, alpha) with SELU's constants as defaults.
double selu(double x, double alpha = 1.6732632423543772,
            double gamma = 1.0507009873554805);
/// max(0, x) + min(0, alpha * expm1(x / alpha)).
double celu(double x, double alpha = 1.0);
/// x if x > alpha else 0; NaN stays NaN.
double thresholdedRelu(double x, double alpha = 1.0);
/// 1 / (1 + exp(-x)) for x >= 0, exp(x) / (1 + exp(x)) below.
double sigmoid(double x);
/// max(0, min(1, alpha * x + beta)); NaN stays NaN.
double hardSigmoid(double x, double alpha = 1.0 / 6.0, double beta = 0.5);
double tanh(double x);
/// x * sigmoid(x); -0 at -Inf.
double silu(double x);
/// x * sigmoid(beta * x); the limit (a signed zero) where sigmoid is 0.
double swish(double x, double beta = 1.0);
/// x * relu6(x + 3) / 6; -0 at and below -3 (so -Inf gives -0, not NaN).
double hardSwish(double x);
/// 0.5 * x * (1 + erf(x / sqrt(2))), as 0.5 * x * erfc(-x / sqrt(2)) for
/// x < 0.
double geluExact(double x);
/// 0.5 * x * (1 + tanh(u)), u = sqrt(2 / pi) * (x + 0.044715 x^3), computed
/// as x * sigmoid(2u) with u = sqrt(2 / pi) * x * (1 + 0.044715 x^2).
double geluTanh(double x);
/// x * tanh(softplus(x)); -0 at -Inf.
double mish(double x);
/// (1 / beta) * log(1 + exp(beta * x)) stably; x where beta * x > threshold.
double softplus(double x, double beta = 1.0, double threshold = 20.0);
/// x / (1 + |x|); +-1 at +-Inf.
double softsign(double x);

/// Softmax of `n` values with stride `stride` starting at `in`, written to
/// `out` with the same stride: exp(x - max) / sum(exp(x - max)). A NaN in the
/// row, a row that is all -Inf, or a +Inf in the row (Inf - Inf) gives a row
/// of NaN, as the formula (and PyTorch) does.
void softmax(const double *in, double *out, long n, long stride);
/// (x - max) - log(sum(exp(x - max))), with softmax's NaN rules.
void logSoftmax(const double *in, double *out, long n, long stride);

} // namespace actc::interp::ref

#endif // ACTC_COMPILER_INTERPRETER_ACTIVATIONS_H
