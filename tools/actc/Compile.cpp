// SPDX-License-Identifier: Apache-2.0
//
// `actc compile`: load and check the model, bind its weights, build the nn
// dialect, run the pipeline (compiler/driver) and either print a stage
// (--emit) or write DIR/NAME.h, DIR/libNAME.a and DIR/NAME.weights (-o
// DIR; both together print, then write). User errors (the model, the
// weights file, the tuning database, an output directory that cannot be
// made) exit with 1 and a diagnostic; a module that fails to verify, a pass
// that fails after the front end accepted the model, or a failing external
// tool while packing is a bug and exits with 3.

#include "compiler/backend/emit/CIdentifiers.h"
#include "compiler/backend/emit/EmitC.h"
#include "compiler/driver/Driver.h"
#include "compiler/driver/Package.h"
#include "compiler/frontend/AstPrinter.h"
#include "compiler/frontend/Model.h"
#include "compiler/pipeline/KernelGraph.h"
#include "compiler/target/Target.h"
#include "tools/actc/Commands.h"
#include "tools/actc/ModelRunner.h"

#include "mlir/IR/OperationSupport.h"

#include "llvm/Support/raw_ostream.h"

#include <iostream>

namespace actc::cli {
namespace {

void printModule(mlir::ModuleOp module, bool printLocations) {
  mlir::OpPrintingFlags flags;
  // Weights stay out of printed IR: resource blobs over 64 bytes and dense
  // constants of more than 16 elements print elided.
  flags.elideLargeResourceString(64).elideLargeElementsAttrs(16);
  if (printLocations)
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false)
        .useLocalScope();
  module.print(llvm::outs(), flags);
  llvm::outs().flush();
}

} // namespace

int runCompile(const CompileOptions &options) {
  const std::string &emit = options.emit;
  bool write = !options.outputDir.empty();
  if (emit.empty() && !write) {
    std::cerr << "actc: error: nothing to do: give -o DIR to write the "
                 "library, or --emit to print a stage\n";
    return kUsageError;
  }
  if (!target::lookupTarget(options.target)) {
    std::string known;
    for (const std::string &name : target::targetNames())
      known += (known.empty() ? "" : ", ") + name;
    std::cerr << "actc: error: unknown target '" << options.target
              << "'; expected one of: " << known << "\n";
    return kUsageError;
  }

  if (emit == "ast") {
    frontend::DiagnosticSink diags;
    std::optional<frontend::ast::Module> module =
        frontend::loadAst(options.model, diags);
    if (!module) {
      std::cerr << diags.render();
      return kUserError;
    }
    std::cout << frontend::printAst(*module) << std::flush;
    if (!write)
      return kSuccess;
  }

  driver::LoadOptions load;
  load.target = options.target;
  load.tuningDb = options.tuningDb;
  load.seed = options.seed;
  driver::Messages messages;
  driver::LoadedModel loaded;
  driver::Status status =
      driver::loadNNModule(options.model, load, loaded, messages);
  if (status != driver::Status::Ok)
    return report(status, messages);
  if (emit == "mlir") {
    printModule(*loaded.module, options.printLocations);
    if (!write)
      return report(status, messages);
  }

  status = driver::runKernels(loaded, load, messages);
  if (status != driver::Status::Ok)
    return report(status, messages);
  if (emit == "kernels" || emit == "dot") {
    if (emit == "dot") {
      pipeline::printKernelGraph(*loaded.module, llvm::outs());
      llvm::outs().flush();
    } else {
      printModule(*loaded.module, options.printLocations);
    }
    if (!write)
      return report(status, messages);
  }

  halide::LoweredModel lowered;
  status = driver::lowerKernelModule(loaded, options.target, lowered, messages);
  if (status != driver::Status::Ok)
    return report(status, messages);
  if (emit == "header") {
    std::cout << emit::emitHeader(lowered.interface,
                                  emit::assignCNames(lowered.interface),
                                  options.embedWeights)
              << std::flush;
  } else if (emit == "halide" || emit == "asm") {
    std::string text;
    status =
        driver::pipelineText(lowered, options.target,
                             emit == "asm" ? driver::PipelineText::Assembly
                                           : driver::PipelineText::Statements,
                             text, messages);
    if (status != driver::Status::Ok)
      return report(status, messages);
    std::cout << text << std::flush;
  }
  if (!write)
    return report(status, messages);

  driver::PackageOptions package;
  package.target = options.target;
  package.embedWeights = options.embedWeights;
  std::vector<std::string> written;
  status = driver::packageModel(lowered, package, options.outputDir, written,
                                messages);
  return report(status, messages);
}

} // namespace actc::cli
