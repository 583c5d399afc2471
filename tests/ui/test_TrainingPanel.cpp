// Tests of the training settings and controls (ui/TrainingPanel.h): the progress bar's text and
// fill (times in dl::durationText's format, "Paused" instead of the time left, a stopped run's
// bar left where it stopped, continued runs counted within the run, evaluation progress), the
// buttons during an evaluation (Pause visibly off, Stop skips or cancels), tooltips and
// accessible names, Tab order, and the fit in a narrow (560 px) column. Headless.

#include "TrainingPanel.h"

#include "QuietOffscreen.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace dl;

namespace {

BatchLog batchLog(int epoch, int epochs, int batch, int perEpoch, double elapsed) {
  BatchLog log;
  log.epoch = epoch;
  log.epochs = epochs;
  log.batch = batch;
  log.batchesPerEpoch = perEpoch;
  log.elapsedSeconds = elapsed;
  log.samplesPerSecond = 48000;
  return log;
}

TrainResult cancelledResult() {
  TrainResult result;
  result.cancelled = true;
  result.batchesTrained = 370;
  result.message = QStringLiteral("Stopped after 370 batches");
  return result;
}

bool near(double a, double b) { return std::abs(a - b) < 1.5e-3; }

}  // namespace

class TestTrainingPanel : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { quietOffscreen(); }
  void progressShowsTheTimeLeftInTheCommonDurationFormat();
  void pausedShowsPausedInsteadOfTheTimeLeft();
  void aStoppedRunsBarStaysWhereItStopped();
  void aFinishedRunFillsTheBar();
  void aContinuedRunCountsEpochsOnButFillsTheBarWithinTheRun();
  void pauseIsVisiblyNotOfferedDuringTheFinalEvaluation();
  void evaluationProgressDrivesTheBar();
  void aStandAloneEvaluationCanBeCancelledAndSaysHowItEnded();
  void everyControlHasATooltipAndTheBarAnAccessibleName();
  void everyControlIsReachedByTab();
  void thePanelFitsANarrowColumn();
};

void TestTrainingPanel::progressShowsTheTimeLeftInTheCommonDurationFormat() {
  TrainingPanel panel;
  panel.setModelValid(true);
  panel.setDataReady(true);
  panel.setState(TrainingPanel::State::Running);
  panel.showStarted(5, 250);
  QCOMPARE(panel.progressText(), QStringLiteral("Epoch 1/5 · starting…"));
  QCOMPARE(panel.progressFraction(), 0.0);

  // 120 batches in 12 s: 0.1 s a batch; 1,250 - 370 = 880 batches left: 88 s.
  panel.showProgress(batchLog(2, 5, 120, 250, 12.0));
  QCOMPARE(panel.progressText(), QStringLiteral("Epoch 2/5 · batch 120/250 · 48,000 samples/s · 1 min 28 s left"));
  QVERIFY(near(panel.progressFraction(), 370.0 / 1250));
  QCOMPARE(durationText(88), QStringLiteral("1 min 28 s"));  // the one format

  // Under ten seconds: tenths.
  panel.showProgress(batchLog(5, 5, 200, 250, 20.0));
  QVERIFY2(panel.progressText().endsWith(QStringLiteral("5.0 s left")), qPrintable(panel.progressText()));
  // The bar's tooltip repeats its text (readable when the bar is narrow).
  QCOMPARE(panel.findChild<QProgressBar*>(QStringLiteral("trainingProgress"))->toolTip(), panel.progressText());
}

void TestTrainingPanel::pausedShowsPausedInsteadOfTheTimeLeft() {
  TrainingPanel panel;
  panel.setModelValid(true);
  panel.setDataReady(true);
  panel.setState(TrainingPanel::State::Running);
  panel.showStarted(5, 250);
  panel.showProgress(batchLog(2, 5, 120, 250, 12.0));
  QVERIFY(panel.progressText().contains(QStringLiteral("left")));

  panel.setState(TrainingPanel::State::Paused);
  QCOMPARE(panel.progressText(), QStringLiteral("Epoch 2/5 · batch 120/250 · Paused"));
  // A report still in flight when the pause came does not bring the time back.
  panel.showProgress(batchLog(2, 5, 121, 250, 12.1));
  QCOMPARE(panel.progressText(), QStringLiteral("Epoch 2/5 · batch 121/250 · Paused"));
  QVERIFY(near(panel.progressFraction(), 371.0 / 1250));
  QCOMPARE(panel.pauseButton()->text(), QStringLiteral("Res&ume"));

  panel.setState(TrainingPanel::State::Running);
  QVERIFY(panel.progressText().endsWith(QStringLiteral("left")));
  QVERIFY(!panel.progressText().contains(QStringLiteral("Paused")));
}

void TestTrainingPanel::aStoppedRunsBarStaysWhereItStopped() {
  TrainingPanel panel;
  panel.setModelValid(true);
  panel.setDataReady(true);
  panel.setState(TrainingPanel::State::Running);
  panel.showStarted(5, 250);
  panel.showProgress(batchLog(2, 5, 120, 250, 12.0));
  panel.setState(TrainingPanel::State::Stopping);
  QCOMPARE(panel.progressText(), QStringLiteral("Epoch 2/5 · batch 120/250 · stopping…"));
  // After a Stop the test set is still evaluated; then the run ends.
  panel.showEvaluating(QStringLiteral("Evaluating on the test set…"));
  panel.showEvaluationProgress(10000, 10000);
  QCOMPARE(panel.progressFraction(), 1.0);
  panel.showFinished(cancelledResult());
  panel.setState(TrainingPanel::State::Idle);
  QCOMPARE(panel.progressText(), QStringLiteral("Stopped at epoch 2/5, batch 120/250"));
  QVERIFY(near(panel.progressFraction(), 370.0 / 1250));  // not full
  QCOMPARE(panel.messageText(), QStringLiteral("Stopped after 370 batches"));

  // Stopped before any batch arrived.
  panel.setState(TrainingPanel::State::Running);
  panel.showStarted(5, 250);
  panel.showFinished(cancelledResult());
  QCOMPARE(panel.progressText(), QStringLiteral("Stopped before the first batch"));
  QCOMPARE(panel.progressFraction(), 0.0);
}

void TestTrainingPanel::aFinishedRunFillsTheBar() {
  TrainingPanel panel;
  panel.setState(TrainingPanel::State::Running);
  panel.showStarted(2, 10);
  panel.showProgress(batchLog(2, 2, 10, 10, 1.0));
  panel.showEvaluating(QStringLiteral("Evaluating on the training set…"));
  TrainResult result;
  result.batchesTrained = 20;
  result.message = QStringLiteral("Trained 2 epochs in 2.0 s");
  panel.showFinished(result);
  panel.setState(TrainingPanel::State::Idle);
  QCOMPARE(panel.progressText(), QStringLiteral("Done"));
  QCOMPARE(panel.progressFraction(), 1.0);

  TrainResult diverged;
  diverged.diverged = true;
  diverged.batchesTrained = 3;
  panel.setState(TrainingPanel::State::Running);
  panel.showStarted(2, 10);
  panel.showProgress(batchLog(1, 2, 3, 10, 1.0));
  panel.showFinished(diverged);
  QCOMPARE(panel.progressText(), QStringLiteral("Diverged"));
  QVERIFY(near(panel.progressFraction(), 3.0 / 20));
}

void TestTrainingPanel::aContinuedRunCountsEpochsOnButFillsTheBarWithinTheRun() {
  TrainingPanel panel;
  panel.setState(TrainingPanel::State::Running);
  // Five more epochs after five: the logs say epoch 6..10 of 10.
  panel.showStarted(5, 10, 5);
  QCOMPARE(panel.progressText(), QStringLiteral("Epoch 6/10 · starting…"));
  panel.showProgress(batchLog(6, 10, 5, 10, 0.5));
  QVERIFY(panel.progressText().startsWith(QStringLiteral("Epoch 6/10 · batch 5/10 · ")));
  QVERIFY(near(panel.progressFraction(), 5.0 / 50));  // of this run, not of all ten epochs
  // 45 batches left at 0.1 s.
  QVERIFY2(panel.progressText().endsWith(QStringLiteral("4.5 s left")), qPrintable(panel.progressText()));
  panel.showProgress(batchLog(8, 10, 10, 10, 1.0));
  QVERIFY(near(panel.progressFraction(), 30.0 / 50));
  panel.showFinished(cancelledResult());
  QCOMPARE(panel.progressText(), QStringLiteral("Stopped at epoch 8/10, batch 10/10"));
  QVERIFY(near(panel.progressFraction(), 0.6));
}

void TestTrainingPanel::pauseIsVisiblyNotOfferedDuringTheFinalEvaluation() {
  TrainingPanel panel;
  panel.show();
  QVERIFY(QTest::qWaitForWindowExposed(&panel));
  panel.setModelValid(true);
  panel.setDataReady(true);
  panel.setState(TrainingPanel::State::Running);
  panel.showStarted(1, 10);
  panel.showProgress(batchLog(1, 1, 10, 10, 1.0));
  QVERIFY(panel.canPause());

  panel.showEvaluating(QStringLiteral("Evaluating on the training set…"));
  QVERIFY(!panel.canPause());
  QVERIFY(!panel.pauseButton()->isEnabled());
  QVERIFY2(panel.pauseButton()->toolTip().contains(QStringLiteral("cannot be paused")),
           qPrintable(panel.pauseButton()->toolTip()));
  QSignalSpy paused(&panel, &TrainingPanel::pauseRequested);
  QTest::mouseClick(panel.pauseButton(), Qt::LeftButton);
  QCOMPARE(paused.count(), 0);

  // Stop skips the evaluation, also once a first Stop is under way.
  QVERIFY(panel.canStop());
  QVERIFY(panel.stopButton()->toolTip().contains(QStringLiteral("Skip the evaluation")));
  QSignalSpy stopped(&panel, &TrainingPanel::stopRequested);
  QTest::mouseClick(panel.stopButton(), Qt::LeftButton);
  QCOMPARE(stopped.count(), 1);
  panel.setState(TrainingPanel::State::Stopping);
  QVERIFY(panel.canStop());
  QVERIFY(!panel.canPause());

  // Back to training (a new run): Pause is offered again, with its own tooltip.
  panel.setState(TrainingPanel::State::Idle);
  panel.setState(TrainingPanel::State::Running);
  panel.showStarted(1, 10);
  QVERIFY(panel.canPause());
  QVERIFY(!panel.pauseButton()->toolTip().contains(QStringLiteral("cannot")));
}

void TestTrainingPanel::evaluationProgressDrivesTheBar() {
  TrainingPanel panel;
  panel.setState(TrainingPanel::State::Running);
  panel.showStarted(1, 10);
  panel.showProgress(batchLog(1, 1, 10, 10, 1.0));
  panel.showEvaluationProgress(5, 10);  // no evaluation shown: ignored
  QCOMPARE(panel.progressFraction(), 1.0);

  panel.showEvaluating(QStringLiteral("Evaluating on the test set…"));
  QCOMPARE(panel.progressText(), QStringLiteral("Evaluating on the test set…"));
  panel.showEvaluationProgress(0, 10000);
  QCOMPARE(panel.progressFraction(), 0.0);
  QCOMPARE(panel.progressText(), QStringLiteral("Evaluating on the test set… 0%"));
  panel.showEvaluationProgress(2500, 10000);
  QVERIFY(near(panel.progressFraction(), 0.25));
  QCOMPARE(panel.progressText(), QStringLiteral("Evaluating on the test set… 25%"));
  panel.showEvaluationProgress(20000, 10000);  // clamped
  QCOMPARE(panel.progressFraction(), 1.0);
}

void TestTrainingPanel::aStandAloneEvaluationCanBeCancelledAndSaysHowItEnded() {
  TrainingPanel panel;
  panel.show();
  QVERIFY(QTest::qWaitForWindowExposed(&panel));
  panel.setModelValid(true);
  panel.setDataReady(true);
  // The window's Evaluate: no showStarted(), the state Running so that Stop cancels.
  panel.setState(TrainingPanel::State::Running);
  panel.showEvaluating(QStringLiteral("Evaluating on the test set…"));
  QVERIFY(!panel.canStart());
  QVERIFY(!panel.canPause());
  QVERIFY(panel.canStop());
  QCOMPARE(panel.stopButton()->toolTip(), QStringLiteral("Cancel the evaluation"));
  panel.showEvaluationProgress(3, 10);
  QVERIFY(near(panel.progressFraction(), 0.3));
  QSignalSpy stopped(&panel, &TrainingPanel::stopRequested);
  QTest::mouseClick(panel.stopButton(), Qt::LeftButton);
  QCOMPARE(stopped.count(), 1);
  TrainResult cancelled;
  cancelled.cancelled = true;
  panel.showFinished(cancelled);
  panel.setState(TrainingPanel::State::Idle);
  QCOMPARE(panel.progressText(), QStringLiteral("Evaluation cancelled"));
  QVERIFY(panel.canStart());

  panel.setState(TrainingPanel::State::Running);
  panel.showEvaluating(QStringLiteral("Evaluating on the test set…"));
  panel.showEvaluationProgress(10, 10);
  TrainResult done;
  done.testEvaluated = true;
  panel.showFinished(done);
  panel.setState(TrainingPanel::State::Idle);
  QCOMPARE(panel.progressText(), QStringLiteral("Evaluated"));
  QCOMPARE(panel.progressFraction(), 1.0);
}

void TestTrainingPanel::everyControlHasATooltipAndTheBarAnAccessibleName() {
  TrainingPanel panel;
  int controls = 0;
  for (QWidget* w : panel.findChildren<QWidget*>()) {
    const bool control = qobject_cast<QAbstractButton*>(w) || qobject_cast<QComboBox*>(w) ||
                         qobject_cast<QAbstractSpinBox*>(w) || qobject_cast<QProgressBar*>(w);
    if (!control) continue;
    ++controls;
    QVERIFY2(!w->toolTip().isEmpty(), qPrintable(w->objectName()));
  }
  // optimizer, rate, momentum, Nesterov, beta_1, beta_2, batch, epochs, validation, split, seed,
  // threads, dataset, Train, Pause, Stop, Callbacks…, the bar, Step and the range test
  QCOMPARE(controls, 20);
  auto* bar = panel.findChild<QProgressBar*>(QStringLiteral("trainingProgress"));
  QCOMPARE(bar->accessibleName(), QStringLiteral("Training progress"));
}

void TestTrainingPanel::everyControlIsReachedByTab() {
  TrainingPanel panel;
  panel.setModelValid(true);
  panel.setDataReady(true);
  panel.setValidationMode(ValidationMode::Split);  // the split box is on
  panel.show();
  QVERIFY(QTest::qWaitForWindowExposed(&panel));
  QApplication::setActiveWindow(&panel);
  auto tabAround = [&panel]() {
    QWidget* first = panel.findChild<QWidget*>(QStringLiteral("optimizerCombo"));
    first->setFocus(Qt::TabFocusReason);
    QSet<QWidget*> reached;
    for (int i = 0; i < 40 && QApplication::focusWidget(); ++i) {
      reached.insert(QApplication::focusWidget());
      QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    }
    return reached;
  };
  QSet<QWidget*> reached = tabAround();
  // Spin boxes take the focus in their line edit's stead: accept the box or its child.
  auto reachedOrChild = [&reached](QWidget* w) {
    for (QWidget* r : reached)
      if (r == w || w->isAncestorOf(r)) return true;
    return false;
  };
  for (const char* name :
       {"optimizerCombo", "learningRateSpin", "momentumSpin", "nesterovCheck", "batchSizeSpin", "epochsSpin",
        "validationCombo", "splitSpin", "seedSpin", "threadsSpin", "datasetCombo", "startButton"})
    QVERIFY2(reachedOrChild(panel.findChild<QWidget*>(QLatin1String(name))), name);

  // Adam's rows take the places of SGD's.
  panel.findChild<QComboBox*>(QStringLiteral("optimizerCombo"))->setCurrentIndex(1);
  reached = tabAround();
  for (const char* name : {"beta1Spin", "beta2Spin"})
    QVERIFY2(reachedOrChild(panel.findChild<QWidget*>(QLatin1String(name))), name);

  // While a run trains: Pause and Stop.
  panel.setState(TrainingPanel::State::Running);
  panel.pauseButton()->setFocus(Qt::TabFocusReason);
  QSet<QWidget*> running;
  for (int i = 0; i < 6; ++i) {
    running.insert(QApplication::focusWidget());
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
  }
  QVERIFY(running.contains(panel.pauseButton()));
  QVERIFY(running.contains(panel.stopButton()));
  // Space on the focused Pause button pauses.
  QSignalSpy paused(&panel, &TrainingPanel::pauseRequested);
  panel.pauseButton()->setFocus(Qt::TabFocusReason);
  QTest::keyClick(panel.pauseButton(), Qt::Key_Space);
  QCOMPARE(paused.count(), 1);
}

// At 1280 x 720 the window's centre column is about 560-650 px wide. Grabs go to
// $DIGITLAB_SCREENSHOT_DIR when set.
void TestTrainingPanel::thePanelFitsANarrowColumn() {
  QTemporaryDir tmp;
  const QString outDir = qEnvironmentVariable("DIGITLAB_SCREENSHOT_DIR", tmp.path());
  {
    TrainingPanel fresh;
    fresh.setDatasetChoice(QStringLiteral("/home/someone/Downloads/datasets/mnist-original-idx-files/unpacked"));
    QVERIFY2(fresh.minimumSizeHint().width() <= 560, qPrintable(QString::number(fresh.minimumSizeHint().width())));
  }
  TrainingPanel panel;
  panel.addDatasetFolder(QStringLiteral("MNIST (downloaded)"), tmp.path(), true);
  QVERIFY2(panel.minimumSizeHint().width() <= 560, qPrintable(QString::number(panel.minimumSizeHint().width())));
  // A folder chosen by hand is listed under its path, which can be long: the box elides it.
  panel.setDatasetChoice(QStringLiteral("/home/someone/Downloads/datasets/mnist-original-idx-files/unpacked"));
  panel.addDatasetFolder(QStringLiteral("MNIST (downloaded)"), tmp.path(), true);
  QVERIFY2(panel.minimumSizeHint().width() <= 560, qPrintable(QString::number(panel.minimumSizeHint().width())));
  for (int width : {560, 650}) {
    for (int optimizer : {0, 1}) {
      panel.findChild<QComboBox*>(QStringLiteral("optimizerCombo"))->setCurrentIndex(optimizer);
      panel.setState(TrainingPanel::State::Running);
      panel.showStarted(5, 1875);
      panel.showProgress(batchLog(2, 5, 1200, 1875, 83.0));
      panel.showMessage(QStringLiteral("Trained 5 epochs in 1 min 05 s: test accuracy 0.9784"));
      panel.resize(width, panel.sizeHint().height());
      panel.show();
      QVERIFY(QTest::qWaitForWindowExposed(&panel));
      QCoreApplication::processEvents();
      QCOMPARE(panel.width(), width);
      const QString what = QStringLiteral("%1 px, optimizer %2").arg(width).arg(optimizer);
      QVERIFY(panel.grab().save(QStringLiteral("%1/panel_%2_%3.png").arg(outDir).arg(width).arg(optimizer)));
      // No text is cut: every label, button and box at least as wide as it asks to be.
      for (QWidget* w : panel.findChildren<QWidget*>()) {
        if (!w->isVisible() || w->objectName() == QStringLiteral("trainingMessage")) continue;  // it wraps
        const QString name = what + QLatin1Char(' ') + w->objectName() + QLatin1Char(' ') +
                             (qobject_cast<QLabel*>(w) ? qobject_cast<QLabel*>(w)->text() : QString());
        if (qobject_cast<QLabel*>(w) || qobject_cast<QAbstractButton*>(w))
          QVERIFY2(w->width() >= w->sizeHint().width(), qPrintable(name));
        if (qobject_cast<QComboBox*>(w) || qobject_cast<QAbstractSpinBox*>(w))
          QVERIFY2(w->width() >= w->minimumSizeHint().width(), qPrintable(name));
      }
      auto* bar = panel.findChild<QProgressBar*>(QStringLiteral("trainingProgress"));
      QVERIFY2(bar->fontMetrics().horizontalAdvance(bar->format()) < bar->width() - 8, qPrintable(what));
      panel.setState(TrainingPanel::State::Idle);
      QVERIFY(panel.grab().save(QStringLiteral("%1/panel_%2_%3_idle.png").arg(outDir).arg(width).arg(optimizer)));
    }
  }
}

QTEST_MAIN(TestTrainingPanel)
#include "test_TrainingPanel.moc"
