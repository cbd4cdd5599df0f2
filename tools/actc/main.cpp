// SPDX-License-Identifier: Apache-2.0
//
// The actc command line (SPEC.md section 2). This file only declares the
// subcommands and their options; each subcommand lives in its own file.

#include "compiler/target/Target.h"
#include "tools/actc/Commands.h"

#include <CLI/CLI.hpp>

#include <iostream>

using namespace actc::cli;

/// "host, x86-64-avx2, ..." from the target table.
static std::string targetList() {
  std::string list;
  for (const std::string &name : actc::target::targetNames())
    list += (list.empty() ? "" : ", ") + name;
  return list;
}

int main(int argc, char **argv) {
  CLI::App app{"actc: an ahead-of-time compiler for neural networks, built "
               "around activation functions"};
  app.name("actc");
  app.set_version_flag("--version", "actc " ACTC_VERSION);
  app.require_subcommand(1);

  CompileOptions compile;
  CLI::App *compileCmd =
      app.add_subcommand("compile", "Compile a model (.act) for a target");
  compileCmd->add_option("model", compile.model, "The model file (.act)")
      ->required()
      ->check(CLI::ExistingFile);
  compileCmd
      ->add_option("--target", compile.target,
                   "The target: " + targetList() + " (host: this machine)")
      ->capture_default_str();
  compileCmd->add_option("-o,--output", compile.outputDir,
                         "The output directory");
  compileCmd
      ->add_option("--emit", compile.emit,
                   "Print one stage to standard output: ast (the parsed "
                   "model), mlir (the nn dialect after parsing), kernels "
                   "(after fusion and tiling), dot (the kernel graph as "
                   "Graphviz DOT)")
      ->check(CLI::IsMember({"ast", "mlir", "kernels", "dot"}));
  compileCmd->add_option("--tuning-db", compile.tuningDb,
                         "The tuning database file (default: "
                         "$ACTC_TUNING_DB, else ~/.cache/actc/tuning.json, "
                         "used when it exists)");
  compileCmd->add_flag("--embed-weights", compile.embedWeights,
                       "Embed the weights in the library");
  compileCmd->add_flag("--print-locations", compile.printLocations,
                       "With --emit=mlir: print each op's source location");
  compileCmd
      ->add_option("--seed", compile.seed,
                   "Seed of the default initialisation (models without a "
                   "weights file)")
      ->capture_default_str();

  CLI::App *targetsCmd = app.add_subcommand(
      "targets", "List the target strings --target accepts and what each means");

  CLI::App *selfTestCmd = app.add_subcommand(
      "selftest", "JIT-compile and run a tiny Halide pipeline in this process");
  selfTestCmd->group(""); // hidden: a check of the build, not a user command

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    int status = app.exit(e);
    return status == 0 ? kSuccess : kUsageError;
  }

  if (*compileCmd)
    return runCompile(compile);
  if (*selfTestCmd)
    return runSelfTest();
  if (*targetsCmd)
    return runTargets();
  return kUsageError;
}
