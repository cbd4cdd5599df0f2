// SPDX-License-Identifier: Apache-2.0
//
// materializeWeights: the step between the front end and the pipeline that
// puts the bound weights into the IR. Every `nn.param "NAME"` becomes an
// `arith.constant dense_resource<NAME>` (a builtin resource blob holding the
// f32 data, 64-byte aligned), so every later pass sees ordinary constants and
// the name survives for the weights file (docs/nn-dialect.md). It is a
// function, not a pass, because it needs the data.

#ifndef ACTC_DIALECTS_NN_TRANSFORMS_MATERIALIZEWEIGHTS_H
#define ACTC_DIALECTS_NN_TRANSFORMS_MATERIALIZEWEIGHTS_H

#include "compiler/weights/Binding.h"
#include "mlir/IR/BuiltinOps.h"

namespace actc::nn {

/// The alignment of every weight blob, in bytes (a cache line, and enough
/// for any vector load of the generated code).
inline constexpr size_t kWeightBlobAlignment = 64;

/// Replaces every nn.param in `module` by an arith.constant holding the
/// tensor of `weights` with the same name. A tensor whose shape is not the
/// param's type is accepted when it has the same element count (the data is
/// row-major, so only the type changes), or when it is a prelu slope that the
/// op also accepts ([C] for a param written [1]); the constant then has the
/// tensor's shape. Params with the same name share one blob.
///
/// Every param is checked before anything is rewritten: on failure an error
/// is emitted at each offending nn.param (missing name, shape or size
/// mismatch) and the module is left unchanged.
mlir::LogicalResult materializeWeights(mlir::ModuleOp module,
                                       const weights::WeightMap &weights);

} // namespace actc::nn

#endif // ACTC_DIALECTS_NN_TRANSFORMS_MATERIALIZEWEIGHTS_H
