// SPDX-License-Identifier: Apache-2.0
//
// materializeWeights turns every nn.param into an arith.constant
// dense_resource<NAME> holding the bound data (64-byte aligned), shares one
// blob between params of the same name, and on any problem reports it at the
// param and leaves the module unchanged.

#include "dialects/NN/Transforms/MaterializeWeights.h"

#include "dialects/NN/IR/NNDialect.h"
#include "dialects/NN/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace actc;

namespace {

class MaterializeWeightsTest : public ::testing::Test {
protected:
  MaterializeWeightsTest() {
    context
        .loadDialect<nn::NNDialect, arith::ArithDialect, func::FuncDialect>();
  }

  OwningOpRef<ModuleOp> parse(const char *source) {
    return parseSourceString<ModuleOp>(source, &context);
  }

  /// Runs materializeWeights and keeps every error message.
  LogicalResult materialize(ModuleOp module, const weights::WeightMap &map) {
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      errors.push_back(diag.str());
      return success();
    });
    return nn::materializeWeights(module, map);
  }

  static std::vector<arith::ConstantOp> constants(ModuleOp module) {
    std::vector<arith::ConstantOp> result;
    module.walk([&](arith::ConstantOp op) { result.push_back(op); });
    return result;
  }

  static int countParams(ModuleOp module) {
    int n = 0;
    module.walk([&](nn::ParamOp) { ++n; });
    return n;
  }

  MLIRContext context;
  std::vector<std::string> errors;
};

constexpr const char *kDense = R"mlir(
func.func @m(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %w = nn.param "fc.weight" : tensor<2x3xf32>
  %b = nn.param "fc.bias" : tensor<2xf32>
  %y = nn.dense %x, %w, %b : (tensor<?x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
)mlir";

TEST_F(MaterializeWeightsTest, ParamsBecomeAlignedResourceConstants) {
  OwningOpRef<ModuleOp> module = parse(kDense);
  ASSERT_TRUE(module);
  weights::WeightMap map;
  map["fc.weight"] = {{2, 3}, {1, 2, 3, 4, 5, 6}};
  map["fc.bias"] = {{2}, {-1, 0.5}};
  ASSERT_TRUE(succeeded(materialize(*module, map)));
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(countParams(*module), 0);
  ASSERT_TRUE(succeeded(verify(*module)));

  std::map<std::string, std::vector<float>> found;
  for (arith::ConstantOp op : constants(*module)) {
    auto attr = dyn_cast<DenseF32ResourceElementsAttr>(op.getValue());
    ASSERT_TRUE(attr);
    const AsmResourceBlob *blob = attr.getRawHandle().getBlob();
    ASSERT_NE(blob, nullptr);
    EXPECT_EQ(blob->getDataAlignment(), nn::kWeightBlobAlignment);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(blob->getData().data()) %
                  nn::kWeightBlobAlignment,
              0u);
    std::optional<ArrayRef<float>> data = attr.tryGetAsArrayRef();
    ASSERT_TRUE(data);
    found[attr.getRawHandle().getKey().str()] = data->vec();
  }
  EXPECT_EQ(found["fc.weight"], (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(found["fc.bias"], (std::vector<float>{-1, 0.5}));
  EXPECT_EQ(found.size(), 2u);
}

TEST_F(MaterializeWeightsTest, SameNameSharesOneBlob) {
  OwningOpRef<ModuleOp> module = parse(R"mlir(
func.func @m(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %a = nn.param "shared" : tensor<4xf32>
  %b = nn.param "shared" : tensor<4xf32>
  %y = nn.add %x, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %z = nn.mul %x, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y, %z : tensor<4xf32>, tensor<4xf32>
}
)mlir");
  ASSERT_TRUE(module);
  weights::WeightMap map;
  map["shared"] = {{4}, {1, 2, 3, 4}};
  ASSERT_TRUE(succeeded(materialize(*module, map)));
  std::vector<arith::ConstantOp> ops = constants(*module);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].getValue(), ops[1].getValue());
}

TEST_F(MaterializeWeightsTest, MissingWeightLeavesTheModuleUnchanged) {
  OwningOpRef<ModuleOp> module = parse(kDense);
  ASSERT_TRUE(module);
  weights::WeightMap map;
  map["fc.weight"] = {{2, 3}, {1, 2, 3, 4, 5, 6}};
  EXPECT_TRUE(failed(materialize(*module, map)));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "no weight named 'fc.bias' is bound");
  EXPECT_EQ(countParams(*module), 2);
  EXPECT_TRUE(constants(*module).empty());
}

TEST_F(MaterializeWeightsTest, WrongShapeAndWrongSizeAreErrors) {
  OwningOpRef<ModuleOp> module = parse(kDense);
  ASSERT_TRUE(module);
  weights::WeightMap map;
  map["fc.weight"] = {{3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};
  map["fc.bias"] = {{2}, {1, 2, 3}};
  EXPECT_TRUE(failed(materialize(*module, map)));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], "weight 'fc.weight' has shape [3, 3], expected [2, 3]");
  EXPECT_EQ(errors[1], "weight 'fc.bias' of shape [2] holds 3 values, "
                       "expected 2");
  EXPECT_EQ(countParams(*module), 2);
}

TEST_F(MaterializeWeightsTest, SameCountTakesTheDeclaredType) {
  OwningOpRef<ModuleOp> module = parse(kDense);
  ASSERT_TRUE(module);
  weights::WeightMap map;
  map["fc.weight"] = {{6}, {1, 2, 3, 4, 5, 6}};
  map["fc.bias"] = {{2}, {0, 0}};
  ASSERT_TRUE(succeeded(materialize(*module, map)));
  ASSERT_TRUE(succeeded(verify(*module)));
  for (arith::ConstantOp op : constants(*module))
    if (cast<RankedTensorType>(op.getType()).getRank() == 2)
      EXPECT_EQ(cast<RankedTensorType>(op.getType()).getShape(),
                ArrayRef<int64_t>({2, 3}));
}

TEST_F(MaterializeWeightsTest, PReluSlopePerChannel) {
  // The model wrote prelu's slope as [1]; the file holds one per channel.
  OwningOpRef<ModuleOp> module = parse(R"mlir(
func.func @m(%x: tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32> {
  %s = nn.param "act.weight" : tensor<1xf32>
  %y = nn.prelu %x, %s : (tensor<1x3x2x2xf32>, tensor<1xf32>) -> tensor<1x3x2x2xf32>
  return %y : tensor<1x3x2x2xf32>
}
)mlir");
  ASSERT_TRUE(module);
  weights::WeightMap map;
  map["act.weight"] = {{3}, {0.25f, 0.5f, 0.125f}};
  ASSERT_TRUE(succeeded(materialize(*module, map)));
  ASSERT_TRUE(succeeded(verify(*module)));
  std::vector<arith::ConstantOp> ops = constants(*module);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(cast<RankedTensorType>(ops[0].getType()).getShape(),
            ArrayRef<int64_t>({3}));
}

} // namespace
