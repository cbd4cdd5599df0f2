// SPDX-License-Identifier: Apache-2.0
//
// The values of the reference interpreter: dense row-major tensors of
// doubles (a scalar is a rank-0 tensor with one element; i1 and integer
// values are stored as doubles too, 0/1 for booleans), and the two helpers
// every numeric test needs: rounding a double result to float32 once, and
// comparing two results element by element (maximum absolute and relative
// error, and whether NaN positions and infinities agree).

#ifndef ACTC_COMPILER_INTERPRETER_TENSOR_H
#define ACTC_COMPILER_INTERPRETER_TENSOR_H

#include <cstdint>
#include <string>
#include <vector>

namespace actc::interp {

/// A dense row-major tensor of doubles.
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<double> data;

  Tensor() = default;
  Tensor(std::vector<int64_t> shape, std::vector<double> data)
      : shape(std::move(shape)), data(std::move(data)) {}
  /// A tensor of `shape` filled with `fill`.
  static Tensor filled(std::vector<int64_t> shape, double fill = 0.0);
  /// A rank-0 tensor.
  static Tensor scalar(double value) { return Tensor({}, {value}); }

  int64_t rank() const { return int64_t(shape.size()); }
  /// The product of the dimensions (1 for rank 0).
  int64_t numElements() const;
  /// Row-major strides, in elements.
  std::vector<int64_t> strides() const;
};

/// "[2, 3]" (rank 0 prints as "[]").
std::string formatShape(const std::vector<int64_t> &shape);

/// `t` with every element rounded to float32 once (round to nearest even;
/// overflow gives +-Inf, as a float32 result would).
Tensor roundToF32(const Tensor &t);

/// Tolerances for compareTensors: an element passes when its absolute error
/// is at most `absTol` or its relative error at most `relTol`.
struct Tolerance {
  double absTol = 0.0;
  double relTol = 0.0;
};

/// The outcome of comparing an expected (reference) tensor with an actual
/// one. Errors are over elements where both are finite or both are the same
/// infinity (error 0); an infinity against anything else counts as an
/// infinite error. The relative error of an element is |a - e| / |e| (0 when
/// both are 0, +Inf when only e is 0).
struct Comparison {
  bool shapesMatch = true;
  double maxAbsError = 0.0;
  double maxRelError = 0.0;
  /// The largest error in float32 ULPs of the expected value (ulpError),
  /// over the same elements.
  double maxUlpError = 0.0;
  /// Flat index of the element with the largest absolute error (-1: none).
  int64_t worstIndex = -1;
  /// Elements that are NaN in exactly one of the two.
  int64_t nanMismatches = 0;
  /// Elements that fail the tolerance (NaN mismatches included).
  int64_t numOutside = 0;
  int64_t numElements = 0;
  /// True when the shapes match, the NaN positions agree and every element
  /// is within the tolerance.
  bool ok() const { return shapesMatch && nanMismatches == 0 && !numOutside; }
  /// One line: "max abs error 1e-7 at [3], max rel error ..., N NaN
  /// mismatches, N of M outside the tolerance".
  std::string summary(const std::vector<int64_t> &shape) const;
};

/// |actual - expected| in units of the float32 spacing at `expected` (the
/// ULP of ACTIVATIONS.md's accuracy contract): the gap between the two
/// float32 values around |expected|, 2^-149 below the smallest normal. 0
/// when both are equal (infinities included), +Inf when only one is
/// infinite, NaN when either is NaN.
double ulpError(double expected, double actual);

/// Compares `actual` against `expected` (see Comparison).
Comparison compareTensors(const Tensor &expected, const Tensor &actual,
                          Tolerance tolerance = {});

} // namespace actc::interp

#endif // ACTC_COMPILER_INTERPRETER_TENSOR_H
