// The real main window, driven as a user would: it loads the embedded digits, Train (button and
// menu) is disabled while the model is invalid or data loads, a preset sets the training settings,
// a short run fills the charts, the results and the drawing panel, Pause/Resume/Stop work from the
// buttons and the keys, nothing changes the model or the data during a run, and closing the window
// mid-run ends the training thread promptly. Model files keep trained weights while their shapes
// fit, ask otherwise, hold the settings the panel shows, and checkpoints hold their epoch's end.

#include "QuietOffscreen.h"
#include "WindowTesting.h"

#include "DatasetBrowser.h"
#include "DiagramPanel.h"
#include "DigitPanel.h"
#include "DrawingCanvas.h"
#include "GettingStarted.h"

#include <QDockWidget>
#include "MainWindow.h"
#include "ModelBuilder.h"
#include "ResultsView.h"
#include "TrainingCharts.h"
#include "TrainingController.h"
#include "TrainingPanel.h"

#include "data/DatasetDownloader.h"
#include "data/IdxReader.h"
#include "io/ModelFile.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QUndoStack>
#include <QXYSeries>

#include <cmath>
#include <memory>

using namespace dl;

namespace {

void putBigEndian(QByteArray& out, quint32 v) {
  out.append(char(v >> 24)).append(char(v >> 16)).append(char(v >> 8)).append(char(v));
}

// A raw (not gzipped) IDX pair of `count` 28x28 images and labels.
void writeIdx(const QString& images, const QString& labels, int count) {
  QByteArray img, lab;
  putBigEndian(img, 0x803);
  putBigEndian(img, quint32(count));
  putBigEndian(img, 28);
  putBigEndian(img, 28);
  putBigEndian(lab, 0x801);
  putBigEndian(lab, quint32(count));
  for (int i = 0; i < count; ++i) {
    for (int p = 0; p < 28 * 28; ++p) img.append(char((p * 7 + i * 13) % 256));
    lab.append(char(i % 10));
  }
  QFile fi(images), fl(labels);
  if (fi.open(QIODevice::WriteOnly)) fi.write(img);
  if (fl.open(QIODevice::WriteOnly)) fl.write(lab);
}

}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void cleanup();

  void loadsEmbeddedDataAndEnablesTrain();
  void loadsFashionMnistWhenInstalled();
  void aFolderThatFailsToLoadKeepsTheCurrentData();
  void trainIsDisabledWhileTheModelIsInvalid();
  void presetsSetTheTrainingSettings();
  void shortRunFillsChartsResultsAndDrawingPanel();
  void diagramFollowsTheBuilder();
  void pauseResumeAndStopFromTheButtons();
  void drawingDuringARunPredictsFromSnapshotsWithoutStoppingIt();
  void aDivergedRunIsShownAsAnErrorWithItsAdvice();
  void anyLearningRateAFileMayHoldIsShownUnchanged();
  void closingMidRunStopsCleanly();
  void closingDuringTestSetValidationEndsPromptly();

  // Model files, the unsaved-changes mark, recent files, downloads.
  void trainSaveAndOpenInAFreshWindow();
  void editingMarksModifiedAndClosingAsks();
  void openingGarbageChangesNothing();
  void recentFilesKeepEightExistingFiles();
  void savingUntrainedModelWritesFreshWeights();
  void checkpointAtEachEpochEndHoldsThatEpoch();
  void tickingCheckpointsWithoutAFileAsksForOne();
  void downloadOffersTheDatasetAndLoadsIt();
  void downloadOverHttpShowsCorruptionAndCancels();
  void kerasCodeOfTheCurrentModelAndSettings();

  // Nothing changes the model or the data during a run; the Train menu follows the buttons.
  void modelAndDataCannotChangeDuringARun();
  void trainActionsFollowThePanelButtons();
  // Saving: trained weights kept by shape, settings edits.
  void savingKeepsTrainedWeightsWhenOnlyNamesChanged();
  void savingAfterTheArchitectureChangedAsks();
  void trainingSettingsEditsMarkModifiedAndAreSaved();
  void validationChoiceIsSavedWithTheModel();
  // Keyboard access to the training panel.
  void trainingPanelLabelsHaveBuddiesAndMnemonicsDoNotClash();

 private:
  QPushButton* button(const char* name) const;
  void setEpochs(int epochs);
  // One epoch of the tutorial MLP on the embedded data; returns the run's result.
  TrainResult trainOneEpoch();
  // Closes the window mid-run and checks that the training thread has ended, the worker is gone
  // and the run reported its end, all within `boundMs`.
  void closeMidRunAndCheck(qint64 boundMs);
  QAction* action(const char* name) const;
  void activate();

  std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  quietOffscreen();
}

void TestMainWindow::init() {
  QString why;
  m_window = openTestWindow(&why);
  QVERIFY2(m_window, qPrintable(why));
  m_window->clearRecentFiles();
  m_window->checkpointAction()->setChecked(false);  // a setting: a failed test may have left it on
  // The buttons button() looks up: a missing one fails the test before it runs.
  for (const char* name : {"startButton", "pauseButton", "stopButton"})
    QVERIFY2(m_window->findChild<QPushButton*>(QLatin1String(name)), name);
}

void TestMainWindow::cleanup() { m_window.reset(); }

QPushButton* TestMainWindow::button(const char* name) const {
  if (auto* b = m_window->findChild<QPushButton*>(QLatin1String(name))) return b;
  // init() has checked the buttons the tests press; any other name fails the test here (in every
  // build type) and gets a stand-in, so that the calling line does not crash before it returns.
  QTest::qFail(qPrintable(QStringLiteral("the window has no button named %1").arg(QLatin1String(name))), __FILE__,
               __LINE__);
  static QPushButton* const standIn = new QPushButton;
  return standIn;
}

void TestMainWindow::setEpochs(int epochs) {
  m_window->findChild<QSpinBox*>(QStringLiteral("epochsSpin"))->setValue(epochs);
}

void TestMainWindow::loadsEmbeddedDataAndEnablesTrain() {
  QCOMPARE(m_window->dataset()->train.count, 8000);
  QCOMPARE(m_window->dataset()->test.count, 2000);
  QTRY_VERIFY(button("startButton")->isEnabled());
  QVERIFY(!button("pauseButton")->isEnabled());
  QVERIFY(!button("stopButton")->isEnabled());
  QVERIFY(m_window->windowTitle().contains(QLatin1String("DigitLab")));
  QCOMPARE(m_window->dataBrowser()->dataset(), m_window->dataset());  // the Data tab shows it
}

void TestMainWindow::loadsFashionMnistWhenInstalled() {
  if (fashionMnistFolder().empty()) QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
  auto* combo = m_window->findChild<QComboBox*>(QStringLiteral("datasetCombo"));
  QVERIFY(combo->findData(QStringLiteral("fashion")) >= 0);
  m_window->loadDataset(QStringLiteral("fashion"));
  QVERIFY(!button("startButton")->isEnabled());  // while loading
  QTRY_VERIFY_WITH_TIMEOUT(!m_window->isLoadingData(), 60000);
  QCOMPARE(m_window->dataset()->name, std::string("Fashion-MNIST"));
  QCOMPARE(m_window->dataset()->train.count, 60000);
  QCOMPARE(m_window->digitPanel()->classNames().size(), qsizetype(10));
  QCOMPARE(m_window->digitPanel()->classNames().at(0), QString::fromStdString(m_window->dataset()->classNames[0]));
  QVERIFY(button("startButton")->isEnabled());
}

void TestMainWindow::aFolderThatFailsToLoadKeepsTheCurrentData() {
  const auto before = m_window->dataset();
  QTemporaryDir empty;
  m_window->loadDataset(empty.path());
  QTRY_VERIFY_WITH_TIMEOUT(!m_window->isLoadingData(), 30000);
  QCOMPARE(m_window->dataset(), before);
  auto* box = m_window->findChild<QMessageBox*>(QStringLiteral("dataErrorBox"));
  QVERIFY(box);
  QVERIFY(box->text().contains(empty.path()));
  box->close();
  QVERIFY(button("startButton")->isEnabled());
  QCOMPARE(m_window->trainingPanel()->datasetChoice(), QStringLiteral("embedded"));
}

void TestMainWindow::trainIsDisabledWhileTheModelIsInvalid() {
  QTRY_VERIFY(button("startButton")->isEnabled());
  m_window->builder()->setInputShape({28, 28, 1});  // Dense on an image: invalid
  QVERIFY(!button("startButton")->isEnabled());
  m_window->startTraining();  // the menu's Start is refused as well
  QVERIFY(!m_window->controller()->isRunning());
  m_window->builder()->undoStack()->undo();
  QVERIFY(button("startButton")->isEnabled());
}

void TestMainWindow::presetsSetTheTrainingSettings() {
  auto* optimizer = m_window->findChild<QComboBox*>(QStringLiteral("optimizerCombo"));
  auto* rate = m_window->findChild<QDoubleSpinBox*>(QStringLiteral("learningRateSpin"));
  auto* batch = m_window->findChild<QSpinBox*>(QStringLiteral("batchSizeSpin"));
  auto* epochs = m_window->findChild<QSpinBox*>(QStringLiteral("epochsSpin"));
  QCOMPARE(optimizer->currentText(), QStringLiteral("SGD"));
  QCOMPARE(rate->value(), 0.2);
  QCOMPARE(batch->value(), 32);
  QCOMPARE(epochs->value(), 5);

  QTest::mouseClick(m_window->findChild<QWidget*>(QStringLiteral("cnnPresetButton")), Qt::LeftButton);
  QCOMPARE(m_window->builder()->analysis().totalParams, int64_t(3274634));
  QCOMPARE(optimizer->currentText(), QStringLiteral("Adam"));
  QCOMPARE(rate->value(), 1e-4);
  QCOMPARE(batch->value(), 64);
  QCOMPARE(epochs->value(), 1);
  QCOMPARE(m_window->trainingPanel()->trainingSpec().optimizer.type, std::string("adam"));

  QTest::mouseClick(m_window->findChild<QWidget*>(QStringLiteral("mlpPresetButton")), Qt::LeftButton);
  QCOMPARE(optimizer->currentText(), QStringLiteral("SGD"));
  QCOMPARE(rate->value(), 0.2);
  QCOMPARE(m_window->builder()->spec().training, m_window->trainingPanel()->trainingSpec());
}

void TestMainWindow::shortRunFillsChartsResultsAndDrawingPanel() {
  setEpochs(1);
  QSignalSpy finished(m_window->controller(), &TrainingController::finished);
  QTRY_VERIFY(button("startButton")->isEnabled());
  QTest::mouseClick(button("startButton"), Qt::LeftButton);
  QVERIFY(m_window->controller()->isRunning());
  QVERIFY(!button("startButton")->isEnabled());
  QVERIFY(!m_window->builder()->isEnabled());  // no editing during a run
  QCOMPARE(m_window->tabs()->currentWidget(), static_cast<QWidget*>(m_window->charts()));
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);

  const TrainResult result = finished.at(0).at(0).value<TrainResult>();
  QVERIFY(!result.cancelled && !result.diverged);
  QCOMPARE(m_window->charts()->batchCount(), 250);  // 8,000 / 32
  QCOMPARE(m_window->charts()->epochCount(), 1);
  m_window->charts()->refreshNow();
  QVERIFY(m_window->charts()->series(TrainingCharts::Metric::Loss, TrainingCharts::Curve::RunningMean)->count() > 0);
  QVERIFY(m_window->digitPanel()->hasModel());
  QVERIFY(button("startButton")->isEnabled());
  QVERIFY(m_window->builder()->isEnabled());
  QCOMPARE(m_window->trainingPanel()->progressText(), QStringLiteral("Done"));
  QVERIFY(m_window->trainingPanel()->messageText().contains(QLatin1String("test accuracy")));

  // The results: the tutorial's four figures, the confusion matrix over the whole test set.
  QVERIFY(m_window->results()->hasResults());
  QCOMPARE(m_window->results()->confusionMatrix().total(), 2000);
  QVERIFY(!m_window->results()->metricText(true, true).contains(QStringLiteral("—")));
  QVERIFY(!m_window->results()->metricText(false, false).contains(QStringLiteral("—")));
  QCOMPARE(m_window->results()->confusionMatrix().accuracy(), result.testAccuracy);
}

namespace {
// A "1"-like stroke down the middle of a canvas, as a user draws it.
void drawVerticalStroke(QWidget* canvas) {
  const int w = canvas->width(), h = canvas->height();
  QTest::mousePress(canvas, Qt::LeftButton, {}, QPoint(w / 2, h / 5));
  for (int i = 1; i <= 12; ++i) QTest::mouseMove(canvas, QPoint(w / 2 + i / 4, h / 5 + i * (3 * h / 5) / 12));
  QTest::mouseRelease(canvas, Qt::LeftButton, {}, QPoint(w / 2 + 3, 4 * h / 5));
}
}  // namespace

void TestMainWindow::drawingDuringARunPredictsFromSnapshotsWithoutStoppingIt() {
  setEpochs(50);
  QSignalSpy finished(m_window->controller(), &TrainingController::finished);
  QTRY_VERIFY(button("startButton")->isEnabled());
  QTest::mouseClick(button("startButton"), Qt::LeftButton);
  // The first snapshot of the weights reaches the drawing panel while the run goes on.
  QTRY_VERIFY_WITH_TIMEOUT(m_window->digitPanel()->hasModel(), 30000);
  QVERIFY(m_window->controller()->isRunning());

  DigitPanel* panel = m_window->digitPanel();
  QSignalSpy predictions(panel, &DigitPanel::predictionChanged);
  drawVerticalStroke(panel->canvas());
  QVERIFY(predictions.count() > 0);
  const int digit = panel->predictedClass();
  QVERIFY(digit >= 0 && digit < 10);
  const QList<float> probs = panel->probabilities();
  QCOMPARE(probs.size(), 10);
  double sum = 0;
  for (float p : probs) {
    QVERIFY(std::isfinite(p) && p >= 0.f && p <= 1.f);
    sum += p;
  }
  QVERIFY(std::abs(sum - 1.0) < 1e-4);

  // Without touching the canvas, newer snapshots re-predict the same drawing: live, while the
  // training keeps going (more batches arrive) and is never paused by the drawing.
  const int drawn = int(predictions.count());
  const int batches = m_window->charts()->batchCount();
  QTRY_VERIFY_WITH_TIMEOUT(predictions.count() > drawn + 1, 30000);
  QTRY_VERIFY_WITH_TIMEOUT(m_window->charts()->batchCount() > batches, 30000);
  QVERIFY(m_window->controller()->isRunning());
  QVERIFY(!m_window->controller()->isPaused());
  QCOMPARE(panel->probabilities().size(), 10);

  QTest::mouseClick(button("stopButton"), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
}

void TestMainWindow::aDivergedRunIsShownAsAnErrorWithItsAdvice() {
  // What the worker sends when the loss turns NaN (tests/ui/test_TrainingWorker.cpp makes a real
  // one): the panel says "Diverged" and shows the message, advice included, as an error.
  TrainResult result;
  result.diverged = true;
  result.message = QStringLiteral(
      "Training diverged: the loss became NaN in epoch 1 at batch 3. Try a lower learning "
      "rate (now 1e+06).");
  m_window->trainingPanel()->showFinished(result);
  QCOMPARE(m_window->trainingPanel()->progressText(), QStringLiteral("Diverged"));
  QCOMPARE(m_window->trainingPanel()->messageText(), result.message);
  auto* message = m_window->trainingPanel()->findChild<QLabel*>(QStringLiteral("trainingMessage"));
  QVERIFY(message);
  QVERIFY(message->styleSheet().contains(QStringLiteral("color")));  // shown as an error
}

void TestMainWindow::anyLearningRateAFileMayHoldIsShownUnchanged() {
  // Model files accept 1e-12..1e6 (core/model/ModelSpecJson.cpp): the panel must not clamp them.
  for (double lr : {1e-12, 3e-9, 0.2, 100.0, 1e6}) {
    TrainingSpec t = presetMlp().training;
    t.optimizer.learningRate = lr;
    m_window->trainingPanel()->setTrainingSpec(t);
    QCOMPARE(m_window->trainingPanel()->trainingSpec().optimizer.learningRate, lr);
  }
  // And the largest batch, epochs and seed a file may hold.
  TrainingSpec big = presetMlp().training;
  big.batchSize = 1 << 20;
  big.epochs = 100000;
  big.seed = 2147483647;
  m_window->trainingPanel()->setTrainingSpec(big);
  const TrainingSpec shown = m_window->trainingPanel()->trainingSpec();
  QCOMPARE(shown.batchSize, big.batchSize);
  QCOMPARE(shown.epochs, big.epochs);
  QCOMPARE(shown.seed, big.seed);
}

void TestMainWindow::diagramFollowsTheBuilder() {
  auto* canvas = m_window->diagram()->findChild<QLabel*>(QStringLiteral("diagramCanvas"));
  QVERIFY(canvas);
  QTRY_VERIFY(!canvas->pixmap().isNull());
  const QSize mlp = canvas->pixmap().size();
  QTest::mouseClick(m_window->findChild<QWidget*>(QStringLiteral("cnnPresetButton")), Qt::LeftButton);
  QTRY_VERIFY(canvas->pixmap().size() != mlp);  // eight boxes instead of five
  QVERIFY(canvas->pixmap().height() > mlp.height());
  QCOMPARE(m_window->diagram()->spec().layers, presetCnn().layers);
}

void TestMainWindow::pauseResumeAndStopFromTheButtons() {
  setEpochs(50);
  QSignalSpy finished(m_window->controller(), &TrainingController::finished);
  QTRY_VERIFY(button("startButton")->isEnabled());
  QTest::mouseClick(button("startButton"), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(m_window->charts()->batchCount() > 0, 30000);

  QTest::mouseClick(button("pauseButton"), Qt::LeftButton);
  QVERIFY(m_window->controller()->isPaused());
  QCOMPARE(button("pauseButton")->text(), QStringLiteral("Res&ume"));
  QTest::qWait(200);
  const int atPause = m_window->charts()->batchCount();
  QTest::qWait(200);
  QCOMPARE(m_window->charts()->batchCount(), atPause);
  QVERIFY(m_window->digitPanel()->hasModel());  // a snapshot was taken on pausing

  QTest::mouseClick(button("pauseButton"), Qt::LeftButton);
  QVERIFY(!m_window->controller()->isPaused());
  QCOMPARE(button("pauseButton")->text(), QStringLiteral("Pa&use"));
  QTRY_VERIFY_WITH_TIMEOUT(m_window->charts()->batchCount() > atPause, 30000);

  QTest::mouseClick(button("stopButton"), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
  QVERIFY(finished.at(0).at(0).value<TrainResult>().cancelled);
  QVERIFY(m_window->trainingPanel()->progressText().startsWith(QStringLiteral("Stopped at epoch")));
  QVERIFY(button("startButton")->isEnabled());
}

void TestMainWindow::closeMidRunAndCheck(qint64 boundMs) {
  QVERIFY(m_window->controller()->isRunning());
  QThread* thread = m_window->controller()->trainingThread();
  QPointer<QObject> worker = m_window->controller()->workerObject();
  QVERIFY(thread && thread->isRunning());
  QVERIFY(worker);
  QSignalSpy finished(m_window->controller(), &TrainingController::finished);

  QElapsedTimer timer;
  timer.start();
  QVERIFY(m_window->close());
  const qint64 closing = timer.elapsed();
  qDebug("closing took %lld ms", closing);
  // close() returns only once the run has really ended: the thread is finished and the worker,
  // deleted when its thread finishes, is gone.
  QVERIFY(thread->isFinished());
  QVERIFY(worker.isNull());
  QVERIFY2(closing < boundMs, qPrintable(QStringLiteral("closing took %1 ms").arg(closing)));
  // The worker's last report, finished(), was sent before its thread ended and still arrives.
  QTRY_COMPARE(finished.count(), 1);
  QVERIFY(finished.at(0).at(0).value<TrainResult>().cancelled);
  m_window.reset();  // destroys the controller and the thread
}

void TestMainWindow::closingMidRunStopsCleanly() {
  QTest::mouseClick(m_window->findChild<QWidget*>(QStringLiteral("cnnPresetButton")), Qt::LeftButton);
  setEpochs(20);  // the CNN for 20 epochs: certainly still running when the window closes
  QTRY_VERIFY(button("startButton")->isEnabled());
  QTest::mouseClick(button("startButton"), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(m_window->charts()->batchCount() > 0, 60000);
  closeMidRunAndCheck(10000);  // within one batch of the CNN
}

TrainResult TestMainWindow::trainOneEpoch() {
  setEpochs(1);
  QSignalSpy finished(m_window->controller(), &TrainingController::finished);
  [&] { QTRY_VERIFY(button("startButton")->isEnabled()); }();
  QTest::mouseClick(button("startButton"), Qt::LeftButton);
  [&] { QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000); }();
  return finished.isEmpty() ? TrainResult{} : finished.at(0).at(0).value<TrainResult>();
}

void TestMainWindow::trainSaveAndOpenInAFreshWindow() {
  QVERIFY(!m_window->isWindowModified());
  QVERIFY(m_window->windowTitle().contains(QLatin1String("[*]")));
  const TrainResult result = trainOneEpoch();
  QVERIFY(!result.cancelled && !result.diverged);
  QVERIFY(m_window->isWindowModified());  // trained: unsaved
  QVERIFY(m_window->hasWeights());
  QCOMPARE(m_window->history().epochs.size(), size_t(1));
  QCOMPARE(m_window->history().batchLoss.size(), size_t(250));

  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString path = dir.filePath(QStringLiteral("mlp.dlm"));
  QString error;
  QVERIFY2(m_window->saveModelTo(path, &error), qPrintable(error));
  QVERIFY(!m_window->isWindowModified());
  QCOMPARE(m_window->currentFile(), QFileInfo(path).absoluteFilePath());
  QVERIFY(m_window->windowTitle().contains(QLatin1String("mlp.dlm")));
  QCOMPARE(m_window->recentFiles().value(0), QFileInfo(path).absoluteFilePath());

  // The file on its own: spec, the snapshot's weights, history and metrics.
  const ModelFileContents contents = loadModelFile(path);
  QCOMPARE(contents.spec.layers, m_window->builder()->spec().layers);
  QCOMPARE(contents.spec.inputShape, m_window->builder()->spec().inputShape);
  QCOMPARE(contents.weights.size(), m_window->weights().size());
  QVERIFY(!contents.weights.empty());
  for (size_t i = 0; i < contents.weights.size(); ++i) {
    QCOMPARE(contents.weights[i].rows(), m_window->weights()[i].rows());
    QCOMPARE(contents.weights[i].cols(), m_window->weights()[i].cols());
    QVERIFY(contents.weights[i] == m_window->weights()[i]);
  }
  QCOMPARE(contents.metadata.history.epochs.size(), size_t(1));
  QCOMPARE(contents.metadata.history.batchLoss.size(), size_t(250));
  QCOMPARE(contents.metadata.history.batchesPerEpoch, 250);
  QCOMPARE(contents.metadata.testAccuracy, result.testAccuracy);
  QCOMPARE(contents.metadata.dataset, m_window->dataset()->name);

  // A fresh window opens it: the builder, the drawing panel, the charts and the results.
  MainWindow fresh;
  fresh.setUnsavedChangesPrompt([](const QString&) { return MainWindow::UnsavedChoice::Discard; });
  fresh.show();
  QVERIFY(QTest::qWaitForWindowExposed(&fresh));
  QTRY_VERIFY_WITH_TIMEOUT(fresh.dataset() != nullptr, 30000);
  QVERIFY(!fresh.digitPanel()->hasModel());
  QVERIFY2(fresh.openModel(path, &error), qPrintable(error));
  QCOMPARE(fresh.builder()->spec().layers, m_window->builder()->spec().layers);
  QCOMPARE(fresh.builder()->spec().inputShape, m_window->builder()->spec().inputShape);
  QCOMPARE(fresh.builder()->spec().training, contents.spec.training);
  QVERIFY(fresh.trainingPanel()->trainingSpec().optimizer == contents.spec.training.optimizer);
  QVERIFY(fresh.digitPanel()->hasModel());
  QCOMPARE(fresh.charts()->epochCount(), 1);
  QCOMPARE(fresh.charts()->batchCount(), 250);
  QVERIFY(!fresh.results()->metricText(true, true).contains(QStringLiteral("—")));
  QVERIFY(!fresh.isWindowModified());
  QCOMPARE(fresh.currentFile(), QFileInfo(path).absoluteFilePath());

  // Both predict the same for the same test digit: the weights arrived.
  m_window->digitPanel()->showTestDigit(7);
  fresh.digitPanel()->showTestDigit(7);
  QVERIFY(fresh.digitPanel()->predictedClass() >= 0);
  QCOMPARE(fresh.digitPanel()->predictedClass(), m_window->digitPanel()->predictedClass());
  const QList<float> a = m_window->digitPanel()->probabilities();
  const QList<float> b = fresh.digitPanel()->probabilities();
  QCOMPARE(a.size(), b.size());
  for (qsizetype i = 0; i < a.size(); ++i) QVERIFY(std::abs(a[i] - b[i]) < 1e-6f);

  // Saving the opened model again keeps weights and history.
  const QString again = dir.filePath(QStringLiteral("again.dlm"));
  QVERIFY2(fresh.saveModelTo(again, &error), qPrintable(error));
  const ModelFileContents second = loadModelFile(again);
  QCOMPARE(second.weights.size(), contents.weights.size());
  for (size_t i = 0; i < second.weights.size(); ++i) QVERIFY(second.weights[i] == contents.weights[i]);
  QCOMPARE(second.metadata.history.batchLoss.size(), size_t(250));
  QCOMPARE(second.metadata.testAccuracy, contents.metadata.testAccuracy);
}

void TestMainWindow::editingMarksModifiedAndClosingAsks() {
  QVERIFY(!m_window->isWindowModified());
  QTest::mouseClick(m_window->findChild<QWidget*>(QStringLiteral("cnnPresetButton")), Qt::LeftButton);
  QCOMPARE(m_window->builder()->spec().layers, presetCnn().layers);
  QVERIFY(!m_window->isWindowModified());  // a preset loaded and not edited: nothing to save
  m_window->builder()->removeLayer(m_window->builder()->spec().layers.size() - 2);  // an edit
  QVERIFY(m_window->isWindowModified());
  const auto edited = m_window->builder()->spec().layers;

  int asked = 0;
  QString action;
  m_window->setUnsavedChangesPrompt([&](const QString& what) {
    ++asked;
    action = what;
    return MainWindow::UnsavedChoice::Cancel;
  });
  QVERIFY(!m_window->close());  // cancelled: the window stays
  QCOMPARE(asked, 1);
  QVERIFY(m_window->isVisible());
  QVERIFY(m_window->isWindowModified());
  m_window->newModel();  // cancelled too
  QCOMPARE(asked, 2);
  QCOMPARE(m_window->builder()->spec().layers, edited);

  m_window->setUnsavedChangesPrompt([&](const QString&) {
    ++asked;
    return MainWindow::UnsavedChoice::Discard;
  });
  m_window->newModel();
  QCOMPARE(asked, 3);
  QVERIFY(m_window->builder()->spec().layers.empty());  // a new model: the input only
  QVERIFY(!m_window->isWindowModified());
  QVERIFY(m_window->close());  // nothing to ask about now
  QCOMPARE(asked, 3);
}

void TestMainWindow::openingGarbageChangesNothing() {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("garbage.dlm"));
  {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is not a zip archive at all");
  }
  QTest::mouseClick(m_window->findChild<QWidget*>(QStringLiteral("cnnPresetButton")), Qt::LeftButton);
  const ModelSpec before = m_window->builder()->spec();
  const QString title = m_window->windowTitle();
  const bool modified = m_window->isWindowModified();
  QString error;
  QVERIFY(!m_window->openModel(path, &error));
  QVERIFY2(error.contains(QLatin1String("garbage.dlm")), qPrintable(error));
  QCOMPARE(m_window->builder()->spec(), before);
  QCOMPARE(m_window->windowTitle(), title);
  QCOMPARE(m_window->isWindowModified(), modified);
  QVERIFY(!m_window->digitPanel()->hasModel());
  QVERIFY(m_window->currentFile().isEmpty());
  QVERIFY(m_window->recentFiles().isEmpty());

  // A missing file too.
  QVERIFY(!m_window->openModel(dir.filePath(QStringLiteral("missing.dlm")), &error));
  QVERIFY2(error.contains(QLatin1String("missing.dlm")), qPrintable(error));
  QCOMPARE(m_window->builder()->spec(), before);
}

void TestMainWindow::recentFilesKeepEightExistingFiles() {
  QTemporaryDir dir;
  QStringList saved;
  QString error;
  for (int i = 0; i < 9; ++i) {
    const QString path = dir.filePath(QStringLiteral("m%1.dlm").arg(i));
    QVERIFY2(m_window->saveModelTo(path, &error), qPrintable(error));
    saved.prepend(QFileInfo(path).absoluteFilePath());
  }
  QStringList recent = m_window->recentFiles();
  QCOMPARE(recent.size(), MainWindow::kMaxRecentFiles);
  QCOMPARE(recent, saved.mid(0, MainWindow::kMaxRecentFiles));
  // Saving an existing entry again moves it to the front, without duplicating it.
  QVERIFY(m_window->saveModelTo(saved.at(3), &error));
  recent = m_window->recentFiles();
  QCOMPARE(recent.first(), saved.at(3));
  QCOMPARE(recent.count(saved.at(3)), qsizetype(1));
  // A file that went away drops out (of the list and the menu).
  QVERIFY(QFile::remove(saved.at(0)));
  recent = m_window->recentFiles();
  QVERIFY(!recent.contains(saved.at(0)));
  QCOMPARE(recent.size(), MainWindow::kMaxRecentFiles - 1);
  emit m_window->recentMenu()->aboutToShow();
  int entries = 0;
  for (QAction* a : m_window->recentMenu()->actions())
    if (a->toolTip().endsWith(QLatin1String(".dlm"))) ++entries;
  QCOMPARE(entries, MainWindow::kMaxRecentFiles - 1);
  // Open from the list's path.
  QVERIFY2(m_window->openModel(recent.last(), &error), qPrintable(error));
  QCOMPARE(m_window->recentFiles().first(), recent.last());
}

void TestMainWindow::savingUntrainedModelWritesFreshWeights() {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("untrained.dlm"));
  QVERIFY(!m_window->hasWeights());
  QString error;
  QVERIFY2(m_window->saveModelTo(path, &error), qPrintable(error));
  const ModelFileContents contents = loadModelFile(path);
  QCOMPARE(contents.spec.layers, presetMlp().layers);
  QCOMPARE(contents.weights.size(), size_t(6));  // 3 Dense: kernel + bias
  QVERIFY(contents.metadata.history.empty());
  QVERIFY(std::isnan(contents.metadata.testAccuracy));
  // An invalid model cannot be saved; the window says why and stays modified.
  m_window->builder()->setInputShape({28, 28, 1});
  QVERIFY(m_window->isWindowModified());
  QVERIFY(!m_window->saveModelTo(dir.filePath(QStringLiteral("invalid.dlm")), &error));
  QVERIFY(error.contains(QLatin1String("invalid.dlm")));
  QVERIFY(m_window->isWindowModified());
  QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("invalid.dlm"))));
}

void TestMainWindow::downloadOffersTheDatasetAndLoadsIt() {
  // A "mirror" on disk (file:// URLs) holding a tiny MNIST-format dataset.
  QTemporaryDir mirror, target;
  writeIdx(mirror.filePath(QStringLiteral("train-images-idx3-ubyte")),
           mirror.filePath(QStringLiteral("train-labels-idx1-ubyte")), 40);
  writeIdx(mirror.filePath(QStringLiteral("t10k-images-idx3-ubyte")),
           mirror.filePath(QStringLiteral("t10k-labels-idx1-ubyte")), 20);
  DownloadSpec spec;
  spec.id = QStringLiteral("tiny");
  spec.displayName = QStringLiteral("Tiny");
  spec.folderName = QStringLiteral("tiny");
  spec.mirrors = {QUrl::fromLocalFile(mirror.path() + QLatin1Char('/'))};
  for (const char* name :
       {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
    const QString n = QString::fromLatin1(name);
    spec.files.append({n, DatasetDownloader::fileSha256(mirror.filePath(n))});
  }
  const QString folder = target.filePath(QStringLiteral("tiny"));
  m_window->downloadDataset(spec, folder);
  QVERIFY(m_window->isDownloading());
  QVERIFY(m_window->downloadDialog());
  QTRY_VERIFY_WITH_TIMEOUT(!m_window->isDownloading(), 30000);
  QTRY_VERIFY(m_window->downloadDialog() == nullptr);
  QVERIFY(m_window->trainingPanel()->datasetChoices().contains(folder));
  QVERIFY(m_window->trainingPanel()->datasetNames().contains(QStringLiteral("Tiny (downloaded)")));
  QCOMPARE(m_window->trainingPanel()->datasetChoice(), folder);
  QTRY_VERIFY_WITH_TIMEOUT(!m_window->isLoadingData(), 30000);
  QCOMPARE(m_window->dataset()->train.count, 40);
  QCOMPARE(m_window->dataset()->test.count, 20);

  // A failing download (wrong hash) says so and offers nothing.
  QTemporaryDir target2;
  spec.files[0].sha256 = QByteArray(64, '0');
  const QString folder2 = target2.filePath(QStringLiteral("tiny"));
  m_window->downloadDataset(spec, folder2);
  QTRY_VERIFY_WITH_TIMEOUT(!m_window->isDownloading(), 30000);
  QTRY_VERIFY(m_window->findChild<QMessageBox*>(QStringLiteral("downloadErrorBox")) != nullptr);
  m_window->findChild<QMessageBox*>(QStringLiteral("downloadErrorBox"))->close();
  QVERIFY(!m_window->trainingPanel()->datasetChoices().contains(folder2));
}

namespace {
// An HTTP server on 127.0.0.1 for the download dialog: answers every request with `body` under a
// Content-Length of `declared` bytes. With `drip` the body goes out 2 KB every 20 ms, and a body
// shorter than declared then leaves the transfer running, unfinished (the connection stays open).
class TinyHttpServer : public QObject {
 public:
  TinyHttpServer(QByteArray body, qint64 declared, bool drip)
      : m_body(std::move(body)), m_declared(declared), m_drip(drip) {
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
      while (QTcpSocket* socket = m_server.nextPendingConnection()) {
        auto request = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket, request] {
          *request += socket->readAll();
          if (!request->contains("\r\n\r\n")) return;
          request->clear();
          respond(socket);
        });
      }
    });
    m_server.listen(QHostAddress::LocalHost);
  }
  QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_server.serverPort())); }
  int requests = 0;

 private:
  void respond(QTcpSocket* socket) {
    ++requests;
    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
                  QByteArray::number(m_declared) + "\r\n\r\n");
    if (!m_drip) {
      socket->write(m_body);
      return;
    }
    auto* timer = new QTimer(socket);
    auto offset = std::make_shared<qsizetype>(0);
    connect(timer, &QTimer::timeout, socket, [this, socket, offset, timer] {
      socket->write(m_body.mid(*offset, 2048));
      *offset += 2048;
      if (*offset >= m_body.size()) timer->stop();
    });
    timer->start(20);
  }

  QTcpServer m_server;
  QByteArray m_body;
  qint64 m_declared;
  bool m_drip;
};

DownloadSpec oneFileSpec(const QUrl& mirror, const QByteArray& sha256) {
  DownloadSpec spec;
  spec.id = QStringLiteral("tiny");
  spec.displayName = QStringLiteral("Tiny");
  spec.folderName = QStringLiteral("tiny");
  spec.mirrors = {mirror};
  spec.files.append({QStringLiteral("train-images-idx3-ubyte.gz"), sha256});
  return spec;
}
}  // namespace

void TestMainWindow::downloadOverHttpShowsCorruptionAndCancels() {
  const QByteArray good(400000, 'x');
  const QByteArray goodHash = QCryptographicHash::hash(good, QCryptographicHash::Sha256).toHex();

  // Corrupt bytes from the server: the error box names the file and the mismatch, and nothing is
  // left under the final name or as a .part file.
  {
    QByteArray corrupt = good;
    corrupt[100] = 'y';
    TinyHttpServer server(corrupt, corrupt.size(), false);
    QTemporaryDir target;
    const QString folder = target.filePath(QStringLiteral("tiny"));
    m_window->downloadDataset(oneFileSpec(server.url(), goodHash), folder);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isDownloading(), 30000);
    QVERIFY(server.requests >= 1);
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = m_window->findChild<QMessageBox*>(QStringLiteral("downloadErrorBox"))) != nullptr);
    const QString text = box->text() + box->informativeText() + box->detailedText();
    QVERIFY2(text.contains(QStringLiteral("train-images-idx3-ubyte.gz")) && text.contains(QStringLiteral("SHA-256")),
             qPrintable(text));
    box->close();
    delete box;
    QVERIFY(QDir(folder).entryList(QDir::Files).isEmpty());
    QVERIFY(!m_window->trainingPanel()->datasetChoices().contains(folder));
  }

  // A transfer that stalls halfway: the progress dialog shows it and its Cancel button ends it.
  {
    TinyHttpServer server(good.left(100000), good.size(), true);
    QTemporaryDir target;
    const QString folder = target.filePath(QStringLiteral("tiny"));
    m_window->downloadDataset(oneFileSpec(server.url(), goodHash), folder);
    QProgressDialog* dialog = m_window->downloadDialog();
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->value() > 0, 30000);  // bytes are arriving
    QVERIFY(dialog->labelText().contains(QStringLiteral("train-images-idx3-ubyte.gz")));
    auto* cancel = dialog->findChild<QPushButton*>();
    QVERIFY(cancel && cancel->text().contains(QStringLiteral("Cancel")));
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isDownloading(), 10000);
    QTRY_VERIFY(m_window->downloadDialog() == nullptr);
    QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("cancelled")));
    QVERIFY(m_window->findChild<QMessageBox*>(QStringLiteral("downloadErrorBox")) == nullptr);  // not an error
    QVERIFY(QDir(folder).entryList(QDir::Files).isEmpty());                                     // no partial file
    QVERIFY(!m_window->trainingPanel()->datasetChoices().contains(folder));
  }
}

void TestMainWindow::kerasCodeOfTheCurrentModelAndSettings() {
  QTest::mouseClick(m_window->findChild<QWidget*>(QStringLiteral("cnnPresetButton")), Qt::LeftButton);
  m_window->findChild<QSpinBox*>(QStringLiteral("batchSizeSpin"))->setValue(128);
  const QString code = m_window->kerasCode();
  QVERIFY(code.contains(QStringLiteral("Sequential")));
  QVERIFY(code.contains(QStringLiteral("Conv2D")));
  QVERIFY(code.contains(QStringLiteral("MaxPooling2D")));
  QVERIFY(code.contains(QStringLiteral("Adam")));
  QVERIFY2(code.contains(QStringLiteral("batch_size=128")), qPrintable(code));  // the panel's setting, not the preset's
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("model.py"));
  QString error;
  QVERIFY2(m_window->saveKerasCode(path, &error), qPrintable(error));
  QFile file(path);
  QVERIFY(file.open(QIODevice::ReadOnly));
  QCOMPARE(QString::fromUtf8(file.readAll()), code);
  QVERIFY(!m_window->saveKerasCode(QStringLiteral("/nonexistent/dir/model.py"), &error));
  QVERIFY(error.contains(QStringLiteral("/nonexistent/dir/model.py")));
}

QAction* TestMainWindow::action(const char* name) const {
  auto* a = m_window->findChild<QAction*>(QLatin1String(name));
  if (!a) qWarning("no action %s", name);
  return a;
}

void TestMainWindow::activate() {
  m_window->activateWindow();
  QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestMainWindow::closingDuringTestSetValidationEndsPromptly() {
  // One batch of training data and a big test set: after its only batch, each epoch of the CNN
  // validates on 5,000 test images, and that is where the window closes.
  QTemporaryDir data;
  writeIdx(data.filePath(QStringLiteral("train-images-idx3-ubyte")),
           data.filePath(QStringLiteral("train-labels-idx1-ubyte")), 64);
  writeIdx(data.filePath(QStringLiteral("t10k-images-idx3-ubyte")),
           data.filePath(QStringLiteral("t10k-labels-idx1-ubyte")), 10000);
  m_window->loadDataset(data.path());
  QTRY_VERIFY_WITH_TIMEOUT(!m_window->isLoadingData(), 30000);
  QCOMPARE(m_window->dataset()->test.count, 10000);
  QTest::mouseClick(m_window->findChild<QWidget*>(QStringLiteral("cnnPresetButton")), Qt::LeftButton);
  setEpochs(20);
  m_window->trainingPanel()->setValidationMode(ValidationMode::TestSet);
  QTRY_VERIFY(button("startButton")->isEnabled());
  QTest::mouseClick(button("startButton"), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(m_window->charts()->batchCount() > 0, 60000);  // epoch 1 trained: validating now
  QCOMPARE(m_window->charts()->epochCount(), 0);
  // The validation pass over 10,000 images takes 4-8 s here; closing cancels it between its
  // 256-image batches, so it ends in a fraction of that.
  closeMidRunAndCheck(2000);
}

void TestMainWindow::checkpointAtEachEpochEndHoldsThatEpoch() {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("checkpoint.dlm"));
  QString error;
  QVERIFY2(m_window->saveModelTo(path, &error), qPrintable(error));  // sets the current file
  m_window->checkpointAction()->setChecked(true);
  setEpochs(3);

  // Right after the window has handled each epoch's end (these slots run after the window's):
  // what the file holds, and the last weights snapshot that came before that epoch's end.
  struct AtEpochEnd {
    int epoch = 0;
    bool snapshotDuringEpoch = false;
    size_t epochsInFile = 0;
    size_t batchesInFile = 0;
    int batchesPerEpochInFile = 0;
    bool weightsAreTheSnapshot = false;
  };
  std::vector<AtEpochEnd> ends;
  std::vector<Matrix> lastSnapshot;
  bool snapshotDuringEpoch = false;
  QObject context;
  connect(m_window->controller(), &TrainingController::weightsSnapshot, &context,
          [&](const ModelSpec&, const std::vector<Matrix>& weights) {
            lastSnapshot = weights;
            snapshotDuringEpoch = true;
          });
  connect(m_window->controller(), &TrainingController::epochFinished, &context, [&](const EpochLog& e) {
    AtEpochEnd end;
    end.epoch = e.epoch;
    end.snapshotDuringEpoch = snapshotDuringEpoch;
    snapshotDuringEpoch = false;
    const ModelFileContents contents = loadModelFile(path);
    end.epochsInFile = contents.metadata.history.epochs.size();
    end.batchesInFile = contents.metadata.history.batchLoss.size();
    end.batchesPerEpochInFile = contents.metadata.history.batchesPerEpoch;
    end.weightsAreTheSnapshot = !lastSnapshot.empty() && contents.weights == lastSnapshot;
    ends.push_back(end);
  });

  QSignalSpy finished(m_window->controller(), &TrainingController::finished);
  QTRY_VERIFY(button("startButton")->isEnabled());
  QTest::mouseClick(button("startButton"), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
  m_window->checkpointAction()->setChecked(false);

  QCOMPARE(ends.size(), size_t(3));
  for (const AtEpochEnd& end : ends) {
    // The worker sends a snapshot at the end of every epoch, before the epoch itself.
    QVERIFY2(end.snapshotDuringEpoch, "TrainingWorker sent no weights snapshot at this epoch's end");
    QCOMPARE(end.epochsInFile, size_t(end.epoch));
    QCOMPARE(end.batchesInFile, size_t(250 * end.epoch));  // exactly these epochs' batches (8,000 / 32)
    QCOMPARE(end.batchesPerEpochInFile, 250);
    QVERIFY(end.weightsAreTheSnapshot);
  }
  // Nothing is saved after the last epoch's end: the final metrics are unsaved.
  QCOMPARE(loadModelFile(path).metadata.history.epochs.size(), size_t(3));
  QVERIFY(m_window->isWindowModified());
}

void TestMainWindow::tickingCheckpointsWithoutAFileAsksForOne() {
  QVERIFY(m_window->currentFile().isEmpty());
  QVERIFY(!m_window->checkpointAction()->isChecked());
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("chosen.dlm"));
  // Answers the file dialog the action opens: cancels it, or chooses `path`.
  bool choose = false;
  int dialogs = 0;
  QTimer answer;
  answer.setInterval(20);
  connect(&answer, &QTimer::timeout, &answer, [&] {
    auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
    if (!dialog) return;
    ++dialogs;
    if (choose) {
      dialog->selectFile(path);
      // The name field may still show the suggested name while the folder loads: type it too.
      if (auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"))) name->setText(path);
      QMetaObject::invokeMethod(dialog, "accept");  // protected in QFileDialog
    } else {
      dialog->reject();
    }
  });
  answer.start();

  m_window->checkpointAction()->setChecked(true);
  QCOMPARE(dialogs, 1);
  QVERIFY(!m_window->checkpointAction()->isChecked());  // no file: no checkpoints
  QVERIFY2(m_window->statusBar()->currentMessage().contains(QLatin1String("need a model file")),
           qPrintable(m_window->statusBar()->currentMessage()));
  QVERIFY(m_window->currentFile().isEmpty());

  choose = true;
  m_window->checkpointAction()->setChecked(true);
  QCOMPARE(dialogs, 2);
  QVERIFY(m_window->checkpointAction()->isChecked());
  QCOMPARE(m_window->currentFile(), QFileInfo(path).absoluteFilePath());
  QVERIFY(QFileInfo::exists(path));
  answer.stop();
  m_window->checkpointAction()->setChecked(false);  // the setting outlives the window
}

void TestMainWindow::modelAndDataCannotChangeDuringARun() {
  activate();
  // Something to undo and to redo.
  m_window->builder()->removeLayer(1);
  m_window->builder()->removeLayer(1);
  m_window->builder()->undoStack()->undo();
  QVERIFY(m_window->builder()->isValid());
  const char* const changing[] = {
      "undoAction",       "redoAction",          "mlpPresetAction",       "cnnPresetAction", "importArchitectureAction",
      "openFolderAction", "downloadMnistAction", "downloadFashionAction", "newModelAction",  "openModelAction"};
  for (const char* name : changing) {
    QVERIFY2(action(name), name);
    QVERIFY2(action(name)->isEnabled(), name);
  }

  setEpochs(50);
  QSignalSpy finished(m_window->controller(), &TrainingController::finished);
  QTRY_VERIFY(button("startButton")->isEnabled());
  QTest::mouseClick(button("startButton"), Qt::LeftButton);
  QVERIFY(m_window->controller()->isRunning());
  const ModelSpec before = m_window->builder()->spec();
  const int undoIndex = m_window->builder()->undoStack()->index();
  for (const char* name : changing) QVERIFY2(!action(name)->isEnabled(), name);
  QVERIFY(!m_window->recentMenu()->isEnabled());
  QVERIFY(!m_window->builder()->isEnabled());

  // Their shortcuts and triggers do nothing.
  QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier);
  QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
  QTest::keyClick(m_window.get(), Qt::Key_Y, Qt::ControlModifier);
  for (const char* name : {"undoAction", "redoAction", "cnnPresetAction"}) action(name)->trigger();
  QCOMPARE(m_window->builder()->spec(), before);
  QCOMPARE(m_window->builder()->undoStack()->index(), undoIndex);
  QVERIFY(m_window->controller()->isRunning());

  m_window->stopTraining();
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
  for (const char* name : changing) QVERIFY2(action(name)->isEnabled(), name);
  QVERIFY(m_window->recentMenu()->isEnabled());
  QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier);
  QCOMPARE(m_window->builder()->spec().layers, presetMlp().layers);
}

void TestMainWindow::trainActionsFollowThePanelButtons() {
  activate();
  QAction* start = m_window->startAction();
  QAction* pause = m_window->pauseAction();
  QAction* stop = m_window->stopAction();
  QTRY_VERIFY(button("startButton")->isEnabled());
  QVERIFY(start->isEnabled());
  QVERIFY(!pause->isEnabled());
  QVERIFY(!stop->isEnabled());

  // An invalid model: F5 is off, and does nothing.
  m_window->builder()->setInputShape({28, 28, 1});
  QVERIFY(!start->isEnabled());
  QTest::keyClick(m_window.get(), Qt::Key_F5);
  start->trigger();
  QVERIFY(!m_window->controller()->isRunning());
  m_window->builder()->undoStack()->undo();
  QVERIFY(start->isEnabled());

  // Data loading: off, and startTraining() refuses.
  m_window->loadDataset(QStringLiteral("embedded"));
  QVERIFY(m_window->isLoadingData());
  QVERIFY(!start->isEnabled());
  m_window->startTraining();
  QVERIFY(!m_window->controller()->isRunning());
  QVERIFY2(m_window->statusBar()->currentMessage().contains(QLatin1String("loading")),
           qPrintable(m_window->statusBar()->currentMessage()));
  QTRY_VERIFY_WITH_TIMEOUT(!m_window->isLoadingData(), 30000);
  QVERIFY(start->isEnabled());

  // During a run: Pause and Stop (also from F6), never Pause during the final evaluation, while
  // Stop stays available there to skip it (after a first Stop as well).
  struct During {
    bool pause = true;
    bool stop = false;
  };
  std::vector<During> evaluations;
  QObject context;
  connect(m_window->controller(), &TrainingController::evaluating, &context, [&] {
    evaluations.push_back({pause->isEnabled(), stop->isEnabled()});
  });
  setEpochs(1);
  QSignalSpy finished(m_window->controller(), &TrainingController::finished);
  QTest::keyClick(m_window.get(), Qt::Key_F5);
  QVERIFY(m_window->controller()->isRunning());
  QVERIFY(!start->isEnabled());
  QVERIFY(pause->isEnabled());
  QVERIFY(stop->isEnabled());
  QTest::keyClick(m_window.get(), Qt::Key_F6);
  QVERIFY(m_window->controller()->isPaused());
  QCOMPARE(pause->text(), QStringLiteral("&Resume"));
  QCOMPARE(pause->isEnabled(), button("pauseButton")->isEnabled());
  QTest::keyClick(m_window.get(), Qt::Key_F6);
  QVERIFY(!m_window->controller()->isPaused());
  QCOMPARE(pause->text(), QStringLiteral("&Pause"));
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
  QVERIFY(!evaluations.empty());  // the training set, then the test set
  for (const During& d : evaluations) {
    QVERIFY(!d.pause);
    QVERIFY(d.stop);
  }
  QVERIFY(start->isEnabled());
  QVERIFY(!pause->isEnabled());
  QVERIFY(!stop->isEnabled());

  // Stopped mid-run: the test set is still evaluated, and Stop may skip that.
  evaluations.clear();
  setEpochs(50);
  start->trigger();
  QTRY_VERIFY_WITH_TIMEOUT(m_window->charts()->batchCount() > 0, 30000);
  stop->trigger();
  QVERIFY(!pause->isEnabled());
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 2, 30000);
  for (const During& d : evaluations) {
    QVERIFY(!d.pause);
    QVERIFY(d.stop);
  }
  QVERIFY(start->isEnabled());
}

void TestMainWindow::savingKeepsTrainedWeightsWhenOnlyNamesChanged() {
  int asked = 0;
  m_window->setWeightsMismatchPrompt([&](const QString&) {
    ++asked;
    return MainWindow::WeightsMismatchChoice::Cancel;
  });
  const TrainResult result = trainOneEpoch();
  QVERIFY(!result.cancelled && !result.diverged);
  // Names and activations change no weight shape.
  LayerSpec first = m_window->builder()->spec().layers[0];
  first.name = "hidden";
  first.activation = "relu";
  m_window->builder()->setLayer(0, first);
  LayerSpec last = m_window->builder()->spec().layers[4];
  last.name = "digits";
  m_window->builder()->setLayer(4, last);

  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("renamed.dlm"));
  QString error;
  QVERIFY2(m_window->saveModelTo(path, &error), qPrintable(error));
  QCOMPARE(asked, 0);
  const ModelFileContents contents = loadModelFile(path);
  QCOMPARE(contents.spec.layers[0].name, std::string("hidden"));
  QCOMPARE(contents.spec.layers[4].name, std::string("digits"));
  QCOMPARE(contents.weights, m_window->weights());
  QCOMPARE(contents.metadata.history.batchLoss.size(), size_t(250));
  QCOMPARE(contents.metadata.testAccuracy, result.testAccuracy);
}

void TestMainWindow::savingAfterTheArchitectureChangedAsks() {
  QString asked;
  MainWindow::WeightsMismatchChoice answer = MainWindow::WeightsMismatchChoice::Cancel;
  m_window->setWeightsMismatchPrompt([&](const QString& path) {
    asked = path;
    return answer;
  });
  const TrainResult result = trainOneEpoch();
  QVERIFY(!result.cancelled && !result.diverged);
  LayerSpec first = m_window->builder()->spec().layers[0];
  first.units = 300;
  m_window->builder()->setLayer(0, first);

  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("changed.dlm"));
  QString error;
  QVERIFY(!m_window->saveModelTo(path, &error));  // cancelled
  QCOMPARE(asked, path);
  QVERIFY2(error.contains(QLatin1String("changed.dlm")), qPrintable(error));
  QVERIFY(!QFileInfo::exists(path));
  QVERIFY(m_window->isWindowModified());
  QVERIFY(m_window->currentFile().isEmpty());

  asked.clear();
  answer = MainWindow::WeightsMismatchChoice::SaveWithoutWeights;
  QVERIFY2(m_window->saveModelTo(path, &error), qPrintable(error));
  QCOMPARE(asked, path);
  ModelFileContents contents = loadModelFile(path);
  QCOMPARE(contents.spec.layers[0].units, 300);
  QCOMPARE(contents.weights[0].size(), Eigen::Index(784 * 300));
  QVERIFY(contents.metadata.history.empty());  // no history, no results: they were not this model's
  QVERIFY(std::isnan(contents.metadata.testAccuracy));
  QVERIFY(!m_window->isWindowModified());

  // The real question box: "Save without trained weights" writes the file.
  m_window->setWeightsMismatchPrompt(nullptr);
  const QString boxed = dir.filePath(QStringLiteral("boxed.dlm"));
  int boxes = 0;
  QTimer click;
  click.setInterval(20);
  connect(&click, &QTimer::timeout, &click, [&] {
    auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
    if (!box || box->objectName() != QLatin1String("weightsMismatchBox")) return;
    ++boxes;
    for (QAbstractButton* b : box->buttons())
      if (box->buttonRole(b) == QMessageBox::AcceptRole) b->click();
  });
  click.start();
  QVERIFY2(m_window->saveModelTo(boxed, &error), qPrintable(error));
  click.stop();
  QCOMPARE(boxes, 1);
  contents = loadModelFile(boxed);
  QCOMPARE(contents.weights[0].size(), Eigen::Index(784 * 300));
  QVERIFY(contents.metadata.history.empty());
}

void TestMainWindow::trainingSettingsEditsMarkModifiedAndAreSaved() {
  auto* batch = m_window->findChild<QSpinBox*>(QStringLiteral("batchSizeSpin"));
  auto* epochs = m_window->findChild<QSpinBox*>(QStringLiteral("epochsSpin"));
  auto* rate = m_window->findChild<QDoubleSpinBox*>(QStringLiteral("learningRateSpin"));
  QVERIFY(!m_window->isWindowModified());
  batch->setValue(64);
  QVERIFY(m_window->isWindowModified());
  QVERIFY(m_window->windowTitle().contains(QLatin1String("[*]")));
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("settings.dlm"));
  QString error;
  QVERIFY2(m_window->saveModelTo(path, &error), qPrintable(error));
  QCOMPARE(loadModelFile(path).spec.training.batchSize, 64);
  QVERIFY(!m_window->isWindowModified());
  rate->setValue(0.05);
  QVERIFY(m_window->isWindowModified());
  batch->setValue(32);

  // After a run, the file holds the settings the panel shows; the history what was trained.
  const TrainResult result = trainOneEpoch();
  QVERIFY(!result.cancelled && !result.diverged);
  epochs->setValue(4);
  rate->setValue(0.02);
  QVERIFY2(m_window->saveModelTo(path, &error), qPrintable(error));
  ModelFileContents contents = loadModelFile(path);
  QCOMPARE(contents.spec.training.epochs, 4);
  QCOMPARE(contents.spec.training.optimizer.learningRate, 0.02);
  QCOMPARE(contents.metadata.history.epochs.size(), size_t(1));
  QCOMPARE(contents.metadata.history.batchLoss.size(), size_t(250));
  QCOMPARE(contents.weights, m_window->weights());

  // An opened file: its settings edited and saved again.
  QVERIFY2(m_window->openModel(path, &error), qPrintable(error));
  QVERIFY(!m_window->isWindowModified());
  QCOMPARE(epochs->value(), 4);
  epochs->setValue(7);
  QVERIFY(m_window->isWindowModified());
  QVERIFY2(m_window->saveModelTo(path, &error), qPrintable(error));
  contents = loadModelFile(path);
  QCOMPARE(contents.spec.training.epochs, 7);
  QCOMPARE(contents.metadata.history.epochs.size(), size_t(1));
  QCOMPARE(contents.weights, m_window->weights());
  QCOMPARE(m_window->builder()->spec().training.epochs, 7);
}

void TestMainWindow::validationChoiceIsSavedWithTheModel() {
  auto* validation = m_window->findChild<QComboBox*>(QStringLiteral("validationCombo"));
  validation->setCurrentIndex(validation->findData(int(ValidationMode::TestSet)));
  QVERIFY(m_window->isWindowModified());
  QVERIFY(m_window->trainingPanel()->trainingSpec().validateOnTestSet);
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("validated.dlm"));
  QString error;
  QVERIFY2(m_window->saveModelTo(path, &error), qPrintable(error));
  QVERIFY(loadModelFile(path).spec.training.validateOnTestSet);

  // Another file without it (the split) replaces the choice; opening the first brings it back.
  validation->setCurrentIndex(validation->findData(int(ValidationMode::Split)));
  const QString split = dir.filePath(QStringLiteral("split.dlm"));
  QVERIFY2(m_window->saveModelTo(split, &error), qPrintable(error));
  const ModelFileContents contents = loadModelFile(split);
  QVERIFY(!contents.spec.training.validateOnTestSet);
  QVERIFY(contents.spec.training.validationSplit > 0);
  QVERIFY2(m_window->openModel(path, &error), qPrintable(error));
  QCOMPARE(m_window->trainingPanel()->validationMode(), ValidationMode::TestSet);
  QVERIFY2(m_window->openModel(split, &error), qPrintable(error));
  QCOMPARE(m_window->trainingPanel()->validationMode(), ValidationMode::Split);
  // A preset has none: undoing it brings the choice back too.
  m_window->builder()->applyCnnPreset();
  QCOMPARE(m_window->trainingPanel()->validationMode(), ValidationMode::None);
  m_window->builder()->undoStack()->undo();
  QCOMPARE(m_window->trainingPanel()->validationMode(), ValidationMode::Split);
}

void TestMainWindow::trainingPanelLabelsHaveBuddiesAndMnemonicsDoNotClash() {
  activate();
  TrainingPanel* panel = m_window->trainingPanel();
  auto* optimizer = panel->findChild<QComboBox*>(QStringLiteral("optimizerCombo"));
  QCOMPARE(button("startButton")->text(), QStringLiteral("Tra&in"));
  QCOMPARE(button("pauseButton")->text(), QStringLiteral("Pa&use"));
  QCOMPARE(button("stopButton")->text(), QStringLiteral("&Stop"));

  for (const char* type : {"sgd", "adam"}) {
    optimizer->setCurrentIndex(optimizer->findData(QLatin1String(type)));
    QMap<QString, QString> owner;  // mnemonic key -> what uses it
    const auto take = [&](const QString& text) {
      const QKeySequence key = QKeySequence::mnemonic(text);
      QVERIFY2(!key.isEmpty(), qPrintable(text + QStringLiteral(": no mnemonic")));
      const QString k = key.toString();
      QVERIFY2(!owner.contains(k), qPrintable(QStringLiteral("%1 of '%2' is also '%3'").arg(k, text, owner.value(k))));
      owner.insert(k, text);
    };
    for (QAction* menu : m_window->menuBar()->actions()) take(menu->text());
    for (QLabel* label : panel->findChildren<QLabel*>()) {
      if (!label->isVisibleTo(panel) || label->text().isEmpty() ||
          label->objectName() == QLatin1String("trainingMessage"))
        continue;
      QVERIFY2(label->buddy(), qPrintable(label->text()));
      QVERIFY(panel->isAncestorOf(label->buddy()));
      QVERIFY2(label->buddy()->isVisibleTo(panel), qPrintable(label->text()));
      take(label->text());
    }
    for (QAbstractButton* b : panel->findChildren<QAbstractButton*>())
      if (b->isVisibleTo(panel) && !b->text().isEmpty()) take(b->text());
  }
  // Alt+letter goes to the buddy.
  QTest::keyClick(m_window.get(), Qt::Key_P, Qt::AltModifier);
  QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(optimizer));
  QTest::keyClick(m_window.get(), Qt::Key_C, Qt::AltModifier);
  QTRY_COMPARE(QApplication::focusWidget(),
               static_cast<QWidget*>(panel->findChild<QSpinBox*>(QStringLiteral("epochsSpin"))));
}

QTEST_MAIN(TestMainWindow)
#include "test_MainWindow.moc"
