// Keras's EarlyStopping, ReduceLROnPlateau and ModelCheckpoint (nn/Callbacks.h) on scripted
// sequences of epoch logs, with the expected counters, decisions and lines worked out by hand from
// keras/src/callbacks/early_stopping.py, reduce_lr_on_plateau.py and model_checkpoint.py; and fit
// driving them on a tiny data set (stopping at the expected epoch, restoring the best epoch's
// weights, lowering the rate the next epoch uses).

#include "nn/Callbacks.h"
#include "nn/Model.h"
#include "nn/Optimizer.h"
#include "nn/Trainer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace dl;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

ModelSpec tinySpec() {
  ModelSpec s;
  s.inputShape = {4};
  LayerSpec out;
  out.kind = LayerKind::Dense;
  out.units = 10;
  out.activation = "softmax";
  s.layers = {out};
  s.training.optimizer.type = "sgd";
  s.training.optimizer.learningRate = 0.1;
  s.training.batchSize = 4;
  return s;
}

EpochLog logWith(double loss, double valLoss = kNaN, double accuracy = 0.5, double valAccuracy = kNaN) {
  EpochLog e;
  e.loss = loss;
  e.accuracy = accuracy;
  e.valLoss = valLoss;
  e.valAccuracy = std::isnan(valLoss) ? kNaN : valAccuracy;
  return e;
}

// Every weight set to `value`: which epoch's weights a model holds can then be read off one entry.
void fillWeights(Model& model, float value) {
  std::vector<Matrix> w = model.weights();
  for (Matrix& m : w) m.setConstant(value);
  model.setWeights(w);
}

// Runs a callback over val_loss values (epochs 0, 1, ...), the model's weights filled with the
// epoch's index before each; returns every report, the training end's last (after `stopAt` or the
// last value).
struct ScriptedRun {
  std::vector<CallbackReport> epochs;
  CallbackReport end;
  int epochsRun = 0;
};

ScriptedRun runValLoss(Callback& c, Model& model, Optimizer& opt, const std::vector<double>& values,
                       bool validation = true) {
  ScriptedRun r;
  c.onTrainBegin(model, opt);
  for (size_t i = 0; i < values.size(); ++i) {
    fillWeights(model, float(i));
    CallbackReport report;
    c.onEpochEnd(int(i), validation ? logWith(1.0, values[i]) : logWith(values[i]), model, opt, report);
    r.epochs.push_back(report);
    ++r.epochsRun;
    if (report.stopTraining) break;
  }
  c.onTrainEnd(model, opt, r.end);
  return r;
}

struct Fixture : ::testing::Test {
  Model model{tinySpec()};
  std::unique_ptr<Optimizer> opt = Optimizer::create(tinySpec().training.optimizer);
};

using EarlyStoppingTest = Fixture;
using ReduceLROnPlateauTest = Fixture;
using ModelCheckpointTest = Fixture;

TEST_F(EarlyStoppingTest, CountsPatienceFromTheLastImprovementAndSaysWhereItStopped) {
  EarlyStoppingSpec s;
  s.enabled = true;
  s.patience = 2;
  EarlyStopping es(s);
  // 1.0 best, 0.9 best, 0.95 wait 1, 0.91 wait 2 >= patience: stop after epoch index 3.
  const ScriptedRun r = runValLoss(es, model, *opt, {1.0, 0.9, 0.95, 0.91, 0.5});
  EXPECT_EQ(r.epochsRun, 4);
  EXPECT_FALSE(r.epochs[2].stopTraining);
  EXPECT_TRUE(r.epochs[3].stopTraining);
  EXPECT_EQ(es.stoppedEpoch(), 3);
  EXPECT_EQ(es.bestEpoch(), 1);
  EXPECT_DOUBLE_EQ(*es.best(), 0.9);
  EXPECT_EQ(r.end.messages, std::vector<std::string>{"Epoch 4: early stopping"});
  EXPECT_FALSE(es.restoredWeights());
  EXPECT_EQ(model.weights()[0](0, 0), 3.0f);  // no restore asked: the last epoch's weights stay
}

TEST_F(EarlyStoppingTest, PatienceZeroStopsAtTheFirstEpochWithoutImprovement) {
  EarlyStoppingSpec s;
  s.enabled = true;
  EarlyStopping es(s);
  const ScriptedRun r = runValLoss(es, model, *opt, {1.0, 1.0, 0.1});  // equal is no improvement
  EXPECT_EQ(r.epochsRun, 2);
  EXPECT_EQ(r.end.messages, std::vector<std::string>{"Epoch 2: early stopping"});
}

TEST_F(EarlyStoppingTest, MinDeltaInMinModeAsksForADropOfAtLeastMinDelta) {
  EarlyStoppingSpec s;
  s.enabled = true;
  s.patience = 3;
  s.minDelta = 0.05;
  EarlyStopping es(s);
  CallbackReport report;
  es.onTrainBegin(model, *opt);
  es.onEpochEnd(0, logWith(1, 1.0), model, *opt, report);
  es.onEpochEnd(1, logWith(1, 0.96), model, *opt, report);  // 0.96 + 0.05 < 1.0? no
  EXPECT_EQ(es.wait(), 1);
  EXPECT_DOUBLE_EQ(*es.best(), 1.0);
  es.onEpochEnd(2, logWith(1, 0.94), model, *opt, report);  // 0.99 < 1.0: improvement
  EXPECT_EQ(es.wait(), 0);
  EXPECT_DOUBLE_EQ(*es.best(), 0.94);
  es.onEpochEnd(3, logWith(1, 0.90), model, *opt, report);  // 0.95 < 0.94? no
  EXPECT_EQ(es.wait(), 1);
  EXPECT_FALSE(report.stopTraining);
}

TEST_F(EarlyStoppingTest, MinDeltaInMaxModeAsksForARiseAndAutoMaximizesAccuracy) {
  EarlyStoppingSpec s;
  s.enabled = true;
  s.monitor = "val_accuracy";  // mode "auto": an accuracy goes up
  s.patience = 2;
  s.minDelta = 0.03;
  EarlyStopping es(s);
  CallbackReport report;
  es.onTrainBegin(model, *opt);
  es.onEpochEnd(0, logWith(1, 1, 0.5, 0.50), model, *opt, report);
  es.onEpochEnd(1, logWith(1, 1, 0.5, 0.52), model, *opt, report);  // 0.49 > 0.50? no
  EXPECT_EQ(es.wait(), 1);
  es.onEpochEnd(2, logWith(1, 1, 0.5, 0.56), model, *opt, report);  // 0.53 > 0.50: yes
  EXPECT_EQ(es.wait(), 0);
  EXPECT_DOUBLE_EQ(*es.best(), 0.56);
  es.onEpochEnd(3, logWith(1, 1, 0.5, 0.57), model, *opt, report);  // 0.54 > 0.56? no
  es.onEpochEnd(4, logWith(1, 1, 0.5, 0.40), model, *opt, report);
  EXPECT_TRUE(report.stopTraining);
  EXPECT_EQ(es.stoppedEpoch(), 4);

  // mode "min" on an accuracy: lower is better now.
  s.mode = "min";
  s.minDelta = 0;
  EarlyStopping down(s);
  down.onTrainBegin(model, *opt);
  CallbackReport r2;
  down.onEpochEnd(0, logWith(1, 1, 0.5, 0.50), model, *opt, r2);
  down.onEpochEnd(1, logWith(1, 1, 0.5, 0.40), model, *opt, r2);
  EXPECT_DOUBLE_EQ(*down.best(), 0.40);
}

TEST_F(EarlyStoppingTest, ABaselineNotBeatenKeepsCountingAndRestoresTheBestEpoch) {
  EarlyStoppingSpec s;
  s.enabled = true;
  s.patience = 2;
  s.hasBaseline = true;
  s.baseline = 0.5;
  s.restoreBestWeights = true;
  EarlyStopping es(s);
  // 0.8 (best, wait 1: not below the baseline), 0.7 (best, wait 2, an improvement returns before
  // the patience check), 0.7 (wait 3 >= 2: stop). Best epoch: index 1.
  const ScriptedRun r = runValLoss(es, model, *opt, {0.8, 0.7, 0.7, 0.1});
  EXPECT_EQ(r.epochsRun, 3);
  EXPECT_EQ(es.stoppedEpoch(), 2);
  EXPECT_EQ(r.end.messages, (std::vector<std::string>{"Epoch 3: early stopping",
                                                      "Restoring model weights from the end of the best epoch: 2."}));
  for (const Matrix& m : model.weights()) EXPECT_TRUE((m.array() == 1.0f).all());  // epoch index 1's
  EXPECT_TRUE(es.restoredWeights());
}

TEST_F(EarlyStoppingTest, ABeatenBaselineResetsTheWaitLikeAnyImprovement) {
  EarlyStoppingSpec s;
  s.enabled = true;
  s.patience = 1;
  s.hasBaseline = true;
  s.baseline = 0.5;
  EarlyStopping es(s);
  const ScriptedRun r = runValLoss(es, model, *opt, {0.4, 0.3, 0.3});
  EXPECT_EQ(r.epochsRun, 3);  // 0.4 and 0.3 beat the baseline (wait 0), 0.3 again: wait 1: stop
  EXPECT_EQ(es.stoppedEpoch(), 2);
}

TEST_F(EarlyStoppingTest, Keras3RestoresTheBestWeightsAtTheEndEvenWithoutStopping) {
  EarlyStoppingSpec s;
  s.enabled = true;
  s.patience = 5;
  s.restoreBestWeights = true;
  EarlyStopping es(s);
  const ScriptedRun r = runValLoss(es, model, *opt, {1.0, 0.5, 0.7});
  EXPECT_EQ(r.epochsRun, 3);
  EXPECT_EQ(es.stoppedEpoch(), 0);
  EXPECT_EQ(r.end.messages, std::vector<std::string>{"Restoring model weights from the end of the best epoch: 2."});
  for (const Matrix& m : model.weights()) EXPECT_TRUE((m.array() == 1.0f).all());
}

TEST_F(EarlyStoppingTest, StartFromEpochIgnoresTheWarmUp) {
  EarlyStoppingSpec s;
  s.enabled = true;
  s.startFromEpoch = 2;
  s.restoreBestWeights = true;
  EarlyStopping es(s);
  // Epochs 0 and 1 are not looked at (their 0.1 would otherwise be the best): 0.9 at index 2 is
  // the first value, 1.0 at index 3 stops (patience 0).
  const ScriptedRun r = runValLoss(es, model, *opt, {0.1, 0.1, 0.9, 1.0});
  EXPECT_EQ(r.epochsRun, 4);
  EXPECT_EQ(es.bestEpoch(), 2);
  EXPECT_EQ(r.end.messages.back(), "Restoring model weights from the end of the best epoch: 3.");
}

TEST_F(EarlyStoppingTest, AMissingMonitorWarnsOnceAndDoesNothing) {
  EarlyStoppingSpec s;
  s.enabled = true;  // val_loss, patience 0
  s.restoreBestWeights = true;
  EarlyStopping es(s);
  const ScriptedRun r = runValLoss(es, model, *opt, {1.0, 2.0, 3.0}, /*validation=*/false);
  EXPECT_EQ(r.epochsRun, 3);
  EXPECT_EQ(r.epochs[0].warnings,
            std::vector<std::string>{"Early stopping conditioned on metric `val_loss` which is not available. "
                                     "Available metrics are: accuracy,loss"});
  EXPECT_TRUE(r.epochs[1].warnings.empty());
  EXPECT_TRUE(r.end.messages.empty());
  EXPECT_FALSE(es.restoredWeights());
}

TEST_F(EarlyStoppingTest, StartsAfreshAtEveryTrainBegin) {
  EarlyStoppingSpec s;
  s.enabled = true;
  s.patience = 1;
  EarlyStopping es(s);
  runValLoss(es, model, *opt, {1.0, 2.0});
  EXPECT_EQ(es.stoppedEpoch(), 1);
  const ScriptedRun again = runValLoss(es, model, *opt, {5.0, 4.0});
  EXPECT_EQ(es.stoppedEpoch(), 0);
  EXPECT_DOUBLE_EQ(*es.best(), 4.0);
  EXPECT_TRUE(again.end.messages.empty());
}

TEST(PythonFloatRepr, WritesWhatPythonsReprWrites) {
  EXPECT_EQ(pythonFloatRepr(double(float(0.001)) * 0.5), "0.0005000000237487257");
  EXPECT_EQ(pythonFloatRepr(0.1), "0.1");
  EXPECT_EQ(pythonFloatRepr(2.0), "2.0");
  EXPECT_EQ(pythonFloatRepr(0.0001), "0.0001");
  EXPECT_EQ(pythonFloatRepr(1e-05), "1e-05");
  EXPECT_EQ(pythonFloatRepr(1.5e-07), "1.5e-07");
  EXPECT_EQ(pythonFloatRepr(1e16), "1e+16");
  EXPECT_EQ(pythonFloatRepr(123456789012345.0), "123456789012345.0");
  EXPECT_EQ(pythonFloatRepr(1.2345e100), "1.2345e+100");
  EXPECT_EQ(pythonFloatRepr(-0.25), "-0.25");
  EXPECT_EQ(pythonFloatRepr(0.0), "0.0");
}

TEST_F(ReduceLROnPlateauTest, ReducesTheFloat32RateAfterPatienceAndPrintsItAsKerasDoes) {
  auto adam = Optimizer::create(OptimizerSpec{"adam", 0.001});
  ReduceLROnPlateauSpec s;
  s.enabled = true;
  s.factor = 0.5;
  s.patience = 1;
  ReduceLROnPlateau r(s);
  const ScriptedRun run = runValLoss(r, model, *adam, {1.0, 1.0});  // 1.0 < 1.0 - 1e-4? no: wait 1
  EXPECT_EQ(run.epochs[1].messages,
            std::vector<std::string>{"Epoch 2: ReduceLROnPlateau reducing learning rate to 0.0005000000237487257."});
  EXPECT_DOUBLE_EQ(adam->learningRate(), 0.0005000000237487257);
  EXPECT_EQ(r.wait(), 0);
}

TEST_F(ReduceLROnPlateauTest, MinDeltaDecidesWhatCountsAsAnImprovement) {
  ReduceLROnPlateauSpec s;
  s.enabled = true;
  s.patience = 2;
  s.minDelta = 0.1;
  ReduceLROnPlateau r(s);
  runValLoss(r, model, *opt, {1.0, 0.95, 0.85});  // 0.95 < 0.9? no (wait 1); 0.85 < 0.9: best
  EXPECT_EQ(r.wait(), 0);
  EXPECT_DOUBLE_EQ(r.best(), 0.85);
  EXPECT_DOUBLE_EQ(opt->learningRate(), 0.1);

  s.monitor = "accuracy";  // auto: "acc" in the name maximizes
  ReduceLROnPlateau up(s);
  up.onTrainBegin(model, *opt);
  CallbackReport report;
  up.onEpochEnd(0, logWith(1, kNaN, 0.5), model, *opt, report);
  up.onEpochEnd(1, logWith(1, kNaN, 0.55), model, *opt, report);  // 0.55 > 0.6? no
  EXPECT_EQ(up.wait(), 1);
  up.onEpochEnd(2, logWith(1, kNaN, 0.65), model, *opt, report);
  EXPECT_EQ(up.wait(), 0);
  EXPECT_DOUBLE_EQ(up.best(), 0.65);
}

TEST_F(ReduceLROnPlateauTest, CooldownSkipsCountingForCooldownEpochsAfterAReduction) {
  ReduceLROnPlateauSpec s;
  s.enabled = true;
  s.patience = 1;
  s.cooldown = 2;
  s.factor = 0.5;
  ReduceLROnPlateau r(s);
  // e0 best; e1 wait 1: reduce (cooldown 2); e2 cooldown 1; e3 cooldown 0, wait 1: reduce; e4
  // cooldown 1; e5 cooldown 0, wait 1: reduce.
  const ScriptedRun run = runValLoss(r, model, *opt, {1, 1, 1, 1, 1, 1});
  std::vector<int> reducedAt;
  for (size_t i = 0; i < run.epochs.size(); ++i)
    if (!run.epochs[i].messages.empty()) reducedAt.push_back(int(i));
  EXPECT_EQ(reducedAt, (std::vector<int>{1, 3, 5}));
  EXPECT_EQ(r.cooldownCounter(), 2);
  EXPECT_DOUBLE_EQ(opt->learningRate(), double(float(double(float(double(float(0.1)) * 0.5)) * 0.5)) * 0.5);
}

TEST_F(ReduceLROnPlateauTest, NeverGoesBelowMinLrAndStopsReducingThere) {
  auto sgd = Optimizer::create(OptimizerSpec{"sgd", 0.01});
  ReduceLROnPlateauSpec s;
  s.enabled = true;
  s.patience = 1;
  s.minLr = 0.005;
  ReduceLROnPlateau r(s);
  const ScriptedRun run = runValLoss(r, model, *sgd, {1, 1, 1, 1});
  EXPECT_EQ(run.epochs[1].messages,
            std::vector<std::string>{"Epoch 2: ReduceLROnPlateau reducing learning rate to 0.005."});
  EXPECT_DOUBLE_EQ(sgd->learningRate(), 0.005);
  // float32(0.005) > float32(0.005) is false: no further reduction, no line.
  EXPECT_TRUE(run.epochs[2].messages.empty());
  EXPECT_TRUE(run.epochs[3].messages.empty());
  EXPECT_DOUBLE_EQ(sgd->learningRate(), 0.005);
}

TEST_F(ReduceLROnPlateauTest, AMissingMonitorWarnsOnceListingTheRate) {
  ReduceLROnPlateauSpec s;
  s.enabled = true;
  s.patience = 0;
  ReduceLROnPlateau r(s);
  const ScriptedRun run = runValLoss(r, model, *opt, {1, 1, 1}, /*validation=*/false);
  EXPECT_EQ(run.epochs[0].warnings,
            std::vector<std::string>{"Learning rate reduction is conditioned on metric `val_loss` which is not "
                                     "available. Available metrics are: accuracy,loss,learning_rate."});
  EXPECT_TRUE(run.epochs[2].warnings.empty());
  EXPECT_DOUBLE_EQ(opt->learningRate(), 0.1);
}

TEST_F(ModelCheckpointTest, SaveBestOnlySavesImprovementsAndSaysSo) {
  ModelCheckpointSpec s;
  s.enabled = true;
  s.filepath = "best.dlm";
  s.saveBestOnly = true;
  std::vector<int> saved;
  ModelCheckpoint mc(s, [&](const std::string& path, const EpochLog& log) {
    EXPECT_EQ(path, "best.dlm");
    saved.push_back(int(std::lround(log.valLoss * 1e5)));
  });
  const ScriptedRun run = runValLoss(mc, model, *opt, {0.31203, 0.4, 0.3, 0.3});
  EXPECT_EQ(saved, (std::vector<int>{31203, 30000}));
  EXPECT_EQ(run.epochs[0].messages,
            std::vector<std::string>{"Epoch 1: val_loss improved from None to 0.31203, saving model to best.dlm"});
  EXPECT_EQ(run.epochs[1].messages, std::vector<std::string>{"Epoch 2: val_loss did not improve from 0.31203"});
  EXPECT_EQ(run.epochs[2].messages,
            std::vector<std::string>{"Epoch 3: val_loss improved from 0.31203 to 0.30000, saving model to best.dlm"});
  EXPECT_EQ(run.epochs[3].messages, std::vector<std::string>{"Epoch 4: val_loss did not improve from 0.30000"});
}

TEST_F(ModelCheckpointTest, WithoutSaveBestOnlySavesEveryEpoch) {
  ModelCheckpointSpec s;
  s.enabled = true;
  s.filepath = "run.dlm";
  int saves = 0;
  ModelCheckpoint mc(s, [&](const std::string&, const EpochLog&) { ++saves; });
  const ScriptedRun run = runValLoss(mc, model, *opt, {0.3, 0.4, 0.5});
  EXPECT_EQ(saves, 3);
  EXPECT_EQ(run.epochs[1].messages, std::vector<std::string>{"Epoch 2: saving model to run.dlm"});
}

TEST_F(ModelCheckpointTest, MaximizesAnAccuracyAndSavesAnywayWhenTheMonitorIsMissing) {
  ModelCheckpointSpec s;
  s.enabled = true;
  s.filepath = "best.dlm";
  s.saveBestOnly = true;
  s.monitor = "val_accuracy";
  int saves = 0;
  ModelCheckpoint mc(s, [&](const std::string&, const EpochLog&) { ++saves; });
  mc.onTrainBegin(model, *opt);
  CallbackReport report;
  mc.onEpochEnd(0, logWith(1, 1, 0.5, 0.90), model, *opt, report);
  mc.onEpochEnd(1, logWith(1, 1, 0.5, 0.80), model, *opt, report);
  mc.onEpochEnd(2, logWith(1, 1, 0.5, 0.95), model, *opt, report);
  EXPECT_EQ(saves, 2);
  EXPECT_DOUBLE_EQ(*mc.best(), 0.95);

  CallbackReport missing;
  mc.onEpochEnd(3, logWith(1), model, *opt, missing);  // Keras: warn, then save anyway
  EXPECT_EQ(saves, 3);
  EXPECT_EQ(missing.warnings, std::vector<std::string>{"Can save best model only with val_accuracy available."});
}

TEST(MakeCallbacks, BuildsTheEnabledOnesInKerasScriptOrderAndRefusesBadSettings) {
  CallbacksSpec c;
  EXPECT_TRUE(makeCallbacks(c, nullptr).empty());
  c.modelCheckpoint.enabled = true;
  c.modelCheckpoint.filepath = "a.dlm";
  c.earlyStopping.enabled = true;
  const auto list = makeCallbacks(c, nullptr);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_NE(dynamic_cast<EarlyStopping*>(list[0].get()), nullptr);
  EXPECT_NE(dynamic_cast<ModelCheckpoint*>(list[1].get()), nullptr);
  c.reduceLrOnPlateau.enabled = true;
  c.reduceLrOnPlateau.factor = 1.0;
  EXPECT_THROW(makeCallbacks(c, nullptr), SpecError);
}

// ---- fit drives them.

// n rows of 4 features, class = the row number modulo 10.
class TinySource : public BatchSource {
 public:
  explicit TinySource(int n) : m_n(n) {}
  int rowCount() const override { return m_n; }
  int featureSize() const override { return 4; }
  void gatherRows(const int* rows, int n, Matrix& x, uint8_t* labels) const override {
    for (int i = 0; i < n; ++i) fill(rows[i], x, i, labels);
  }
  void copyRows(int first, int n, Matrix& x, uint8_t* labels) const override {
    for (int i = 0; i < n; ++i) fill(first + i, x, i, labels);
  }

 private:
  static void fill(int row, Matrix& x, int at, uint8_t* labels) {
    for (int c = 0; c < 4; ++c) x(at, c) = float(std::sin(row * 1.3 + c * 0.7));
    labels[at] = uint8_t(row % 10);
  }
  int m_n;
};

TEST(FitWithCallbacks, EarlyStoppingEndsTheFitAtTheExpectedEpochAndRestoresTheBestWeights) {
  const TinySource data(16);
  Model model(tinySpec());
  auto opt = Optimizer::create(tinySpec().training.optimizer);
  EarlyStoppingSpec s;
  s.enabled = true;
  s.monitor = "loss";
  s.minDelta = 1e9;  // nothing after the first epoch counts as an improvement
  s.patience = 2;
  s.restoreBestWeights = true;
  EarlyStopping es(s);
  FitOptions o;
  o.batchSize = 4;
  o.epochs = 10;
  o.callbacks = {&es};
  std::vector<Matrix> firstEpoch;
  std::vector<EpochLog> seen;
  o.onEpoch = [&](const EpochLog& e) {
    if (e.epoch == 1) firstEpoch = model.weights();
    seen.push_back(e);
  };
  const FitResult r = fit(model, *opt, data, o);
  ASSERT_EQ(r.epochs.size(), 3u);  // epoch 1 best, 2 wait 1, 3 wait 2: stop
  EXPECT_TRUE(r.stoppedEarly);
  EXPECT_FALSE(r.cancelled);
  const EpochLog& last = r.epochs.back();
  EXPECT_TRUE(last.stoppedEarly);
  EXPECT_TRUE(last.restoredBestWeights);
  EXPECT_EQ(last.callbackMessages,
            (std::vector<std::string>{"Epoch 3: early stopping",
                                      "Restoring model weights from the end of the best epoch: 1."}));
  EXPECT_EQ(last.trainEndMessages, 2);
  EXPECT_FALSE(r.epochs[1].stoppedEarly);
  ASSERT_EQ(seen.size(), 3u);  // onEpoch saw the same logs
  EXPECT_EQ(seen.back().callbackMessages, last.callbackMessages);
  const std::vector<Matrix> now = model.weights();
  ASSERT_EQ(now.size(), firstEpoch.size());
  for (size_t i = 0; i < now.size(); ++i) EXPECT_TRUE(now[i] == firstEpoch[i]);
}

TEST(FitWithCallbacks, ReduceLROnPlateauLowersTheRateTheNextEpochUses) {
  const TinySource data(16);
  Model model(tinySpec());
  auto opt = Optimizer::create(tinySpec().training.optimizer);
  ReduceLROnPlateauSpec s;
  s.enabled = true;
  s.monitor = "val_loss";
  s.minDelta = 1e9;  // never an improvement after the first value
  s.patience = 1;
  s.factor = 0.5;
  ReduceLROnPlateau r(s);
  FitOptions o;
  o.batchSize = 4;
  o.epochs = 3;
  o.validationSplit = 0.25;
  o.callbacks = {&r};
  const FitResult res = fit(model, *opt, data, o);
  ASSERT_EQ(res.epochs.size(), 3u);
  EXPECT_DOUBLE_EQ(res.epochs[0].learningRate, 0.1);
  EXPECT_DOUBLE_EQ(res.epochs[1].learningRate, double(float(0.1)) * 0.5);
  EXPECT_EQ(res.epochs[1].callbackMessages.size(), 1u);
  EXPECT_DOUBLE_EQ(res.epochs[2].learningRate, double(float(double(float(0.1)) * 0.5)) * 0.5);
  EXPECT_FALSE(res.stoppedEarly);
}

TEST(FitWithCallbacks, ACancelledEpochRunsNoCallback) {
  const TinySource data(16);
  Model model(tinySpec());
  auto opt = Optimizer::create(tinySpec().training.optimizer);
  EarlyStoppingSpec s;
  s.enabled = true;
  s.monitor = "loss";
  s.restoreBestWeights = true;
  EarlyStopping es(s);
  std::atomic<bool> cancel = false;
  FitOptions o;
  o.batchSize = 4;
  o.epochs = 5;
  o.cancel = &cancel;
  o.callbacks = {&es};
  o.onBatch = [&](const BatchLog& b) {
    if (b.epoch == 2 && b.batch == 4) cancel = true;  // after epoch 2's last batch
  };
  const FitResult r = fit(model, *opt, data, o);
  EXPECT_TRUE(r.cancelled);
  ASSERT_EQ(r.epochs.size(), 2u);
  EXPECT_TRUE(r.epochs[1].callbackMessages.empty());
  EXPECT_FALSE(es.restoredWeights());  // an interrupt skips on_train_end
}

}  // namespace
