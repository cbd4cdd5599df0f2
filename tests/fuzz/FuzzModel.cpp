// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer entry point for the model-language front end: any bytes must
// give a model or a diagnostic, never a crash, a hang or a sanitizer report.
// Built and run by tools/fuzz.sh.

#include "compiler/frontend/Model.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  actc::frontend::DiagnosticSink diags;
  std::string_view text(reinterpret_cast<const char *>(data), size);
  std::optional<actc::frontend::Model> model =
      actc::frontend::parseModel(text, "fuzz.act", diags);
  // Exactly one of the two outcomes, and a diagnostic renders.
  if (model.has_value() == diags.hasErrors())
    __builtin_trap();
  if (!model)
    (void)diags.render();
  return 0;
}
