// The learning-rate range test (nn/LrRangeTest.h) on a tiny softmax regression: the sweep is
// exponential from minLr to maxLr, the smoothed loss is fastai's debiased moving average, the
// given weights are never changed, a loss that blows up stops the sweep, the suggestion is the
// steepest descent of the smoothed curve (and lies within the sweep), a cancel stops it, and a
// small dataset is swept over again rather than giving a handful of points.

#include "SyntheticSource.h"

#include "nn/LrRangeTest.h"
#include "nn/Model.h"
#include "nn/Optimizer.h"
#include "nn/Trainer.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace dl;
using dl::test::softmaxRegression;
using dl::test::SyntheticSource;

TEST(LrRangeTest, SweepsExponentiallyWithFastaisSmoothedLossAndLeavesTheWeightsAlone) {
  setThreadCount(1);
  const SyntheticSource data(4000, 12, 10, 21);  // 125 batches of 32 in one pass
  const ModelSpec spec = softmaxRegression(12, 10, 0.01);
  Model model(spec, 3);
  const std::vector<Matrix> weights = model.weights();
  LrRangeOptions o;
  o.minLr = 1e-3;
  o.maxLr = 10;
  o.steps = 100;
  int reported = 0;
  o.onPoint = [&](const LrRangePoint&, int done, int total) {
    EXPECT_EQ(done, ++reported);
    EXPECT_EQ(total, 100);
  };
  const LrRangeResult r = lrRangeTest(spec, weights, data, o);
  EXPECT_FALSE(r.cancelled);
  EXPECT_FALSE(r.diverged);
  EXPECT_EQ(r.plannedSteps, 100);
  ASSERT_EQ(r.points.size(), 100u);
  EXPECT_EQ(reported, 100);

  // lr_i = minLr * (maxLr/minLr)^(i/99): strictly increasing, constant ratio, ends on maxLr.
  EXPECT_DOUBLE_EQ(r.points.front().learningRate, 1e-3);
  EXPECT_DOUBLE_EQ(r.points.back().learningRate, 10.0);
  const double ratio = std::pow(1e4, 1.0 / 99);
  for (size_t i = 1; i < r.points.size(); ++i) {
    EXPECT_GT(r.points[i].learningRate, r.points[i - 1].learningRate);
    EXPECT_NEAR(r.points[i].learningRate / r.points[i - 1].learningRate, ratio, 1e-9);
  }
  // Debiased EMA, beta 0.98: s_0 = loss_0; s_1 = (0.98*0.02*l0 + 0.02*l1) / (1 - 0.98^2).
  EXPECT_DOUBLE_EQ(r.points[0].smoothedLoss, r.points[0].loss);
  EXPECT_NEAR(r.points[1].smoothedLoss, (0.98 * 0.02 * r.points[0].loss + 0.02 * r.points[1].loss) / (1 - 0.98 * 0.98),
              1e-12);
  // It learns as the rate grows: the smoothed loss falls well below where it started.
  double lowest = r.points.front().smoothedLoss;
  for (const LrRangePoint& p : r.points) lowest = std::min(lowest, p.smoothedLoss);
  EXPECT_LT(lowest, 0.8 * r.points.front().smoothedLoss);

  // The suggestion is a rate of the sweep, fastai's valley of the smoothed curve (trimmed as
  // lr_find trims: the first N/10 and the last 5 points); steep is reported beside it.
  ASSERT_GE(r.suggestionIndex, 0);
  EXPECT_EQ(r.suggestion, r.points[size_t(r.suggestionIndex)].learningRate);
  EXPECT_GE(r.suggestion, o.minLr);
  EXPECT_LE(r.suggestion, o.maxLr);
  EXPECT_EQ(r.suggestionIndex, valleyIndex(r.points, 10, 5));
  EXPECT_EQ(r.steepestIndex, steepestDescentIndex(r.points, 10, 5));
  EXPECT_GE(r.suggestionIndex, 10);
  EXPECT_LT(r.suggestionIndex, 95);

  // The weights given (and the model they came from) are unchanged.
  const std::vector<Matrix> after = model.weights();
  for (size_t i = 0; i < weights.size(); ++i) EXPECT_EQ(after[i], weights[i]);

  // Same request, same curve.
  o.onPoint = nullptr;
  const LrRangeResult again = lrRangeTest(spec, weights, data, o);
  ASSERT_EQ(again.points.size(), r.points.size());
  for (size_t i = 0; i < r.points.size(); ++i) EXPECT_EQ(again.points[i].loss, r.points[i].loss);
}

TEST(LrRangeTest, StopsWhenTheSmoothedLossExceedsFourTimesTheBest) {
  setThreadCount(1);
  const SyntheticSource data(4000, 12, 10, 22);
  const ModelSpec spec = softmaxRegression(12, 10, 0.01);
  LrRangeOptions o;
  o.minLr = 1e-3;
  o.maxLr = 1e6;  // certain to blow up
  o.steps = 120;
  const LrRangeResult r = lrRangeTest(spec, {}, data, o);
  EXPECT_TRUE(r.diverged);
  EXPECT_FALSE(r.cancelled);
  ASSERT_GE(r.points.size(), 2u);
  EXPECT_LT(r.points.size(), 120u);
  // The first tenth of the sweep (12 batches) is the smoothing's warm-up: not compared.
  const size_t warmUp = 12;
  ASSERT_GT(r.points.size(), warmUp);
  double best = r.points[warmUp].smoothedLoss;
  for (size_t i = warmUp; i + 1 < r.points.size(); ++i) {
    best = std::min(best, r.points[i].smoothedLoss);
    EXPECT_LE(r.points[i].smoothedLoss, 4 * best) << "should have stopped at point " << i;
  }
  // The last recorded point is the one that crossed 4x the best (the losses stay finite here).
  EXPECT_GT(r.points.back().smoothedLoss, 4 * best);
  for (const LrRangePoint& p : r.points) EXPECT_TRUE(std::isfinite(p.loss));
  if (r.suggestionIndex >= 0) {
    EXPECT_LT(r.suggestion, r.points.back().learningRate);
  }
}

// A trained model's batch losses differ by far more than 4x from one sample to the next: fastai's
// rule (4x the best smoothed loss so far, from the first batch on) stopped such a sweep after a
// couple of batches. With the warm-up a sweep of small rates runs to its end.
TEST(LrRangeTest, ATrainedModelsNoisyFirstBatchesDoNotStopTheSweep) {
  setThreadCount(1);
  const SyntheticSource data(2000, 12, 10, 5);
  const ModelSpec spec = softmaxRegression(12, 10, 2.0);
  Model model(spec, 1);
  auto sgd = Optimizer::create(spec.training.optimizer);
  FitOptions fo;
  fo.batchSize = 32;
  fo.epochs = 60;  // the classes are separable: most samples end up with a loss near 0
  fit(model, *sgd, data, fo);
  LrRangeOptions o;
  o.minLr = 1e-7;
  o.maxLr = 1e-5;  // too small to change the weights much: no divergence to find
  o.steps = 100;
  o.batchSize = 1;  // one sample per batch: the noisiest curve
  const LrRangeResult r = lrRangeTest(spec, model.weights(), data, o);
  // The per-sample losses really are that uneven (what stopped the old rule).
  double lo = r.points.front().loss, hi = lo;
  for (size_t i = 0; i < 10; ++i) {
    lo = std::min(lo, r.points[i].loss);
    hi = std::max(hi, r.points[i].loss);
  }
  EXPECT_GT(hi, 4 * lo);
  EXPECT_FALSE(r.diverged);
  EXPECT_EQ(r.points.size(), 100u);
  // What fastai's rule would have done with this curve: stopped within the first tenth.
  double best = r.points.front().smoothedLoss;
  size_t fastaiStop = r.points.size();
  for (size_t i = 0; i < r.points.size() && fastaiStop == r.points.size(); ++i) {
    best = std::min(best, r.points[i].smoothedLoss);
    if (r.points[i].smoothedLoss > 4 * best) fastaiStop = i;
  }
  EXPECT_LT(fastaiStop, 10u);
}

TEST(LrRangeTest, SmallDataIsSweptOverAgainAndACancelStopsBeforeTheNextBatch) {
  const SyntheticSource data(100, 12, 10, 23);  // 4 batches per pass
  const ModelSpec spec = softmaxRegression(12, 10, 0.01);
  LrRangeOptions o;
  o.maxLr = 1e-2;
  const LrRangeResult r = lrRangeTest(spec, {}, data, o);
  EXPECT_EQ(r.plannedSteps, LrRangeResult::kMinSteps);  // not 200, not 4
  EXPECT_EQ(int(r.points.size()), LrRangeResult::kMinSteps);
  EXPECT_DOUBLE_EQ(r.points.back().learningRate, 1e-2);
  o.steps = 20;  // fewer asked than the minimum: as asked
  EXPECT_EQ(lrRangeTest(spec, {}, data, o).plannedSteps, 20);

  std::atomic<bool> cancel = false;
  o.steps = 200;
  o.cancel = &cancel;
  o.onPoint = [&](const LrRangePoint&, int done, int) {
    if (done == 7) cancel.store(true);
  };
  const LrRangeResult stopped = lrRangeTest(spec, {}, data, o);
  EXPECT_TRUE(stopped.cancelled);
  EXPECT_EQ(stopped.points.size(), 7u);
}

TEST(LrRangeTest, SteepestDescentIsFastaisSteepOnTheLogRate) {
  // Rates 1, 10, 100, 1000, 10000; smoothed losses 2.0, 1.9, 1.0, 0.8, 3.0: the steepest fall per
  // decade is from 10 to 100 (-0.9), so the suggestion is 10 (fastai: lrs[argmin(grads)]).
  std::vector<LrRangePoint> points;
  const double losses[] = {2.0, 1.9, 1.0, 0.8, 3.0};
  for (int i = 0; i < 5; ++i) points.push_back({std::pow(10.0, i), losses[i], losses[i]});
  EXPECT_EQ(steepestDescentIndex(points, 0, 0), 1);
  // A trim that would leave fewer than 3 points is dropped.
  EXPECT_EQ(steepestDescentIndex(points, 2, 2), 1);
  // The trim applies when enough remain: without point 1 the steepest is from 100 to 1000.
  EXPECT_EQ(steepestDescentIndex(points, 2, 0), 2);
  EXPECT_EQ(steepestDescentIndex({}, 0, 0), -1);
  EXPECT_EQ(steepestDescentIndex({points[0]}, 0, 0), -1);
}

TEST(LrRangeTest, ValleyIsFastaisValley) {
  // Smoothed losses 3, 2.9, 2.5, 2.6, 2.0, 1.5, 1.2, 1.0, 0.9, 5.0 (rates 10^i): the longest
  // decreasing run ends at i = 8 with length 8 (3, 2.9, 2.5, 2.0, ..., 0.9), taken to start at
  // 8 - 8 = 0; a third of it is 2 (int(8/3)), a sixth 1 (int(8/3/2)): the suggestion is point 3.
  const double losses[] = {3, 2.9, 2.5, 2.6, 2.0, 1.5, 1.2, 1.0, 0.9, 5.0};
  std::vector<LrRangePoint> points;
  for (int i = 0; i < 10; ++i) points.push_back({std::pow(10.0, i), losses[i], losses[i]});
  EXPECT_EQ(valleyIndex(points, 0, 0), 3);
  // Trimmed to points 2..8 (2.5, 2.6, 2.0, 1.5, 1.2, 1.0, 0.9): the run 2.5, 2.0, ..., 0.9 ends at
  // 6 (of the trimmed) with length 6, start 0, a third 2, a sixth 1: trimmed point 3, point 5.
  EXPECT_EQ(valleyIndex(points, 2, 1), 5);
  // Steep on the same points: the biggest fall per decade is 2.6 -> 2.0 (-0.6), from point 3.
  EXPECT_EQ(steepestDescentIndex(points, 0, 0), 3);
  EXPECT_EQ(valleyIndex({}, 0, 0), -1);
  EXPECT_EQ(valleyIndex({points[0]}, 0, 0), -1);
}

TEST(LrRangeTest, RejectsBadOptionsAndWeightsThatDoNotFit) {
  const SyntheticSource data(100, 12, 10, 24);
  const ModelSpec spec = softmaxRegression(12, 10, 0.01);
  LrRangeOptions o;
  o.minLr = 1;
  o.maxLr = 0.1;
  EXPECT_THROW(lrRangeTest(spec, {}, data, o), SpecError);
  o = LrRangeOptions{};
  o.steps = 1;
  EXPECT_THROW(lrRangeTest(spec, {}, data, o), SpecError);
  o = LrRangeOptions{};
  EXPECT_THROW(lrRangeTest(spec, {Matrix(2, 2)}, data, o), SpecError);
  const SyntheticSource wrongSize(100, 11, 10, 25);
  EXPECT_THROW(lrRangeTest(spec, {}, wrongSize, o), SpecError);
}
