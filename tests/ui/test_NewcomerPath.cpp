// A newcomer's path through the real main window, driven with the mouse and the keyboard: New
// gives an empty model, a preset clears the last run and is nothing to save, Train continues from
// trained weights (the charts append) or starts afresh, Evaluate scores the current weights (and
// Stop cancels it), a model opened with results shows them consistently, a .dlm or a .json dropped
// on the window opens, saves start in the last used folder and say what they wrote, a download
// asks first and names its size, and every menu action is reachable from the keyboard.

#include "QuietOffscreen.h"
#include "WindowTesting.h"

#include "AppSettings.h"
#include "DigitPanel.h"
#include "MainWindow.h"
#include "ModelBuilder.h"
#include "ResultsView.h"
#include "TrainingCharts.h"
#include "TrainingController.h"
#include "TrainingPanel.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QDropEvent>
#include <QFile>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace dl;

class TestNewcomerPath : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void cleanup() { m_window.reset(); }

  void newModelIsEmptyAndAPresetClearsTheLastRun();
  void trainAgainContinuesOrStartsAfresh();
  void evaluateScoresTheCurrentWeightsAndStopCancelsIt();
  void aModelOpenedWithResultsShowsThemConsistently();
  void droppingAModelOrAnArchitectureOpensIt();
  void savesStartInTheLastFolderAndSayWhatWasWritten();
  void downloadAsksFirstAndNamesTheSize();
  void everyMenuActionIsReachableFromTheKeyboard();

 private:
  QAbstractButton* button(const char* name) const {
    auto* b = m_window->findChild<QAbstractButton*>(QLatin1String(name));
    if (!b) qWarning("no button %s", name);
    return b;
  }
  QAction* action(const char* name) const { return m_window->findChild<QAction*>(QLatin1String(name)); }
  // One epoch of the current model, started with the Train button.
  TrainResult trainOneEpoch();

  std::unique_ptr<MainWindow> m_window;
};

void TestNewcomerPath::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  quietOffscreen();
}

void TestNewcomerPath::init() {
  QString why;
  m_window = openTestWindow(&why);
  QVERIFY2(m_window, qPrintable(why));
}

TrainResult TestNewcomerPath::trainOneEpoch() {
  m_window->findChild<QSpinBox*>(QStringLiteral("epochsSpin"))->setValue(1);
  QSignalSpy finished(m_window->controller(), &TrainingController::finished);
  [&] { QTRY_VERIFY(button("startButton")->isEnabled()); }();
  QTest::mouseClick(button("startButton"), Qt::LeftButton);
  [&] { QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000); }();
  return finished.isEmpty() ? TrainResult{} : finished.at(0).at(0).value<TrainResult>();
}

void TestNewcomerPath::newModelIsEmptyAndAPresetClearsTheLastRun() {
  const TrainResult result = trainOneEpoch();
  QVERIFY(!result.cancelled && !result.diverged);
  QVERIFY(m_window->results()->hasResults());
  QVERIFY(m_window->charts()->batchCount() > 0);
  QVERIFY(m_window->digitPanel()->hasModel());
  QVERIFY(!m_window->trainingPanel()->messageText().isEmpty());
  QVERIFY(m_window->isWindowModified());

  // A preset: the last run's charts, results, drawing model and status line go; nothing to save.
  QTest::mouseClick(button("cnnPresetButton"), Qt::LeftButton);
  QCOMPARE(m_window->builder()->spec().layers, presetCnn().layers);
  QVERIFY2(
      m_window->statusBar()->currentMessage().contains(QLatin1String("Tutorial CNN")),
      qPrintable(m_window->statusBar()->currentMessage()));  // the last run's line is gone, the preset's note stays
  QCOMPARE(m_window->charts()->batchCount(), 0);
  QCOMPARE(m_window->charts()->epochCount(), 0);
  QVERIFY(!m_window->results()->hasResults());
  QVERIFY(!m_window->results()->hasMetrics());
  QVERIFY(!m_window->digitPanel()->hasModel());
  QVERIFY(m_window->trainingPanel()->messageText().isEmpty());
  QCOMPARE(m_window->trainingPanel()->progressText(), QStringLiteral("Ready"));
  QCOMPARE(m_window->trainingPanel()->progressFraction(), 0.0);
  QVERIFY(!m_window->hasWeights());
  QVERIFY(!m_window->isWindowModified());
  QVERIFY(!action("evaluateAction")->isEnabled());  // nothing trained to evaluate

  // New: the input only, ready for layers; invalid (Train waits) but nothing to save.
  action("newModelAction")->trigger();
  QVERIFY(m_window->builder()->spec().layers.empty());
  QVERIFY(!m_window->builder()->isValid());
  QVERIFY(!button("startButton")->isEnabled());
  QVERIFY(!m_window->isWindowModified());
}

void TestNewcomerPath::trainAgainContinuesOrStartsAfresh() {
  QVERIFY(!trainOneEpoch().cancelled);
  QCOMPARE(m_window->history().epochs.size(), size_t(1));
  const double firstLoss = m_window->history().epochs.back().loss;

  int askedWith = -1;
  m_window->setContinuePrompt([&](int trained) {
    askedWith = trained;
    return MainWindow::ContinueChoice::Continue;
  });
  QSignalSpy epochs(m_window->controller(), &TrainingController::epochFinished);
  QVERIFY(!trainOneEpoch().cancelled);
  QCOMPARE(askedWith, 1);
  // The second run numbers its epoch 2 of 2, starts from the trained weights and appends.
  QCOMPARE(epochs.count(), 1);
  const EpochLog second = epochs.at(0).at(0).value<EpochLog>();
  QCOMPARE(second.epoch, 2);
  QCOMPARE(second.epochs, 2);
  QVERIFY2(second.loss < firstLoss, "a continued run starts from the trained weights");
  QCOMPARE(m_window->history().epochs.size(), size_t(2));
  QCOMPARE(m_window->history().batchLoss.size(), size_t(500));
  QCOMPARE(m_window->charts()->epochCount(), 2);
  QCOMPARE(m_window->charts()->batchCount(), 500);
  QCOMPARE(m_window->charts()->runStarts().size(), size_t(1));

  // Afresh: one epoch again, numbered 1, the charts start over.
  m_window->setContinuePrompt([](int) { return MainWindow::ContinueChoice::Afresh; });
  QVERIFY(!trainOneEpoch().cancelled);
  QCOMPARE(m_window->history().epochs.size(), size_t(1));
  QCOMPARE(m_window->history().epochs.back().epoch, 1);
  QCOMPARE(m_window->charts()->epochCount(), 1);

  // Cancel: nothing starts.
  m_window->setContinuePrompt([](int) { return MainWindow::ContinueChoice::Cancel; });
  QTest::mouseClick(button("startButton"), Qt::LeftButton);
  QVERIFY(!m_window->controller()->isRunning());
  QCOMPARE(m_window->history().epochs.size(), size_t(1));
}

void TestNewcomerPath::evaluateScoresTheCurrentWeightsAndStopCancelsIt() {
  QPushButton* evaluate = m_window->results()->findChild<QPushButton*>(QStringLiteral("evaluateButton"));
  QVERIFY(evaluate);
  QVERIFY(!evaluate->isEnabled());  // nothing trained yet
  QVERIFY(!action("evaluateAction")->isEnabled());
  QVERIFY(!trainOneEpoch().cancelled);
  const double testAccuracy = m_window->document().metadata().testAccuracy;
  m_window->results()->clear();
  QVERIFY(!m_window->results()->hasResults());

  // The Results tab's button, clicked: the confusion matrix and the figures come back.
  m_window->tabs()->setCurrentIndex(2);
  QTRY_VERIFY(evaluate->isEnabled());
  QSignalSpy evaluated(m_window->controller(), &TrainingController::evaluated);
  QTest::mouseClick(evaluate, Qt::LeftButton);
  QVERIFY(m_window->controller()->isRunning());
  QVERIFY(!m_window->builder()->isEnabled());  // the model is locked meanwhile
  QTRY_VERIFY_WITH_TIMEOUT(evaluated.count() == 1, 60000);
  const TrainResult result = evaluated.at(0).at(0).value<TrainResult>();
  QVERIFY(result.testEvaluated && result.trainEvaluated);
  QCOMPARE(result.testAccuracy, testAccuracy);  // the same weights score the same
  QVERIFY(m_window->results()->hasResults());
  QCOMPARE(m_window->results()->confusionMatrix().total(), 2000);
  QVERIFY(m_window->trainingPanel()->messageText().contains(QLatin1String("Evaluated")));
  QTRY_VERIFY(!m_window->controller()->isRunning());

  // Ctrl+E, then Stop at once: cancelled, no partial figures, the previous ones stay.
  m_window->tabs()->setCurrentIndex(0);
  m_window->activateWindow();
  QTest::keyClick(m_window.get(), Qt::Key_E, Qt::ControlModifier);
  QVERIFY(m_window->controller()->isRunning());
  QCOMPARE(m_window->tabs()->currentIndex(), 2);  // Evaluate shows the Results tab
  QVERIFY(button("stopButton")->isEnabled());
  QTest::mouseClick(button("stopButton"), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(evaluated.count() == 2, 60000);
  const TrainResult stopped = evaluated.at(1).at(0).value<TrainResult>();
  QVERIFY(stopped.cancelled);
  QVERIFY(!stopped.testEvaluated);
  QCOMPARE(m_window->document().metadata().testAccuracy, testAccuracy);
  QTRY_VERIFY(!m_window->controller()->isRunning());
  QVERIFY(m_window->builder()->isEnabled());
}

void TestNewcomerPath::aModelOpenedWithResultsShowsThemConsistently() {
  QVERIFY(!trainOneEpoch().cancelled);
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("trained.dlm"));
  QString error;
  QVERIFY2(m_window->saveModelTo(path, &error), qPrintable(error));

  MainWindow fresh;
  fresh.show();
  QVERIFY(QTest::qWaitForWindowExposed(&fresh));
  QTRY_VERIFY_WITH_TIMEOUT(fresh.dataset() != nullptr, 30000);
  QVERIFY2(fresh.openModel(path, &error), qPrintable(error));
  QVERIFY(fresh.results()->hasMetrics());
  QVERIFY(!fresh.results()->hasResults());  // no matrix was saved...
  QVERIFY(!fresh.results()->summaryText().contains(QLatin1String("No results")));
  QVERIFY(fresh.results()->matrixPlaceholderText().contains(QLatin1String("Evaluate")));  // ...and it says how
  QVERIFY(fresh.evaluateAction()->isEnabled());
  QVERIFY(fresh.statusBar()->currentMessage().contains(QLatin1String("Opened")));
  fresh.setUnsavedChangesPrompt([](const QString&) { return MainWindow::UnsavedChoice::Discard; });
}

void TestNewcomerPath::droppingAModelOrAnArchitectureOpensIt() {
  QVERIFY(!trainOneEpoch().cancelled);
  QTemporaryDir dir;
  const QString model = dir.filePath(QStringLiteral("dropped.dlm"));
  QString error;
  QVERIFY2(m_window->saveModelTo(model, &error), qPrintable(error));
  QTest::mouseClick(button("cnnPresetButton"), Qt::LeftButton);
  QVERIFY(!m_window->hasWeights());

  const auto drop = [&](const QString& path) {
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    const QPoint where = m_window->rect().center();
    QDragEnterEvent enter(where, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &enter);
    const bool accepted = enter.isAccepted();
    if (accepted) {
      QDropEvent dropEvent(QPointF(where), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
      QApplication::sendEvent(m_window.get(), &dropEvent);
    }
    return accepted;
  };
  QVERIFY(drop(model));
  QTRY_COMPARE(m_window->currentFile(), QFileInfo(model).absoluteFilePath());
  QVERIFY(m_window->hasWeights());
  QCOMPARE(m_window->builder()->spec().layers, presetMlp().layers);

  // An architecture (JSON): its layers, no weights.
  const QString spec = dir.filePath(QStringLiteral("arch.json"));
  QFile f(spec);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(
      R"({"name": "tiny", "input_shape": [784], "layers": [{"class_name": "Dense", "units": 10, "activation": "softmax"}]})");
  f.close();
  QVERIFY(drop(spec));
  QTRY_COMPARE(m_window->builder()->spec().layers.size(), size_t(1));
  QVERIFY(!m_window->hasWeights());
  // Anything else is refused at the door.
  QVERIFY(!drop(dir.filePath(QStringLiteral("notes.txt"))));
}

void TestNewcomerPath::savesStartInTheLastFolderAndSayWhatWasWritten() {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("kept.dlm"));
  QString error;
  QVERIFY2(m_window->saveModelTo(path, &error), qPrintable(error));
  QCOMPARE(settings::lastFolder(), QFileInfo(path).absolutePath());
  QVERIFY(m_window->statusBar()->currentMessage().contains(QLatin1String("kept.dlm")));
  QCOMPARE(settings::inLastFolder(QStringLiteral("model.py")), QDir(dir.path()).filePath(QStringLiteral("model.py")));
}

void TestNewcomerPath::downloadAsksFirstAndNamesTheSize() {
  QString text;
  bool sawBox = false;
  QTimer::singleShot(100, this, [&] {
    auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
    if (!box || box->objectName() != QLatin1String("downloadConfirmBox")) return;
    sawBox = true;
    text = box->text() + QLatin1Char(' ') + box->informativeText();
    box->button(QMessageBox::Cancel)->click();
  });
  action("downloadMnistAction")->trigger();
  QVERIFY(sawBox);
  QVERIFY2(text.contains(QLatin1String("11.6 MB")), qPrintable(text));
  QVERIFY(!m_window->isDownloading());  // Cancel: nothing started
}

void TestNewcomerPath::everyMenuActionIsReachableFromTheKeyboard() {
  // Every menu and every enabled entry has a mnemonic or a shortcut.
  const auto check = [](const QMenu* menu, const auto& self) -> void {
    for (QAction* a : menu->actions()) {
      if (a->isSeparator() || a->text().isEmpty() || !a->isEnabled()) continue;  // placeholders
      if (a->menu()) {
        self(a->menu(), self);
        continue;
      }
      QVERIFY2(a->text().contains(QLatin1Char('&')) || !a->shortcut().isEmpty(),
               qPrintable(QStringLiteral("%1 › %2").arg(menu->title(), a->text())));
    }
  };
  for (QAction* top : m_window->menuBar()->actions()) {
    QVERIFY2(top->text().contains(QLatin1Char('&')), qPrintable(top->text()));
    check(top->menu(), check);
  }
  // The tabs and the docks by key.
  m_window->activateWindow();
  QTest::keyClick(m_window.get(), Qt::Key_3, Qt::AltModifier);
  QCOMPARE(m_window->tabs()->currentIndex(), 2);
  QTest::keyClick(m_window.get(), Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
  QVERIFY(!m_window->drawDock()->isVisible());
  QTest::keyClick(m_window.get(), Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
  QVERIFY(m_window->drawDock()->isVisible());
  // F5 trains.
  QTRY_VERIFY(button("startButton")->isEnabled());
  QTest::keyClick(m_window.get(), Qt::Key_F5);
  QVERIFY(m_window->controller()->isRunning());
  QTest::keyClick(m_window.get(), Qt::Key_F5, Qt::ShiftModifier);
  QTRY_VERIFY_WITH_TIMEOUT(!m_window->controller()->isRunning(), 30000);
}

QTEST_MAIN(TestNewcomerPath)
#include "test_NewcomerPath.moc"
