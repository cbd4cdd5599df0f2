// SPDX-License-Identifier: Apache-2.0
//
// The subcommands of the actc CLI, one file each. Each returns the process
// exit status of SPEC.md section 2: 0 success, 1 the user's input is wrong,
// 2 the command line is wrong, 3 an internal error.

#ifndef ACTC_TOOLS_ACTC_COMMANDS_H
#define ACTC_TOOLS_ACTC_COMMANDS_H

#include <cstdint>
#include <string>

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

int runCompile(const CompileOptions &options);
int runSelfTest();
int runTargets();

} // namespace actc::cli

#endif // ACTC_TOOLS_ACTC_COMMANDS_H
