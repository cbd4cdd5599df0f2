// SPDX-License-Identifier: Apache-2.0
//
// The double-precision reference of every activation and math function,
// written plainly from /work/shared/ACTIVATIONS.md with libm and the stable
// forms, independently of the approximations under test, and the error
// measure of the contract: distance in float steps to the reference rounded
// to float, denormal results judged by absolute error, special values
// exactly. No Halide here: the exhaustive sweep links it into a standalone
// binary (ahead-of-time kernels) that runs on a many-core machine.

#ifndef ACTC_TESTS_UNIT_NUMERICS_REFERENCE_H
#define ACTC_TESTS_UNIT_NUMERICS_REFERENCE_H

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace actc::numerics {

/// What the reference needs to know of a case.
struct RefSpec {
  std::string op; ///< nn activation name or "math.*"
  std::map<std::string, float, std::less<>> floats; ///< attributes
  std::string approximate = "none";                 ///< gelu
  float preluSlope = 0.25f;
  bool pieceWiseLinear = false; ///< judged bit-exact
};

/// The reference value at x (NaN, +-Inf and limits as ACTIVATIONS.md says).
double referenceValue(const RefSpec &spec, float x);

/// Error statistics of one (case, mode) over some inputs.
struct ErrorStats {
  uint64_t count = 0;
  uint64_t maxUlp = 0;     ///< over results whose rounded ref is normal
  float worstInput = 0.0f; ///< where maxUlp happens
  float worstOutput = 0.0f;
  double worstReference = 0.0;
  uint64_t maxDenormalSteps = 0; ///< |out - ref| in 2^-149 steps, ref < 2^-127
  float worstDenormalInput = 0.0f;
  /// The same for 2^-127 <= |ref| < 2^-126, the top binade of the
  /// denormals, where one step is one ULP of the smallest normals: the
  /// 1-step rule there is four times stricter than the 4-ULP rule a step
  /// above it (docs/accuracy.md).
  uint64_t maxBoundarySteps = 0;
  float worstBoundaryInput = 0.0f;
  uint64_t notBitExact = 0;   ///< piecewise-linear cases: outputs != ref bits
  uint64_t specialErrors = 0; ///< NaN where ref is not, or the reverse, or a
                              ///< wrong infinity
  float firstSpecialError = 0.0f;
  /// Merges another partial result (the worst of both).
  void merge(const ErrorStats &o);
};

/// Adds the error of one output y = f(x) against the reference value r.
void accumulateOne(bool pieceWiseLinear, float x, float y, double r,
                   ErrorStats &stats);

/// Distance between two floats in representable steps (+0 and -0 are the
/// same point), saturated for NaN.
uint64_t floatDistance(float a, float b);

} // namespace actc::numerics

#endif // ACTC_TESTS_UNIT_NUMERICS_REFERENCE_H
