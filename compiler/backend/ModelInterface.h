// SPDX-License-Identifier: Apache-2.0
//
// What the generated code of one model looks like from the outside: its
// tensors in argument order and the symbol of the Halide pipeline. The
// Halide backend produces it while lowering a kern module; the C emitter
// (header, glue, weights file) and the runtime consume it. Plain C++ so
// either side can be built and tested without the other.

#ifndef ACTC_COMPILER_BACKEND_MODELINTERFACE_H
#define ACTC_COMPILER_BACKEND_MODELINTERFACE_H

#include <cstdint>
#include <string>
#include <vector>

namespace actc::backend {

/// A tensor at the pipeline's boundary, row-major f32.
struct TensorDecl {
  /// The model's name for it (an input or output name, or a weights
  /// tensor's name such as "conv1.weight" or "conv1.weight.folded").
  std::string name;
  /// Sizes; -1 marks a dynamic dimension.
  std::vector<int64_t> shape;
  /// For each dimension, the name of its dynamic size ("" when static).
  std::vector<std::string> dimNames;
};

/// The boundary of one compiled model.
///
/// The Halide pipeline `pipelineSymbol` is an AOT function with Halide's C
/// ABI (`int SYMBOL(void *user_context, halide_buffer_t *...)`, built with
/// the `user_context` target feature) taking, in this order, one buffer per
/// input, one per weights tensor, and one per output. Buffers are dense
/// row-major: Halide dimension 0 is the tensor's LAST (innermost) axis.
struct ModelInterface {
  std::string modelName;
  /// Dynamic dimension names in order of first appearance in the model:
  /// the order of the generated `NAME_run`'s int64_t size arguments.
  std::vector<std::string> dynamicDims;
  std::vector<TensorDecl> inputs;
  std::vector<TensorDecl> weights;
  std::vector<TensorDecl> outputs;
  std::string pipelineSymbol;
};

} // namespace actc::backend

#endif // ACTC_COMPILER_BACKEND_MODELINTERFACE_H
