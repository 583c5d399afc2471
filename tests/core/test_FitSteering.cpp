// fit's steering hooks: a learning-rate change made in beforeBatch is used from that batch on
// (the optimizer's rate, each BatchLog's learningRate and the size of the weight update), and the
// validation pass hands out every validation row's outputs from its own forward passes, equal to
// predictBatch of the epoch's weights.

#include "SyntheticSource.h"

#include "nn/Model.h"
#include "nn/Optimizer.h"
#include "nn/Trainer.h"

#include <gtest/gtest.h>

using namespace dl;
using dl::test::softmaxRegression;
using dl::test::SyntheticSource;

namespace {

bool sameWeights(const std::vector<Matrix>& a, const std::vector<Matrix>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].rows() != b[i].rows() || a[i].cols() != b[i].cols() || a[i] != b[i]) return false;
  return true;
}

}  // namespace

TEST(FitSteering, ALearningRateSetBeforeABatchIsUsedFromThatBatchOn) {
  setThreadCount(1);
  const SyntheticSource data(160, 12, 10, 11);  // 5 batches of 32
  const ModelSpec spec = softmaxRegression(12, 10, 0.1);
  Model model(spec, 5);
  const std::vector<Matrix> initial = model.weights();
  auto optimizer = Optimizer::create(spec.training.optimizer);
  FitOptions o;
  o.batchSize = 32;
  o.shuffle = false;  // batch k is rows 32k .. 32k+31
  std::vector<BatchLog> logs;
  o.onBatch = [&](const BatchLog& log) { logs.push_back(log); };
  int calls = 0;
  o.beforeBatch = [&](Optimizer& opt) {
    if (++calls == 3) opt.setLearningRate(0.5);  // the third batch on
  };
  const FitResult r = fit(model, *optimizer, data, o);
  ASSERT_FALSE(r.cancelled);
  EXPECT_EQ(calls, 5);
  ASSERT_EQ(logs.size(), 5u);
  EXPECT_DOUBLE_EQ(logs[0].learningRate, 0.1);
  EXPECT_DOUBLE_EQ(logs[1].learningRate, 0.1);
  EXPECT_DOUBLE_EQ(logs[2].learningRate, 0.5);
  EXPECT_DOUBLE_EQ(logs[4].learningRate, 0.5);
  EXPECT_DOUBLE_EQ(optimizer->learningRate(), 0.5);
  EXPECT_EQ(optimizer->iterations(), 5);

  // The same five SGD updates by hand: w -= lr * g with 0.1, 0.1, 0.5, 0.5, 0.5.
  Model manual(spec, 5);
  ASSERT_TRUE(sameWeights(manual.weights(), initial));
  std::vector<ParamRef> params = manual.params();
  Matrix x(32, 12);
  std::vector<uint8_t> labels(32);
  Matrix before, afterSecond;
  for (int k = 0; k < 5; ++k) {
    data.copyRows(32 * k, 32, x, labels.data());
    manual.trainBatch(x, labels.data());
    const double lr = k < 2 ? 0.1 : 0.5;
    if (k == 2) before = params[0].param->value;
    const Matrix grad = params[0].param->grad;
    for (const ParamRef& p : params) p.param->value -= float(lr) * p.param->grad;
    // The third update's size is 0.5 x the gradient, not 0.1 x.
    if (k == 2) {
      EXPECT_TRUE((params[0].param->value - before).isApprox(-0.5f * grad, 1e-6f));
    }
  }
  const std::vector<Matrix> fitted = model.weights(), byHand = manual.weights();
  for (size_t i = 0; i < fitted.size(); ++i) EXPECT_TRUE(fitted[i].isApprox(byHand[i], 1e-5f)) << "tensor " << i;
}

TEST(FitSteering, ValidationOutputsAreTheEpochsPredictionsOfEveryValidationRow) {
  setThreadCount(1);
  const SyntheticSource data(700, 12, 10, 12);
  const ModelSpec spec = softmaxRegression(12, 10, 0.2);
  Model model(spec, 6);
  auto optimizer = Optimizer::create(spec.training.optimizer);
  FitOptions o;
  o.batchSize = 32;  // validation batches of max(32, 256) = 256: 140 rows in one partial batch
  o.epochs = 2;
  o.validationSplit = 0.2;  // rows 560 .. 699 validate
  std::vector<std::pair<int, Matrix>> outputs;
  std::vector<std::vector<Matrix>> epochWeights;
  o.onValidationOutput = [&](int firstRow, const Matrix& p) { outputs.emplace_back(firstRow, p); };
  o.onEpoch = [&](const EpochLog&) { epochWeights.push_back(model.weights()); };
  const FitResult r = fit(model, *optimizer, data, o);
  ASSERT_EQ(r.epochs.size(), 2u);
  ASSERT_EQ(outputs.size(), 2u);  // one (partial) validation batch per epoch
  for (const auto& [firstRow, p] : outputs) {
    EXPECT_EQ(firstRow, 560);
    EXPECT_EQ(p.rows(), 140);
    EXPECT_EQ(p.cols(), 10);
  }
  // Equal to predictBatch of that epoch's weights on those rows; the rows sum to 1.
  for (size_t e = 0; e < 2; ++e) {
    Model check(spec);
    check.setWeights(epochWeights[e]);
    Matrix x(140, 12);
    std::vector<uint8_t> labels(140);
    data.copyRows(560, 140, x, labels.data());
    const Matrix expected = check.predictBatch(x);
    EXPECT_TRUE(outputs[e].second.isApprox(expected, 1e-6f)) << "epoch " << e + 1;
    EXPECT_NEAR(outputs[e].second.row(0).sum(), 1.0f, 1e-5f);
  }
  EXPECT_FALSE(outputs[0].second.isApprox(outputs[1].second));  // the weights moved in between

  // Several validation batches: consecutive first rows covering the validation rows once.
  const SyntheticSource big(3000, 12, 10, 13);
  Model model2(spec, 6);
  auto optimizer2 = Optimizer::create(spec.training.optimizer);
  FitOptions o2;
  o2.validation = &big;
  std::vector<std::pair<int, int>> spans;
  o2.onValidationOutput = [&](int firstRow, const Matrix& p) { spans.emplace_back(firstRow, int(p.rows())); };
  fit(model2, *optimizer2, data, o2);
  ASSERT_EQ(spans.size(), 12u);  // ceil(3000 / 256)
  int next = 0;
  for (const auto& [first, rows] : spans) {
    EXPECT_EQ(first, next);
    next += rows;
  }
  EXPECT_EQ(next, 3000);
}

TEST(FitSteering, NoValidationNoOutputs) {
  const SyntheticSource data(100, 12, 10, 14);
  const ModelSpec spec = softmaxRegression(12, 10, 0.2);
  Model model(spec);
  auto optimizer = Optimizer::create(spec.training.optimizer);
  FitOptions o;
  int calls = 0;
  o.onValidationOutput = [&](int, const Matrix&) { ++calls; };
  fit(model, *optimizer, data, o);
  EXPECT_EQ(calls, 0);
}
