// SPDX-License-Identifier: Apache-2.0
//
// Loading a model down to the kern module and lowering it to Halide: the
// part of `actc compile` that `run`, `check` and `bench` share. User errors
// (the model, its weights, the tuning database) are UserError with the
// front end's or the binder's message; a module that fails to verify or a
// pass that fails after the front end accepted the model is a bug
// (InternalError, with MLIR's diagnostics).

#include "compiler/driver/Driver.h"

#include "compiler/frontend/Diagnostics.h"
#include "compiler/mlirgen/MLIRGen.h"
#include "compiler/pipeline/Pipeline.h"
#include "compiler/target/Target.h"
#include "compiler/target/TuningDb.h"
#include "compiler/weights/DefaultInit.h"
#include "dialects/NN/Transforms/MaterializeWeights.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"

#include "llvm/Support/raw_ostream.h"

#include <filesystem>

namespace actc::driver {
namespace {

std::string takeDiagnostics(LoadedModel &loaded) {
  std::string text = *loaded.diagnostics;
  loaded.diagnostics->clear();
  return text;
}

} // namespace

Status resolveTuningDb(const std::string &requested, std::string &path,
                       Messages &messages) {
  path = requested;
  if (path.empty()) {
    path = target::defaultTuningDbPath();
    std::error_code ec;
    if (path.empty() || !std::filesystem::exists(path, ec)) {
      path.clear();
      return Status::Ok;
    }
  }
  // Read once here so a broken file is the reader's own message.
  target::TuningDbResult read = target::readTuningDb(path);
  if (!read.db) {
    messages.push_back("error: " + read.error);
    return Status::UserError;
  }
  return Status::Ok;
}

Status loadNNModule(const std::string &path, const LoadOptions &options,
                    LoadedModel &out, Messages &messages) {
  if (!target::lookupTarget(options.target)) {
    std::string known;
    for (const std::string &name : target::targetNames())
      known += (known.empty() ? "" : ", ") + name;
    messages.push_back("error: unknown target '" + options.target +
                       "'; expected one of: " + known);
    return Status::UserError;
  }
  frontend::DiagnosticSink diags;
  std::optional<frontend::Model> model = frontend::loadModel(path, diags);
  if (!model) {
    std::string text = diags.render();
    while (!text.empty() && text.back() == '\n')
      text.pop_back();
    messages.push_back(text);
    return Status::UserError;
  }
  std::vector<weights::ModelParam> params = modelParams(*model);
  weights::BindResult bound =
      model->weightsPath ? weights::loadWeights(params, *model->weightsPath)
                         : weights::initDefaultWeights(params, options.seed);
  for (const std::string &note : bound.notes)
    messages.push_back("note: " + note);
  for (const std::string &warning : bound.warnings)
    messages.push_back("warning: " + warning);
  for (const std::string &error : bound.errors)
    messages.push_back("error: " + error);
  if (!bound.ok())
    return Status::UserError;

  out.model = std::move(*model);
  out.weights = std::move(bound.tensors);
  mlir::DialectRegistry registry;
  pipeline::registerPipelineDialects(registry);
  out.context = std::make_unique<mlir::MLIRContext>(registry);
  // Passes and materializeWeights create arith/math/kern ops: load them now.
  out.context->loadAllAvailableDialects();
  out.diagnostics = std::make_shared<std::string>();
  std::shared_ptr<std::string> sink = out.diagnostics;
  out.context->getDiagEngine().registerHandler([sink](mlir::Diagnostic &diag) {
    llvm::raw_string_ostream os(*sink);
    os << diag.getLocation() << ": " << diag << "\n";
    return mlir::success();
  });
  out.module = buildModule(*out.context, out.model, &out.weights);
  if (!out.module) {
    messages.push_back("internal error: the nn module of a valid model does "
                       "not verify (a bug in actc; please report it):\n" +
                       takeDiagnostics(out));
    return Status::InternalError;
  }
  return Status::Ok;
}

Status runKernels(LoadedModel &loaded, const LoadOptions &options,
                  Messages &messages) {
  std::string tuningDb;
  if (Status s = resolveTuningDb(options.tuningDb, tuningDb, messages);
      s != Status::Ok)
    return s;
  // The weights enter the IR as dense_resource constants; fusion, folding
  // and tiling run on them (docs/nn-dialect.md).
  if (mlir::failed(nn::materializeWeights(*loaded.module, loaded.weights)) ||
      mlir::failed(pipeline::runKernelPipeline(*loaded.module,
                                               {options.target, tuningDb}))) {
    messages.push_back("internal error: the pipeline failed on a valid model "
                       "(a bug in actc; please report it):\n" +
                       takeDiagnostics(loaded));
    return Status::InternalError;
  }
  return Status::Ok;
}

Status loadKernelModule(const std::string &path, const LoadOptions &options,
                        LoadedModel &out, Messages &messages) {
  if (Status s = loadNNModule(path, options, out, messages); s != Status::Ok)
    return s;
  return runKernels(out, options, messages);
}

Status lowerKernelModule(LoadedModel &loaded, const std::string &target,
                         halide::LoweredModel &out, Messages &messages) {
  halide::LoweringOptions options;
  options.target = target;
  std::string error = halide::lowerModule(*loaded.module, options, out);
  if (!error.empty()) {
    messages.push_back("internal error: lowering to Halide failed (a bug in "
                       "actc; please report it): " +
                       error);
    return Status::InternalError;
  }
  return Status::Ok;
}

weights::WeightMap pipelineWeights(const halide::LoweredModel &lowered) {
  weights::WeightMap map;
  for (size_t i = 0; i < lowered.interface.weights.size(); ++i) {
    weights::WeightTensor &t = map[lowered.interface.weights[i].name];
    t.shape = lowered.interface.weights[i].shape;
    t.data = lowered.weightValues[i];
  }
  return map;
}

} // namespace actc::driver
