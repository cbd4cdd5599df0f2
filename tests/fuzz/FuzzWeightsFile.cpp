// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer entry point for the runtime's weights-file reader (what every
// NAME_create runs on the user's NAME.weights): any bytes must give
// weights or an error with a message, never a crash or a read past the
// image. Random bytes rarely pass the header and table checksums, so the
// target writes the model's fingerprint and both checksums into its copy
// first: the table parser behind them is what gets fuzzed (the tensor data
// checksums stay as the input has them). Built and run by tools/fuzz.sh.

#include "actc/runtime.h"

#include <sanitizer/asan_interface.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace {

void put64(unsigned char *p, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    p[i] = (unsigned char)(v >> (8 * i));
}

uint64_t get64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | p[i];
  return v;
}

const int64_t kWeightShape[] = {2, 2};
const int64_t kBiasShape[] = {2};
const actc_tensor_spec kWeights[] = {{"fc.weight", 2, kWeightShape},
                                     {"fc.bias", 1, kBiasShape}};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  actc_model_desc model = {};
  model.name = "fuzz";
  model.fingerprint = 0x0123456789abcdefull;
  model.num_weights = 2;
  model.weights = kWeights;

  // 64-byte aligned (the reader requires it), the bytes past `size`
  // poisoned so that a read beyond the image is an ASan report.
  size_t rounded = (size + 63) / 64 * 64 + 64;
  auto *image = static_cast<unsigned char *>(std::aligned_alloc(64, rounded));
  if (!image)
    return 0;
  ASAN_POISON_MEMORY_REGION(image + size, rounded - size);
  std::memcpy(image, data, size);
  if (size >= ACTC_WEIGHTS_HEADER_SIZE &&
      std::memcmp(image, ACTC_WEIGHTS_MAGIC, 8) == 0) {
    put64(image + 16, model.fingerprint);
    uint64_t tableSize = get64(image + 32);
    if (tableSize <= size - ACTC_WEIGHTS_HEADER_SIZE)
      put64(image + 48, actc_checksum64(image + ACTC_WEIGHTS_HEADER_SIZE,
                                        (size_t)tableSize));
    put64(image + 56, actc_checksum64(image, 56));
  }
  actc_weights weights;
  char err[512] = "";
  int status = actc_weights_load_image(&weights, image, size, "fuzz.weights",
                                       &model, err, sizeof err);
  if (status == ACTC_OK) {
    if (weights.num_tensors != 2)
      __builtin_trap();
    // Every tensor lies inside the image.
    for (size_t i = 0; i < 2; ++i) {
      const auto *p = reinterpret_cast<const unsigned char *>(weights.data[i]);
      size_t bytes = i == 0 ? 16 : 8;
      if (p < image || p + bytes > image + size)
        __builtin_trap();
    }
    actc_weights_release(&weights);
  } else if (err[0] == '\0') {
    __builtin_trap();
  }
  ASAN_UNPOISON_MEMORY_REGION(image + size, rounded - size);
  std::free(image);
  return 0;
}
