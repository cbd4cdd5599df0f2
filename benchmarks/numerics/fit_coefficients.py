#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
#
# Fits the polynomial coefficients used by
# compiler/backend/halide/math/MathFunctions.cpp and prints them as C++
# constants. Each approximation is a weighted minimax fit (Lawson's
# iteratively reweighted least squares on Chebyshev nodes) of the part that
# is left after the exact leading terms (1 + r, f - f^2/2, ...) are taken
# out, with the weight chosen so that the error measured is relative to the
# function's value. Coefficients are rounded to float32 and the resulting
# error is printed (evaluated in double) so that a change of degree can be
# judged before it goes into the library. Run: /usr/bin/python3 fit_coefficients.py
import math
import numpy as np


def lawson(t, target, basis, weight, iters=60):
    """Coefficients c minimizing max |weight * (target - basis @ c)|."""
    a = basis * weight[:, None]
    b = target * weight
    w = np.ones_like(t) / len(t)
    for _ in range(iters):
        sw = np.sqrt(w)
        c, *_ = np.linalg.lstsq(a * sw[:, None], b * sw, rcond=None)
        e = np.abs(a @ c - b)
        w = w * e
        w /= w.sum()
    return c


def cheb(lo, hi, n=6000):
    k = np.arange(n)
    return 0.5 * (lo + hi) + 0.5 * (hi - lo) * np.cos((2 * k + 1) * np.pi / (2 * n))


def report(name, t, approx_fn, exact, c):
    c32 = c.astype(np.float32).astype(np.float64)
    rel = np.max(np.abs(approx_fn(t, c32) - exact) / np.abs(exact))
    print(f"// {name}: max rel err {rel:.3g} ({rel / 2**-24:.3f} half-ulps of 2^-24)")
    print("  " + ", ".join(f"{float(np.float32(v))!r}f" for v in c))


def fit_exp(deg):
    r = cheb(-0.3466, 0.3466)
    ex = np.exp(r)
    p = np.stack([r ** (k + 2) for k in range(deg - 1)], 1)
    c = lawson(r, ex - 1 - r, p, 1 / ex)
    report(f"exp deg {deg}", r, lambda t, c: 1 + t + np.stack([t ** (k + 2) for k in range(deg - 1)], 1) @ c, ex, c)


def fit_expm1(deg):
    r = cheb(-0.3466, 0.3466)
    ex = np.expm1(r)
    p = np.stack([r ** (k + 3) for k in range(deg - 2)], 1)
    c = lawson(r, ex - r - r * r / 2, p, 1 / np.abs(ex))
    report(f"expm1 deg {deg}", r, lambda t, c: t + t * t / 2 + np.stack([t ** (k + 3) for k in range(deg - 2)], 1) @ c, ex, c)


def fit_log1p(deg):
    f = cheb(math.sqrt(0.5) - 1 - 0.002, math.sqrt(2) - 1 + 0.002)
    ex = np.log1p(f)
    p = np.stack([f ** (k + 3) for k in range(deg - 2)], 1)
    c = lawson(f, ex - f + f * f / 2, p, 1 / np.abs(ex))
    report(f"log1p deg {deg}", f, lambda t, c: t - t * t / 2 + np.stack([t ** (k + 3) for k in range(deg - 2)], 1) @ c, ex, c)


def fit_odd(name, fn, lo, hi, nterms, first):
    """fn(x) ~ first*x + sum c_k x^(2k+3) (first = 1 fixed) or all free."""
    x = cheb(lo, hi)
    ex = fn(x)
    if first:
        p = np.stack([x ** (2 * k + 3) for k in range(nterms)], 1)
        c = lawson(x, ex - x, p, 1 / np.abs(ex))
        report(name, x, lambda t, c: t + np.stack([t ** (2 * k + 3) for k in range(nterms)], 1) @ c, ex, c)
    else:
        p = np.stack([x ** (2 * k + 1) for k in range(nterms)], 1)
        c = lawson(x, ex, p, 1 / np.abs(ex))
        report(name, x, lambda t, c: np.stack([t ** (2 * k + 1) for k in range(nterms)], 1) @ c, ex, c)


def fit_erfc_tail(lo, hi, nterms):
    """erfc(x) = exp(-x^2) / x * R(1/x^2); fits R."""
    x = cheb(lo, hi)
    z = 1 / (x * x)
    ex = np.array([math.erfc(v) * math.exp(v * v) * v for v in x])
    p = np.stack([z ** k for k in range(nterms)], 1)
    c = lawson(z, ex, p, 1 / ex)
    report(f"erfc R(1/x^2) on [{lo}, {hi}] {nterms} terms", z, lambda t, c: np.stack([t ** k for k in range(nterms)], 1) @ c, ex, c)


def fit_erfcx_mid(lo, hi, center, nterms):
    """erfc(x) = exp(-x^2) * P(x - center) on [lo, hi]; fits P."""
    x = cheb(lo, hi)
    t = x - center
    ex = np.array([math.erfc(v) * math.exp(v * v) for v in x])
    p = np.stack([t ** k for k in range(nterms)], 1)
    c = lawson(t, ex, p, 1 / ex)
    report(f"erfcx P(x - {center}) on [{lo}, {hi}] {nterms} terms", t,
           lambda s, c: np.stack([s ** k for k in range(nterms)], 1) @ c, ex, c)


def fit_gelu_h(p, nterms, top=14.5):
    """GELU's tail: Q(y) e^(y^2/2) = 0.5 / (1 + y h(y)), Q(y) = erfc(y / sqrt 2)
    / 2, y in [0, top] (past 14.5, x Q(x) has underflowed); h = H(t), a
    polynomial in t = 1 / (1 + p y). h only moves from 0.80 to 1.25, so the
    rounding of t hardly matters (a polynomial for Q e^(y^2/2) in t itself
    would amplify it threefold). The weight makes the error the one of
    Q e^(y^2/2), relative."""
    y = cheb(1e-6, top, 8000)
    t = 1 / (1 + p * y)
    m = np.array([0.5 * math.erfc(v / math.sqrt(2)) * math.exp(v * v / 2) for v in y])
    h = (0.5 / m - 1) / y
    basis = np.stack([t ** k for k in range(nterms)], 1)
    c = lawson(t, h, basis, y / (1 + y * h), iters=300)
    report(f"gelu Q(y) e^(y^2/2) = 0.5 / (1 + y H(t)), t = 1/(1 + {p} y), {nterms} terms", t,
           lambda s, c: 0.5 / (1 + (1 / s - 1) / p * (np.stack([s ** k for k in range(nterms)], 1) @ c)), m, c)


def fit_atanh_series(nterms):
    """(atanh(w) / w - 1) / w^2 = P(w^2) on w in [0, 1/3] (softplus:
    log1p(s) = 2 atanh(s / (2 + s)))."""
    w = cheb(1e-4, 1 / 3)
    w2 = w * w
    ex = np.arctanh(w) / w
    basis = np.stack([w2 ** (k + 1) for k in range(nterms)], 1)
    c = lawson(w2, ex - 1, basis, 1 / ex)
    report(f"atanh(w)/w = 1 + w^2 P(w^2) on [0, 1/3], {nterms} terms", w2,
           lambda s, c: 1 + np.stack([s ** (k + 1) for k in range(nterms)], 1) @ c, ex, c)


def main_erfc():
    for n in (12, 11, 10, 9, 8):
        fit_erfcx_mid(0.5, 2.0, 1.25, n)
    for n in (8, 7, 6):
        fit_erfc_tail(2.0, 10.06, n)


if __name__ == "__main__":
    # The degrees the library uses: default mode first, then fast mode.
    erf = np.vectorize(math.erf)
    fit_exp(6), fit_exp(5)
    fit_expm1(6), fit_expm1(5)
    fit_log1p(9), fit_log1p(8)
    fit_odd("tanh x + x^3 P(x^2) on [0, 0.55] 5 terms", np.tanh, 1e-4, 0.55, 5, True)
    fit_odd("tanh x + x^3 P(x^2) on [0, 0.55] 4 terms", np.tanh, 1e-4, 0.55, 4, True)
    fit_odd("erf odd on [0, 1] 6 terms", erf, 1e-4, 1.0, 6, False)
    fit_odd("erf odd on [0, 1] 5 terms", erf, 1e-4, 1.0, 5, False)
    fit_erfcx_mid(0.5, 2.0, 1.25, 10), fit_erfc_tail(2.0, 10.06, 10)
    fit_erfcx_mid(0.5, 2.0, 1.25, 8), fit_erfc_tail(2.0, 10.06, 8)
    fit_gelu_h(0.25, 12)
    fit_atanh_series(4)
