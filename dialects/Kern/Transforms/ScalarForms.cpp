// SPDX-License-Identifier: Apache-2.0
//
// The scalar forms of the elementwise nn ops (see ScalarForms.h).
// Piecewise-linear activations and the arithmetic ops are spelled in arith
// (bit-exact against the reference; NaN in gives NaN out: arith.maximumf /
// minimumf propagate NaN and every select is written so that a NaN input
// reaches the result). The transcendental activations become one
// kern.activation each: their accuracy bound (ACTIVATIONS.md) needs forms
// that a chain of rounded math ops cannot give, so the backend builds them
// whole (compiler/backend/halide/math/Activations.h).

#include "dialects/Kern/Transforms/ScalarForms.h"

#include "dialects/Kern/IR/KernOps.h"
#include "dialects/NN/IR/NNOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace actc;

namespace {

/// Small helpers that keep each form close to its formula.
class ScalarBuilder {
public:
  ScalarBuilder(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  Value cst(double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  /// IEEE maximum/minimum: NaN if either operand is NaN.
  Value max(Value x, Value y) {
    return arith::MaximumFOp::create(b, loc, x, y);
  }
  Value min(Value x, Value y) {
    return arith::MinimumFOp::create(b, loc, x, y);
  }
  Value cmp(arith::CmpFPredicate p, Value x, Value y) {
    return arith::CmpFOp::create(b, loc, p, x, y);
  }
  Value select(Value c, Value t, Value f) {
    return arith::SelectOp::create(b, loc, c, t, f);
  }
  Value sqrt(Value x) { return math::SqrtOp::create(b, loc, x); }

  /// kern.activation `name` on x with the op's attributes (all of them, the
  /// defaults filled in: the consumers read every one they need).
  Value act(StringRef name, Value x,
            ArrayRef<std::pair<StringRef, Attribute>> params = {}) {
    SmallVector<NamedAttribute> attrs;
    for (auto [key, value] : params)
      attrs.push_back(b.getNamedAttr(key, value));
    return kern::ActivationOp::create(b, loc, b.getF32Type(),
                                      b.getStringAttr(name), x,
                                      b.getDictionaryAttr(attrs));
  }

private:
  OpBuilder &b;
  Location loc;
};

double f(FloatAttr attr) { return attr.getValueAsDouble(); }

} // namespace

FailureOr<Value> kern::buildScalarForm(OpBuilder &builder, Location loc,
                                       Operation *op, ValueRange operands) {
  ScalarBuilder s(builder, loc);
  using P = arith::CmpFPredicate;
  Value x = operands.empty() ? Value() : operands[0];
  auto result =
      llvm::TypeSwitch<Operation *, Value>(op)
          // Piecewise linear: bit-identical to the reference.
          .Case([&](nn::ReluOp) { return s.max(x, s.cst(0.0)); })
          .Case([&](nn::LeakyReluOp o) {
            // alpha may be negative or above 1: a select, not max(x, a*x).
            return s.select(s.cmp(P::OGE, x, s.cst(0.0)), x,
                            s.mul(s.cst(f(o.getAlphaAttr())), x));
          })
          .Case([&](nn::Relu6Op) {
            return s.min(s.max(x, s.cst(0.0)), s.cst(6.0));
          })
          .Case([&](nn::LeakyRelu6Op o) {
            return s.select(s.cmp(P::OLT, x, s.cst(0.0)),
                            s.mul(s.cst(f(o.getAlphaAttr())), x),
                            s.min(x, s.cst(f(o.getCapAttr()))));
          })
          .Case([&](nn::ClipOp o) {
            return s.min(s.max(x, s.cst(f(o.getLoAttr()))),
                         s.cst(f(o.getHiAttr())));
          })
          .Case([&](nn::ThresholdedReluOp o) {
            // `ugt` is true for NaN, so NaN comes out (ACTIVATIONS.md).
            return s.select(s.cmp(P::UGT, x, s.cst(f(o.getAlphaAttr()))), x,
                            s.cst(0.0));
          })
          .Case([&](nn::PReluOp) {
            return s.select(s.cmp(P::OGE, x, s.cst(0.0)), x,
                            s.mul(operands[1], x));
          })
          // The transcendental ones (and the two hard_ ones, which are
          // rounded once from double): one kern.activation each, built by
          // the backend from its stable vector form.
          .Case([&](nn::HardSigmoidOp o) {
            return s.act(
                "hard_sigmoid", x,
                {{"alpha", o.getAlphaAttr()}, {"beta", o.getBetaAttr()}});
          })
          .Case([&](nn::HardSwishOp) { return s.act("hard_swish", x); })
          .Case([&](nn::EluOp o) {
            return s.act("elu", x, {{"alpha", o.getAlphaAttr()}});
          })
          .Case([&](nn::SeluOp o) {
            return s.act(
                "selu", x,
                {{"alpha", o.getAlphaAttr()}, {"gamma", o.getGammaAttr()}});
          })
          .Case([&](nn::CeluOp o) {
            return s.act("celu", x, {{"alpha", o.getAlphaAttr()}});
          })
          .Case([&](nn::SigmoidOp) { return s.act("sigmoid", x); })
          .Case([&](nn::TanhOp) { return s.act("tanh", x); })
          .Case([&](nn::SiluOp) { return s.act("silu", x); })
          .Case([&](nn::SwishOp o) {
            return s.act("swish", x, {{"beta", o.getBetaAttr()}});
          })
          .Case([&](nn::GeluOp o) {
            return s.act("gelu", x, {{"approximate", o.getApproximateAttr()}});
          })
          .Case([&](nn::MishOp) { return s.act("mish", x); })
          .Case([&](nn::SoftplusOp o) {
            return s.act("softplus", x,
                         {{"beta", o.getBetaAttr()},
                          {"threshold", o.getThresholdAttr()}});
          })
          .Case([&](nn::SoftsignOp) { return s.act("softsign", x); })
          // Arithmetic.
          .Case([&](nn::AddOp) { return s.add(operands[0], operands[1]); })
          .Case([&](nn::SubOp) { return s.sub(operands[0], operands[1]); })
          .Case([&](nn::MulOp) { return s.mul(operands[0], operands[1]); })
          .Case([&](nn::BatchNormOp o) {
            // (x - mean) / sqrt(var + eps) * weight + bias, as written.
            Value norm =
                s.div(s.sub(x, operands[3]),
                      s.sqrt(s.add(operands[4], s.cst(f(o.getEpsAttr())))));
            return s.add(s.mul(norm, operands[1]), operands[2]);
          })
          .Default([](Operation *) { return Value(); });
  if (!result)
    return failure();
  return result;
}
