// fit/evaluate end to end on the embedded MNIST digits, and fit's Keras semantics: steps per
// epoch, running means, validation_split from the last rows, cancel, seeds, divergence.

#include "data/IdxReader.h"
#include "nn/Trainer.h"

#include <gtest/gtest.h>

#include <atomic>

using namespace dl;

namespace {

const DatasetPair& embedded() {
  static const DatasetPair data = loadEmbeddedMnist();
  return data;
}

Dataset firstRows(const Dataset& d, int n) {
  Dataset out;
  out.rows = d.rows;
  out.cols = d.cols;
  out.count = n;
  out.images.assign(d.images.begin(), d.images.begin() + size_t(n) * d.pixels());
  out.labels.assign(d.labels.begin(), d.labels.begin() + n);
  return out;
}

FitOptions optionsOf(const ModelSpec& spec) {
  FitOptions o;
  o.batchSize = spec.training.batchSize;
  o.epochs = spec.training.epochs;
  o.seed = spec.training.seed;
  return o;
}

}  // namespace

TEST(Training, TutorialMlpReachesTheTutorialsAccuracy) {
  // The tutorial's recipe (SGD 0.2, batch 32, 5 epochs) on 8,000 digits; PyTorch with the same
  // recipe and split reaches 0.93-0.94 test accuracy.
  setThreadCount(2);
  const ModelSpec spec = presetMlp();
  Model model(spec, 1);
  auto opt = Optimizer::create(spec.training.optimizer);
  const FitResult r = fit(model, *opt, embedded().train, optionsOf(spec));
  ASSERT_EQ(r.epochs.size(), 5u);
  EXPECT_LT(r.epochs.back().loss, r.epochs.front().loss);
  const EvalResult test = evaluate(model, embedded().test);
  EXPECT_EQ(test.count, 2000);
  EXPECT_GE(test.accuracy, 0.92);
}

TEST(Training, ShortCnnRunLearns) {
  setThreadCount(2);
  const ModelSpec spec = presetCnn();
  Model model(spec, 1);
  auto opt = Optimizer::create(spec.training.optimizer);
  std::vector<double> batchLosses;
  FitOptions o = optionsOf(spec);
  o.onBatch = [&](const BatchLog& b) { batchLosses.push_back(b.loss); };
  const Dataset train = firstRows(embedded().train, 3000);
  const FitResult r = fit(model, *opt, train, o);
  ASSERT_EQ(batchLosses.size(), 47u);  // ceil(3000 / 64)
  double first = 0, last = 0;
  for (int i = 0; i < 5; ++i) {
    first += batchLosses[size_t(i)];
    last += batchLosses[batchLosses.size() - 1 - size_t(i)];
  }
  EXPECT_LT(last, 0.6 * first);
  EXPECT_GT(evaluate(model, embedded().test).accuracy, 0.6);  // chance is 0.1
}

TEST(Training, StepsRunningMeansAndPartialLastBatchAsKeras) {
  ModelSpec spec = presetMlp();
  Model model(spec, 2);
  auto opt = Optimizer::create(spec.training.optimizer);
  const Dataset train = firstRows(embedded().train, 100);
  FitOptions o;
  o.batchSize = 32;
  o.epochs = 2;
  std::vector<BatchLog> logs;
  o.onBatch = [&](const BatchLog& b) { logs.push_back(b); };
  const FitResult r = fit(model, *opt, train, o);
  ASSERT_EQ(logs.size(), 8u);  // ceil(100/32) = 4 steps per epoch, last one of 4 samples
  EXPECT_EQ(logs[3].samplesSeen, 100);
  EXPECT_EQ(logs[3].batchesPerEpoch, 4);
  // The running mean weights each batch by its size (Keras's Mean with sample_weight=batch).
  double weighted = 0;
  for (int i = 0; i < 4; ++i) weighted += logs[size_t(i)].loss * (i < 3 ? 32 : 4);
  EXPECT_NEAR(logs[3].runningLoss, weighted / 100, 1e-9);
  EXPECT_NEAR(r.epochs[0].loss, logs[3].runningLoss, 1e-12);
  EXPECT_NEAR(r.epochs[1].accuracy, logs[7].runningAccuracy, 1e-12);
  EXPECT_FALSE(r.epochs[0].hasValidation());
}

TEST(Training, ValidationSplitTakesTheLastRowsBeforeShuffling) {
  const ModelSpec spec = presetMlp();
  Model model(spec, 3);
  auto opt = Optimizer::create(spec.training.optimizer);
  const Dataset data = firstRows(embedded().train, 1000);
  FitOptions o;
  o.batchSize = 50;
  o.epochs = 1;
  o.validationSplit = 0.2;
  int64_t trained = 0;
  o.onBatch = [&](const BatchLog& b) { trained = b.samplesSeen; };
  const FitResult r = fit(model, *opt, data, o);
  EXPECT_EQ(trained, 800);
  ASSERT_TRUE(r.epochs[0].hasValidation());
  // The validation figures are those of the last 200 rows.
  Dataset last200;
  last200.count = 200;
  last200.images.assign(data.images.begin() + 800 * 784, data.images.end());
  last200.labels.assign(data.labels.begin() + 800, data.labels.end());
  const EvalResult v = evaluate(model, last200);
  EXPECT_NEAR(r.epochs[0].valLoss, v.loss, 1e-6);  // batch sizes differ: float summation order
  EXPECT_NEAR(r.epochs[0].valAccuracy, v.accuracy, 1e-12);
}

TEST(Training, SameSeedSameRunOtherSeedOtherRun) {
  auto run = [](uint64_t seed) {
    ModelSpec spec = presetMlp();
    Model model(spec, seed);
    auto opt = Optimizer::create(spec.training.optimizer);
    FitOptions o;
    o.batchSize = 32;
    o.epochs = 1;
    o.seed = seed;
    return fit(model, *opt, firstRows(embedded().train, 640), o).epochs[0].loss;
  };
  EXPECT_EQ(run(7), run(7));
  EXPECT_NE(run(7), run(8));
}

TEST(Training, CancelStopsWithinOneBatchAndKeepsWeights) {
  const ModelSpec spec = presetMlp();
  Model model(spec, 4);
  const std::vector<Matrix> before = model.weights();
  auto opt = Optimizer::create(spec.training.optimizer);
  std::atomic<bool> cancel{false};
  int batches = 0;
  FitOptions o;
  o.batchSize = 32;
  o.epochs = 3;
  o.cancel = &cancel;
  o.onBatch = [&](const BatchLog& b) {
    ++batches;
    if (b.batch == 10) cancel = true;
  };
  const FitResult r = fit(model, *opt, embedded().train, o);
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(batches, 10);
  EXPECT_TRUE(r.epochs.empty());
  EXPECT_NE(model.weights()[0], before[0]);  // the 10 steps taken are kept
}

TEST(Training, DivergingRunStopsWithAMessage) {
  ModelSpec spec = presetMlp();
  for (LayerSpec& l : spec.layers)
    if (l.kind == LayerKind::Dense && l.activation == "tanh") l.activation = "relu";
  spec.training.optimizer.learningRate = 1e6;
  Model model(spec, 5);
  auto opt = Optimizer::create(spec.training.optimizer);
  FitOptions o;
  o.batchSize = 32;
  o.epochs = 1;
  const FitResult r = fit(model, *opt, embedded().train, o);
  EXPECT_TRUE(r.diverged);
  EXPECT_NE(r.message.find("lower learning rate"), std::string::npos) << r.message;
}

TEST(Training, RejectsDataOfTheWrongSize) {
  ModelSpec spec = presetMlp();
  spec.inputShape = {100};
  Model model(spec);
  auto opt = Optimizer::create(spec.training.optimizer);
  EXPECT_THROW(fit(model, *opt, embedded().train, FitOptions{}), SpecError);
}
