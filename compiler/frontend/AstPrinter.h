// SPDX-License-Identifier: Apache-2.0
//
// `--emit=ast`: the parsed model as an indented tree, one node a line, each
// with its `@line:col`, so a lit test can check both what the parser built
// and where it thinks each piece is.

#ifndef ACTC_COMPILER_FRONTEND_ASTPRINTER_H
#define ACTC_COMPILER_FRONTEND_ASTPRINTER_H

#include "compiler/frontend/AST.h"

#include <optional>
#include <string>

namespace actc::frontend {

/// The tree, e.g.
///   model @1:1 mlp @1:7
///   input @2:1 x @2:7 : f32 @2:11 [batch @2:15, 784 @2:22]
///   define @3:1 h @3:1
///     call dense @3:5
///       name x @3:11
///       keyword units @3:14 = int 128 @3:20
///   output @4:1 h @4:8
///     name h @4:8
std::string printAst(const ast::Module &module);

/// Reads and parses the file (no semantic checks) for `--emit=ast`.
std::optional<ast::Module> loadAst(const std::string &path,
                                   DiagnosticSink &diags);

} // namespace actc::frontend

#endif // ACTC_COMPILER_FRONTEND_ASTPRINTER_H
