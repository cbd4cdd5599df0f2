// SPDX-License-Identifier: Apache-2.0
//
// A tiny Halide pipeline JIT-compiled and run inside the calling process.
// It proves that Halide 14 (with its LLVM 14) works inside a binary that
// also links MLIR 22 (see docs/build.md); `actc selftest` runs it.

#ifndef ACTC_COMPILER_BACKEND_HALIDE_SELFTEST_H
#define ACTC_COMPILER_BACKEND_HALIDE_SELFTEST_H

#include <string>

namespace actc::halide {

/// JIT-compiles f(x) = 2x + 1 vectorized over an odd-sized buffer (so the
/// tail path runs too) for the host, runs it, and checks every element.
/// Returns an empty string on success, else what went wrong.
std::string runJitSelfTest();

} // namespace actc::halide

#endif // ACTC_COMPILER_BACKEND_HALIDE_SELFTEST_H
