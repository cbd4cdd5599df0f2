// SPDX-License-Identifier: Apache-2.0
//
// The scalar reference activations at the edge values of ACTIVATIONS.md:
// NaN in gives NaN out, the limits at +-Inf, signed zeros, denormals, and
// the tails where a naive formula loses everything (values computed by hand
// or quoted from high-precision references in the comments).

#include "compiler/interpreter/Activations.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace actc::interp;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// The smallest float32 denormal, 2^-149.
const double kDenorm = std::ldexp(1.0, -149);

/// Relative closeness for values far from 0.
#define EXPECT_REL(actual, expected, rel)                                      \
  EXPECT_NEAR((actual), (expected), std::fabs(expected) * (rel))

TEST(ActivationsTest, NaNInGivesNaNOut) {
  double (*unary[])(double) = {
      [](double x) { return ref::relu(x); },
      [](double x) { return ref::leakyRelu(x); },
      [](double x) { return ref::relu6(x); },
      [](double x) { return ref::leakyRelu6(x); },
      [](double x) { return ref::clip(x); },
      [](double x) { return ref::elu(x); },
      [](double x) { return ref::selu(x); },
      [](double x) { return ref::celu(x); },
      [](double x) { return ref::thresholdedRelu(x); },
      [](double x) { return ref::sigmoid(x); },
      [](double x) { return ref::hardSigmoid(x); },
      [](double x) { return ref::tanh(x); },
      [](double x) { return ref::silu(x); },
      [](double x) { return ref::swish(x, 0.5); },
      [](double x) { return ref::hardSwish(x); },
      [](double x) { return ref::geluExact(x); },
      [](double x) { return ref::geluTanh(x); },
      [](double x) { return ref::mish(x); },
      [](double x) { return ref::softplus(x); },
      [](double x) { return ref::softsign(x); },
  };
  for (size_t i = 0; i < std::size(unary); ++i)
    EXPECT_TRUE(std::isnan(unary[i](kNaN))) << "function " << i;
}

TEST(ActivationsTest, LimitsAtInfinity) {
  EXPECT_EQ(ref::sigmoid(kInf), 1.0);
  EXPECT_EQ(ref::sigmoid(-kInf), 0.0);
  EXPECT_EQ(ref::tanh(kInf), 1.0);
  EXPECT_EQ(ref::tanh(-kInf), -1.0);
  EXPECT_EQ(ref::softsign(kInf), 1.0);
  EXPECT_EQ(ref::softsign(-kInf), -1.0);
  EXPECT_EQ(ref::softplus(kInf), kInf);
  EXPECT_EQ(ref::softplus(-kInf), 0.0);
  EXPECT_EQ(ref::elu(-kInf, 0.5), -0.5);
  EXPECT_EQ(ref::celu(-kInf, 2.0), -2.0);
  EXPECT_EQ(ref::selu(-kInf), -1.6732632423543772 * 1.0507009873554805);
  for (double zero :
       {ref::silu(-kInf), ref::swish(-kInf, 2.0), ref::geluExact(-kInf),
        ref::geluTanh(-kInf), ref::mish(-kInf), ref::hardSwish(-kInf)}) {
    EXPECT_EQ(zero, 0.0);
    EXPECT_FALSE(std::isnan(zero));
  }
  for (double inf : {ref::relu(kInf), ref::silu(kInf), ref::swish(kInf),
                     ref::geluExact(kInf), ref::geluTanh(kInf), ref::mish(kInf),
                     ref::hardSwish(kInf), ref::elu(kInf), ref::celu(kInf),
                     ref::leakyRelu(kInf), ref::thresholdedRelu(kInf)})
    EXPECT_EQ(inf, kInf);
  EXPECT_EQ(ref::relu(-kInf), 0.0);
  EXPECT_EQ(ref::relu6(kInf), 6.0);
  EXPECT_EQ(ref::leakyRelu6(kInf), 6.0);
  EXPECT_EQ(ref::leakyRelu(-kInf), -kInf);
  EXPECT_EQ(ref::hardSigmoid(kInf), 1.0);
  EXPECT_EQ(ref::hardSigmoid(-kInf), 0.0);
  EXPECT_EQ(ref::clip(-kInf, -2, 3), -2.0);
  // A negative swish beta flips the tails: x * sigmoid(-x) -> 0 at +Inf.
  EXPECT_EQ(ref::swish(kInf, -1.0), 0.0);
  EXPECT_EQ(ref::swish(-kInf, -1.0), -kInf);
}

TEST(ActivationsTest, SignedZeros) {
  // Negative inputs whose factor underflows give -0 (the product's sign).
  EXPECT_TRUE(std::signbit(ref::silu(-1e6)));
  EXPECT_TRUE(std::signbit(ref::hardSwish(-3)));
  EXPECT_TRUE(std::signbit(ref::geluExact(-100)));
  EXPECT_EQ(ref::relu(-0.0), 0.0);
  EXPECT_TRUE(std::signbit(ref::leakyRelu(-0.0))); // -0 >= 0 keeps x
  EXPECT_TRUE(std::signbit(ref::tanh(-0.0)));
  EXPECT_EQ(ref::sigmoid(-0.0), 0.5);
  EXPECT_TRUE(std::signbit(ref::elu(-0.0)));
}

TEST(ActivationsTest, Denormals) {
  // Not flushed: the answers of the exact functions near 0.
  EXPECT_EQ(ref::relu(kDenorm), kDenorm);
  EXPECT_EQ(ref::tanh(kDenorm), kDenorm);
  EXPECT_EQ(ref::softsign(kDenorm), kDenorm);
  EXPECT_EQ(ref::elu(-kDenorm), std::expm1(-kDenorm));
  EXPECT_EQ(ref::elu(-kDenorm), -kDenorm);
  EXPECT_EQ(ref::sigmoid(kDenorm), 0.5);
  EXPECT_EQ(ref::silu(kDenorm), kDenorm * 0.5);
  EXPECT_EQ(ref::leakyRelu(-kDenorm, 0.5), -kDenorm * 0.5);
  EXPECT_EQ(ref::hardSwish(kDenorm), kDenorm * 3 / 6);
  // gelu(x) ~ x / 2 near 0.
  EXPECT_EQ(ref::geluExact(kDenorm), 0.5 * kDenorm);
}

TEST(ActivationsTest, SoftplusIsStable) {
  // log(1 + exp(100)) overflows naively; it is 100 (past the threshold too).
  EXPECT_EQ(ref::softplus(100), 100.0);
  EXPECT_EQ(ref::softplus(1000, 1.0, 1e30), 1000.0); // no threshold: stable
  // softplus(-100) = log1p(e^-100) = 3.720075976020836e-44.
  EXPECT_REL(ref::softplus(-100), 3.720075976020836e-44, 1e-15);
  EXPECT_REL(ref::softplus(0), std::log(2.0), 1e-16);
  // beta 2, x 10: beta * x = 20 is not > 20: (20 + log1p(e^-20)) / 2.
  EXPECT_REL(ref::softplus(10, 2, 20), 10 + std::log1p(std::exp(-20.0)) / 2,
             1e-16);
  EXPECT_EQ(ref::softplus(10.5, 2, 20), 10.5);
}

TEST(ActivationsTest, SigmoidLeftTail) {
  // e^-100 / (1 + e^-100); 1 / (1 + e^100) is the same, but 1 - sigmoid(100)
  // would be 0.
  EXPECT_REL(ref::sigmoid(-100), 3.7200759760208356e-44, 1e-15);
  EXPECT_GT(ref::sigmoid(-740), 0.0); // e^-740 is a double denormal
  EXPECT_EQ(ref::sigmoid(-800), 0.0);
  EXPECT_EQ(ref::sigmoid(40), 1.0);
}

TEST(ActivationsTest, ExpM1NearZero) {
  // exp(x) - 1 at -1e-10 gives -1.000000082740371e-10 in double.
  EXPECT_REL(ref::elu(-1e-10), -9.9999999995e-11, 1e-15);
  EXPECT_REL(ref::selu(-1e-10),
             1.0507009873554805 * 1.6732632423543772 * -9.9999999995e-11,
             1e-15);
  EXPECT_REL(ref::celu(-1e-10, 2.0), 2.0 * std::expm1(-5e-11), 1e-15);
}

TEST(ActivationsTest, GeluTails) {
  // Phi(-10) = 7.619853024160526e-24 (erfc in the tail; 1 + erf(-7.07)
  // would be 0), so gelu(-10) = -7.619853024160526e-23.
  EXPECT_REL(ref::geluExact(-10), -7.619853024160526e-23, 1e-13);
  EXPECT_REL(ref::geluExact(1), 0.8413447460685429, 1e-15);
  // The tanh form at large |x|: no x^3 overflow, x itself on the right and
  // -0 on the left.
  EXPECT_EQ(ref::geluTanh(1e20), 1e20);
  EXPECT_EQ(ref::geluTanh(3e38), 3e38);
  EXPECT_EQ(ref::geluTanh(-1e20), 0.0);
  // Against the textbook formula where that is accurate.
  for (double x : {-3.0, -1.0, -0.1, 0.5, 2.0}) {
    double u = 0.7978845608028654 * (x + 0.044715 * x * x * x);
    EXPECT_REL(ref::geluTanh(x), 0.5 * x * (1 + std::tanh(u)), 1e-14) << x;
  }
  // Its left tail: x * sigmoid(2u) keeps precision where 1 + tanh(u) is 0.
  double u = 0.7978845608028654 * (-20 + 0.044715 * -8000);
  EXPECT_REL(ref::geluTanh(-20), -20 * std::exp(2 * u), 1e-12);
}

TEST(ActivationsTest, PiecewiseLinear) {
  EXPECT_EQ(ref::relu6(7), 6.0);
  EXPECT_EQ(ref::relu6(-1), 0.0);
  EXPECT_EQ(ref::leakyRelu6(-1), -0.01);
  EXPECT_EQ(ref::leakyRelu6(7, 0.1, 5), 5.0);
  EXPECT_EQ(ref::thresholdedRelu(1.0), 0.0);
  EXPECT_EQ(ref::thresholdedRelu(1.5), 1.5);
  EXPECT_EQ(ref::hardSigmoid(0), 0.5);
  EXPECT_EQ(ref::hardSigmoid(3), 1.0);
  EXPECT_EQ(ref::hardSigmoid(1, 0.2, 0.5), 0.7);
  EXPECT_EQ(ref::hardSwish(1), 4.0 / 6);
  EXPECT_EQ(ref::hardSwish(3), 3.0);
  EXPECT_EQ(ref::mish(0), 0.0);
  EXPECT_REL(ref::mish(1), 0.8650983882673103, 1e-15);
}

TEST(ActivationsTest, SoftmaxRows) {
  double out[3];
  // Huge values: exp(1000) overflows without the max subtracted.
  double big[2] = {1000, 1000};
  ref::softmax(big, out, 2, 1);
  EXPECT_EQ(out[0], 0.5);
  EXPECT_EQ(out[1], 0.5);
  // -Inf entries get 0 (log_softmax -Inf).
  double withInf[2] = {1, -kInf};
  ref::softmax(withInf, out, 2, 1);
  EXPECT_EQ(out[0], 1.0);
  EXPECT_EQ(out[1], 0.0);
  ref::logSoftmax(withInf, out, 2, 1);
  EXPECT_EQ(out[0], 0.0);
  EXPECT_EQ(out[1], -kInf);
  // A row that is all -Inf is NaN (as PyTorch); so is a row with NaN or
  // +Inf.
  double allNeg[2] = {-kInf, -kInf}, nan[2] = {kNaN, 1}, posInf[2] = {kInf, 1};
  for (double *row : {allNeg, nan, posInf}) {
    ref::softmax(row, out, 2, 1);
    EXPECT_TRUE(std::isnan(out[0]) && std::isnan(out[1]));
    ref::logSoftmax(row, out, 2, 1);
    EXPECT_TRUE(std::isnan(out[0]) && std::isnan(out[1]));
  }
  // Strided rows (a column of a 3x2 array).
  double col[6] = {0, 9, std::log(2.0), 9, 0, 9};
  double res[6] = {};
  ref::softmax(col, res, 3, 2);
  EXPECT_DOUBLE_EQ(res[0], 0.25);
  EXPECT_DOUBLE_EQ(res[2], 0.5);
  EXPECT_DOUBLE_EQ(res[4], 0.25);
}

} // namespace
