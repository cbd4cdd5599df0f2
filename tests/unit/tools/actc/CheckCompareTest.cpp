// SPDX-License-Identifier: Apache-2.0
//
// The tolerance `actc check` holds a compiled model's outputs to
// (tools/actc/CheckCompare.h): relative 1e-4, or absolute 1e-5 times the
// output's largest finite magnitude (at least 1); NaN positions exact;
// infinities must meet the same infinity. A check that fails on purpose
// needs a wrong compiler, so the failing side is tested here.

#include "tools/actc/CheckCompare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace actc;
using interp::Tensor;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

TEST(CheckCompare, ToleranceScalesWithTheOutput) {
  interp::Tolerance small = cli::checkTolerance(Tensor({3}, {0.1, -0.5, 0}));
  EXPECT_EQ(small.relTol, 1e-4);
  EXPECT_EQ(small.absTol, 1e-5); // scale is at least 1
  // The largest finite magnitude sets the scale; NaN and Inf do not.
  interp::Tolerance big =
      cli::checkTolerance(Tensor({4}, {-2000, 3, kNaN, kInf}));
  EXPECT_DOUBLE_EQ(big.absTol, 2e-2);
}

TEST(CheckCompare, WithinRelativeOrAbsolute) {
  // 5e-5 relative: passes.
  EXPECT_TRUE(
      cli::compareOutput(Tensor({1}, {2.0}), Tensor({1}, {2.0001})).ok());
  // 2e-4 relative and 4e-4 absolute: fails.
  interp::Comparison bad =
      cli::compareOutput(Tensor({2}, {2.0, 1.0}), Tensor({2}, {2.0004, 1.0}));
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.numOutside, 1);
  EXPECT_EQ(bad.worstIndex, 0);
  // Near zero the absolute term decides: 1e-6 off a reference of 1e-9 is
  // a huge relative error but within 1e-5.
  EXPECT_TRUE(
      cli::compareOutput(Tensor({2}, {1e-9, 1}), Tensor({2}, {1e-6, 1})).ok());
  EXPECT_FALSE(
      cli::compareOutput(Tensor({2}, {1e-9, 1}), Tensor({2}, {3e-5, 1})).ok());
  // ... scaled by the output's magnitude: next to a 1000, 3e-3 off zero is
  // cancellation noise (abs tolerance 1e-2).
  EXPECT_TRUE(
      cli::compareOutput(Tensor({2}, {0, 1000}), Tensor({2}, {3e-3, 1000}))
          .ok());
}

TEST(CheckCompare, NaNPositionsMustMatch) {
  interp::Comparison missing =
      cli::compareOutput(Tensor({2}, {kNaN, 1}), Tensor({2}, {0, 1}));
  EXPECT_FALSE(missing.ok());
  EXPECT_EQ(missing.nanMismatches, 1);
  interp::Comparison extra =
      cli::compareOutput(Tensor({2}, {0, 1}), Tensor({2}, {kNaN, 1}));
  EXPECT_FALSE(extra.ok());
  EXPECT_EQ(extra.nanMismatches, 1);
  EXPECT_TRUE(
      cli::compareOutput(Tensor({2}, {kNaN, 1}), Tensor({2}, {kNaN, 1})).ok());
}

TEST(CheckCompare, InfinitiesMustMatch) {
  EXPECT_TRUE(
      cli::compareOutput(Tensor({2}, {kInf, -kInf}), Tensor({2}, {kInf, -kInf}))
          .ok());
  EXPECT_FALSE(
      cli::compareOutput(Tensor({1}, {kInf}), Tensor({1}, {-kInf})).ok());
  EXPECT_FALSE(
      cli::compareOutput(Tensor({1}, {kInf}), Tensor({1}, {3.4e38})).ok());
}

TEST(CheckCompare, ReferenceIsRoundedToFloat32Once) {
  // The double reference 1 + 2^-30 rounds to 1.0f: a float32 1.0 is exact.
  interp::Comparison c = cli::compareOutput(
      Tensor({1}, {1.0 + std::ldexp(1.0, -30)}), Tensor({1}, {1.0}));
  EXPECT_TRUE(c.ok());
  EXPECT_EQ(c.maxAbsError, 0.0);
  // A reference past float32's range is +Inf in float32.
  EXPECT_TRUE(
      cli::compareOutput(Tensor({1}, {1e39}), Tensor({1}, {kInf})).ok());
}

TEST(CheckCompare, ShapesMustMatch) {
  EXPECT_FALSE(
      cli::compareOutput(Tensor({2}, {1, 2}), Tensor({1, 2}, {1, 2})).ok());
}

} // namespace
