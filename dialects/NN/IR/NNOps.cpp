// SPDX-License-Identifier: Apache-2.0
//
// Verifiers of the nn ops. Each one turns the op's types and attributes into
// the plain shapes of dialects/NN/Rules, asks the shared rule for the result
// and parameter shapes, and reports what it expected and what it found. The
// front end validates models with the same rules, so a model that passed the
// front end always verifies here; these verifiers guard hand-written IR and
// the output of passes.

#include "dialects/NN/IR/NNOps.h"

#include "dialects/NN/Rules/OpRules.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include <cmath>

using namespace mlir;
using namespace actc;
using namespace actc::nn;

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

/// MLIR's dynamic size is INT64_MIN; the rules use -1 for an anonymous one.
static rules::Shape shapeOf(Value value) {
  rules::Shape shape;
  for (int64_t d : cast<RankedTensorType>(value.getType()).getShape())
    shape.push_back(ShapedType::isDynamic(d) ? rules::kDynamic : d);
  return shape;
}

static rules::Failure failure(std::string message) {
  return rules::Failure{std::move(message), {}};
}

/// A rule's message names its op ("dense expects ..."); MLIR's prefix
/// ("'nn.dense' op ") already does, so the rule's own name is dropped.
static std::string opMessage(StringRef opName, const rules::Failure &failure) {
  StringRef message = failure.message;
  message.consume_front((opName.split('.').second + " ").str());
  return message.str();
}

static LogicalResult fail(Operation *op, const rules::Failure &failure) {
  return op->emitOpError() << opMessage(op->getName().getStringRef(), failure);
}

static LogicalResult check(Operation *op, const rules::Check &result) {
  return result ? fail(op, *result) : success();
}

/// A fixed-size integer list attribute (kernel, stride, padding, dilation).
template <size_t N>
static rules::Result<std::array<int64_t, N>>
fixedArray(StringRef name, ArrayRef<int64_t> values) {
  if (values.size() != N)
    return failure(("expects " + name + " to have " + Twine(N) +
                    " values, found " + Twine(values.size()))
                       .str());
  std::array<int64_t, N> result;
  llvm::copy(values, result.begin());
  return result;
}

/// A parameter operand (weight, bias, ...) must have the shape the rule says
/// (or one of the shapes it also accepts). Optional operands that are absent
/// (a bias) are null and skipped.
static LogicalResult verifyParams(Operation *op,
                                  ArrayRef<rules::ParamShape> params,
                                  ArrayRef<Value> values) {
  for (auto [expected, value] : llvm::zip(params, values)) {
    if (!value)
      continue;
    rules::Shape found = shapeOf(value);
    if (found == expected.shape ||
        llvm::is_contained(expected.alsoAccepted, found))
      continue;
    auto diag = op->emitOpError()
                << "expects " << expected.suffix << " of shape "
                << rules::formatShape(expected.shape);
    for (const rules::Shape &other : expected.alsoAccepted)
      diag << " or " << rules::formatShape(other);
    return diag << ", found " << rules::formatShape(found);
  }
  return success();
}

/// Every float attribute must be finite.
static LogicalResult verifyFloatAttrs(Operation *op) {
  for (NamedAttribute attr : op->getAttrs())
    if (auto value = dyn_cast<FloatAttr>(attr.getValue()))
      if (failed(check(op, rules::checkFinite(op->getName().stripDialect(),
                                              attr.getName().strref(),
                                              value.getValueAsDouble()))))
        return failure();
  return success();
}

/// inferReturnTypes for every shaped op: the rule's shape as a tensor type,
/// or the rule's message at `loc`. Operands that are not ranked tensors (a
/// builder's mistake; the verifier checks operand types first) fail here
/// instead of reaching the rules.
template <typename OpTy>
static LogicalResult
inferFromRules(MLIRContext *context, std::optional<Location> loc,
               typename OpTy::Adaptor adaptor, SmallVectorImpl<Type> &types) {
  for (Value operand : adaptor.getOperands())
    if (!operand || !isa<RankedTensorType>(operand.getType()))
      return emitOptionalError(loc, "'", OpTy::getOperationName(),
                               "' op expects ranked tensor operands");
  rules::ShapeResult shape = ruleShape(adaptor);
  if (!shape)
    return emitOptionalError(
        loc, "'", OpTy::getOperationName(), "' op ",
        opMessage(OpTy::getOperationName(), shape.failure()));
  SmallVector<int64_t> dims;
  for (rules::Dim d : shape.value())
    dims.push_back(rules::isDynamic(d) ? ShapedType::kDynamic : d);
  types.push_back(RankedTensorType::get(dims, Float32Type::get(context)));
  return success();
}

/// verifyRules for ops without parameters: the rule must hold.
template <typename OpTy> static LogicalResult verifyShapeRule(OpTy op) {
  rules::ShapeResult shape = ruleShape(typename OpTy::Adaptor(op));
  return shape ? success() : fail(op, shape.failure());
}

#define ACTC_INFER_FROM_RULES(Op)                                              \
  LogicalResult Op::inferReturnTypes(                                          \
      MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,      \
      SmallVectorImpl<Type> &types) {                                          \
    return inferFromRules<Op>(context, loc, adaptor, types);                   \
  }

//===----------------------------------------------------------------------===//
// Parameters
//===----------------------------------------------------------------------===//

LogicalResult ParamOp::verify() {
  auto type = getResult().getType();
  if (!type.hasStaticShape())
    return emitOpError() << "expects a static shape, found " << type;
  if (getName().empty())
    return emitOpError() << "expects a non-empty name";
  return success();
}

//===----------------------------------------------------------------------===//
// Layers: ruleShape(adaptor) is the single description of each op's shape,
// used by the verifier (verifyRules) and by type inference.
//===----------------------------------------------------------------------===//

namespace actc::nn {
static rules::ShapeResult ruleShape(DenseOp::Adaptor op) {
  rules::Shape weight = shapeOf(op.getWeight());
  if (weight.size() != 2)
    return failure("expects weight of rank 2 [units, in], found " +
                   rules::formatShape(weight));
  return rules::inferDense(shapeOf(op.getInput()), weight[0]);
}
} // namespace actc::nn

LogicalResult DenseOp::verifyRules() {
  rules::ShapeResult shape = ruleShape(Adaptor(*this));
  if (!shape)
    return fail(*this, shape.failure());
  int64_t units = shapeOf(getWeight())[0];
  return verifyParams(
      *this, rules::denseParams(shapeOf(getInput()), units, !!getBias()),
      {getWeight(), getBias()});
}
ACTC_INFER_FROM_RULES(DenseOp)

static rules::Result<rules::Conv2DAttrs> convAttrs(Conv2DOp::Adaptor op) {
  rules::Shape weight = shapeOf(op.getWeight());
  if (weight.size() != 4)
    return failure(
        "expects weight of rank 4 [filters, C/groups, kh, kw], found " +
        rules::formatShape(weight));
  auto stride = fixedArray<2>("stride", op.getStride());
  auto padding = fixedArray<4>("padding", op.getPadding());
  auto dilation = fixedArray<2>("dilation", op.getDilation());
  for (const rules::Failure *problem :
       {stride ? nullptr : &stride.failure(),
        padding ? nullptr : &padding.failure(),
        dilation ? nullptr : &dilation.failure()})
    if (problem)
      return *problem;
  rules::Conv2DAttrs attrs;
  attrs.filters = weight[0];
  attrs.kernel = {weight[2], weight[3]};
  attrs.stride = stride.value();
  attrs.padding = padding.value();
  attrs.dilation = dilation.value();
  attrs.groups = op.getGroups();
  return attrs;
}

namespace actc::nn {
static rules::ShapeResult ruleShape(Conv2DOp::Adaptor op) {
  rules::Result<rules::Conv2DAttrs> attrs = convAttrs(op);
  if (!attrs)
    return attrs.failure();
  return rules::inferConv2D(shapeOf(op.getInput()), attrs.value());
}
} // namespace actc::nn

LogicalResult Conv2DOp::verifyRules() {
  rules::ShapeResult shape = ruleShape(Adaptor(*this));
  if (!shape)
    return fail(*this, shape.failure());
  return verifyParams(*this,
                      rules::conv2DParams(shapeOf(getInput()),
                                          convAttrs(Adaptor(*this)).value(),
                                          !!getBias()),
                      {getWeight(), getBias()});
}
ACTC_INFER_FROM_RULES(Conv2DOp)

namespace actc::nn {
static rules::ShapeResult ruleShape(BatchNormOp::Adaptor op) {
  if (auto bad = rules::checkPositive("batch_norm", "eps",
                                      op.getEps().convertToDouble()))
    return *bad;
  return rules::inferBatchNorm(shapeOf(op.getInput()));
}
} // namespace actc::nn

LogicalResult BatchNormOp::verifyRules() {
  if (failed(verifyFloatAttrs(*this)) || failed(verifyShapeRule(*this)))
    return failure();
  return verifyParams(
      *this, rules::batchNormParams(shapeOf(getInput())),
      {getWeight(), getBias(), getRunningMean(), getRunningVar()});
}
ACTC_INFER_FROM_RULES(BatchNormOp)

namespace actc::nn {
static rules::ShapeResult ruleShape(LayerNormOp::Adaptor op) {
  if (auto bad = rules::checkPositive("layer_norm", "eps",
                                      op.getEps().convertToDouble()))
    return *bad;
  return rules::inferLayerNorm(shapeOf(op.getInput()));
}
} // namespace actc::nn

LogicalResult LayerNormOp::verifyRules() {
  if (failed(verifyFloatAttrs(*this)) || failed(verifyShapeRule(*this)))
    return failure();
  return verifyParams(*this, rules::layerNormParams(shapeOf(getInput())),
                      {getWeight(), getBias()});
}
ACTC_INFER_FROM_RULES(LayerNormOp)

template <typename Adaptor>
static rules::ShapeResult poolShape(StringRef op, Adaptor adaptor) {
  auto kernel = fixedArray<2>("kernel", adaptor.getKernel());
  if (!kernel)
    return kernel.failure();
  auto stride = fixedArray<2>("stride", adaptor.getStride());
  if (!stride)
    return stride.failure();
  auto padding = fixedArray<4>("padding", adaptor.getPadding());
  if (!padding)
    return padding.failure();
  rules::Pool2DAttrs attrs{kernel.value(), stride.value(), padding.value()};
  return rules::inferPool2D(op, shapeOf(adaptor.getInput()), attrs);
}

namespace actc::nn {
static rules::ShapeResult ruleShape(MaxPool2DOp::Adaptor op) {
  return poolShape("max_pool2d", op);
}
} // namespace actc::nn
namespace actc::nn {
static rules::ShapeResult ruleShape(AvgPool2DOp::Adaptor op) {
  return poolShape("avg_pool2d", op);
}
} // namespace actc::nn
namespace actc::nn {
static rules::ShapeResult ruleShape(GlobalAvgPool2DOp::Adaptor op) {
  return rules::inferGlobalAvgPool2D(shapeOf(op.getInput()));
}
} // namespace actc::nn
namespace actc::nn {
static rules::ShapeResult ruleShape(AddOp::Adaptor op) {
  return rules::inferBroadcast("add", shapeOf(op.getLhs()),
                               shapeOf(op.getRhs()));
}
} // namespace actc::nn
namespace actc::nn {
static rules::ShapeResult ruleShape(SubOp::Adaptor op) {
  return rules::inferBroadcast("sub", shapeOf(op.getLhs()),
                               shapeOf(op.getRhs()));
}
} // namespace actc::nn
namespace actc::nn {
static rules::ShapeResult ruleShape(MulOp::Adaptor op) {
  return rules::inferBroadcast("mul", shapeOf(op.getLhs()),
                               shapeOf(op.getRhs()));
}
} // namespace actc::nn
namespace actc::nn {
static rules::ShapeResult ruleShape(MatmulOp::Adaptor op) {
  return rules::inferMatmul(shapeOf(op.getLhs()), shapeOf(op.getRhs()));
}
} // namespace actc::nn
namespace actc::nn {
static rules::ShapeResult ruleShape(FlattenOp::Adaptor op) {
  return rules::inferFlatten(shapeOf(op.getInput()), op.getAxis());
}
} // namespace actc::nn
namespace actc::nn {
static rules::ShapeResult ruleShape(ReshapeOp::Adaptor op) {
  return rules::inferReshape(shapeOf(op.getInput()), op.getShape().vec());
}
} // namespace actc::nn
namespace actc::nn {
static rules::ShapeResult ruleShape(TransposeOp::Adaptor op) {
  return rules::inferTranspose(shapeOf(op.getInput()), op.getPerm().vec());
}
} // namespace actc::nn
namespace actc::nn {
static rules::ShapeResult ruleShape(ConcatOp::Adaptor op) {
  std::vector<rules::Shape> inputs;
  for (Value input : op.getInputs())
    inputs.push_back(shapeOf(input));
  return rules::inferConcat(inputs, op.getAxis());
}
} // namespace actc::nn
namespace actc::nn {
static rules::ShapeResult ruleShape(PReluOp::Adaptor op) {
  rules::Shape input = shapeOf(op.getInput());
  if (auto bad = rules::checkPReluSlope(input, shapeOf(op.getSlope())))
    return *bad;
  return input;
}
} // namespace actc::nn

#define ACTC_SHAPE_ONLY(Op)                                                    \
  LogicalResult Op::verifyRules() { return verifyShapeRule(*this); }           \
  ACTC_INFER_FROM_RULES(Op)
ACTC_SHAPE_ONLY(MaxPool2DOp)
ACTC_SHAPE_ONLY(AvgPool2DOp)
ACTC_SHAPE_ONLY(GlobalAvgPool2DOp)
ACTC_SHAPE_ONLY(AddOp)
ACTC_SHAPE_ONLY(SubOp)
ACTC_SHAPE_ONLY(MulOp)
ACTC_SHAPE_ONLY(MatmulOp)
ACTC_SHAPE_ONLY(FlattenOp)
ACTC_SHAPE_ONLY(ReshapeOp)
ACTC_SHAPE_ONLY(TransposeOp)
ACTC_SHAPE_ONLY(ConcatOp)
ACTC_SHAPE_ONLY(PReluOp)
#undef ACTC_SHAPE_ONLY
#undef ACTC_INFER_FROM_RULES

//===----------------------------------------------------------------------===//
// Activations: shapes are fixed by SameOperandsAndResultType; only the
// attributes need checks.
//===----------------------------------------------------------------------===//

#define ACTC_NO_ATTRIBUTES(Op)                                                 \
  LogicalResult Op::verify() { return success(); }
ACTC_NO_ATTRIBUTES(ReluOp)
ACTC_NO_ATTRIBUTES(Relu6Op)
ACTC_NO_ATTRIBUTES(SigmoidOp)
ACTC_NO_ATTRIBUTES(TanhOp)
ACTC_NO_ATTRIBUTES(SiluOp)
ACTC_NO_ATTRIBUTES(HardSwishOp)
ACTC_NO_ATTRIBUTES(MishOp)
ACTC_NO_ATTRIBUTES(SoftsignOp)
#undef ACTC_NO_ATTRIBUTES

#define ACTC_FINITE_ATTRIBUTES(Op)                                             \
  LogicalResult Op::verify() { return verifyFloatAttrs(*this); }
ACTC_FINITE_ATTRIBUTES(LeakyReluOp)
ACTC_FINITE_ATTRIBUTES(EluOp)
ACTC_FINITE_ATTRIBUTES(SeluOp)
ACTC_FINITE_ATTRIBUTES(ThresholdedReluOp)
ACTC_FINITE_ATTRIBUTES(HardSigmoidOp)
ACTC_FINITE_ATTRIBUTES(SwishOp)
#undef ACTC_FINITE_ATTRIBUTES

LogicalResult LeakyRelu6Op::verify() {
  if (failed(verifyFloatAttrs(*this)))
    return failure();
  return check(*this, rules::checkPositive("leaky_relu6", "cap",
                                           getCap().convertToDouble()));
}

LogicalResult ClipOp::verify() {
  if (failed(verifyFloatAttrs(*this)))
    return failure();
  return check(*this, rules::checkClipRange(getLo().convertToDouble(),
                                            getHi().convertToDouble()));
}

LogicalResult CeluOp::verify() {
  if (failed(verifyFloatAttrs(*this)))
    return failure();
  return check(*this, rules::checkNonZero("celu", "alpha",
                                          getAlpha().convertToDouble()));
}

LogicalResult GeluOp::verify() {
  return check(*this, rules::checkGeluApproximate(getApproximate()));
}

LogicalResult SoftplusOp::verify() {
  if (failed(verifyFloatAttrs(*this)))
    return failure();
  return check(*this, rules::checkPositive("softplus", "beta",
                                           getBeta().convertToDouble()));
}

LogicalResult SoftmaxOp::verify() {
  return check(*this, rules::checkAxis("softmax", getAxis(),
                                       getInput().getType().getRank()));
}

LogicalResult LogSoftmaxOp::verify() {
  return check(*this, rules::checkAxis("log_softmax", getAxis(),
                                       getInput().getType().getRank()));
}

#define GET_OP_CLASSES
#include "dialects/NN/IR/NNOps.cpp.inc"
