/* SPDX-License-Identifier: Apache-2.0
 *
 * Status codes and their fixed messages, and the checksum of the weights
 * file (XXH64 with seed 0, written out here so that the runtime depends on
 * nothing; the C++ writer links this same function).
 */
#include "actc/runtime.h"

#include <string.h>

const char *actc_status_string(int status) {
  switch (status) {
  case ACTC_OK:
    return "success";
  case ACTC_ERROR_INVALID_ARGUMENT:
    return "invalid argument";
  case ACTC_ERROR_INVALID_SIZE:
    return "dynamic size out of range";
  case ACTC_ERROR_OUT_OF_MEMORY:
    return "out of memory";
  case ACTC_ERROR_WEIGHTS_MISSING:
    return "weights file cannot be read";
  case ACTC_ERROR_WEIGHTS_CORRUPT:
    return "weights file is truncated or corrupt";
  case ACTC_ERROR_WEIGHTS_VERSION:
    return "weights file has an unsupported format version";
  case ACTC_ERROR_WEIGHTS_MISMATCH:
    return "weights file belongs to another model";
  case ACTC_ERROR_PIPELINE:
    return "the generated code reported an error";
  default:
    return "unknown status";
  }
}

/*===------------------------------------------------------------------------===*
 * XXH64, seed 0
 *===------------------------------------------------------------------------===*/

#define P1 UINT64_C(0x9E3779B185EBCA87)
#define P2 UINT64_C(0xC2B2AE3D27D4EB4F)
#define P3 UINT64_C(0x165667B19E3779F9)
#define P4 UINT64_C(0x85EBCA77C2B2AE63)
#define P5 UINT64_C(0x27D4EB2F165667C5)

static uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

/* Little-endian loads whatever the host (compilers turn these into one load).
 */
static uint64_t read64(const unsigned char *p) {
  uint64_t v = 0;
  int i;
  for (i = 7; i >= 0; --i)
    v = (v << 8) | p[i];
  return v;
}

static uint64_t read32(const unsigned char *p) {
  return (uint64_t)p[0] | ((uint64_t)p[1] << 8) | ((uint64_t)p[2] << 16) |
         ((uint64_t)p[3] << 24);
}

static uint64_t round64(uint64_t acc, uint64_t input) {
  acc += input * P2;
  acc = rotl64(acc, 31);
  return acc * P1;
}

static uint64_t merge64(uint64_t acc, uint64_t val) {
  acc ^= round64(0, val);
  return acc * P1 + P4;
}

uint64_t actc_checksum64(const void *data, size_t size) {
  const unsigned char *p = (const unsigned char *)data;
  const unsigned char *end = p + size;
  uint64_t h;
  if (size >= 32) {
    const unsigned char *limit = end - 32;
    uint64_t v1 = P1 + P2, v2 = P2, v3 = 0, v4 = (uint64_t)0 - P1;
    do {
      v1 = round64(v1, read64(p));
      v2 = round64(v2, read64(p + 8));
      v3 = round64(v3, read64(p + 16));
      v4 = round64(v4, read64(p + 24));
      p += 32;
    } while (p <= limit);
    h = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18);
    h = merge64(h, v1);
    h = merge64(h, v2);
    h = merge64(h, v3);
    h = merge64(h, v4);
  } else {
    h = P5;
  }
  h += (uint64_t)size;
  while (p + 8 <= end) {
    h ^= round64(0, read64(p));
    h = rotl64(h, 27) * P1 + P4;
    p += 8;
  }
  if (p + 4 <= end) {
    h ^= read32(p) * P1;
    h = rotl64(h, 23) * P2 + P3;
    p += 4;
  }
  while (p < end) {
    h ^= (uint64_t)(*p) * P5;
    h = rotl64(h, 11) * P1;
    ++p;
  }
  h ^= h >> 33;
  h *= P2;
  h ^= h >> 29;
  h *= P3;
  h ^= h >> 32;
  return h;
}
