// SPDX-License-Identifier: Apache-2.0
//
// The accuracy harness of the activation numerics: a double-precision
// reference for every activation and math function, written plainly from
// /work/shared/ACTIVATIONS.md and independently of the approximations; a
// JIT-compiled, vectorized Halide kernel for each (case, mode), scheduled as
// the real kernels are; and the error measure of the contract (distance in
// float steps to the reference rounded to float, with denormal results
// judged by absolute error and special values judged exactly). The unit
// test (dense sample) and benchmarks/numerics (every float32, speed) share
// it.

#ifndef ACTC_TESTS_UNIT_NUMERICS_ACCURACYHARNESS_H
#define ACTC_TESTS_UNIT_NUMERICS_ACCURACYHARNESS_H

#include "compiler/backend/halide/math/Activations.h"
#include "tests/unit/numerics/Reference.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace actc::numerics {

/// One function under test: an activation with its attributes, or a math
/// op ("math.exp").
struct Case {
  std::string name; ///< unique, printable: "gelu_tanh", "swish_beta1.5"
  std::string op;   ///< nn activation name or "math.*"
  actc::halide::math::ActivationAttrs attrs;
  bool pieceWiseLinear = false; ///< judged bit-exact
  float preluSlope = 0.25f;     ///< the constant slope prelu is tested with
  /// What the reference needs of this case.
  RefSpec spec() const;
};

/// Every case the harness knows: each activation with its defaults, a few
/// non-default attributes, and the math functions.
const std::vector<Case> &allCases();
/// The case called `name`, or nullptr.
const Case *findCase(const std::string &name);

/// The double-precision reference of `c` at x (NaN, +-Inf and limits as
/// ACTIVATIONS.md says).
double reference(const Case &c, float x);

/// f(x) for one case and mode, as the library builds it. Throws
/// std::runtime_error when the builder refuses the case.
Halide::Expr buildCase(const Case &c, const Halide::Expr &x,
                       actc::halide::math::Mode mode);

/// A vectorized JIT kernel y[i] = f(x[i]) for one case and mode.
class JitKernel {
public:
  /// Compiles for the host (Halide's JIT target from the environment),
  /// vectorized by the natural width, split into `parallelChunk`-element
  /// parallel tasks when that is non-zero. Throws std::runtime_error with
  /// Halide's message if Halide fails.
  JitKernel(const Case &c, actc::halide::math::Mode mode,
            int parallelChunk = 0);
  ~JitKernel();
  JitKernel(const JitKernel &) = delete;
  JitKernel &operator=(const JitKernel &) = delete;
  /// out[i] = f(in[i]) for i < n.
  void run(const float *in, float *out, int64_t n);

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

/// Adds the errors of out[i] = f(in[i]) to `stats`.
void accumulate(const Case &c, const float *in, const float *out, int64_t n,
                ErrorStats &stats);

/// A dense sample of float32 inputs: special values, every binade of both
/// signs, a fine grid over [-30, 30], and runs of consecutive floats around
/// 0 and the points where the approximations switch form or saturate.
std::vector<float> denseSample();

} // namespace actc::numerics

#endif // ACTC_TESTS_UNIT_NUMERICS_ACCURACYHARNESS_H
