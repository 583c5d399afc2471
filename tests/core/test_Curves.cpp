// The training charts' curve maths (train/Curves.h) on sequences small enough to work out by
// hand: TensorBoard's bias-corrected EMA, the running mean, and min/max decimation.

#include "train/Curves.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

using namespace dl;

TEST(Smoothed, IsTheBiasCorrectedEmaOfAKnownSequence) {
  // beta = 0.5 on 1, 2, 3: s = 0.5, 1.25, 2.125; corrections 0.5, 0.75, 0.875.
  const std::vector<double> s = curves::smoothed({1, 2, 3}, 0.5);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_DOUBLE_EQ(s[0], 1.0);            // the first value itself: no pull towards 0
  EXPECT_DOUBLE_EQ(s[1], 1.25 / 0.75);    // 5/3
  EXPECT_DOUBLE_EQ(s[2], 2.125 / 0.875);  // 17/7
  // beta = 0.9 on 4, 0: s = 0.4, 0.36; corrections 0.1, 0.19.
  const std::vector<double> t = curves::smoothed({4, 0}, 0.9);
  EXPECT_DOUBLE_EQ(t[0], 4.0);
  EXPECT_DOUBLE_EQ(t[1], 0.36 / 0.19);
}

TEST(Smoothed, ZeroIsTheIdentity) {
  const std::vector<double> x = {3, -1, 0.25, 7};
  EXPECT_EQ(curves::smoothed(x, 0.0), x);
  EXPECT_TRUE(curves::smoothed({}, 0.9).empty());
}

TEST(Smoothed, NonFiniteValuesPassThroughAndDoNotEnterTheAverage) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> s = curves::smoothed({1, nan, inf, 3}, 0.5);
  EXPECT_DOUBLE_EQ(s[0], 1.0);
  EXPECT_TRUE(std::isnan(s[1]));
  EXPECT_EQ(s[2], inf);
  EXPECT_DOUBLE_EQ(s[3], 1.75 / 0.75);  // as if the sequence were 1, 3: s = 0.5, 1.75
}

TEST(RunningMean, IsTheMeanSoFar) {
  const std::vector<double> m = curves::runningMean({2, 4, 0, 10});
  EXPECT_EQ(m, (std::vector<double>{2, 3, 2, 4}));
  EXPECT_TRUE(curves::runningMean({}).empty());
}

TEST(Decimation, KeepsEverythingUpToTheCap) {
  const std::vector<double> ys = {5, 1, 4, 2};
  EXPECT_EQ(curves::decimationIndices(ys, 4), (std::vector<std::size_t>{0, 1, 2, 3}));
  EXPECT_EQ(curves::decimationIndices(ys, 100).size(), 4u);
  EXPECT_TRUE(curves::decimationIndices({}, 10).empty());
  // A cap under 4 counts as 4.
  EXPECT_EQ(curves::decimationIndices(ys, 1).size(), 4u);
}

TEST(Decimation, KeepsTheEndsAndEachBucketsLowAndHighInOrder) {
  //            index: 0  1  2  3  4  5  6  7  8  9
  const std::vector<double> ys = {0, 5, 1, 3, 9, 2, 8, 7, 4, 6};
  // Cap 6: two buckets of the eight interior points, [1..4] and [5..8].
  //   [1..4] = 5 1 3 9: low at 2, high at 4;  [5..8] = 2 8 7 4: low at 5, high at 6.
  EXPECT_EQ(curves::decimationIndices(ys, 6), (std::vector<std::size_t>{0, 2, 4, 5, 6, 9}));
  // Cap 4: one bucket [1..8]: low 1 at index 2, high 9 at index 4.
  EXPECT_EQ(curves::decimationIndices(ys, 4), (std::vector<std::size_t>{0, 2, 4, 9}));
}

TEST(Decimation, AFlatBucketGivesOnePointAndSpikesSurvive) {
  std::vector<double> ys(10000, 1.0);
  ys[4321] = 50;   // a spike
  ys[8765] = -50;  // a dip
  const std::vector<std::size_t> kept = curves::decimationIndices(ys, 500);
  EXPECT_LE(kept.size(), 500u);
  EXPECT_EQ(kept.front(), 0u);
  EXPECT_EQ(kept.back(), 9999u);
  EXPECT_TRUE(std::is_sorted(kept.begin(), kept.end()));
  EXPECT_NE(std::find(kept.begin(), kept.end(), 4321u), kept.end());
  EXPECT_NE(std::find(kept.begin(), kept.end(), 8765u), kept.end());
  // 249 buckets of flat values give one point each, the two with the spike and the dip two.
  EXPECT_EQ(kept.size(), 2u + 249u + 2u);
}
