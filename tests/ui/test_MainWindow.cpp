// The real main window, driven as a user would: it loads the embedded digits, Train is disabled
// while the model is invalid, a preset sets the training settings, a short run fills the charts,
// the results and the drawing panel, Pause/Resume/Stop work from the buttons, and closing the
// window mid-run stops the training promptly (the test finishing at all proves there is no hang).

#include "QuietOffscreen.h"

#include "DatasetBrowser.h"
#include "DiagramPanel.h"
#include "DigitPanel.h"
#include "MainWindow.h"
#include "ModelBuilder.h"
#include "ResultsView.h"
#include "TrainingCharts.h"
#include "TrainingController.h"
#include "TrainingPanel.h"

#include "data/IdxReader.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QXYSeries>

#include <memory>

using namespace dl;

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
  void closingMidRunStopsCleanly();

 private:
  QPushButton* button(const char* name) const;
  void setEpochs(int epochs);

  std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  quietOffscreen();
}

void TestMainWindow::init() {
  m_window = std::make_unique<MainWindow>();
  m_window->show();
  QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
  QTRY_VERIFY_WITH_TIMEOUT(m_window->dataset() != nullptr, 30000);
}

void TestMainWindow::cleanup() {
  m_window.reset();
}

QPushButton* TestMainWindow::button(const char* name) const {
  auto* b = m_window->findChild<QPushButton*>(QLatin1String(name));
  Q_ASSERT(b);
  return b;
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
  QCOMPARE(button("pauseButton")->text(), QStringLiteral("Resume"));
  QTest::qWait(200);
  const int atPause = m_window->charts()->batchCount();
  QTest::qWait(200);
  QCOMPARE(m_window->charts()->batchCount(), atPause);
  QVERIFY(m_window->digitPanel()->hasModel());  // a snapshot was taken on pausing

  QTest::mouseClick(button("pauseButton"), Qt::LeftButton);
  QVERIFY(!m_window->controller()->isPaused());
  QCOMPARE(button("pauseButton")->text(), QStringLiteral("Pause"));
  QTRY_VERIFY_WITH_TIMEOUT(m_window->charts()->batchCount() > atPause, 30000);

  QTest::mouseClick(button("stopButton"), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
  QVERIFY(finished.at(0).at(0).value<TrainResult>().cancelled);
  QCOMPARE(m_window->trainingPanel()->progressText(), QStringLiteral("Stopped"));
  QVERIFY(button("startButton")->isEnabled());
}

void TestMainWindow::closingMidRunStopsCleanly() {
  QTest::mouseClick(m_window->findChild<QWidget*>(QStringLiteral("cnnPresetButton")), Qt::LeftButton);
  setEpochs(20);  // the CNN for 20 epochs: certainly still running when the window closes
  QTRY_VERIFY(button("startButton")->isEnabled());
  QTest::mouseClick(button("startButton"), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(m_window->charts()->batchCount() > 0, 60000);
  QVERIFY(m_window->controller()->isRunning());

  QElapsedTimer timer;
  timer.start();
  QVERIFY(m_window->close());
  QVERIFY(!m_window->controller()->isRunning());
  m_window.reset();  // destroys the controller, thread and worker
  QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
}

QTEST_MAIN(TestMainWindow)
#include "test_MainWindow.moc"
