// SPDX-License-Identifier: Apache-2.0
//
// Tests of the nn op rules (dialects/NN/Rules): result shapes, parameter
// shapes, attribute checks and their messages. Expected values come from the
// ops' definitions (PyTorch/ONNX semantics, SPEC.md), not from the code.

#include "dialects/NN/Rules/OpRules.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace actc::rules;

namespace {

constexpr Dim kBatch = -2; // the first named dim
const DimNames kNames = {"batch", "n"};
constexpr Dim kN = -3;

std::string messageOf(const ShapeResult &r) {
  return r.ok() ? "<ok>" : r.failure().message;
}

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

TEST(OpRulesTest, FormatShape) {
  EXPECT_EQ(formatShape({1, 3, 64, 64}), "[1, 3, 64, 64]");
  EXPECT_EQ(formatShape({kBatch, 784}, kNames), "[batch, 784]");
  EXPECT_EQ(formatShape({kBatch, kDynamic}, kNames), "[batch, ?]");
  EXPECT_EQ(formatShape({kBatch}), "[?]");     // no names given
  EXPECT_EQ(formatShape({-9}, kNames), "[?]"); // past the names
  EXPECT_EQ(formatShape({}), "[]");
}

TEST(OpRulesTest, CheckTensorShape) {
  EXPECT_FALSE(checkTensorShape({1, 2, 3}));
  EXPECT_FALSE(checkTensorShape({kBatch, 784}, kNames));
  EXPECT_FALSE(checkTensorShape({int64_t(1) << 20, int64_t(1) << 20}));
  auto zero = checkTensorShape({2, 0});
  ASSERT_TRUE(zero);
  EXPECT_EQ(zero->message,
            "expected dimension 1 to be a positive size or a name, found 0 "
            "in [2, 0]");
  auto big = checkTensorShape({int64_t(1) << 20, int64_t(1) << 20, 2});
  ASSERT_TRUE(big);
  EXPECT_EQ(big->message, "expected at most 1099511627776 elements in a "
                          "tensor, found [1048576, 1048576, 2]");
  // Products that overflow int64 are caught, not wrapped.
  int64_t huge = int64_t(1) << 62;
  EXPECT_TRUE(checkTensorShape({huge, huge, huge}));
  EXPECT_TRUE(checkTensorShape({}));
}

//===----------------------------------------------------------------------===//
// dense
//===----------------------------------------------------------------------===//

TEST(OpRulesTest, Dense) {
  EXPECT_EQ(inferDense({2, 784}, 10).value(), (Shape{2, 10}));
  EXPECT_EQ(inferDense({784}, 10).value(), (Shape{10}));
  EXPECT_EQ(inferDense({kBatch, 7, 784}, 3, kNames).value(),
            (Shape{kBatch, 7, 3}));
  EXPECT_EQ(messageOf(inferDense({}, 10)),
            "dense expects an input of rank >= 1, found rank 0 ([])");
  auto dyn = inferDense({kBatch, kN}, 3, kNames);
  EXPECT_EQ(messageOf(dyn), "dense expects a static last dimension (the "
                            "input features), found n in [batch, n]");
  EXPECT_EQ(dyn.failure().blame.kind, Blame::Operand);
  auto units = inferDense({2, 4}, 0);
  EXPECT_EQ(messageOf(units), "dense expects units >= 1, found 0");
  EXPECT_EQ(units.failure().blame.kind, Blame::Attribute);
  EXPECT_EQ(units.failure().blame.attribute, "units");
  // A weight of 2^21 x 2^20 elements is over the limit.
  EXPECT_FALSE(inferDense({2, int64_t(1) << 20}, int64_t(1) << 21).ok());
}

TEST(OpRulesTest, DenseParams) {
  auto p = denseParams({2, 784}, 10, true);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].suffix, "weight");
  EXPECT_EQ(p[0].shape, (Shape{10, 784}));
  EXPECT_EQ(p[0].init, ParamInit::Uniform);
  EXPECT_EQ(p[0].fanIn, 784);
  EXPECT_EQ(p[1].suffix, "bias");
  EXPECT_EQ(p[1].shape, (Shape{10}));
  EXPECT_EQ(p[1].fanIn, 784);
  EXPECT_EQ(denseParams({2, 784}, 10, false).size(), 1u);
}

//===----------------------------------------------------------------------===//
// conv2d, pools, same padding
//===----------------------------------------------------------------------===//

Conv2DAttrs conv(int64_t filters, int64_t k, int64_t s = 1, int64_t p = 0,
                 int64_t d = 1, int64_t g = 1) {
  Conv2DAttrs a;
  a.filters = filters;
  a.kernel = {k, k};
  a.stride = {s, s};
  a.padding = {p, p, p, p};
  a.dilation = {d, d};
  a.groups = g;
  return a;
}

TEST(OpRulesTest, Conv2DShapes) {
  // out = floor((in + pads - dilation*(k-1) - 1) / stride) + 1 (PyTorch).
  EXPECT_EQ(inferConv2D({1, 3, 64, 64}, conv(16, 3, 1, 1)).value(),
            (Shape{1, 16, 64, 64}));
  EXPECT_EQ(inferConv2D({1, 3, 64, 64}, conv(16, 3, 2, 1)).value(),
            (Shape{1, 16, 32, 32}));
  EXPECT_EQ(inferConv2D({1, 3, 7, 7}, conv(8, 3, 2)).value(),
            (Shape{1, 8, 3, 3}));
  EXPECT_EQ(inferConv2D({1, 3, 10, 10}, conv(8, 3, 1, 0, 2)).value(),
            (Shape{1, 8, 6, 6}));
  Conv2DAttrs asym = conv(4, 1);
  asym.kernel = {3, 1};
  asym.padding = {0, 0, 1, 0}; // bottom only
  EXPECT_EQ(inferConv2D({2, 1, 5, 5}, asym).value(), (Shape{2, 4, 4, 5}));
  // A dynamic size stays the same named dim only for a size-preserving window.
  EXPECT_EQ(inferConv2D({kBatch, 3, kN, 8}, conv(4, 3, 1, 1), kNames).value(),
            (Shape{kBatch, 4, kN, 8}));
  EXPECT_EQ(inferConv2D({kBatch, 3, kN, 8}, conv(4, 3, 2, 1), kNames).value(),
            (Shape{kBatch, 4, kDynamic, 4}));
}

TEST(OpRulesTest, Conv2DErrors) {
  EXPECT_EQ(messageOf(inferConv2D({1, 784}, conv(8, 3))),
            "conv2d expects an input of rank 4 [N, C, H, W], found rank 2 "
            "([1, 784])");
  EXPECT_EQ(messageOf(inferConv2D({1, kN, 8, 8}, conv(8, 3), kNames)),
            "conv2d expects a static channel dimension, found n in [1, n, 8, "
            "8]");
  auto groups = inferConv2D({1, 16, 8, 8}, conv(6, 3, 1, 0, 1, 3));
  EXPECT_EQ(messageOf(groups), "conv2d expects groups to divide the input "
                               "channels, found groups=3 and 16 channels in "
                               "[1, 16, 8, 8]");
  EXPECT_EQ(groups.failure().blame.attribute, "groups");
  EXPECT_EQ(messageOf(inferConv2D({1, 6, 8, 8}, conv(8, 3, 1, 0, 1, 3))),
            "conv2d expects groups to divide filters, found groups=3 and "
            "filters=8");
  auto big = inferConv2D({1, 3, 4, 4}, conv(8, 5));
  EXPECT_EQ(messageOf(big), "conv2d expects a kernel that fits in the padded "
                            "input, found kernel 5x5 on input [1, 3, 4, 4] "
                            "with padding [0, 0, 0, 0]");
  EXPECT_EQ(big.failure().blame.attribute, "kernel");
  // The same kernel fits once padded.
  EXPECT_TRUE(inferConv2D({1, 3, 4, 4}, conv(8, 5, 1, 1)).ok());
  EXPECT_EQ(messageOf(inferConv2D({1, 3, 8, 8}, conv(8, 3, 0))),
            "conv2d expects stride >= 1, found 0");
  EXPECT_EQ(messageOf(inferConv2D({1, 3, 8, 8}, conv(8, 3, 1, -1))),
            "conv2d expects padding >= 0, found -1");
  EXPECT_EQ(messageOf(inferConv2D({1, 3, 8, 8}, conv(0, 3))),
            "conv2d expects filters >= 1, found 0");
  EXPECT_EQ(messageOf(inferConv2D({1, 3, 8, 8}, conv(8, int64_t(1) << 31))),
            "conv2d expects kernel <= 1073741824, found 2147483648");
  // Huge dilation * kernel does not overflow.
  EXPECT_FALSE(
      inferConv2D({1, 3, 8, 8}, conv(8, kMaxWindow, 1, 0, kMaxWindow)).ok());
  // A weight past the element limit.
  EXPECT_FALSE(
      inferConv2D({1, 1024, 1024, 1024}, conv(int64_t(1) << 20, 1024)).ok());
}

TEST(OpRulesTest, Conv2DParams) {
  auto p = conv2DParams({1, 16, 8, 8}, conv(32, 3, 1, 1, 1, 4), true);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].shape, (Shape{32, 4, 3, 3}));
  EXPECT_EQ(p[0].fanIn, 4 * 3 * 3);
  EXPECT_EQ(p[1].shape, (Shape{32}));
  EXPECT_EQ(conv2DParams({1, 16, 8, 8}, conv(32, 3), false).size(), 1u);
}

TEST(OpRulesTest, SamePaddingExamples) {
  // in 8, k 3, s 2: out 4, total (4-1)*2 + 3 - 8 = 1, odd one at the end.
  auto p = samePadding({1, 1, 8, 8}, {3, 3}, {2, 2}, {1, 1});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value(), (std::array<int64_t, 4>{0, 0, 1, 1}));
  // in 5, k 4, s 1: total 3 -> 1 before, 2 after.
  EXPECT_EQ(samePadding({1, 1, 5, 5}, {4, 4}, {1, 1}, {1, 1}).value(),
            (std::array<int64_t, 4>{1, 1, 2, 2}));
  // Different axes: H in 7 k 3 s 2 -> total 2; W in 6 k 1 s 3 -> total 0.
  EXPECT_EQ(samePadding({1, 1, 7, 6}, {3, 1}, {2, 3}, {1, 1}).value(),
            (std::array<int64_t, 4>{1, 0, 1, 0}));
  // Stride larger than the kernel can need no padding at all.
  EXPECT_EQ(samePadding({1, 1, 9, 9}, {2, 2}, {3, 3}, {1, 1}).value(),
            (std::array<int64_t, 4>{0, 0, 0, 0}));
  // Dilation: effective kernel 5, stride 1 -> total 4.
  EXPECT_EQ(samePadding({1, 1, 9, 9}, {3, 3}, {1, 1}, {2, 2}).value(),
            (std::array<int64_t, 4>{2, 2, 2, 2}));
  // Dynamic spatial dims work for stride 1 only.
  EXPECT_EQ(samePadding({1, 1, kN, 4}, {3, 3}, {1, 1}, {1, 1}, kNames).value(),
            (std::array<int64_t, 4>{1, 1, 1, 1}));
  auto dyn = samePadding({1, 1, kN, 4}, {3, 3}, {2, 2}, {1, 1}, kNames);
  ASSERT_FALSE(dyn.ok());
  EXPECT_EQ(dyn.failure().message,
            "padding=\"same\" with stride 2x2 expects static spatial "
            "dimensions, found [1, 1, n, 4]");
  EXPECT_EQ(dyn.failure().blame.attribute, "padding");
  EXPECT_FALSE(samePadding({1, 8}, {3, 3}, {1, 1}, {1, 1}).ok());
}

TEST(OpRulesTest, SamePaddingGivesCeilInOverStride) {
  for (int64_t in = 1; in <= 20; ++in)
    for (int64_t k = 1; k <= 5; ++k)
      for (int64_t s = 1; s <= 4; ++s)
        for (int64_t d = 1; d <= 2; ++d) {
          auto pads = samePadding({1, 1, in, in}, {k, k}, {s, s}, {d, d});
          ASSERT_TRUE(pads.ok());
          auto p = pads.value();
          EXPECT_TRUE(p[2] == p[0] || p[2] == p[0] + 1)
              << "odd padding goes at the end";
          auto out =
              inferConv2D({1, 1, in, in}, {1, {k, k}, {s, s}, {d, d}, p, 1});
          ASSERT_TRUE(out.ok()) << out.failure().message;
          EXPECT_EQ(out.value()[2], (in + s - 1) / s)
              << "in " << in << " k " << k << " s " << s << " d " << d;
        }
}

TEST(OpRulesTest, Pool2D) {
  Pool2DAttrs a;
  a.kernel = {2, 2};
  a.stride = {2, 2};
  EXPECT_EQ(inferPool2D("max_pool2d", {1, 16, 64, 64}, a).value(),
            (Shape{1, 16, 32, 32}));
  EXPECT_EQ(inferPool2D("max_pool2d", {1, 16, 5, 5}, a).value(),
            (Shape{1, 16, 2, 2})); // floor mode
  a.kernel = {3, 3};
  a.stride = {1, 1};
  a.padding = {1, 1, 1, 1};
  EXPECT_EQ(inferPool2D("avg_pool2d", {1, 2, 5, 5}, a).value(),
            (Shape{1, 2, 5, 5}));
  a.padding = {3, 0, 0, 0};
  EXPECT_EQ(messageOf(inferPool2D("avg_pool2d", {1, 2, 5, 5}, a)),
            "avg_pool2d expects padding smaller than the kernel 3x3, found "
            "padding [3, 0, 0, 0]");
  a.padding = {0, 0, 0, 0};
  a.kernel = {9, 9};
  EXPECT_EQ(messageOf(inferPool2D("max_pool2d", {1, 2, 8, 8}, a)),
            "max_pool2d expects a kernel that fits in the padded input, "
            "found kernel 9x9 on input [1, 2, 8, 8] with padding [0, 0, 0, "
            "0]");
  EXPECT_EQ(messageOf(inferPool2D("max_pool2d", {2, 8}, a)),
            "max_pool2d expects an input of rank 4 [N, C, H, W], found rank 2 "
            "([2, 8])");
  EXPECT_EQ(inferGlobalAvgPool2D({kBatch, 32, 7, 7}, kNames).value(),
            (Shape{kBatch, 32, 1, 1}));
  EXPECT_FALSE(inferGlobalAvgPool2D({1, 32}).ok());
}

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

TEST(OpRulesTest, Norms) {
  EXPECT_EQ(inferBatchNorm({kBatch, 16, 8, 8}, kNames).value(),
            (Shape{kBatch, 16, 8, 8}));
  EXPECT_EQ(messageOf(inferBatchNorm({8})),
            "batch_norm expects an input of rank >= 2 (channels on axis 1), "
            "found rank 1 ([8])");
  EXPECT_FALSE(inferBatchNorm({1, kN}, kNames).ok());
  auto bn = batchNormParams({1, 16, 8, 8});
  ASSERT_EQ(bn.size(), 4u);
  EXPECT_EQ(bn[0].suffix, "weight");
  EXPECT_EQ(bn[0].init, ParamInit::Ones);
  EXPECT_EQ(bn[1].suffix, "bias");
  EXPECT_EQ(bn[1].init, ParamInit::Zeros);
  EXPECT_EQ(bn[2].suffix, "running_mean");
  EXPECT_EQ(bn[2].init, ParamInit::Zeros);
  EXPECT_EQ(bn[3].suffix, "running_var");
  EXPECT_EQ(bn[3].init, ParamInit::Ones);
  for (const auto &p : bn)
    EXPECT_EQ(p.shape, (Shape{16}));

  EXPECT_EQ(inferLayerNorm({kBatch, 10, 64}, kNames).value(),
            (Shape{kBatch, 10, 64}));
  EXPECT_FALSE(inferLayerNorm({}).ok());
  EXPECT_FALSE(inferLayerNorm({2, kN}, kNames).ok());
  auto ln = layerNormParams({2, 10, 64});
  ASSERT_EQ(ln.size(), 2u);
  EXPECT_EQ(ln[0].shape, (Shape{64}));
  EXPECT_EQ(ln[0].init, ParamInit::Ones);
  EXPECT_EQ(ln[1].init, ParamInit::Zeros);
}

//===----------------------------------------------------------------------===//
// Broadcasting and matmul
//===----------------------------------------------------------------------===//

TEST(OpRulesTest, Broadcast) {
  EXPECT_EQ(inferBroadcast("add", {2, 3}, {3}).value(), (Shape{2, 3}));
  EXPECT_EQ(inferBroadcast("add", {2, 1}, {1, 4}).value(), (Shape{2, 4}));
  EXPECT_EQ(inferBroadcast("mul", {5, 1, 3}, {4, 1}).value(), (Shape{5, 4, 3}));
  EXPECT_EQ(inferBroadcast("add", {kBatch, 3}, {1, 3}, kNames).value(),
            (Shape{kBatch, 3}));
  EXPECT_EQ(inferBroadcast("add", {kBatch, 3}, {kBatch, 1}, kNames).value(),
            (Shape{kBatch, 3}));
  // An anonymous dim is accepted (the IR cannot know), a named one is not.
  EXPECT_EQ(inferBroadcast("add", {kDynamic, 3}, {4, 3}).value(),
            (Shape{4, 3}));
  auto r = inferBroadcast("add", {2, 3}, {4, 3});
  EXPECT_EQ(messageOf(r),
            "add cannot broadcast [2, 3] with [4, 3]: dimension 0 is 2 and 4");
  EXPECT_EQ(r.failure().blame.kind, Blame::Operand);
  EXPECT_EQ(r.failure().blame.operand, 1);
  // Dimensions are counted in the result when ranks differ.
  EXPECT_EQ(messageOf(inferBroadcast("sub", {5, 2, 3}, {4, 3})),
            "sub cannot broadcast [5, 2, 3] with [4, 3]: dimension 1 is 2 and "
            "4");
  EXPECT_EQ(messageOf(inferBroadcast("add", {kBatch, 3}, {4, 3}, kNames)),
            "add cannot broadcast [batch, 3] with [4, 3]: dimension 0 is "
            "batch and 4");
  EXPECT_FALSE(inferBroadcast("add", {kBatch}, {kN}, kNames).ok());
  int64_t m = int64_t(1) << 30;
  EXPECT_FALSE(inferBroadcast("add", {m, 1}, {1, m}).ok()) << "2^60 elements";
}

TEST(OpRulesTest, Matmul) {
  EXPECT_EQ(inferMatmul({2, 3}, {3, 4}).value(), (Shape{2, 4}));
  EXPECT_EQ(inferMatmul({5, 2, 3}, {3, 4}).value(), (Shape{5, 2, 4}));
  EXPECT_EQ(inferMatmul({5, 1, 2, 3}, {7, 3, 4}).value(), (Shape{5, 7, 2, 4}));
  EXPECT_EQ(inferMatmul({kBatch, 2, 3}, {kBatch, 3, 4}, kNames).value(),
            (Shape{kBatch, 2, 4}));
  EXPECT_EQ(messageOf(inferMatmul({2, 3}, {4, 5})),
            "matmul cannot multiply [2, 3] by [4, 5]: the inner dimensions "
            "are 3 and 4");
  EXPECT_EQ(messageOf(inferMatmul({3}, {3, 5})),
            "matmul expects operands of rank >= 2, found rank 1 ([3])");
  EXPECT_EQ(messageOf(inferMatmul({2, 2, 3}, {5, 3, 4})),
            "matmul cannot broadcast the batch dimensions of [2, 2, 3] and "
            "[5, 3, 4]: dimension 0 is 2 and 5");
  EXPECT_FALSE(inferMatmul({2, kN}, {3, 4}, kNames).ok());
}

//===----------------------------------------------------------------------===//
// Layout ops
//===----------------------------------------------------------------------===//

TEST(OpRulesTest, Flatten) {
  EXPECT_EQ(inferFlatten({2, 3, 4}, 1).value(), (Shape{2, 12}));
  EXPECT_EQ(inferFlatten({2, 3, 4}, 0).value(), (Shape{1, 24}));
  EXPECT_EQ(inferFlatten({2, 3, 4}, 3).value(), (Shape{24, 1}));
  EXPECT_EQ(inferFlatten({2, 3, 4}, -1).value(), (Shape{6, 4}));
  EXPECT_EQ(inferFlatten({2, 3, 4}, -3).value(), (Shape{1, 24}));
  EXPECT_EQ(inferFlatten({kBatch, 3, 4}, 1, kNames).value(),
            (Shape{kBatch, 12}));
  EXPECT_EQ(inferFlatten({kBatch, 3, 4}, 2, kNames).value(),
            (Shape{kDynamic, 4}));
  auto r = inferFlatten({2, 3}, 3);
  EXPECT_EQ(messageOf(r),
            "flatten expects axis in [-2, 2] for an input of rank 2, found 3");
  EXPECT_EQ(r.failure().blame.attribute, "axis");
  EXPECT_FALSE(inferFlatten({2, 3}, -3).ok());
}

TEST(OpRulesTest, Reshape) {
  EXPECT_EQ(inferReshape({2, 6}, {3, 4}).value(), (Shape{3, 4}));
  EXPECT_EQ(inferReshape({2, 6}, {-1, 4}).value(), (Shape{3, 4}));
  EXPECT_EQ(inferReshape({2, 6}, {12, -1}).value(), (Shape{12, 1}));
  EXPECT_EQ(inferReshape({kBatch, 784}, {-1, 28, 28}, kNames).value(),
            (Shape{kBatch, 28, 28}));
  EXPECT_EQ(inferReshape({kBatch, 784}, {-1, 2, 28}, kNames).value(),
            (Shape{kDynamic, 2, 28}));
  EXPECT_EQ(messageOf(inferReshape({2, 6}, {-1, -1})),
            "reshape expects at most one -1 in shape, found [-1, -1]");
  EXPECT_EQ(messageOf(inferReshape({2, 6}, {0, 12})),
            "reshape expects shape entries >= 1 or -1, found 0 in [0, 12]");
  EXPECT_EQ(messageOf(inferReshape({2, 6}, {5, 2})),
            "reshape expects the same element count, found [2, 6] (12 "
            "elements) and shape [5, 2] (10 elements)");
  EXPECT_EQ(messageOf(inferReshape({2, 5}, {-1, 3})),
            "reshape cannot infer the -1 in [-1, 3]: [2, 5] has 10 elements, "
            "not a multiple of 3");
  EXPECT_EQ(messageOf(inferReshape({kBatch, 4}, {2, 2}, kNames)),
            "reshape expects a -1 in shape for the dynamic dimensions of "
            "[batch, 4], found [2, 2]");
  EXPECT_FALSE(inferReshape({2}, {}).ok());
  int64_t m = int64_t(1) << 30;
  EXPECT_FALSE(inferReshape({2}, {m, m}).ok()) << "no overflow";
}

TEST(OpRulesTest, Transpose) {
  EXPECT_EQ(inferTranspose({1, 2, 3}, {2, 0, 1}).value(), (Shape{3, 1, 2}));
  EXPECT_EQ(inferTranspose({kBatch, 5}, {1, 0}, kNames).value(),
            (Shape{5, kBatch}));
  EXPECT_EQ(messageOf(inferTranspose({1, 2, 3}, {0, 0, 1})),
            "transpose expects a permutation of [0, 3), found [0, 0, 1]");
  EXPECT_EQ(messageOf(inferTranspose({1, 2, 3}, {1, 0})),
            "transpose expects a perm of 3 entries for an input of rank 3 "
            "([1, 2, 3]), found [1, 0]");
  EXPECT_FALSE(inferTranspose({1, 2}, {0, 2}).ok());
  EXPECT_FALSE(inferTranspose({1, 2}, {-1, 0}).ok());
}

TEST(OpRulesTest, Concat) {
  EXPECT_EQ(inferConcat({{1, 3, 8, 8}, {1, 5, 8, 8}}, 1).value(),
            (Shape{1, 8, 8, 8}));
  EXPECT_EQ(inferConcat({{2, 3}, {2, 4}, {2, 1}}, -1).value(), (Shape{2, 8}));
  EXPECT_EQ(inferConcat({{2, 3}}, 0).value(), (Shape{2, 3}));
  EXPECT_EQ(inferConcat({{kBatch, 3}, {kBatch, 4}}, 1, kNames).value(),
            (Shape{kBatch, 7}));
  EXPECT_EQ(inferConcat({{kBatch, 3}, {2, 3}}, 0, kNames).value(),
            (Shape{kDynamic, 3}));
  auto r = inferConcat({{1, 3, 8, 8}, {1, 4, 4, 8}}, 1);
  EXPECT_EQ(messageOf(r),
            "concat expects operands with equal dimensions off axis 1, found "
            "[1, 3, 8, 8] and [1, 4, 4, 8]: dimension 2 is 8 and 4");
  EXPECT_EQ(r.failure().blame.operand, 1);
  EXPECT_EQ(messageOf(inferConcat({{1, 3}, {1, 3, 4}}, 1)),
            "concat expects operands of the same rank, found [1, 3] (operand "
            "0) and [1, 3, 4] (operand 1)");
  EXPECT_EQ(messageOf(inferConcat({{1, 3}, {1, 3}}, 2)),
            "concat expects axis in [-2, 2) for an input of rank 2, found 2");
  EXPECT_FALSE(inferConcat({}, 0).ok());
  int64_t m = int64_t(1) << 40;
  EXPECT_FALSE(inferConcat({{m}, {m}}, 0).ok());
}

TEST(OpRulesTest, PRelu) {
  auto p = preluParams({1, 16, 8, 8});
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].suffix, "weight");
  EXPECT_EQ(p[0].shape, (Shape{1}));
  EXPECT_EQ(p[0].init, ParamInit::Quarter);
  ASSERT_EQ(p[0].alsoAccepted.size(), 1u);
  EXPECT_EQ(p[0].alsoAccepted[0], (Shape{16}));
  EXPECT_EQ(preluParams({10})[0].alsoAccepted[0], (Shape{10}));
  EXPECT_TRUE(preluParams({kBatch, kN})[0].alsoAccepted.empty());

  EXPECT_FALSE(checkPReluSlope({1, 16, 8, 8}, {1}));
  EXPECT_FALSE(checkPReluSlope({1, 16, 8, 8}, {16}));
  auto bad = checkPReluSlope({1, 16, 8, 8}, {8});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->message, "prelu expects a slope of shape [1] or [16] for "
                          "input [1, 16, 8, 8], found [8]");
  EXPECT_TRUE(checkPReluSlope({1, 16}, {1, 16}));
}

//===----------------------------------------------------------------------===//
// Attribute rules
//===----------------------------------------------------------------------===//

TEST(OpRulesTest, AttributeChecks) {
  EXPECT_FALSE(checkAxis("softmax", -1, 2));
  EXPECT_FALSE(checkAxis("softmax", -2, 2));
  EXPECT_FALSE(checkAxis("softmax", 1, 2));
  auto axis = checkAxis("softmax", 2, 2);
  ASSERT_TRUE(axis);
  EXPECT_EQ(axis->message,
            "softmax expects axis in [-2, 2) for an input of rank 2, found 2");
  EXPECT_EQ(axis->blame.attribute, "axis");
  EXPECT_TRUE(checkAxis("log_softmax", -3, 2));

  EXPECT_FALSE(checkFinite("elu", "alpha", 3.0e38));
  EXPECT_FALSE(checkFinite("elu", "alpha", -1e-45));
  auto inf =
      checkFinite("elu", "alpha", std::numeric_limits<double>::infinity());
  ASSERT_TRUE(inf);
  EXPECT_EQ(inf->message,
            "elu expects alpha to be a finite f32 value, found inf");
  EXPECT_TRUE(checkFinite("elu", "alpha", std::nan("")));
  auto big = checkFinite("leaky_relu", "alpha", 1e39);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->message,
            "leaky_relu expects alpha to be a finite f32 value, found 1e+39");

  EXPECT_FALSE(checkPositive("softplus", "beta", 0.5));
  auto pos = checkPositive("softplus", "beta", 0);
  ASSERT_TRUE(pos);
  EXPECT_EQ(pos->message, "softplus expects beta > 0, found 0");
  EXPECT_TRUE(checkPositive("leaky_relu6", "cap", -1));

  EXPECT_FALSE(checkNonZero("celu", "alpha", -0.5));
  auto zero = checkNonZero("celu", "alpha", 0);
  ASSERT_TRUE(zero);
  EXPECT_EQ(zero->message, "celu expects alpha != 0, found 0");

  EXPECT_FALSE(checkClipRange(-1, 1));
  EXPECT_FALSE(checkClipRange(2, 2));
  auto clip = checkClipRange(0.5, -0.25);
  ASSERT_TRUE(clip);
  EXPECT_EQ(clip->message, "clip expects lo <= hi, found lo=0.5 and hi=-0.25");
  EXPECT_EQ(clip->blame.attribute, "hi");

  EXPECT_FALSE(checkGeluApproximate("none"));
  EXPECT_FALSE(checkGeluApproximate("tanh"));
  auto gelu = checkGeluApproximate("Tanh");
  ASSERT_TRUE(gelu);
  EXPECT_EQ(gelu->message,
            "gelu expects approximate \"none\" or \"tanh\", found \"Tanh\"");
}

TEST(OpRulesTest, CheckWindow) {
  EXPECT_FALSE(checkWindow("conv2d", {3, 3}, {1, 1}, {1, 1}, {0, 0, 0, 0}));
  auto k = checkWindow("conv2d", {3, 0}, {1, 1}, {1, 1}, {0, 0, 0, 0});
  ASSERT_TRUE(k);
  EXPECT_EQ(k->message, "conv2d expects kernel >= 1, found 0");
  EXPECT_EQ(k->blame.attribute, "kernel");
  auto d = checkWindow("conv2d", {3, 3}, {1, 1}, {0, 1}, {0, 0, 0, 0});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->blame.attribute, "dilation");
  auto p = checkWindow("max_pool2d", {3, 3}, {1, 1}, {1, 1},
                       {0, 0, 0, kMaxWindow + 1});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->message, "max_pool2d expects padding <= 1073741824, found "
                        "1073741825");
}

} // namespace
