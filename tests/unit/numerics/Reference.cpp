// SPDX-License-Identifier: Apache-2.0
//
// See Reference.h. The references are the formulas of ACTIVATIONS.md in
// double with libm, in their stable forms, and nothing else: no
// polynomial, no split argument, no code shared with the library.

#include "tests/unit/numerics/Reference.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace actc::numerics {

namespace {

float attrOr(const RefSpec &c, const char *name, float dflt) {
  auto it = c.floats.find(name);
  return it == c.floats.end() ? dflt : it->second;
}

double sigmoidRef(double z) {
  if (z >= 0)
    return 1.0 / (1.0 + std::exp(-z));
  double e = std::exp(z);
  return e / (1.0 + e);
}

double softplusRef(double x, double beta, double threshold) {
  double z = beta * x;
  if (z > threshold)
    return x;
  return (std::max(z, 0.0) + std::log1p(std::exp(-std::fabs(z)))) / beta;
}

double clipRef(double x, double lo, double hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

} // namespace

double referenceValue(const RefSpec &c, float xf) {
  const double x = xf;
  if (std::isnan(x))
    return x;
  const std::string &op = c.op;
  const bool inf = std::isinf(x);
  // Piecewise linear.
  if (op == "relu")
    return x > 0 ? x : 0.0;
  if (op == "leaky_relu")
    return x >= 0 ? x : double(attrOr(c, "alpha", 0.01f)) * x;
  if (op == "prelu")
    return x >= 0 ? x : double(c.preluSlope) * x;
  if (op == "relu6") // min(max(0, x), 6): +0 at -0, as relu
    return x > 0 ? std::min(x, 6.0) : 0.0;
  if (op == "leaky_relu6") {
    double cap = attrOr(c, "cap", 6.0f);
    return x < 0 ? double(attrOr(c, "alpha", 0.01f)) * x : (x > cap ? cap : x);
  }
  if (op == "clip" || op == "hardtanh")
    return clipRef(x, attrOr(c, "lo", -1.0f), attrOr(c, "hi", 1.0f));
  if (op == "thresholded_relu")
    return x > double(attrOr(c, "alpha", 1.0f)) ? x : 0.0;
  if (op == "hard_sigmoid") {
    double v = double(attrOr(c, "alpha", 1.0f / 6.0f)) * x +
               double(attrOr(c, "beta", 0.5f));
    return v < 0 ? 0.0 : (v > 1 ? 1.0 : v);
  }
  if (op == "hard_swish") // -0 at and below -3: the limit at -Inf is 0
    return x + 3.0 <= 0 ? -0.0 : x * clipRef(x + 3.0, 0, 6) / 6.0;
  // Exponential family.
  if (op == "elu") {
    double alpha = attrOr(c, "alpha", 1.0f);
    return x > 0 ? x : alpha * std::expm1(x);
  }
  if (op == "selu") {
    double alpha = attrOr(c, "alpha", 1.6732632423543772f);
    double gamma = attrOr(c, "gamma", 1.0507009873554805f);
    return gamma * (x > 0 ? x : alpha * std::expm1(x));
  }
  if (op == "celu") {
    double alpha = attrOr(c, "alpha", 1.0f);
    return std::max(0.0, x) + std::min(0.0, alpha * std::expm1(x / alpha));
  }
  if (op == "sigmoid")
    return sigmoidRef(x);
  if (op == "tanh" || op == "math.tanh")
    return std::tanh(x);
  if (op == "silu" || op == "swish") {
    double z = double(op == "silu" ? 1.0f : attrOr(c, "beta", 1.0f)) * x;
    if (std::isinf(z))
      return z > 0 ? x : 0.0;
    return x * sigmoidRef(z);
  }
  if (op == "gelu") {
    if (inf)
      return x > 0 ? x : 0.0;
    if (c.approximate == "tanh") {
      // 0.5 (1 + tanh(y)) = 1 / (1 + e^-2y): the same function, stable.
      double y = std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x);
      return x * sigmoidRef(2.0 * y);
    }
    return 0.5 * x * std::erfc(-x / std::sqrt(2.0));
  }
  if (op == "mish") {
    if (inf)
      return x > 0 ? x : 0.0;
    return x * std::tanh(softplusRef(x, 1.0, INFINITY));
  }
  if (op == "softplus")
    return softplusRef(x, attrOr(c, "beta", 1.0f),
                       attrOr(c, "threshold", 20.0f));
  if (op == "softsign")
    return inf ? std::copysign(1.0, x) : x / (1.0 + std::fabs(x));
  // Math functions.
  if (op == "math.exp")
    return std::exp(x);
  if (op == "math.expm1")
    return std::expm1(x);
  if (op == "math.log")
    return std::log(x);
  if (op == "math.log1p")
    return std::log1p(x);
  if (op == "math.erf")
    return std::erf(x);
  if (op == "math.erfc")
    return std::erfc(x);
  throw std::runtime_error("no reference for " + op);
}

//===----------------------------------------------------------------------===//
// Error measure
//===----------------------------------------------------------------------===//

namespace {

int64_t orderedKey(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  int64_t mag = u & 0x7fffffffu;
  return (u & 0x80000000u) ? -mag : mag;
}

uint32_t bitsOf(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

} // namespace

uint64_t floatDistance(float a, float b) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<uint64_t>::max();
  int64_t d = orderedKey(a) - orderedKey(b);
  return uint64_t(d < 0 ? -d : d);
}

void ErrorStats::merge(const ErrorStats &o) {
  count += o.count;
  if (o.maxUlp > maxUlp) {
    maxUlp = o.maxUlp;
    worstInput = o.worstInput;
    worstOutput = o.worstOutput;
    worstReference = o.worstReference;
  }
  if (o.maxDenormalSteps > maxDenormalSteps) {
    maxDenormalSteps = o.maxDenormalSteps;
    worstDenormalInput = o.worstDenormalInput;
  }
  if (o.maxBoundarySteps > maxBoundarySteps) {
    maxBoundarySteps = o.maxBoundarySteps;
    worstBoundaryInput = o.worstBoundaryInput;
  }
  notBitExact += o.notBitExact;
  if (o.specialErrors && !specialErrors)
    firstSpecialError = o.firstSpecialError;
  specialErrors += o.specialErrors;
}

void accumulateOne(bool pieceWiseLinear, float x, float y, double r,
                   ErrorStats &s) {
  float rf = float(r);
  ++s.count;
  auto special = [&] {
    if (!s.specialErrors)
      s.firstSpecialError = x;
    ++s.specialErrors;
  };
  if (std::isnan(rf) || std::isnan(y)) {
    if (std::isnan(rf) != std::isnan(y))
      special();
    return;
  }
  if (pieceWiseLinear) {
    if (bitsOf(y) != bitsOf(rf))
      ++s.notBitExact;
    return;
  }
  if (std::isinf(r)) {
    if (y != rf)
      special();
    return;
  }
  uint64_t d = floatDistance(y, rf);
  if (std::fabs(rf) < std::numeric_limits<float>::min() &&
      std::fabs(rf) >= std::numeric_limits<float>::min() / 2) {
    if (d > s.maxBoundarySteps) {
      s.maxBoundarySteps = d;
      s.worstBoundaryInput = x;
    }
    return;
  }
  if (std::fabs(rf) < std::numeric_limits<float>::min()) {
    if (d > s.maxDenormalSteps) {
      s.maxDenormalSteps = d;
      s.worstDenormalInput = x;
    }
    return;
  }
  if (d > s.maxUlp) {
    s.maxUlp = d;
    s.worstInput = x;
    s.worstOutput = y;
    s.worstReference = r;
  }
}

} // namespace actc::numerics
