// SPDX-License-Identifier: Apache-2.0
//
// The subcommands of the actc CLI, one file each. Each returns the process
// exit status of SPEC.md section 2: 0 success, 1 the user's input is wrong,
// 2 the command line is wrong, 3 an internal error.

#ifndef ACTC_TOOLS_ACTC_COMMANDS_H
#define ACTC_TOOLS_ACTC_COMMANDS_H

#include <cstdint>
#include <string>
#include <vector>

namespace actc::cli {

enum ExitCode : int {
  kSuccess = 0,
  kUserError = 1,
  kUsageError = 2,
  kInternalError = 3,
};

struct CompileOptions {
  std::string model;
  std::string target = "host";
  std::string outputDir;
  std::string emit;
  std::string tuningDb;
  bool embedWeights = false;
  bool printLocations = false;
  uint64_t seed = 0;
};

/// `actc run` (Run.cpp).
struct RunOptions {
  std::string model;
  std::vector<std::string> inputs;  ///< NAME=FILE.npy
  std::vector<std::string> outputs; ///< NAME=FILE.npy
  uint64_t seed = 0;
  int threads = 0; ///< 0: one per hardware thread
};

/// `actc check` (Check.cpp).
struct CheckOptions {
  std::string model;
  std::string target = "host";
  uint64_t seed = 0;
};

/// `actc bench` (Bench.cpp).
struct BenchOptions {
  std::string model;
  std::string target = "host";
  int runs = 50;
  std::vector<int> threads;      ///< one measurement each; empty: {0}
  std::vector<std::string> dims; ///< NAME=N, a dynamic dim's size
  bool json = false;
};

int runCompile(const CompileOptions &options);
int runRun(const RunOptions &options);
int runCheck(const CheckOptions &options);
int runBench(const BenchOptions &options);
int runSelfTest();
int runTargets();

} // namespace actc::cli

#endif // ACTC_TOOLS_ACTC_COMMANDS_H
