// SPDX-License-Identifier: Apache-2.0
//
// What `actc run`, `actc check` and `actc bench` share: a model loaded by
// the driver exactly as `actc compile` loads it (front end, weights, nn
// dialect, kernel pipeline for a target), lowered to one Halide pipeline and
// run through the JIT; the model's boundary tensors checked against the
// shapes the model declares; random and edge-value inputs; output
// summaries.

#ifndef ACTC_TOOLS_ACTC_MODELRUNNER_H
#define ACTC_TOOLS_ACTC_MODELRUNNER_H

#include "compiler/backend/halide/Lowering.h"
#include "compiler/driver/Driver.h"
#include "compiler/interpreter/Tensor.h"
#include "compiler/weights/Binding.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace actc::cli {

/// A model compiled for a target and lowered, ready for runJit. Members are
/// destroyed in reverse order: the context outlives every module and the
/// handler, the diagnostics string outlives the handler.
struct PreparedModel {
  /// The context, the bound weights and the kern module (the driver's).
  driver::LoadedModel loaded;
  /// The nn module before the weights are materialized (its nn.param ops
  /// read `loaded.weights`): what the reference interpreter runs. Null
  /// unless asked for. Declared after `loaded`, so destroyed before its
  /// context.
  mlir::OwningOpRef<mlir::ModuleOp> reference;
  halide::LoweredModel lowered;
  /// The resolved target name ("x86-64-avx512" for host here).
  std::string target;
  /// The model's name (`model NAME`).
  std::string name;
};

/// Prints the driver's messages with the "actc: " prefix and turns its
/// status into an exit code (kSuccess when `status` is Ok).
int report(driver::Status status, const driver::Messages &messages);

/// Loads `path`, binds its weights (default initialisation with
/// weights::kDefaultSeed when it has no weights file, as `actc compile` and
/// `actc-interp` do), runs the kernel pipeline for `target` and lowers it.
/// With `keepReference`, also keeps the nn module for the interpreter.
/// Prints messages with the "actc: " prefix; returns an ExitCode (kSuccess
/// with `out` filled).
int prepareModel(const std::string &path, const std::string &target,
                 bool keepReference, PreparedModel &out);

/// Whether code for `target` (a target-table name) runs on this machine
/// (the JIT builds for the host CPU; a target whose instructions the CPU
/// lacks, another architecture or a GPU does not). Returns "" when it runs,
/// else why not.
std::string whyNotRunnable(const std::string &target);

/// "[batch, 784]": a declared shape with its dynamic dims by name.
std::string formatDecl(const backend::TensorDecl &decl);

/// The sizes given so far to named dynamic dims: name -> (size, the input
/// that gave it).
using DimBindings = std::map<std::string, std::pair<int64_t, std::string>>;

/// Checks `shape`, the shape of the tensor given for `decl` (read from
/// `file`), against the declared shape: the rank, each static dim, and each
/// dynamic dim against the size other inputs gave the same name (recorded
/// in `dims`). Returns "" or the message, naming the input, the file, the
/// expected and the found shape.
std::string checkInputShape(const backend::TensorDecl &decl,
                            const std::string &file,
                            const std::vector<int64_t> &shape,
                            DimBindings &dims);

/// The shape of `decl` with each dynamic dim taken from `dims` (by name),
/// else `defaultSize`.
std::vector<int64_t> concreteShape(const backend::TensorDecl &decl,
                                   const std::map<std::string, int64_t> &dims,
                                   int64_t defaultSize);

/// Random inputs: every element uniform in [-1, 1), a multiple of 2^-23,
/// from a 64-bit Mersenne Twister seeded with `seed` (the same values on
/// every platform), inputs drawn in order. Dynamic dims as concreteShape.
std::vector<halide::HostTensor>
randomInputs(const backend::ModelInterface &iface, uint64_t seed,
             const std::map<std::string, int64_t> &dims, int64_t defaultSize);

/// The finite values of ACTIVATIONS.md's edge cases: +-0, denormals, the
/// smallest normals, the activations' bends (0, +-1, +-2.5, +-3, 6, 20),
/// exp's overflow point, and large magnitudes.
const std::vector<float> &finiteEdgeValues();

/// Inputs made of edge values, each element drawn from finiteEdgeValues()
/// (seeded by `seed`). With `phase` 0, 1 or 2, the first half of each
/// input's elements (with a batch of 2: the first sample) are NaN at the
/// positions i with (i + phase) % 3 == 0 and +-Inf where it is 1, so that
/// the three phases put NaN and infinities at every position; -1: finite
/// values only.
std::vector<halide::HostTensor>
edgeInputs(const backend::ModelInterface &iface, uint64_t seed, int phase,
           const std::map<std::string, int64_t> &dims, int64_t defaultSize);

/// The summary `actc run` prints for an output: its name, shape, min, max
/// and mean of the finite values, NaN and Inf counts, the first values.
std::string summarize(const std::string &name,
                      const halide::HostTensor &tensor);

interp::Tensor toTensor(const halide::HostTensor &t);

} // namespace actc::cli

#endif // ACTC_TOOLS_ACTC_MODELRUNNER_H
