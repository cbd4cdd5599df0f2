// SPDX-License-Identifier: Apache-2.0
//
// `actc compile`: load and check the model, bind its weights, build the nn
// dialect, put the weights into it, run the pipeline up to the requested
// stage (compiler/pipeline) and print it. User errors (the model, the
// weights file, the tuning database) exit with 1 and a diagnostic; a module
// that fails to verify or a pass that fails after the front end accepted
// the model is a bug and exits with 3.

#include "compiler/frontend/AstPrinter.h"
#include "compiler/frontend/Model.h"
#include "compiler/mlirgen/MLIRGen.h"
#include "compiler/pipeline/KernelGraph.h"
#include "compiler/pipeline/Pipeline.h"
#include "compiler/target/Target.h"
#include "compiler/target/TuningDb.h"
#include "compiler/weights/Binding.h"
#include "compiler/weights/DefaultInit.h"
#include "dialects/NN/Transforms/MaterializeWeights.h"
#include "tools/actc/Commands.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"

#include "llvm/Support/raw_ostream.h"

#include <filesystem>
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
/// binding said. Returns the tensors, or nothing on an error.
std::optional<weights::WeightMap> bindModelWeights(const frontend::Model &model,
                                                   uint64_t seed) {
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
  if (!bound.ok())
    return std::nullopt;
  return std::move(bound.tensors);
}

/// The tuning database to use: --tuning-db (which must exist), else the
/// default path when that file exists, else none (""). A database that does
/// not parse is the user's error; it is read here once so the message is
/// the reader's own "file:line: expected ..., found ...".
std::optional<std::string> tuningDbPath(const CompileOptions &options) {
  std::string path = options.tuningDb;
  if (path.empty()) {
    path = target::defaultTuningDbPath();
    std::error_code ec;
    if (path.empty() || !std::filesystem::exists(path, ec))
      return std::string();
  }
  target::TuningDbResult read = target::readTuningDb(path);
  if (!read.db) {
    std::cerr << "actc: error: " << read.error << "\n";
    return std::nullopt;
  }
  return path;
}

} // namespace

int runCompile(const CompileOptions &options) {
  if (options.emit.empty()) {
    std::cerr << "actc: error: code generation (-o DIR) is not available in "
                 "this version; use --emit=ast, mlir, kernels or dot\n";
    return kUsageError;
  }
  if (!target::lookupTarget(options.target)) {
    std::string known;
    for (const std::string &name : target::targetNames())
      known += (known.empty() ? "" : ", ") + name;
    std::cerr << "actc: error: unknown target '" << options.target
              << "'; expected one of: " << known << "\n";
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
  std::optional<weights::WeightMap> weightMap =
      bindModelWeights(*model, options.seed);
  if (!weightMap)
    return kUserError;
  bool kernels = options.emit == "kernels" || options.emit == "dot";
  std::optional<std::string> tuningDb;
  if (kernels && !(tuningDb = tuningDbPath(options)))
    return kUserError;

  mlir::DialectRegistry registry;
  pipeline::registerPipelineDialects(registry);
  mlir::MLIRContext context(registry);
  // Passes and materializeWeights create arith/math/kern ops: load them now.
  context.loadAllAvailableDialects();
  std::string internal;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    llvm::raw_string_ostream os(internal);
    os << diag.getLocation() << ": " << diag << "\n";
    return mlir::success();
  });
  mlir::OwningOpRef<mlir::ModuleOp> module =
      buildModule(context, *model, &*weightMap);
  if (!module) {
    std::cerr << "actc: internal error: the nn module of a valid model does "
                 "not verify (a bug in actc; please report it):\n"
              << internal;
    return kInternalError;
  }
  if (kernels) {
    // The weights enter the IR as dense_resource constants; fusion, folding
    // and tiling run on them (docs/nn-dialect.md).
    if (mlir::failed(nn::materializeWeights(*module, *weightMap)) ||
        mlir::failed(pipeline::runKernelPipeline(
            *module, {options.target, *tuningDb}))) {
      std::cerr << "actc: internal error: the pipeline failed on a valid "
                   "model (a bug in actc; please report it):\n"
                << internal;
      return kInternalError;
    }
    if (options.emit == "dot") {
      pipeline::printKernelGraph(*module, llvm::outs());
      llvm::outs().flush();
      return kSuccess;
    }
  }

  mlir::OpPrintingFlags flags;
  // Weights stay out of printed IR: resource blobs over 64 bytes and dense
  // constants of more than 16 elements print elided.
  flags.elideLargeResourceString(64).elideLargeElementsAttrs(16);
  if (options.printLocations)
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false)
        .useLocalScope();
  module->print(llvm::outs(), flags);
  llvm::outs().flush();
  return kSuccess;
}

} // namespace actc::cli
