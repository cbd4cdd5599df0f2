// SPDX-License-Identifier: Apache-2.0
//
// The shared edit distance: unit costs (weights-file names) and the front
// end's half-edit costs. Expected distances are counted by hand.

#include "compiler/support/EditDistance.h"

#include <gtest/gtest.h>

#include <string>

using actc::editDistance;

namespace {

TEST(EditDistanceTest, CountsTranspositionsAsOneEdit) {
  EXPECT_EQ(editDistance("fc1.weight", "fc1.weigth", 3), 1u);
  EXPECT_EQ(editDistance("fc1.weight", "fc1.weight", 3), 0u);
  EXPECT_EQ(editDistance("conv1.bias", "conv2.bias", 3), 1u);
  EXPECT_EQ(editDistance("bias", "bis", 3), 1u);
  EXPECT_EQ(editDistance("abc", "xyz", 3), 3u);
  EXPECT_EQ(editDistance("", "abc", 3), 3u);
}

TEST(EditDistanceTest, StopsAtTheLimit) {
  // Beyond the limit, the answer is only "more than the limit".
  EXPECT_EQ(editDistance("fc1.weight", "layers.0.weight", 2), 3u);
  EXPECT_EQ(editDistance(std::string(10000, 'a'), "a", 3), 4u);
  EXPECT_EQ(editDistance(std::string(5000, 'a'), std::string(5000, 'b'), 3),
            4u);
}

size_t halfEdits(char a, char b) { return (a | 32) == (b | 32) ? 1 : 3; }

TEST(EditDistanceTest, TakesAStepAndASubstitutionCost) {
  // step 2: one insertion is 2.
  EXPECT_EQ(editDistance("relu", "relu6", 10, 2, halfEdits), 2u);
  // A case slip costs 1 (R, L and U here: 3), another letter 3.
  EXPECT_EQ(editDistance("ReLU", "relu", 10, 2, halfEdits), 3u);
  EXPECT_EQ(editDistance("relx", "relu", 10, 2, halfEdits), 3u);
  // A transposition costs one step.
  EXPECT_EQ(editDistance("rleu", "relu", 10, 2, halfEdits), 2u);
  // The length gap alone (2 insertions = 4) is past a limit of 3.
  EXPECT_EQ(editDistance("relu", "relu66", 3, 2, halfEdits), 4u);
}

} // namespace
