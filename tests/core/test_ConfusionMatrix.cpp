// Tests of the confusion matrix (data/ConfusionMatrix.h): counts for a known prediction vector,
// accuracy, per-class recall and precision, empty rows/columns, out-of-range classes.

#include "data/ConfusionMatrix.h"

#include <gtest/gtest.h>

#include <cmath>

namespace dl {
namespace {

// true:      0 0 0 1 1 2 2 2 2 9
// predicted: 0 0 1 1 1 2 2 7 7 9
const std::vector<uint8_t> kTrue = {0, 0, 0, 1, 1, 2, 2, 2, 2, 9};
const std::vector<int> kPred = {0, 0, 1, 1, 1, 2, 2, 7, 7, 9};

TEST(ConfusionMatrix, CountsRowsAreTrueColumnsArePredicted) {
  const ConfusionMatrix cm = ConfusionMatrix::compute(kTrue, kPred);
  EXPECT_EQ(cm.total(), 10);
  EXPECT_EQ(cm.count(0, 0), 2);
  EXPECT_EQ(cm.count(0, 1), 1);
  EXPECT_EQ(cm.count(1, 0), 0);
  EXPECT_EQ(cm.count(1, 1), 2);
  EXPECT_EQ(cm.count(2, 2), 2);
  EXPECT_EQ(cm.count(2, 7), 2);
  EXPECT_EQ(cm.count(7, 2), 0);
  EXPECT_EQ(cm.count(9, 9), 1);
  int sum = 0;
  for (const auto& row : cm.counts())
    for (int v : row) sum += v;
  EXPECT_EQ(sum, 10);
  EXPECT_EQ(cm.maxCount(), 2);
  EXPECT_EQ(cm.maxOffDiagonal(), 2);
}

TEST(ConfusionMatrix, AccuracyIsTheDiagonalShare) {
  const ConfusionMatrix cm = ConfusionMatrix::compute(kTrue, kPred);
  EXPECT_EQ(cm.correct(), 7);
  EXPECT_DOUBLE_EQ(cm.accuracy(), 0.7);
}

TEST(ConfusionMatrix, RecallAndPrecisionPerClass) {
  const ConfusionMatrix cm = ConfusionMatrix::compute(kTrue, kPred);
  EXPECT_EQ(cm.rowTotal(0), 3);
  EXPECT_EQ(cm.columnTotal(1), 3);
  EXPECT_DOUBLE_EQ(cm.recall(0), 2.0 / 3.0);  // one true 0 taken for a 1
  EXPECT_DOUBLE_EQ(cm.precision(0), 1.0);     // every "0" prediction was a 0
  EXPECT_DOUBLE_EQ(cm.recall(1), 1.0);
  EXPECT_DOUBLE_EQ(cm.precision(1), 2.0 / 3.0);  // one of three "1"s was a 0
  EXPECT_DOUBLE_EQ(cm.recall(2), 0.5);
  EXPECT_DOUBLE_EQ(cm.precision(7), 0.0);  // predicted twice, never right
}

TEST(ConfusionMatrix, EmptyRowsAndColumnsGiveNaNNotZero) {
  const ConfusionMatrix cm = ConfusionMatrix::compute(kTrue, kPred);
  EXPECT_TRUE(std::isnan(cm.recall(7)));     // no true 7s
  EXPECT_TRUE(std::isnan(cm.precision(5)));  // never predicted 5
  const ConfusionMatrix empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_TRUE(std::isnan(empty.accuracy()));
  EXPECT_EQ(empty.maxCount(), 0);
}

TEST(ConfusionMatrix, OutOfRangeClassesAreSkippedAndCounted) {
  ConfusionMatrix cm;
  EXPECT_TRUE(cm.add(3, 3));
  EXPECT_FALSE(cm.add(10, 3));
  EXPECT_FALSE(cm.add(3, -1));
  EXPECT_EQ(cm.total(), 1);
  EXPECT_EQ(cm.skipped(), 2);
  EXPECT_EQ(cm.count(3, 3), 1);
}

TEST(ConfusionMatrix, ComputeUsesTheShorterOfTheTwoVectors) {
  const ConfusionMatrix cm = ConfusionMatrix::compute({1, 2, 3}, {1, 2});
  EXPECT_EQ(cm.total(), 2);
  EXPECT_EQ(cm.correct(), 2);
}

TEST(ConfusionMatrix, CsvHasRowsTrueColumnsPredictedAndAHeader) {
  const ConfusionMatrix cm = ConfusionMatrix::compute(kTrue, kPred);
  const std::string csv = cm.toCsv();
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "true/predicted,0,1,2,3,4,5,6,7,8,9");
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = csv.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(csv.substr(start, end - start));
  ASSERT_EQ(lines.size(), 11u);
  EXPECT_EQ(lines[1], "0,2,1,0,0,0,0,0,0,0,0");
  EXPECT_EQ(lines[3], "2,0,0,2,0,0,0,0,2,0,0");
  EXPECT_EQ(lines[10], "9,0,0,0,0,0,0,0,0,0,1");
  EXPECT_EQ(start, csv.size());  // ends with a line break
}

TEST(ConfusionMatrix, CsvNamesClassesAndQuotesWhatNeedsIt) {
  ConfusionMatrix cm;
  cm.add(0, 1);
  const std::vector<std::string> names = {"T-shirt/top", "a, b", "say \"hi\""};
  const std::string csv = cm.toCsv(names);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "true/predicted,T-shirt/top,\"a, b\",\"say \"\"hi\"\"\",3,4,5,6,7,8,9");
  EXPECT_NE(csv.find("\nT-shirt/top,0,1,0,"), std::string::npos);
}

}  // namespace
}  // namespace dl
