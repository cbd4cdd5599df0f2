// SPDX-License-Identifier: Apache-2.0
//
// A strict reader and a writer of NumPy's .npy files (SPEC.md section 4), the
// format of the tensors `actc run`, `actc check` and `actc-interp` read and
// write. The reader accepts format versions 1.0, 2.0 and 3.0 and checks
// everything the format fixes: the magic string, the version, the header
// length, the header itself (a Python dict literal with exactly the keys
// 'descr', 'fortran_order' and 'shape', parsed here by a small strict
// grammar, never evaluated), the dtype, the shape (its element count may not
// overflow) and the data length (truncated data and trailing bytes are both
// errors). Every error is one message that names the file and says what was
// expected and what was found; no input makes it crash.
//
// Decisions (documented for users in SPEC.md section 4's spirit):
// - dtypes: little-endian float32 ('<f4') is read as it is; float64 and
//   float16, little- or big-endian ('<f8', '>f8', '<f2', '>f2'), and
//   big-endian float32 ('>f4') are converted, with a note. Every other dtype
//   (integers, booleans, complex, strings, object arrays, structured dtypes)
//   is rejected by name.
// - fortran_order: True is accepted; the data is transposed into C order,
//   with a note.
// The values come back as doubles (exact for every accepted dtype), so the
// reference interpreter sees float64 fixtures unrounded; toFloat32 rounds
// them once for everything that computes in float32.
// The writer writes version 1.0, '<f4', C order, with the header padded so
// that the data starts at a multiple of 64 bytes (as NumPy does).

#ifndef ACTC_COMPILER_SUPPORT_NPY_H
#define ACTC_COMPILER_SUPPORT_NPY_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace actc::npy {

/// The largest element count the reader accepts (2^40, the compiler's
/// tensor limit); shape products are checked against it before any
/// multiplication can overflow.
constexpr uint64_t kMaxElements = uint64_t(1) << 40;

/// A tensor read from a .npy file, in C (row-major) order.
struct NpyArray {
  /// The dimensions; empty for a 0-d array (one element).
  std::vector<int64_t> shape;
  /// The values, converted exactly to double.
  std::vector<double> data;
  /// The dtype as the file spells it, e.g. "<f4".
  std::string descr;
};

/// The outcome of reading: an array, or one error message. Notes say what
/// was converted (a dtype other than '<f4', Fortran order); the caller
/// decides whether to print them. Messages are complete sentences without a
/// final period and start with the file name, e.g.
///   "x.npy: unsupported dtype '<i4' (int32); expected float32 ('<f4')"
struct NpyResult {
  std::optional<NpyArray> array;
  std::string error;
  std::vector<std::string> notes;
  bool ok() const { return array.has_value(); }
};

/// Parses the bytes of a .npy file; `fileName` is used in messages only.
NpyResult parseNpy(std::string_view bytes, std::string_view fileName);

/// Reads and parses the .npy file at `path` (errors name `path`).
NpyResult readNpyFile(const std::string &path);

/// The values of `array` rounded to float32 (round to nearest even).
std::vector<float> toFloat32(const NpyArray &array);

/// The bytes of a version 1.0 '<f4' C-order .npy file. `data` holds the
/// product of `shape` values (one for an empty shape).
std::string encodeNpy(const std::vector<int64_t> &shape,
                      const std::vector<float> &data);

/// Writes encodeNpy(shape, data) to `path`. Returns an empty string on
/// success, else a message naming the file.
std::string writeNpyFile(const std::string &path,
                         const std::vector<int64_t> &shape,
                         const std::vector<float> &data);

} // namespace actc::npy

#endif // ACTC_COMPILER_SUPPORT_NPY_H
