// SPDX-License-Identifier: Apache-2.0
//
// Builds the nn dialect from a checked model: one func.func named after the
// model, taking the inputs and returning the outputs, with one nn op per
// node and one nn.param per parameter, each located at its file:line:col.

#ifndef ACTC_COMPILER_MLIRGEN_MLIRGEN_H
#define ACTC_COMPILER_MLIRGEN_MLIRGEN_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace actc::frontend {
struct Model;
} // namespace actc::frontend

namespace actc {

/// Registers the dialects the generated module uses.
void loadFrontendDialects(mlir::MLIRContext &context);

/// The nn-dialect module of `model`. The model was validated by the front
/// end, so this cannot fail on user input: a module that does not verify is
/// a bug, reported through the context's diagnostic handler (and null is
/// returned).
mlir::OwningOpRef<mlir::ModuleOp> buildModule(mlir::MLIRContext &context,
                                              const frontend::Model &model);

} // namespace actc

#endif // ACTC_COMPILER_MLIRGEN_MLIRGEN_H
