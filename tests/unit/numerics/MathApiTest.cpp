// SPDX-License-Identifier: Apache-2.0
//
// The API the backend calls: the math-op table, the activation builder's
// errors and attribute defaults, and softmax / log_softmax as row
// reductions (checked against a double reference, NaN and -Inf rows
// included).

#include "compiler/backend/halide/math/Activations.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace actc::halide::math {
namespace {

TEST(MathApi, LookupKnowsEveryMathOp) {
  for (const char *name : {"math.exp", "math.expm1", "math.log", "math.log1p",
                           "math.tanh", "math.erf", "math.erfc"})
    EXPECT_NE(lookupMathOp(name), nullptr) << name;
  EXPECT_EQ(lookupMathOp("math.sin"), nullptr);
  EXPECT_EQ(lookupMathOp("exp"), nullptr);
}

TEST(MathApi, BuildActivationReportsErrors) {
  Halide::Var i;
  Halide::Expr x = Halide::cast<float>(i);
  std::string error;
  EXPECT_FALSE(
      buildActivation("swoosh", x, {}, Mode::Default, &error).defined());
  EXPECT_NE(error.find("unknown activation 'swoosh'"), std::string::npos);
  ActivationAttrs bad;
  bad.floats["beta"] = 1.0f;
  EXPECT_FALSE(
      buildActivation("relu", x, bad, Mode::Default, &error).defined());
  EXPECT_NE(error.find("no attribute 'beta'"), std::string::npos);
  ActivationAttrs gelu;
  gelu.approximate = "erf";
  EXPECT_FALSE(
      buildActivation("gelu", x, gelu, Mode::Default, &error).defined());
  EXPECT_FALSE(
      buildActivation("prelu", x, {}, Mode::Default, &error).defined());
  EXPECT_TRUE(
      buildActivation("nn.relu", x, {}, Mode::Default, &error).defined());
  for (std::string_view name : elementwiseActivationNames()) {
    ActivationAttrs a;
    a.slope = Halide::Expr(0.25f);
    EXPECT_TRUE(buildActivation(name, x, a, Mode::Fast, &error).defined())
        << name << ": " << error;
  }
}

/// Runs softmax or log_softmax over a rows x cols buffer along the columns.
std::vector<float> runSoftmax(const std::vector<float> &data, int rows,
                              int cols, bool logSoftmax, Mode mode) {
  Halide::Buffer<float> in(const_cast<float *>(data.data()), cols, rows);
  Halide::Func input;
  Halide::Var c, r;
  input(c, r) = in(c, r);
  SoftmaxFuncs f = buildSoftmax(input, 0, cols, logSoftmax, mode);
  std::vector<Halide::Var> args = f.result.args();
  f.rowMax.compute_at(f.result, args[1]);
  f.rowSum.compute_at(f.result, args[1]);
  f.result.vectorize(args[0], 8, Halide::TailStrategy::GuardWithIf);
  Halide::Buffer<float> out = f.result.realize({cols, rows});
  return std::vector<float>(out.data(), out.data() + cols * rows);
}

TEST(MathApi, SoftmaxMatchesDoubleReference) {
  const int rows = 6, cols = 37;
  std::vector<float> data(rows * cols);
  std::mt19937 rng(7);
  std::normal_distribution<float> dist(0.0f, 30.0f); // wide: deep tails
  for (float &v : data)
    v = dist(rng);
  const float inf = std::numeric_limits<float>::infinity();
  for (int k = 0; k < cols; ++k)
    data[4 * cols + k] = -inf; // a row of -Inf: NaN
  data[5 * cols + 3] = std::numeric_limits<float>::quiet_NaN();
  for (bool logSoftmax : {false, true}) {
    std::vector<float> got =
        runSoftmax(data, rows, cols, logSoftmax, Mode::Default);
    for (int r = 0; r < rows; ++r) {
      double mx = -INFINITY, sum = 0;
      for (int k = 0; k < cols; ++k)
        mx = std::max(mx, double(data[r * cols + k]));
      for (int k = 0; k < cols; ++k)
        sum += std::exp(double(data[r * cols + k]) - mx);
      for (int k = 0; k < cols; ++k) {
        double x = data[r * cols + k];
        float y = got[r * cols + k];
        if (r >= 4) {
          EXPECT_TRUE(std::isnan(y)) << "row " << r;
          continue;
        }
        double ref =
            logSoftmax ? (x - mx) - std::log(sum) : std::exp(x - mx) / sum;
        float rf = float(ref);
        if (std::fabs(rf) < std::numeric_limits<float>::min()) {
          EXPECT_LE(std::fabs(double(y) - ref), 1.5e-45);
          continue;
        }
        // The row sum is accumulated in double, in a different order here
        // and in the kernel: log_softmax of the row maximum, -log(sum) with
        // sum near 1, carries that absolute 1e-15 or so.
        EXPECT_LE(std::fabs(double(y) - ref),
                  4 * std::fabs(ref) * 0x1p-23 + (logSoftmax ? 4e-15 : 0.0))
            << (logSoftmax ? "log_softmax" : "softmax") << " row " << r
            << " col " << k << " x " << x << " got " << y << " ref " << ref;
      }
    }
  }
}

} // namespace
} // namespace actc::halide::math
