// SPDX-License-Identifier: Apache-2.0
//
// Deterministic default weights. Everything here is integer arithmetic or a
// single correctly rounded IEEE operation, so the values are the same bits on
// x86, ARM and under any compiler.

#include "compiler/weights/DefaultInit.h"

#include <fmt/format.h>

#include <cmath>
#include <new>

namespace actc::weights {

/// splitmix64's output function: a bijective mix of all 64 bits.
static uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t SplitMix64::next() {
  state += 0x9e3779b97f4a7c15ull;
  return mix64(state);
}

float signedUnitFromBits(uint64_t bits) {
  // (k - 2^23) / 2^23 for k in [0, 2^24): exact in float.
  int32_t k = int32_t(bits >> 40);
  return float(k - (int32_t(1) << 23)) * (1.0f / 8388608.0f);
}

/// FNV-1a: a fixed, portable hash of the parameter's name (std::hash is not
/// the same across standard libraries).
static uint64_t hashName(std::string_view name) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : name) {
    h ^= uint8_t(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

std::vector<float> defaultValues(std::string_view name,
                                 const rules::ParamShape &param,
                                 uint64_t seed) {
  size_t elements = 1;
  for (rules::Dim dim : param.shape)
    elements *= size_t(dim);
  switch (param.init) {
  case rules::ParamInit::Zeros:
    return std::vector<float>(elements, 0.0f);
  case rules::ParamInit::Ones:
    return std::vector<float>(elements, 1.0f);
  case rules::ParamInit::Quarter:
    return std::vector<float>(elements, 0.25f);
  case rules::ParamInit::Uniform:
    break;
  }
  // PyTorch: bound = 1/sqrt(fan_in), and 0 when fan_in is 0. sqrt and the
  // division are correctly rounded in IEEE arithmetic, hence portable.
  double bound = param.fanIn > 0 ? 1.0 / std::sqrt(double(param.fanIn)) : 0.0;
  std::vector<float> values(elements);
  SplitMix64 rng(mix64(seed) ^ hashName(name));
  for (float &value : values)
    value = doubleToFloat(double(signedUnitFromBits(rng.next())) * bound);
  return values;
}

BindResult initDefaultWeights(const std::vector<ModelParam> &params,
                              uint64_t seed) {
  BindResult result;
  for (const ModelParam &param : params) {
    if (result.tensors.count(param.name)) // shared: drawn once
      continue;
    // The shape came from the op rules, so a bad one is a compiler bug; it
    // still must not turn into a huge allocation.
    uint64_t elements = 1;
    bool valid = true;
    for (rules::Dim dim : param.param.shape) {
      if (dim < 1 || elements > uint64_t(rules::kMaxElements) / uint64_t(dim)) {
        valid = false;
        break;
      }
      elements *= uint64_t(dim);
    }
    if (!valid) {
      result.errors.push_back(fmt::format(
          "internal error: parameter {} of {} at {} has shape {}, which no "
          "default weights can fill (a bug: parameters must be static)",
          quoteName(param.name), param.op, param.location,
          formatDims(param.param.shape)));
      continue;
    }
    try {
      result.tensors.emplace(
          param.name,
          WeightTensor{param.param.shape,
                       defaultValues(param.name, param.param, seed)});
    } catch (const std::bad_alloc &) {
      result.errors.push_back(fmt::format(
          "out of memory for the default values of parameter {} ({} "
          "elements)",
          quoteName(param.name), elements));
    }
  }
  if (!result.ok())
    result.tensors.clear();
  return result;
}

} // namespace actc::weights
