// SPDX-License-Identifier: Apache-2.0
//
// A reader for safetensors files, the format `safetensors.torch.save_file`
// writes from a PyTorch state_dict: an 8-byte little-endian header length, a
// JSON header naming each tensor's dtype, shape and byte range, then the raw
// data. Weights files come from users and from the internet, so the reader
// enforces every rule of the format before it trusts a number from the file:
// no allocation is sized by the header until the header has been checked
// against the real file size, no input makes it crash or throw, and each
// error names the file and the tensor and says what was expected and what was
// found. F32 data is read as it is; F16, BF16 and F64 are converted to f32
// exactly (F64 rounds to nearest even); other dtypes are recorded but not
// loaded, because a PyTorch state_dict routinely holds integer buffers
// (batch norm's I64 num_batches_tracked) that a model never reads: the binding
// step rejects such a tensor only when the model uses it.

#ifndef ACTC_COMPILER_WEIGHTS_SAFETENSORS_H
#define ACTC_COMPILER_WEIGHTS_SAFETENSORS_H

#include "dialects/NN/Rules/OpRules.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace actc::weights {

//===----------------------------------------------------------------------===//
// Results
//===----------------------------------------------------------------------===//

/// A failure with a complete, user-facing message (it starts with the file's
/// name and has no final period).
struct Error {
  std::string message;
};

/// A value or the error that prevented it. Nothing in this library throws
/// past its API: every failure arrives here.
template <typename T> class Expected {
public:
  Expected(T value) : v(std::move(value)) {}
  Expected(Error error) : v(std::move(error)) {}
  bool ok() const { return v.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T &value() const & { return std::get<0>(v); }
  T &value() & { return std::get<0>(v); }
  T &&value() && { return std::get<0>(std::move(v)); }
  const Error &error() const { return std::get<1>(v); }

private:
  std::variant<T, Error> v;
};

//===----------------------------------------------------------------------===//
// Limits
//===----------------------------------------------------------------------===//

/// The format's own limit on the JSON header (the reference implementation
/// rejects larger headers before reading them).
constexpr uint64_t kMaxHeaderBytes = 100'000'000;
/// The most dimensions a tensor may have; this bounds the memory a hostile
/// header can make the reader hold per tensor (PyTorch allows 64 too).
constexpr size_t kMaxRank = 64;

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

/// One tensor of a safetensors file.
struct FileTensor {
  /// The dtype as the file spells it: "F32", "F16", "I64", ...
  std::string dtype;
  /// The shape. Zero-sized dimensions are allowed (the format permits them;
  /// such a tensor has no data and empty data_offsets [k, k]).
  rules::Shape shape;
  /// The values in row-major order, converted to f32. Empty when `loaded` is
  /// false.
  std::vector<float> data;
  /// True for the dtypes actc reads (F32, F16, BF16, F64). Any other dtype of
  /// the format is checked (shape, size, offsets) but its data is not read.
  bool loaded = false;
};

/// A validated safetensors file, all its loadable data in memory.
struct SafetensorsFile {
  /// The name messages use for the file (the path as given).
  std::string path;
  /// The optional `__metadata__` object (string to string).
  std::map<std::string, std::string> metadata;
  /// Every tensor by its state_dict name.
  std::map<std::string, FileTensor> tensors;
  /// Conversions made while reading, e.g.
  /// "w.safetensors: converted 'fc1.weight' from F16 to F32".
  std::vector<std::string> notes;
};

/// Reads and validates the safetensors file at `path`. Memory use is bounded
/// by the file's real size: the header length is checked against the file
/// before anything is allocated for it, and the data only after every entry
/// of the header has been checked.
Expected<SafetensorsFile> readSafetensorsFile(const std::string &path);

/// The same rules on a file already in memory (tests, embedded data).
/// `displayName` stands for the file in messages.
Expected<SafetensorsFile> parseSafetensors(std::string_view displayName,
                                           std::string_view bytes);

//===----------------------------------------------------------------------===//
// Element conversions, exact and independent of the host's floating-point
// environment (exposed for tests)
//===----------------------------------------------------------------------===//

/// IEEE binary16 to binary32: exact, including subnormals, infinities and NaN
/// (the payload is kept).
float halfToFloat(uint16_t bits);
/// bfloat16 to binary32: exact (bfloat16 is the top half of a binary32).
float bfloat16ToFloat(uint16_t bits);
/// binary64 to binary32, rounded to nearest even; values beyond the f32 range
/// become infinities, NaN stays NaN (quiet). Done on the bits, because a
/// C++ cast of an out-of-range double is undefined behaviour.
float doubleToFloat(double value);

/// `'name'`, with control characters and invalid UTF-8 escaped as \xNN, so
/// that a hostile name cannot garble a terminal (used by every message).
std::string quoteName(std::string_view name);

/// "[10, 20]".
std::string formatDims(const rules::Shape &shape);

} // namespace actc::weights

#endif // ACTC_COMPILER_WEIGHTS_SAFETENSORS_H
