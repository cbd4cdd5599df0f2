// SPDX-License-Identifier: Apache-2.0
//
// nn-fold-batch-norm: an inference batch_norm after a dense/conv2d with
// constant parameters disappears into that layer's weight and bias. The
// per-channel scale and the new values are computed in double from the f32
// constants and rounded once (Passes.td has the formulas).

#include "dialects/NN/IR/NNOps.h"
#include "dialects/NN/Transforms/MaterializeWeights.h"
#include "dialects/NN/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace actc::nn {
#define GEN_PASS_DEF_FOLDBATCHNORMPASS
#include "dialects/NN/Transforms/Passes.h.inc"
} // namespace actc::nn

using namespace mlir;
using namespace actc::nn;

namespace {

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

/// The f32 values of a constant tensor (dense or dense_resource), and the
/// resource's name when it is one.
struct ConstantData {
  std::vector<float> values;
  std::string resourceName; ///< empty for a dense<...> constant
};

std::optional<ConstantData> constantData(Value value) {
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(constant.getType());
  if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
    return std::nullopt;
  ConstantData data;
  if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue())) {
    auto values = dense.getValues<float>();
    data.values.assign(values.begin(), values.end());
    return data;
  }
  if (auto resource =
          dyn_cast<DenseF32ResourceElementsAttr>(constant.getValue())) {
    std::optional<ArrayRef<float>> values = resource.tryGetAsArrayRef();
    // A blob printed with its data elided (or not loaded) cannot be folded.
    if (!values ||
        static_cast<int64_t>(values->size()) != type.getNumElements())
      return std::nullopt;
    data.values.assign(values->begin(), values->end());
    data.resourceName = resource.getRawHandle().getKey().str();
    return data;
  }
  return std::nullopt;
}

/// A constant with `values`: a resource blob named `name` when `asResource`,
/// otherwise a dense attribute.
Value makeConstant(PatternRewriter &rewriter, Location loc,
                   RankedTensorType type, ArrayRef<float> values,
                   bool asResource, StringRef name) {
  TypedAttr attr;
  if (asResource) {
    AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
        ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                       values.size() * sizeof(float)),
        kWeightBlobAlignment, /*dataIsMutable=*/false);
    attr = cast<TypedAttr>(
        DenseF32ResourceElementsAttr::get(type, name, std::move(blob)));
  } else {
    attr = DenseElementsAttr::get(type, values);
  }
  return arith::ConstantOp::create(rewriter, loc, attr).getResult();
}

/// "conv1.weight" -> "conv1.bias": the name of a bias the layer did not have.
std::string biasNameFor(StringRef weightName) {
  if (weightName.consume_back(".weight"))
    return (weightName + ".bias").str();
  return (weightName + ".bias").str();
}

//===----------------------------------------------------------------------===//
// The pattern
//===----------------------------------------------------------------------===//

/// batch_norm(layer(x, w, b)) -> layer(x, w', b') for a dense or conv2d
/// `layer` that only the batch_norm reads.
struct FoldIntoLayer : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    Operation *layer = bn.getInput().getDefiningOp();
    if (!layer || !isa<DenseOp, Conv2DOp>(layer))
      return rewriter.notifyMatchFailure(bn, "input is not a dense or conv2d");
    if (!layer->getResult(0).hasOneUse())
      return rewriter.notifyMatchFailure(bn, "the layer has other users");
    // batch_norm normalises axis 1; a dense output has its units there only
    // at rank 2.
    if (isa<DenseOp>(layer) &&
        cast<RankedTensorType>(layer->getResult(0).getType()).getRank() != 2)
      return rewriter.notifyMatchFailure(bn, "dense output is not rank 2");

    Value weight = layer->getOperand(1);
    Value bias = layer->getNumOperands() > 2 ? layer->getOperand(2) : Value();
    std::optional<ConstantData> w = constantData(weight);
    std::optional<ConstantData> b;
    if (bias && !(b = constantData(bias)))
      return rewriter.notifyMatchFailure(bn, "layer bias is not constant");
    std::optional<ConstantData> gamma = constantData(bn.getWeight());
    std::optional<ConstantData> beta = constantData(bn.getBias());
    std::optional<ConstantData> mean = constantData(bn.getRunningMean());
    std::optional<ConstantData> var = constantData(bn.getRunningVar());
    if (!w || !gamma || !beta || !mean || !var)
      return rewriter.notifyMatchFailure(bn, "a parameter is not constant");

    auto weightType = cast<RankedTensorType>(weight.getType());
    int64_t channels = weightType.getDimSize(0);
    size_t perChannel = w->values.size() / channels;
    for (const ConstantData *p : {&*gamma, &*beta, &*mean, &*var})
      if (static_cast<int64_t>(p->values.size()) != channels)
        return rewriter.notifyMatchFailure(bn, "statistics size mismatch");
    if (b && static_cast<int64_t>(b->values.size()) != channels)
      return rewriter.notifyMatchFailure(bn, "bias size mismatch");

    double eps = bn.getEps().convertToDouble();
    std::vector<float> newWeight(w->values.size()), newBias(channels);
    for (int64_t c = 0; c < channels; ++c) {
      double scale =
          double(gamma->values[c]) / std::sqrt(double(var->values[c]) + eps);
      // A variance below -eps (NaN scale) or exactly -eps (infinite scale)
      // makes batch_norm give NaN or Inf per element; baked into a weight it
      // would spread over the whole channel differently.
      if (!std::isfinite(scale))
        return rewriter.notifyMatchFailure(bn, "scale is not finite");
      for (size_t i = 0; i < perChannel; ++i)
        newWeight[c * perChannel + i] =
            static_cast<float>(double(w->values[c * perChannel + i]) * scale);
      double oldBias = b ? double(b->values[c]) : 0.0;
      newBias[c] =
          static_cast<float>((oldBias - double(mean->values[c])) * scale +
                             double(beta->values[c]));
    }
    // A folded value that overflows f32 would turn finite outputs into Inf.
    auto finite = [](float v) { return std::isfinite(v); };
    if (!llvm::all_of(newWeight, finite) || !llvm::all_of(newBias, finite))
      return rewriter.notifyMatchFailure(bn, "a folded value overflows f32");

    bool asResource = !w->resourceName.empty();
    std::string weightName = w->resourceName + ".folded";
    std::string biasName =
        (b && !b->resourceName.empty() ? b->resourceName
                                       : biasNameFor(w->resourceName)) +
        ".folded";
    rewriter.setInsertionPoint(layer);
    Location loc = bn.getLoc();
    Value foldedWeight = makeConstant(rewriter, weight.getLoc(), weightType,
                                      newWeight, asResource, weightName);
    auto biasType = RankedTensorType::get({channels}, rewriter.getF32Type());
    Value foldedBias = makeConstant(rewriter, bias ? bias.getLoc() : loc,
                                    biasType, newBias, asResource, biasName);

    Value input = layer->getOperand(0);
    Value result;
    if (isa<DenseOp>(layer)) {
      result = DenseOp::create(rewriter, layer->getLoc(), input, foldedWeight,
                               foldedBias)
                   .getResult();
    } else {
      auto conv = cast<Conv2DOp>(layer);
      result = Conv2DOp::create(rewriter, layer->getLoc(), input, foldedWeight,
                                foldedBias, conv.getStrideAttr(),
                                conv.getPaddingAttr(), conv.getDilationAttr(),
                                conv.getGroupsAttr())
                   .getResult();
    }
    rewriter.replaceOp(bn, result);
    rewriter.eraseOp(layer);
    return success();
  }
};

struct FoldBatchNormPass
    : actc::nn::impl::FoldBatchNormPassBase<FoldBatchNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldIntoLayer>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
