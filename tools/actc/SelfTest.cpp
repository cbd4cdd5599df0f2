// SPDX-License-Identifier: Apache-2.0
//
// `actc selftest`: runs a tiny Halide pipeline through the JIT inside actc,
// which proves MLIR 22 and Halide 14 (with LLVM 14) coexist in this binary.

#include "compiler/backend/halide/SelfTest.h"
#include "tools/actc/Commands.h"

#include <iostream>

namespace actc::cli {

int runSelfTest() {
  std::string problem = halide::runJitSelfTest();
  if (!problem.empty()) {
    std::cerr << "actc: internal error: Halide JIT self-test failed: "
              << problem << "\n";
    return kInternalError;
  }
  std::cout << "halide jit: ok\n";
  return kSuccess;
}

} // namespace actc::cli
