// SPDX-License-Identifier: Apache-2.0
//
// `actc targets`: the target strings `--target` accepts, what each means,
// and what `host` resolves to on this machine. Everything comes from the
// one target table (compiler/target).

#include "compiler/target/Target.h"
#include "tools/actc/Commands.h"

#include <iomanip>
#include <iostream>

namespace actc::cli {

int runTargets() {
  size_t width = 0;
  for (const std::string &name : target::targetNames())
    width = std::max(width, name.size());
  for (const std::string &name : target::targetNames()) {
    std::optional<target::TargetInfo> info = target::lookupTarget(name);
    if (!info) {
      std::cerr << "actc: internal error: the target table lists '" << name
                << "' but cannot resolve it\n";
      return kInternalError;
    }
    std::cout << std::left << std::setw(int(width) + 2) << name
              << info->description;
    if (!info->isGpu())
      std::cout << " [" << info->vectorWidth << " f32 lanes]";
    std::cout << "\n";
  }
  return kSuccess;
}

} // namespace actc::cli
