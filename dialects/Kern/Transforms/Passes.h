// SPDX-License-Identifier: Apache-2.0
//
// The kern dialect's passes (generated from Passes.td): kern-fuse and
// kern-tile.

#ifndef ACTC_DIALECTS_KERN_TRANSFORMS_PASSES_H
#define ACTC_DIALECTS_KERN_TRANSFORMS_PASSES_H

#include "dialects/Kern/IR/KernDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>
#include <string>

namespace actc::kern {

#define GEN_PASS_DECL
#include "dialects/Kern/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/Kern/Transforms/Passes.h.inc"

} // namespace actc::kern

#endif // ACTC_DIALECTS_KERN_TRANSFORMS_PASSES_H
