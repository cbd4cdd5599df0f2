// SPDX-License-Identifier: Apache-2.0
//
// The table of ahead-of-time compiled accuracy kernels that AotKernels.cpp
// generates (registry.cpp) and the static exhaustive sweep reads.

#ifndef ACTC_BENCHMARKS_NUMERICS_AOTREGISTRY_H
#define ACTC_BENCHMARKS_NUMERICS_AOTREGISTRY_H

#include "tests/unit/numerics/Reference.h"

#include <HalideRuntime.h>

#include <string>
#include <vector>

namespace actc::numerics {

/// One case: its name, its reference, and its kernels in both modes.
struct AotCase {
  std::string name;
  RefSpec spec;
  int (*defaultKernel)(halide_buffer_t *, halide_buffer_t *);
  int (*fastKernel)(halide_buffer_t *, halide_buffer_t *);
};

} // namespace actc::numerics

/// Every compiled case (defined in the generated registry.cpp).
const std::vector<actc::numerics::AotCase> &aotCases();

#endif // ACTC_BENCHMARKS_NUMERICS_AOTREGISTRY_H
