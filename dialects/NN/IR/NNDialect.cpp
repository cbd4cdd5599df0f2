// SPDX-License-Identifier: Apache-2.0
//
// Registers the nn dialect's ops.

#include "dialects/NN/IR/NNDialect.h"
#include "dialects/NN/IR/NNOps.h"

using namespace mlir;
using namespace actc::nn;

#include "dialects/NN/IR/NNOpsDialect.cpp.inc"

void NNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/NN/IR/NNOps.cpp.inc"
      >();
}
