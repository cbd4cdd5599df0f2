// SPDX-License-Identifier: Apache-2.0
//
// Default weights: deterministic, in PyTorch's ranges, exact for the constant
// inits, and pinned to golden bits so that a change of generator (or a
// platform that computes differently) shows up here.

#include "compiler/weights/DefaultInit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace actc::weights;
using actc::rules::ParamInit;
using actc::rules::ParamShape;
using actc::rules::Shape;

namespace {

ModelParam param(std::string name, Shape shape, ParamInit init,
                 int64_t fanIn = 0) {
  return ModelParam{std::move(name),
                    ParamShape{"", std::move(shape), {}, init, fanIn}, "dense",
                    "m.act:1:1"};
}

uint32_t bitsOf(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

TEST(DefaultInitTest, SplitMix64MatchesTheReferenceStream) {
  // The first outputs of the reference splitmix64.c seeded with 0.
  SplitMix64 rng(0);
  EXPECT_EQ(rng.next(), 0xe220a8397b1dcdafull);
  EXPECT_EQ(rng.next(), 0x6e789e6aa1b965f4ull);
  EXPECT_EQ(rng.next(), 0x06c45d188009454full);
}

TEST(DefaultInitTest, MapsBitsToTheUnitIntervalExactly) {
  EXPECT_EQ(signedUnitFromBits(0), -1.0f);
  EXPECT_EQ(signedUnitFromBits(uint64_t(1) << 63), 0.0f);
  EXPECT_EQ(signedUnitFromBits(~uint64_t(0)), 1.0f - std::ldexp(1.0f, -23));
  // Only the top 24 bits count.
  EXPECT_EQ(signedUnitFromBits((uint64_t(1) << 40) - 1), -1.0f);
  EXPECT_EQ(signedUnitFromBits(uint64_t(1) << 40),
            -1.0f + std::ldexp(1.0f, -23));
}

TEST(DefaultInitTest, SameSeedSameValuesOtherSeedOtherValues) {
  std::vector<ModelParam> params = {
      param("fc.weight", {16, 8}, ParamInit::Uniform, 8),
      param("fc.bias", {16}, ParamInit::Uniform, 8)};
  BindResult a = initDefaultWeights(params, 7);
  BindResult b = initDefaultWeights(params, 7);
  BindResult c = initDefaultWeights(params, 8);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a.tensors.at("fc.weight").data, b.tensors.at("fc.weight").data);
  EXPECT_EQ(a.tensors.at("fc.bias").data, b.tensors.at("fc.bias").data);
  EXPECT_NE(a.tensors.at("fc.weight").data, c.tensors.at("fc.weight").data);
  EXPECT_NE(a.tensors.at("fc.bias").data, c.tensors.at("fc.bias").data);
  EXPECT_EQ(a.tensors.at("fc.weight").shape, (Shape{16, 8}));
}

TEST(DefaultInitTest, DependsOnTheNameNotOnTheOrder) {
  ModelParam w = param("fc.weight", {4, 4}, ParamInit::Uniform, 4);
  ModelParam v = param("fc2.weight", {4, 4}, ParamInit::Uniform, 4);
  BindResult forward = initDefaultWeights({w, v});
  BindResult backward = initDefaultWeights({v, w});
  EXPECT_EQ(forward.tensors.at("fc.weight").data,
            backward.tensors.at("fc.weight").data);
  // Two parameters of the same shape still differ.
  EXPECT_NE(forward.tensors.at("fc.weight").data,
            forward.tensors.at("fc2.weight").data);
}

TEST(DefaultInitTest, UniformStaysWithinPyTorchsBoundAndFillsIt) {
  // Linear(in=9): bound 1/3.
  BindResult result = initDefaultWeights(
      {param("fc.weight", {100, 100}, ParamInit::Uniform, 9)});
  ASSERT_TRUE(result.ok());
  const std::vector<float> &v = result.tensors.at("fc.weight").data;
  ASSERT_EQ(v.size(), 10000u);
  float bound = float(1.0 / 3.0);
  auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  EXPECT_GE(*lo, -bound);
  EXPECT_LE(*hi, bound);
  // Uniform, not squeezed into part of the range: near both ends...
  EXPECT_LT(*lo, -0.99f * bound);
  EXPECT_GT(*hi, 0.99f * bound);
  // ...and centred (the mean of 10000 draws has sd bound/sqrt(3e4) ~ 0.002).
  double mean = 0;
  for (float x : v)
    mean += x;
  mean /= double(v.size());
  EXPECT_LT(std::fabs(mean), 0.01);
  // Roughly a quarter of the draws in each quarter of the range.
  size_t lowQuarter = size_t(std::count_if(
      v.begin(), v.end(), [&](float x) { return x < -bound / 2; }));
  EXPECT_GT(lowQuarter, 2300u);
  EXPECT_LT(lowQuarter, 2700u);
}

TEST(DefaultInitTest, ConstantInitsAreExact) {
  BindResult result = initDefaultWeights(
      {param("bn.running_mean", {3}, ParamInit::Zeros),
       param("bn.running_var", {3}, ParamInit::Ones),
       param("act.weight", {1}, ParamInit::Quarter),
       param("fc.bias", {2}, ParamInit::Uniform, 0)}); // PyTorch: bound 0
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.tensors.at("bn.running_mean").data,
            (std::vector<float>{0, 0, 0}));
  EXPECT_EQ(result.tensors.at("bn.running_var").data,
            (std::vector<float>{1, 1, 1}));
  EXPECT_EQ(result.tensors.at("act.weight").data, std::vector<float>{0.25f});
  for (float x : result.tensors.at("fc.bias").data)
    EXPECT_EQ(x, 0.0f);
}

TEST(DefaultInitTest, GoldenValuesAreTheSameEverywhere) {
  // The same bits on every platform, computed independently in Python from
  // the definition (splitmix64 from mix(seed) ^ FNV-1a(name), top 24 bits,
  // times 1/sqrt(fanIn)). A change here changes every example model's
  // output, so it must be deliberate.
  std::vector<float> v = defaultValues(
      "fc1.weight", ParamShape{"weight", {4}, {}, ParamInit::Uniform, 4}, 0);
  ASSERT_EQ(v.size(), 4u);
  std::vector<uint32_t> bits;
  for (float x : v)
    bits.push_back(bitsOf(x));
  EXPECT_EQ(bits, (std::vector<uint32_t>{0xBDDEC038u, 0x3D982078u, 0x3EA23512u,
                                         0xBE9AA690u}));
}

TEST(DefaultInitTest, RejectsShapesNoTensorCanHave) {
  BindResult result = initDefaultWeights(
      {param("fc.weight", {-1, 4}, ParamInit::Uniform, 4),
       param("big.weight", {1 << 30, 1 << 30, 4}, ParamInit::Zeros)});
  EXPECT_EQ(result.errors,
            (std::vector<std::string>{
                "internal error: parameter 'fc.weight' of dense at m.act:1:1 "
                "has shape [-1, 4], which no default weights can fill (a bug: "
                "parameters must be static)",
                "internal error: parameter 'big.weight' of dense at m.act:1:1 "
                "has shape [1073741824, 1073741824, 4], which no default "
                "weights can fill (a bug: parameters must be static)"}));
  EXPECT_TRUE(result.tensors.empty());
}

} // namespace
