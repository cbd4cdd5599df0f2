// SPDX-License-Identifier: Apache-2.0
//
// Model names made into C identifiers. A model's names (the model, its
// inputs, outputs and dynamic dimensions) become function, type, parameter
// and macro names of the generated header and the model name becomes file
// names, so each must be a valid C99 and C++ identifier that is not
// reserved, not a keyword and not a common macro, and the names of one model
// must stay distinct after upper-casing (macros). docs/c-api.md states the
// rule; this is its one implementation.

#ifndef ACTC_COMPILER_BACKEND_EMIT_CIDENTIFIERS_H
#define ACTC_COMPILER_BACKEND_EMIT_CIDENTIFIERS_H

#include "compiler/backend/ModelInterface.h"

#include <string>
#include <string_view>
#include <vector>

namespace actc::emit {

/// The longest identifier we make (so that NAME_set_timing_hook stays within
/// C99's 63 significant characters).
constexpr size_t kMaxIdentifierLength = 40;

/// Steps 1-4 of the rule: characters outside [A-Za-z0-9_] become '_', runs
/// of '_' become one, leading and trailing '_' go, "" becomes "unnamed", a
/// leading digit gets the prefix "n_", and the result is cut to
/// kMaxIdentifierLength. The result matches [A-Za-z][A-Za-z0-9_]* with no
/// "__" and no trailing '_'.
std::string sanitizeIdentifierBase(std::string_view name);

/// Whether `id` is a C or C++ keyword, an alternative token, or a name the
/// standard C headers or the compilers define as a macro or type
/// (NULL, errno, stdin, int64_t, linux, ...).
bool isReservedWord(std::string_view id);

/// The identifier of a model name: sanitizeIdentifierBase, then the suffix
/// "_x" for a reserved word, and the prefix "m_" for names in the runtime's
/// or Halide's namespace ("actc", "halide", "actc_...", "halide_...", any
/// case).
std::string modelIdentifier(std::string_view modelName);

/// `id` in upper case (the prefix of a model's macros).
std::string macroName(std::string_view id);

/// The C names of one model.
struct CNames {
  /// Functions, the handle type and file names: NAME_create, NAME.h.
  std::string model;
  /// MODEL in upper case: MODEL_OK, MODEL_<TENSOR>_RANK.
  std::string macroPrefix;
  /// Parameter names of NAME_run, in the interface's order.
  std::vector<std::string> dynamicDims;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  /// Upper-case forms for the macros of inputs and outputs.
  std::vector<std::string> inputMacros;
  std::vector<std::string> outputMacros;
};

/// Assigns the C names of `model`: dims, then inputs, then outputs, each
/// sanitizeIdentifierBase, reserved words (and "model", the handle
/// parameter) with the suffix "_x", then made unique ignoring case: a name
/// whose upper-case form is taken gets "_2", "_3", ... (the first free).
CNames assignCNames(const backend::ModelInterface &model);

/// Text that can sit inside a C comment: every byte outside
/// [A-Za-z0-9_.:,+-[] ] becomes '?' (so no "*/", no newline, no backslash).
/// Used for the model's original names in comments.
std::string commentSafe(std::string_view text);

/// A C string literal (with quotes) holding `text` exactly: printable ASCII
/// as is, '"', '\\' and '?' (trigraphs) escaped, other bytes as three-digit
/// octal escapes.
std::string cStringLiteral(std::string_view text);

} // namespace actc::emit

#endif // ACTC_COMPILER_BACKEND_EMIT_CIDENTIFIERS_H
