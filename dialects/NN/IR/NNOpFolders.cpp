// SPDX-License-Identifier: Apache-2.0
//
// Folders and canonicalization patterns of the nn ops: the activation algebra
// of DESIGN.md and constant folding. Every rewrite here keeps the results the
// unrewritten graph gives, bit for bit, NaN and signed zeros included (each
// rule's comment says why, or the condition under which it fires), with one
// stated exception: leaky_relu of leaky_relu with a power-of-two slope can
// differ where the intermediate a*x overflows or is subnormal. Rewrites that
// only hold up to rounding (recomposing spelled-out activations) are not
// canonicalizations; they live in passes that say so.
//
// Constant folding computes each activation with the reference formulas of
// ACTIVATIONS.md in double and rounds once, the accuracy every implementation
// is measured against. It folds a constant whose result has at most
// kMaxFoldedElements elements (or any splat, whose cost does not grow with
// the size): the weights are constants too, and a 100 MB weight read by an
// elementwise op must not be folded into a second 100 MB constant.

#include "dialects/NN/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace actc::nn;

/// The largest non-splat result constant folding creates (16 KiB of f32).
static constexpr int64_t kMaxFoldedElements = 4096;

//===----------------------------------------------------------------------===//
// Clamps: relu, relu6 and clip are each min(max(lo, x), hi)
//===----------------------------------------------------------------------===//

static double reluRef(double x);
static double relu6Ref(double x);
static double clipRef(double x, double lo, double hi);

namespace {
/// relu, relu6 or clip as a function of one value, with the reference's
/// conventions (compiler/interpreter/Activations.cpp): NaN stays NaN, relu
/// and relu6 turn -0 into +0, clip gives -0 back when 0 is in [lo, hi].
struct Clamp {
  enum Kind { Relu, Relu6, Clip } kind;
  double lo, hi;

  double operator()(double x) const {
    if (std::isnan(x))
      return x;
    switch (kind) {
    case Relu:
      return reluRef(x);
    case Relu6:
      return relu6Ref(x);
    case Clip:
      return clipRef(x, lo, hi);
    }
    return x;
  }
};
} // namespace

static std::optional<Clamp> clampOf(Operation *op) {
  if (!op)
    return std::nullopt;
  if (isa<ReluOp>(op))
    return Clamp{Clamp::Relu, 0.0, std::numeric_limits<double>::infinity()};
  if (isa<Relu6Op>(op))
    return Clamp{Clamp::Relu6, 0.0, 6.0};
  if (auto clip = dyn_cast<ClipOp>(op))
    return Clamp{Clamp::Clip, clip.getLo().convertToDouble(),
                 clip.getHi().convertToDouble()};
  return std::nullopt;
}

static bool sameBits(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return std::isnan(a) && std::isnan(b);
  return a == b && std::signbit(a) == std::signbit(b);
}

/// outer(inner(x)) == replacement(x) for every x, signed zeros included.
/// All three are piecewise functions whose pieces are x itself or a
/// constant, with breakpoints among the six bounds; two such functions are
/// equal if they agree at every bound, between consecutive bounds, beyond
/// the extreme ones, at +-Inf, +-0 and NaN.
static bool sameFunction(const Clamp &outer, const Clamp &inner,
                         const Clamp &replacement) {
  const double inf = std::numeric_limits<double>::infinity();
  SmallVector<double> bounds;
  for (const Clamp *c : {&outer, &inner, &replacement})
    for (double b : {c->lo, c->hi})
      if (std::isfinite(b))
        bounds.push_back(b);
  llvm::sort(bounds);
  SmallVector<double> probes = {
      -inf,   inf,  -0.0, 0.0, std::numeric_limits<double>::quiet_NaN(),
      -1e300, 1e300};
  for (size_t i = 0; i < bounds.size(); ++i) {
    probes.push_back(bounds[i]);
    if (i + 1 < bounds.size())
      probes.push_back(bounds[i] + (bounds[i + 1] - bounds[i]) / 2);
  }
  return llvm::all_of(probes, [&](double x) {
    return sameBits(outer(inner(x)), replacement(x));
  });
}

/// outer(inner(x)) = inner(x) when the outer clamp changes nothing inner
/// yields: relu(relu x), relu(relu6 x), relu6(relu6 x), relu(clip(x, lo > 0,
/// hi)), a clip of a narrower clip. (relu(clip(x, 0, hi)) is not folded:
/// clip gives -0 for -0, relu then +0.)
static OpFoldResult foldNestedClamp(Operation *outer, Value input) {
  std::optional<Clamp> in = clampOf(input.getDefiningOp());
  std::optional<Clamp> out = clampOf(outer);
  if (in && out && sameFunction(*out, *in, *in))
    return input;
  return {};
}

OpFoldResult ReluOp::fold(FoldAdaptor) {
  return foldNestedClamp(*this, getInput());
}
OpFoldResult Relu6Op::fold(FoldAdaptor) {
  return foldNestedClamp(*this, getInput());
}
OpFoldResult ClipOp::fold(FoldAdaptor) {
  return foldNestedClamp(*this, getInput());
}

namespace {
/// outer(inner(x)) = clamp(x, c(lo1), c(hi1)) where c clamps to the outer
/// interval: clamping is monotone, so below lo1 the result is c(lo1), above
/// hi1 it is c(hi1), and in between it is c(x), which lies in
/// [c(lo1), c(hi1)]. Only min/max, no arithmetic, NaN stays NaN. This gives
/// relu6(relu x) = relu6 x, relu(relu6 x) = relu6 x (also a fold), clip of
/// clip = clip of the intersection (or of the nearest bound when the ranges
/// do not meet), relu(clip(x, lo > 0, hi)) = clip(x, lo, hi), clip(relu x,
/// 0, 6) = relu6 x. The result is relu for [0, +Inf], relu6 for [0, 6],
/// else clip.
///
/// Signed zeros: relu and relu6 map -0 to +0 where clip keeps it, so a
/// rewrite that would change which op sees x = -0 (relu(clip(x, -3, 4)) =
/// clip(x, 0, 4) gives +0 vs -0 at x = -0) is checked (sameFunction) and
/// not done.
template <typename OpTy> struct ComposeClamps : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Operation *inner = op.getInput().getDefiningOp();
    std::optional<Clamp> in = clampOf(inner);
    std::optional<Clamp> out = clampOf(op);
    if (!in || !out)
      return failure();
    auto clamp = [&](double v) {
      return std::min(std::max(v, out->lo), out->hi);
    };
    double lo = clamp(in->lo), hi = clamp(in->hi);
    // Candidates, the named op first; clip needs finite bounds, which come
    // from f32 attributes (or 0 and 6) and so are exact f32 values.
    SmallVector<Clamp, 2> candidates;
    if (lo == 0.0 && std::isinf(hi))
      candidates.push_back({Clamp::Relu, 0.0, hi});
    if (lo == 0.0 && hi == 6.0)
      candidates.push_back({Clamp::Relu6, 0.0, 6.0});
    if (std::isfinite(lo) && std::isfinite(hi))
      candidates.push_back({Clamp::Clip, lo, hi});
    const Clamp *chosen = nullptr;
    for (const Clamp &candidate : candidates)
      if (sameFunction(*out, *in, candidate)) {
        chosen = &candidate;
        break;
      }
    if (!chosen)
      return rewriter.notifyMatchFailure(op, "differs at a signed zero");
    Clamp result = *chosen;
    Value x = inner->getOperand(0);
    Location loc = op.getLoc();
    Value replacement;
    if (result.kind == Clamp::Relu)
      replacement = ReluOp::create(rewriter, loc, x).getResult();
    else if (result.kind == Clamp::Relu6)
      replacement = Relu6Op::create(rewriter, loc, x).getResult();
    else
      replacement =
          ClipOp::create(rewriter, loc, x, rewriter.getF32FloatAttr(float(lo)),
                         rewriter.getF32FloatAttr(float(hi)))
              .getResult();
    rewriter.replaceOp(op, replacement);
    return success();
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// leaky_relu
//===----------------------------------------------------------------------===//

static bool isPowerOfTwo(float v) {
  int exponent;
  return v > 0 && std::frexp(v, &exponent) == 0.5f;
}

namespace {
/// leaky_relu(leaky_relu(x, a), b) = leaky_relu(x, a*b) for a, b >= 0.
///
/// In real arithmetic this always holds (for x >= 0 both give x; for x < 0,
/// a*x <= 0 so the outer op multiplies by b). In f32 the left side rounds
/// twice, fl(b * fl(a * x)), the right side fl(fl(a*b) * x), and the two
/// differ by up to an ulp for general a, b, which would break the contract
/// that piecewise-linear ops are bit-identical to their reference. So the
/// rule fires only where it is exact:
///   - a or b is 0 or 1: exact for every input (0 * anything finite is a
///     signed zero on both sides; with a = 0 and x = -Inf both sides compute
///     leaky_relu(-Inf, 0) itself, since 0*b = 0);
///   - a or b is a power of two and a*b is exactly an f32 normal number:
///     scaling by a power of two is exact, so both sides round the same real
///     number once, for every x for which neither a*x nor a*b*x overflows
///     (e.g. |a*x| > FLT_MAX: the unrewritten graph gives -Inf, the
///     rewritten one may be finite) or falls below the smallest normal f32
///     (2^-126: a subnormal rounds to fewer bits, so the left side may round
///     twice). Those x are the extremes, |x| near FLT_MAX / max(a, ab) or
///     below 2^-126 / min(a, ab).
/// Otherwise the pair is left alone. NaN: NaN >= 0 is false, so both sides
/// give alpha * NaN = NaN.
struct ComposeLeakyRelu : OpRewritePattern<LeakyReluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LeakyReluOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<LeakyReluOp>();
    if (!inner)
      return failure();
    float a = inner.getAlpha().convertToFloat();
    float b = op.getAlpha().convertToFloat();
    if (!(a >= 0) || !(b >= 0))
      return rewriter.notifyMatchFailure(op, "a negative slope");
    double exactProduct = double(a) * double(b);
    float product = a * b;
    bool exactEverywhere = a == 0 || b == 0 || a == 1 || b == 1;
    bool exactInNormalRange = (isPowerOfTwo(a) || isPowerOfTwo(b)) &&
                              double(product) == exactProduct &&
                              std::isnormal(product);
    if (!exactEverywhere && !exactInNormalRange)
      return rewriter.notifyMatchFailure(op, "a*b would round the result");
    rewriter.replaceOp(
        op, LeakyReluOp::create(rewriter, op.getLoc(), inner.getInput(),
                                rewriter.getF32FloatAttr(product))
                .getResult());
    return success();
  }
};

/// leaky_relu(x, 1) = x: x >= 0 gives x, x < 0 gives 1 * x = x exactly, NaN
/// gives 1 * NaN = NaN.
struct LeakyReluOfOne : OpRewritePattern<LeakyReluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LeakyReluOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getAlpha().convertToFloat() != 1.0f)
      return failure();
    rewriter.replaceOp(op, op.getInput());
    return success();
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

namespace {
/// The f32 values of a constant tensor operand: one value when it is a
/// splat, all of them otherwise.
struct ConstantValues {
  RankedTensorType type;
  bool splat = false;
  std::vector<float> values;
};
} // namespace

/// The values of `value` if it is an arith.constant of a static f32 tensor
/// that is a splat or has at most `maxElements` elements.
static std::optional<ConstantValues> constantValues(Value value,
                                                    int64_t maxElements) {
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(constant.getType());
  if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
    return std::nullopt;
  ConstantValues result{type, false, {}};
  if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue())) {
    if (dense.isSplat()) {
      result.splat = true;
      result.values = {dense.getSplatValue<float>()};
      return result;
    }
    if (type.getNumElements() > maxElements)
      return std::nullopt;
    auto values = dense.getValues<float>();
    result.values.assign(values.begin(), values.end());
    return result;
  }
  if (auto resource =
          dyn_cast<DenseF32ResourceElementsAttr>(constant.getValue())) {
    if (type.getNumElements() > maxElements)
      return std::nullopt;
    std::optional<ArrayRef<float>> values = resource.tryGetAsArrayRef();
    if (!values ||
        static_cast<int64_t>(values->size()) != type.getNumElements())
      return std::nullopt;
    result.values.assign(values->begin(), values->end());
    return result;
  }
  return std::nullopt;
}

static Value makeConstant(PatternRewriter &rewriter, Location loc,
                          RankedTensorType type, ArrayRef<float> values,
                          bool splat) {
  DenseElementsAttr attr = splat ? DenseElementsAttr::get(type, values[0])
                                 : DenseElementsAttr::get(type, values);
  return arith::ConstantOp::create(rewriter, loc, attr).getResult();
}

//===----------------------------------------------------------------------===//
// prelu
//===----------------------------------------------------------------------===//

namespace {
/// prelu(x, slope) with one slope for every channel (a [1] constant, or a
/// [C] splat) is leaky_relu(x, slope): the same formula, x if x >= 0 else
/// slope * x, so exact, NaN included. The slope must be finite (leaky_relu's
/// alpha is).
struct PReluWithOneSlope : OpRewritePattern<PReluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PReluOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<ConstantValues> slope = constantValues(op.getSlope(), 1);
    if (!slope || !std::isfinite(slope->values[0]))
      return failure();
    rewriter.replaceOp(
        op, LeakyReluOp::create(rewriter, op.getLoc(), op.getInput(),
                                rewriter.getF32FloatAttr(slope->values[0]))
                .getResult());
    return success();
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// Reference formulas for constant folding: ACTIVATIONS.md in double, the
// same expressions as the reference interpreter's
// (compiler/interpreter/Activations.cpp, which this library cannot link: the
// interpreter links the dialect), so a folded constant is bit-identical to
// what the interpreter computes for the unfolded op. NNFoldersTest checks
// that they agree. NaN is handled by the caller.
//===----------------------------------------------------------------------===//

static double sigmoidRef(double x) {
  if (x >= 0)
    return 1.0 / (1.0 + std::exp(-x));
  double e = std::exp(x);
  return e / (1.0 + e);
}

/// x * s where s tends to 0 as x -> -Inf (silu, swish, gelu, mish): the
/// limit, a signed zero, where s is exactly 0, so -Inf * 0 is never NaN.
static double timesVanishing(double x, double s) {
  if (s == 0 && !std::isnan(x))
    return x < 0 ? -0.0 : 0.0;
  return x * s;
}

static double softplusRef(double x, double beta, double threshold) {
  double z = beta * x;
  if (z > threshold)
    return x;
  return (std::max(z, 0.0) + std::log1p(std::exp(-std::fabs(z)))) / beta;
}

static double reluRef(double x) { return x > 0 ? x : 0.0; }
static double relu6Ref(double x) { return x > 6 ? 6.0 : x > 0 ? x : 0.0; }
static double clipRef(double x, double lo, double hi) {
  return std::min(std::max(x, lo), hi);
}

static double ref(ReluOp, double x) { return reluRef(x); }
static double ref(LeakyReluOp op, double x) {
  return x >= 0 ? x : op.getAlpha().convertToDouble() * x;
}
static double ref(Relu6Op, double x) { return relu6Ref(x); }
static double ref(LeakyRelu6Op op, double x) {
  double cap = op.getCap().convertToDouble();
  if (x < 0)
    return op.getAlpha().convertToDouble() * x;
  return x > cap ? cap : x;
}
static double ref(ClipOp op, double x) {
  return clipRef(x, op.getLo().convertToDouble(), op.getHi().convertToDouble());
}
static double eluRef(double x, double alpha) {
  return x > 0 ? x : alpha * std::expm1(x);
}
static double ref(EluOp op, double x) {
  return eluRef(x, op.getAlpha().convertToDouble());
}
static double ref(SeluOp op, double x) {
  return op.getGamma().convertToDouble() *
         eluRef(x, op.getAlpha().convertToDouble());
}
static double ref(CeluOp op, double x) {
  double alpha = op.getAlpha().convertToDouble();
  return std::max(0.0, x) + std::min(0.0, alpha * std::expm1(x / alpha));
}
static double ref(ThresholdedReluOp op, double x) {
  return x > op.getAlpha().convertToDouble() ? x : 0.0;
}
static double ref(SigmoidOp, double x) { return sigmoidRef(x); }
static double ref(HardSigmoidOp op, double x) {
  double alpha = op.getAlpha().convertToDouble();
  double beta = op.getBeta().convertToDouble();
  double y = alpha * x + beta;
  if (std::isnan(y)) // alpha == 0 and x infinite
    y = beta;
  return std::max(0.0, std::min(1.0, y));
}
static double ref(TanhOp, double x) { return std::tanh(x); }
static double ref(SiluOp, double x) { return timesVanishing(x, sigmoidRef(x)); }
static double ref(SwishOp op, double x) {
  double z = op.getBeta().convertToDouble() * x;
  if (std::isnan(z)) // beta == 0 and x infinite
    z = 0;
  return timesVanishing(x, sigmoidRef(z));
}
static double ref(HardSwishOp, double x) {
  if (x <= -3)
    return -0.0;
  if (x >= 3)
    return x;
  return x * (x + 3) / 6;
}
static double ref(GeluOp op, double x) {
  if (op.getApproximate() == "tanh") {
    // 0.5 * (1 + tanh(u)) = sigmoid(2u): no cancellation in the left tail.
    double u = 0.79788456080286535588 * x * (1.0 + 0.044715 * x * x);
    return timesVanishing(x, sigmoidRef(2.0 * u));
  }
  // 0.5 * (1 + erf(x / sqrt 2)), as 0.5 * erfc(-x / sqrt 2) below 0.
  constexpr double kInvSqrt2 = 0.70710678118654752440;
  if (x >= 0)
    return 0.5 * x * (1.0 + std::erf(x * kInvSqrt2));
  return timesVanishing(x, 0.5 * std::erfc(-x * kInvSqrt2));
}
static double ref(MishOp, double x) {
  return timesVanishing(x, std::tanh(softplusRef(x, 1.0, 20.0)));
}
static double ref(SoftplusOp op, double x) {
  return softplusRef(x, op.getBeta().convertToDouble(),
                     op.getThreshold().convertToDouble());
}
static double ref(SoftsignOp, double x) {
  if (std::isinf(x))
    return x > 0 ? 1.0 : -1.0;
  return x / (1.0 + std::fabs(x));
}

namespace {
/// activation(constant) = constant of the activation's reference values,
/// each computed in double and rounded once; NaN in gives NaN out.
template <typename OpTy>
struct FoldConstantActivation : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    std::optional<ConstantValues> input =
        constantValues(op.getInput(), kMaxFoldedElements);
    if (!input)
      return failure();
    std::vector<float> result;
    result.reserve(input->values.size());
    for (float x : input->values)
      result.push_back(std::isnan(x) ? x : static_cast<float>(ref(op, x)));
    rewriter.replaceOp(op, makeConstant(rewriter, op.getLoc(), input->type,
                                        result, input->splat));
    return success();
  }
};

/// lhs OP rhs on constants with numpy broadcasting, in f32 (each of +, -, *
/// is correctly rounded, the same as in double rounded once).
template <typename OpTy, typename Fn>
struct FoldConstantBinary : OpRewritePattern<OpTy> {
  FoldConstantBinary(MLIRContext *context, Fn fn)
      : OpRewritePattern<OpTy>(context), fn(fn) {}
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getResult().getType());
    if (!type.hasStaticShape() || type.getNumElements() > kMaxFoldedElements)
      return failure();
    std::optional<ConstantValues> lhs =
        constantValues(op.getLhs(), kMaxFoldedElements);
    std::optional<ConstantValues> rhs =
        constantValues(op.getRhs(), kMaxFoldedElements);
    if (!lhs || !rhs)
      return failure();
    if (lhs->splat && rhs->splat) {
      float v = fn(lhs->values[0], rhs->values[0]);
      rewriter.replaceOp(op, makeConstant(rewriter, op.getLoc(), type, {v},
                                          /*splat=*/true));
      return success();
    }
    ArrayRef<int64_t> shape = type.getShape();
    int64_t rank = shape.size();
    // Row-major strides of an operand over the result's index space: 0
    // along a broadcast axis (size 1 or missing), and 0 everywhere for a
    // splat.
    auto strides = [&](const ConstantValues &c) {
      SmallVector<int64_t> s(rank, 0);
      if (c.splat)
        return s;
      ArrayRef<int64_t> own = c.type.getShape();
      int64_t stride = 1;
      for (int64_t i = own.size() - 1, j = rank - 1; i >= 0; --i, --j) {
        s[j] = own[i] == 1 ? 0 : stride;
        stride *= own[i];
      }
      return s;
    };
    SmallVector<int64_t> ls = strides(*lhs), rs = strides(*rhs);
    std::vector<float> result(type.getNumElements());
    SmallVector<int64_t> index(rank, 0);
    for (float &out : result) {
      int64_t li = 0, ri = 0;
      for (int64_t d = 0; d < rank; ++d) {
        li += index[d] * ls[d];
        ri += index[d] * rs[d];
      }
      out = fn(lhs->values[li], rhs->values[ri]);
      for (int64_t d = rank - 1; d >= 0; --d) {
        if (++index[d] < shape[d])
          break;
        index[d] = 0;
      }
    }
    rewriter.replaceOp(op, makeConstant(rewriter, op.getLoc(), type, result,
                                        /*splat=*/false));
    return success();
  }
  Fn fn;
};

template <typename OpTy, typename Fn>
void addBinaryFolder(RewritePatternSet &patterns, MLIRContext *context, Fn fn) {
  patterns.add(std::make_unique<FoldConstantBinary<OpTy, Fn>>(context, fn));
}
} // namespace

//===----------------------------------------------------------------------===//
// getCanonicalizationPatterns
//===----------------------------------------------------------------------===//

void ReluOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                         MLIRContext *context) {
  patterns.add<ComposeClamps<ReluOp>, FoldConstantActivation<ReluOp>>(context);
}
void Relu6Op::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                          MLIRContext *context) {
  patterns.add<ComposeClamps<Relu6Op>, FoldConstantActivation<Relu6Op>>(
      context);
}
void ClipOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                         MLIRContext *context) {
  patterns.add<ComposeClamps<ClipOp>, FoldConstantActivation<ClipOp>>(context);
}
void LeakyReluOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *context) {
  patterns.add<ComposeLeakyRelu, LeakyReluOfOne,
               FoldConstantActivation<LeakyReluOp>>(context);
}
void PReluOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                          MLIRContext *context) {
  patterns.add<PReluWithOneSlope>(context);
}

#define ACTC_FOLD_CONSTANTS_ONLY(Op)                                           \
  void Op::getCanonicalizationPatterns(RewritePatternSet &patterns,            \
                                       MLIRContext *context) {                 \
    patterns.add<FoldConstantActivation<Op>>(context);                         \
  }
ACTC_FOLD_CONSTANTS_ONLY(LeakyRelu6Op)
ACTC_FOLD_CONSTANTS_ONLY(EluOp)
ACTC_FOLD_CONSTANTS_ONLY(SeluOp)
ACTC_FOLD_CONSTANTS_ONLY(CeluOp)
ACTC_FOLD_CONSTANTS_ONLY(ThresholdedReluOp)
ACTC_FOLD_CONSTANTS_ONLY(SigmoidOp)
ACTC_FOLD_CONSTANTS_ONLY(HardSigmoidOp)
ACTC_FOLD_CONSTANTS_ONLY(TanhOp)
ACTC_FOLD_CONSTANTS_ONLY(SiluOp)
ACTC_FOLD_CONSTANTS_ONLY(SwishOp)
ACTC_FOLD_CONSTANTS_ONLY(HardSwishOp)
ACTC_FOLD_CONSTANTS_ONLY(GeluOp)
ACTC_FOLD_CONSTANTS_ONLY(MishOp)
ACTC_FOLD_CONSTANTS_ONLY(SoftplusOp)
ACTC_FOLD_CONSTANTS_ONLY(SoftsignOp)
#undef ACTC_FOLD_CONSTANTS_ONLY

// softmax and log_softmax reduce along an axis; they are not folded yet (no
// model feeds them constants).
void SoftmaxOp::getCanonicalizationPatterns(RewritePatternSet &,
                                            MLIRContext *) {}
void LogSoftmaxOp::getCanonicalizationPatterns(RewritePatternSet &,
                                               MLIRContext *) {}

void AddOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                        MLIRContext *context) {
  addBinaryFolder<AddOp>(patterns, context,
                         [](float a, float b) { return a + b; });
}
void SubOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                        MLIRContext *context) {
  addBinaryFolder<SubOp>(patterns, context,
                         [](float a, float b) { return a - b; });
}
void MulOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                        MLIRContext *context) {
  addBinaryFolder<MulOp>(patterns, context,
                         [](float a, float b) { return a * b; });
}
