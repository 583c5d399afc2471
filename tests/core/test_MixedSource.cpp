// Fine-tuning's training source: the training set then my digits repeated, row by row as the
// mapping says, and the repeats rule that makes my digits about 15 % of an epoch.

#include "train/MixedSource.h"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

namespace {

using dl::Dataset;
using dl::MixedSource;

// `n` 2x2 images whose every pixel is first + i, labelled (first + i) % 10.
std::shared_ptr<const Dataset> numbered(int n, int first) {
  auto d = std::make_shared<Dataset>();
  d->rows = d->cols = 2;
  d->count = n;
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < 4; ++k) d->images.push_back(float(first + i));
    d->labels.push_back(uint8_t((first + i) % 10));
  }
  return d;
}

TEST(FineTuneRepeats, MakeMyDigitsAboutFifteenPercentOfAnEpoch) {
  // 0.15 / 0.85 * 8000 / 20 = 70.6 -> 71: 1,420 of 9,420 rows (15.07 %).
  EXPECT_EQ(dl::fineTuneRepeats(8000, 20), 71);
  EXPECT_EQ(dl::fineTuneRepeats(60000, 100), 106);
  EXPECT_EQ(dl::fineTuneRepeats(8000, 5000), 1);  // more than enough of mine: each once
  EXPECT_EQ(dl::fineTuneRepeats(8000, 0), 0);
  for (int mine : {1, 7, 20, 300}) {
    const int r = dl::fineTuneRepeats(8000, mine);
    const double share = double(mine * r) / (8000 + mine * r);
    EXPECT_NEAR(share, 0.15, 0.01) << mine;
  }
}

TEST(MixedSourceRows, BaseRowsThenMyDigitsRepeated) {
  const MixedSource mix(numbered(5, 0), numbered(2, 100), 3);
  ASSERT_EQ(mix.rowCount(), 5 + 2 * 3);
  EXPECT_EQ(mix.featureSize(), 4);
  EXPECT_EQ(mix.myRows(), 6);
  EXPECT_NEAR(mix.myShare(), 6.0 / 11.0, 1e-12);

  dl::Matrix x(11, 4);
  uint8_t labels[11];
  mix.copyRows(0, 11, x, labels);
  const float expected[11] = {0, 1, 2, 3, 4, 100, 101, 100, 101, 100, 101};
  for (int r = 0; r < 11; ++r) {
    for (int c = 0; c < 4; ++c) EXPECT_EQ(x(r, c), expected[r]) << r;
    EXPECT_EQ(labels[r], uint8_t(int(expected[r]) % 10)) << r;
  }

  const int rows[4] = {10, 0, 6, 4};
  dl::Matrix g(4, 4);
  uint8_t gl[4];
  mix.gatherRows(rows, 4, g, gl);
  EXPECT_EQ(g(0, 0), 101);
  EXPECT_EQ(g(1, 3), 0);
  EXPECT_EQ(g(2, 1), 101);
  EXPECT_EQ(g(3, 2), 4);
  EXPECT_EQ(gl[0], 1);
  EXPECT_EQ(gl[3], 4);
}

TEST(MixedSourceRows, RefusesMismatchedImagesAndNoRepeats) {
  auto other = std::make_shared<Dataset>();
  other->rows = other->cols = 3;
  other->count = 1;
  other->images.assign(9, 0.f);
  other->labels = {1};
  EXPECT_THROW(MixedSource(numbered(2, 0), other, 1), std::invalid_argument);
  EXPECT_THROW(MixedSource(numbered(2, 0), numbered(1, 0), 0), std::invalid_argument);
}

}  // namespace
