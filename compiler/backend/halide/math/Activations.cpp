// SPDX-License-Identifier: Apache-2.0
//
// See Activations.h. The error analysis behind each form is in
// docs/accuracy.md; the measured bounds are enforced by
// tests/unit/numerics/ActivationAccuracyTest.cpp.

#include "compiler/backend/halide/math/Activations.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

namespace actc::halide::math {

using Halide::cast;
using Halide::Expr;
using Halide::select;

namespace {

struct OpInfo {
  std::string_view name;
  /// Attribute names and defaults (NNOps.td).
  std::vector<std::pair<std::string_view, float>> floats;
};

const std::vector<OpInfo> &opTable() {
  static const std::vector<OpInfo> kOps = {
      {"relu", {}},
      {"leaky_relu", {{"alpha", 0.01f}}},
      {"prelu", {}},
      {"relu6", {}},
      {"leaky_relu6", {{"alpha", 0.01f}, {"cap", 6.0f}}},
      {"clip", {{"lo", -1.0f}, {"hi", 1.0f}}},
      {"hardtanh", {{"lo", -1.0f}, {"hi", 1.0f}}},
      {"elu", {{"alpha", 1.0f}}},
      {"selu",
       {{"alpha", 1.6732632423543772f}, {"gamma", 1.0507009873554805f}}},
      {"celu", {{"alpha", 1.0f}}},
      {"thresholded_relu", {{"alpha", 1.0f}}},
      {"sigmoid", {}},
      {"hard_sigmoid", {{"alpha", 1.0f / 6.0f}, {"beta", 0.5f}}},
      {"tanh", {}},
      {"silu", {}},
      {"swish", {{"beta", 1.0f}}},
      {"hard_swish", {}},
      {"gelu", {}},
      {"mish", {}},
      {"softplus", {{"beta", 1.0f}, {"threshold", 20.0f}}},
      {"softsign", {}},
  };
  return kOps;
}

Expr infConst() { return Expr(std::numeric_limits<float>::infinity()); }

/// A float z = hi + lo: the argument of an exponential carried with extra
/// precision when it is the rounded product of two floats.
struct SplitFloat {
  Expr hi;
  Expr lo; ///< undefined when hi is exact
};

/// beta * x as two floats, hi + lo exactly (the fused multiply-add's error
/// term), so that e^(beta x) keeps its relative accuracy in the tails.
SplitFloat scaledArgument(const Expr &x, float beta, Mode mode) {
  if (beta == 1.0f)
    return {x, Expr()};
  Expr hi = x * beta;
  Expr lo = fma(x, Expr(beta), -hi);
  // Infinite (or overflowing) x: hi is +-Inf and the error term NaN.
  return {hi, select(isInf(hi), 0.0f, lo)};
}

constexpr float kTwoM64 = 5.42101086242752217e-20f; // 2^-64
constexpr float kTwo64 = 18446744073709551616.0f;    // 2^64

/// -v if s >= 0, v if s < 0 (s's sign bit, flipped, xor'ed into v's: no
/// compare).
Expr negTimesSignOf(const Expr &v, const Expr &s) {
  Expr vi = Halide::reinterpret(Halide::Int(32), v);
  Expr si = Halide::reinterpret(Halide::Int(32), s);
  const int32_t sign = std::numeric_limits<int32_t>::min();
  return Halide::reinterpret(Halide::Float(32), vi ^ ((~si) & sign));
}

/// x > c or x is NaN (either sign), for c > 0, as one unsigned compare on
/// the bits: the key k = bits ^ ((bits >> 31) & 0x7fffffff) orders the floats
/// as signed integers, -NaN first and +NaN last, so the wanted set, k > key(c)
/// or k < key(-Inf), is one interval of the unsigned k - key(c) - 1 (a
/// float compare drops NaN under Halide's fast-math flags, and two integer
/// tests cost two multiply-pipe compares on AVX-512).
Expr aboveOrNaN(const Expr &x, float c) {
  Expr bits = Halide::reinterpret(Halide::Int(32), x);
  Expr key = bits ^ ((bits >> 31) & 0x7fffffff);
  uint32_t kc;
  std::memcpy(&kc, &c, 4);
  const uint32_t keyNegInf = 0x807fffffu; // 0xff800000 ^ 0x7fffffff
  Expr m = Halide::reinterpret(Halide::UInt(32), key) - Expr(kc + 1u);
  return m < Expr(uint32_t(keyNegInf - kc - 1u));
}

/// e^-|z| * 2^64 for z = hi + lo (normal down to |z| = 120, past every
/// caller's underflow; 0 beyond, so that a product with a huge multiplier
/// underflows too), and whether z < 0. NaN is the caller's business.
struct ScaledNegExp {
  Expr value;
  Expr negative;
};
ScaledNegExp scaledNegExp(const SplitFloat &z, Mode mode) {
  Expr negative = z.hi < 0.0f;
  Expr az = Halide::abs(z.hi);
  Expr beyond = Expr(120.0f) < az;
  ExpReduction e = reduceExp(-select(beyond, Expr(120.0f), az), 64);
  Expr r = e.r;
  // -|hi + lo| = -|hi| - sign(hi) lo (lo is below half an ULP of hi).
  if (z.lo.defined())
    r = r + select(beyond, Expr(0.0f), select(negative, z.lo, -z.lo));
  Expr value = timesPow2(expOfReduced(r, mode), e.exponentBits);
  return {select(beyond, Expr(0.0f), value), negative};
}

/// mult * sigmoid(z) for z = hi + lo, relative accuracy in both tails. With
/// v = e^-|z| 2^64: mult / (1 + v 2^-64) for z >= 0, and
/// mult v / (v + 2^64) for z < 0, whose one division rounds the result
/// once, into the denormals if it must. A -Inf mult (x of silu at -Inf)
/// gives -0, the limit.
Expr sigmoidTimes(const SplitFloat &z, const Expr &mult, Mode mode) {
  ScaledNegExp e = scaledNegExp(z, mode);
  Expr num = select(e.negative, mult * e.value, mult);
  Expr den = select(e.negative, e.value + kTwo64,
                    fma(e.value, Expr(kTwoM64), Expr(1.0f)));
  Expr result = divide(num, den, mode);
  return select(isNegInf(mult), copySign(Expr(0.0f), mult), result);
}

//===----------------------------------------------------------------------===//
// Piecewise linear (bit-exact against the double reference)
//===----------------------------------------------------------------------===//

Expr relu(const Expr &x) { return keepNaN(x, select(x > 0.0f, x, 0.0f)); }

Expr leakyRelu(const Expr &x, const Expr &alpha) {
  return keepNaN(x, select(x >= 0.0f, x, x * alpha));
}

Expr clip(const Expr &x, float lo, float hi) {
  return keepNaN(x, select(x<lo, lo, x> hi, hi, x));
}

Expr leakyRelu6(const Expr &x, float alpha, float cap) {
  return keepNaN(x, select(x<0.0f, x * alpha, x> cap, cap, x));
}

Expr thresholdedRelu(const Expr &x, float alpha) {
  return keepNaN(x, select(x > alpha, x, 0.0f));
}

/// max(0, min(1, alpha x + beta)) evaluated in double and rounded once, as
/// the reference does (alpha x is exact in double, so a fused multiply-add
/// changes nothing).
Expr hardSigmoid(const Expr &x, float alpha, float beta) {
  Expr v = cast<double>(x) * Expr(double(alpha)) + Expr(double(beta));
  Expr r = select(v<Expr(0.0), Expr(0.0), v> Expr(1.0), Expr(1.0), v);
  return keepNaN(x, cast<float>(r));
}

/// x * min(max(x + 3, 0), 6) / 6 in double, rounded once; `ordered` so
/// that the division by 6 is not turned into a multiplication by 1/6. At and
/// below -3 the product is -0, the limit at -Inf included (-Inf * 0 would be
/// NaN).
Expr hardSwish(const Expr &x) {
  Expr d = cast<double>(x);
  Expr t = d + Expr(3.0);
  Expr c = select(t > Expr(6.0), Expr(6.0), t);
  // (A -0.0 constant would be folded to +0: the zero takes x's sign bit.)
  Expr r = cast<float>(ordered(d * c / Expr(6.0)));
  return keepNaN(x, select(t <= Expr(0.0), copySign(Expr(0.0f), x), r));
}

//===----------------------------------------------------------------------===//
// Exponential family
//===----------------------------------------------------------------------===//

/// expm1(a) for a <= 0: 2^n expm1(r) + (2^n - 1), the
/// sum fused. Below -18 expm1 is -1 in float.
Expr expm1NonPositive(const Expr &a, Mode mode) {
  ExpReduction e = reduceExp(Halide::max(a, -18.0f));
  return fma(expm1OfReduced(e.r, mode), e.scale, e.scale - 1.0f);
}

/// x > 0 ? pos : scale * expm1(arg): the ELU family. The sign of x is put
/// back at the end (expm1(-0) must be -0).
Expr eluLike(const Expr &x, const Expr &pos, float scale, const Expr &arg,
             Mode mode) {
  Expr em = expm1NonPositive(arg, mode);
  if (scale != 1.0f)
    em = em * scale;
  return keepNaN(x, select(x > 0.0f, pos, copySign(em, x)));
}

Expr elu(const Expr &x, float alpha, Mode mode) {
  return eluLike(x, x, alpha, x, mode);
}

Expr selu(const Expr &x, float alpha, float gamma, Mode mode) {
  // gamma * alpha rounded once, in double.
  float ga = float(double(alpha) * double(gamma));
  return eluLike(x, gamma * x, ga, x, mode);
}

Expr celu(const Expr &x, float alpha, Mode mode) {
  return eluLike(x, x, alpha, alpha == 1.0f ? x : x / alpha, mode);
}

/// x sigmoid(x) = x u / (u + 2^64), u = e^x 2^64 for x clamped to
/// [-120, 17.5]: one form, the numerator formed before the one division
/// (the left tail is rounded once); past 17.5 (and for NaN) the result is x.
Expr silu(const Expr &x, Mode mode) {
  Expr xl = Halide::max(x, -120.0f);
  Expr u = scaledExp(Halide::min(xl, 17.5f), 64, mode);
  return select(aboveOrNaN(x, 17.5f), x, (xl * u) / (u + kTwo64));
}

Expr swish(const Expr &x, float beta, Mode mode) {
  if (beta == 1.0f)
    return silu(x, mode);
  return sigmoidTimes(scaledArgument(x, beta, mode), x, mode);
}

// (atanh(w) / w - 1) / w^2 = P(w^2) on w in [0, 1/3]: relative error
// 5.4e-9 (benchmarks/numerics/fit_coefficients.py, fit_atanh_series).
const std::vector<float> kAtanhSeries = {0.3333320915699005f,
                                         0.2001076340675354f,
                                         0.1400090605020523f,
                                         0.14005979895591736f};

/// log(1 + e^(beta x)) / beta, x past the threshold. With s = e^-|z|,
/// log1p(s) = 2 atanh(w), w = s / (2 + s) in [0, 1/3]: one exponential (s
/// scaled by 2^64, so that it stays normal down to |z| = 120, where
/// log1p(s) has underflowed), one division, a short even series, and
/// max(x, 0) added by the last fused multiply-add. No branch: NaN is put
/// back by one test on the bits, and past a threshold of 15 or more the
/// sum rounds to x by itself (e^-z / z < 2^-25), so only a smaller one
/// costs a select.
Expr softplus(const Expr &x, float beta, float threshold, Mode mode) {
  SplitFloat z = scaledArgument(x, beta, mode);
  // -|hi| as a set sign bit (off the add pipe), no lower than -120.
  Expr negAbs = Halide::reinterpret(Halide::Float(32),
                                    Halide::reinterpret(Halide::Int(32), z.hi) |
                                        std::numeric_limits<int32_t>::min());
  Expr a = Halide::max(negAbs, -120.0f);
  // -|hi + lo| = -|hi| - sign(hi) lo: lo with hi's sign bit flipped in.
  // Past |hi| = 120 (where lo can be huge) the clamp keeps it below the
  // half ULP it is at 120; the result has underflowed there anyway.
  Expr lo;
  if (z.lo.defined())
    lo = Halide::clamp(negTimesSignOf(z.lo, z.hi), -4e-6f, 4e-6f);
  Expr s = scaledExp(a, 64, mode, lo); // s 2^64
  Expr pos = Halide::max(x, 0.0f);
  Expr result;
  if (beta == 1.0f) {
    // w = s / (2 + s) unscaled: below the normal range it is rounded once
    // and doubled exactly, within a denormal step of log1p(s) = 2w.
    Expr w = s / (s + 2.0f * kTwo64);
    Expr w2 = w * w;
    std::vector<float> twice;
    for (float c : kAtanhSeries)
      twice.push_back(2.0f * c);
    // 2 atanh(w) = 2w + w (w^2 2P(w^2)): the small part added last, so
    // that for x <= 0 (pos = 0, 2w exact) the result is rounded once.
    Expr h = w2 * horner(w2, twice);
    result = fma(w, h, (w + w) + pos);
  } else {
    // w 2^64, so that 2 atanh(w) / beta is rounded once, by the last fma,
    // also below the normal range; k folds 2^-63 / beta.
    Expr wScaled = divide(s, fma(s, Expr(kTwoM64), Expr(2.0f)), mode);
    Expr w = wScaled * kTwoM64;
    Expr w2 = w * w;
    // atanh(w) 2^64 = wS + wS w^2 P(w^2), rounded once; k folds the 2 of
    // 2 atanh and the scaling.
    Expr half = fma(wScaled * w2, horner(w2, kAtanhSeries), wScaled);
    float k = float(std::ldexp(1.0, -63) / double(beta));
    result = fma(half, Expr(k), pos);
  }
  if (!(threshold >= 15.0f && beta > 0.0f))
    result = select(z.hi > threshold, x, result);
  return keepNaN(x, result);
}

/// x tanh(log(1 + e^x)) = x n / (n + 2) with n = u (u + 2), u = e^x: one
/// exponential, one division, no subtraction, one form for every x (no
/// select between branches). u is kept scaled by 2^64 (normal down to x = -120)
/// and the numerator is formed before the division, so that the left tail, far
/// below the normal range, is rounded once. Past x = 9, n / (n + 2) rounds to 1
/// and the result is x; below -120 it has underflowed to -0 (-Inf included).
Expr mish(const Expr &x, Mode mode) {
  Expr xl = Halide::max(x, -120.0f);
  Expr u = scaledExp(Halide::min(xl, 9.0f), 64, mode); // e^x 2^64
  // n 2^64 = u^2 2^-64 + 2u, rounded once (u + u and the scaling are exact).
  Expr num = fma(u, u * kTwoM64, u + u);
  // x n 2^64 / ((n + 2) 2^64): finite wherever x <= 9; larger x and NaN
  // (which max and min may have dropped) take x itself.
  Expr result = (xl * num) / (num + 2.0f * kTwo64);
  return select(aboveOrNaN(x, 9.0f), x, result);
}

Expr softsign(const Expr &x, Mode mode) {
  Expr d = 1.0f + Halide::abs(x);
  Expr q = mode == Mode::Default ? x / d : x * reciprocal(d, mode);
  // Past 2^25 the quotient rounds to +-1 (and Inf / Inf, or a flushed fast
  // reciprocal of a huge d, must not be seen).
  return keepNaN(
      x, select(Halide::abs(x) > 33554432.0f, copySign(Expr(1.0f), x), q));
}

// Q(y) e^(y^2/2) = 0.5 / (1 + y H(t)) with t = 4 / (4 + y), y in [0, 14.5],
// Q(y) the normal tail probability: relative error 1.4e-8
// (benchmarks/numerics/fit_coefficients.py, fit_gelu_h).
const std::vector<float> kGeluH = {
    1.2532435655593872f,  -0.24829219281673431f, -0.1896967589855194f,
    0.015438925474882126f, -0.43615037202835083f, 1.0220576524734497f,
    -1.4443328380584717f, 1.1549842357635498f,   0.2022276371717453f,
    -1.11223566532135f,   0.7444391250610352f,   -0.16379891335964203f};

/// x Phi(x) = max(x, 0) - |x| Q(|x|) for every x, Phi the normal
/// distribution function and Q(y) = Phi(-y) = e^(-y^2/2) / (2 (1 + y H(t))),
/// t = 4 / (4 + y): one exponential (its argument -x^2/2 carried exactly as
/// two floats), no branch. H only moves between 0.80 and 1.25, so the
/// rounding of t hardly reaches the result. The exponential's last step is
/// fused with the product by |x|, and its power of two (2^64 included, so
/// that the left tail is rounded once, by the last fma, where it is below
/// the smallest normal) moves onto the denominator, which stays normal
/// where |x| is a denormal. The sign is put back last (-0 at -0 and where
/// the left tail underflows). x is clamped to [-14.5, 5.5]: below, x Q(x)
/// has underflowed; above (and for NaN) the result is x.
Expr geluErf(const Expr &x, Mode mode) {
  Expr xc = Halide::clamp(x, -14.5f, 5.5f);
  Expr y = Halide::abs(xc);
  Expr v = xc * -0.5f; // exact
  Expr a = v * xc;
  Expr al = fma(v, xc, -a); // -x^2/2 = a + al exactly
  ScaledExpParts e = scaledExpParts(a, 64, mode, al);
  Expr t = 4.0f / (y + 4.0f);
  Expr den = fma(y, horner(t, kGeluH), Expr(1.0f));
  // |x| Q 2^64 = y (1 + r q) 2^k / (2 den).
  Expr tail =
      fma(y * e.q, e.r, y) / timesPow2(den, Expr(1 << 23) - e.exponentBits);
  Expr result = fma(tail, Expr(-kTwoM64), Halide::max(xc, 0.0f));
  return select(aboveOrNaN(x, 5.5f), x, copySign(result, xc));
}

/// 0.5 x (1 + tanh(y)) = x sigmoid(z) = x e^z / (1 + e^z), z = 2y =
/// x (A + B x^2) with A = 2 sqrt(2/pi), B = 0.044715 A: no 1 + tanh
/// cancellation, one exponential, one division, one form for every x. In
/// the left
/// tail e^z needs z to about 2^-30 relative (its rounding would cost |z|
/// ULP), so z is carried as two floats: x^2 exactly (fma), A + B x^2 with
/// its rounding error recovered (A's head has 21 bits, so A - (A + B x^2) is
/// exact below 16), then the product with x. e^z is scaled by 2^64 and the
/// numerator formed before the division, so the left tail is rounded once.
/// x is clamped to [-11.5, 5.5]: below, the result has underflowed to -0
/// (e^z 2^64 stays normal down to there); above, and for NaN, it is x.
Expr geluTanh(const Expr &x, Mode mode) {
  const float aHi = 1.595768928527832f;     // A rounded to 2^-20
  const float aLo = 1.930778950054446e-07f; // A - aHi
  const float bHi = 0.07135481387376785f;   // B rounded to float
  const float bLo = 2.3988324659995897e-09f;
  Expr xc = Halide::clamp(x, -11.5f, 5.5f);
  Expr u = xc * xc;
  Expr ul = fma(xc, xc, -u);
  Expr wh = fma(Expr(bHi), u, Expr(aHi));
  Expr err = fma(Expr(bHi), u, aHi - wh); // aHi + bHi u - wh, exactly
  Expr wl = fma(Expr(bHi), ul, fma(Expr(bLo), u, err + aLo));
  Expr zHi = xc * wh;
  Expr zLo = fma(xc, wl, fma(xc, wh, -zHi));
  Expr e = scaledExp(zHi, 64, mode, zLo); // e^z 2^64
  Expr result = (xc * e) / (e + kTwo64);
  return select(aboveOrNaN(x, 5.5f), x, result);
}

float attr(const ActivationAttrs &attrs, const OpInfo &info,
           std::string_view name) {
  auto it = attrs.floats.find(name);
  if (it != attrs.floats.end())
    return it->second;
  for (const auto &[n, v] : info.floats)
    if (n == name)
      return v;
  return 0.0f;
}

} // namespace

const std::vector<std::string_view> &elementwiseActivationNames() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> names;
    for (const OpInfo &op : opTable())
      names.push_back(op.name);
    return names;
  }();
  return kNames;
}

Expr buildActivationImpl(std::string_view op, const Expr &x,
                     const ActivationAttrs &attrs, Mode mode,
                     std::string *error) {
  auto fail = [&](const std::string &why) {
    if (error)
      *error = why;
    return Expr();
  };
  if (op.substr(0, 3) == "nn.")
    op.remove_prefix(3);
  const OpInfo *info = nullptr;
  for (const OpInfo &candidate : opTable())
    if (candidate.name == op)
      info = &candidate;
  if (!info)
    return fail("unknown activation '" + std::string(op) + "'");
  for (const auto &[name, value] : attrs.floats) {
    bool known = false;
    for (const auto &[n, v] : info->floats)
      known |= n == name;
    if (!known)
      return fail("activation '" + std::string(op) + "' has no attribute '" +
                  name + "'");
  }
  auto a = [&](std::string_view name) { return attr(attrs, *info, name); };

  if (op == "relu")
    return relu(x);
  if (op == "leaky_relu")
    return leakyRelu(x, Expr(a("alpha")));
  if (op == "prelu") {
    if (!attrs.slope.defined())
      return fail("prelu needs a slope");
    return leakyRelu(x, attrs.slope);
  }
  if (op == "relu6") // min(max(0, x), 6): +0 at -0, as relu
    return keepNaN(x, select(x > 0.0f, Halide::min(x, 6.0f), 0.0f));
  if (op == "leaky_relu6")
    return leakyRelu6(x, a("alpha"), a("cap"));
  if (op == "clip" || op == "hardtanh")
    return clip(x, a("lo"), a("hi"));
  if (op == "elu")
    return elu(x, a("alpha"), mode);
  if (op == "selu")
    return selu(x, a("alpha"), a("gamma"), mode);
  if (op == "celu")
    return celu(x, a("alpha"), mode);
  if (op == "thresholded_relu")
    return thresholdedRelu(x, a("alpha"));
  if (op == "sigmoid")
    return sigmoid(x, mode);
  if (op == "hard_sigmoid")
    return hardSigmoid(x, a("alpha"), a("beta"));
  if (op == "tanh")
    return tanh(x, mode);
  if (op == "silu")
    return swish(x, 1.0f, mode);
  if (op == "swish")
    return swish(x, a("beta"), mode);
  if (op == "hard_swish")
    return hardSwish(x);
  if (op == "gelu") {
    if (attrs.approximate == "none")
      return geluErf(x, mode);
    if (attrs.approximate == "tanh")
      return geluTanh(x, mode);
    return fail("gelu approximate must be \"none\" or \"tanh\", not '" +
                attrs.approximate + "'");
  }
  if (op == "mish")
    return mish(x, mode);
  if (op == "softplus")
    return softplus(x, a("beta"), a("threshold"), mode);
  if (op == "softsign")
    return softsign(x, mode);
  return fail("activation '" + std::string(op) + "' has no builder");
}

Expr buildActivation(std::string_view op, const Expr &x,
                     const ActivationAttrs &attrs, Mode mode,
                     std::string *error) {
  // Every activation is evaluated under strict_float: no reassociation, no
  // x / c turned into x * (1/c); the fused multiply-adds they need are
  // explicit fma calls. NaN is carried on the bits (keepNaN) or by a
  // product with x in every branch: Halide turns clamps into min/max that
  // drop NaN, whatever the order they are written in.
  Expr e = buildActivationImpl(op, x, attrs, mode, error);
  return e.defined() ? ordered(e) : e;
}

SoftmaxFuncs buildSoftmax(const Halide::Func &input, int axis,
                          const Halide::Expr &axisExtent, bool logSoftmax,
                          Mode mode) {
  int rank = input.dimensions();
  std::vector<Halide::Var> all(rank);
  std::vector<Halide::Var> rowVars;
  for (int i = 0; i < rank; ++i)
    if (i != axis)
      rowVars.push_back(all[i]);
  Halide::RDom r(0, axisExtent);
  std::vector<Expr> along(all.begin(), all.end());
  along[axis] = r.x;
  std::vector<Expr> rowArgs(rowVars.begin(), rowVars.end());

  SoftmaxFuncs f{Halide::Func("softmax_max"), Halide::Func("softmax_sum"),
                 Halide::Func(logSoftmax ? "log_softmax" : "softmax")};
  Expr v = input(along);
  f.rowMax(rowArgs) = -infConst();
  // A NaN anywhere makes the row NaN (max() may drop it, so say so).
  f.rowMax(rowArgs) =
      select(isNaN(v) || isNaN(f.rowMax(rowArgs)),
             v + f.rowMax(rowArgs), Halide::max(f.rowMax(rowArgs), v));

  auto expOfDiff = [&](const Expr &xv, const Expr &mx) {
    // x - max in double is exact to 2^-53 relative: the exponent of a tail
    // element stays accurate however far below the max it is.
    Expr d = cast<double>(xv) - cast<double>(mx);
    Expr hi = cast<float>(d);
    Expr lo = cast<float>(d - cast<double>(hi));
    ExpParts e = expParts(hi, lo, mode);
    Expr ex = scaleByPow2(e.mantissa, e.exponent);
    // x - max is NaN for a row of -Inf (and for NaN): keep it so.
    return select(isNaN(hi), hi, ex);
  };
  Halide::Type sumType =
      mode == Mode::Fast ? Halide::Float(32) : Halide::Float(64);
  f.rowSum(rowArgs) = Halide::Internal::make_zero(sumType);
  f.rowSum(rowArgs) += cast(sumType, expOfDiff(v, f.rowMax(rowArgs)));

  std::vector<Expr> outArgs(all.begin(), all.end());
  Expr xv = input(outArgs);
  Expr mx = f.rowMax(rowArgs);
  Expr sum = f.rowSum(rowArgs);
  if (!logSoftmax) {
    Expr ex = expOfDiff(xv, mx);
    f.result(outArgs) = mode == Mode::Fast
                            ? ex * reciprocal(sum, mode)
                            : cast<float>(cast<double>(ex) / sum);
  } else if (mode == Mode::Fast) {
    f.result(outArgs) = (xv - mx) - log(sum, mode);
  } else {
    // log(sum) = log1p(sum - 1) with sum - 1 exact in double: the largest
    // element's result is -log(sum), which can be tiny.
    Expr logSum = log1p(cast<float>(sum - Expr(1.0)), mode);
    Expr d = cast<double>(xv) - cast<double>(mx);
    f.result(outArgs) = cast<float>(d - cast<double>(logSum));
  }
  return f;
}

} // namespace actc::halide::math
