// The training thread through its controller: a short run reports progress (coalesced), epochs,
// weight snapshots and a final result; every epochFinished comes right after a snapshot of that
// epoch's weights; no snapshot ever holds NaN/inf; Stop ends a run within one batch and a second
// Stop interrupts the final evaluation; a diverging run says so; destroying the controller mid-run
// (closing the window) returns promptly. A stand-alone evaluation scores given weights with
// progress, can be stopped or closed within a batch, refuses weights that do not fit, and cannot be
// paused; a continued run starts from given weights and numbers its epochs after the earlier
// run's; times exclude pauses.

#include "TestDatasets.h"
#include "TrainingController.h"
#include "train/TrainingWorker.h"

#include "data/IdxReader.h"
#include "nn/Model.h"
#include "nn/ModelSpec.h"

#include <QElapsedTimer>
#include <QLocale>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <memory>
#include <variant>

using namespace dl;

namespace {

std::vector<BatchLog> batchesIn(const QSignalSpy& spy) {
  std::vector<BatchLog> all;
  for (const QList<QVariant>& args : spy) {
    const auto logs = args.at(0).value<std::vector<BatchLog>>();
    all.insert(all.end(), logs.begin(), logs.end());
  }
  return all;
}

TrainResult resultIn(const QSignalSpy& spy) {
  return spy.isEmpty() ? TrainResult{} : spy.last().at(0).value<TrainResult>();
}

using dl::test::firstRows;
using dl::test::tiled;

bool allFinite(const std::vector<Matrix>& weights) {
  return std::all_of(weights.begin(), weights.end(), [](const Matrix& w) { return w.allFinite(); });
}

// The controller's reports in the order the GUI thread receives them.
struct Snapshot {
  std::vector<Matrix> weights;
};
struct Finished {
  TrainResult result;
};
using Event = std::variant<Snapshot, EpochLog, Finished>;

void recordEvents(TrainingController& controller, std::vector<Event>& events) {
  QObject::connect(&controller, &TrainingController::weightsSnapshot, &controller,
                   [&events](const ModelSpec&, const std::vector<Matrix>& w) { events.push_back(Snapshot{w}); });
  QObject::connect(&controller, &TrainingController::epochFinished, &controller,
                   [&events](const EpochLog& e) { events.push_back(e); });
  QObject::connect(&controller, &TrainingController::finished, &controller,
                   [&events](const TrainResult& r) { events.push_back(Finished{r}); });
}

// Milliseconds one evaluation batch of 256 takes with the CNN (2 threads, this machine, now).
double cnnEvaluationBatchMs(const Dataset& test) {
  setThreadCount(2);
  Model probe(presetCnn());
  const Dataset batch = firstRows(test, 256);
  evaluate(probe, batch, 256);  // sizes the buffers
  QElapsedTimer timer;
  timer.start();
  evaluate(probe, batch, 256);
  return double(timer.nsecsElapsed()) / 1e6;
}

QString thousands(int n) { return QLocale(QLocale::English).toString(n); }

}  // namespace

class TestTrainingWorker : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void shortRunReportsProgressEpochSnapshotAndResult();
  void pauseHoldsAndStopEndsWithinOneBatch();
  void stopWhileRunningKeepsWeightsAndEndsQuickly();
  void divergingRunSaysSoAndSuggestsLowerRate();
  void eachEpochFinishedFollowsASnapshotOfThatEpochsWeights();
  void weightsWithNaNOrInfAreNeverSnapshotted();
  void secondStopInterruptsTheFinalEvaluation();
  void stopAfterTrainingInterruptsTheFinalEvaluation();
  void invalidSpecFails();
  void destroyingControllerMidRunReturnsPromptly();
  void destroyingControllerWhilePausedReturnsPromptly();
  void evaluateScoresTheGivenWeightsWithProgress();
  void evaluateOnlyTheTestSetByDefault();
  void stopCancelsAnEvaluationWithoutFigures();
  void pauseDuringAnEvaluationIsANoOp();
  void pauseDuringTheFinalEvaluationIsANoOp();
  void shutdownDuringAnEvaluationReturnsWithinABatch();
  void badEvaluateRequestsFail();
  void continuedRunStartsFromTheGivenWeightsAndNumbersEpochsAfterThem();
  void timesExcludePauses();

 private:
  TrainRequest request(int epochs) const;
  // Weights of the MLP preset after one epoch on 2,000 training digits (trained here, directly).
  std::vector<Matrix> trainedMlpWeights() const;

  std::shared_ptr<const DatasetPair> m_data;
};

void TestTrainingWorker::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  m_data = std::make_shared<const DatasetPair>(loadDataset("embedded"));
  QVERIFY(m_data->train.count > 1000);
  QVERIFY(m_data->test.count > 100);
}

TrainRequest TestTrainingWorker::request(int epochs) const {
  TrainRequest r;
  r.spec = presetMlp();
  r.spec.training.epochs = epochs;
  r.spec.training.batchSize = 32;
  r.data = m_data;
  r.threads = 2;
  return r;
}

void TestTrainingWorker::shortRunReportsProgressEpochSnapshotAndResult() {
  TrainingController controller;
  QSignalSpy started(&controller, &TrainingController::started);
  QSignalSpy progress(&controller, &TrainingController::batchesProgressed);
  QSignalSpy epochs(&controller, &TrainingController::epochFinished);
  QSignalSpy snapshots(&controller, &TrainingController::weightsSnapshot);
  QSignalSpy finished(&controller, &TrainingController::finished);
  QSignalSpy failed(&controller, &TrainingController::failed);
  QSignalSpy evaluationProgress(&controller, &TrainingController::evaluationProgress);

  TrainRequest r = request(1);
  r.validation = ValidationMode::TestSet;
  const int steps = stepsPerEpoch(r);
  QCOMPARE(steps, (m_data->train.count + 31) / 32);
  QVERIFY(controller.start(r));
  QVERIFY(controller.isRunning());
  QVERIFY(!controller.start(r));  // one run at a time
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1 || failed.count() == 1, 120000);
  QCOMPARE(failed.count(), 0);
  QVERIFY(!controller.isRunning());

  QCOMPARE(started.count(), 1);
  QCOMPARE(started.at(0).at(1).toInt(), steps);

  // Every batch exactly once, in order, in fewer signals than batches (coalesced).
  const std::vector<BatchLog> logs = batchesIn(progress);
  QCOMPARE(int(logs.size()), steps);
  for (int i = 0; i < steps; ++i) QCOMPARE(logs[size_t(i)].batch, i + 1);
  QVERIFY2(progress.count() < steps, qPrintable(QString::number(progress.count())));
  QCOMPARE(logs.back().samplesSeen, int64_t(m_data->train.count));

  QCOMPARE(epochs.count(), 1);
  const EpochLog epoch = epochs.at(0).at(0).value<EpochLog>();
  QVERIFY(epoch.hasValidation());
  QVERIFY(epoch.accuracy > 0.5);

  QVERIFY(snapshots.count() >= 1);
  const auto spec = snapshots.last().at(0).value<ModelSpec>();
  const auto weights = snapshots.last().at(1).value<std::vector<Matrix>>();
  QCOMPARE(spec.layers, presetMlp().layers);
  QCOMPARE(int(weights.size()), 6);  // 3 Dense layers: kernel and bias each
  QCOMPARE(weights[0].rows(), 784);
  QVERIFY(weights[0].allFinite());

  const TrainResult result = resultIn(finished);
  QVERIFY(!result.cancelled);
  QVERIFY(!result.diverged);
  QCOMPARE(result.batchesTrained, int64_t(steps));
  QCOMPARE(int(result.epochs.size()), 1);
  QCOMPARE(int(result.predicted.size()), m_data->test.count);
  QVERIFY(result.trainAccuracy > 0.6);
  QVERIFY(result.testAccuracy > 0.6);
  QVERIFY(std::isfinite(result.testLoss) && result.testLoss > 0);
  QVERIFY2(result.message.contains(QLatin1String("test accuracy")), qPrintable(result.message));
  // A run of seconds says so in tenths ("in 0.4 s"), not as "0:00".
  QVERIFY2(
      result.seconds >= 10 || QRegularExpression(QStringLiteral("in \\d\\.\\d s")).match(result.message).hasMatch(),
      qPrintable(result.message));
  // The final evaluation reports its progress too: each set from 0 to its size.
  QVERIFY(evaluationProgress.count() >= 4);
  QCOMPARE(evaluationProgress.first().at(0).toInt(), 0);
  QCOMPARE(evaluationProgress.first().at(1).toInt(), m_data->train.count);
  QCOMPARE(evaluationProgress.last().at(0).toInt(), m_data->test.count);
  QCOMPARE(evaluationProgress.last().at(1).toInt(), m_data->test.count);

  // The last snapshot is the final model: it predicts what the result says.
  Model model(spec);
  model.setWeights(weights);
  const std::vector<int> predicted = predictClasses(model, m_data->test);
  QCOMPARE(predicted, result.predicted);
}

void TestTrainingWorker::pauseHoldsAndStopEndsWithinOneBatch() {
  TrainingController controller;
  QSignalSpy progress(&controller, &TrainingController::batchesProgressed);
  QSignalSpy snapshots(&controller, &TrainingController::weightsSnapshot);
  QSignalSpy finished(&controller, &TrainingController::finished);
  QSignalSpy pausedChanged(&controller, &TrainingController::pausedChanged);

  QVERIFY(controller.start(request(50)));
  QTRY_VERIFY_WITH_TIMEOUT(batchesIn(progress).size() >= 20, 30000);
  controller.pause();
  QVERIFY(controller.isPaused());
  QCOMPARE(pausedChanged.count(), 1);

  // The worker blocks after its current batch and reports up to it; then nothing moves.
  QTest::qWait(300);
  const size_t atPause = batchesIn(progress).size();
  const qsizetype snapshotsAtPause = snapshots.count();
  QTest::qWait(300);
  QCOMPARE(batchesIn(progress).size(), atPause);
  QVERIFY(snapshotsAtPause >= 1);  // a snapshot is taken on pausing

  controller.stop();  // wakes the paused worker, which must not train another batch
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
  const TrainResult result = resultIn(finished);
  QVERIFY(result.cancelled);
  QVERIFY(!result.diverged);
  QCOMPARE(batchesIn(progress).size(), atPause);
  QCOMPARE(result.batchesTrained, int64_t(atPause));
  // The pause snapshot already holds the final weights (no batch since): no second copy.
  QCOMPARE(snapshots.count(), snapshotsAtPause);
  QVERIFY(std::isfinite(result.testAccuracy));  // the test set is still evaluated
  QVERIFY(result.testEvaluated);
  QVERIFY(!result.trainEvaluated);  // the training set is not, after a Stop
  QVERIFY2(result.message.contains(QLatin1String("stopped")), qPrintable(result.message));
  QVERIFY(!controller.isPaused());
}

void TestTrainingWorker::stopWhileRunningKeepsWeightsAndEndsQuickly() {
  TrainingController controller;
  QSignalSpy progress(&controller, &TrainingController::batchesProgressed);
  QSignalSpy snapshots(&controller, &TrainingController::weightsSnapshot);
  QSignalSpy finished(&controller, &TrainingController::finished);

  QVERIFY(controller.start(request(50)));
  QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), 30000);
  QElapsedTimer timer;
  timer.start();
  controller.stop();
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
  QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
  const TrainResult result = resultIn(finished);
  QVERIFY(result.cancelled);
  QVERIFY(result.batchesTrained < 50LL * stepsPerEpoch(request(50)));
  QCOMPARE(int64_t(batchesIn(progress).size()), result.batchesTrained);
  QVERIFY(!snapshots.isEmpty());
  QVERIFY(snapshots.last().at(1).value<std::vector<Matrix>>()[0].allFinite());

  // The controller can run again after a stop.
  finished.clear();
  QVERIFY(controller.start(request(1)));
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
  QVERIFY(!resultIn(finished).cancelled);
}

void TestTrainingWorker::divergingRunSaysSoAndSuggestsLowerRate() {
  TrainingController controller;
  QSignalSpy finished(&controller, &TrainingController::finished);
  QSignalSpy snapshots(&controller, &TrainingController::weightsSnapshot);

  TrainRequest r = request(1);
  r.spec.layers = {};
  LayerSpec hidden;
  hidden.kind = LayerKind::Dense;
  hidden.units = 64;
  hidden.activation = "relu";
  LayerSpec out = hidden;
  out.units = 10;
  out.activation = "softmax";
  r.spec.layers = {hidden, hidden, out};
  r.spec.inputShape = {784};
  r.spec.training.optimizer.type = "sgd";
  r.spec.training.optimizer.learningRate = 1e6;
  QVERIFY(controller.start(r));
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
  const TrainResult result = resultIn(finished);
  QVERIFY(result.diverged);
  QVERIFY(!result.cancelled);
  QVERIFY2(result.message.contains(QLatin1String("diverged")), qPrintable(result.message));
  QVERIFY2(result.message.contains(QLatin1String("lower learning rate")), qPrintable(result.message));
  QVERIFY2(result.message.contains(QLatin1String("1e+06")), qPrintable(result.message));
  QVERIFY(result.batchesTrained < stepsPerEpoch(r));
  QVERIFY(result.predicted.empty());
  for (const QList<QVariant>& args : snapshots)  // no NaN weights ever reach the drawing panel
    for (const Matrix& w : args.at(1).value<std::vector<Matrix>>()) QVERIFY(w.allFinite());
}

void TestTrainingWorker::eachEpochFinishedFollowsASnapshotOfThatEpochsWeights() {
  // A checkpoint saved on epochFinished from the latest snapshot must be that epoch's model. The
  // throttled snapshots are turned off, so only the guaranteed ones arrive.
  TrainingController controller;
  std::vector<Event> events;
  recordEvents(controller, events);
  TrainRequest r = request(3);
  r.validation = ValidationMode::TestSet;
  r.snapshotIntervalMs = 1000000;
  QVERIFY(controller.start(r));
  QTRY_VERIFY_WITH_TIMEOUT(!events.empty() && std::holds_alternative<Finished>(events.back()), 120000);

  int epochsSeen = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const auto* epoch = std::get_if<EpochLog>(&events[i]);
    if (!epoch) continue;
    ++epochsSeen;
    QCOMPARE(epoch->epoch, epochsSeen);
    QVERIFY2(i > 0 && std::holds_alternative<Snapshot>(events[i - 1]),
             qPrintable(QStringLiteral("epoch %1 not preceded by a snapshot").arg(epoch->epoch)));
    // Those weights are the ones the epoch was validated with: same figures, same computation.
    Model model(r.spec);
    model.setWeights(std::get<Snapshot>(events[i - 1]).weights);
    const EvalResult v = evaluate(model, m_data->test, 256);
    QVERIFY(epoch->hasValidation());
    QCOMPARE(v.accuracy, epoch->valAccuracy);
    QVERIFY2(std::abs(v.loss - epoch->valLoss) < 1e-12, qPrintable(QString::number(v.loss - epoch->valLoss)));
  }
  QCOMPARE(epochsSeen, 3);
  // The last epoch's snapshot holds the final weights: nothing more comes before finished (no
  // second copy of every weight).
  QVERIFY(events.size() >= 3);
  QVERIFY(std::holds_alternative<EpochLog>(events[events.size() - 2]));
  QVERIFY(std::holds_alternative<Snapshot>(events[events.size() - 3]));
  const TrainResult result = std::get<Finished>(events.back()).result;
  QVERIFY(result.testEvaluated && result.trainEvaluated);
}

void TestTrainingWorker::weightsWithNaNOrInfAreNeverSnapshotted() {
  // A learning rate beyond float range: the first batch's loss is finite, the update after it makes
  // the weights infinite/NaN. Neither a throttled snapshot (every 1 ms here) after that batch nor
  // the end-of-run snapshot may carry them; the run ends as diverged.
  for (int rows : {64, 32}) {  // two batches (NaN loss at batch 2), one batch (caught at epoch end)
    auto data = std::make_shared<DatasetPair>();
    data->train = firstRows(m_data->train, rows);
    data->test = firstRows(m_data->test, 100);
    TrainingController controller;
    QSignalSpy snapshots(&controller, &TrainingController::weightsSnapshot);
    QSignalSpy epochs(&controller, &TrainingController::epochFinished);
    QSignalSpy finished(&controller, &TrainingController::finished);
    TrainRequest r = request(1);
    r.data = data;
    r.snapshotIntervalMs = 1;
    r.spec.training.optimizer.learningRate = 1e39;
    QVERIFY(controller.start(r));
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
    const TrainResult result = resultIn(finished);
    QVERIFY2(result.diverged, qPrintable(result.message));
    QCOMPARE(epochs.count(), 0);
    QVERIFY(result.predicted.empty());
    for (const QList<QVariant>& args : snapshots)
      QVERIFY2(allFinite(args.at(1).value<std::vector<Matrix>>()), qPrintable(QStringLiteral("rows %1").arg(rows)));
  }
}

void TestTrainingWorker::secondStopInterruptsTheFinalEvaluation() {
  // The CNN's evaluation of 8,000 test digits takes over a second (32 batches). Stop during
  // training, then Stop again once the test set is being evaluated: it ends after the batch in
  // progress (the first one, at a new batch size, also sizes the layers' buffers), far from a
  // full pass, and finished() says the test figures are unavailable instead of partial ones.
  auto data = std::make_shared<DatasetPair>();
  data->train = firstRows(m_data->train, 64);
  data->test = tiled(m_data->test, 8000);
  // One evaluation batch of 256 here, to compare against (same threads, same machine load).
  setThreadCount(2);
  Model probe(presetCnn());
  const Dataset batch = firstRows(m_data->test, 256);
  evaluate(probe, batch, 256);
  QElapsedTimer probeTimer;
  probeTimer.start();
  evaluate(probe, batch, 256);
  const double batchMs = double(probeTimer.nsecsElapsed()) / 1e6;
  const double fullPassMs = batchMs * data->test.count / 256;

  TrainingController controller;
  QSignalSpy evaluating(&controller, &TrainingController::evaluating);
  QSignalSpy finished(&controller, &TrainingController::finished);
  TrainRequest r = request(1);
  r.spec = presetCnn();
  r.data = data;
  QVERIFY(controller.start(r));
  controller.stop();  // first Stop: training ends, the test set is still evaluated
  QVERIFY(evaluating.wait(60000));
  QVERIFY(finished.isEmpty());
  QVERIFY(evaluating.last().at(0).toString().contains(QLatin1String("test set")));
  QElapsedTimer timer;
  timer.start();
  controller.stop();  // second Stop
  QVERIFY(finished.wait(60000));
  const double stopMs = double(timer.elapsed());
  const TrainResult result = resultIn(finished);
  QVERIFY(result.cancelled);
  QVERIFY(!result.testEvaluated);
  QVERIFY(!result.trainEvaluated);
  QVERIFY(std::isnan(result.testLoss) && std::isnan(result.testAccuracy));
  QVERIFY(result.predicted.empty());
  QVERIFY2(result.message.contains(QLatin1String("no test figures")), qPrintable(result.message));
  QVERIFY2(stopMs < 0.4 * fullPassMs,
           qPrintable(QStringLiteral("%1 ms after the second Stop; one batch takes ~%2 ms, a full pass ~%3 ms")
                          .arg(stopMs)
                          .arg(batchMs)
                          .arg(fullPassMs)));
  QVERIFY(controller.start(request(1)));  // and the controller runs again afterwards
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 2, 120000);
  QVERIFY(resultIn(finished).testEvaluated);
}

void TestTrainingWorker::stopAfterTrainingInterruptsTheFinalEvaluation() {
  // A run that trained to the end: the first Stop, during the closing evaluations, ends them.
  auto data = std::make_shared<DatasetPair>();
  data->train = firstRows(m_data->train, 64);
  data->test = m_data->test;
  TrainingController controller;
  QSignalSpy evaluating(&controller, &TrainingController::evaluating);
  QSignalSpy epochs(&controller, &TrainingController::epochFinished);
  QSignalSpy finished(&controller, &TrainingController::finished);
  TrainRequest r = request(1);
  r.spec = presetCnn();
  r.data = data;
  r.evaluateTrainSet = false;
  QVERIFY(controller.start(r));
  QTRY_VERIFY_WITH_TIMEOUT(!evaluating.isEmpty() || !finished.isEmpty(), 60000);
  QVERIFY(finished.isEmpty());
  controller.stop();
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
  const TrainResult result = resultIn(finished);
  QVERIFY(!result.cancelled);  // the training itself completed
  QCOMPARE(epochs.count(), 1);
  QVERIFY(!result.testEvaluated);
  QVERIFY(std::isnan(result.testAccuracy));
  QVERIFY(result.predicted.empty());
  QVERIFY2(result.message.contains(QLatin1String("no test figures")), qPrintable(result.message));
}

void TestTrainingWorker::invalidSpecFails() {
  TrainingController controller;
  QSignalSpy failed(&controller, &TrainingController::failed);
  QSignalSpy finished(&controller, &TrainingController::finished);
  TrainRequest r = request(1);
  r.spec.layers.pop_back();  // ends in Dropout: not 10 classes
  QVERIFY(controller.start(r));
  QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 30000);
  QCOMPARE(finished.count(), 0);
  QVERIFY(!controller.isRunning());
  QVERIFY(!failed.at(0).at(0).toString().isEmpty());
}

void TestTrainingWorker::destroyingControllerMidRunReturnsPromptly() {
  auto controller = std::make_unique<TrainingController>();
  QSignalSpy progress(controller.get(), &TrainingController::batchesProgressed);
  TrainRequest r = request(50);
  r.spec = presetCnn();  // slow batches: the worker is surely mid-run
  r.spec.training.epochs = 5;
  QVERIFY(controller->start(r));
  QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), 60000);
  QElapsedTimer timer;
  timer.start();
  controller.reset();
  QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
}

void TestTrainingWorker::destroyingControllerWhilePausedReturnsPromptly() {
  auto controller = std::make_unique<TrainingController>();
  QSignalSpy progress(controller.get(), &TrainingController::batchesProgressed);
  QVERIFY(controller->start(request(50)));
  QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), 30000);
  controller->pause();
  QTest::qWait(100);
  QElapsedTimer timer;
  timer.start();
  controller.reset();
  QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
}

std::vector<Matrix> TestTrainingWorker::trainedMlpWeights() const {
  setThreadCount(2);
  const ModelSpec spec = presetMlp();
  Model model(spec, 1);
  auto optimizer = Optimizer::create(spec.training.optimizer);
  FitOptions o;
  o.batchSize = 32;
  o.epochs = 1;
  fit(model, *optimizer, firstRows(m_data->train, 2000), o);
  return model.weights();
}

void TestTrainingWorker::evaluateScoresTheGivenWeightsWithProgress() {
  const std::vector<Matrix> weights = trainedMlpWeights();
  TrainingController controller;
  QSignalSpy running(&controller, &TrainingController::runningChanged);
  QSignalSpy evaluating(&controller, &TrainingController::evaluating);
  QSignalSpy progress(&controller, &TrainingController::evaluationProgress);
  QSignalSpy evaluated(&controller, &TrainingController::evaluated);
  QSignalSpy finished(&controller, &TrainingController::finished);
  QSignalSpy started(&controller, &TrainingController::started);
  QSignalSpy snapshots(&controller, &TrainingController::weightsSnapshot);
  QSignalSpy failed(&controller, &TrainingController::failed);

  EvaluateRequest r;
  r.spec = presetMlp();
  r.weights = weights;
  r.data = m_data;
  r.threads = 2;
  r.evaluateTrainSet = true;
  QVERIFY(controller.evaluate(r));
  QVERIFY(controller.isRunning());  // the window locks the model meanwhile
  QVERIFY(controller.isEvaluationOnly());
  QVERIFY(controller.isEvaluating());
  QVERIFY(!controller.evaluate(r));        // one at a time
  QVERIFY(!controller.start(request(1)));  // and no training meanwhile
  QTRY_VERIFY_WITH_TIMEOUT(!evaluated.isEmpty() || !failed.isEmpty(), 60000);
  QCOMPARE(failed.count(), 0);
  QVERIFY(!controller.isRunning());
  QVERIFY(!controller.isEvaluationOnly());
  QCOMPARE(running.count(), 2);
  // No training: nothing but the evaluation's own reports.
  QCOMPARE(started.count(), 0);
  QCOMPARE(snapshots.count(), 0);
  QCOMPARE(finished.count(), 0);

  QCOMPARE(evaluating.count(), 2);  // the training set first, as a run's final evaluation
  QVERIFY(evaluating.at(0).at(0).toString().contains(QLatin1String("training set")));
  QVERIFY(evaluating.at(1).at(0).toString().contains(QLatin1String("test set")));
  // Progress in samples: each set from 0 to its size, never backwards within a set, throttled.
  int sets = 0, last = -1;
  for (const QList<QVariant>& args : progress) {
    const int done = args.at(0).toInt(), total = args.at(1).toInt();
    if (done == 0) {
      ++sets;
      QCOMPARE(total, sets == 1 ? m_data->train.count : m_data->test.count);
    } else {
      QVERIFY(done > last);
    }
    QVERIFY(done <= total);
    last = done;
  }
  QCOMPARE(sets, 2);
  QCOMPARE(progress.last().at(0).toInt(), m_data->test.count);
  const int batches = (m_data->train.count + 255) / 256 + (m_data->test.count + 255) / 256;
  QVERIFY2(progress.count() <= batches + 2, qPrintable(QString::number(progress.count())));

  // The figures are exactly those of the weights given (the same one pass per batch).
  const TrainResult result = evaluated.last().at(0).value<TrainResult>();
  Model model(presetMlp());
  model.setWeights(weights);
  const EvalResult test = evaluate(model, m_data->test, 256);
  const EvalResult train = evaluate(model, m_data->train, 256);
  QVERIFY(!result.cancelled);
  QVERIFY(result.testEvaluated && result.trainEvaluated);
  QCOMPARE(result.testAccuracy, test.accuracy);
  QCOMPARE(result.testLoss, test.loss);
  QCOMPARE(result.trainAccuracy, train.accuracy);
  QCOMPARE(result.trainLoss, train.loss);
  QVERIFY(result.testAccuracy > 0.6);  // trained weights, not a fresh initialisation
  QCOMPARE(result.predicted, predictClasses(model, m_data->test));
  QVERIFY(result.epochs.empty());
  QCOMPARE(result.batchesTrained, int64_t(0));
  QVERIFY(result.seconds > 0);
  const QString expected =
      QStringLiteral(
          "Evaluated on %1 training and %2 test digits in %3: test loss %4, accuracy %5; "
          "training loss %6, accuracy %7.")
          .arg(thousands(m_data->train.count), thousands(m_data->test.count), durationText(result.seconds),
               QString::number(test.loss, 'f', 4), QString::number(test.accuracy, 'f', 4),
               QString::number(train.loss, 'f', 4), QString::number(train.accuracy, 'f', 4));
  QCOMPARE(result.message, expected);
}

void TestTrainingWorker::evaluateOnlyTheTestSetByDefault() {
  TrainingController controller;
  QSignalSpy evaluating(&controller, &TrainingController::evaluating);
  QSignalSpy evaluated(&controller, &TrainingController::evaluated);
  EvaluateRequest r;
  r.spec = presetMlp();
  r.weights = trainedMlpWeights();
  r.data = m_data;
  r.threads = 2;
  QVERIFY(controller.evaluate(r));
  QTRY_VERIFY_WITH_TIMEOUT(!evaluated.isEmpty(), 60000);
  const TrainResult result = evaluated.last().at(0).value<TrainResult>();
  QCOMPARE(evaluating.count(), 1);
  QVERIFY(result.testEvaluated);
  QVERIFY(!result.trainEvaluated);
  QVERIFY(std::isnan(result.trainLoss) && std::isnan(result.trainAccuracy));
  QCOMPARE(int(result.predicted.size()), m_data->test.count);
  const QRegularExpression pattern(
      QStringLiteral("^Evaluated on %1 test digits in \\d\\.\\d s: loss \\d\\.\\d{4}, accuracy "
                     "0\\.\\d{4}\\.$")
          .arg(QRegularExpression::escape(thousands(m_data->test.count))));
  QVERIFY2(pattern.match(result.message).hasMatch(), qPrintable(result.message));

  // Fashion-MNIST's pictures are not digits.
  auto fashion = std::make_shared<DatasetPair>(*m_data);
  fashion->classNames = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                         "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  r.data = fashion;
  QVERIFY(controller.evaluate(r));
  QTRY_VERIFY_WITH_TIMEOUT(evaluated.count() == 2, 60000);
  const QString message = evaluated.last().at(0).value<TrainResult>().message;
  QVERIFY2(message.contains(QLatin1String(" test images in ")), qPrintable(message));
}

void TestTrainingWorker::stopCancelsAnEvaluationWithoutFigures() {
  // The training set (64 rows) is scored completely, then Stop during the 8,000 test digits: the
  // result has no figures at all, not even the training set's, and comes within about a batch.
  auto data = std::make_shared<DatasetPair>();
  data->train = firstRows(m_data->train, 64);
  data->test = tiled(m_data->test, 8000);
  const double batchMs = cnnEvaluationBatchMs(m_data->test);
  const double fullPassMs = batchMs * data->test.count / 256;

  TrainingController controller;
  QSignalSpy evaluating(&controller, &TrainingController::evaluating);
  QSignalSpy progress(&controller, &TrainingController::evaluationProgress);
  QSignalSpy evaluated(&controller, &TrainingController::evaluated);
  EvaluateRequest r;
  r.spec = presetCnn();
  r.weights = Model(presetCnn(), 5).weights();
  r.data = data;
  r.threads = 2;
  r.evaluateTrainSet = true;
  QVERIFY(controller.evaluate(r));
  QTRY_VERIFY_WITH_TIMEOUT(evaluating.count() == 2 || !evaluated.isEmpty(), 60000);
  QVERIFY(evaluated.isEmpty());
  QElapsedTimer timer;
  timer.start();
  controller.stop();
  QVERIFY(evaluated.wait(60000));
  const double stopMs = double(timer.elapsed());
  const TrainResult result = evaluated.last().at(0).value<TrainResult>();
  QVERIFY(result.cancelled);
  QVERIFY(!result.trainEvaluated);
  QVERIFY(!result.testEvaluated);
  QVERIFY(std::isnan(result.trainLoss) && std::isnan(result.trainAccuracy));
  QVERIFY(std::isnan(result.testLoss) && std::isnan(result.testAccuracy));
  QVERIFY(result.predicted.empty());
  QVERIFY2(result.message.contains(QLatin1String("stopped")), qPrintable(result.message));
  QVERIFY2(stopMs < 0.4 * fullPassMs,
           qPrintable(QStringLiteral("%1 ms after Stop; one batch ~%2 ms, a full pass ~%3 ms")
                          .arg(stopMs)
                          .arg(batchMs)
                          .arg(fullPassMs)));
  QVERIFY(progress.last().at(0).toInt() < data->test.count);
  QVERIFY(!controller.isRunning());
  QVERIFY(controller.evaluate(r));  // and it can evaluate again
  controller.stop();
  QTRY_VERIFY_WITH_TIMEOUT(evaluated.count() == 2, 60000);
}

void TestTrainingWorker::pauseDuringAnEvaluationIsANoOp() {
  auto data = std::make_shared<DatasetPair>();
  data->test = tiled(m_data->test, 3000);
  TrainingController controller;
  QSignalSpy progress(&controller, &TrainingController::evaluationProgress);
  QSignalSpy pausedChanged(&controller, &TrainingController::pausedChanged);
  QSignalSpy evaluated(&controller, &TrainingController::evaluated);
  EvaluateRequest r;
  r.spec = presetCnn();
  r.weights = Model(presetCnn(), 5).weights();
  r.data = data;
  r.threads = 2;
  r.progressIntervalMs = 1;
  QVERIFY(controller.evaluate(r));
  controller.pause();  // right away: not offered
  QVERIFY(!controller.isPaused());
  QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 2 || !evaluated.isEmpty(), 60000);
  QVERIFY(evaluated.isEmpty());
  controller.pause();
  QVERIFY(!controller.isPaused());
  // The worker itself refuses too, so even a direct call cannot block the evaluation.
  auto* worker = qobject_cast<TrainingWorker*>(controller.workerObject());
  QVERIFY(worker);
  QVERIFY(!worker->setPaused(true));
  QVERIFY(!worker->isPaused());
  QTRY_VERIFY_WITH_TIMEOUT(!evaluated.isEmpty(), 60000);  // it ran to its end
  const TrainResult result = evaluated.last().at(0).value<TrainResult>();
  QVERIFY(result.testEvaluated);
  QVERIFY(!result.cancelled);
  QCOMPARE(pausedChanged.count(), 0);
  QVERIFY(!controller.isPaused());
}

void TestTrainingWorker::pauseDuringTheFinalEvaluationIsANoOp() {
  auto data = std::make_shared<DatasetPair>();
  data->train = firstRows(m_data->train, 64);
  data->test = tiled(m_data->test, 3000);
  TrainingController controller;
  QSignalSpy evaluating(&controller, &TrainingController::evaluating);
  QSignalSpy pausedChanged(&controller, &TrainingController::pausedChanged);
  QSignalSpy finished(&controller, &TrainingController::finished);
  TrainRequest r = request(1);
  r.spec = presetCnn();
  r.data = data;
  r.evaluateTrainSet = false;
  QVERIFY(controller.start(r));
  QVERIFY(!controller.isEvaluating());
  QTRY_VERIFY_WITH_TIMEOUT(!evaluating.isEmpty() || !finished.isEmpty(), 60000);
  QVERIFY(finished.isEmpty());
  QVERIFY(controller.isEvaluating());
  QVERIFY(!controller.isEvaluationOnly());
  controller.pause();
  QVERIFY(!controller.isPaused());
  QCOMPARE(pausedChanged.count(), 0);
  QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);  // no deadlock: it ends by itself
  const TrainResult result = resultIn(finished);
  QVERIFY(result.testEvaluated);
  QVERIFY(!result.cancelled);
  QVERIFY(!controller.isEvaluating());
}

void TestTrainingWorker::shutdownDuringAnEvaluationReturnsWithinABatch() {
  auto data = std::make_shared<DatasetPair>();
  data->train = tiled(m_data->train, 8000);
  data->test = tiled(m_data->test, 8000);
  const double batchMs = cnnEvaluationBatchMs(m_data->test);
  const double fullPassMs = batchMs * data->test.count / 256;
  auto controller = std::make_unique<TrainingController>();
  QSignalSpy progress(controller.get(), &TrainingController::evaluationProgress);
  EvaluateRequest r;
  r.spec = presetCnn();
  r.weights = Model(presetCnn(), 5).weights();
  r.data = data;
  r.threads = 2;
  r.evaluateTrainSet = true;
  QVERIFY(controller->evaluate(r));
  QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), 60000);
  QThread* thread = controller->trainingThread();
  QVERIFY(thread->isRunning());
  QElapsedTimer timer;
  timer.start();
  controller.reset();  // closing the window
  const double closeMs = double(timer.elapsed());
  QVERIFY2(closeMs < 0.4 * fullPassMs, qPrintable(QStringLiteral("%1 ms to close; one batch ~%2 ms, a full pass ~%3 ms")
                                                      .arg(closeMs)
                                                      .arg(batchMs)
                                                      .arg(fullPassMs)));
}

void TestTrainingWorker::badEvaluateRequestsFail() {
  TrainingController controller;
  QSignalSpy failed(&controller, &TrainingController::failed);
  QSignalSpy evaluated(&controller, &TrainingController::evaluated);
  EvaluateRequest good;
  good.spec = presetMlp();
  good.weights = Model(presetMlp(), 2).weights();
  good.data = m_data;
  good.threads = 2;

  EvaluateRequest mismatch = good;
  mismatch.spec = presetCnn();  // the MLP's weights for the CNN
  EvaluateRequest noWeights = good;
  noWeights.weights.clear();
  EvaluateRequest noData = good;
  noData.data.reset();
  EvaluateRequest invalidSpec = good;
  invalidSpec.spec.layers.pop_back();  // ends in Dropout
  const std::vector<std::pair<EvaluateRequest, QString>> cases = {
      {mismatch, QStringLiteral("do not fit")},
      {noWeights, QStringLiteral("train it first")},
      {noData, QStringLiteral("No data")},
      {invalidSpec, QString()},
  };
  int expectedFailures = 0;
  for (const auto& [bad, words] : cases) {
    QVERIFY(controller.evaluate(bad));
    ++expectedFailures;
    QTRY_VERIFY_WITH_TIMEOUT(failed.count() == expectedFailures, 30000);
    const QString message = failed.last().at(0).toString();
    QVERIFY(!message.isEmpty());
    QVERIFY2(message.contains(words), qPrintable(message));
    QVERIFY(!controller.isRunning());
    QVERIFY(!controller.isEvaluationOnly());
  }
  QCOMPARE(evaluated.count(), 0);
  QVERIFY(controller.evaluate(good));  // the controller is fine afterwards
  QTRY_VERIFY_WITH_TIMEOUT(evaluated.count() == 1, 60000);

  // A run continuing from weights that do not fit fails the same way.
  TrainRequest run = request(1);
  run.spec = presetCnn();
  run.initialWeights = good.weights;
  QVERIFY(controller.start(run));
  QTRY_VERIFY_WITH_TIMEOUT(failed.count() == expectedFailures + 1, 30000);
  QVERIFY2(failed.last().at(0).toString().contains(QLatin1String("do not fit")),
           qPrintable(failed.last().at(0).toString()));
  QVERIFY(!controller.isRunning());
}

void TestTrainingWorker::continuedRunStartsFromTheGivenWeightsAndNumbersEpochsAfterThem() {
  auto data = std::make_shared<DatasetPair>();
  data->train = firstRows(m_data->train, 2000);
  data->test = firstRows(m_data->test, 500);
  TrainingController controller;
  QSignalSpy started(&controller, &TrainingController::started);
  QSignalSpy progress(&controller, &TrainingController::batchesProgressed);
  QSignalSpy epochs(&controller, &TrainingController::epochFinished);
  QSignalSpy snapshots(&controller, &TrainingController::weightsSnapshot);
  QSignalSpy finished(&controller, &TrainingController::finished);

  TrainRequest first = request(5);
  first.data = data;
  QVERIFY(controller.start(first));
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
  const TrainResult firstResult = resultIn(finished);
  QCOMPARE(int(firstResult.epochs.size()), 5);
  const std::vector<BatchLog> firstBatches = batchesIn(progress);
  const std::vector<Matrix> weights = snapshots.last().at(1).value<std::vector<Matrix>>();
  const double endLoss = firstResult.epochs.back().loss;

  started.clear();
  progress.clear();
  epochs.clear();
  TrainRequest next = request(5);
  next.data = data;
  next.initialWeights = weights;
  next.initialEpoch = 5;
  QVERIFY(controller.start(next));
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 2, 120000);
  const TrainResult result = resultIn(finished);
  QVERIFY(!result.cancelled && !result.diverged);

  // Epochs 6..10 of 10, everywhere.
  QCOMPARE(started.at(0).at(0).toInt(), 5);  // epochs this run trains
  const std::vector<BatchLog> batches = batchesIn(progress);
  QCOMPARE(int(batches.size()), 5 * stepsPerEpoch(next));
  QCOMPARE(batches.front().epoch, 6);
  QCOMPARE(batches.back().epoch, 10);
  for (const BatchLog& b : batches) QCOMPARE(b.epochs, 10);
  QCOMPARE(epochs.count(), 5);
  for (int i = 0; i < 5; ++i) {
    const EpochLog e = epochs.at(i).at(0).value<EpochLog>();
    QCOMPARE(e.epoch, 6 + i);
    QCOMPARE(e.epochs, 10);
  }
  QCOMPARE(int(result.epochs.size()), 5);
  QCOMPARE(result.epochs.front().epoch, 6);
  QCOMPARE(result.epochs.back().epoch, 10);
  QVERIFY2(result.message.contains(QStringLiteral("Trained epochs 6–10 in ")), qPrintable(result.message));

  // It starts where the first run ended, not from a fresh initialisation: its first batches' loss
  // is about the first run's end loss and far below a fresh start's.
  const double freshStart = firstBatches.front().loss;
  const double continuedStart = batches[9].runningLoss;  // mean of its first 10 batches
  QVERIFY2(continuedStart < 0.5 * freshStart,
           qPrintable(QStringLiteral("continued %1, fresh %2").arg(continuedStart).arg(freshStart)));
  QVERIFY2(std::abs(continuedStart - endLoss) < 0.5 * endLoss + 0.05,
           qPrintable(QStringLiteral("continued %1, first run's end %2").arg(continuedStart).arg(endLoss)));
}

void TestTrainingWorker::timesExcludePauses() {
  // A short run paused for about a second: the run's seconds, its message and the epoch's seconds
  // leave that second out.
  auto data = std::make_shared<DatasetPair>();
  data->train = firstRows(m_data->train, 3000);
  data->test = firstRows(m_data->test, 500);
  TrainingController controller;
  QSignalSpy progress(&controller, &TrainingController::batchesProgressed);
  QSignalSpy epochs(&controller, &TrainingController::epochFinished);
  QSignalSpy finished(&controller, &TrainingController::finished);
  // Ten epochs: long enough that the pause lands during training even on a loaded machine.
  TrainRequest r = request(10);
  r.data = data;
  QElapsedTimer wall;
  wall.start();
  QVERIFY(controller.start(r));
  QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), 30000);
  controller.pause();
  QVERIFY(controller.isPaused());
  QTest::qWait(100);  // the worker blocks after the batch in progress
  const size_t atPause = batchesIn(progress).size();
  QVERIFY2(atPause < size_t(10 * stepsPerEpoch(r)), "the run ended before it could be paused");
  QElapsedTimer paused;
  paused.start();
  QTest::qWait(1000);
  const double pausedSeconds = paused.elapsed() / 1000.0;
  controller.resume();
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
  const double wallSeconds = wall.elapsed() / 1000.0;

  const TrainResult result = resultIn(finished);
  QVERIFY(!result.cancelled);
  QVERIFY2(
      result.seconds > 0 && result.seconds < wallSeconds - pausedSeconds + 0.05,
      qPrintable(
          QStringLiteral("run %1 s, wall %2 s, paused %3 s").arg(result.seconds).arg(wallSeconds).arg(pausedSeconds)));
  QVERIFY2(result.message.contains(QStringLiteral("Trained 10 epochs in %1").arg(durationText(result.seconds))),
           qPrintable(result.message));
  double epochSeconds = 0;
  for (const QList<QVariant>& args : epochs) epochSeconds += args.at(0).value<EpochLog>().seconds;
  QVERIFY2(epochSeconds <= result.seconds, qPrintable(QStringLiteral("%1 > %2").arg(epochSeconds).arg(result.seconds)));
}

QTEST_GUILESS_MAIN(TestTrainingWorker)
#include "test_TrainingWorker.moc"
