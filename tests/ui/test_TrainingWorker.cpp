// The training thread through its controller: a short run reports progress (coalesced), epochs,
// weight snapshots and a final result; every epochFinished comes right after a snapshot of that
// epoch's weights; no snapshot ever holds NaN/inf; Stop ends a run within one batch and a second
// Stop interrupts the final evaluation; a diverging run says so; destroying the controller mid-run
// (closing the window) returns promptly.

#include "TestDatasets.h"
#include "TrainingController.h"

#include "data/IdxReader.h"
#include "nn/Model.h"
#include "nn/ModelSpec.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

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

 private:
  TrainRequest request(int epochs) const;

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
  QVERIFY2(result.seconds >= 10 || QRegularExpression(QStringLiteral("in \\d\\.\\d s")).match(result.message).hasMatch(),
           qPrintable(result.message));

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

QTEST_GUILESS_MAIN(TestTrainingWorker)
#include "test_TrainingWorker.moc"
