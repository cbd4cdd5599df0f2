// SPDX-License-Identifier: Apache-2.0
//
// The passes over the nn graph (declared from Passes.td) and their
// registration with the opt tool.

#ifndef ACTC_DIALECTS_NN_TRANSFORMS_PASSES_H
#define ACTC_DIALECTS_NN_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Pass/Pass.h"

namespace actc::nn {

#define GEN_PASS_DECL
#include "dialects/NN/Transforms/Passes.h.inc"

/// Registers every pass of Passes.td (for actc-opt and pass pipelines).
void registerPasses();

} // namespace actc::nn

#endif // ACTC_DIALECTS_NN_TRANSFORMS_PASSES_H
