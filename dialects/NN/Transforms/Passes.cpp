// SPDX-License-Identifier: Apache-2.0
//
// Registration of the nn passes (the generated registration functions stay
// inside this file).

#include "dialects/NN/Transforms/Passes.h"

namespace actc::nn {
#define GEN_PASS_REGISTRATION
#include "dialects/NN/Transforms/Passes.h.inc"

void registerPasses() { registerNNTransformsPasses(); }
} // namespace actc::nn
