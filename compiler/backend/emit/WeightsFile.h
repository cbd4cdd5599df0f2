// SPDX-License-Identifier: Apache-2.0
//
// The writer of NAME.weights (docs/weights-file.md), the counterpart of the
// runtime's reader (runtime/src/weights.c), and the model fingerprint both
// sides compare. The checksum is the runtime's own actc_checksum64, linked
// from actc_runtime, so the two sides cannot drift apart.

#ifndef ACTC_COMPILER_BACKEND_EMIT_WEIGHTSFILE_H
#define ACTC_COMPILER_BACKEND_EMIT_WEIGHTSFILE_H

#include "compiler/backend/ModelInterface.h"
#include "compiler/weights/Binding.h"

#include <cstdint>
#include <string>
#include <vector>

namespace actc::emit {

/// The fingerprint of a model's interface: actc_checksum64 of a canonical
/// encoding of its name, dynamic dimensions and every input, weights tensor
/// and output (names, shapes, dimension names). Weights values are not part
/// of it: retrained weights of the same model load.
uint64_t modelFingerprint(const backend::ModelInterface &model);

/// The bytes of NAME.weights for `model` with the values in `weights`: every
/// tensor of model.weights, in that order, must be in `weights` with the
/// same (static) shape. On a mismatch returns false and sets `error`.
bool buildWeightsImage(const backend::ModelInterface &model,
                       const weights::WeightMap &weights,
                       std::vector<uint8_t> &out, std::string &error);

} // namespace actc::emit

#endif // ACTC_COMPILER_BACKEND_EMIT_WEIGHTSFILE_H
