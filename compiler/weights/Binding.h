// SPDX-License-Identifier: Apache-2.0
//
// Binding: matching the parameters a model reads (from the op rules'
// ParamShape lists) with the tensors of a weights file, by their PyTorch
// state_dict names. The result is the name -> tensor map the compiler embeds
// or writes out, plus every problem as a user-facing message: a missing
// tensor (with a "did you mean" when the file holds a close spelling), a
// wrong shape (both shapes), a dtype actc does not read, and, as a warning,
// tensors the model never uses. Batch norm's num_batches_tracked counter is
// ignored silently, because every PyTorch state_dict with a BatchNorm has it.

#ifndef ACTC_COMPILER_WEIGHTS_BINDING_H
#define ACTC_COMPILER_WEIGHTS_BINDING_H

#include "compiler/weights/Safetensors.h"
#include "dialects/NN/Rules/OpRules.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace actc::weights {

/// One parameter the model reads.
struct ModelParam {
  /// The full state_dict name, "<prefix>.<suffix>", e.g. "conv1.weight".
  std::string name;
  /// Its shape, the other shapes a file may hold instead, and its default
  /// initialisation, as the op rules give them. The shape must be static.
  rules::ParamShape param;
  /// The op that reads it ("dense") and where, "file:line:col", for messages.
  std::string op;
  std::string location;
};

/// A bound parameter: its shape (the file's, which is `param.shape` or one of
/// `param.alsoAccepted`) and its values in row-major order.
struct WeightTensor {
  rules::Shape shape;
  std::vector<float> data;
};

using WeightMap = std::map<std::string, WeightTensor>;

/// The weights and everything worth telling the user about them. Each message
/// is complete (it names the weights file, or says there is none) and has no
/// final period; the CLI prints errors, warnings and notes as they are.
struct BindResult {
  WeightMap tensors;
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  std::vector<std::string> notes;
  bool ok() const { return errors.empty(); }
};

/// Binds `params` to the tensors of `file`, moving the data out of it. Every
/// parameter is checked (all errors are reported, not just the first). Two
/// params with the same name share one tensor.
BindResult bindWeights(const std::vector<ModelParam> &params,
                       SafetensorsFile file);

/// readSafetensorsFile, then bindWeights; a read error becomes the one error.
BindResult loadWeights(const std::vector<ModelParam> &params,
                       const std::string &path);

/// "f32[10, 20]" (the model language's spelling of a parameter's type).
std::string formatParamType(const rules::Shape &shape);


} // namespace actc::weights

#endif // ACTC_COMPILER_WEIGHTS_BINDING_H
