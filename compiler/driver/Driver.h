// SPDX-License-Identifier: Apache-2.0
//
// The steps every actc subcommand that compiles a model shares: load and
// check the .act file, bind its weights, build the nn module, materialize
// the weights and run the kernel pipeline (loadKernelModule), lower the
// result to one Halide pipeline (lowerKernelModule), and for `actc compile
// -o DIR` write DIR/NAME.h, DIR/libNAME.a and DIR/NAME.weights
// (Package.h). Library code: nothing is printed; every function returns a
// Status and complete messages ("error: ...", "warning: ...", "note: ...")
// for the caller to print.

#ifndef ACTC_COMPILER_DRIVER_DRIVER_H
#define ACTC_COMPILER_DRIVER_DRIVER_H

#include "compiler/backend/halide/Lowering.h"
#include "compiler/frontend/Model.h"
#include "compiler/weights/Binding.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace actc::driver {

/// What went wrong, as the CLI's exit status sees it.
enum class Status {
  Ok,
  /// The user's input is wrong (the model, its weights, the tuning
  /// database, an unknown target): exit 1.
  UserError,
  /// A bug in actc or a failing external tool: exit 3.
  InternalError,
};

/// Messages for the user, in order, each a complete line without the
/// "actc: " prefix ("error: ...", "warning: ...", "note: ..."), possibly
/// followed by more lines (diagnostics, a tool's output).
using Messages = std::vector<std::string>;

struct LoadOptions {
  /// A target string of the target table; checked by loadKernelModule.
  std::string target = "host";
  /// The tuning database: a file that must exist; "" means the default
  /// path ($ACTC_TUNING_DB, else ~/.cache/actc/tuning.json) when that
  /// exists, else none.
  std::string tuningDb;
  /// Seed of the default initialisation (models without a weights file).
  uint64_t seed = 0;
};

/// A model on its way through the compiler. The context owns the module;
/// members are destroyed in reverse order, so the module goes first.
struct LoadedModel {
  std::unique_ptr<mlir::MLIRContext> context;
  /// Diagnostics the context reported (MLIR's handler appends here).
  std::shared_ptr<std::string> diagnostics;
  frontend::Model model;
  /// The weights as bound (before batch-norm folding: the pipeline's own
  /// weights are the kern module's constants, see LoweredModel).
  weights::WeightMap weights;
  /// The nn module after loadNNModule, the kern module after runKernels.
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

/// Front end, weights binding, the nn module. On a front-end error the
/// rendered diagnostics are one message.
Status loadNNModule(const std::string &path, const LoadOptions &options,
                    LoadedModel &out, Messages &messages);

/// Materializes the weights and runs the kernel pipeline for
/// options.target on `loaded.module`.
Status runKernels(LoadedModel &loaded, const LoadOptions &options,
                  Messages &messages);

/// loadNNModule then runKernels: the module `actc compile --emit=kernels`
/// prints and every backend starts from.
Status loadKernelModule(const std::string &path, const LoadOptions &options,
                        LoadedModel &out, Messages &messages);

/// Lowers the kern module to one Halide pipeline for `target`.
Status lowerKernelModule(LoadedModel &loaded, const std::string &target,
                         halide::LoweredModel &out, Messages &messages);

/// The weights of a lowered model as the C emitter wants them: the
/// pipeline's own tensors (folded constants included), keyed by their
/// interface names.
weights::WeightMap pipelineWeights(const halide::LoweredModel &lowered);

/// The tuning database path to use (see LoadOptions::tuningDb); "" for
/// none. A database that does not parse is a user error.
Status resolveTuningDb(const std::string &requested, std::string &path,
                       Messages &messages);

} // namespace actc::driver

#endif // ACTC_COMPILER_DRIVER_DRIVER_H
