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

namespace actc::nn {

/// The trait behind NN_CheckRulesFirst: verifies the op's shape rules before
/// InferTypeOpInterface compares the inferred and the written result type.
template <typename ConcreteType>
class CheckRulesFirst
    : public mlir::OpTrait::TraitBase<ConcreteType, CheckRulesFirst> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return mlir::cast<ConcreteType>(op).verifyRules();
  }
};

} // namespace actc::nn

#define GET_OP_CLASSES
#include "dialects/NN/IR/NNOps.h.inc"

#endif // ACTC_DIALECTS_NN_IR_NNOPS_H
