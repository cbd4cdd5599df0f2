// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer entry point for the .npy reader (`actc run --input`,
// actc-interp): any bytes must give an array or one error, never a crash,
// a sanitizer report or an array that disagrees with its own shape. Built
// and run by tools/fuzz.sh.

#include "compiler/support/Npy.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace actc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  npy::NpyResult result = npy::parseNpy(
      std::string_view(reinterpret_cast<const char *>(data), size),
      "fuzz.npy");
  if (!result.ok()) {
    if (result.error.empty())
      __builtin_trap();
    return 0;
  }
  uint64_t elements = 1;
  for (int64_t d : result.array->shape) {
    if (d < 0)
      __builtin_trap();
    elements *= uint64_t(d);
  }
  if (elements != result.array->data.size())
    __builtin_trap();
  // What actc run writes back must parse to the same shape.
  std::vector<float> values = npy::toFloat32(*result.array);
  npy::NpyResult again =
      npy::parseNpy(npy::encodeNpy(result.array->shape, values), "again.npy");
  if (!again.ok() || again.array->shape != result.array->shape)
    __builtin_trap();
  return 0;
}
