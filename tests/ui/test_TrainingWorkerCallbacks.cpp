// Keras's callbacks in the training thread (core/train/TrainingWorker.h): EarlyStopping ends a run
// early, its lines reach epochFinished and the final message, the last snapshot holds the best
// epoch's weights; ModelCheckpoint writes a .dlm from the worker thread (creating its folder, as
// Keras does) that loads with this run's history; a checkpoint that cannot be written is a warning and the run goes on;
// bad callback settings fail the run with the argument's name.

#include "TrainingController.h"
#include "io/ModelFile.h"
#include "nn/ModelSpec.h"
#include "train/TrainingWorker.h"

#include "data/IdxReader.h"

#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace dl;

class TestTrainingWorkerCallbacks : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void earlyStoppingEndsTheRunAndRestoresTheBestEpoch();
  void aCheckpointThatCannotBeWrittenIsAWarning();
  void badCallbackSettingsFailTheRun();

 private:
  TrainRequest request(int epochs) const;
  std::shared_ptr<const DatasetPair> m_data;
};

void TestTrainingWorkerCallbacks::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  m_data = std::make_shared<const DatasetPair>(loadDataset("embedded"));
}

// A small MLP (784 - 10 softmax): an epoch of the 8,000 embedded digits takes a few hundred ms.
TrainRequest TestTrainingWorkerCallbacks::request(int epochs) const {
  TrainRequest r;
  r.spec.name = "tiny";
  r.spec.inputShape = {784};
  LayerSpec out;
  out.kind = LayerKind::Dense;
  out.units = 10;
  out.activation = "softmax";
  r.spec.layers = {out};
  r.spec.training.optimizer.learningRate = 0.2;
  r.spec.training.epochs = epochs;
  r.data = m_data;
  r.threads = 2;
  r.evaluateTrainSet = false;
  return r;
}

void TestTrainingWorkerCallbacks::earlyStoppingEndsTheRunAndRestoresTheBestEpoch() {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("new folder/best.dlm"));
  TrainRequest r = request(8);
  r.validation = ValidationMode::TestSet;
  CallbacksSpec& c = r.spec.training.callbacks;
  c.earlyStopping.enabled = true;
  c.earlyStopping.monitor = "loss";
  c.earlyStopping.minDelta = 100;  // only the first epoch improves
  c.earlyStopping.patience = 2;
  c.earlyStopping.restoreBestWeights = true;
  c.modelCheckpoint.enabled = true;
  c.modelCheckpoint.filepath = path.toStdString();
  c.modelCheckpoint.monitor = "loss";
  c.modelCheckpoint.mode = "max";  // "best" = the highest loss: only epoch 1 is saved
  c.modelCheckpoint.saveBestOnly = true;

  TrainingController controller;
  QSignalSpy epochs(&controller, &TrainingController::epochFinished);
  QSignalSpy snapshots(&controller, &TrainingController::weightsSnapshot);
  QSignalSpy finished(&controller, &TrainingController::finished);
  QSignalSpy failed(&controller, &TrainingController::failed);
  std::vector<Matrix> firstEpochWeights;
  connect(&controller, &TrainingController::epochFinished, this, [&](const EpochLog& e) {
    if (e.epoch == 1) firstEpochWeights = snapshots.last().at(1).value<std::vector<Matrix>>();
  });
  QVERIFY(controller.start(r));
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1 || failed.count() == 1, 120000);
  QCOMPARE(failed.count(), 0);
  QCOMPARE(epochs.count(), 3);  // best, wait 1, wait 2: stop
  const EpochLog last = epochs.last().at(0).value<EpochLog>();
  QVERIFY(last.stoppedEarly);
  QVERIFY(last.restoredBestWeights);
  const std::vector<std::string> expected{
      "Epoch 3: loss did not improve from " +
          QString::number(epochs.first().at(0).value<EpochLog>().loss, 'f', 5).toStdString(),
      "Epoch 3: early stopping", "Restoring model weights from the end of the best epoch: 1."};
  QCOMPARE(last.callbackMessages, expected);
  const TrainResult result = finished.last().at(0).value<TrainResult>();
  QVERIFY2(result.message.startsWith(QStringLiteral("Trained 3 epochs in ")), qPrintable(result.message));
  QVERIFY2(result.message.endsWith(
               QStringLiteral(" Epoch 3: early stopping · Restoring model weights from the end of the best epoch: 1.")),
           qPrintable(result.message));
  // The last snapshot (before the last epochFinished) holds epoch 1's weights again.
  const auto finalWeights = snapshots.last().at(1).value<std::vector<Matrix>>();
  QCOMPARE(finalWeights.size(), firstEpochWeights.size());
  for (size_t i = 0; i < finalWeights.size(); ++i) QVERIFY(finalWeights[i] == firstEpochWeights[i]);

  // The checkpoint: epoch 1's model with epoch 1's history.
  const ModelFileContents saved = loadModelFile(path);
  QCOMPARE(saved.spec.layers.size(), size_t(1));
  QVERIFY(saved.spec.training.callbacks.earlyStopping.enabled);
  for (size_t i = 0; i < saved.weights.size(); ++i) QVERIFY(saved.weights[i] == firstEpochWeights[i]);
  QCOMPARE(saved.metadata.history.epochs.size(), size_t(1));
}

void TestTrainingWorkerCallbacks::aCheckpointThatCannotBeWrittenIsAWarning() {
  // Keras creates the file's folder; one below a plain file cannot be.
  QTemporaryDir dir;
  QFile file(dir.filePath(QStringLiteral("file")));
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.close();
  const std::string path = dir.filePath(QStringLiteral("file/y.dlm")).toStdString();
  TrainRequest r = request(2);
  r.spec.training.callbacks.modelCheckpoint.enabled = true;
  r.spec.training.callbacks.modelCheckpoint.filepath = path;
  TrainingController controller;
  QSignalSpy epochs(&controller, &TrainingController::epochFinished);
  QSignalSpy finished(&controller, &TrainingController::finished);
  QVERIFY(controller.start(r));
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
  QCOMPARE(epochs.count(), 2);
  const EpochLog first = epochs.first().at(0).value<EpochLog>();
  QCOMPARE(first.callbackMessages, std::vector<std::string>{"Epoch 1: saving model to " + path});
  QCOMPARE(first.callbackWarnings.size(), size_t(1));
  QVERIFY2(
      QString::fromStdString(first.callbackWarnings[0]).startsWith(QStringLiteral("ModelCheckpoint could not save")),
      first.callbackWarnings[0].c_str());
}

void TestTrainingWorkerCallbacks::badCallbackSettingsFailTheRun() {
  TrainRequest r = request(1);
  r.spec.training.callbacks.reduceLrOnPlateau.enabled = true;
  r.spec.training.callbacks.reduceLrOnPlateau.patience = -1;
  TrainingController controller;
  QSignalSpy failed(&controller, &TrainingController::failed);
  QVERIFY(controller.start(r));
  QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 60000);
  QVERIFY2(failed.first().at(0).toString().contains(QStringLiteral("ReduceLROnPlateau: 'patience'")),
           qPrintable(failed.first().at(0).toString()));
}

QTEST_MAIN(TestTrainingWorkerCallbacks)
#include "test_TrainingWorkerCallbacks.moc"
