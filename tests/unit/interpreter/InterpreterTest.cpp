// SPDX-License-Identifier: Apache-2.0
//
// The reference interpreter on small IR written here, against values
// computed by hand (each expected value's arithmetic is in a comment): every
// nn op, arith/math scalar bodies, constants (dense and dense_resource),
// nn.param with a WeightMap, dynamic dims, the extension hook, errors, and
// the f32 rounding and comparison helpers.

#include "tests/unit/interpreter/InterpTestUtil.h"

#include <cmath>

using namespace actc::interp;
using actc::interp::testing::InterpFixture;

namespace {

void expectValues(const Tensor &t, std::vector<int64_t> shape,
                  std::vector<double> values, double tol = 1e-12) {
  EXPECT_EQ(t.shape, shape);
  ASSERT_EQ(t.data.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (std::isnan(values[i]))
      EXPECT_TRUE(std::isnan(t.data[i])) << "at " << i;
    else
      EXPECT_NEAR(t.data[i], values[i],
                  tol * std::max(1.0, std::fabs(values[i])))
          << "at " << i;
  }
}

Tensor iota(std::vector<int64_t> shape, double start = 1) {
  Tensor t = Tensor::filled(shape);
  for (size_t i = 0; i < t.data.size(); ++i)
    t.data[i] = start + double(i);
  return t;
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

TEST(InterpreterTest, DenseWithBias) {
  InterpFixture f;
  // [1, 2] . [[1, 0], [2, -1], [0.5, 0.5]]^T + [0.5, 0, -1]
  //   = [1 + 0.5, 2 - 2 + 0, 0.5 + 1 - 1] = [1.5, 0, 0.5]
  Tensor y = f.runOne(R"mlir(
    func.func @f(%x: tensor<?x2xf32>) -> tensor<?x3xf32> {
      %w = arith.constant dense<[[1.0, 0.0], [2.0, -1.0], [0.5, 0.5]]> : tensor<3x2xf32>
      %b = arith.constant dense<[0.5, 0.0, -1.0]> : tensor<3xf32>
      %y = nn.dense %x, %w, %b : (tensor<?x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> tensor<?x3xf32>
      return %y : tensor<?x3xf32>
    })mlir",
                      {Tensor({1, 2}, {1, 2})});
  expectValues(y, {1, 3}, {1.5, 0, 0.5});
}

const char *kConv = R"mlir(
  func.func @f(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32> {
    %w = arith.constant dense<1.0> : tensor<1x1x2x2xf32>
    %y = nn.conv2d %x, %w ATTRS : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
    return %y : tensor<1x1x2x2xf32>
  })mlir";

std::string withAttrs(std::string text, const std::string &attrs) {
  return text.replace(text.find("ATTRS"), 5, attrs);
}

TEST(InterpreterTest, Conv2DPlain) {
  InterpFixture f;
  // 2x2 windows of [[1,2,3],[4,5,6],[7,8,9]]: 1+2+4+5, 2+3+5+6, ...
  Tensor y = f.runOne(withAttrs(kConv, ""), {iota({1, 1, 3, 3})});
  expectValues(y, {1, 1, 2, 2}, {12, 16, 24, 28});
}

TEST(InterpreterTest, Conv2DStrideAndPadding) {
  InterpFixture f;
  // Padded by 1, stride 2: windows cover rows/cols {-1,0} and {1,2}:
  // 1; 2+3; 4+7; 5+6+8+9.
  Tensor y = f.runOne(
      withAttrs(
          kConv,
          "{stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}"),
      {iota({1, 1, 3, 3})});
  expectValues(y, {1, 1, 2, 2}, {1, 5, 11, 28});
}

TEST(InterpreterTest, Conv2DAsymmetricPadding) {
  InterpFixture f;
  // Padding top 0, left 0, bottom 1, right 1, stride 2: windows rows
  // {0,1},{2,3} and cols {0,1},{2,3}: 1+2+4+5, 3+6, 7+8, 9.
  Tensor y = f.runOne(
      withAttrs(
          kConv,
          "{stride = array<i64: 2, 2>, padding = array<i64: 0, 0, 1, 1>}"),
      {iota({1, 1, 3, 3})});
  expectValues(y, {1, 1, 2, 2}, {12, 9, 15, 9});
}

TEST(InterpreterTest, Conv2DDilation) {
  InterpFixture f;
  // Dilation 2 picks the corners: 1 + 3 + 7 + 9.
  Tensor y = f.runOne(R"mlir(
    func.func @f(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x1x1xf32> {
      %w = arith.constant dense<1.0> : tensor<1x1x2x2xf32>
      %y = nn.conv2d %x, %w {dilation = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32>
      return %y : tensor<1x1x1x1xf32>
    })mlir",
                      {iota({1, 1, 3, 3})});
  expectValues(y, {1, 1, 1, 1}, {20});
}

TEST(InterpreterTest, Conv2DGroupsAndBias) {
  InterpFixture f;
  // Depthwise 1x1: channel 0 times 2 plus 1, channel 1 times 3 minus 1.
  Tensor y = f.runOne(R"mlir(
    func.func @f(%x: tensor<1x2x1x2xf32>) -> tensor<1x2x1x2xf32> {
      %w = arith.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
      %b = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
      %y = nn.conv2d %x, %w, %b {groups = 2} : (tensor<1x2x1x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x1x2xf32>
      return %y : tensor<1x2x1x2xf32>
    })mlir",
                      {iota({1, 2, 1, 2})});
  expectValues(y, {1, 2, 1, 2}, {3, 5, 8, 11});
}

TEST(InterpreterTest, BatchNorm) {
  InterpFixture f;
  // eps 1, var 3: sqrt(4) = 2. ch0: (1 - 1) / 2 * 1 + 0 = 0;
  // ch1: (2 - 0) / 2 * 2 + 1 = 3.
  Tensor y = f.runOne(R"mlir(
    func.func @f(%x: tensor<1x2x1x1xf32>) -> tensor<1x2x1x1xf32> {
      %w = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
      %b = arith.constant dense<[0.0, 1.0]> : tensor<2xf32>
      %m = arith.constant dense<[1.0, 0.0]> : tensor<2xf32>
      %v = arith.constant dense<3.0> : tensor<2xf32>
      %y = nn.batch_norm %x, %w, %b, %m, %v {eps = 1.0 : f32} : (tensor<1x2x1x1xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x1x1xf32>
      return %y : tensor<1x2x1x1xf32>
    })mlir",
                      {iota({1, 2, 1, 1})});
  expectValues(y, {1, 2, 1, 1}, {0, 3});
}

TEST(InterpreterTest, LayerNormPopulationVariance) {
  InterpFixture f;
  // [1, 2, 3, 4]: mean 2.5, population variance 1.25, + eps 0.75 = 2:
  // (x - 2.5) / sqrt(2) * [1, 1, 2, 1] + [0, 0, 0, 1].
  Tensor y = f.runOne(R"mlir(
    func.func @f(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
      %w = arith.constant dense<[1.0, 1.0, 2.0, 1.0]> : tensor<4xf32>
      %b = arith.constant dense<[0.0, 0.0, 0.0, 1.0]> : tensor<4xf32>
      %y = nn.layer_norm %x, %w, %b {eps = 0.75 : f32} : (tensor<1x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
      return %y : tensor<1x4xf32>
    })mlir",
                      {iota({1, 4})});
  double s = std::sqrt(2.0);
  expectValues(y, {1, 4}, {-1.5 / s, -0.5 / s, 2 * 0.5 / s, 1.5 / s + 1});
}

const char *kPool = R"mlir(
  func.func @f(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32> {
    %y = nn.OP %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1> EXTRA} : tensor<1x1x3x3xf32> -> tensor<1x1x2x2xf32>
    return %y : tensor<1x1x2x2xf32>
  })mlir";

std::string pool(const std::string &op, const std::string &extra = "") {
  std::string s = kPool;
  s.replace(s.find("OP"), 2, op);
  s.replace(s.find("EXTRA"), 5, extra);
  return s;
}

TEST(InterpreterTest, MaxPoolPadsWithMinusInfinity) {
  InterpFixture f;
  // Windows {-1,0}x{-1,0}, {-1,0}x{1,2}, {1,2}x{-1,0}, {1,2}x{1,2} of
  // -[1..9]: a zero padding would give 0 everywhere but the last.
  Tensor x = iota({1, 1, 3, 3});
  for (double &v : x.data)
    v = -v;
  Tensor y = f.runOne(pool("max_pool2d"), {x});
  expectValues(y, {1, 1, 2, 2}, {-1, -2, -4, -5});
}

TEST(InterpreterTest, MaxPoolPropagatesNaN) {
  InterpFixture f;
  Tensor x = iota({1, 1, 3, 3});
  x.data[4] = NAN; // the centre, in the last window only
  Tensor y = f.runOne(pool("max_pool2d"), {x});
  expectValues(y, {1, 1, 2, 2}, {1, 3, 7, NAN});
}

TEST(InterpreterTest, AvgPoolCountIncludePad) {
  InterpFixture f;
  // Sums 1, 2+3, 4+7, 5+6+8+9 over 4 (padding counted) or over the real
  // elements 1, 2, 2, 4.
  Tensor with = f.runOne(pool("avg_pool2d"), {iota({1, 1, 3, 3})});
  expectValues(with, {1, 1, 2, 2}, {0.25, 1.25, 2.75, 7});
  InterpFixture g;
  Tensor without = g.runOne(pool("avg_pool2d", ", count_include_pad = false"),
                            {iota({1, 1, 3, 3})});
  expectValues(without, {1, 1, 2, 2}, {1, 2.5, 5.5, 7});
}

TEST(InterpreterTest, GlobalAvgPool) {
  InterpFixture f;
  Tensor x({1, 2, 2, 2}, {1, 2, 3, 4, 10, 20, 30, 40});
  Tensor y = f.runOne(R"mlir(
    func.func @f(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x1x1xf32> {
      %y = nn.global_avg_pool2d %x : tensor<1x2x2x2xf32> -> tensor<1x2x1x1xf32>
      return %y : tensor<1x2x1x1xf32>
    })mlir",
                      {x});
  expectValues(y, {1, 2, 1, 1}, {2.5, 25});
}

TEST(InterpreterTest, BroadcastAddSubMul) {
  InterpFixture f;
  // a [2, 1] = [[1], [2]], b [3] = [10, 20, 30].
  std::optional<std::vector<Tensor>> r =
      f.run(R"mlir(
    func.func @f(%a: tensor<2x1xf32>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
      %s = nn.add %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
      %d = nn.sub %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
      %p = nn.mul %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
      return %s, %d, %p : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
    })mlir",
            {Tensor({2, 1}, {1, 2}), Tensor({3}, {10, 20, 30})});
  ASSERT_TRUE(r) << f.diagnostics;
  expectValues((*r)[0], {2, 3}, {11, 21, 31, 12, 22, 32});
  expectValues((*r)[1], {2, 3}, {-9, -19, -29, -8, -18, -28});
  expectValues((*r)[2], {2, 3}, {10, 20, 30, 20, 40, 60});
}

TEST(InterpreterTest, MatmulBroadcastsBatch) {
  InterpFixture f;
  // [2, 1, 3] x [3, 2]: row [1, 2, 3] and [4, 5, 6] times [[1, 0], [0, 1],
  // [1, 1]] = [1 + 3, 2 + 3] and [4 + 6, 5 + 6].
  Tensor y = f.runOne(R"mlir(
    func.func @f(%a: tensor<2x1x3xf32>) -> tensor<2x1x2xf32> {
      %b = arith.constant dense<[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]> : tensor<3x2xf32>
      %y = nn.matmul %a, %b : (tensor<2x1x3xf32>, tensor<3x2xf32>) -> tensor<2x1x2xf32>
      return %y : tensor<2x1x2xf32>
    })mlir",
                      {iota({2, 1, 3})});
  expectValues(y, {2, 1, 2}, {4, 5, 10, 11});
}

TEST(InterpreterTest, TransposeFlattenReshapeConcat) {
  InterpFixture f;
  std::optional<std::vector<Tensor>> r =
      f.run(R"mlir(
    func.func @f(%x: tensor<2x3xf32>, %z: tensor<2x2xf32>) -> (tensor<3x2xf32>, tensor<1x6xf32>, tensor<3x2xf32>, tensor<2x5xf32>) {
      %t = nn.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
      %fl = nn.flatten %x {axis = 0} : tensor<2x3xf32> -> tensor<1x6xf32>
      %r = nn.reshape %x {shape = array<i64: -1, 2>} : tensor<2x3xf32> -> tensor<3x2xf32>
      %c = nn.concat %x, %z {axis = 1} : (tensor<2x3xf32>, tensor<2x2xf32>) -> tensor<2x5xf32>
      return %t, %fl, %r, %c : tensor<3x2xf32>, tensor<1x6xf32>, tensor<3x2xf32>, tensor<2x5xf32>
    })mlir",
            {iota({2, 3}), iota({2, 2}, 10)});
  ASSERT_TRUE(r) << f.diagnostics;
  expectValues((*r)[0], {3, 2}, {1, 4, 2, 5, 3, 6});
  expectValues((*r)[1], {1, 6}, {1, 2, 3, 4, 5, 6});
  expectValues((*r)[2], {3, 2}, {1, 2, 3, 4, 5, 6});
  expectValues((*r)[3], {2, 5}, {1, 2, 3, 10, 11, 4, 5, 6, 12, 13});
}

TEST(InterpreterTest, FlattenAtAxis2) {
  InterpFixture f;
  Tensor y = f.runOne(R"mlir(
    func.func @f(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
      %y = nn.flatten %x {axis = 2} : tensor<2x3x4xf32> -> tensor<6x4xf32>
      return %y : tensor<6x4xf32>
    })mlir",
                      {iota({2, 3, 4})});
  EXPECT_EQ(y.shape, (std::vector<int64_t>{6, 4}));
  EXPECT_EQ(y.data, iota({24}).data);
}

TEST(InterpreterTest, PReluPerChannel) {
  InterpFixture f;
  // Channel 0 slope 0.5, channel 1 slope -2 (applied to negatives only).
  Tensor x({1, 2, 2}, {-2, 3, -1, 4});
  Tensor y = f.runOne(R"mlir(
    func.func @f(%x: tensor<1x2x2xf32>) -> tensor<1x2x2xf32> {
      %s = arith.constant dense<[0.5, -2.0]> : tensor<2xf32>
      %y = nn.prelu %x, %s : (tensor<1x2x2xf32>, tensor<2xf32>) -> tensor<1x2x2xf32>
      return %y : tensor<1x2x2xf32>
    })mlir",
                      {x});
  expectValues(y, {1, 2, 2}, {-1, 3, 2, 4});
}

//===----------------------------------------------------------------------===//
// Activations through the IR (attributes reach the formulas)
//===----------------------------------------------------------------------===//

TEST(InterpreterTest, ActivationAttributes) {
  InterpFixture f;
  Tensor x({4}, {-2, -0.5, 0.5, 8});
  std::optional<std::vector<Tensor>> r = f.run(R"mlir(
    func.func @f(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
      %a = nn.leaky_relu %x {alpha = 0.25 : f32} : tensor<4xf32>
      %b = nn.leaky_relu6 %x {alpha = 0.5 : f32, cap = 4.0 : f32} : tensor<4xf32>
      %c = nn.clip %x {lo = -1.0 : f32, hi = 0.75 : f32} : tensor<4xf32>
      %d = nn.thresholded_relu %x {alpha = 0.5 : f32} : tensor<4xf32>
      %e = nn.hard_sigmoid %x {alpha = 0.25 : f32, beta = 0.5 : f32} : tensor<4xf32>
      %g = nn.softplus %x {beta = 2.0 : f32, threshold = 10.0 : f32} : tensor<4xf32>
      return %a, %b, %c, %d, %e, %g : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
    })mlir",
                                               {x});
  ASSERT_TRUE(r) << f.diagnostics;
  expectValues((*r)[0], {4}, {-0.5, -0.125, 0.5, 8});
  expectValues((*r)[1], {4}, {-1, -0.25, 0.5, 4});
  expectValues((*r)[2], {4}, {-1, -0.5, 0.5, 0.75});
  expectValues((*r)[3], {4}, {0, 0, 0, 8}); // 0.5 > 0.5 is false
  expectValues((*r)[4], {4}, {0, 0.375, 0.625, 1});
  // softplus beta 2: log(1 + exp(2x)) / 2; at 8, 2x = 16 > 10: x.
  expectValues((*r)[5], {4},
               {std::log1p(std::exp(-4.0)) / 2, std::log1p(std::exp(-1.0)) / 2,
                (1 + std::log1p(std::exp(-1.0))) / 2, 8});
}

TEST(InterpreterTest, SoftmaxAlongAxis) {
  InterpFixture f;
  // Axis 0 of [[0, ln 3], [0, 0]]: columns [0, 0] -> [0.5, 0.5] and
  // [ln 3, 0] -> [3/4, 1/4].
  Tensor x({2, 2}, {0, std::log(3.0), 0, 0});
  std::optional<std::vector<Tensor>> r = f.run(R"mlir(
    func.func @f(%x: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
      %s = nn.softmax %x {axis = 0} : tensor<2x2xf32>
      %l = nn.log_softmax %x : tensor<2x2xf32>
      return %s, %l : tensor<2x2xf32>, tensor<2x2xf32>
    })mlir",
                                               {x});
  ASSERT_TRUE(r) << f.diagnostics;
  expectValues((*r)[0], {2, 2}, {0.5, 0.75, 0.5, 0.25});
  // Last axis: row [0, ln 3] -> log([1/4, 3/4]); row [0, 0] -> log(1/2).
  expectValues((*r)[1], {2, 2},
               {std::log(0.25), std::log(0.75), std::log(0.5), std::log(0.5)});
}

TEST(InterpreterTest, GeluApproximations) {
  InterpFixture f;
  Tensor x({1}, {1});
  std::optional<std::vector<Tensor>> r = f.run(R"mlir(
    func.func @f(%x: tensor<1xf32>) -> (tensor<1xf32>, tensor<1xf32>) {
      %a = nn.gelu %x : tensor<1xf32>
      %b = nn.gelu %x {approximate = "tanh"} : tensor<1xf32>
      return %a, %b : tensor<1xf32>, tensor<1xf32>
    })mlir",
                                               {x});
  ASSERT_TRUE(r) << f.diagnostics;
  // Phi(1) = 0.841344746068543; tanh form 0.5 (1 + tanh(0.79788456 *
  // 1.044715)) = 0.841191990608276.
  expectValues((*r)[0], {1}, {0.8413447460685429});
  expectValues((*r)[1], {1}, {0.8411919906082768});
}

//===----------------------------------------------------------------------===//
// Parameters, constants, dynamic dims
//===----------------------------------------------------------------------===//

TEST(InterpreterTest, ParamsFromWeightMap) {
  InterpFixture f;
  actc::weights::WeightMap weights;
  weights["fc.weight"] = {{1, 2}, {3, -1}};
  weights["fc.bias"] = {{1}, {0.5}};
  f.interp.setWeights(&weights);
  Tensor y = f.runOne(R"mlir(
    func.func @f(%x: tensor<?x2xf32>) -> tensor<?x1xf32> {
      %w = nn.param "fc.weight" : tensor<1x2xf32>
      %b = nn.param "fc.bias" : tensor<1xf32>
      %y = nn.dense %x, %w, %b : (tensor<?x2xf32>, tensor<1x2xf32>, tensor<1xf32>) -> tensor<?x1xf32>
      return %y : tensor<?x1xf32>
    })mlir",
                      {Tensor({2, 2}, {1, 1, 2, 0})});
  // [3 - 1 + 0.5, 6 + 0.5]
  expectValues(y, {2, 1}, {2.5, 6.5});
}

TEST(InterpreterTest, MissingParamIsAnError) {
  InterpFixture f;
  actc::weights::WeightMap weights;
  f.interp.setWeights(&weights);
  EXPECT_FALSE(f.run(R"mlir(
    func.func @f() -> tensor<1xf32> {
      %w = nn.param "fc.bias" : tensor<1xf32>
      return %w : tensor<1xf32>
    })mlir",
                     {}));
  EXPECT_EQ(f.diagnostics,
            "'nn.param' op reads 'fc.bias', which the weights do not hold\n");
}

TEST(InterpreterTest, DenseResourceConstant) {
  InterpFixture f;
  // The blob: 4-byte alignment header, then 1.0f, -2.0f little-endian.
  Tensor y = f.runOne(R"mlir(
    func.func @f() -> tensor<2xf32> {
      %c = arith.constant dense_resource<w0> : tensor<2xf32>
      return %c : tensor<2xf32>
    }
    {-#
      dialect_resources: {
        builtin: {
          w0: "0x040000000000803F000000C0"
        }
      }
    #-})mlir",
                      {});
  expectValues(y, {2}, {1, -2});
}

TEST(InterpreterTest, DynamicDimsComeFromInputs) {
  InterpFixture f;
  Tensor y = f.runOne(R"mlir(
    func.func @f(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
      %y = nn.relu %x : tensor<?x?xf32>
      return %y : tensor<?x?xf32>
    })mlir",
                      {Tensor({3, 1}, {-1, 0, 2})});
  expectValues(y, {3, 1}, {0, 0, 2});
}

TEST(InterpreterTest, InputShapeMismatchIsAnError) {
  InterpFixture f;
  EXPECT_FALSE(f.run(R"mlir(
    func.func @f(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
      return %x : tensor<?x2xf32>
    })mlir",
                     {Tensor({2, 3}, {1, 2, 3, 4, 5, 6})}));
  EXPECT_EQ(f.diagnostics, "'func.func' op input 0 has shape [2, 3], but the "
                           "argument's type is 'tensor<?x2xf32>'\n");
}

TEST(InterpreterTest, NamedDimsMustAgree) {
  InterpFixture f;
  EXPECT_FALSE(f.run(R"mlir(
    func.func @f(%a: tensor<?xf32> {nn.dims = ["batch"]}, %b: tensor<?xf32> {nn.dims = ["batch"]}) -> tensor<?xf32> {
      return %a : tensor<?xf32>
    })mlir",
                     {Tensor({2}, {1, 2}), Tensor({3}, {1, 2, 3})}));
  EXPECT_EQ(f.diagnostics, "'func.func' op input 1 has batch = 3, but input "
                           "0 has batch = 2\n");
}

//===----------------------------------------------------------------------===//
// arith and math, and the extension hook
//===----------------------------------------------------------------------===//

TEST(InterpreterTest, ArithMathScalarsInDouble) {
  InterpFixture f;
  // exp(x) - 1 at 1e-10 in double is 1.00000000005e-10 (f32 would give 0).
  std::optional<std::vector<Tensor>> r =
      f.run(R"mlir(
    func.func @f(%x: f32, %y: f32) -> (f32, f32, f32, i1, f32) {
      %one = arith.constant 1.0 : f32
      %e = math.exp %x : f32
      %d = arith.subf %e, %one : f32
      %m = math.expm1 %x : f32
      %mx = arith.maximumf %y, %x : f32
      %c = arith.cmpf olt, %x, %y : f32
      %s = arith.select %c, %x, %y : f32
      return %d, %m, %mx, %c, %s : f32, f32, f32, i1, f32
    })mlir",
            {Tensor::scalar(1e-10), Tensor::scalar(NAN)});
  ASSERT_TRUE(r) << f.diagnostics;
  EXPECT_NEAR((*r)[0].data[0], 1.00000000005e-10, 1e-16);
  EXPECT_NEAR((*r)[1].data[0], 1.00000000005e-10, 1e-24);
  EXPECT_TRUE(std::isnan((*r)[2].data[0])); // maximumf propagates NaN
  EXPECT_EQ((*r)[3].data[0], 0.0);          // olt with NaN is false
  EXPECT_TRUE(std::isnan((*r)[4].data[0]));
}

TEST(InterpreterTest, ArithOnTensors) {
  InterpFixture f;
  Tensor y = f.runOne(R"mlir(
    func.func @f(%x: tensor<3xf32>) -> tensor<3xf32> {
      %h = arith.constant dense<0.5> : tensor<3xf32>
      %a = arith.mulf %x, %h : tensor<3xf32>
      %b = math.tanh %a : tensor<3xf32>
      %c = math.absf %b : tensor<3xf32>
      return %c : tensor<3xf32>
    })mlir",
                      {Tensor({3}, {-2, 0, 2})});
  expectValues(y, {3}, {std::tanh(1.0), 0, std::tanh(1.0)});
}

TEST(InterpreterTest, ExtensionHookRunsOtherDialects) {
  InterpFixture f;
  f.context.allowUnregisteredDialects();
  // "test.map" applies its scalar body to every element; the body's last op
  // ("test.yield") ends it.
  f.interp.registry().add("test.map", [](OpCall &call) {
    Tensor y = call.operand(0);
    for (double &v : y.data) {
      mlir::FailureOr<std::vector<Tensor>> r =
          call.interp.runRegion(call.op->getRegion(0), {Tensor::scalar(v)});
      if (mlir::failed(r))
        return mlir::failure();
      v = (*r)[0].data[0];
    }
    call.results.push_back(std::move(y));
    return mlir::success();
  });
  Tensor y = f.runOne(R"mlir(
    func.func @f(%x: tensor<3xf32>, %k: f32) -> tensor<3xf32> {
      %y = "test.map"(%x) ({
      ^bb0(%a: f32):
        %b = arith.mulf %a, %a : f32
        %c = arith.addf %b, %k : f32
        "test.yield"(%c) : (f32) -> ()
      }) : (tensor<3xf32>) -> tensor<3xf32>
      return %y : tensor<3xf32>
    })mlir",
                      {Tensor({3}, {1, 2, 3}), Tensor::scalar(0.5)});
  // x * x + k, with k from the enclosing block.
  expectValues(y, {3}, {1.5, 4.5, 9.5});
}

TEST(InterpreterTest, OverridingABuiltinHandler) {
  InterpFixture f;
  f.interp.registry().add("nn.relu", [](OpCall &call) {
    call.results.push_back(Tensor::filled(call.operand(0).shape, 7));
    return mlir::success();
  });
  Tensor y = f.runOne(R"mlir(
    func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
      %y = nn.relu %x : tensor<2xf32>
      return %y : tensor<2xf32>
    })mlir",
                      {Tensor({2}, {-1, 1})});
  expectValues(y, {2}, {7, 7});
}

TEST(InterpreterTest, UnknownOpIsAnError) {
  InterpFixture f;
  f.context.allowUnregisteredDialects();
  EXPECT_FALSE(f.run(R"mlir(
    func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
      %y = "kern.mystery"(%x) : (tensor<2xf32>) -> tensor<2xf32>
      return %y : tensor<2xf32>
    })mlir",
                     {Tensor({2}, {1, 2})}));
  EXPECT_EQ(f.diagnostics, "'kern.mystery' op has no handler in the reference "
                           "interpreter\n");
}

//===----------------------------------------------------------------------===//
// Rounding and comparison
//===----------------------------------------------------------------------===//

TEST(TensorTest, UlpError) {
  // The float32 spacing is 2^-23 in [1, 2), 2^-22 in [2, 4), 2^-149 for
  // denormals.
  EXPECT_EQ(ulpError(1.0, 1.0 + std::ldexp(1.0, -23)), 1.0);
  EXPECT_EQ(ulpError(1.5, 1.5 - std::ldexp(1.0, -22)), 2.0);
  EXPECT_EQ(ulpError(-3.0, -3.0 + std::ldexp(1.0, -22)), 1.0);
  EXPECT_EQ(ulpError(std::ldexp(1.0, -140),
                     std::ldexp(1.0, -140) + 3 * std::ldexp(1.0, -149)),
            3.0);
  EXPECT_EQ(ulpError(INFINITY, INFINITY), 0.0);
  EXPECT_TRUE(std::isinf(ulpError(1e38, INFINITY)));
  EXPECT_TRUE(std::isnan(ulpError(NAN, 1)));
  EXPECT_EQ(ulpError(0.0, -0.0), 0.0);
}

TEST(TensorTest, RoundToF32) {
  Tensor t({3}, {0.1, 1e39, 1e-46});
  Tensor r = roundToF32(t);
  EXPECT_EQ(r.data[0], double(0.1f));
  EXPECT_TRUE(std::isinf(r.data[1]));
  EXPECT_EQ(r.data[2], 0.0); // below half the smallest denormal
}

TEST(TensorTest, CompareReportsErrorsAndNaNPositions) {
  Tensor e({4}, {1, 2, NAN, INFINITY});
  Tensor a({4}, {1.001, 2, NAN, INFINITY});
  Comparison c = compareTensors(e, a, {0, 1e-2});
  EXPECT_TRUE(c.ok());
  EXPECT_NEAR(c.maxAbsError, 0.001, 1e-12);
  EXPECT_NEAR(c.maxRelError, 0.001, 1e-12);
  EXPECT_EQ(c.worstIndex, 0);
  Tensor b({4}, {1, 2, 0, INFINITY});
  Comparison d = compareTensors(e, b);
  EXPECT_FALSE(d.ok());
  EXPECT_EQ(d.nanMismatches, 1);
  Tensor inf({4}, {1, 2, NAN, -INFINITY});
  EXPECT_TRUE(std::isinf(compareTensors(e, inf).maxAbsError));
  EXPECT_FALSE(compareTensors(e, Tensor({2, 2}, e.data)).shapesMatch);
  EXPECT_EQ(c.summary(e.shape),
            "max abs error 0.001 at [0], max rel error 0.001, max 8.39e+03 "
            "ulp, 0 NaN mismatches, 0 of 4 outside the tolerance");
}

} // namespace
