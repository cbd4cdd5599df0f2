// SPDX-License-Identifier: Apache-2.0
//
// The compiler's phases and the pass pipelines between them, in one place:
// the CLI, `actc check` and the tests build the same pipeline from here.
//
//   nn (after the front end and materializeWeights)
//     canonicalize                (activation algebra, constant folding)
//     nn-recompose-activations    (activations spelled out as graphs)
//     nn-fold-batch-norm          (batch_norm into the dense/conv before it)
//     kern-fuse, cse              (kernels; their scalar regions deduplicated)
//     kern-tile{target, tuning-db}
//   kernels (every kernel scheduled)
//
// The pass manager verifies the IR after every pass (Debian's MLIR has
// assertions off, so this is where a broken pass is caught).

#ifndef ACTC_COMPILER_PIPELINE_PIPELINE_H
#define ACTC_COMPILER_PIPELINE_PIPELINE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

#include <string>

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace actc::pipeline {

/// The stages `actc compile --emit` can stop after.
enum class Phase {
  /// The nn dialect as the front end built it.
  NN,
  /// After fusion and tiling: kern.kernel ops with schedules.
  Kernels,
};

struct KernelPipelineOptions {
  /// A target string of the target table (compiler/target/Target.h).
  std::string target = "host";
  /// The tuning database file; empty: none.
  std::string tuningDb;
};

/// Adds the passes from the nn dialect to scheduled kernels to `pm` (a
/// pass manager on builtin.module).
void buildKernelPipeline(mlir::OpPassManager &pm,
                         const KernelPipelineOptions &options);

/// Runs buildKernelPipeline on `module`. Failure comes with diagnostics
/// through the context's handler.
mlir::LogicalResult runKernelPipeline(mlir::ModuleOp module,
                                      const KernelPipelineOptions &options);

/// The dialects the pipeline creates ops of (kern, arith, math, nn, func).
void registerPipelineDialects(mlir::DialectRegistry &registry);

/// Registers the pipeline as `actc-kernel-pipeline` for actc-opt.
void registerPipelines();

} // namespace actc::pipeline

#endif // ACTC_COMPILER_PIPELINE_PIPELINE_H
