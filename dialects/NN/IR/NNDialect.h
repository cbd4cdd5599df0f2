// SPDX-License-Identifier: Apache-2.0
//
// The nn dialect's C++ declaration (generated from NNDialect.td).

#ifndef ACTC_DIALECTS_NN_IR_NNDIALECT_H
#define ACTC_DIALECTS_NN_IR_NNDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/NN/IR/NNOpsDialect.h.inc"

#endif // ACTC_DIALECTS_NN_IR_NNDIALECT_H
