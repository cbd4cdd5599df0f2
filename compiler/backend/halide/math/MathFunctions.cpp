// SPDX-License-Identifier: Apache-2.0
//
// See MathFunctions.h. The shapes of the approximations:
// - exp: n = round(x / ln 2), r = x - n ln 2 (Cody-Waite, two constants),
//   e^r = 1 + r + r^2 P(r) on |r| <= ln2/2, times 2^n applied in two exact
//   steps so that the only rounding into the denormal range is the last one.
// - expm1: the same reduction, expm1(r) = r + r^2/2 + r^3 P(r), then
//   2^n expm1(r) + (2^n - 1), which is exact enough for every n.
// - log, log1p: x = 2^e m with m in [sqrt(1/2), sqrt(2)), f = m - 1 (for
//   log1p f is formed from x itself, f = x 2^-e + (2^-e - 1), so the
//   rounding of 1 + x is never seen), log1p(f) = f - f^2/2 + f^3 P(f).
// - tanh: an odd polynomial below 0.55, (1 - t) / (1 + t) with t = e^-2|x|
//   above (t <= 1/3: no cancellation, no overflow).
// - erf: an odd polynomial below 1, 1 - erfc above.
// - erfc: e^-x^2 * erfcx(x) above 0.5, with -x^2 formed exactly in double
//   and erfcx a polynomial in x - 1.25 below 2 and R(1/x^2)/x above (the
//   asymptotic shape); 1 - erf below 0.5.
// The coefficients are minimax fits of our own (fit_coefficients.py).

#include "compiler/backend/halide/math/MathFunctions.h"

#include <initializer_list>
#include <limits>
#include <vector>

namespace actc::halide::math {

using Halide::cast;
using Halide::clamp;
using Halide::Expr;
using Halide::select;

namespace {

//===----------------------------------------------------------------------===//
// Coefficients (benchmarks/numerics/fit_coefficients.py prints them; the
// comment above each is the fit's relative error before float rounding of
// the evaluation)
//===----------------------------------------------------------------------===//

// e^r = 1 + r + r^2 P(r), |r| <= ln2/2. Degree 6: 3.8e-9; degree 5: 1.1e-7.
const std::vector<float> kExpDefault = {
    0.4999999403953552f, 0.1666652113199234f, 0.04166838899254799f,
    0.008368715643882751f, 0.0013814599951729178f};
const std::vector<float> kExpFast = {0.499992311000824f, 0.16667114198207855f,
                                     0.04189014807343483f,
                                     0.008312523365020752f};
// expm1(r) = r + r^2/2 + r^3 P(r). Degree 6: 1.5e-8 (degree 5, 9.0e-7, cost
// 15 ULP in Fast mode for no measurable speed: both modes use degree 6).
const std::vector<float> kExpm1Default = {
    0.16666549444198608f, 0.04166685417294502f, 0.008366039954125881f,
    0.0013898226898163557f};
// log1p(f) = f - f^2/2 + f^3 P(f), f in [sqrt(1/2) - 1, sqrt(2) - 1].
// Degree 9: 3.5e-8; degree 8: 2.8e-7.
const std::vector<float> kLog1pDefault = {
    0.3333393335342407f,   -0.2500142455101013f, 0.19962120056152344f,
    -0.16574054956436157f, 0.14922089874744415f, -0.14300760626792908f,
    0.08722271770238876f};
const std::vector<float> kLog1pFast = {
    0.3333429992198944f,   -0.24982833862304688f, 0.19921554625034332f,
    -0.17142342031002045f, 0.16057318449020386f,  -0.10215736925601959f};
// tanh(x) = x + x^3 P(x^2), |x| <= 0.55. 5 terms: 4.3e-9; 4 terms: 3.8e-8.
const std::vector<float> kTanhDefault = {
    -0.33333316445350647f, 0.13332585990428925f, -0.05385231226682663f,
    0.02107168175280094f, -0.006274243351072073f};
const std::vector<float> kTanhFast = {
    -0.3333294689655304f, 0.13320724666118622f, -0.05267181620001793f,
    0.016437586396932602f};
// erf(x) = x P(x^2), |x| <= 1. 6 terms: 7.5e-8 (5 terms, 1.2e-6, cost 19 ULP
// in Fast mode: both modes use 6).
const std::vector<float> kErfDefault = {
    1.1283791065216064f,   -0.3761232793331146f,  0.11280182003974915f,
    -0.02671135403215885f, 0.004917594138532877f, -0.0005631576641462743f};
// erfcx(x) = P(x - 1.25) on [0.5, 2]. 10 terms: 4.4e-8 (8 terms, 1.1e-6, are
// not worth their error in Fast mode either).
const std::vector<float> kErfcMidDefault = {
    0.36782291531562805f,    -0.2088218629360199f,    0.10679499059915543f,
    -0.050218451768159866f,  0.02201973646879196f,    -0.009081949479877949f,
    0.003511497052386403f,   -0.0013181165559217334f, 0.0005568228079937398f,
    -0.00018496066331863403f};
// x erfcx(x) = R(1/x^2) on [2, 10.06]. 8 terms: 3.2e-8 (more terms are
// worse once rounded to float: the fit is ill-conditioned).
const std::vector<float> kErfcTail = {
    0.5641894340515137f,  -0.28206780552864075f, 0.4215097427368164f,
    -1.0093255043029785f, 2.865612745285034f,    -7.214320182800293f,
    12.243575096130371f,  -9.707534790039062f};

constexpr float kLog2E = 1.44269504088896341f;
// ln 2 = kLn2Hi + kLn2Lo; kLn2Hi has 16 significant bits, so n * kLn2Hi is
// exact for every |n| < 256.
constexpr float kLn2Hi = 0.693145751953125f;
constexpr float kLn2Lo = 1.4286068203094173e-6f;
// The float nearest ln 2, and ln 2 minus it.
constexpr float kLn2F = 0.693147182464599609375f;
constexpr float kLn2FError = -1.904654323148236e-09f;
constexpr int kSqrtHalfBits = 0x3f3504f3; // sqrt(1/2) as float bits

} // namespace

Expr horner(const Expr &t, const std::vector<float> &c) {
  Expr acc = Expr(c.back());
  for (size_t i = c.size() - 1; i-- > 0;)
    acc = fma(acc, t, Expr(c[i]));
  return acc;
}

namespace {

/// Horner with per-lane coefficients: a[i] where useA, else b[i] (the
/// shorter list is padded with zeros at the high end).
Expr hornerSelect(const Expr &t, const Expr &useA, const std::vector<float> &a,
                  const std::vector<float> &b) {
  size_t n = std::max(a.size(), b.size());
  auto coef = [&](size_t i) -> Expr {
    float ca = i < a.size() ? a[i] : 0.0f;
    float cb = i < b.size() ? b[i] : 0.0f;
    if (ca == cb)
      return Expr(ca);
    return select(useA, Expr(ca), Expr(cb));
  };
  Expr acc = coef(n - 1);
  for (size_t i = n - 1; i-- > 0;)
    acc = fma(acc, t, coef(i));
  return acc;
}

Expr asInt(const Expr &f) { return Halide::reinterpret(Halide::Int(32), f); }
Expr asFloat(const Expr &i) {
  return Halide::reinterpret(Halide::Float(32), i);
}

/// 2^n as a float for int32 n in [-126, 127].
Expr pow2i(const Expr &n) { return asFloat((n + 127) << 23); }

Expr nanConst() { return Expr(std::numeric_limits<float>::quiet_NaN()); }
Expr infConst() { return Expr(std::numeric_limits<float>::infinity()); }

/// log(2^e (1 + f)) for f in about [sqrt(1/2) - 1, sqrt(2) - 1].
Expr logFromReduced(const Expr &f, const Expr &e, Mode mode) {
  Expr fe = cast<float>(e);
  Expr p = horner(f, mode == Mode::Fast ? kLog1pFast : kLog1pDefault);
  // f^2 (f P(f) - 1/2) is small next to f; add it first, then the large
  // e ln2 part, so that near x = 1 only one rounding touches f.
  Expr tail = fma(fe, Expr(kLn2Lo), f * f * fma(f, p, Expr(-0.5f)));
  return fma(fe, Expr(kLn2Hi), ordered(f + tail));
}

} // namespace

//===----------------------------------------------------------------------===//
// Building blocks
//===----------------------------------------------------------------------===//

Expr fma(const Expr &a, const Expr &b, const Expr &c) {
  Halide::Type t = a.type();
  const char *name = t.bits() == 64 ? "llvm.fma.f64" : "llvm.fma.f32";
  // strict_float: a call that carries fast-math flags may be rewritten as
  // a * b + c and cancelled (LLVM folds fma(x, c, -(x * c)) to 0).
  return Halide::strict_float(Halide::Internal::Call::make(
      t, name, {a, cast(t, b), cast(t, c)},
      Halide::Internal::Call::PureExtern));
}

Expr ordered(const Expr &e) { return Halide::strict_float(e); }

ExpReduction reduceExp(const Expr &a, int bias) {
  // 1.5 * 2^23 + bias: the sum's unit is 1, so it rounds a / ln 2 to the
  // nearest integer n and holds n + bias in its low bits (above the 2^22
  // bit, which the shift by 23 pushes out).
  const float magic = 12582912.0f + float(bias);
  Expr t = fma(a, Expr(kLog2E), Expr(magic));
  Expr n = ordered(t - magic);
  Expr r = fma(n, Expr(-kLn2Lo), fma(n, Expr(-kLn2Hi), a));
  Expr exponentBits = asInt(t) << 23;
  return {n, r, asFloat(exponentBits + (127 << 23)), exponentBits};
}

ScaledExpParts scaledExpParts(const Expr &a, int bias, Mode mode,
                              const Expr &lo) {
  const float magic = 12582912.0f + float(bias);
  Expr t = fma(a, Expr(kLog2E), Expr(magic));
  Expr n = ordered(t - magic);
  // r = a - n ln 2 = r1 - n d, r1 = a - n ln2f in one fma (ln2f the float
  // nearest ln 2, d = ln 2 - ln2f, |n d| <= 3.3e-7 for |n| <= 174). The
  // polynomial's terms from r^2 on are evaluated at r1 (they change by less
  // than 1e-8 relative), so they start while r is still being formed.
  Expr r1 = fma(n, Expr(-kLn2F), a);
  if (lo.defined())
    r1 = r1 + lo;
  Expr r = fma(n, Expr(-kLn2FError), r1);
  const std::vector<float> &p = mode == Mode::Fast ? kExpFast : kExpDefault;
  return {r, fma(horner(r1, p), r, Expr(1.0f)), asInt(t) << 23};
}

Expr scaledExp(const Expr &a, int bias, Mode mode, const Expr &lo) {
  ScaledExpParts e = scaledExpParts(a, bias, mode, lo);
  return timesPow2(fma(e.q, e.r, Expr(1.0f)), e.exponentBits);
}

Expr timesPow2(const Expr &m, const Expr &exponentBits) {
  return asFloat(asInt(m) + exponentBits);
}

Expr expOfReduced(const Expr &r, Mode mode) {
  // 1 + r + r^2 P(r) in one Horner chain.
  std::vector<float> c = {1.0f, 1.0f};
  const std::vector<float> &p = mode == Mode::Fast ? kExpFast : kExpDefault;
  c.insert(c.end(), p.begin(), p.end());
  return horner(r, c);
}

Expr expm1OfReduced(const Expr &r, Mode mode) {
  return fma(r * r, fma(r, horner(r, kExpm1Default), Expr(0.5f)), r);
}

Expr divide(const Expr &a, const Expr &b, Mode) {
  // Both modes: the Newton-refined fast reciprocal (three instructions) was
  // measured slower than one division on AVX-512 (docs/accuracy.md).
  return a / b;
}

Expr isNegInf(const Expr &x) {
  return Halide::reinterpret(Halide::UInt(32), x) == Expr(uint32_t(0xff800000));
}

Expr copySign(const Expr &magnitude, const Expr &sign) {
  return asFloat((asInt(magnitude) & 0x7fffffff) |
                 (asInt(sign) & std::numeric_limits<int32_t>::min()));
}

// Halide compiles float code with LLVM's no-NaNs and no-infs flags, under
// which LLVM may fold a float compare such as isNaN(x) or
// isInf(x) to false (it does in scalar code: a row's vector tail
// lost NaN). An integer test on the bits cannot be folded.
Expr isNaN(const Expr &x) {
  Expr bits = Halide::reinterpret(Halide::UInt(32), x);
  return (bits & Expr(uint32_t(0x7fffffff))) > Expr(uint32_t(0x7f800000));
}

Expr isInf(const Expr &x) {
  Expr bits = Halide::reinterpret(Halide::UInt(32), x);
  return (bits & Expr(uint32_t(0x7fffffff))) == Expr(uint32_t(0x7f800000));
}

Expr keepNaN(const Expr &x, const Expr &value) {
  return select(isNaN(x), x, value);
}

Expr scaleByPow2(const Expr &v, const Expr &n) {
  Expr n1 = n >> 1;
  Expr n2 = n - n1;
  // In this order: (v 2^n1) 2^n2 must not become v (2^n1 2^n2), which
  // overflows at n = 128 and rounds twice below the normal range.
  return ordered((v * pow2i(n1)) * pow2i(n2));
}

ExpParts expParts(const Expr &hi, const Expr &lo, Mode mode) {
  // Past both saturations: e^89 overflows, e^-104 * 2 rounds to 0. The low
  // end is -120 so that x e^x (silu, mish, the GELUs, whose |x| stays
  // below ~120 there) has underflowed too before the clamp bites.
  Expr a = clamp(hi, -120.0f, 89.0f);
  ExpReduction e = reduceExp(a);
  Expr r = e.r;
  // Where hi was clamped, lo (up to half an ULP of a huge hi) must go too.
  if (lo.defined())
    r = r + select(a == hi, lo, 0.0f);
  Expr p = horner(r, mode == Mode::Fast ? kExpFast : kExpDefault);
  Expr mantissa = fma(r * r, p, r) + 1.0f;
  return {mantissa, cast<int>(e.n)};
}

namespace {

/// -x*x * scale as two floats hi + lo, exactly (x^2 = p + e with e the
/// fused multiply-add's error term; the power-of-two scale keeps both
/// exact). Inputs are clamped to |x| <= 20 first (the callers' results have
/// saturated long before).
std::pair<Expr, Expr> negSquareSplit(const Expr &x, double scale) {
  Expr ax = Halide::min(Halide::abs(x), 20.0f);
  Expr p = ax * ax;
  Expr e = fma(ax, ax, -p);
  float s = float(-scale);
  return {p * s, e * s};
}

/// erf(u) for |u| <= 1 (a single odd polynomial).
Expr erfSmall(const Expr &u, Mode mode) {
  return u * horner(u * u, kErfDefault);
}

/// The pieces of erfc(u) = e^-u^2 * erfcx(u) for u >= 0.5: below u = 2,
/// erfcx(u) = `poly`; above, erfcx(u) = `poly` / u (poly is R(1/u^2), the
/// asymptotic shape).
struct ErfcTail {
  Expr isMid; ///< u < 2
  Expr poly;
};

ErfcTail erfcTail(const Expr &u, Mode mode) {
  Expr isMid = u < 2.0f;
  // erfc has underflowed long before 1e4; the clamp keeps 1/u normal.
  Expr inv = reciprocal(Halide::min(u, 1e4f), mode);
  Expr v = select(isMid, u - 1.25f, inv * inv);
  Expr p = hornerSelect(v, isMid, kErfcMidDefault, kErfcTail);
  return {isMid, p};
}

/// erfcx(u) = erfc(u) e^(u^2) for u >= 0.5 (`u` may carry a rounding error:
/// the function is smooth, the error is not amplified).
Expr erfcTailFactor(const Expr &u, Mode mode) {
  ErfcTail t = erfcTail(u, mode);
  // One division, not 1/u times poly: one rounding fewer.
  Expr uc = Halide::min(u, 1e4f);
  Expr tail =
      mode == Mode::Default ? t.poly / uc : t.poly * reciprocal(uc, mode);
  return select(t.isMid, t.poly, tail);
}

} // namespace

//===----------------------------------------------------------------------===//
// Public builders
//===----------------------------------------------------------------------===//

Expr reciprocal(const Expr &x, Mode mode) {
  if (mode == Mode::Default)
    return 1.0f / x;
  Expr r0 = Halide::fast_inverse(x);
  // One Newton step; where the estimate is 0 (|x| = Inf, or past 2^126 where
  // it flushes) the step would be 0 * Inf: keep the estimate.
  // (Tested on the bits: a float compare with NaN is folded away under
  // Halide's no-NaNs flags.)
  Expr e = fma(-x, r0, Expr(1.0f));
  Expr finite = (asInt(e) & 0x7f800000) != 0x7f800000;
  return select(finite, fma(r0, e, r0), r0);
}

Expr exp(const Expr &x, Mode mode) {
  ExpParts e = expParts(x, Expr(), mode);
  return keepNaN(x, scaleByPow2(e.mantissa, e.exponent));
}

Expr expm1(const Expr &x, Mode mode) {
  // Below -30 the result is -1 in float; above 89 it has overflowed.
  Expr a = clamp(x, -30.0f, 89.0f);
  ExpReduction e = reduceExp(a);
  Expr q = expm1OfReduced(e.r, mode);
  Expr ni = cast<int>(e.n);
  // 2^n expm1(r) + (2^n - 1): 2^n - 1 is exact while n <= 24, and beyond
  // that the -1 is below half an ULP anyway. Above n = 100 2^n itself needs
  // the two-step scaling.
  Expr t = pow2i(Halide::min(ni, 100));
  Expr moderate = fma(q, t, t - 1.0f);
  Expr huge = scaleByPow2(q + 1.0f, ni);
  Expr result = select(ni < 100, moderate, huge);
  // expm1 keeps the sign of x, -0 included.
  return keepNaN(x, copySign(result, x));
}

Expr log(const Expr &x, Mode mode) {
  // Denormals: scale into the normal range first.
  Expr isDenormal = x < std::numeric_limits<float>::min();
  Expr xs = select(isDenormal, x * 8388608.0f, x);
  Expr t = asInt(xs) - kSqrtHalfBits;
  Expr e = (t >> 23) + select(isDenormal, -23, 0);
  Expr m = asFloat((t & 0x007fffff) + kSqrtHalfBits);
  Expr core = logFromReduced(m - 1.0f, e, mode);
  Expr result = select(x == 0.0f, -infConst(), x < 0.0f, nanConst(),
                       isInf(x), x, core);
  return keepNaN(x, result);
}

Expr log1p(const Expr &x, Mode mode) {
  Expr u = 1.0f + x;
  Expr t = asInt(u) - kSqrtHalfBits;
  Expr e = t >> 23;
  Expr m = asFloat((t & 0x007fffff) + kSqrtHalfBits);
  // (1 + x) 2^-e - 1 from x itself: x 2^-e is exact and 2^-e - 1 is exact
  // for |e| <= 24, so only one rounding happens. Past 2^24, 1 + x is x.
  Expr s = pow2i(-Halide::min(e, 24));
  Expr f = select(e > 24, m - 1.0f, fma(x, s, s - 1.0f));
  Expr core = logFromReduced(f, e, mode);
  Expr result = select(x == -1.0f, -infConst(), x < -1.0f, nanConst(),
                       isInf(x), x, core);
  // log1p keeps the sign of x (-0 included; -Inf at -1 is negative too).
  return keepNaN(x, copySign(result, x));
}

Expr tanh(const Expr &x, Mode mode) {
  // tanh |x| = -expm1(-2|x|) / (2 + expm1(-2|x|)): one exponential, no
  // cancellation (expm1 keeps its relative accuracy near 0), 1 in float past
  // 9.1.
  Expr c = Halide::min(Halide::abs(x), 9.1f);
  ExpReduction e = reduceExp(c * -2.0f);
  Expr em = fma(expm1OfReduced(e.r, mode), e.scale, e.scale - 1.0f);
  return keepNaN(x, ordered(copySign(divide(em, -2.0f - em, mode), x)));
}

Expr erf(const Expr &x, Mode mode) {
  Expr ax = Halide::abs(x);
  Expr small = erfSmall(ax, mode);
  std::pair<Expr, Expr> sq = negSquareSplit(ax, 1.0);
  ExpParts e = expParts(sq.first, sq.second, mode);
  Expr c = scaleByPow2(e.mantissa * erfcTailFactor(ax, mode), e.exponent);
  Expr result = select(ax < 1.0f, small, 1.0f - c);
  return keepNaN(x, copySign(result, x));
}

Expr erfc(const Expr &x, Mode mode) {
  Expr ax = Halide::abs(x);
  std::pair<Expr, Expr> sq = negSquareSplit(ax, 1.0);
  ExpParts e = expParts(sq.first, sq.second, mode);
  Expr c = scaleByPow2(e.mantissa * erfcTailFactor(ax, mode), e.exponent);
  // erfSmall is odd, so 1 - erfSmall(x) is 1 + erf(|x|) for negative x.
  Expr result =
      select(ax < 0.5f, 1.0f - erfSmall(x, mode), x < 0.0f, 2.0f - c, c);
  return keepNaN(x, result);
}

Expr sigmoid(const Expr &x, Mode mode) {
  // u / (u + 2^64), u = e^x 2^64 for x clamped to [-120, 17.5]: one branch.
  // u is normal down to -120 (past the underflow at -104), so the left
  // tail is rounded once, by the division; past 17.5 the quotient rounds to
  // 1 (e^-17.5 < 2^-25).
  const float two64 = 18446744073709551616.0f;
  Expr u = scaledExp(clamp(x, -120.0f, 17.5f), 64, mode);
  return keepNaN(x, ordered(divide(u, u + two64, mode)));
}

MathBuilder lookupMathOp(std::string_view opName) {
  struct Entry {
    std::string_view name;
    MathBuilder builder;
  };
  static const Entry kTable[] = {
      {"math.erf", &erf},     {"math.erfc", &erfc}, {"math.exp", &exp},
      {"math.expm1", &expm1}, {"math.log", &log},   {"math.log1p", &log1p},
      {"math.tanh", &tanh},
  };
  for (const Entry &e : kTable)
    if (e.name == opName)
      return e.builder;
  return nullptr;
}

} // namespace actc::halide::math
