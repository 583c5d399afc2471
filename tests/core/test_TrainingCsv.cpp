// The training log as CSV (train/TrainingCsv.h): byte for byte what the charts' exporter wrote
// before it moved to core (the expected text below was written by TrainingCharts::exportCsv of
// that time, smoothing 0.6, batchesPerEpoch 5), and its row rules on a small run.

#include "train/TrainingCsv.h"

#include <gtest/gtest.h>

#include <QList>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace dl;

namespace {

// A fixed history with the awkward cases: a batch without its own batchesPerEpoch, NaN and
// infinite values, tiny and huge numbers, an epoch without validation and one after the last batch.
void fixedHistory(std::vector<dl::BatchLog>& batches, std::vector<dl::EpochLog>& epochs) {
  const double values[][4] = {
      {2.302585092994, 0.09375, 2.302585092994, 0.09375},
      {1.5, 0.25, 1.901292546497, 0.171875},
      {0.7312345678901, 1.0 / 3, 1.511273220295, 0.2256944444444},
      {1e-5, 0.5, 1e-5, 0.5},
      {std::numeric_limits<double>::quiet_NaN(), 0.5, 0.000123456789, 0.5},
      {6.63220145301e12, 0.625, std::numeric_limits<double>::infinity(), 0.5416666666667},
      {0.1, 0.9999999999999, 0.2, 0.75},
  };
  const int epochOf[] = {1, 1, 1, 2, 2, 2, 3};
  const int batchOf[] = {1, 2, 3, 1, 2, 3, 1};
  for (int i = 0; i < 7; ++i) {
    dl::BatchLog b;
    b.epoch = epochOf[i];
    b.epochs = 4;
    b.batch = batchOf[i];
    b.batchesPerEpoch = i == 4 ? 0 : 3;  // 0: the writer's own batchesPerEpoch applies
    b.loss = values[i][0];
    b.accuracy = values[i][1];
    b.runningLoss = values[i][2];
    b.runningAccuracy = values[i][3];
    batches.push_back(b);
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double epochValues[][4] = {
      {1.511273220295, 0.2256944444444, 1.25, 0.5},
      {0.5, 0.55, nan, nan},
      {0.2, 0.75, 123456789.123456789, 0.87654321},
      {0.15, 0.8, 0.3, -0.0},
  };
  for (int e = 0; e < 4; ++e) {
    dl::EpochLog log;
    log.epoch = e + 1;
    log.epochs = 4;
    log.loss = epochValues[e][0];
    log.accuracy = epochValues[e][1];
    log.valLoss = epochValues[e][2];
    log.valAccuracy = epochValues[e][3];
    epochs.push_back(log);
  }
}

// TrainingCharts::exportCsv's output for fixedHistory() (reset(4, 5), smoothing 0.6).
const char* const kExpected =
    R"csv(step,epoch,batch,loss,accuracy,running_loss,running_accuracy,smoothed_loss,smoothed_accuracy,val_loss,val_accuracy
1,1,1,2.30258509299,0.09375,2.30258509299,0.09375,2.30258509299,0.09375,,
2,1,2,1.5,0.25,1.9012925465,0.171875,1.80096940987,0.19140625,,
3,1,3,0.73123456789,0.333333333333,1.5112732203,0.225694444444,1.25518632723,0.263818027211,,
5,1,,1.5112732203,0.225694444444,,,,,1.25,0.5
4,2,1,1e-05,0.5,1e-05,0.5,0.678358970965,0.372357536765,,
7,2,2,nan,0.5,0.000123456789,0.5,nan,0.427719465649,,
6,2,3,6.63220145301e+12,0.625,inf,0.541666666667,2.87656204589e+12,0.510493588883,,
10,2,,0.5,0.55,,,,,,
7,3,1,0.1,1,0.2,0.75,1.6696264399e+12,0.711935230056,,
15,3,,0.2,0.75,,,,,123456789.123,0.87654321
20,4,,0.15,0.8,,,,,0.3,0
)csv";

}  // namespace

TEST(TrainingCsv, IsByteForByteTheChartsEarlierOutput) {
  std::vector<BatchLog> batches;
  std::vector<EpochLog> epochs;
  fixedHistory(batches, epochs);
  EXPECT_EQ(std::string(trainingCsv(batches, epochs, 5, 0.6).constData()), std::string(kExpected));
}

TEST(TrainingCsv, EmptyLogIsTheHeaderAlone) {
  EXPECT_EQ(trainingCsv({}, {}, 1, 0.9),
            QByteArray("step,epoch,batch,loss,accuracy,running_loss,running_accuracy,smoothed_loss,"
                       "smoothed_accuracy,val_loss,val_accuracy\n"));
}

TEST(TrainingCsv, EpochRowsFollowTheirBatchesWithEmptyBatchColumns) {
  std::vector<BatchLog> batches(4);
  for (int i = 0; i < 4; ++i) {
    batches[size_t(i)].epoch = i / 2 + 1;
    batches[size_t(i)].batch = i % 2 + 1;
    batches[size_t(i)].batchesPerEpoch = 2;
    batches[size_t(i)].loss = batches[size_t(i)].runningLoss = 1;
    batches[size_t(i)].accuracy = batches[size_t(i)].runningAccuracy = 0.5;
  }
  EpochLog first;
  first.epoch = 1;
  first.loss = 1;
  first.accuracy = 0.5;
  first.valLoss = 2;
  first.valAccuracy = 0.25;
  EpochLog second = first;
  second.epoch = 2;
  second.valLoss = second.valAccuracy = std::numeric_limits<double>::quiet_NaN();
  const QList<QByteArray> lines = trainingCsv(batches, {first, second}, 2, 0.0).split('\n');
  ASSERT_EQ(lines.size(), 1 + 4 + 2 + 1);  // header, batches, epochs, the empty piece after the last \n
  EXPECT_EQ(lines[1], "1,1,1,1,0.5,1,0.5,1,0.5,,");
  EXPECT_EQ(lines[3], "2,1,,1,0.5,,,,,2,0.25");
  EXPECT_EQ(lines[5], "4,2,2,1,0.5,1,0.5,1,0.5,,");
  EXPECT_EQ(lines[6], "4,2,,1,0.5,,,,,,");
  EXPECT_TRUE(lines[7].isEmpty());
}

TEST(TrainingCsv, NumbersHaveTwelveSignificantDigits) {
  EXPECT_EQ(csvNumber(1.0 / 3), QStringLiteral("0.333333333333"));
  EXPECT_EQ(csvNumber(1e-5), QStringLiteral("1e-05"));
  EXPECT_EQ(csvNumber(std::numeric_limits<double>::quiet_NaN()), QStringLiteral("nan"));
  EXPECT_EQ(csvNumber(-std::numeric_limits<double>::infinity()), QStringLiteral("-inf"));
}
