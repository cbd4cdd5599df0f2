// SPDX-License-Identifier: Apache-2.0
//
// Semantic checking of a parsed model: names, op calls against the op table,
// attribute types and defaults, and every shape rule of OpRules, so that all
// of a model's errors are found before any IR exists (Debian's MLIR has
// assertions off; IR built from an unchecked model could crash).
//
// Parameter naming: the outermost op of a statement with parameters uses
// `name=` if given, else the statement's name. A nested op with parameters
// must have `name=`: inventing a prefix would give weights-file tensors names
// the user never wrote and could not predict. Every prefix is used once.

#ifndef ACTC_COMPILER_FRONTEND_SEMA_H
#define ACTC_COMPILER_FRONTEND_SEMA_H

#include "compiler/frontend/AST.h"
#include "compiler/frontend/Model.h"

#include <optional>

namespace actc::frontend {

/// Checks `module` (parsed from the file `path`) and builds the model, or
/// reports the first error to `diags` and returns nullopt.
std::optional<Model> checkModule(const ast::Module &module,
                                 const std::string &path,
                                 DiagnosticSink &diags);

} // namespace actc::frontend

#endif // ACTC_COMPILER_FRONTEND_SEMA_H
