// fit/evaluate end to end on the embedded MNIST digits, and fit's Keras semantics: steps per
// epoch, running means, validation_split from the last rows, cancel (between batches, after the
// last batch, during validation), seeds, divergence, no allocation per batch; evaluate's single
// pass giving loss, accuracy and classes, and its cancel.

#define DL_TEST_COUNT_ALLOCATIONS
#include "TestDatasets.h"
#include "TestSupport.h"

#include "data/IdxReader.h"
#include "nn/Trainer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <tuple>

using namespace dl;

namespace {

const DatasetPair& embedded() {
  static const DatasetPair data = loadEmbeddedMnist();
  return data;
}

using dl::test::firstRows;
using dl::test::tiled;

// A small convolutional model (conv 5x5x16 'same' relu, 2x2 pool, dense 10): a validation batch
// of 256 takes a few tens of milliseconds.
ModelSpec smallCnn() {
  ModelSpec s;
  s.name = "small_cnn";
  s.inputShape = {28, 28, 1};
  LayerSpec conv;
  conv.kind = LayerKind::Conv2D;
  conv.filters = 16;
  conv.kernelH = conv.kernelW = 5;
  conv.padding = "same";
  conv.activation = "relu";
  LayerSpec pool;
  pool.kind = LayerKind::MaxPooling2D;
  pool.strideH = pool.strideW = 2;
  LayerSpec flatten;
  flatten.kind = LayerKind::Flatten;
  LayerSpec out;
  out.kind = LayerKind::Dense;
  out.units = 10;
  out.activation = "softmax";
  s.layers = {conv, pool, flatten, out};
  s.training.optimizer.type = "adam";
  s.training.optimizer.learningRate = 1e-3;
  s.training.batchSize = 64;
  s.training.epochs = 1;
  return s;
}

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
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
  // recipe and split reaches 0.93-0.94 test accuracy. One seed can land near the line, so the
  // median of three seeds must reach 0.92 (about 0.5 s per run with 2 threads).
  setThreadCount(2);
  const ModelSpec spec = presetMlp();
  std::vector<double> accuracies;
  for (uint64_t seed : {1, 2, 3}) {
    Model model(spec, seed);
    auto opt = Optimizer::create(spec.training.optimizer);
    FitOptions o = optionsOf(spec);
    o.seed = seed;
    const FitResult r = fit(model, *opt, embedded().train, o);
    ASSERT_EQ(r.epochs.size(), 5u);
    EXPECT_LT(r.epochs.back().loss, r.epochs.front().loss);
    const EvalResult test = evaluate(model, embedded().test);
    EXPECT_EQ(test.count, 2000);
    EXPECT_GE(test.accuracy, 0.90) << "seed " << seed;  // no single seed far off
    accuracies.push_back(test.accuracy);
  }
  std::sort(accuracies.begin(), accuracies.end());
  EXPECT_GE(accuracies[1], 0.92) << "accuracies " << accuracies[0] << " " << accuracies[1] << " " << accuracies[2];
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

TEST(Training, DivergingRunReportsWhereTheLossWentNonFinite) {
  ModelSpec spec = presetMlp();
  for (LayerSpec& l : spec.layers)
    if (l.kind == LayerKind::Dense && l.activation == "tanh") l.activation = "relu";
  spec.training.optimizer.learningRate = 1e6;
  Model model(spec, 5);
  auto opt = Optimizer::create(spec.training.optimizer);
  FitOptions o;
  o.batchSize = 32;
  o.epochs = 1;
  int batchesReported = 0;
  o.onBatch = [&](const BatchLog&) { ++batchesReported; };
  const FitResult r = fit(model, *opt, embedded().train, o);
  ASSERT_TRUE(r.diverged());
  // As data, for the caller to word: the batch whose loss was not finite (not reported itself).
  EXPECT_EQ(r.divergence->cause, Divergence::Cause::Loss);
  EXPECT_EQ(r.divergence->epoch, 1);
  EXPECT_EQ(r.divergence->batch, batchesReported + 1);
  EXPECT_FALSE(std::isfinite(r.divergence->loss));
  EXPECT_FALSE(r.cancelled);
  EXPECT_TRUE(r.epochs.empty());
  EXPECT_TRUE(r.message.empty()) << r.message;  // no advice written by fit
}

TEST(Training, RejectsDataOfTheWrongSize) {
  ModelSpec spec = presetMlp();
  spec.inputShape = {100};
  Model model(spec);
  auto opt = Optimizer::create(spec.training.optimizer);
  EXPECT_THROW(fit(model, *opt, embedded().train, FitOptions{}), SpecError);
}

TEST(Training, CancelDuringTheFinalBatchReportsCancelled) {
  // The flag is set while the run's very last batch is being processed (from its callback): fit
  // has no batch left to check it before, but must still say it was cancelled. The epoch itself
  // is complete and is reported; its validation (asked for) does not run.
  const ModelSpec spec = presetMlp();
  for (bool withValidation : {false, true}) {
    SCOPED_TRACE(withValidation ? "with validation" : "without validation");
    Model model(spec, 4);
    auto opt = Optimizer::create(spec.training.optimizer);
    std::atomic<bool> cancel{false};
    FitOptions o;
    o.batchSize = 32;
    o.epochs = 2;
    o.cancel = &cancel;
    const Dataset train = firstRows(embedded().train, 320);
    if (withValidation) o.validation = &embedded().test;
    int validationBatches = 0, epochsReported = 0;
    o.onValidationProgress = [&](int, int) { ++validationBatches; };
    o.onEpoch = [&](const EpochLog&) { ++epochsReported; };
    o.onBatch = [&](const BatchLog& b) {
      if (b.epoch == 2 && b.batch == b.batchesPerEpoch) cancel = true;
    };
    const FitResult r = fit(model, *opt, train, o);
    EXPECT_TRUE(r.cancelled);
    EXPECT_FALSE(r.diverged());
    ASSERT_EQ(r.epochs.size(), 2u);
    EXPECT_EQ(epochsReported, 2);
    EXPECT_EQ(r.epochs[0].hasValidation(), withValidation);
    EXPECT_FALSE(r.epochs[1].hasValidation());
    EXPECT_EQ(r.epochs[1].validationCancelled, withValidation);
    EXPECT_EQ(validationBatches, withValidation ? 8 : 0);  // epoch 1's: ceil(2000/256)
    EXPECT_NE(r.message.find("stopped"), std::string::npos) << r.message;
  }
}

TEST(Training, CancelDuringValidationStopsAtTheNextValidationBatch) {
  setThreadCount(2);
  const ModelSpec spec = smallCnn();
  Model model(spec, 1);
  auto opt = Optimizer::create(spec.training.optimizer);
  const Dataset train = firstRows(embedded().train, 128);
  const Dataset validation = tiled(embedded().train, 4096);  // 16 validation batches of 256
  std::atomic<bool> cancel{false};
  FitOptions o = optionsOf(spec);
  o.validation = &validation;
  o.cancel = &cancel;
  int validated = 0, batches = 0;
  o.onValidationProgress = [&](int done, int total) {
    EXPECT_EQ(total, 4096);
    validated = done;
    ++batches;
    if (batches == 2) cancel = true;  // asked while validating
  };
  std::vector<EpochLog> reported;
  o.onEpoch = [&](const EpochLog& e) { reported.push_back(e); };
  const std::vector<Matrix> before = model.weights();
  const FitResult r = fit(model, *opt, train, o);
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(batches, 2);  // not one validation batch more
  EXPECT_EQ(validated, 512);
  ASSERT_EQ(r.epochs.size(), 1u);
  ASSERT_EQ(reported.size(), 1u);  // the trained epoch is reported, without validation figures
  EXPECT_TRUE(r.epochs[0].validationCancelled);
  EXPECT_TRUE(std::isnan(r.epochs[0].valLoss));
  EXPECT_TRUE(std::isnan(r.epochs[0].valAccuracy));
  EXPECT_GT(r.epochs[0].accuracy, 0.0);
  EXPECT_NE(model.weights()[0], before[0]);  // the epoch's training is kept
}

TEST(Training, StopFromAnotherThreadAfterTheLastBatchCutsValidationShort) {
  // As the GUI's Stop (or closing the window) does: another thread sets the flag once training
  // has finished its last batch. fit must return after a small part of the validation pass, not
  // after all of it (measured in validation batches, and in time against a full pass).
  setThreadCount(2);
  const ModelSpec spec = smallCnn();
  Model model(spec, 1);
  auto opt = Optimizer::create(spec.training.optimizer);
  const Dataset train = firstRows(embedded().train, 128);
  const Dataset validation = tiled(embedded().train, 4096);
  const auto tFull = std::chrono::steady_clock::now();
  evaluate(model, validation, 256);
  const double fullPass = secondsSince(tFull);

  std::atomic<bool> cancel{false}, lastBatchDone{false};
  std::atomic<int> validationBatches{0};
  std::chrono::steady_clock::time_point tLast;
  FitOptions o = optionsOf(spec);
  o.validation = &validation;
  o.cancel = &cancel;
  o.onBatch = [&](const BatchLog& b) {
    if (b.batch == b.batchesPerEpoch) {
      tLast = std::chrono::steady_clock::now();
      lastBatchDone = true;
    }
  };
  o.onValidationProgress = [&](int, int) { ++validationBatches; };
  std::thread stopper([&] {
    while (!lastBatchDone) std::this_thread::yield();
    cancel = true;
  });
  const FitResult r = fit(model, *opt, train, o);
  const double afterLastBatch = secondsSince(tLast);
  stopper.join();
  EXPECT_TRUE(r.cancelled);
  ASSERT_EQ(r.epochs.size(), 1u);
  EXPECT_TRUE(r.epochs[0].validationCancelled);
  // Typically 0-1 batches; the margin is for a loaded machine descheduling the stopper thread.
  EXPECT_LE(validationBatches.load(), 8) << "of 16";
  EXPECT_LT(afterLastBatch, 0.75 * fullPass) << "full validation pass " << fullPass << " s";
}

TEST(Training, InitialEpochNumbersTheEpochsAndContinuesAnUninterruptedRun) {
  // Keras's fit(epochs=3, initial_epoch=1) after fit(epochs=1): epochs 2..3 are trained and logged
  // as such. Plain SGD keeps no state and this model has no dropout, so 1 + 2 epochs must give
  // exactly the weights of one 3-epoch run (same seed: the shuffles continue the sequence).
  setThreadCount(2);
  ModelSpec spec = presetMlp();
  spec.layers = {spec.layers[0], spec.layers[4]};  // dense 200 tanh, dense 10 softmax
  const Dataset train = firstRows(embedded().train, 320);
  FitOptions o = optionsOf(spec);
  o.batchSize = 64;

  Model whole(spec, 3);
  auto wholeOpt = Optimizer::create(spec.training.optimizer);
  o.epochs = 3;
  const FitResult all = fit(whole, *wholeOpt, train, o);
  ASSERT_EQ(all.epochs.size(), 3u);

  Model parts(spec, 3);
  auto firstOpt = Optimizer::create(spec.training.optimizer);
  o.epochs = 1;
  fit(parts, *firstOpt, train, o);
  auto secondOpt = Optimizer::create(spec.training.optimizer);  // fresh, as a continued run's
  std::vector<BatchLog> logs;
  o.epochs = 3;
  o.initialEpoch = 1;
  o.onBatch = [&](const BatchLog& b) { logs.push_back(b); };
  const FitResult rest = fit(parts, *secondOpt, train, o);

  ASSERT_EQ(rest.epochs.size(), 2u);
  EXPECT_EQ(rest.epochs[0].epoch, 2);
  EXPECT_EQ(rest.epochs[1].epoch, 3);
  EXPECT_EQ(rest.epochs[1].epochs, 3);
  ASSERT_EQ(logs.size(), 10u);  // 2 epochs of 5 batches
  EXPECT_EQ(logs.front().epoch, 2);
  EXPECT_EQ(logs.front().batch, 1);
  EXPECT_EQ(logs.front().epochs, 3);
  EXPECT_EQ(logs.back().epoch, 3);
  EXPECT_EQ(rest.epochs[1].loss, all.epochs[2].loss);
  const std::vector<Matrix> a = whole.weights(), b = parts.weights();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]) << "weight " << i;

  o.initialEpoch = 3;  // nothing left to train: refused, as an empty run would be
  EXPECT_THROW(fit(parts, *secondOpt, train, o), SpecError);
}

TEST(Training, EvaluateGivesLossAccuracyAndClassesFromOnePassPerBatch) {
  setThreadCount(2);
  const ModelSpec spec = presetMlp();
  Model model(spec, 6);
  auto opt = Optimizer::create(spec.training.optimizer);
  FitOptions o = optionsOf(spec);
  o.epochs = 1;
  fit(model, *opt, firstRows(embedded().train, 2000), o);
  const Dataset& test = embedded().test;

  std::vector<int> predicted;
  int progressCalls = 0, lastDone = 0;
  EvalOptions e;
  e.batchSize = 256;
  e.predicted = &predicted;
  e.onProgress = [&](int done, int total) {
    EXPECT_EQ(total, test.count);
    ++progressCalls;
    lastDone = done;
  };
  const EvalResult r = evaluate(model, test, e);
  EXPECT_FALSE(r.cancelled);
  EXPECT_EQ(r.count, test.count);
  EXPECT_EQ(progressCalls, (test.count + 255) / 256);  // one forward pass per batch
  EXPECT_EQ(lastDone, test.count);
  // The same figures as evaluate() and predictClasses() computing them separately.
  const EvalResult separate = evaluate(model, test, 256);
  EXPECT_NEAR(r.loss, separate.loss, 1e-12);
  EXPECT_EQ(r.accuracy, separate.accuracy);
  EXPECT_EQ(predicted, predictClasses(model, test));
  int correct = 0;
  for (int i = 0; i < test.count; ++i) correct += predicted[size_t(i)] == test.labels[size_t(i)];
  EXPECT_EQ(double(correct) / test.count, r.accuracy);
}

TEST(Training, CancelledEvaluationReportsNoFigures) {
  const ModelSpec spec = presetMlp();
  Model model(spec, 6);
  std::vector<int> predicted{1, 2, 3};
  int batches = 0;
  EvalOptions e;
  e.batchSize = 256;
  e.predicted = &predicted;
  e.onProgress = [&](int, int) { ++batches; };
  e.cancel = [&] { return batches == 3; };
  const EvalResult r = evaluate(model, embedded().test, e);
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(batches, 3);
  EXPECT_EQ(r.count, 768);
  EXPECT_TRUE(std::isnan(r.loss));
  EXPECT_TRUE(std::isnan(r.accuracy));
  EXPECT_TRUE(predicted.empty());
}

TEST(Training, WeightsThatOverflowEndTheEpochAsDiverged) {
  // A learning rate beyond float range makes the first update infinite while that batch's loss
  // was finite. With one batch per epoch no later loss would notice: fit must not report the
  // epoch (its weights are not a model) and must say it diverged.
  ModelSpec spec = presetMlp();
  spec.training.optimizer.learningRate = 1e39;
  Model model(spec, 5);
  auto opt = Optimizer::create(spec.training.optimizer);
  FitOptions o;
  o.batchSize = 32;
  o.epochs = 3;
  int epochsReported = 0;
  o.onEpoch = [&](const EpochLog&) { ++epochsReported; };
  const FitResult r = fit(model, *opt, firstRows(embedded().train, 32), o);
  ASSERT_TRUE(r.diverged());
  EXPECT_EQ(r.divergence->cause, Divergence::Cause::Weights);
  EXPECT_EQ(r.divergence->epoch, 1);
  EXPECT_EQ(r.divergence->batch, 0);
  EXPECT_TRUE(r.epochs.empty());
  EXPECT_EQ(epochsReported, 0);
}

TEST(Training, FullBatchesAllocateNothingOnceWarm) {
  // Between two batches of an epoch (gather, forward, loss, backward, optimizer step) nothing is
  // allocated once the first batches have sized every buffer. Conv, pooling, dropout and Adam.
  if (!dl::test::allocationCountingWorks()) GTEST_SKIP() << "allocation counting needs glibc";
  setThreadCount(2);
  ModelSpec spec = smallCnn();
  LayerSpec hidden;
  hidden.kind = LayerKind::Dense;
  hidden.units = 32;
  hidden.activation = "relu";
  LayerSpec dropout;
  dropout.kind = LayerKind::Dropout;
  dropout.rate = 0.3;
  spec.layers.insert(spec.layers.end() - 1, {hidden, dropout});
  Model model(spec, 1);
  auto opt = Optimizer::create(spec.training.optimizer);
  FitOptions o;
  o.batchSize = 16;
  o.epochs = 2;
  const Dataset train = firstRows(embedded().train, 16 * 6);  // full batches only
  // onBatch runs after its batch: batch k's work lies between callback k-1's end and callback k.
  // Checked from batch 3 of epoch 1 (the first step creates Adam's state) and from batch 2 of
  // epoch 2 (an epoch's end records its log).
  struct Window {
    int epoch, batch;
    long allocations;
  };
  std::vector<Window> windows;
  windows.reserve(64);
  long lastEnd = 0;
  o.onBatch = [&](const BatchLog& b) {
    const long now = dl::test::allocationCount();
    if (b.batch >= (b.epoch == 1 ? 3 : 2)) windows.push_back({b.epoch, b.batch, now - lastEnd});
    lastEnd = dl::test::allocationCount();
  };
  const FitResult r = fit(model, *opt, train, o);
  ASSERT_EQ(r.epochs.size(), 2u);
  ASSERT_EQ(windows.size(), 9u);
  for (const Window& w : windows) EXPECT_EQ(w.allocations, 0) << "epoch " << w.epoch << " batch " << w.batch;
}

namespace {

// A BatchSource that is not a Dataset: rows kept as a Matrix of its own (nn/ only), counting how
// fit and evaluate ask for them.
class MatrixSource : public BatchSource {
 public:
  explicit MatrixSource(const Dataset& d) : m_x(ConstMatrixMap(d.images.data(), d.count, d.pixels())), m_y(d.labels) {}
  int rowCount() const override { return int(m_x.rows()); }
  int featureSize() const override { return int(m_x.cols()); }
  void gatherRows(const int* rows, int n, Matrix& x, uint8_t* labels) const override {
    ++gathers;
    for (int i = 0; i < n; ++i) {
      x.row(i) = m_x.row(rows[i]);
      labels[i] = m_y[size_t(rows[i])];
    }
  }
  void copyRows(int first, int n, Matrix& x, uint8_t* labels) const override {
    ++copies;
    x.topRows(n) = m_x.middleRows(first, n);
    std::copy_n(m_y.data() + first, n, labels);
  }
  mutable int gathers = 0, copies = 0;

 private:
  Matrix m_x;
  std::vector<uint8_t> m_y;
};

}  // namespace

TEST(Training, AnyBatchSourceTrainsExactlyAsTheDataset) {
  // fit and evaluate read rows only through BatchSource: a source of another kind holding the same
  // rows gives bit-identical epochs, validation figures and weights.
  setThreadCount(2);
  const Dataset train = firstRows(embedded().train, 1000), validation = firstRows(embedded().test, 300);
  const MatrixSource trainSource(train), validationSource(validation);
  const ModelSpec spec = presetMlp();
  auto run = [&](const BatchSource& t, const BatchSource& v) {
    Model model(spec, 3);
    auto opt = Optimizer::create(spec.training.optimizer);
    FitOptions o = optionsOf(spec);
    o.epochs = 2;
    o.validation = &v;
    const FitResult r = fit(model, *opt, t, o);
    const EvalResult e = evaluate(model, v, 128);
    return std::make_tuple(r.epochs, model.weights(), e.loss, predictClasses(model, v));
  };
  const auto [epochsA, weightsA, lossA, classesA] = run(train, validation);
  const auto [epochsB, weightsB, lossB, classesB] = run(trainSource, validationSource);
  EXPECT_EQ(trainSource.gathers, 2 * ((1000 + 31) / 32));  // one gather per batch
  EXPECT_GT(validationSource.copies, 0);
  ASSERT_EQ(epochsA.size(), 2u);
  ASSERT_EQ(epochsB.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(epochsA[i].loss, epochsB[i].loss);
    EXPECT_EQ(epochsA[i].accuracy, epochsB[i].accuracy);
    EXPECT_EQ(epochsA[i].valLoss, epochsB[i].valLoss);
    EXPECT_EQ(epochsA[i].valAccuracy, epochsB[i].valAccuracy);
  }
  ASSERT_EQ(weightsA.size(), weightsB.size());
  for (size_t i = 0; i < weightsA.size(); ++i) EXPECT_TRUE(weightsA[i] == weightsB[i]) << "weight tensor " << i;
  EXPECT_EQ(lossA, lossB);
  EXPECT_EQ(classesA, classesB);
}
