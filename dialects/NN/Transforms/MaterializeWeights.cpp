// SPDX-License-Identifier: Apache-2.0
//
// materializeWeights (MaterializeWeights.h): nn.param -> arith.constant
// dense_resource<NAME>. All params are validated first, then all are
// rewritten, so a failure leaves the module as it was.

#include "dialects/NN/Transforms/MaterializeWeights.h"

#include "dialects/NN/IR/NNOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <map>

using namespace mlir;

namespace actc::nn {

namespace {
/// A param together with the type its constant gets.
struct Planned {
  ParamOp op;
  const weights::WeightTensor *tensor;
  RankedTensorType type;
};
} // namespace

static std::string formatShape(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(d);
  return s + "]";
}

/// The type of the constant that replaces `op`, or an error at `op`.
static FailureOr<RankedTensorType>
constantType(ParamOp op, const weights::WeightTensor &t) {
  RankedTensorType declared = op.getResult().getType();
  int64_t count = 1;
  for (int64_t d : t.shape) {
    if (d < 0)
      return op.emitError()
             << "weight '" << op.getName() << "' has a negative dimension "
             << formatShape(t.shape);
    count *= d;
  }
  if (static_cast<size_t>(count) != t.data.size())
    return op.emitError() << "weight '" << op.getName() << "' of shape "
                          << formatShape(t.shape) << " holds " << t.data.size()
                          << " values, expected " << count;
  if (ArrayRef<int64_t>(t.shape) == declared.getShape() ||
      count == declared.getNumElements())
    return declared;
  // A prelu slope bound as [C] where the model wrote [1]: prelu accepts
  // both, and every user must be a prelu reading it as its slope.
  auto wider = RankedTensorType::get(t.shape, declared.getElementType());
  bool allPReluSlopes = !op->use_empty();
  for (OpOperand &use : op->getUses()) {
    auto prelu = dyn_cast<PReluOp>(use.getOwner());
    allPReluSlopes &=
        prelu && use.getOperandNumber() == 1 && t.shape.size() == 1 &&
        prelu.getInput().getType().getRank() >= 1 &&
        prelu.getInput().getType().getDimSize(
            prelu.getInput().getType().getRank() == 1 ? 0 : 1) == t.shape[0];
  }
  if (allPReluSlopes)
    return wider;
  return op.emitError() << "weight '" << op.getName() << "' has shape "
                        << formatShape(t.shape) << ", expected "
                        << formatShape(declared.getShape());
}

LogicalResult materializeWeights(ModuleOp module,
                                 const weights::WeightMap &weights) {
  std::vector<Planned> plan;
  bool ok = true;
  module.walk([&](ParamOp op) {
    auto it = weights.find(op.getName().str());
    if (it == weights.end()) {
      op.emitError() << "no weight named '" << op.getName() << "' is bound";
      ok = false;
      return;
    }
    FailureOr<RankedTensorType> type = constantType(op, it->second);
    if (failed(type)) {
      ok = false;
      return;
    }
    plan.push_back({op, &it->second, *type});
  });
  if (!ok)
    return failure();

  // One attribute (one blob) per (name, type).
  std::map<std::pair<std::string, std::string>, DenseResourceElementsAttr>
      attrs;
  for (Planned &p : plan) {
    std::string typeKey;
    llvm::raw_string_ostream(typeKey) << p.type;
    DenseResourceElementsAttr &attr = attrs[{p.op.getName().str(), typeKey}];
    if (!attr) {
      ArrayRef<float> data = p.tensor->data;
      AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
          ArrayRef<char>(reinterpret_cast<const char *>(data.data()),
                         data.size() * sizeof(float)),
          kWeightBlobAlignment, /*dataIsMutable=*/false);
      attr = DenseF32ResourceElementsAttr::get(p.type, p.op.getName(),
                                               std::move(blob));
    }
    OpBuilder builder(p.op);
    auto constant = arith::ConstantOp::create(builder, p.op.getLoc(),
                                              cast<TypedAttr>(attr));
    p.op.getResult().replaceAllUsesWith(constant.getResult());
    p.op.erase();
  }
  return success();
}

} // namespace actc::nn
