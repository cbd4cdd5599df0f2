// SPDX-License-Identifier: Apache-2.0
//
// The scalar forms of the elementwise nn ops (see ScalarForms.h). Each form
// follows ACTIVATIONS.md: NaN in gives NaN out (arith.maximumf/minimumf
// propagate NaN; every select is written so that a NaN input reaches the
// result), +-Inf gives the mathematical limit (a product x * g(x) whose g
// goes to 0 is guarded, since inf * 0 is NaN), and the tails use the stable
// forms: softplus as max(x,0) + log1p(exp(-|x|)), ELU/SELU/CELU with expm1,
// the exact GELU through erfc, sigmoid reflected, the tanh GELU as
// x * sigmoid(2u), and mish with one exp and no tanh.

#include "dialects/Kern/Transforms/ScalarForms.h"

#include "dialects/NN/IR/NNOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

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
  Value abs(Value x) { return math::AbsFOp::create(b, loc, x); }
  Value exp(Value x) { return math::ExpOp::create(b, loc, x); }
  Value expm1(Value x) { return math::ExpM1Op::create(b, loc, x); }
  Value log1p(Value x) { return math::Log1pOp::create(b, loc, x); }
  Value erfc(Value x) { return math::ErfcOp::create(b, loc, x); }
  Value tanh(Value x) { return math::TanhOp::create(b, loc, x); }
  Value sqrt(Value x) { return math::SqrtOp::create(b, loc, x); }
  Value copysign(Value x, Value y) {
    return math::CopySignOp::create(b, loc, x, y);
  }
  Value neg(Value x) { return arith::NegFOp::create(b, loc, x); }

  /// sigmoid(x), reflected: with e = exp(-|x|), 1/(1+e) for x >= 0 and
  /// e/(1+e) below, so the left tail keeps its relative accuracy (1 - s
  /// would cancel) and exp never overflows. NaN: e is NaN, so both are.
  Value sigmoid(Value x) {
    Value e = exp(neg(abs(x)));
    Value den = add(cst(1.0), e);
    return select(cmp(arith::CmpFPredicate::OGE, x, cst(0.0)),
                  div(cst(1.0), den), div(e, den));
  }

  /// x * g where g -> 0 as x -> -Inf (silu, swish, gelu, mish, hard_swish):
  /// a zero with x's sign where g is 0, so -Inf * 0 gives the limit (-)0
  /// rather than NaN, and a finite x gives exactly x * 0. A NaN g fails the
  /// comparison and propagates.
  Value guardedProduct(Value x, Value g) {
    return select(cmp(arith::CmpFPredicate::OEQ, g, cst(0.0)),
                  copysign(cst(0.0), x), mul(x, g));
  }

  /// x if x > 0 else alpha * expm1(x): expm1 keeps the accuracy just below
  /// 0 that exp(x) - 1 loses; NaN fails `> 0` and expm1(NaN) is NaN.
  Value elu(Value x, double alpha) {
    return select(cmp(arith::CmpFPredicate::OGT, x, cst(0.0)), x,
                  mul(cst(alpha), expm1(x)));
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
          .Case([&](nn::HardSigmoidOp o) {
            Value lin = s.add(s.mul(s.cst(f(o.getAlphaAttr())), x),
                              s.cst(f(o.getBetaAttr())));
            return s.max(s.cst(0.0), s.min(s.cst(1.0), lin));
          })
          .Case([&](nn::HardSwishOp) {
            // x * relu6(x + 3) / 6, in PyTorch's order; 0 at -Inf.
            Value r6 =
                s.min(s.max(s.add(x, s.cst(3.0)), s.cst(0.0)), s.cst(6.0));
            return s.guardedProduct(x, s.div(r6, s.cst(6.0)));
          })
          .Case([&](nn::PReluOp) {
            return s.select(s.cmp(P::OGE, x, s.cst(0.0)), x,
                            s.mul(operands[1], x));
          })
          // exp family.
          .Case([&](nn::EluOp o) { return s.elu(x, f(o.getAlphaAttr())); })
          .Case([&](nn::SeluOp o) {
            return s.mul(s.cst(f(o.getGammaAttr())),
                         s.elu(x, f(o.getAlphaAttr())));
          })
          .Case([&](nn::CeluOp o) {
            double alpha = f(o.getAlphaAttr());
            Value neg = s.mul(s.cst(alpha), s.expm1(s.div(x, s.cst(alpha))));
            return s.add(s.max(s.cst(0.0), x), s.min(s.cst(0.0), neg));
          })
          .Case([&](nn::SigmoidOp) { return s.sigmoid(x); })
          .Case([&](nn::TanhOp) { return s.tanh(x); })
          .Case([&](nn::SiluOp) { return s.guardedProduct(x, s.sigmoid(x)); })
          .Case([&](nn::SwishOp o) {
            return s.guardedProduct(
                x, s.sigmoid(s.mul(s.cst(f(o.getBetaAttr())), x)));
          })
          .Case([&](nn::GeluOp o) -> Value {
            if (o.getApproximate() == "tanh") {
              // 0.5 x (1 + tanh(u)) = x sigmoid(2u), u = sqrt(2/pi) x (1 +
              // 0.044715 x^2): no cancellation in the left tail and no x^3.
              Value u =
                  s.mul(s.mul(s.cst(2.0 * std::sqrt(2.0 / M_PI)), x),
                        s.add(s.cst(1.0), s.mul(s.cst(0.044715), s.mul(x, x))));
              return s.guardedProduct(x, s.sigmoid(u));
            }
            // 0.5 x (1 + erf(x / sqrt 2)) = 0.5 x erfc(-x / sqrt 2).
            Value c = s.erfc(s.mul(s.cst(-M_SQRT1_2), x));
            return s.guardedProduct(x, s.mul(s.cst(0.5), c));
          })
          .Case([&](nn::MishOp) {
            // tanh(softplus(x)) from m = exp(-|x|) alone: (1+2m)/(1+2m+2m^2)
            // for x > 0, m(m+2)/(m(m+2)+2) for x <= 0.
            Value m = s.exp(s.neg(s.abs(x)));
            Value twoM = s.mul(s.cst(2.0), m);
            Value posNum = s.add(s.cst(1.0), twoM);
            Value pos = s.div(posNum, s.add(posNum, s.mul(twoM, m)));
            Value negNum = s.mul(m, s.add(m, s.cst(2.0)));
            Value negT = s.div(negNum, s.add(negNum, s.cst(2.0)));
            Value t = s.select(s.cmp(P::OGT, x, s.cst(0.0)), pos, negT);
            return s.guardedProduct(x, t);
          })
          .Case([&](nn::SoftplusOp o) {
            // x where beta x > threshold; else (max(bx,0) + log1p(exp(-|bx|)))
            // / beta. NaN fails the comparison and reaches log1p.
            double beta = f(o.getBetaAttr());
            Value bx = s.mul(s.cst(beta), x);
            Value sp =
                s.add(s.max(bx, s.cst(0.0)), s.log1p(s.exp(s.neg(s.abs(bx)))));
            return s.select(s.cmp(P::OGT, bx, s.cst(f(o.getThresholdAttr()))),
                            x, s.div(sp, s.cst(beta)));
          })
          .Case([&](nn::SoftsignOp) {
            // x / (1 + |x|); +-1 at +-Inf (inf / inf would be NaN).
            Value ax = s.abs(x);
            Value inf = s.cst(std::numeric_limits<double>::infinity());
            return s.select(s.cmp(P::OEQ, ax, inf), s.copysign(s.cst(1.0), x),
                            s.div(x, s.add(s.cst(1.0), ax)));
          })
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
