// SPDX-License-Identifier: Apache-2.0
//
// actc-opt: the MLIR optimizer driver with actc's dialects and passes, for
// lit tests and for looking at one pass at a time.

#include "compiler/pipeline/Pipeline.h"
#include "dialects/Kern/IR/KernDialect.h"
#include "dialects/Kern/Transforms/Passes.h"
#include "dialects/NN/IR/NNDialect.h"
#include "dialects/NN/Transforms/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  actc::nn::registerPasses();
  actc::kern::registerKernPasses();
  actc::pipeline::registerPipelines();

  mlir::DialectRegistry registry;
  registry.insert<actc::kern::KernDialect, actc::nn::NNDialect,
                  mlir::arith::ArithDialect, mlir::func::FuncDialect,
                  mlir::math::MathDialect, mlir::tensor::TensorDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "actc optimizer driver\n", registry));
}
