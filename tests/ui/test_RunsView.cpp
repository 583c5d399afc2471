// Tests of the Runs tab (ui/RunsView.h) and of the runs the main window keeps: the chart overlays
// exactly the ticked runs (one series per run, in its colour, for the chosen metric), a real click
// on a row's box ticks it, the table lists the settings and results, the PNG/SVG/CSV exports, an
// opened file's runs join once; and through the window, two runs trained are saved with the model
// and come back when the file is opened (marked as from that file, never twice).

#include "OffscreenScreens.h"
#include "QuietOffscreen.h"
#include "WindowTesting.h"

#include "ConfusionMatrixView.h"
#include "MainWindow.h"
#include "MisclassifiedGallery.h"
#include "ResultsView.h"
#include "RunsView.h"
#include "TrainingController.h"
#include "TrainingPanel.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QImage>
#include <QScreen>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QtCharts/QChart>
#include <QtCharts/QLineSeries>

#include <cmath>

using namespace dl;

namespace {

RunRecord run(const std::string& optimizer, double lr, int epochs, double start, bool validation = true) {
  ModelSpec spec = presetMlp();
  spec.training.optimizer.type = optimizer;
  spec.training.optimizer.learningRate = lr;
  spec.training.epochs = epochs;
  RunRecord r = RunRecord::begin(spec, "MNIST (embedded)", 0);
  for (int e = 1; e <= epochs; ++e) {
    EpochLog log;
    log.epoch = e;
    log.epochs = epochs;
    log.loss = start / e;
    log.accuracy = 1 - start / (e + 2);
    if (validation) {
      log.valLoss = start / e + 0.05;
      log.valAccuracy = 1 - start / (e + 2) - 0.01;
    }
    r.epochs.push_back(log);
  }
  TrainResult result;
  result.testEvaluated = true;
  result.testLoss = 0.2;
  result.testAccuracy = 0.93;
  result.seconds = 4.5;
  r.finish(result);
  return r;
}

QStringList seriesNames(const RunsView& view) {
  QStringList names;
  for (QAbstractSeries* s : view.chart()->series()) names << s->name();
  return names;
}

}  // namespace

class TestRunsView : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    quietOffscreen();
  }
  void overlaysExactlyTheTickedRuns();
  void tableListsSettingsAndResults();
  void anOpenedFilesRunsJoinOnce();
  void exportsPngSvgAndCsv();
  void aModelSavedAfterTwoRunsReopensWithTwoRuns();

 private:
  void checkLooksAtSizes(MainWindow& window);
};

// The window on a 1366x768 and a 1920x1080 screen, filling it: the Runs tab's chart and table
// and the Results tab's matrix and drill-down get enough room to read.
void TestRunsView::checkLooksAtSizes(MainWindow& window) {
  const QString dir = qEnvironmentVariable("DIGITLAB_SCREENSHOT_DIR");
  for (const char* name : {"Laptop", "Full"}) {
    QScreen* screen = nullptr;
    for (QScreen* s : QGuiApplication::screens())
      if (s->name() == QLatin1String(name)) screen = s;
    QVERIFY2(screen, name);
    window.setGeometry(screen->availableGeometry());
    window.resetLayout();
    window.setGeometry(screen->availableGeometry());
    QTRY_COMPARE(window.size(), screen->availableGeometry().size());
    const QString at = QStringLiteral("%1x%2").arg(window.width()).arg(window.height());

    window.tabs()->setCurrentWidget(window.runsView());
    window.runsView()->refreshNow();
    QTest::qWait(100);  // Qt Charts lays out on posted events
    if (!dir.isEmpty()) QVERIFY(window.grab().save(QDir(dir).filePath(QStringLiteral("runs_%1.png").arg(at))));
    QVERIFY2(window.runsView()->chart()->plotArea().height() >= 140,
             qPrintable(at + QStringLiteral(": plot %1 px high").arg(window.runsView()->chart()->plotArea().height())));
    QTableWidget* table = window.runsView()->table();
    QVERIFY2(table->viewport()->height() >= 2 * table->rowHeight(0), qPrintable(at));

    ResultsView* results = window.results();
    for (int i = 0; i < window.tabs()->count(); ++i)
      if (window.tabs()->widget(i)->isAncestorOf(results)) window.tabs()->setCurrentIndex(i);
    QApplication::processEvents();
    // The cell with the most mistakes, clicked.
    const ConfusionMatrix& cm = results->confusionMatrix();
    int bt = 0, bq = 1;
    for (int t = 0; t < 10; ++t)
      for (int q = 0; q < 10; ++q)
        if (t != q && cm.count(t, q) > cm.count(bt, bq)) bt = t, bq = q;
    auto* matrix = results->findChild<ConfusionMatrixView*>(QStringLiteral("confusionMatrix"));
    QVERIFY2(matrix->cellRect(bt, bq).width() >= 22, qPrintable(at));
    QTest::mouseClick(matrix, Qt::LeftButton, {}, matrix->cellRect(bt, bq).center());
    QCOMPARE(int(results->listedRows().size()), cm.count(bt, bq));
    auto* gallery = results->findChild<MisclassifiedGallery*>(QStringLiteral("misclassifiedGallery"));
    QVERIFY2(gallery->visibleRegion().boundingRect().contains(gallery->imageRect(0)), qPrintable(at));
    if (!dir.isEmpty())
      QVERIFY(window.grab().save(QDir(dir).filePath(QStringLiteral("results_drilldown_%1.png").arg(at))));
    results->selectCell(-1, -1);
  }
}

void TestRunsView::overlaysExactlyTheTickedRuns() {
  RunsView view;
  view.resize(1100, 650);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  view.addOrUpdateRun(run("sgd", 0.2, 5, 0.5));
  view.addOrUpdateRun(run("adam", 1e-3, 3, 0.3));
  view.addOrUpdateRun(run("sgd", 0.05, 4, 0.8, false));  // no validation values
  view.setMetric(QStringLiteral("loss"));
  view.refreshNow();
  QCOMPARE(view.chart()->series().size(), 3);  // new runs come ticked
  QCOMPARE(seriesNames(view), (QStringList{QStringLiteral("Run 1"), QStringLiteral("Run 2"), QStringLiteral("Run 3")}));
  auto* second = qobject_cast<QLineSeries*>(view.chart()->series().at(1));
  QCOMPARE(second->count(), 3);
  QCOMPARE(second->at(2), QPointF(3, 0.3 / 3));
  QCOMPARE(second->pen().color(), view.runColour(1));

  // A real click on row 2's box unticks it.
  QTableWidget* table = view.table();
  const QRect cellRect = table->visualItemRect(table->item(1, 0));
  // The check box sits at the cell's left, after the margin.
  QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, QPoint(cellRect.left() + 10, cellRect.center().y()));
  QVERIFY(!view.isChecked(1));
  view.refreshNow();
  QCOMPARE(seriesNames(view), (QStringList{QStringLiteral("Run 1"), QStringLiteral("Run 3")}));

  // val_loss: run 3 has none, so only run 1 is drawn.
  view.setMetric(QStringLiteral("val_loss"));
  view.refreshNow();
  QCOMPARE(seriesNames(view), QStringList{QStringLiteral("Run 1")});
  QCOMPARE(qobject_cast<QLineSeries*>(view.chart()->series().at(0))->at(0), QPointF(1, 0.55));
  view.setChecked(0, false);
  view.refreshNow();
  QCOMPARE(view.chart()->series().size(), 0);
  view.setChecked(1, true);
  view.refreshNow();
  QCOMPARE(seriesNames(view), QStringList{QStringLiteral("Run 2")});

  // An update of a listed run (its next epoch) keeps its row and tick.
  RunRecord longer = view.runs()[1];
  EpochLog e = longer.epochs.back();
  e.epoch = 4;
  e.valLoss = 0.01;
  longer.epochs.push_back(e);
  QCOMPARE(view.addOrUpdateRun(longer), 1);
  view.refreshNow();
  QCOMPARE(view.runs().size(), size_t(3));
  QCOMPARE(qobject_cast<QLineSeries*>(view.chart()->series().at(0))->count(), 4);
}

void TestRunsView::tableListsSettingsAndResults() {
  RunsView view;
  view.addOrUpdateRun(run("adam", 3e-4, 3, 0.3));
  const QTableWidget* table = view.table();
  QCOMPARE(table->rowCount(), 1);
  QStringList header;
  for (int c = 0; c < table->columnCount(); ++c) header << table->horizontalHeaderItem(c)->text();
  const auto at = [&](const QString& column) { return table->item(0, int(header.indexOf(column)))->text(); };
  QCOMPARE(at(QStringLiteral("Optimizer")), QStringLiteral("adam"));
  QCOMPARE(at(QStringLiteral("LR")), QStringLiteral("0.0003"));
  QCOMPARE(at(QStringLiteral("Batch")), QStringLiteral("32"));
  QCOMPARE(at(QStringLiteral("Epochs")), QStringLiteral("3"));
  QCOMPARE(at(QStringLiteral("Params")), QStringLiteral("178,110"));
  QCOMPARE(at(QStringLiteral("Test acc.")), QStringLiteral("93.00 %"));
  QCOMPARE(at(QStringLiteral("Seconds")), QStringLiteral("4.5"));
  QCOMPARE(at(QStringLiteral("Ended")), QStringLiteral("completed"));
  QCOMPARE(at(QStringLiteral("Dataset")), QStringLiteral("MNIST (embedded)"));
  QVERIFY(at(QStringLiteral("Architecture")).startsWith(QStringLiteral("Dense 200")));
}

void TestRunsView::anOpenedFilesRunsJoinOnce() {
  RunsView view;
  const RunRecord mine = run("sgd", 0.2, 2, 0.5);
  view.addOrUpdateRun(mine);
  const std::vector<RunRecord> saved = {mine, run("adam", 1e-3, 2, 0.4)};
  QCOMPARE(view.addRuns(saved, QStringLiteral("/tmp/a/model.dlm")), 1);  // the first is already listed
  QCOMPARE(view.addRuns(saved, QStringLiteral("/tmp/a/model.dlm")), 0);
  QCOMPARE(view.runs().size(), size_t(2));
  QCOMPARE(view.runs()[1].sourceFile, std::string("/tmp/a/model.dlm"));
  QCOMPARE(view.runLabel(1), QStringLiteral("Run 2 (model.dlm)"));
  QVERIFY(view.isChecked(0));
  QVERIFY(!view.isChecked(1));  // a file's runs wait to be ticked
}

void TestRunsView::exportsPngSvgAndCsv() {
  RunsView view;
  view.resize(1000, 600);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  view.addOrUpdateRun(run("sgd", 0.2, 3, 0.5));
  view.addOrUpdateRun(run("adam", 1e-3, 2, 0.3));
  view.setChecked(0, false);
  QTemporaryDir dir;
  QString error;
  const QString png = dir.filePath(QStringLiteral("runs.png"));
  QVERIFY2(view.exportPng(png, &error), qPrintable(error));
  const QImage image(png);
  QVERIFY(image.width() >= 800 && image.height() >= 500);
  // Run 2's orange line is in the picture, run 1's blue is not.
  int orange = 0, blue = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const QColor c = image.pixelColor(x, y);
      if (std::abs(c.red() - 255) < 8 && std::abs(c.green() - 127) < 8 && std::abs(c.blue() - 14) < 8) ++orange;
      if (std::abs(c.red() - 31) < 8 && std::abs(c.green() - 119) < 8 && std::abs(c.blue() - 180) < 8) ++blue;
    }
  QVERIFY2(orange > 50, qPrintable(QString::number(orange)));
  QCOMPARE(blue, 0);

  const QString svg = dir.filePath(QStringLiteral("runs.svg"));
  QVERIFY2(view.exportSvg(svg, &error), qPrintable(error));
  QFile svgFile(svg);
  QVERIFY(svgFile.open(QIODevice::ReadOnly));
  const QByteArray svgText = svgFile.readAll();
  QVERIFY(svgText.contains("<svg"));
  QVERIFY(svgText.contains("Run 2"));
  QVERIFY(svgText.toLower().contains("#ff7f0e"));  // run 2's colour

  const QString csv = dir.filePath(QStringLiteral("runs.csv"));
  QVERIFY2(view.exportCsv(csv, &error), qPrintable(error));
  QFile csvFile(csv);
  QVERIFY(csvFile.open(QIODevice::ReadOnly));
  const QList<QByteArray> lines = csvFile.readAll().split('\n');
  QVERIFY(lines[0].startsWith("run,started,dataset,architecture,optimizer,learning_rate,batch_size,epochs,"));
  QCOMPARE(lines.size(), 4);  // header, run 2's two epochs, the end
  QVERIFY(lines[1].startsWith("Run 2,"));
  QVERIFY2(lines[2].endsWith(",2,0.15,0.925,0.2,0.915,"), lines[2].constData());
  QVERIFY(!view.exportCsv(dir.filePath(QStringLiteral("no/such/runs.csv")), &error));
  QVERIFY(error.contains(QStringLiteral("no/such")));
}

void TestRunsView::aModelSavedAfterTwoRunsReopensWithTwoRuns() {
  QTemporaryDir dir;
  const QString file = dir.filePath(QStringLiteral("two.dlm"));
  std::vector<std::string> ids;
  {
    QString why;
    auto window = openTestWindow(&why);
    QVERIFY2(window, qPrintable(why));
    window->findChild<QSpinBox*>(QStringLiteral("epochsSpin"))->setValue(1);
    QSignalSpy finished(window->controller(), &TrainingController::finished);
    for (int i = 0; i < 2; ++i) {
      QTRY_VERIFY(!window->controller()->isRunning());
      if (i == 1) {  // the second run: other settings, validated on a split
        TrainingSpec t = window->trainingPanel()->trainingSpec();
        t.optimizer.learningRate = 0.05;
        t.epochs = 3;
        t.validationSplit = 0.1;
        window->trainingPanel()->setTrainingSpec(t);
      }
      window->startTraining();
      QTRY_VERIFY_WITH_TIMEOUT(finished.count() == i + 1, 120000);
    }
    const std::vector<RunRecord>& runs = window->runsView()->runs();
    QCOMPARE(runs.size(), size_t(2));
    for (const RunRecord& r : runs) {
      QCOMPARE(r.ending, RunRecord::Ending::Completed);
      QCOMPARE(r.epochs.size(), size_t(ids.empty() ? 1 : 3));
      QVERIFY(std::isfinite(r.testAccuracy));
      QVERIFY(r.seconds > 0);
      QCOMPARE(r.dataset, window->dataset()->name);
      ids.push_back(r.id);
    }
    QVERIFY(ids[0] != ids[1]);
    checkLooksAtSizes(*window);
    QString error;
    QVERIFY2(window->saveModelTo(file, &error), qPrintable(error));
  }
  QString why;
  auto window = openTestWindow(&why);
  QVERIFY2(window, qPrintable(why));
  QVERIFY(window->runsView()->runs().empty());
  QString error;
  QVERIFY2(window->openModel(file, &error), qPrintable(error));
  const std::vector<RunRecord>& runs = window->runsView()->runs();
  QCOMPARE(runs.size(), size_t(2));
  QCOMPARE(runs[0].id, ids[0]);
  QCOMPARE(runs[1].id, ids[1]);
  QCOMPARE(QString::fromStdString(runs[1].sourceFile), file);
  QVERIFY(window->runsView()->runLabel(0).contains(QStringLiteral("two.dlm")));
  QVERIFY2(window->openModel(file, &error), qPrintable(error));  // again: no duplicates
  QCOMPARE(window->runsView()->runs().size(), size_t(2));
}

int main(int argc, char** argv) {
  const OffscreenScreens screens({{"Laptop", 1366, 768}, {"Full", 1920, 1080}}, "Laptop=1;Full=1");
  QApplication app(argc, argv);
  TestRunsView test;
  return QTest::qExec(&test, argc, argv);
}
#include "test_RunsView.moc"
