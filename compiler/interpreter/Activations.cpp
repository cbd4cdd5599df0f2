// SPDX-License-Identifier: Apache-2.0
//
// See Activations.h. Every function tests for NaN first where a comparison
// or std::min/std::max would otherwise drop it, and checks the one product
// whose factors can be Inf and 0 at the same time.

#include "compiler/interpreter/Activations.h"

#include <algorithm>
#include <cmath>

namespace actc::interp::ref {

double relu(double x) {
  if (std::isnan(x))
    return x;
  return x > 0 ? x : 0.0;
}

double leakyRelu(double x, double alpha) { return x >= 0 ? x : alpha * x; }

double relu6(double x) {
  if (std::isnan(x))
    return x;
  return x > 6 ? 6.0 : x > 0 ? x : 0.0;
}

double leakyRelu6(double x, double alpha, double cap) {
  if (x < 0)
    return alpha * x;
  if (x > cap)
    return cap;
  return x; // NaN included
}

double clip(double x, double lo, double hi) {
  if (std::isnan(x))
    return x;
  return std::min(std::max(x, lo), hi);
}

double elu(double x, double alpha) {
  if (std::isnan(x))
    return x;
  return x > 0 ? x : alpha * std::expm1(x);
}

double selu(double x, double alpha, double gamma) {
  return gamma * elu(x, alpha);
}

double celu(double x, double alpha) {
  if (std::isnan(x))
    return x;
  double neg = alpha * std::expm1(x / alpha);
  return std::max(0.0, x) + std::min(0.0, neg);
}

double thresholdedRelu(double x, double alpha) {
  if (std::isnan(x))
    return x;
  return x > alpha ? x : 0.0;
}

double sigmoid(double x) {
  if (x >= 0)
    return 1.0 / (1.0 + std::exp(-x));
  double e = std::exp(x); // NaN stays NaN here
  return e / (1.0 + e);
}

double hardSigmoid(double x, double alpha, double beta) {
  if (std::isnan(x))
    return x;
  double y = alpha * x + beta;
  if (std::isnan(y)) // alpha == 0 and x infinite: alpha * x is NaN
    y = beta;
  return std::max(0.0, std::min(1.0, y));
}

double tanh(double x) { return std::tanh(x); }

/// x * s where s is a factor in [0, 1] that tends to 0 as |x| grows: the
/// product's limit (a signed zero) where s is exactly 0, so that Inf * 0
/// never gives NaN.
static double timesVanishing(double x, double s) {
  if (s == 0 && !std::isnan(x))
    return x < 0 ? -0.0 : 0.0;
  return x * s;
}

double silu(double x) { return timesVanishing(x, sigmoid(x)); }

double swish(double x, double beta) {
  double z = beta * x;
  if (std::isnan(z) && !std::isnan(x)) // beta == 0, x infinite
    z = 0;
  return timesVanishing(x, sigmoid(z));
}

double hardSwish(double x) {
  if (std::isnan(x))
    return x;
  if (x <= -3)
    return -0.0;
  if (x >= 3)
    return x;
  return x * (x + 3) / 6;
}

double geluExact(double x) {
  static const double kInvSqrt2 = 0.70710678118654752440;
  if (std::isnan(x))
    return x;
  if (x >= 0)
    return 0.5 * x * (1.0 + std::erf(x * kInvSqrt2));
  return timesVanishing(x, 0.5 * std::erfc(-x * kInvSqrt2));
}

double geluTanh(double x) {
  static const double kSqrt2OverPi = 0.79788456080286535588;
  if (std::isnan(x))
    return x;
  // 0.5 * (1 + tanh(u)) == sigmoid(2u). x * x cannot overflow for a float32
  // x; for a huge double it gives Inf and u the right infinity.
  double u = kSqrt2OverPi * x * (1.0 + 0.044715 * x * x);
  return timesVanishing(x, sigmoid(2.0 * u));
}

double softplus(double x, double beta, double threshold) {
  if (std::isnan(x))
    return x;
  double z = beta * x;
  if (z > threshold)
    return x;
  return (std::max(z, 0.0) + std::log1p(std::exp(-std::fabs(z)))) / beta;
}

double mish(double x) {
  if (std::isnan(x))
    return x;
  return timesVanishing(x, std::tanh(softplus(x)));
}

double softsign(double x) {
  if (std::isinf(x))
    return x > 0 ? 1.0 : -1.0;
  return x / (1.0 + std::fabs(x));
}

/// The maximum of a row; NaN when the row holds a NaN.
static double rowMax(const double *in, long n, long stride) {
  double m = -INFINITY;
  for (long i = 0; i < n; ++i) {
    double v = in[i * stride];
    if (std::isnan(v))
      return v;
    m = std::max(m, v);
  }
  return m;
}

void softmax(const double *in, double *out, long n, long stride) {
  double m = rowMax(in, n, stride);
  double sum = 0;
  for (long i = 0; i < n; ++i) {
    double e = std::exp(in[i * stride] - m);
    out[i * stride] = e;
    sum += e;
  }
  for (long i = 0; i < n; ++i)
    out[i * stride] /= sum;
}

void logSoftmax(const double *in, double *out, long n, long stride) {
  double m = rowMax(in, n, stride);
  double sum = 0;
  for (long i = 0; i < n; ++i)
    sum += std::exp(in[i * stride] - m);
  double logSum = std::log(sum);
  for (long i = 0; i < n; ++i)
    out[i * stride] = (in[i * stride] - m) - logSum;
}

} // namespace actc::interp::ref
