// Steering a run through the TrainingController: a learning-rate change takes hold from the next
// batch (each BatchLog says which rate its update used); a step while paused trains exactly one
// batch and stays paused; each validated epoch's predictions arrive just before its epochFinished
// and equal predictBatch of that epoch's weights on the validation rows (split and test set, none
// without validation); the learning-rate range test runs in the training thread on a copy of the
// weights, can be stopped within a batch, and blocks runs meanwhile.

#include "TestDatasets.h"
#include "TrainingController.h"
#include "train/TrainingWorker.h"

#include "data/IdxReader.h"
#include "nn/Model.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

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

// The reports in the order the GUI thread receives them.
using Event = std::variant<std::vector<Matrix>, EpochPredictions, EpochLog>;

void record(TrainingController& c, std::vector<Event>& events) {
  QObject::connect(&c, &TrainingController::weightsSnapshot, &c,
                   [&events](const ModelSpec&, const std::vector<Matrix>& w) { events.emplace_back(w); });
  QObject::connect(&c, &TrainingController::epochPredictions, &c,
                   [&events](const EpochPredictions& p) { events.emplace_back(p); });
  QObject::connect(&c, &TrainingController::epochFinished, &c,
                   [&events](const EpochLog& e) { events.emplace_back(e); });
}

}  // namespace

class TestTrainingSteering : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void learningRateChangeHoldsFromTheNextBatch();
  void stepWhilePausedTrainsExactlyOneBatch();
  void stepIsRefusedUnlessPaused();
  void epochPredictionsOfASplitAreTheEpochsOutputs();
  void epochPredictionsOfTheTestSet();
  void noEpochPredictionsWithoutValidation();
  void rangeTestRunsOnACopyAndBlocksRuns();
  void rangeTestStopsWithinABatch();

 private:
  TrainRequest request(int epochs) const;
  void checkPredictions(ValidationMode mode, int epochs);
  std::shared_ptr<const DatasetPair> m_data;  // 2,000 training and 500 test digits
  std::shared_ptr<const DatasetPair> m_full;  // the embedded 8,000 + 2,000
};

void TestTrainingSteering::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  m_full = std::make_shared<const DatasetPair>(loadDataset("embedded"));
  auto small = std::make_shared<DatasetPair>(*m_full);
  small->train = test::firstRows(m_full->train, 2000);
  small->test = test::firstRows(m_full->test, 500);
  m_data = small;
}

TrainRequest TestTrainingSteering::request(int epochs) const {
  TrainRequest r;
  r.spec = presetMlp();
  r.spec.training.optimizer.type = "sgd";
  r.spec.training.optimizer.learningRate = 0.01;
  r.spec.training.epochs = epochs;
  r.spec.training.batchSize = 32;
  r.data = m_data;
  r.threads = 2;
  r.evaluateTrainSet = false;
  return r;
}

void TestTrainingSteering::learningRateChangeHoldsFromTheNextBatch() {
  TrainingController controller;
  QSignalSpy progress(&controller, &TrainingController::batchesProgressed);
  QSignalSpy finished(&controller, &TrainingController::finished);
  QVERIFY(controller.start(request(50)));
  QTRY_VERIFY_WITH_TIMEOUT(batchesIn(progress).size() >= 5, 30000);
  controller.pause();
  QTest::qWait(200);
  const size_t before = batchesIn(progress).size();
  for (const BatchLog& log : batchesIn(progress)) QCOMPARE(log.learningRate, 0.01);

  controller.setLearningRate(0.002);
  controller.resume();
  QTRY_VERIFY_WITH_TIMEOUT(batchesIn(progress).size() >= before + 5, 30000);
  controller.stop();
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
  const std::vector<BatchLog> logs = batchesIn(progress);
  // Every batch up to the pause used 0.01, every one after it 0.002: the change holds from the
  // very next batch.
  for (size_t i = 0; i < logs.size(); ++i) QCOMPARE(logs[i].learningRate, i < before ? 0.01 : 0.002);

  // Rates that are not finite and > 0 are ignored; nothing is sent when no run trains.
  controller.setLearningRate(-1);
  controller.setLearningRate(std::numeric_limits<double>::quiet_NaN());
}

void TestTrainingSteering::stepWhilePausedTrainsExactlyOneBatch() {
  TrainingController controller;
  QSignalSpy progress(&controller, &TrainingController::batchesProgressed);
  QSignalSpy snapshots(&controller, &TrainingController::weightsSnapshot);
  QSignalSpy finished(&controller, &TrainingController::finished);
  QVERIFY(controller.start(request(50)));
  QTRY_VERIFY_WITH_TIMEOUT(batchesIn(progress).size() >= 3, 30000);
  controller.pause();
  QTest::qWait(300);
  const size_t atPause = batchesIn(progress).size();
  const qsizetype snapshotsAtPause = snapshots.count();
  const BatchLog last = batchesIn(progress).back();

  controller.setLearningRate(0.005);  // and the stepped batch uses it
  QVERIFY(controller.step());
  QTRY_COMPARE_WITH_TIMEOUT(batchesIn(progress).size(), atPause + 1, 30000);
  QTest::qWait(300);  // nothing more follows: paused again
  QCOMPARE(batchesIn(progress).size(), atPause + 1);
  QVERIFY(controller.isPaused());
  const BatchLog stepped = batchesIn(progress).back();
  QCOMPARE(stepped.learningRate, 0.005);
  const int steps = last.batchesPerEpoch;
  QCOMPARE((stepped.epoch - 1) * steps + stepped.batch, (last.epoch - 1) * steps + last.batch + 1);
  QVERIFY(snapshots.count() > snapshotsAtPause);  // the weights after the step, as on pausing

  // Two steps asked at once are two batches.
  QVERIFY(controller.step());
  QVERIFY(controller.step());
  QTRY_COMPARE_WITH_TIMEOUT(batchesIn(progress).size(), atPause + 3, 30000);
  QTest::qWait(300);
  QCOMPARE(batchesIn(progress).size(), atPause + 3);

  controller.stop();
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
  QCOMPARE(finished.at(0).at(0).value<TrainResult>().batchesTrained, int64_t(atPause + 3));
}

void TestTrainingSteering::stepIsRefusedUnlessPaused() {
  TrainingController controller;
  QVERIFY(!controller.step());  // nothing runs
  QSignalSpy progress(&controller, &TrainingController::batchesProgressed);
  QSignalSpy finished(&controller, &TrainingController::finished);
  QVERIFY(controller.start(request(50)));
  QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), 30000);
  QVERIFY(!controller.step());  // running, not paused
  TrainingWorker worker;
  QVERIFY(!worker.stepOnce());  // a worker that is not paused takes no step
  controller.stop();
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
}

void TestTrainingSteering::checkPredictions(ValidationMode mode, int epochs) {
  TrainingController controller;
  std::vector<Event> events;
  record(controller, events);
  QSignalSpy finished(&controller, &TrainingController::finished);
  TrainRequest r = request(epochs);
  r.validation = mode;
  r.spec.training.validationSplit = 0.15;
  QVERIFY(controller.start(r));
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);

  const bool split = mode == ValidationMode::Split;
  const Dataset& set = split ? m_data->train : m_data->test;
  const int firstRow = split ? trainingRows(r) : 0;
  QCOMPARE(firstRow, split ? 1700 : 0);  // floor(2000 * 0.85)
  const int count = set.count - firstRow;
  int seen = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const auto* p = std::get_if<EpochPredictions>(&events[i]);
    if (!p) continue;
    ++seen;
    // Just before its epochFinished, after the snapshot of the epoch's weights.
    QVERIFY(i > 0 && i + 1 < events.size());
    const auto* e = std::get_if<EpochLog>(&events[i + 1]);
    QVERIFY(e);
    QCOMPARE(p->epoch, e->epoch);
    QCOMPARE(p->epoch, seen);
    const std::vector<Matrix>* weights = nullptr;
    for (size_t k = i; k-- > 0 && !weights;) weights = std::get_if<std::vector<Matrix>>(&events[k]);
    QVERIFY(weights);
    QCOMPARE(p->source, split ? EpochPredictions::Source::Train : EpochPredictions::Source::Test);
    QCOMPARE(p->firstRow, firstRow);
    QCOMPARE(p->count, count);
    QCOMPARE(p->classes, 10);
    QCOMPARE(int(p->probabilities.size()), count * 10);
    Model model(r.spec);
    model.setWeights(*weights);
    const Matrix expected = model.predict(set.image(firstRow), count);
    double worst = 0;
    for (int row = 0; row < count; ++row)
      for (int c = 0; c < 10; ++c)
        worst = std::max(worst, double(std::abs(expected(row, c) - p->probabilities[size_t(row) * 10 + size_t(c)])));
    QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
  }
  QCOMPARE(seen, epochs);
}

void TestTrainingSteering::epochPredictionsOfASplitAreTheEpochsOutputs() { checkPredictions(ValidationMode::Split, 2); }

void TestTrainingSteering::epochPredictionsOfTheTestSet() { checkPredictions(ValidationMode::TestSet, 1); }

void TestTrainingSteering::noEpochPredictionsWithoutValidation() {
  TrainingController controller;
  QSignalSpy predictions(&controller, &TrainingController::epochPredictions);
  QSignalSpy epochs(&controller, &TrainingController::epochFinished);
  QSignalSpy finished(&controller, &TrainingController::finished);
  QVERIFY(controller.start(request(1)));
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
  QCOMPARE(epochs.count(), 1);
  QCOMPARE(predictions.count(), 0);
}

void TestTrainingSteering::rangeTestRunsOnACopyAndBlocksRuns() {
  TrainingController controller;
  QSignalSpy progressed(&controller, &TrainingController::rangeTestProgressed);
  QSignalSpy done(&controller, &TrainingController::rangeTestFinished);
  QSignalSpy running(&controller, &TrainingController::runningChanged);
  Model model(presetMlp(), 4);
  LrRangeRequest r;
  r.spec = presetMlp();
  r.weights = model.weights();
  const std::vector<Matrix> given = r.weights;
  r.data = m_data;
  r.validation = ValidationMode::Split;  // 1,800 of the 2,000 rows: 57 batches
  r.spec.training.validationSplit = 0.1;
  r.threads = 2;
  r.steps = 80;
  QVERIFY(controller.startRangeTest(r));
  QVERIFY(controller.isRangeTesting());
  QVERIFY(!controller.start(request(1)));  // the training thread is busy
  QVERIFY(!controller.startRangeTest(r));  // one at a time
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 60000);
  QVERIFY(!controller.isRangeTesting());
  QCOMPARE(running.count(), 0);  // not a run
  QVERIFY(done.at(0).at(1).toString().isEmpty());
  const LrRangeResult result = done.at(0).at(0).value<LrRangeResult>();
  QCOMPARE(result.plannedSteps, 57);  // one pass over the training rows (>= 50)
  QVERIFY(!result.points.empty());
  QVERIFY(result.suggestionIndex >= 0);
  QVERIFY(result.suggestion >= 1e-7 && result.suggestion <= 10);
  // The progress reports carry every point once, in order.
  std::vector<LrRangePoint> reported;
  for (const QList<QVariant>& args : progressed) {
    const auto points = args.at(0).value<std::vector<LrRangePoint>>();
    reported.insert(reported.end(), points.begin(), points.end());
  }
  QCOMPARE(reported.size(), result.points.size());
  QCOMPARE(reported.back().learningRate, result.points.back().learningRate);
  // The weights given are unchanged, and so is the model they came from.
  const std::vector<Matrix> after = model.weights();
  for (size_t i = 0; i < given.size(); ++i) QVERIFY(after[i] == given[i] && r.weights[i] == given[i]);
  QVERIFY(controller.start(request(1)));  // free again
  QSignalSpy finished(&controller, &TrainingController::finished);
  controller.stop();
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);

  // A request that cannot run says why.
  LrRangeRequest bad = r;
  bad.weights = {Matrix(2, 2)};
  QVERIFY(controller.startRangeTest(bad));
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 2, 30000);
  QVERIFY(!done.at(1).at(1).toString().isEmpty());
}

void TestTrainingSteering::rangeTestStopsWithinABatch() {
  auto controller = std::make_unique<TrainingController>();
  QSignalSpy progressed(controller.get(), &TrainingController::rangeTestProgressed);
  QSignalSpy done(controller.get(), &TrainingController::rangeTestFinished);
  LrRangeRequest r;
  r.spec = presetCnn();  // 200 batches of a CNN: seconds, time enough to stop it
  r.data = m_full;
  r.threads = 2;
  r.minLr = 1e-7;
  r.maxLr = 1e-6;  // never diverges: only the stop ends it early
  QVERIFY(controller->startRangeTest(r));
  QTRY_VERIFY_WITH_TIMEOUT(!progressed.isEmpty(), 30000);
  QElapsedTimer timer;
  timer.start();
  controller->stopRangeTest();
  QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 30000);
  QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
  const LrRangeResult result = done.at(0).at(0).value<LrRangeResult>();
  QVERIFY(result.cancelled);
  QVERIFY(int(result.points.size()) < result.plannedSteps);

  // Closing the window mid-test (the controller going away) returns promptly.
  QVERIFY(controller->startRangeTest(r));
  QTRY_VERIFY_WITH_TIMEOUT(progressed.count() > 1, 30000);
  timer.restart();
  controller.reset();
  QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
}

QTEST_GUILESS_MAIN(TestTrainingSteering)
#include "test_TrainingSteering.moc"
