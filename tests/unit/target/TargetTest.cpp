// SPDX-License-Identifier: Apache-2.0
//
// The target table: every name SPEC.md lists resolves, `host` is one of the
// CPU entries with this machine's core count, and unknown names do not.

#include "compiler/target/Target.h"

#include <gtest/gtest.h>

#include <iostream>

using namespace actc::target;

TEST(TargetTest, EverySpecNameResolves) {
  for (const char *name :
       {"host", "x86-64-avx2", "x86-64-avx512", "arm64", "cuda", "cuda-sm75",
        "cuda-sm80", "cuda-sm86", "cuda-sm90"})
    EXPECT_TRUE(lookupTarget(name)) << name;
  EXPECT_FALSE(lookupTarget("riscv"));
  EXPECT_FALSE(lookupTarget(""));
  EXPECT_EQ(targetNames().front(), "host");
}

TEST(TargetTest, VectorWidthsAndHalideStrings) {
  EXPECT_EQ(lookupTarget("x86-64-avx2")->vectorWidth, 8);
  EXPECT_EQ(lookupTarget("x86-64-avx512")->vectorWidth, 16);
  EXPECT_EQ(lookupTarget("arm64")->vectorWidth, 4);
  EXPECT_EQ(lookupTarget("x86-64-avx2")->halideTarget,
            "x86-64-linux-avx2-fma-f16c");
  EXPECT_NE(lookupTarget("x86-64-avx512")->halideTarget.find("avx512_skylake"),
            std::string::npos);
  EXPECT_EQ(lookupTarget("arm64")->halideTarget, "arm-64-linux");
  // Halide 14 stops at capability 8.6: sm90 emits sm_86 PTX.
  EXPECT_EQ(lookupTarget("cuda-sm90")->halideTarget,
            "host-cuda-cuda_capability_86");
  EXPECT_EQ(lookupTarget("cuda-sm90")->cudaCapability, 90);
  EXPECT_TRUE(lookupTarget("cuda")->isGpu());
  EXPECT_FALSE(lookupTarget("arm64")->isGpu());
}

TEST(TargetTest, HostIsACpuEntryOfThisMachine) {
  TargetInfo host = hostTarget();
  std::cout << "host is " << host.name << ": " << host.cores << " cores, L1 "
            << host.l1Bytes << ", L2 " << host.l2Bytes << ", L3 "
            << host.l3Bytes << " bytes\n";
  EXPECT_FALSE(host.isGpu());
  std::optional<TargetInfo> entry = lookupTarget(host.name);
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->vectorWidth, host.vectorWidth);
  EXPECT_GE(host.cores, 1);
  EXPECT_GE(host.l1Bytes, 1024);
}
