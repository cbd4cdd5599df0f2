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

/// A rule's message names its op ("dense expects ..."); MLIR's prefix
/// ("'nn.dense' op ") already does, so the rule's own name is dropped.
static LogicalResult fail(Operation *op, const rules::Failure &failure) {
  StringRef message = failure.message;
  std::string own = (op->getName().stripDialect() + " ").str();
  message.consume_front(own);
  return op->emitOpError() << message;
}

/// The result's shape must be exactly the one the rule inferred.
static LogicalResult verifyResult(Operation *op,
                                  const rules::ShapeResult &inferred) {
  if (!inferred)
    return fail(op, inferred.failure());
  rules::Shape found = shapeOf(op->getResult(0));
  if (found != inferred.value())
    return op->emitOpError()
           << "expects a result of shape " << rules::formatShape(inferred.value())
           << ", found " << rules::formatShape(found);
  return success();
}

/// A parameter operand (weight, bias, ...) must have the shape the rule says
/// (or one of the shapes it also accepts).
static LogicalResult verifyParam(Operation *op, Value value,
                                 const rules::ParamShape &expected) {
  rules::Shape found = shapeOf(value);
  if (found == expected.shape)
    return success();
  for (const rules::Shape &other : expected.alsoAccepted)
    if (found == other)
      return success();
  auto diag = op->emitOpError()
              << "expects " << expected.suffix << " of shape "
              << rules::formatShape(expected.shape);
  for (const rules::Shape &other : expected.alsoAccepted)
    diag << " or " << rules::formatShape(other);
  return diag << ", found " << rules::formatShape(found);
}

/// An optional bias is verified when present; `params` lists it last.
static LogicalResult verifyParams(Operation *op,
                                  ArrayRef<rules::ParamShape> params,
                                  ArrayRef<Value> values) {
  for (auto [param, value] : llvm::zip(params, values))
    if (value && failed(verifyParam(op, value, param)))
      return failure();
  return success();
}

/// A fixed-size integer list attribute (kernel, stride, padding, dilation).
template <size_t N>
static FailureOr<std::array<int64_t, N>>
fixedArray(Operation *op, StringRef name, ArrayRef<int64_t> values) {
  if (values.size() != N)
    return op->emitOpError() << "expects " << name << " to have " << N
                             << " values, found " << values.size();
  std::array<int64_t, N> result;
  llvm::copy(values, result.begin());
  return result;
}

static LogicalResult check(Operation *op, const rules::Check &result) {
  return result ? fail(op, *result) : success();
}

/// Every float attribute of an activation must be finite.
static LogicalResult verifyFloatAttrs(Operation *op) {
  for (NamedAttribute attr : op->getAttrs())
    if (auto value = dyn_cast<FloatAttr>(attr.getValue()))
      if (failed(check(op, rules::checkFinite(op->getName().stripDialect(),
                                              attr.getName().strref(),
                                              value.getValueAsDouble()))))
        return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Parameters and layers
//===----------------------------------------------------------------------===//

LogicalResult ParamOp::verify() {
  auto type = getResult().getType();
  if (!type.hasStaticShape())
    return emitOpError() << "expects a static shape, found " << type;
  if (getName().empty())
    return emitOpError() << "expects a non-empty name";
  return success();
}

LogicalResult DenseOp::verify() {
  rules::Shape weight = shapeOf(getWeight());
  if (weight.size() != 2)
    return emitOpError() << "expects weight of rank 2 [units, in], found "
                         << rules::formatShape(weight);
  rules::Shape input = shapeOf(getInput());
  rules::ShapeResult inferred = rules::inferDense(input, weight[0]);
  if (!inferred)
    return fail(*this, inferred.failure());
  if (failed(verifyParams(*this, rules::denseParams(input, weight[0], !!getBias()),
                          {getWeight(), getBias()})))
    return failure();
  return verifyResult(*this, inferred);
}

LogicalResult Conv2DOp::verify() {
  rules::Shape weight = shapeOf(getWeight());
  if (weight.size() != 4)
    return emitOpError()
           << "expects weight of rank 4 [filters, C/groups, kh, kw], found "
           << rules::formatShape(weight);
  auto stride = fixedArray<2>(*this, "stride", getStride());
  auto padding = fixedArray<4>(*this, "padding", getPadding());
  auto dilation = fixedArray<2>(*this, "dilation", getDilation());
  if (failed(stride) || failed(padding) || failed(dilation))
    return failure();
  rules::Conv2DAttrs attrs;
  attrs.filters = weight[0];
  attrs.kernel = {weight[2], weight[3]};
  attrs.stride = *stride;
  attrs.padding = *padding;
  attrs.dilation = *dilation;
  attrs.groups = getGroups();
  rules::Shape input = shapeOf(getInput());
  rules::ShapeResult inferred = rules::inferConv2D(input, attrs);
  if (!inferred)
    return fail(*this, inferred.failure());
  if (failed(verifyParams(*this, rules::conv2DParams(input, attrs, !!getBias()),
                          {getWeight(), getBias()})))
    return failure();
  return verifyResult(*this, inferred);
}

LogicalResult BatchNormOp::verify() {
  if (failed(verifyFloatAttrs(*this)) ||
      failed(check(*this, rules::checkPositive("batch_norm", "eps",
                                               getEps().convertToDouble()))))
    return failure();
  rules::Shape input = shapeOf(getInput());
  rules::ShapeResult inferred = rules::inferBatchNorm(input);
  if (!inferred)
    return fail(*this, inferred.failure());
  if (failed(verifyParams(*this, rules::batchNormParams(input),
                          {getWeight(), getBias(), getRunningMean(),
                           getRunningVar()})))
    return failure();
  return verifyResult(*this, inferred);
}

LogicalResult LayerNormOp::verify() {
  if (failed(verifyFloatAttrs(*this)) ||
      failed(check(*this, rules::checkPositive("layer_norm", "eps",
                                               getEps().convertToDouble()))))
    return failure();
  rules::Shape input = shapeOf(getInput());
  rules::ShapeResult inferred = rules::inferLayerNorm(input);
  if (!inferred)
    return fail(*this, inferred.failure());
  if (failed(verifyParams(*this, rules::layerNormParams(input),
                          {getWeight(), getBias()})))
    return failure();
  return verifyResult(*this, inferred);
}

template <typename PoolOp> static LogicalResult verifyPool(PoolOp op) {
  auto kernel = fixedArray<2>(op, "kernel", op.getKernel());
  auto stride = fixedArray<2>(op, "stride", op.getStride());
  auto padding = fixedArray<4>(op, "padding", op.getPadding());
  if (failed(kernel) || failed(stride) || failed(padding))
    return failure();
  rules::Pool2DAttrs attrs{*kernel, *stride, *padding};
  return verifyResult(op, rules::inferPool2D(op->getName().stripDialect(),
                                             shapeOf(op.getInput()), attrs));
}

LogicalResult MaxPool2DOp::verify() { return verifyPool(*this); }
LogicalResult AvgPool2DOp::verify() { return verifyPool(*this); }

LogicalResult GlobalAvgPool2DOp::verify() {
  return verifyResult(*this, rules::inferGlobalAvgPool2D(shapeOf(getInput())));
}

template <typename BinaryOp> static LogicalResult verifyBroadcast(BinaryOp op) {
  return verifyResult(op, rules::inferBroadcast(op->getName().stripDialect(),
                                                shapeOf(op.getLhs()),
                                                shapeOf(op.getRhs())));
}

LogicalResult AddOp::verify() { return verifyBroadcast(*this); }
LogicalResult SubOp::verify() { return verifyBroadcast(*this); }
LogicalResult MulOp::verify() { return verifyBroadcast(*this); }

LogicalResult MatmulOp::verify() {
  return verifyResult(*this,
                      rules::inferMatmul(shapeOf(getLhs()), shapeOf(getRhs())));
}

LogicalResult FlattenOp::verify() {
  return verifyResult(*this, rules::inferFlatten(shapeOf(getInput()), getAxis()));
}

LogicalResult ReshapeOp::verify() {
  return verifyResult(*this,
                      rules::inferReshape(shapeOf(getInput()), getShape().vec()));
}

LogicalResult TransposeOp::verify() {
  return verifyResult(*this,
                      rules::inferTranspose(shapeOf(getInput()), getPerm().vec()));
}

LogicalResult ConcatOp::verify() {
  std::vector<rules::Shape> inputs;
  for (Value input : getInputs())
    inputs.push_back(shapeOf(input));
  return verifyResult(*this, rules::inferConcat(inputs, getAxis()));
}

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

LogicalResult PReluOp::verify() {
  rules::Shape input = shapeOf(getInput());
  if (failed(check(*this, rules::checkPReluSlope(input, shapeOf(getSlope())))))
    return failure();
  return verifyResult(*this, rules::ShapeResult(input));
}

#define GET_OP_CLASSES
#include "dialects/NN/IR/NNOps.cpp.inc"
