// SPDX-License-Identifier: Apache-2.0
//
// Binding a model's parameters to a weights file: every outcome the user can
// see (bound, missing with or without a suggestion, wrong shape, unused,
// ignored, unsupported dtype) with its exact message.

#include "compiler/weights/Binding.h"
#include "tests/unit/weights/SafetensorsBuilder.h"

#include <gtest/gtest.h>

using namespace actc::weights;
using namespace actc::weights::testing;
using actc::rules::ParamInit;
using actc::rules::ParamShape;
using actc::rules::Shape;

namespace {

ModelParam param(std::string name, Shape shape, std::string op,
                 std::string location, std::vector<Shape> alsoAccepted = {}) {
  return ModelParam{std::move(name),
                    ParamShape{"", std::move(shape), std::move(alsoAccepted),
                               ParamInit::Zeros, 0},
                    std::move(op), std::move(location)};
}

/// fc1: dense 3 -> 2 at mlp.act:4:6, fc2: dense 2 -> 1 at mlp.act:5:6.
std::vector<ModelParam> mlpParams() {
  return {param("fc1.weight", {2, 3}, "dense", "mlp.act:4:6"),
          param("fc1.bias", {2}, "dense", "mlp.act:4:6"),
          param("fc2.weight", {1, 2}, "dense", "mlp.act:5:6"),
          param("fc2.bias", {1}, "dense", "mlp.act:5:6")};
}

RawTensor f32(std::string name, std::vector<uint64_t> shape,
              std::vector<float> values) {
  return {std::move(name), "F32", std::move(shape), f32Bytes(values)};
}

std::vector<RawTensor> mlpTensors() {
  return {f32("fc1.weight", {2, 3}, {1, 2, 3, 4, 5, 6}),
          f32("fc1.bias", {2}, {0.5f, -0.5f}),
          f32("fc2.weight", {1, 2}, {7, 8}), f32("fc2.bias", {1}, {9})};
}

BindResult bindFile(const std::vector<ModelParam> &params,
                    const std::vector<RawTensor> &tensors) {
  auto file = parseSafetensors("w.safetensors", writeTensors(tensors));
  EXPECT_TRUE(file) << file.error().message;
  if (!file)
    return {};
  return bindWeights(params, std::move(file).value());
}

TEST(BindingTest, BindsEveryParameter) {
  BindResult result = bindFile(mlpParams(), mlpTensors());
  EXPECT_TRUE(result.ok());
  EXPECT_TRUE(result.errors.empty());
  EXPECT_TRUE(result.warnings.empty());
  EXPECT_TRUE(result.notes.empty());
  ASSERT_EQ(result.tensors.size(), 4u);
  EXPECT_EQ(result.tensors.at("fc1.weight").shape, (Shape{2, 3}));
  EXPECT_EQ(result.tensors.at("fc1.weight").data,
            (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(result.tensors.at("fc2.bias").data, std::vector<float>{9});
}

TEST(BindingTest, ReportsAMissingTensorWithItsOp) {
  std::vector<RawTensor> tensors = mlpTensors();
  tensors.pop_back(); // fc2.bias
  BindResult result = bindFile(mlpParams(), tensors);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.errors,
            std::vector<std::string>{"w.safetensors: missing tensor "
                                     "'fc2.bias' (dense at mlp.act:5:6 "
                                     "expects f32[1])"});
  EXPECT_TRUE(result.tensors.empty()) << "no half-bound model";
}

TEST(BindingTest, ReportsEveryProblemAtOnceInModelOrder) {
  std::vector<RawTensor> tensors = {
      f32("fc1.weight", {3, 2}, {1, 2, 3, 4, 5, 6}),
      f32("fc2.weight", {1, 2}, {7, 8})};
  BindResult result = bindFile(mlpParams(), tensors);
  EXPECT_EQ(result.errors,
            (std::vector<std::string>{
                "w.safetensors: tensor 'fc1.weight' has shape [3, 2], but "
                "dense at mlp.act:4:6 expects f32[2, 3]",
                "w.safetensors: missing tensor 'fc1.bias' (dense at "
                "mlp.act:4:6 expects f32[2])",
                "w.safetensors: missing tensor 'fc2.bias' (dense at "
                "mlp.act:5:6 expects f32[1])"}));
}

TEST(BindingTest, WarnsAboutUnusedTensors) {
  std::vector<RawTensor> tensors = mlpTensors();
  tensors.push_back(f32("head.weight", {1}, {1}));
  BindResult one = bindFile(mlpParams(), tensors);
  EXPECT_TRUE(one.ok());
  EXPECT_EQ(one.warnings, std::vector<std::string>{
                              "w.safetensors: tensor 'head.weight' is not "
                              "used by the model"});
  EXPECT_EQ(one.tensors.size(), 4u);

  tensors.push_back(f32("aux.bias", {1}, {1}));
  BindResult two = bindFile(mlpParams(), tensors);
  EXPECT_EQ(two.warnings, std::vector<std::string>{
                              "w.safetensors: 2 tensors are not used by the "
                              "model: 'aux.bias', 'head.weight'"});
}

TEST(BindingTest, ListsAtMostTenUnusedTensors) {
  std::vector<RawTensor> tensors = mlpTensors();
  for (int i = 0; i < 12; ++i)
    tensors.push_back(f32("extra" + std::to_string(i + 10), {1}, {1}));
  BindResult result = bindFile(mlpParams(), tensors);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0],
            "w.safetensors: 12 tensors are not used by the model: 'extra10', "
            "'extra11', 'extra12', 'extra13', 'extra14', 'extra15', "
            "'extra16', 'extra17', 'extra18', 'extra19' and 2 more");
}

TEST(BindingTest, IgnoresNumBatchesTrackedSilently) {
  std::vector<ModelParam> params;
  for (const char *suffix : {"weight", "bias", "running_mean", "running_var"})
    params.push_back(
        param(std::string("bn1.") + suffix, {2}, "batch_norm", "net.act:3:6"));
  std::vector<RawTensor> tensors;
  for (const char *suffix : {"weight", "bias", "running_mean", "running_var"})
    tensors.push_back(f32(std::string("bn1.") + suffix, {2}, {1, 2}));
  // As PyTorch saves it: an I64 scalar.
  tensors.push_back({"bn1.num_batches_tracked", "I64", {}, leBytes(42, 8)});
  BindResult result = bindFile(params, tensors);
  EXPECT_TRUE(result.ok());
  EXPECT_TRUE(result.warnings.empty());
  EXPECT_EQ(result.tensors.size(), 4u);
  EXPECT_EQ(result.tensors.count("bn1.num_batches_tracked"), 0u);
}

TEST(BindingTest, OnlyTheCounterIsIgnored) {
  // A name merely ending in the same letters is an ordinary unused tensor.
  std::vector<RawTensor> tensors = mlpTensors();
  tensors.push_back(f32("bn1.my_num_batches_tracked", {1}, {1}));
  BindResult result = bindFile(mlpParams(), tensors);
  EXPECT_EQ(result.warnings, std::vector<std::string>{
                                 "w.safetensors: tensor "
                                 "'bn1.my_num_batches_tracked' is not used by "
                                 "the model"});
}

TEST(BindingTest, PReluAcceptsOneOrPerChannelSlopes) {
  std::vector<ModelParam> params = {
      param("act.weight", {1}, "prelu", "net.act:2:5", {{4}})};
  BindResult single = bindFile(params, {f32("act.weight", {1}, {0.25f})});
  EXPECT_TRUE(single.ok());
  EXPECT_EQ(single.tensors.at("act.weight").shape, Shape{1});
  EXPECT_EQ(single.tensors.at("act.weight").data, std::vector<float>{0.25f});

  BindResult perChannel =
      bindFile(params, {f32("act.weight", {4}, {0.1f, 0.2f, 0.3f, 0.4f})});
  EXPECT_TRUE(perChannel.ok());
  EXPECT_EQ(perChannel.tensors.at("act.weight").shape, Shape{4});
  EXPECT_EQ(perChannel.tensors.at("act.weight").data.size(), 4u);

  BindResult wrong = bindFile(params, {f32("act.weight", {3}, {1, 2, 3})});
  EXPECT_EQ(wrong.errors, std::vector<std::string>{
                              "w.safetensors: tensor 'act.weight' has shape "
                              "[3], but prelu at net.act:2:5 expects f32[1] or "
                              "f32[4]"});
}

TEST(BindingTest, SuggestsACloseSpelling) {
  std::vector<RawTensor> tensors = mlpTensors();
  tensors[0].name = "fc1.weigth";
  BindResult result = bindFile(mlpParams(), tensors);
  EXPECT_EQ(result.errors,
            std::vector<std::string>{
                "w.safetensors: missing tensor 'fc1.weight' (dense at "
                "mlp.act:4:6 expects f32[2, 3]); did you mean 'fc1.weigth'?"});
  // The misspelt tensor is also unused, and says so.
  EXPECT_EQ(result.warnings, std::vector<std::string>{
                                 "w.safetensors: tensor 'fc1.weigth' is not "
                                 "used by the model"});
}

TEST(BindingTest, DoesNotSuggestADifferentName) {
  std::vector<RawTensor> tensors = mlpTensors();
  tensors[0].name = "layers.0.weight";
  BindResult result = bindFile(mlpParams(), tensors);
  EXPECT_EQ(result.errors, std::vector<std::string>{
                               "w.safetensors: missing tensor 'fc1.weight' "
                               "(dense at mlp.act:4:6 expects f32[2, 3])"});
}

TEST(BindingTest, SuggestsOnlyTensorsNoParameterUses) {
  // fc2.weight is one edit from fc1.weight, but the model reads it: it is
  // not what the user meant.
  std::vector<RawTensor> tensors = mlpTensors();
  tensors.erase(tensors.begin());
  BindResult result = bindFile(mlpParams(), tensors);
  EXPECT_EQ(result.errors, std::vector<std::string>{
                               "w.safetensors: missing tensor 'fc1.weight' "
                               "(dense at mlp.act:4:6 expects f32[2, 3])"});
}

TEST(BindingTest, SuggestsTheNameUnderAWrapperPrefix) {
  std::vector<RawTensor> tensors = mlpTensors();
  tensors[1].name = "module.fc1.bias"; // as DataParallel saves it
  BindResult result = bindFile(mlpParams(), tensors);
  EXPECT_EQ(result.errors,
            std::vector<std::string>{
                "w.safetensors: missing tensor 'fc1.bias' (dense at "
                "mlp.act:4:6 expects f32[2]); did you mean "
                "'module.fc1.bias'?"});
}

TEST(BindingTest, RejectsAUsedTensorOfAnUnsupportedDtypeByName) {
  std::vector<RawTensor> tensors = mlpTensors();
  tensors[3] = {"fc2.bias", "I64", {1}, leBytes(9, 8)};
  BindResult result = bindFile(mlpParams(), tensors);
  EXPECT_EQ(result.errors,
            std::vector<std::string>{
                "w.safetensors: tensor 'fc2.bias' is I64 [1], but actc reads "
                "only F32, F16, BF16 and F64 (dense at mlp.act:5:6 expects "
                "f32[1])"});
}

TEST(BindingTest, PassesConversionNotesOn) {
  std::vector<RawTensor> tensors = mlpTensors();
  tensors[3] = {"fc2.bias", "F16", {1}, u16Bytes({0x3C00})};
  BindResult result = bindFile(mlpParams(), tensors);
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.notes, std::vector<std::string>{
                              "w.safetensors: converted 'fc2.bias' from F16 "
                              "to F32"});
  EXPECT_EQ(result.tensors.at("fc2.bias").data, std::vector<float>{1.0f});
}

TEST(BindingTest, SharedNamesBindOnce) {
  std::vector<ModelParam> params = mlpParams();
  params.push_back(param("fc1.bias", {2}, "dense", "mlp.act:9:6"));
  BindResult result = bindFile(params, mlpTensors());
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.tensors.at("fc1.bias").data,
            (std::vector<float>{0.5f, -0.5f}));
}

TEST(BindingTest, LoadWeightsReportsAReadErrorAsItsOnlyError) {
  std::string path = ::testing::TempDir() + "actc_no_such_weights.safetensors";
  BindResult result = loadWeights(mlpParams(), path);
  EXPECT_EQ(result.errors,
            std::vector<std::string>{
                path + ": cannot open the weights file: No such file or "
                       "directory"});
  EXPECT_TRUE(result.tensors.empty());
}

TEST(BindingTest, FormatsParameterTypes) {
  EXPECT_EQ(formatParamType({10, 20}), "f32[10, 20]");
  EXPECT_EQ(formatParamType({}), "f32[]");
}

} // namespace
