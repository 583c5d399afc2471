// Steering a run in the real window, with clicks and keys: Step is enabled only while paused and
// trains one batch (the charts and the progress bar show it); a learning rate typed while a run
// trains goes to the run and to the document's settings and is marked on both charts, and the
// marks follow a resize and go with the run's curves; Find… runs the range test in its dialog,
// which plots the curve and marks the suggestion, and "Use this rate" sets the spec's rate
// without touching the model's weights. Writes /tmp/digitlab-steering-*.png to look at.

#include "QuietOffscreen.h"
#include "WindowTesting.h"

#include "LearningRateMarks.h"
#include "LrRangeDialog.h"
#include "MainWindow.h"
#include "ModelBuilder.h"
#include "TrainingCharts.h"
#include "TrainingController.h"
#include "TrainingPanel.h"

#include <QAction>

#include <QDoubleSpinBox>
#include <QGraphicsLineItem>
#include <QGraphicsSimpleTextItem>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>
#include <cmath>

using namespace dl;

class TestSteeringWindow : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void cleanup();
  void stepIsOfferedOnlyWhilePausedAndTrainsOneBatch();
  void aRateTypedWhileRunningGoesToTheRunAndIsMarked();
  void findLearningRateDialogSetsTheSpecAndLeavesTheWeights();
  void chartsMarkEveryRateChangeInTheLogs();

 private:
  void startLongRun();
  QPushButton* button(const char* name) const { return m_window->findChild<QPushButton*>(QLatin1String(name)); }
  std::unique_ptr<MainWindow> m_window;
};

void TestSteeringWindow::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  quietOffscreen();
}

void TestSteeringWindow::init() {
  QString why;
  m_window = openTestWindow(&why);
  QVERIFY2(m_window, qPrintable(why));
  m_window->resize(1400, 900);
}

void TestSteeringWindow::cleanup() { m_window.reset(); }

void TestSteeringWindow::startLongRun() {
  TrainingSpec t = m_window->trainingPanel()->trainingSpec();
  t.epochs = 50;
  t.optimizer.type = "sgd";
  t.optimizer.learningRate = 0.01;
  m_window->trainingPanel()->setTrainingSpec(t);
  QTRY_VERIFY(button("startButton")->isEnabled());
  QTest::mouseClick(button("startButton"), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(m_window->charts()->batchCount() > 3, 30000);
}

void TestSteeringWindow::stepIsOfferedOnlyWhilePausedAndTrainsOneBatch() {
  QPushButton* step = button("stepButton");
  QVERIFY(step);
  QVERIFY(!step->isEnabled());  // idle
  QVERIFY(!m_window->stepAction()->isEnabled());
  startLongRun();
  QVERIFY(!step->isEnabled());  // running
  QTest::mouseClick(button("pauseButton"), Qt::LeftButton);
  QVERIFY(m_window->controller()->isPaused());
  QVERIFY(step->isEnabled());
  QVERIFY(m_window->stepAction()->isEnabled());
  QTest::qWait(300);
  const int atPause = m_window->charts()->batchCount();
  const QString before = m_window->trainingPanel()->progressText();

  QTest::mouseClick(step, Qt::LeftButton);
  QTRY_COMPARE_WITH_TIMEOUT(m_window->charts()->batchCount(), atPause + 1, 30000);
  QTest::qWait(300);
  QCOMPARE(m_window->charts()->batchCount(), atPause + 1);  // one batch, then paused again
  QVERIFY(m_window->controller()->isPaused());
  QVERIFY(step->isEnabled());
  QVERIFY2(m_window->trainingPanel()->progressText() != before, qPrintable(before));
  QVERIFY(m_window->trainingPanel()->progressText().contains(QLatin1String("Paused")));

  // F7 is the menu's Step.
  QTest::keyClick(m_window.get(), Qt::Key_F7);
  QTRY_COMPARE_WITH_TIMEOUT(m_window->charts()->batchCount(), atPause + 2, 30000);

  QTest::mouseClick(button("pauseButton"), Qt::LeftButton);  // resume
  QVERIFY(!step->isEnabled());
  QSignalSpy finished(m_window->controller(), &TrainingController::finished);
  QTest::mouseClick(button("stopButton"), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
  QVERIFY(!step->isEnabled());
}

void TestSteeringWindow::aRateTypedWhileRunningGoesToTheRunAndIsMarked() {
  startLongRun();
  auto* rate = m_window->findChild<QDoubleSpinBox*>(QStringLiteral("learningRateSpin"));
  QVERIFY(rate);
  QVERIFY(rate->isEnabled());  // stays editable while the run trains
  QVERIFY(!m_window->findChild<QWidget*>(QStringLiteral("epochsSpin"))->isEnabled());
  QSignalSpy progress(m_window->controller(), &TrainingController::batchesProgressed);
  auto* edit = rate->findChild<QLineEdit*>();
  QVERIFY(edit);
  edit->selectAll();
  QTest::keyClicks(edit, QStringLiteral("0.001"));
  QCOMPARE(m_window->charts()->learningRateMarks().marks().size(), size_t(0));  // not before Enter
  QTest::keyClick(edit, Qt::Key_Return);
  QCOMPARE(m_window->builder()->spec().training.optimizer.learningRate, 0.001);  // the document's setting

  TrainingCharts* charts = m_window->charts();
  QTRY_COMPARE_WITH_TIMEOUT(charts->learningRateMarks().marks().size(), size_t(1), 30000);
  const LearningRateMarks::Mark mark = charts->learningRateMarks().marks().front();
  QCOMPARE(mark.from, 0.01);
  QCOMPARE(mark.to, 0.001);
  QCOMPARE(LearningRateMarks::labelText(mark), QStringLiteral("lr 0.01 → 0.001"));
  charts->refreshNow();

  // Both charts carry the line and its label, inside the plot area, at the mark's x.
  auto checkPlaced = [&](const char* when) {
    for (auto metric : {TrainingCharts::Metric::Loss, TrainingCharts::Metric::Accuracy}) {
      QChart* chart = charts->chart(metric);
      const auto labels = charts->learningRateMarks().labels(chart);
      const auto lines = charts->learningRateMarks().lines(chart);
      QVERIFY2(labels.size() == 1 && lines.size() == 1, when);
      QVERIFY2(labels[0]->isVisible() && lines[0]->isVisible(), when);
      QCOMPARE(labels[0]->text(), QStringLiteral("lr 0.01 → 0.001"));
      const QRectF area = chart->plotArea();
      const auto* x = static_cast<QValueAxis*>(chart->axes(Qt::Horizontal).first());
      const double expected = area.left() + (mark.x - x->min()) / (x->max() - x->min()) * area.width();
      QVERIFY2(std::abs(lines[0]->line().x1() - expected) < 1.0, when);
      QVERIFY2(std::abs(lines[0]->line().y1() - area.top()) < 1.0, when);
      QVERIFY2(std::abs(lines[0]->line().y2() - area.bottom()) < 1.0, when);
      QVERIFY2(area.contains(labels[0]->pos() + QPointF(1, 1)), when);
    }
  };
  checkPlaced("before the resize");
  QVERIFY(charts->exportPng(QStringLiteral("/tmp/digitlab-steering-marks.png")));

  // The marks follow a resize of the window.
  const double xBefore = charts->learningRateMarks().lines(charts->chart(TrainingCharts::Metric::Loss))[0]->line().x1();
  m_window->resize(1000, 760);
  QTRY_VERIFY(std::abs(charts->learningRateMarks().lines(charts->chart(TrainingCharts::Metric::Loss))[0]->line().x1() -
                       xBefore) > 1);
  QTest::qWait(100);
  checkPlaced("after the resize");

  // The batches since the change used the new rate.
  QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), 30000);
  const auto logs = progress.last().at(0).value<std::vector<BatchLog>>();
  QCOMPARE(logs.back().learningRate, 0.001);

  QSignalSpy finished(m_window->controller(), &TrainingController::finished);
  QTest::mouseClick(button("stopButton"), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
  // A new run's curves start clean: the marks go with the old ones.
  charts->reset(5, 10);
  QCOMPARE(charts->learningRateMarks().marks().size(), size_t(0));
  QVERIFY(charts->learningRateMarks().labels(charts->chart(TrainingCharts::Metric::Loss)).empty());
}

void TestSteeringWindow::findLearningRateDialogSetsTheSpecAndLeavesTheWeights() {
  // Trained weights first: the test must start from a copy of them and leave them as they are.
  TrainingSpec t = m_window->trainingPanel()->trainingSpec();
  t.epochs = 1;
  m_window->trainingPanel()->setTrainingSpec(t);
  QSignalSpy finished(m_window->controller(), &TrainingController::finished);
  QTRY_VERIFY(button("startButton")->isEnabled());
  QTest::mouseClick(button("startButton"), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
  QVERIFY(m_window->hasWeights());
  const std::vector<Matrix> weights = m_window->weights();

  auto* find = m_window->findChild<QToolButton*>(QStringLiteral("findLearningRateButton"));
  QVERIFY(find);
  QVERIFY(find->isEnabled());
  QVERIFY(m_window->findLearningRateAction()->isEnabled());
  QTest::mouseClick(find, Qt::LeftButton);
  LrRangeDialog* dialog = nullptr;
  QTRY_VERIFY((dialog = m_window->findChild<LrRangeDialog*>()) != nullptr);
  QVERIFY(dialog->isVisible());
  QTRY_VERIFY_WITH_TIMEOUT(!dialog->isRunning(), 120000);
  QVERIFY2(dialog->statusText().contains(QLatin1String("Suggested learning rate")), qPrintable(dialog->statusText()));
  QVERIFY(dialog->points().size() >= 50);
  QCOMPARE(dialog->suggestionSeries()->count(), 1);
  const double suggestion = dialog->result().suggestion;
  QVERIFY(suggestion >= 1e-7 && suggestion <= 10);
  QVERIFY(dialog->useButton()->isEnabled());
  QVERIFY(!dialog->stopButton()->isEnabled());
  dialog->grab().save(QStringLiteral("/tmp/digitlab-steering-dialog.png"));

  // The model's weights are untouched.
  const std::vector<Matrix> after = m_window->weights();
  QCOMPARE(after.size(), weights.size());
  for (size_t i = 0; i < after.size(); ++i) QVERIFY(after[i] == weights[i]);

  const double chosen = dialog->chosenRate();
  QVERIFY(std::abs(chosen - suggestion) <= 0.05 * suggestion + 1e-12);  // rounded to two figures
  QPointer<LrRangeDialog> guard(dialog);
  QTest::mouseClick(dialog->useButton(), Qt::LeftButton);
  QTRY_VERIFY(guard.isNull());  // closed (and deleted)
  QCOMPARE(m_window->trainingPanel()->trainingSpec().optimizer.learningRate, chosen);
  QCOMPARE(m_window->builder()->spec().training.optimizer.learningRate, chosen);

  // Closing the dialog mid-test stops it and frees the training thread.
  m_window->findLearningRate();
  QTRY_VERIFY((dialog = m_window->findChild<LrRangeDialog*>()) != nullptr);
  QVERIFY(dialog->isRunning());
  guard = dialog;
  dialog->reject();
  QTRY_VERIFY(guard.isNull());
  QVERIFY(!m_window->controller()->isRangeTesting());
  QVERIFY(button("startButton")->isEnabled());
}

void TestSteeringWindow::chartsMarkEveryRateChangeInTheLogs() {
  // Three epochs of 100 batches; the rate changes before batches 121 and 201 (a callback's 0.1
  // factor, say), and a history without rates (0) marks nothing.
  TrainingCharts charts;
  charts.resize(1100, 480);
  charts.show();
  QVERIFY(QTest::qWaitForWindowExposed(&charts));
  charts.reset(3, 100);
  std::vector<BatchLog> logs;
  for (int i = 0; i < 300; ++i) {
    BatchLog log;
    log.epoch = i / 100 + 1;
    log.epochs = 3;
    log.batch = i % 100 + 1;
    log.batchesPerEpoch = 100;
    log.loss = 2.3 * std::exp(-i / 80.0) + 0.1 + 0.05 * std::sin(i);
    log.accuracy = 1 - log.loss / 2.5;
    log.runningLoss = log.loss;
    log.runningAccuracy = log.accuracy;
    log.learningRate = i < 120 ? 0.1 : i < 200 ? 0.01 : 0.001;
    logs.push_back(log);
  }
  charts.addBatches(std::vector<BatchLog>(logs.begin(), logs.begin() + 150));  // chunks, as they arrive
  charts.addBatches(std::vector<BatchLog>(logs.begin() + 150, logs.end()));
  const auto& marks = charts.learningRateMarks().marks();
  QCOMPARE(marks.size(), size_t(2));
  QCOMPARE(marks[0].epoch, 2);
  QCOMPARE(marks[0].batch, 21);
  QVERIFY(std::abs(marks[0].x - 1.20) < 1e-9);  // where batch 21 of epoch 2 starts
  QCOMPARE(LearningRateMarks::labelText(marks[1]), QStringLiteral("lr 0.01 → 0.001"));
  QVERIFY(std::abs(marks[1].x - 2.0) < 1e-9);
  QVERIFY(charts.exportPng(QStringLiteral("/tmp/digitlab-steering-marks2.png")));
  QChart* loss = charts.chart(TrainingCharts::Metric::Loss);
  const auto labels = charts.learningRateMarks().labels(loss);
  QCOMPARE(labels.size(), size_t(2));
  QVERIFY(labels[0]->isVisible() && labels[1]->isVisible());
  QVERIFY(!labels[0]->sceneBoundingRect().intersects(labels[1]->sceneBoundingRect()));  // no overlap

  charts.reset(3, 100);
  QVERIFY(charts.learningRateMarks().marks().empty());
  for (BatchLog& log : logs) log.learningRate = 0;  // an opened history records no rates
  charts.addBatches(logs);
  QVERIFY(charts.learningRateMarks().marks().empty());
}

QTEST_MAIN(TestSteeringWindow)
#include "test_SteeringWindow.moc"
