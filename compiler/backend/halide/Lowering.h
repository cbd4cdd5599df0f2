// SPDX-License-Identifier: Apache-2.0
//
// The Halide backend: a tiled kern module (one func.func of kern.kernel ops,
// dense_resource weight constants, and reshape/flatten views between the
// kernels) becomes ONE Halide pipeline. Inputs and weights are ImageParams
// (weights in program order of their constants, recorded in the
// ModelInterface), every kernel is a few Funcs (Lowering.cpp: the
// algorithm), the kernels' `schedule` attributes become Halide schedule
// calls (Schedule.cpp), and the pipeline is realized in-process (runJit) or
// compiled ahead of time to a static library (compileAot).
//
// Every Halide call is made inside try/catch: a Halide::Error becomes the
// returned error string, which names the kernel being lowered.

#ifndef ACTC_COMPILER_BACKEND_HALIDE_LOWERING_H
#define ACTC_COMPILER_BACKEND_HALIDE_LOWERING_H

#include "compiler/backend/ModelInterface.h"

#include <Halide.h>

#include "mlir/IR/BuiltinOps.h"

#include <cstdint>
#include <string>
#include <vector>

namespace actc::halide {

/// A kernel's `schedule` dictionary as plain values (0 / -1: absent).
struct KernelSchedule {
  /// Output tile per result dimension, in tensor order (outermost first).
  std::vector<int64_t> tile;
  int64_t reduceSplit = 0;
  int64_t vector = 0;
  int64_t unroll = 0;
  /// Result dimension (tensor order) run on the thread pool; -1: none.
  int64_t parallelDim = -1;
  int64_t parallelChunk = 0;
};

/// The Funcs one kern.kernel became. Halide dimension i of every Func is
/// tensor axis rank-1-i.
struct KernelStages {
  std::string name;   ///< "k0"
  std::string kind;   ///< "contraction", "pool", "reduction", "copy", "map"
  std::string anchor; ///< "nn.dense", ... ("" for a map)
  int rank = 0;       ///< of the result
  /// The result's extents in tensor order (dynamic ones read from the
  /// input buffers).
  std::vector<Halide::Expr> shape;
  /// The stored result, the epilogue applied.
  Halide::Func result;
  /// Contractions and pools: the Func with the reduction update (the
  /// accumulator), read by `result`.
  Halide::Func accumulator;
  Halide::RDom reduction;
  /// Padded convolutions with finite constant weights: the input with its
  /// zero border, stored before the contraction reads it (Halide dims w, h,
  /// c, n); undefined otherwise.
  Halide::Func paddedInput;
  /// The Halide dim the contraction's vectors run along: 0 (the innermost
  /// tensor axis), or 2 for a conv vectorized along its output channels.
  int vectorDim = 0;
  /// Reductions: the row statistics (softmax max and sum; layer_norm mean
  /// and variance), and the normalized value before the epilogue.
  std::vector<Halide::Func> rowStages;
  /// The row stages reduce the innermost (Halide dim 0) axis, so they can
  /// be computed per row of the result.
  bool rowStagesPerRow = false;
  Halide::Func normalized;
  KernelSchedule schedule;
};

/// A model lowered to one Halide pipeline.
struct LoweredModel {
  backend::ModelInterface interface;
  /// One per entry of interface.inputs / interface.weights, same order.
  std::vector<Halide::ImageParam> inputs;
  std::vector<Halide::ImageParam> weights;
  /// The values of the weights tensors (row-major), same order.
  std::vector<std::vector<float>> weightValues;
  /// One per entry of interface.outputs.
  std::vector<Halide::Func> outputs;
  std::vector<KernelStages> kernels;
  Halide::Pipeline pipeline;
  /// The target table entry the schedules were made for.
  std::string target;
};

struct LoweringOptions {
  /// A target string of the target table; the schedules' vector widths and
  /// parallelism come from the kernels' attributes, this picks what the
  /// table knows (host resolves to the running CPU).
  std::string target = "host";
  /// Apply the kernels' schedules (false: Halide's default, everything
  /// inlined except kernel results, which are still stored; for debugging).
  bool applySchedules = true;
};

/// Lowers the first func.func of `module` (after runKernelPipeline) into
/// `out`. Returns "" on success, else a message naming the kernel.
std::string lowerModule(mlir::ModuleOp module, const LoweringOptions &options,
                        LoweredModel &out);

/// A dense row-major f32 tensor for the JIT.
struct HostTensor {
  std::vector<int64_t> shape;
  std::vector<float> data;
};

struct JitOptions {
  /// Threads of the parallel loops: 0 = one per hardware thread, 1 =
  /// serial. The JIT runs parallel loops on our own do_par_for handler
  /// (JITUserContext), so the setting is per call.
  int threads = 0;
  /// When not null, receives the number of distinct threads that ran tasks.
  int *threadsUsed = nullptr;
  /// Weights to run with instead of the model's own (one per
  /// interface.weights entry, same sizes); null: LoweredModel::weightValues.
  const std::vector<std::vector<float>> *weights = nullptr;
};

/// Realizes `model` in-process on `inputs` (one per interface input, shapes
/// giving the dynamic dimensions), with its own weights (or
/// options.weights), into `outputs` (shaped here; a tensor that already
/// has the right number of elements is overwritten in place, so repeated
/// runs allocate nothing). JIT-compiles on the first call (for the host
/// CPU) and reuses the compiled code afterwards. Returns "" or an error.
std::string runJit(LoweredModel &model, const std::vector<HostTensor> &inputs,
                   std::vector<HostTensor> &outputs,
                   const JitOptions &options = {});

/// Compiles `model` ahead of time for `target` (a target-table name) into
/// `directory`/SYMBOL.a and SYMBOL.h, SYMBOL = interface.pipelineSymbol (the
/// function's name), with the user_context feature. Arguments: the input
/// buffers, then the weights buffers, then the outputs. `host` on x86-64
/// builds one library with AVX-512, AVX2+FMA and baseline variants chosen
/// at run time by the CPU's features. Appends the files written to
/// `files`. Returns "" or an error.
std::string compileAot(LoweredModel &model, const std::string &target,
                       const std::string &directory,
                       std::vector<std::string> *files = nullptr);

/// Applies the kernels' schedules (Schedule.cpp); lowerModule calls it.
/// `defaultVector` is the target's f32 lanes, for kernels without `vector`.
/// Returns "" or a message naming the kernel.
std::string applySchedules(LoweredModel &model, int64_t defaultVector);

} // namespace actc::halide

#endif // ACTC_COMPILER_BACKEND_HALIDE_LOWERING_H
