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
                         "Write NAME.h, libNAME.a and NAME.weights into this "
                         "directory (created when missing)");
  compileCmd
      ->add_option("--emit", compile.emit,
                   "Print one stage to standard output: ast (the parsed "
                   "model), mlir (the nn dialect after parsing), kernels "
                   "(after fusion and tiling), dot (the kernel graph as "
                   "Graphviz DOT), halide (the lowered Halide statements), "
                   "asm (the generated assembly; for host, this machine's "
                   "variant), header (the generated C header)")
      ->check(CLI::IsMember(
          {"ast", "mlir", "kernels", "dot", "halide", "asm", "header"}));
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

  RunOptions run;
  CLI::App *runCmd = app.add_subcommand(
      "run", "Compile a model for this machine (JIT) and run it now");
  runCmd->add_option("model", run.model, "The model file (.act)")
      ->required()
      ->check(CLI::ExistingFile);
  runCmd->add_option("--input", run.inputs,
                     "NAME=FILE.npy: an input (give every input, or none "
                     "for random inputs)");
  runCmd->add_option("--output", run.outputs,
                     "NAME=FILE.npy: write an output (float32); outputs "
                     "without one are printed as a summary");
  runCmd
      ->add_option("--seed", run.seed,
                   "Seed of the random inputs (without --input): uniform in "
                   "[-1, 1), every dynamic dimension 1")
      ->capture_default_str();
  runCmd
      ->add_option("--threads", run.threads,
                   "Threads of the parallel loops (0: one per hardware "
                   "thread)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();

  CheckOptions check;
  CLI::App *checkCmd = app.add_subcommand(
      "check", "Compile a model, run it on random and edge-value inputs and "
               "compare with the reference interpreter");
  checkCmd->add_option("model", check.model, "The model file (.act)")
      ->required()
      ->check(CLI::ExistingFile);
  checkCmd
      ->add_option("--target", check.target,
                   "The target whose schedules to check; it must run on "
                   "this CPU")
      ->capture_default_str();
  checkCmd->add_option("--seed", check.seed, "Seed of the inputs")
      ->capture_default_str();

  BenchOptions bench;
  CLI::App *benchCmd =
      app.add_subcommand("bench", "Time a model's inference through the JIT");
  benchCmd->add_option("model", bench.model, "The model file (.act)")
      ->required()
      ->check(CLI::ExistingFile);
  benchCmd
      ->add_option("--target", bench.target,
                   "The target whose schedules to time; it must run on "
                   "this CPU")
      ->capture_default_str();
  benchCmd->add_option("--runs", bench.runs, "Timed runs (after warm-up)")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  benchCmd
      ->add_option("--threads", bench.threads,
                   "Thread counts to time, e.g. 1,2 (0: one per hardware "
                   "thread; default 0)")
      ->delimiter(',')
      ->check(CLI::Range(0, 1024));
  benchCmd->add_option("--dim", bench.dims,
                       "NAME=N: the size of a dynamic dimension (default 1)");
  benchCmd->add_flag("--json", bench.json,
                     "Print one JSON object (one line) per thread count");

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
  if (*runCmd)
    return runRun(run);
  if (*checkCmd)
    return runCheck(check);
  if (*benchCmd)
    return runBench(bench);
  if (*selfTestCmd)
    return runSelfTest();
  if (*targetsCmd)
    return runTargets();
  return kUsageError;
}
