// SPDX-License-Identifier: Apache-2.0
//
// Builds the nn dialect from a checked model: one func.func named after the
// model, taking the inputs and returning the outputs, with one nn op per
// node and one nn.param per parameter, each located at its file:line:col.

#ifndef ACTC_COMPILER_MLIRGEN_MLIRGEN_H
#define ACTC_COMPILER_MLIRGEN_MLIRGEN_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include "compiler/weights/Binding.h"

#include <map>
#include <string>

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace actc::frontend {
struct Model;
} // namespace actc::frontend


namespace actc {

/// The parameters every node of `model` reads, each with the op and the
/// `file:line:col` that reads it (for binding messages): what
/// weights::loadWeights and weights::initDefaultWeights take.
std::vector<weights::ModelParam> modelParams(const frontend::Model &model);

/// Registers the dialects the generated module uses.
void loadFrontendDialects(mlir::MLIRContext &context);

/// The nn-dialect module of `model`. The model was validated by the front
/// end, so this cannot fail on user input: a module that does not verify is
/// a bug, reported through the context's diagnostic handler (and null is
/// returned). With `bound` (the weights bound to the model, by name), each
/// nn.param takes the shape of its bound tensor: a parameter may accept
/// more than one shape (a prelu slope of [1] or [C]).
mlir::OwningOpRef<mlir::ModuleOp>
buildModule(mlir::MLIRContext &context, const frontend::Model &model,
            const std::map<std::string, weights::WeightTensor> *bound = nullptr);

} // namespace actc

#endif // ACTC_COMPILER_MLIRGEN_MLIRGEN_H
