// SPDX-License-Identifier: Apache-2.0
//
// `actc compile --emit=dot`: the kernel graph of a module after fusion as
// Graphviz DOT. One box per kern.kernel listing its kind, the nn ops it
// fused and its schedule; an ellipse per model input and output; a dashed
// box per free view (reshape, flatten); edges labelled with tensor shapes.
// Parameters and constants (weights) are not drawn.

#ifndef ACTC_COMPILER_PIPELINE_KERNELGRAPH_H
#define ACTC_COMPILER_PIPELINE_KERNELGRAPH_H

#include "mlir/IR/BuiltinOps.h"

#include "llvm/Support/raw_ostream.h"

namespace actc::pipeline {

/// Prints one `digraph` per function of `module`.
void printKernelGraph(mlir::ModuleOp module, llvm::raw_ostream &os);

} // namespace actc::pipeline

#endif // ACTC_COMPILER_PIPELINE_KERNELGRAPH_H
