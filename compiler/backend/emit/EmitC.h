// SPDX-License-Identifier: Apache-2.0
//
// The C side of `actc compile`: from a ModelInterface (and the weights'
// values) the header DIR/NAME.h (SPEC section 3), the glue DIR/NAME_glue.c
// that implements it on the actc runtime and the Halide pipeline symbol, and
// DIR/NAME.weights or, with --embed-weights, DIR/NAME_weights.c. Compiling
// the C files and packing libNAME.a is the driver's job (docs/c-api.md,
// "Packing").

#ifndef ACTC_COMPILER_BACKEND_EMIT_EMITC_H
#define ACTC_COMPILER_BACKEND_EMIT_EMITC_H

#include "compiler/backend/ModelInterface.h"
#include "compiler/backend/emit/CIdentifiers.h"
#include "compiler/weights/Binding.h"

#include <string>
#include <vector>

namespace actc::emit {

struct EmitOptions {
  /// Put the weights into DIR/NAME_weights.c (a 64-byte aligned array)
  /// instead of DIR/NAME.weights.
  bool embedWeights = false;
};

/// The generated text of one model.
struct EmittedModel {
  CNames names;
  std::string header; ///< NAME.h
  std::string glue;   ///< NAME_glue.c
  /// NAME.weights (bytes) or NAME_weights.c (text), per EmitOptions.
  std::vector<uint8_t> weightsFile;
  std::string weightsSource;
};

/// Generates everything in memory. False (with `error`) when the weights do
/// not match the interface or the interface is malformed.
bool emitModel(const backend::ModelInterface &model,
               const weights::WeightMap &weights, const EmitOptions &options,
               EmittedModel &out, std::string &error);

/// emitModel, then writes the files into `dir` (which must exist). Returns
/// the paths written, or false with `error`.
bool writeModel(const backend::ModelInterface &model,
                const weights::WeightMap &weights, const EmitOptions &options,
                const std::string &dir, std::vector<std::string> &written,
                std::string &error);

/// The header alone (`--emit header`).
std::string emitHeader(const backend::ModelInterface &model,
                       const CNames &names, bool embeddedWeights);

} // namespace actc::emit

#endif // ACTC_COMPILER_BACKEND_EMIT_EMITC_H
