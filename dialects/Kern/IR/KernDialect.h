// SPDX-License-Identifier: Apache-2.0
//
// The kern dialect's C++ declaration (generated from KernDialect.td).

#ifndef ACTC_DIALECTS_KERN_IR_KERNDIALECT_H
#define ACTC_DIALECTS_KERN_IR_KERNDIALECT_H

#include "dialects/NN/IR/NNDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Dialect.h"

#include "dialects/Kern/IR/KernOpsDialect.h.inc"

#endif // ACTC_DIALECTS_KERN_IR_KERNDIALECT_H
