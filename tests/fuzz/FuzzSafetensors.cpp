// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer entry point for the safetensors reader and the binding step:
// any bytes must give a file or an error, never a crash or a sanitizer
// report. Built and run by tools/fuzz.sh.

#include "compiler/weights/Binding.h"
#include "compiler/weights/Safetensors.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace actc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  auto file = weights::parseSafetensors(
      "fuzz.safetensors",
      std::string_view(reinterpret_cast<const char *>(data), size));
  if (!file)
    return 0;
  // Bind against a dense (weight [2, 2], bias [2]) and a prelu slope that
  // accepts [1] or [2], so binding's shape and dtype paths run too.
  std::vector<weights::ModelParam> params = {
      {"fc.weight", {"weight", {2, 2}, {}, rules::ParamInit::Uniform, 2},
       "dense", "fuzz.act:1:1"},
      {"fc.bias", {"bias", {2}, {}, rules::ParamInit::Uniform, 2}, "dense",
       "fuzz.act:1:1"},
      {"p.weight", {"weight", {1}, {{2}}, rules::ParamInit::Quarter, 0},
       "prelu", "fuzz.act:2:1"}};
  weights::BindResult bound = weights::bindWeights(params, std::move(file).value());
  if (bound.ok() && bound.tensors.size() != params.size())
    __builtin_trap();
  return 0;
}
