// SPDX-License-Identifier: Apache-2.0
//
// nn-recompose-activations: graphs that spell an activation out (as
// importers and traced code produce them) become the activation op. Passes.td
// lists the forms recognised.
//
// Exactness: a recomposed op is computed as ACTIVATIONS.md says (the formula
// in double, rounded once), where the spelled-out graph rounds after every
// step; so the result may differ from the unrewritten graph by the few ulp
// that graph loses (it moves toward the true function, never away). At the
// edges the op is the better answer: x * relu6(x + 3) / 6 and the other
// x * f(x) graphs give NaN at x = -Inf (-Inf * 0) where the op gives the
// limit 0. NaN in gives NaN out in every recognised graph and in every op,
// so NaN propagation is unchanged; a graph whose NaN behaviour differs from
// the op's (arith.minnumf, which drops NaN) is not recognised.
//
// Products are read as a multiset of factors through nn.mul (and through
// arith.divf by a constant) whose results have no other user, with their
// constant factors multiplied into one scale, so any association and order
// of x * r * (1/6) matches. A scalar is
// an arith.constant splat of any rank; each rewrite checks that the root's
// type is x's type, so a broadcasting constant never changes the shape.

#include "dialects/NN/IR/NNOps.h"
#include "dialects/NN/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <limits>

namespace actc::nn {
#define GEN_PASS_DEF_RECOMPOSEACTIVATIONSPASS
#include "dialects/NN/Transforms/Passes.h.inc"
} // namespace actc::nn

using namespace mlir;
using namespace actc::nn;

namespace {

//===----------------------------------------------------------------------===//
// Matching helpers
//===----------------------------------------------------------------------===//

/// The value of an f32 splat constant (dense<3.0> : tensor<f32>, or a splat
/// of any shape).
std::optional<double> splatValue(Value value) {
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
  if (!dense || !dense.isSplat() || !dense.getElementType().isF32())
    return std::nullopt;
  return static_cast<double>(dense.getSplatValue<float>());
}

/// `value` is within 2 ulp (of f32) of `expected`: a constant written as
/// 1/6, 0.16666667 or 0.1666666716 all match 1/6.
bool isNear(double value, double expected) {
  if (!std::isfinite(value))
    return false;
  double ulp = std::ldexp(1.0, std::ilogb(static_cast<float>(expected)) - 23);
  return std::fabs(value - expected) <= 2 * ulp;
}

/// A product of factors times a constant scale.
struct Product {
  SmallVector<Value> factors;
  double scale = 1.0;
};

/// Flattens `value` into `product`. The root is always opened; an inner
/// nn.mul (or division by a constant) only when `value` has no other user,
/// i.e. when it is an intermediate of the spelled-out graph: a product that
/// is itself x (x = a * b, read by both sides of x * sigmoid(x)) stays one
/// factor.
void collectFactors(Value value, Product &product, bool isRoot) {
  if (std::optional<double> c = splatValue(value)) {
    product.scale *= *c;
    return;
  }
  bool open = isRoot || value.hasOneUse();
  if (auto mul = value.getDefiningOp<MulOp>(); mul && open) {
    collectFactors(mul.getLhs(), product, false);
    collectFactors(mul.getRhs(), product, false);
    return;
  }
  if (auto div = value.getDefiningOp<arith::DivFOp>(); div && open) {
    if (std::optional<double> c = splatValue(div.getRhs())) {
      collectFactors(div.getLhs(), product, false);
      product.scale /= *c;
      return;
    }
  }
  product.factors.push_back(value);
}

Product productOf(Value value) {
  Product product;
  collectFactors(value, product, /*isRoot=*/true);
  return product;
}

/// `value` = s * y for a single non-constant factor y: {y, s}.
std::optional<std::pair<Value, double>> scaled(Value value) {
  // Not a root: a product read elsewhere too is the y itself.
  Product p;
  collectFactors(value, p, /*isRoot=*/false);
  if (p.factors.size() != 1)
    return std::nullopt;
  return std::make_pair(p.factors[0], p.scale);
}

/// `value` = y + c (nn.add either way round, or nn.sub of a constant):
/// {y, c}.
std::optional<std::pair<Value, double>> plusConstant(Value value) {
  if (auto add = value.getDefiningOp<AddOp>()) {
    if (std::optional<double> c = splatValue(add.getRhs()))
      return std::make_pair(add.getLhs(), *c);
    if (std::optional<double> c = splatValue(add.getLhs()))
      return std::make_pair(add.getRhs(), *c);
  }
  if (auto sub = value.getDefiningOp<SubOp>())
    if (std::optional<double> c = splatValue(sub.getRhs()))
      return std::make_pair(sub.getLhs(), -*c);
  return std::nullopt;
}

/// relu6(y) or clip(y, 0, 6): y.
Value clampZeroSixInput(Value value) {
  if (auto relu6 = value.getDefiningOp<Relu6Op>())
    return relu6.getInput();
  if (auto clip = value.getDefiningOp<ClipOp>())
    if (clip.getLo().convertToDouble() == 0 &&
        clip.getHi().convertToDouble() == 6)
      return clip.getInput();
  return {};
}

/// relu6(x + 3) or clip(x + 3, 0, 6) for this x.
bool isRelu6OfXPlus3(Value value, Value x) {
  Value inner = clampZeroSixInput(value);
  if (!inner)
    return false;
  auto shifted = plusConstant(inner);
  return shifted && shifted->first == x && shifted->second == 3.0;
}

/// nn.tanh(y) or math.tanh(y): y.
Value tanhInput(Value value) {
  if (auto t = value.getDefiningOp<TanhOp>())
    return t.getInput();
  if (auto t = value.getDefiningOp<math::TanhOp>())
    return t.getOperand();
  return {};
}

/// x^3 for this x: x * x * x (any association, scale 1 here; the caller
/// checks the scale), or math.powf(x, 3).
bool isCube(const Product &p, Value x) {
  if (p.factors.size() == 3)
    return llvm::all_of(p.factors, [&](Value f) { return f == x; });
  if (p.factors.size() == 1)
    if (auto pow = p.factors[0].getDefiningOp<math::PowFOp>()) {
      std::optional<double> e = splatValue(pow.getRhs());
      return pow.getLhs() == x && e && *e == 3.0;
    }
  return false;
}

constexpr double kSqrt2OverPi = 0.79788456080286535588; // sqrt(2 / pi)
constexpr double kInvSqrt2 = 0.70710678118654752440;    // 1 / sqrt(2)
constexpr double kGeluCubic = 0.044715;

//===----------------------------------------------------------------------===//
// Products: x * f(x) forms and relu6(x + 3) / 6
//===----------------------------------------------------------------------===//

/// The activation that `root` (a product) spells out, built at `root`.
LogicalResult recomposeProduct(Operation *root, PatternRewriter &rewriter) {
  Value rootValue = root->getResult(0);
  Product p = productOf(rootValue);
  Location loc = root->getLoc();
  auto sameType = [&](Value x) { return x.getType() == rootValue.getType(); };

  // relu6(x + 3) * (1/6) = hard_sigmoid(x) (PyTorch's definition; alpha 1/6
  // and beta 0.5 are the op's defaults).
  if (p.factors.size() == 1 && isNear(p.scale, 1.0 / 6.0)) {
    Value inner = clampZeroSixInput(p.factors[0]);
    if (auto shifted = inner ? plusConstant(inner) : std::nullopt)
      if (shifted->second == 3.0 && sameType(shifted->first)) {
        rewriter.replaceOp(
            root, HardSigmoidOp::create(rewriter, loc, shifted->first,
                                        rewriter.getF32FloatAttr(1.0f / 6.0f),
                                        rewriter.getF32FloatAttr(0.5f))
                      .getResult());
        return success();
      }
  }
  if (p.factors.size() != 2)
    return failure();

  for (int i = 0; i < 2; ++i) {
    Value x = p.factors[i], g = p.factors[1 - i];
    if (!sameType(x))
      continue;

    // x * sigmoid(x) = silu(x); x * sigmoid(b * x) = swish(x, b).
    if (auto sigmoid = g.getDefiningOp<SigmoidOp>();
        sigmoid && isNear(p.scale, 1.0)) {
      auto arg = scaled(sigmoid.getInput());
      if (arg && arg->first == x && std::isfinite(arg->second)) {
        if (isNear(arg->second, 1.0)) {
          rewriter.replaceOp(root,
                             SiluOp::create(rewriter, loc, x).getResult());
        } else {
          rewriter.replaceOp(
              root, SwishOp::create(rewriter, loc, x,
                                    rewriter.getF32FloatAttr(
                                        static_cast<float>(arg->second)))
                        .getResult());
        }
        return success();
      }
    }

    // x * relu6(x + 3) * (1/6) = hard_swish(x), relu6 or clip(0, 6).
    if (isNear(p.scale, 1.0 / 6.0) && isRelu6OfXPlus3(g, x)) {
      rewriter.replaceOp(root,
                         HardSwishOp::create(rewriter, loc, x).getResult());
      return success();
    }

    // x * hard_sigmoid(x) with alpha 1/6, beta 1/2 = hard_swish(x) (ONNX's
    // definition of HardSwish; also what relu6(x + 3) / 6 became above).
    if (auto hs = g.getDefiningOp<HardSigmoidOp>();
        hs && hs.getInput() == x && isNear(p.scale, 1.0) &&
        isNear(hs.getAlpha().convertToDouble(), 1.0 / 6.0) &&
        hs.getBeta().convertToDouble() == 0.5) {
      rewriter.replaceOp(root,
                         HardSwishOp::create(rewriter, loc, x).getResult());
      return success();
    }

    // x * tanh(softplus(x)) = mish(x). Softplus must be the plain one (beta
    // 1); its threshold (above which it returns x) may be anything >= 10,
    // because there tanh(softplus x) is 1 - O(4e-9), which x * (.) rounds
    // away in f32 (half an ulp is 3e-8 relative).
    if (Value t = tanhInput(g); t && isNear(p.scale, 1.0))
      if (auto softplus = t.getDefiningOp<SoftplusOp>();
          softplus && softplus.getInput() == x &&
          softplus.getBeta().convertToDouble() == 1.0 &&
          softplus.getThreshold().convertToDouble() >= 10.0) {
        rewriter.replaceOp(root, MishOp::create(rewriter, loc, x).getResult());
        return success();
      }

    // 0.5 * x * (1 + t): the two gelus.
    auto onePlus = plusConstant(g);
    if (!onePlus || onePlus->second != 1.0 || !isNear(p.scale, 0.5))
      continue;
    Value t = onePlus->first;
    // t = erf(x / sqrt 2): gelu "none".
    if (auto erf = t.getDefiningOp<math::ErfOp>()) {
      auto arg = scaled(erf.getOperand());
      if (arg && arg->first == x && isNear(arg->second, kInvSqrt2)) {
        rewriter.replaceOp(root, GeluOp::create(rewriter, loc, x,
                                                rewriter.getStringAttr("none"))
                                     .getResult());
        return success();
      }
    }
    // t = tanh(sqrt(2/pi) * (x + 0.044715 * x^3)): gelu "tanh".
    if (Value u = tanhInput(t)) {
      auto arg = scaled(u);
      if (!arg || !isNear(arg->second, kSqrt2OverPi))
        continue;
      auto sum = arg->first.getDefiningOp<AddOp>();
      if (!sum)
        continue;
      for (auto [lhs, rhs] : {std::make_pair(sum.getLhs(), sum.getRhs()),
                              std::make_pair(sum.getRhs(), sum.getLhs())}) {
        Product cubic = productOf(rhs);
        if (lhs == x && isNear(cubic.scale, kGeluCubic) && isCube(cubic, x)) {
          rewriter.replaceOp(
              root,
              GeluOp::create(rewriter, loc, x, rewriter.getStringAttr("tanh"))
                  .getResult());
          return success();
        }
      }
    }
  }
  return failure();
}

struct RecomposeMul : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    return recomposeProduct(op, rewriter);
  }
};

/// A product divided by a constant: x * relu6(x + 3) / 6.
struct RecomposeDiv : OpRewritePattern<arith::DivFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::DivFOp op,
                                PatternRewriter &rewriter) const override {
    if (!isa<RankedTensorType>(op.getType()) || !splatValue(op.getRhs()))
      return failure();
    return recomposeProduct(op, rewriter);
  }
};

//===----------------------------------------------------------------------===//
// Clamps: hard_sigmoid and leaky_relu6
//===----------------------------------------------------------------------===//

/// A leaky_relu(x, a >= 0) capped at c > 0 is leaky_relu6(x, a, c): below 0
/// the leaky value a*x <= 0 < c is kept, above c the cap wins, NaN stays NaN.
LogicalResult makeLeakyRelu6(Operation *root, LeakyReluOp leaky, double cap,
                             PatternRewriter &rewriter) {
  double alpha = leaky.getAlpha().convertToDouble();
  if (!(alpha >= 0) || !(cap > 0) || !std::isfinite(cap) ||
      leaky.getInput().getType() != root->getResult(0).getType())
    return failure();
  rewriter.replaceOp(
      root,
      LeakyRelu6Op::create(rewriter, root->getLoc(), leaky.getInput(),
                           leaky.getAlphaAttr(),
                           rewriter.getF32FloatAttr(static_cast<float>(cap)))
          .getResult());
  return success();
}

struct RecomposeClip : OpRewritePattern<ClipOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ClipOp op,
                                PatternRewriter &rewriter) const override {
    double lo = op.getLo().convertToDouble(), hi = op.getHi().convertToDouble();

    // clip(leaky_relu(x, a), lo, cap) with lo = -FLT_MAX (nn.clip needs a
    // finite bound; this is how an importer writes ONNX Clip with only a
    // max): leaky_relu6. It differs only where leaky_relu gives -Inf (x =
    // -Inf, or a*x overflowing), which the clip turned into -FLT_MAX.
    if (auto leaky = op.getInput().getDefiningOp<LeakyReluOp>())
      if (lo <= -std::numeric_limits<float>::max())
        return makeLeakyRelu6(op, leaky, hi, rewriter);

    // clip(a * x + b, 0, 1) = hard_sigmoid(x, a, b); a or b may be absent,
    // but not both (clip(x, 0, 1) is a clip).
    if (lo != 0 || hi != 1)
      return failure();
    Value input = op.getInput();
    double beta = 0;
    if (auto shifted = plusConstant(input)) {
      input = shifted->first;
      beta = shifted->second;
    }
    auto arg = scaled(input);
    if (!arg)
      return failure();
    auto [x, alpha] = *arg;
    if ((alpha == 1 && beta == 0) || !std::isfinite(alpha) ||
        !std::isfinite(beta) || x.getType() != op.getType())
      return failure();
    rewriter.replaceOp(op,
                       HardSigmoidOp::create(
                           rewriter, op.getLoc(), x,
                           rewriter.getF32FloatAttr(static_cast<float>(alpha)),
                           rewriter.getF32FloatAttr(static_cast<float>(beta)))
                           .getResult());
    return success();
  }
};

/// arith.minimumf(leaky_relu(x, a), cap) = leaky_relu6(x, a, cap) (the nn
/// dialect has no min; ONNX Min imports to arith.minimumf, which propagates
/// NaN like the op; arith.minnumf does not and is left alone).
struct RecomposeMinimum : OpRewritePattern<arith::MinimumFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::MinimumFOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [a, b] : {std::make_pair(op.getLhs(), op.getRhs()),
                        std::make_pair(op.getRhs(), op.getLhs())})
      if (auto leaky = a.getDefiningOp<LeakyReluOp>())
        if (std::optional<double> cap = splatValue(b))
          return makeLeakyRelu6(op, leaky, *cap, rewriter);
    return failure();
  }
};

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct RecomposeActivationsPass
    : actc::nn::impl::RecomposeActivationsPassBase<RecomposeActivationsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<RecomposeClip, RecomposeDiv, RecomposeMinimum, RecomposeMul>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
