// SPDX-License-Identifier: Apache-2.0
//
// Shared helpers of the interpreter tests: parse a module from a string,
// run its first function on the given inputs, and collect the diagnostics
// the interpreter emits (so a test can check an error's text).

#ifndef ACTC_TESTS_UNIT_INTERPRETER_INTERPTESTUTIL_H
#define ACTC_TESTS_UNIT_INTERPRETER_INTERPTESTUTIL_H

#include "compiler/interpreter/Interpreter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace actc::interp::testing {

/// A context with the interpreter's dialects; records diagnostics.
class InterpFixture {
public:
  InterpFixture() : context(makeRegistry()) {
    context.loadAllAvailableDialects();
    handler.emplace(&context, [this](mlir::Diagnostic &diag) {
      diagnostics += diag.str() + "\n";
      return mlir::success();
    });
  }

  /// Parses `source`; fails the test (and returns false) if it does not
  /// parse or verify.
  bool parse(const std::string &source) {
    module = mlir::parseSourceString<mlir::ModuleOp>(source, &context);
    EXPECT_TRUE(module) << diagnostics;
    return bool(module);
  }

  /// The first func.func of the parsed module.
  mlir::func::FuncOp func() {
    return *module->getOps<mlir::func::FuncOp>().begin();
  }

  /// Parses and runs; nullopt when either fails (diagnostics has why).
  std::optional<std::vector<Tensor>> run(const std::string &source,
                                         std::vector<Tensor> inputs) {
    if (!parse(source))
      return std::nullopt;
    mlir::FailureOr<std::vector<Tensor>> results = interp.run(func(), inputs);
    if (mlir::failed(results))
      return std::nullopt;
    return *results;
  }

  /// The one result of a one-result function (fails the test otherwise).
  Tensor runOne(const std::string &source, std::vector<Tensor> inputs) {
    std::optional<std::vector<Tensor>> results = run(source, std::move(inputs));
    EXPECT_TRUE(results) << diagnostics;
    if (!results || results->size() != 1)
      return Tensor();
    return (*results)[0];
  }

  static mlir::DialectRegistry makeRegistry() {
    mlir::DialectRegistry registry;
    registerInterpreterDialects(registry);
    return registry;
  }

  mlir::MLIRContext context;
  std::optional<mlir::ScopedDiagnosticHandler> handler;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  Interpreter interp;
  std::string diagnostics;
};

} // namespace actc::interp::testing

#endif // ACTC_TESTS_UNIT_INTERPRETER_INTERPTESTUTIL_H
