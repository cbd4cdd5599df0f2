// SPDX-License-Identifier: Apache-2.0
//
// The last step of `actc compile -o DIR`: a lowered model becomes
// DIR/NAME.h, DIR/libNAME.a and (unless embedded) DIR/NAME.weights. The
// Halide pipeline is compiled ahead of time, the glue (and the embedded
// weights) with the system C compiler, and everything is packed into one
// relocatable object whose only global symbols are the model's API, with
// every other symbol renamed (docs/c-api.md, "Packing"). Work happens in a
// temporary directory that is always removed; DIR receives only the final
// files.

#ifndef ACTC_COMPILER_DRIVER_PACKAGE_H
#define ACTC_COMPILER_DRIVER_PACKAGE_H

#include "compiler/driver/Driver.h"

#include <string>
#include <vector>

namespace actc::driver {

/// Where the parts that go into every libNAME.a are. The defaults are
/// compiled into actc by CMake (the source tree's runtime/include, the
/// build tree's libactc_runtime.a, Halide's include directory); the
/// environment variables ACTC_RUNTIME_INCLUDE, ACTC_RUNTIME_LIB and
/// ACTC_HALIDE_INCLUDE override them, and CC the C compiler ("cc"; split
/// at blanks, so "ccache gcc" works).
struct Toolchain {
  std::string cc;
  std::string runtimeInclude;
  std::string runtimeLib;
  std::string halideInclude;
  std::string nm = "nm";
  std::string objcopy = "objcopy";
  std::string ar = "ar";
};

/// The toolchain from the compiled-in defaults and the environment.
Toolchain defaultToolchain();

struct PackageOptions {
  /// A target-table name, passed to halide::compileAot.
  std::string target = "host";
  bool embedWeights = false;
  Toolchain toolchain = defaultToolchain();
};

/// Writes the model's files into `outputDir` (created when missing) and
/// appends their paths to `written`. A failing tool is an InternalError
/// naming the command and with its output; an output directory that cannot
/// be created is a UserError.
Status packageModel(halide::LoweredModel &lowered,
                    const PackageOptions &options, const std::string &outputDir,
                    std::vector<std::string> &written, Messages &messages);

enum class PipelineText {
  Statements, ///< Halide's lowered statements (`--emit halide`)
  Assembly,   ///< the generated machine code (`--emit asm`)
};

/// The pipeline for `target` as text, or "" with a message. For `host` it is
/// this machine's variant (a `host` library also holds the AVX2 and baseline
/// ones); the assembly's entry point is the symbol the library defines.
Status pipelineText(halide::LoweredModel &lowered, const std::string &target,
                    PipelineText what, std::string &text, Messages &messages);

} // namespace actc::driver

#endif // ACTC_COMPILER_DRIVER_PACKAGE_H
