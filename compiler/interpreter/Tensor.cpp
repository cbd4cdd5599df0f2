// SPDX-License-Identifier: Apache-2.0
//
// See Tensor.h: tensor helpers, float32 rounding and result comparison.

#include "compiler/interpreter/Tensor.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>

namespace actc::interp {

Tensor Tensor::filled(std::vector<int64_t> shape, double fill) {
  Tensor t;
  t.shape = std::move(shape);
  t.data.assign(size_t(t.numElements()), fill);
  return t;
}

int64_t Tensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::vector<int64_t> Tensor::strides() const {
  std::vector<int64_t> s(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;)
    s[i - 1] = s[i] * shape[i];
  return s;
}

std::string formatShape(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

Tensor roundToF32(const Tensor &t) {
  Tensor r = t;
  for (double &v : r.data)
    v = double(float(v));
  return r;
}

std::string Comparison::summary(const std::vector<int64_t> &shape) const {
  if (!shapesMatch)
    return "shapes differ";
  std::string where;
  if (worstIndex >= 0) {
    // Unflatten the worst index for the message.
    std::vector<int64_t> idx(shape.size());
    int64_t rest = worstIndex;
    for (size_t i = shape.size(); i-- > 0;) {
      idx[i] = shape[i] ? rest % shape[i] : 0;
      rest = shape[i] ? rest / shape[i] : 0;
    }
    where = " at " + formatShape(idx);
  }
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "max abs error %.3g%s, max rel error %.3g, max %.3g ulp, "
                "%lld NaN mismatches, %lld of %lld outside the tolerance",
                maxAbsError, where.c_str(), maxRelError, maxUlpError,
                (long long)nanMismatches, (long long)numOutside,
                (long long)numElements);
  return buf;
}

double ulpError(double expected, double actual) {
  if (std::isnan(expected) || std::isnan(actual))
    return NAN;
  if (expected == actual)
    return 0;
  if (std::isinf(expected) || std::isinf(actual))
    return INFINITY;
  double mag = std::fabs(expected);
  double ulp;
  if (mag < double(FLT_MIN)) {
    ulp = std::ldexp(1.0, -149);
  } else if (mag >= double(FLT_MAX)) {
    ulp = std::ldexp(1.0, 104); // the spacing at the top binade
  } else {
    int exponent;
    std::frexp(mag, &exponent); // mag = m * 2^exponent, m in [0.5, 1)
    ulp = std::ldexp(1.0, exponent - 24);
  }
  return std::fabs(actual - expected) / ulp;
}

Comparison compareTensors(const Tensor &expected, const Tensor &actual,
                          Tolerance tolerance) {
  Comparison c;
  if (expected.shape != actual.shape ||
      expected.data.size() != actual.data.size()) {
    c.shapesMatch = false;
    return c;
  }
  c.numElements = int64_t(expected.data.size());
  for (size_t i = 0; i < expected.data.size(); ++i) {
    double e = expected.data[i], a = actual.data[i];
    if (std::isnan(e) || std::isnan(a)) {
      if (std::isnan(e) != std::isnan(a)) {
        ++c.nanMismatches;
        ++c.numOutside;
      }
      continue;
    }
    double abs, rel;
    if (e == a) {
      abs = rel = 0; // equal infinities too
    } else if (std::isinf(e) || std::isinf(a)) {
      abs = rel = INFINITY;
    } else {
      abs = std::fabs(a - e);
      rel = e == 0 ? INFINITY : abs / std::fabs(e);
    }
    if (abs > c.maxAbsError) {
      c.maxAbsError = abs;
      c.worstIndex = int64_t(i);
    }
    c.maxRelError = std::max(c.maxRelError, rel);
    c.maxUlpError = std::max(c.maxUlpError, ulpError(e, a));
    if (!(abs <= tolerance.absTol || rel <= tolerance.relTol))
      ++c.numOutside;
  }
  return c;
}

} // namespace actc::interp
