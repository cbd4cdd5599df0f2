// SPDX-License-Identifier: Apache-2.0
//
// The nn ops infer their result types from the shared shape rules, so a
// pass can create them without computing a type. Expected shapes are worked
// out by hand in the comments.

#include "dialects/NN/IR/NNDialect.h"
#include "dialects/NN/IR/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace actc::nn;

namespace {

class InferShapesTest : public ::testing::Test {
protected:
  InferShapesTest() : builder(&context), loc(builder.getUnknownLoc()) {
    context.loadDialect<NNDialect>();
    module = ModuleOp::create(loc);
    builder.setInsertionPointToEnd(module->getBody());
  }

  RankedTensorType tensor(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF32Type());
  }
  Value param(ArrayRef<int64_t> shape) {
    return ParamOp::create(builder, loc, tensor(shape), "p").getResult();
  }
  std::string typeOf(Value v) {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << v.getType();
    return s;
  }

  MLIRContext context;
  OpBuilder builder;
  Location loc;
  OwningOpRef<ModuleOp> module;
  static constexpr int64_t kDyn = ShapedType::kDynamic;
};

TEST_F(InferShapesTest, DenseReplacesTheLastDimension) {
  // reshape [2, 784] to [-1, 784], then [2, 784] x [128, 784]^T -> [2, 128]
  Value x = param({2, 784});
  Value input = ReshapeOp::create(builder, loc, x,
                                  builder.getDenseI64ArrayAttr({-1, 784}))
                    .getResult();
  EXPECT_EQ(typeOf(input), "tensor<2x784xf32>");
  Value w = param({128, 784});
  Value y = DenseOp::create(builder, loc, input, w, Value()).getResult();
  EXPECT_EQ(typeOf(y), "tensor<2x128xf32>");
}

TEST_F(InferShapesTest, Conv2DStridePaddingDilationGroups) {
  // 9x9, kernel 3, stride 2, padding 1: (9 + 2 - 3) / 2 + 1 = 5.
  Value x = param({2, 4, 9, 9});
  Value w = param({8, 2, 3, 3});
  auto conv = Conv2DOp::create(
      builder, loc, x, w, Value(), builder.getDenseI64ArrayAttr({2, 2}),
      builder.getDenseI64ArrayAttr({1, 1, 1, 1}),
      builder.getDenseI64ArrayAttr({1, 1}), builder.getI64IntegerAttr(2));
  EXPECT_EQ(typeOf(conv.getResult()), "tensor<2x8x5x5xf32>");
  // dilation 2 makes the 3x3 kernel span 5: 9 - 5 + 1 = 5 without padding.
  auto dilated = Conv2DOp::create(
      builder, loc, x, w, Value(), builder.getDenseI64ArrayAttr({1, 1}),
      builder.getDenseI64ArrayAttr({0, 0, 0, 0}),
      builder.getDenseI64ArrayAttr({2, 2}), builder.getI64IntegerAttr(2));
  EXPECT_EQ(typeOf(dilated.getResult()), "tensor<2x8x5x5xf32>");
}

TEST_F(InferShapesTest, BroadcastConcatMatmulFlattenTranspose) {
  Value a = param({4, 1, 6});
  Value b = param({3, 1});
  // [4, 1, 6] with [3, 1] -> [4, 3, 6]
  EXPECT_EQ(typeOf(AddOp::create(builder, loc, a, b).getResult()),
            "tensor<4x3x6xf32>");
  // concat on axis 1: 1 + 1 = 2
  EXPECT_EQ(typeOf(ConcatOp::create(builder, loc, ValueRange{a, a},
                                    builder.getI64IntegerAttr(1))
                       .getResult()),
            "tensor<4x2x6xf32>");
  // [4, 1, 6] x [6, 5] -> [4, 1, 5]
  EXPECT_EQ(
      typeOf(MatmulOp::create(builder, loc, a, param({6, 5})).getResult()),
      "tensor<4x1x5xf32>");
  // flatten at 2: [4 * 1, 6]
  EXPECT_EQ(
      typeOf(FlattenOp::create(builder, loc, a, builder.getI64IntegerAttr(2))
                 .getResult()),
      "tensor<4x6xf32>");
  EXPECT_EQ(typeOf(TransposeOp::create(builder, loc, a,
                                       builder.getDenseI64ArrayAttr({2, 0, 1}))
                       .getResult()),
            "tensor<6x4x1xf32>");
}

TEST_F(InferShapesTest, PoolsAndActivations) {
  Value x = param({1, 3, 7, 7});
  // max pool 2x2 stride 2 on 7: floor((7 - 2) / 2) + 1 = 3
  auto pool =
      MaxPool2DOp::create(builder, loc, x, builder.getDenseI64ArrayAttr({2, 2}),
                          builder.getDenseI64ArrayAttr({2, 2}),
                          builder.getDenseI64ArrayAttr({0, 0, 0, 0}));
  EXPECT_EQ(typeOf(pool.getResult()), "tensor<1x3x3x3xf32>");
  EXPECT_EQ(typeOf(GlobalAvgPool2DOp::create(builder, loc, x).getResult()),
            "tensor<1x3x1x1xf32>");
  // An activation's type is its operand's.
  EXPECT_EQ(typeOf(GeluOp::create(builder, loc, x).getResult()),
            "tensor<1x3x7x7xf32>");
  ASSERT_TRUE(succeeded(verify(*module)));
}

TEST_F(InferShapesTest, DynamicDimensionsFlowThrough) {
  // Operands with `?` (block arguments here, function arguments in a model).
  Type dynType = tensor({kDyn, 16});
  SmallVector<Type> types;
  // add([?, 16], [16]) -> [?, 16], through the generic inference entry point.
  OperationState state(loc, AddOp::getOperationName());
  Block block;
  Value lhs = block.addArgument(dynType, loc);
  Value rhs = block.addArgument(tensor({16}), loc);
  ASSERT_TRUE(succeeded(
      AddOp::inferReturnTypes(&context, loc, ValueRange{lhs, rhs},
                              state.attributes.getDictionary(&context),
                              state.getRawProperties(), {}, types)));
  ASSERT_EQ(types.size(), 1u);
  EXPECT_EQ(types[0], dynType);
}

TEST_F(InferShapesTest, InferenceFailureSaysWhy) {
  Block block;
  Value lhs = block.addArgument(tensor({2, 3}), loc);
  Value rhs = block.addArgument(tensor({4, 5}), loc);
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  SmallVector<Type> types;
  OperationState state(loc, MatmulOp::getOperationName());
  EXPECT_TRUE(failed(
      MatmulOp::inferReturnTypes(&context, loc, ValueRange{lhs, rhs},
                                 state.attributes.getDictionary(&context),
                                 state.getRawProperties(), {}, types)));
  EXPECT_NE(message.find("'nn.matmul' op cannot multiply [2, 3] by [4, 5]"),
            std::string::npos)
      << message;
}

} // namespace
