// SPDX-License-Identifier: Apache-2.0
//
// `actc compile`: load and check the model, bind its weights, build the nn
// dialect and print the requested stage. User errors (the model, the weights
// file) exit with 1 and a diagnostic; a module that fails to verify after
// the front end accepted the model is a bug and exits with 3.

#include "compiler/frontend/AstPrinter.h"
#include "compiler/frontend/Model.h"
#include "compiler/mlirgen/MLIRGen.h"
#include "compiler/weights/Binding.h"
#include "compiler/weights/DefaultInit.h"
#include "tools/actc/Commands.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"

#include "llvm/Support/raw_ostream.h"

#include <iostream>

namespace actc::cli {
namespace {

/// The parameters of every node, with where they are read (for messages).
std::vector<weights::ModelParam> modelParams(const frontend::Model &model) {
  std::vector<weights::ModelParam> params;
  for (const frontend::Node &node : model.nodes)
    for (const frontend::Param &param : node.params)
      params.push_back({param.name, param.shape, node.op,
                        model.file + ":" + frontend::formatLoc(node.loc)});
  return params;
}

/// Binds the weights file (or the default initialisation) and reports what
/// binding said. Returns false on an error.
bool bindModelWeights(const frontend::Model &model, uint64_t seed) {
  std::vector<weights::ModelParam> params = modelParams(model);
  weights::BindResult bound =
      model.weightsPath ? weights::loadWeights(params, *model.weightsPath)
                        : weights::initDefaultWeights(params, seed);
  for (const std::string &note : bound.notes)
    std::cerr << "actc: note: " << note << "\n";
  for (const std::string &warning : bound.warnings)
    std::cerr << "actc: warning: " << warning << "\n";
  for (const std::string &error : bound.errors)
    std::cerr << "actc: error: " << error << "\n";
  return bound.ok();
}

} // namespace

int runCompile(const CompileOptions &options) {
  if (options.emit.empty()) {
    std::cerr << "actc: error: code generation (-o DIR) is not available in "
                 "this version; use --emit=ast or --emit=mlir\n";
    return kUsageError;
  }
  if (options.target != "host") {
    std::cerr << "actc: error: unknown target '" << options.target
              << "'; this version knows: host\n";
    return kUsageError;
  }

  frontend::DiagnosticSink diags;
  if (options.emit == "ast") {
    std::optional<frontend::ast::Module> module =
        frontend::loadAst(options.model, diags);
    if (!module) {
      std::cerr << diags.render();
      return kUserError;
    }
    std::cout << frontend::printAst(*module);
    return kSuccess;
  }

  std::optional<frontend::Model> model =
      frontend::loadModel(options.model, diags);
  if (!model) {
    std::cerr << diags.render();
    return kUserError;
  }
  if (!bindModelWeights(*model, options.seed))
    return kUserError;

  mlir::MLIRContext context;
  std::string internal;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    llvm::raw_string_ostream os(internal);
    os << diag.getLocation() << ": " << diag << "\n";
    return mlir::success();
  });
  mlir::OwningOpRef<mlir::ModuleOp> module = buildModule(context, *model);
  if (!module) {
    std::cerr << "actc: internal error: the nn module of a valid model does "
                 "not verify (a bug in actc; please report it):\n"
              << internal;
    return kInternalError;
  }
  mlir::OpPrintingFlags flags;
  if (options.printLocations)
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false)
        .useLocalScope();
  module->print(llvm::outs(), flags);
  llvm::outs().flush();
  return kSuccess;
}

} // namespace actc::cli
