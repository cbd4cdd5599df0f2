// SPDX-License-Identifier: Apache-2.0
//
// The nn dialect's ops (generated from NNOps.td; verifiers in NNOps.cpp).

#ifndef ACTC_DIALECTS_NN_IR_NNOPS_H
#define ACTC_DIALECTS_NN_IR_NNOPS_H

#include "dialects/NN/IR/NNDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "dialects/NN/IR/NNOps.h.inc"

#endif // ACTC_DIALECTS_NN_IR_NNOPS_H
