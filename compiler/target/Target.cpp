// SPDX-License-Identifier: Apache-2.0
//
// The target table (Target.h). Cache sizes and core counts of the fixed
// entries are typical values for the class of machine (a desktop/server x86
// core, a Cortex-A76/Neoverse-class arm64 core, an Ampere-class GPU); `host`
// replaces them with what the running machine reports. Halide 14 knows CUDA
// capabilities up to 86: cuda-sm90 emits sm_86 PTX, which the driver
// JIT-compiles on newer GPUs (DESIGN.md, "Building").

#include "compiler/target/Target.h"

#include <algorithm>
#include <unistd.h>

namespace actc::target {
namespace {

constexpr int64_t KiB = 1024, MiB = 1024 * 1024;

TargetInfo x86(std::string name, std::string description, std::string halide,
               int64_t lanes, int64_t registers) {
  TargetInfo t;
  t.name = std::move(name);
  t.description = std::move(description);
  t.halideTarget = std::move(halide);
  t.arch = Arch::X86_64;
  t.vectorWidth = lanes;
  t.vectorRegisters = registers;
  t.l1Bytes = 32 * KiB;
  t.l2Bytes = lanes == 16 ? 1 * MiB : 512 * KiB;
  t.l3Bytes = 32 * MiB;
  t.cores = 8;
  return t;
}

TargetInfo cuda(std::string name, int64_t capability) {
  TargetInfo t;
  t.name = std::move(name);
  int64_t halideCap = std::min<int64_t>(capability, 86);
  t.description = "NVIDIA GPU, compute capability " +
                  std::to_string(capability / 10) + "." +
                  std::to_string(capability % 10) + " (PTX for sm_" +
                  std::to_string(halideCap) + ")";
  t.halideTarget = "host-cuda-cuda_capability_" + std::to_string(halideCap);
  t.arch = Arch::Cuda;
  t.vectorWidth = 32;
  t.vectorRegisters = 255;
  t.l1Bytes = 48 * KiB;
  t.l2Bytes = capability >= 80 ? 40 * MiB : 4 * MiB;
  t.l3Bytes = 0;
  t.cores = capability >= 90 ? 132 : capability >= 80 ? 108 : 68;
  t.cudaCapability = capability;
  return t;
}

std::vector<TargetInfo> fixedTargets() {
  std::vector<TargetInfo> table;
  table.push_back(x86("x86-64-avx2", "x86-64 with AVX2 and FMA (Haswell+, Zen)",
                      "x86-64-linux-avx2-fma-f16c", 8, 16));
  table.push_back(x86("x86-64-avx512",
                      "x86-64 with AVX-512 (Skylake-SP+, Zen 4)",
                      "x86-64-linux-avx2-fma-f16c-avx512_skylake", 16, 32));
  TargetInfo arm;
  arm.name = "arm64";
  arm.description = "64-bit ARM with NEON (Cortex-A76, Neoverse, Apple M)";
  arm.halideTarget = "arm-64-linux";
  arm.arch = Arch::Arm64;
  arm.vectorWidth = 4;
  arm.vectorRegisters = 32;
  arm.l1Bytes = 64 * KiB;
  arm.l2Bytes = 512 * KiB;
  arm.l3Bytes = 4 * MiB;
  arm.cores = 4;
  table.push_back(arm);
  table.push_back(cuda("cuda", 75));
  table.back().description = "NVIDIA GPU, any of compute capability 7.5 or "
                             "newer (PTX for sm_75)";
  table.push_back(cuda("cuda-sm75", 75));
  table.push_back(cuda("cuda-sm80", 80));
  table.push_back(cuda("cuda-sm86", 86));
  table.push_back(cuda("cuda-sm90", 90));
  return table;
}

int64_t sysconfOr(int name, int64_t fallback) {
  long value = sysconf(name);
  return value > 0 ? value : fallback;
}

} // namespace

TargetInfo hostTarget() {
  std::vector<TargetInfo> table = fixedTargets();
  TargetInfo host;
#if defined(__x86_64__)
  __builtin_cpu_init();
  bool avx512 =
      __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
  host = avx512 ? table[1] : table[0];
#elif defined(__aarch64__)
  host = table[2];
#else
  host = table[0];
#endif
  host.cores = sysconfOr(_SC_NPROCESSORS_ONLN, host.cores);
#ifdef _SC_LEVEL1_DCACHE_SIZE
  host.l1Bytes = sysconfOr(_SC_LEVEL1_DCACHE_SIZE, host.l1Bytes);
  host.l2Bytes = sysconfOr(_SC_LEVEL2_CACHE_SIZE, host.l2Bytes);
  host.l3Bytes = sysconfOr(_SC_LEVEL3_CACHE_SIZE, host.l3Bytes);
#endif
  host.description = "this machine: " + host.name;
  return host;
}

std::optional<TargetInfo> lookupTarget(const std::string &name) {
  if (name == "host")
    return hostTarget();
  for (TargetInfo &t : fixedTargets())
    if (t.name == name)
      return t;
  return std::nullopt;
}

std::vector<std::string> targetNames() {
  std::vector<std::string> names{"host"};
  for (const TargetInfo &t : fixedTargets())
    names.push_back(t.name);
  return names;
}

} // namespace actc::target
