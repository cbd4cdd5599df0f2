// SPDX-License-Identifier: Apache-2.0
//
// The reference interpreter's handler for kern.kernel (through the
// interpreter's extension hook, OpRegistry): it evaluates a kernel the way
// the backend computes it, not by re-running the nn ops of its body. The
// anchor (dense, conv2d, softmax, ...) is evaluated by the interpreter's own
// nn handler on the kernel's operands; then the scalar region (the arith/
// math lowering of the elementwise tail, dialects/Kern/Transforms/
// ScalarForms.cpp) runs once per result element on the values its
// scalar_inputs and scalar_maps select. So "the graph after fusion computes
// what the graph before it did" tests the fusion rules, the operand maps and
// every activation's scalar form against the interpreter's independent nn
// activations.

#ifndef ACTC_COMPILER_INTERPRETER_KERNOPS_H
#define ACTC_COMPILER_INTERPRETER_KERNOPS_H

#include "compiler/interpreter/Interpreter.h"

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace actc::interp {

/// Registers the handler of kern.kernel.
void registerKernHandlers(OpRegistry &registry);

/// Adds the kern dialect to `registry` (with the interpreter's own).
void registerKernInterpreterDialects(mlir::DialectRegistry &registry);

} // namespace actc::interp

#endif // ACTC_COMPILER_INTERPRETER_KERNOPS_H
