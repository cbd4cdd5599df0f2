// SPDX-License-Identifier: Apache-2.0
//
// Registers the kern dialect's ops.

#include "dialects/Kern/IR/KernDialect.h"
#include "dialects/Kern/IR/KernOps.h"

using namespace mlir;
using namespace actc::kern;

#include "dialects/Kern/IR/KernOpsDialect.cpp.inc"

void KernDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/Kern/IR/KernOps.cpp.inc"
      >();
}
