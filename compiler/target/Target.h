// SPDX-License-Identifier: Apache-2.0
//
// The target table: the one place that maps a target string the user types
// (host, x86-64-avx2, x86-64-avx512, arm64, cuda, cuda-sm75/80/86/90) to the
// Halide target string and to what the compiler knows about the machine
// (vector width, caches, cores). The tiling heuristic and the backend read
// it; nothing else spells a target. Plain C++ (no MLIR, no Halide).

#ifndef ACTC_COMPILER_TARGET_TARGET_H
#define ACTC_COMPILER_TARGET_TARGET_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace actc::target {

enum class Arch { X86_64, Arm64, Cuda };

struct TargetInfo {
  /// The name the user typed, after `host` is resolved ("x86-64-avx2").
  std::string name;
  /// One line for `actc targets`.
  std::string description;
  /// Halide's target string ("x86-64-linux-avx2-fma-f16c").
  std::string halideTarget;
  Arch arch = Arch::X86_64;
  /// f32 lanes of one vector register (CUDA: a warp).
  int64_t vectorWidth = 8;
  /// Architectural vector registers (the register tile must fit in them).
  int64_t vectorRegisters = 16;
  /// Data cache sizes in bytes, per core for L1/L2 (CUDA: shared memory per
  /// block as L1, the L2 as L2).
  int64_t l1Bytes = 32 * 1024;
  int64_t l2Bytes = 512 * 1024;
  int64_t l3Bytes = 16 * 1024 * 1024;
  /// Cores the thread pool uses (CUDA: streaming multiprocessors).
  int64_t cores = 8;
  /// CUDA compute capability times 10 (75, 80, ...), 0 elsewhere.
  int64_t cudaCapability = 0;
  bool isGpu() const { return arch == Arch::Cuda; }
};

/// The entry for `name`, or nothing for an unknown name. `host` resolves to
/// the best entry for the running CPU, with its core count and caches.
std::optional<TargetInfo> lookupTarget(const std::string &name);

/// Every name lookupTarget accepts, in the table's order (host first).
std::vector<std::string> targetNames();

/// The table's entry for the running CPU (what `host` means).
TargetInfo hostTarget();

} // namespace actc::target

#endif // ACTC_COMPILER_TARGET_TARGET_H
