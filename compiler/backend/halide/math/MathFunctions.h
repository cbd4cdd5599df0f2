// SPDX-License-Identifier: Apache-2.0
//
// Vectorizable float32 approximations of the transcendental functions the
// activations need (exp, expm1, log, log1p, tanh, erf, erfc, sigmoid, a
// reciprocal), written as Halide Expr builders so that they inline into any
// kernel and vectorize on every target, CUDA included. Halide's own tanh,
// sinh, cosh and atanh are scalar libm calls per lane, and its fast_exp is
// 16 ULP; these are ours instead. Each builder handles NaN, +-Inf, -0,
// denormal inputs and overflow as /work/shared/ACTIVATIONS.md requires, and
// comes in two modes: Default (a few ULP, relative accuracy kept in the
// tails) and Fast (fewer polynomial terms; bound measured and published in
// docs/accuracy.md). The polynomial coefficients come from
// benchmarks/numerics/fit_coefficients.py; docs/math-library.md has the
// code-generation rules (explicit fma calls, strict activations, NaN on the
// bits).
//
// Halide compiles float code with LLVM's no-NaNs / no-signed-zeros flags and
// its simplifier folds x != x to false, so every special-value test here is
// made with integer operations on the bits.

#ifndef ACTC_COMPILER_BACKEND_HALIDE_MATH_MATHFUNCTIONS_H
#define ACTC_COMPILER_BACKEND_HALIDE_MATH_MATHFUNCTIONS_H

#include <Halide.h>

#include <string_view>
#include <vector>

namespace actc::halide::math {

/// Accuracy/speed trade-off of a builder. Default: at most a few ULP
/// everywhere; Fast: fewer terms and a fast reciprocal (its bound is measured
/// by the accuracy harness and published).
enum class Mode { Default, Fast };

/// e^x. Overflows to +Inf above ~88.72, gives denormals and then 0 below
/// ~-87.3, NaN for NaN.
Halide::Expr exp(const Halide::Expr &x, Mode mode = Mode::Default);
/// e^x - 1 with relative accuracy near 0 (keeps -0 and denormals).
Halide::Expr expm1(const Halide::Expr &x, Mode mode = Mode::Default);
/// Natural logarithm: -Inf at +-0, NaN below 0, correct for denormals.
Halide::Expr log(const Halide::Expr &x, Mode mode = Mode::Default);
/// log(1 + x) with relative accuracy near 0: -Inf at -1, NaN below -1.
Halide::Expr log1p(const Halide::Expr &x, Mode mode = Mode::Default);
/// Hyperbolic tangent (odd, +-1 at +-Inf, exact for tiny inputs).
Halide::Expr tanh(const Halide::Expr &x, Mode mode = Mode::Default);
/// Error function (odd, +-1 at +-Inf).
Halide::Expr erf(const Halide::Expr &x, Mode mode = Mode::Default);
/// Complementary error function with relative accuracy in the right tail
/// down to its underflow near x = 10.05 (2 at -Inf, 0 at +Inf).
Halide::Expr erfc(const Halide::Expr &x, Mode mode = Mode::Default);
/// 1 / (1 + e^-x), accurate in both tails.
Halide::Expr sigmoid(const Halide::Expr &x, Mode mode = Mode::Default);
/// 1 / x: an IEEE division in Default mode; in Fast mode the hardware
/// reciprocal estimate refined by one Newton step (about 1 ULP for normal
/// x; for |x| > 2^126 the estimate flushes to 0).
Halide::Expr reciprocal(const Halide::Expr &x, Mode mode = Mode::Default);

/// A builder of one unary math function.
using MathBuilder = Halide::Expr (*)(const Halide::Expr &, Mode);

/// The one place that maps a math dialect op name ("math.exp", "math.expm1",
/// "math.log", "math.log1p", "math.tanh", "math.erf", "math.erfc") to its
/// implementation. Returns nullptr for a name it does not know.
MathBuilder lookupMathOp(std::string_view opName);

//===----------------------------------------------------------------------===//
// Building blocks shared with Activations.cpp
//===----------------------------------------------------------------------===//

/// a * b + c with one rounding (LLVM's fma intrinsic, which every target
/// has: a fused instruction where the hardware has one). Halide 14 has no
/// fma of its own, and a * b + c written out may or may not be contracted;
/// this one is a call neither Halide's simplifier nor LLVM may split or
/// reassociate, so the exact steps of a range reduction stay exact.
Halide::Expr fma(const Halide::Expr &a, const Halide::Expr &b,
                 const Halide::Expr &c);
/// c[0] + t (c[1] + t (c[2] + ...)), one fma per term.
Halide::Expr horner(const Halide::Expr &t, const std::vector<float> &c);
/// `e` evaluated exactly as written: IEEE operations in the order given,
/// no reassociation, no x / c turned into x * (1 / c), no contraction.
/// Halide's simplifier rewrites float arithmetic as if it were real
/// ((x + c) + y into (x + y) + c, x / c into x * (1/c)) and LLVM
/// reassociates under Halide's fast-math flags; this is strict_float, kept
/// to the few places where the order is the point (everything inside it is
/// strict, so the expensive parts are explicit fma calls).
Halide::Expr ordered(const Halide::Expr &e);

/// e^a = 2^n e^r: n = round(a / ln 2) (a float), r = a - n ln 2 (Cody-Waite
/// with fused multiply-adds, the first step exact) and `scale` = 2^(n + bias)
/// read off the bits of the rounding sum (valid while n + bias is in
/// [-126, 127]; callers clamp a). A bias of 64 keeps e^a * 2^64 normal
/// down to a = -104, so that a result below the smallest normal is rounded
/// once, by the caller's final multiplication by 2^-64.
struct ExpReduction {
  Halide::Expr n;
  Halide::Expr r;
  Halide::Expr scale;
  Halide::Expr exponentBits; ///< (n + bias) << 23, int32
};
ExpReduction reduceExp(const Halide::Expr &a, int bias = 0);
/// e^a * 2^bias in one chain for a in [-120, 89] with n + bias in
/// [-126, 127] (n = round(a / ln 2)): the two-constant reduction of
/// reduceExp with its second constant folded into the polynomial, so that
/// the polynomial starts one fused multiply-add sooner (same count, shorter
/// dependency chain). `lo`, if defined, extends the argument to a + lo
/// (below half an ULP of a). NaN and out-of-range a are the caller's
/// business.
Halide::Expr scaledExp(const Halide::Expr &a, int bias, Mode mode,
                       const Halide::Expr &lo = Halide::Expr());
/// scaledExp in parts, for a caller that fuses the last step with its own
/// product: e^a 2^bias = (1 + r q) 2^k with exponentBits = k << 23 (int32).
struct ScaledExpParts {
  Halide::Expr r;
  Halide::Expr q;
  Halide::Expr exponentBits;
};
ScaledExpParts scaledExpParts(const Halide::Expr &a, int bias, Mode mode,
                              const Halide::Expr &lo = Halide::Expr());
/// m * 2^k as an integer addition to m's exponent field, given
/// exponentBits = k << 23: exact, and off the multiplier, where m and the
/// result are normal (m = e^r, the result at least 2^-126).
Halide::Expr timesPow2(const Halide::Expr &m, const Halide::Expr &exponentBits);
/// e^r for the reduced r (|r| <= ln2/2 + a rounding).
Halide::Expr expOfReduced(const Halide::Expr &r, Mode mode);
/// e^r - 1 for the reduced r, with relative accuracy near 0.
Halide::Expr expm1OfReduced(const Halide::Expr &r, Mode mode);
/// a / b for the activations: an IEEE division in both modes (cheaper than
/// the Newton-refined reciprocal on the CPUs measured).
Halide::Expr divide(const Halide::Expr &a, const Halide::Expr &b, Mode mode);

/// e^(hi + lo) split as mantissa * 2^exponent, so that a caller can scale the
/// mantissa before the final, only rounding into the denormal range (x * e^y
/// stays accurate where e^y alone is denormal but the product is not).
/// `lo` may be undefined; hi + lo carries the argument with extra precision
/// (for example -x^2 computed in double and split into two floats).
struct ExpParts {
  Halide::Expr mantissa; ///< float in [sqrt(1/2), sqrt(2)]
  Halide::Expr exponent; ///< int32 in [-173, 129]
};
/// Computes ExpParts for a finite-or-infinite argument (NaN is the caller's
/// business). Arguments are clamped to [-120, 89], past both saturations.
ExpParts expParts(const Halide::Expr &hi, const Halide::Expr &lo, Mode mode);
/// v * 2^n for int32 n in [-252, 254], with one rounding (two exact steps).
Halide::Expr scaleByPow2(const Halide::Expr &v, const Halide::Expr &n);
/// x == -Inf, on the bits (a float compare may be folded under Halide's
/// no-NaNs flags).
Halide::Expr isNegInf(const Halide::Expr &x);
/// A float with the magnitude of `magnitude` and the sign bit of `sign`
/// (integer operations: immune to the no-signed-zeros flags).
Halide::Expr copySign(const Halide::Expr &magnitude, const Halide::Expr &sign);
/// NaN / +-Inf tests on the bits: Halide's is_nan/is_inf are float compares
/// that LLVM folds away under Halide's fast-math flags (in scalar code).
Halide::Expr isNaN(const Halide::Expr &x);
Halide::Expr isInf(const Halide::Expr &x);
/// `x` where x is NaN, else `value`.
Halide::Expr keepNaN(const Halide::Expr &x, const Halide::Expr &value);

} // namespace actc::halide::math

#endif // ACTC_COMPILER_BACKEND_HALIDE_MATH_MATHFUNCTIONS_H
