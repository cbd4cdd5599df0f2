// SPDX-License-Identifier: Apache-2.0
//
// The pass pipelines of Pipeline.h.

#include "compiler/pipeline/Pipeline.h"

#include "dialects/Kern/IR/KernDialect.h"
#include "dialects/Kern/Transforms/Passes.h"
#include "dialects/NN/IR/NNDialect.h"
#include "dialects/NN/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include <cstdlib>
#include <string_view>

namespace actc::pipeline {

void buildKernelPipeline(mlir::OpPassManager &pm,
                         const KernelPipelineOptions &options) {
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addPass(nn::createRecomposeActivationsPass());
  pm.addPass(nn::createFoldBatchNormPass());
  // Folding leaves constants behind and may expose new algebra.
  pm.addPass(mlir::createCanonicalizerPass());
  std::unique_ptr<mlir::Pass> fuse = kern::createKernFusePass();
  // Hidden benchmarking knob (docs/kern-dialect.md): ACTC_NO_FUSION=1 puts
  // every nn op in its own kernel. Unset (the default), nothing changes.
  if (const char *noFusion = std::getenv("ACTC_NO_FUSION");
      noFusion && std::string_view(noFusion) == "1")
    (void)fuse->initializeOptions("no-fusion=true", [](const llvm::Twine &) {
      return mlir::failure();
    });
  pm.addNestedPass<mlir::func::FuncOp>(std::move(fuse));
  pm.addPass(mlir::createCSEPass());
  kern::KernTilePassOptions tile;
  tile.target = options.target;
  tile.tuningDb = options.tuningDb;
  pm.addPass(kern::createKernTilePass(tile));
}

mlir::LogicalResult runKernelPipeline(mlir::ModuleOp module,
                                      const KernelPipelineOptions &options) {
  mlir::PassManager pm(module->getName());
  buildKernelPipeline(pm, options);
  return pm.run(module);
}

void registerPipelineDialects(mlir::DialectRegistry &registry) {
  registry.insert<kern::KernDialect, nn::NNDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::math::MathDialect>();
}

namespace {
struct PipelineCLOptions : public mlir::PassPipelineOptions<PipelineCLOptions> {
  Option<std::string> target{*this, "target",
                             llvm::cl::desc("The target string"),
                             llvm::cl::init("host")};
  Option<std::string> tuningDb{*this, "tuning-db",
                               llvm::cl::desc("The tuning database file"),
                               llvm::cl::init("")};
};
} // namespace

void registerPipelines() {
  mlir::PassPipelineRegistration<PipelineCLOptions>(
      "actc-kernel-pipeline",
      "canonicalize, recompose activations, fold batch norm, fuse, tile",
      [](mlir::OpPassManager &pm, const PipelineCLOptions &cl) {
        buildKernelPipeline(pm, {cl.target, cl.tuningDb});
      });
}

} // namespace actc::pipeline
