// Tests of the live training charts (ui/TrainingCharts.h; the smoothing, decimation and CSV maths
// are tested in tests/core/test_Curves.cpp and test_TrainingCsv.cpp): a full-size run fed in chunks (series filled
// within the decimation cap, last points exact), epoch points, reset, CSV and PNG export, the log-scale loss axis,
// continued runs (extendTo), the layout (whole-epoch ticks, plot areas that line up, a legend and control bar that fit
// side by side and stacked), tooltips, accessible names and Tab order. Headless; no timing assertions (the refresh
// timer is waited for with QTRY_*).

#include "TrainingCharts.h"

#include "train/Curves.h"
#include "train/TrainingCsv.h"

#include "QuietOffscreen.h"

#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QValueAxis>
#include <QtCharts/QXYSeries>

#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>

#include <cmath>
#include <random>

using namespace dl;

namespace {

using Metric = TrainingCharts::Metric;
using Curve = TrainingCharts::Curve;

// A decreasing, noisy loss and a rising accuracy over `epochs` epochs, shaped like an MNIST MLP
// run (fast at first, still improving in later epochs; batch noise of a 32-sample batch), with
// Keras-style running means that restart every epoch.
std::vector<BatchLog> syntheticRun(int epochs, int perEpoch, uint32_t seed = 7) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<BatchLog> logs;
  const double total = double(epochs) * perEpoch;
  for (int e = 1; e <= epochs; ++e) {
    double sumLoss = 0, sumAcc = 0;
    for (int b = 1; b <= perEpoch; ++b) {
      const double t = ((e - 1) * perEpoch + b) / total;  // 0..1 over the run
      const double loss = 0.04 + 2.0 * std::exp(-t * 60) + 0.3 * std::exp(-t * 4);
      const double acc = 1.0 - 0.88 * std::exp(-t * 60) - 0.08 * std::exp(-t * 4) - 0.012;
      BatchLog log;
      log.epoch = e;
      log.epochs = epochs;
      log.batch = b;
      log.batchesPerEpoch = perEpoch;
      // Batch-to-batch spread: small while every sample is equally wrong, about 40% once the
      // per-sample losses become heavy-tailed.
      const double spread = 0.06 + 0.34 * (1 - std::exp(-t * 30));
      log.loss = std::max(0.002, loss * (1 + spread * noise(rng)));
      log.accuracy = std::clamp(acc + std::sqrt(acc * (1 - acc) / 32) * noise(rng), 0.0, 1.0);
      sumLoss += log.loss;
      sumAcc += log.accuracy;
      log.runningLoss = sumLoss / b;
      log.runningAccuracy = sumAcc / b;
      logs.push_back(log);
    }
  }
  return logs;
}

void feedInChunks(TrainingCharts& charts, const std::vector<BatchLog>& logs, size_t chunk) {
  for (size_t i = 0; i < logs.size(); i += chunk) {
    const size_t end = std::min(logs.size(), i + chunk);
    charts.addBatches(std::vector<BatchLog>(logs.begin() + static_cast<std::ptrdiff_t>(i),
                                            logs.begin() + static_cast<std::ptrdiff_t>(end)));
  }
}

EpochLog epochLog(int epoch, int epochs, double loss, double acc, double valLoss, double valAcc) {
  EpochLog e;
  e.epoch = epoch;
  e.epochs = epochs;
  e.loss = loss;
  e.accuracy = acc;
  e.valLoss = valLoss;
  e.valAccuracy = valAcc;
  return e;
}

// The vertical axis in use (the loss chart keeps a hidden second one for the other scale).
QAbstractAxis* shownYAxis(QChart* chart) {
  QAbstractAxis* shown = nullptr;
  for (QAbstractAxis* axis : chart->axes(Qt::Vertical)) {
    if (!axis->isVisible()) continue;
    if (shown) return nullptr;  // two visible: wrong
    shown = axis;
  }
  return shown;
}

QValueAxis* xAxis(const TrainingCharts& charts, Metric metric) {
  return qobject_cast<QValueAxis*>(charts.chart(metric)->axes(Qt::Horizontal).value(0));
}

// Epochs `first`..`last` of a run numbered on from earlier ones (continued training).
std::vector<BatchLog> continuedRun(int first, int last, int perEpoch) {
  std::vector<BatchLog> logs = syntheticRun(last - first + 1, perEpoch, 11);
  for (BatchLog& b : logs) {
    b.epoch += first - 1;
    b.epochs = last;
  }
  return logs;
}

// Lets Qt Charts lay out (posted LayoutRequests) and the plot areas line up (queued).
void settle(TrainingCharts& charts) {
  charts.refreshNow();
  for (int i = 0; i < 4; ++i) {
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    QCoreApplication::processEvents();
  }
}

// A run of `epochs` epochs with validation, as the window feeds it.
void feedRun(TrainingCharts& charts, int epochs, int perEpoch) {
  charts.reset(epochs, perEpoch);
  const std::vector<BatchLog> logs = syntheticRun(epochs, perEpoch);
  feedInChunks(charts, logs, 25);
  for (int e = 1; e <= epochs; ++e) {
    const BatchLog& end = logs[size_t(e * perEpoch - 1)];
    charts.addEpoch(epochLog(e, epochs, end.runningLoss, end.runningAccuracy, end.runningLoss * 0.9 + 0.02,
                             std::min(0.99, end.runningAccuracy + 0.005)));
  }
}

QStringList readLines(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) return {};
  QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
  if (!lines.isEmpty() && lines.last().isEmpty()) lines.removeLast();
  return lines;
}

}  // namespace

class TestTrainingCharts : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { quietOffscreen(); }
  void aFullRunFedInChunksFillsTheSeriesWithinTheCap();
  void epochPointsAppearForTrainingAndValidation();
  void resetEmptiesEverything();
  void changingTheSmoothingRecomputesTheSmoothedLine();
  void csvExportHasAHeaderAndOneLinePerBatchWithItsValues();
  void pngExportWritesALoadableImageOfTheChartAreaSize();
  void logScaleTogglesTheLossAxisTypeAndDropsNonPositiveValues();
  void hidingRawValuesEmptiesTheirSeries();
  void aSyntheticFullRunIsDrawnFrameByFrameWithItsEpochPoints();
  void batchesAreDrawnOnTheTimerNeverPerBatch();
  void hoveringALineShowsTheBatchInATooltip();
  void moreEpochsThanAnnouncedGetTheirOwnRunningMeanLine();
  void extendToKeepsThePointsWidensTheAxisAndMarksTheContinuedRun();
  void extendToWithoutDataOnlyWidensTheAxis();
  void shortRunsGetWholeEpochTicksOnAnEpochAxis();
  void emptyAxesSpanTheConfiguredEpochs();
  void plotAreasLineUpAndTheLegendAndControlsFitSideBySideAndStacked();
  void everyControlHasATooltipAndTheChartsHaveAccessibleNames();
  void everyControlIsReachedByTabAndWorksFromTheKeyboard();
};

void TestTrainingCharts::aFullRunFedInChunksFillsTheSeriesWithinTheCap() {
  TrainingCharts charts;
  charts.resize(1000, 400);
  charts.show();
  const int epochs = 5, perEpoch = 1880;  // 9,400 batches
  charts.reset(epochs, perEpoch);
  const std::vector<BatchLog> logs = syntheticRun(epochs, perEpoch);
  feedInChunks(charts, logs, 47);
  QCOMPARE(charts.batchCount(), 9400);

  QXYSeries* raw = charts.series(Metric::Loss, Curve::Batch);
  QXYSeries* running = charts.series(Metric::Loss, Curve::RunningMean);
  QXYSeries* smooth = charts.series(Metric::Loss, Curve::Smoothed);
  QXYSeries* rawAcc = charts.series(Metric::Accuracy, Curve::Batch);
  QTRY_VERIFY(raw->count() > 0 && running->count() > 0 && smooth->count() > 0 && rawAcc->count() > 0);
  for (QXYSeries* s : {raw, running, smooth, rawAcc}) {
    QVERIFY2(s->count() <= TrainingCharts::kMaxDisplayPoints, qPrintable(s->name()));
  }

  const BatchLog& last = logs.back();
  const double lastX = epochs;  // batch 1880/1880 of epoch 5
  QCOMPARE(raw->at(raw->count() - 1), QPointF(lastX, last.loss));
  QCOMPARE(running->at(running->count() - 1), QPointF(lastX, last.runningLoss));
  QCOMPARE(rawAcc->at(rawAcc->count() - 1), QPointF(lastX, last.accuracy));
  std::vector<double> losses;
  for (const BatchLog& b : logs) losses.push_back(b.loss);
  QCOMPARE(smooth->at(smooth->count() - 1).y(), curves::smoothed(losses, charts.smoothing()).back());
  // The first batch sits at 1/perEpoch epochs.
  QCOMPARE(raw->at(0), QPointF(1.0 / perEpoch, logs.front().loss));

  // The y axis shows every plotted value.
  auto* y = qobject_cast<QValueAxis*>(shownYAxis(charts.chart(Metric::Loss)));
  QVERIFY(y);
  for (const BatchLog& b : logs) QVERIFY(b.loss >= y->min() && b.loss <= y->max());
  auto* x = qobject_cast<QValueAxis*>(charts.chart(Metric::Loss)->axes(Qt::Horizontal).value(0));
  QVERIFY(x);
  QCOMPARE(x->min(), 0.0);
  QCOMPARE(x->max(), double(epochs));
}

void TestTrainingCharts::epochPointsAppearForTrainingAndValidation() {
  TrainingCharts charts;
  charts.reset(3, 10);
  feedInChunks(charts, syntheticRun(2, 10), 5);
  charts.addEpoch(epochLog(1, 3, 0.9, 0.7, 0.8, 0.75));
  charts.addEpoch(epochLog(2, 3, 0.5, 0.85, 0.6, 0.8));
  QXYSeries* trainLoss = charts.series(Metric::Loss, Curve::TrainEpoch);
  QXYSeries* valAcc = charts.series(Metric::Accuracy, Curve::ValidationEpoch);
  QTRY_COMPARE(trainLoss->count(), 2);
  QCOMPARE(trainLoss->at(0), QPointF(1, 0.9));
  QCOMPARE(trainLoss->at(1), QPointF(2, 0.5));
  QCOMPARE(valAcc->count(), 2);
  QCOMPARE(valAcc->at(1), QPointF(2, 0.8));

  // An epoch without validation adds a training point only.
  EpochLog noVal;
  noVal.epoch = 3;
  noVal.loss = 0.4;
  noVal.accuracy = 0.9;
  charts.addEpoch(noVal);
  QTRY_COMPARE(trainLoss->count(), 3);
  QCOMPARE(charts.series(Metric::Loss, Curve::ValidationEpoch)->count(), 2);
}

void TestTrainingCharts::resetEmptiesEverything() {
  TrainingCharts charts;
  charts.reset(2, 10);
  feedInChunks(charts, syntheticRun(2, 10), 7);
  charts.addEpoch(epochLog(1, 2, 0.9, 0.7, 0.8, 0.75));
  QTRY_VERIFY(charts.series(Metric::Loss, Curve::Batch)->count() > 0);
  charts.reset(4, 5);
  QCOMPARE(charts.batchCount(), 0);
  QCOMPARE(charts.epochCount(), 0);
  QTRY_COMPARE(charts.series(Metric::Loss, Curve::Batch)->count(), 0);
  for (Metric m : {Metric::Loss, Metric::Accuracy})
    for (Curve c : {Curve::Batch, Curve::RunningMean, Curve::Smoothed, Curve::TrainEpoch, Curve::ValidationEpoch})
      QCOMPARE(charts.series(m, c)->count(), 0);
  auto* x = qobject_cast<QValueAxis*>(charts.chart(Metric::Accuracy)->axes(Qt::Horizontal).value(0));
  QTRY_COMPARE(x->max(), 4.0);
  // One running-mean line per planned epoch, none left over from the previous run.
  int running = 0;
  for (QAbstractSeries* s : charts.chart(Metric::Loss)->series())
    running += s->name() == charts.series(Metric::Loss, Curve::RunningMean)->name();
  QCOMPARE(running, 4);
}

void TestTrainingCharts::changingTheSmoothingRecomputesTheSmoothedLine() {
  TrainingCharts charts;
  charts.reset(1, 4);
  std::vector<BatchLog> logs = syntheticRun(1, 4);
  const std::vector<double> values = {1, 2, 3, 4};
  for (size_t i = 0; i < 4; ++i) logs[i].loss = values[i];
  charts.addBatches(logs);
  charts.setSmoothing(0.5);
  QCOMPARE(charts.smoothing(), 0.5);
  charts.refreshNow();
  QXYSeries* smooth = charts.series(Metric::Loss, Curve::Smoothed);
  QCOMPARE(smooth->count(), 4);
  const std::vector<double> expected = curves::smoothed(values, 0.5);
  for (int i = 0; i < 4; ++i) QCOMPARE(smooth->at(i).y(), expected[size_t(i)]);
  QVERIFY(std::abs(smooth->at(2).y() - 17.0 / 7.0) < 1e-12);

  charts.setSmoothing(0.0);
  charts.refreshNow();
  for (int i = 0; i < 4; ++i) QCOMPARE(smooth->at(i).y(), values[size_t(i)]);

  charts.setSmoothing(5.0);  // clamped
  QCOMPARE(charts.smoothing(), TrainingCharts::kMaxSmoothing);
}

void TestTrainingCharts::csvExportHasAHeaderAndOneLinePerBatchWithItsValues() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  TrainingCharts charts;
  charts.reset(2, 3);
  const std::vector<BatchLog> logs = syntheticRun(2, 3);
  charts.addBatches(logs);
  charts.addEpoch(epochLog(1, 2, 0.9, 0.7, 0.8, 0.75));
  EpochLog second = epochLog(2, 2, 0.5, 0.85, 0, 0);
  second.valLoss = second.valAccuracy = std::numeric_limits<double>::quiet_NaN();
  charts.addEpoch(second);
  charts.setSmoothing(0.5);

  const QString path = dir.filePath(QStringLiteral("log.csv"));
  QString error;
  QVERIFY2(charts.exportCsv(path, &error), qPrintable(error));
  const QStringList lines = readLines(path);
  QCOMPARE(lines.size(), 1 + 6 + 2);
  QCOMPARE(lines[0], QStringLiteral("step,epoch,batch,loss,accuracy,running_loss,running_accuracy,smoothed_loss,"
                                    "smoothed_accuracy,val_loss,val_accuracy"));

  std::vector<double> losses, accs;
  for (const BatchLog& b : logs) {
    losses.push_back(b.loss);
    accs.push_back(b.accuracy);
  }
  const std::vector<double> smoothLoss = curves::smoothed(losses, 0.5);
  const std::vector<double> smoothAcc = curves::smoothed(accs, 0.5);

  // Rows: 3 batches, epoch 1, 3 batches, epoch 2.
  const int batchRows[] = {1, 2, 3, 5, 6, 7};
  for (int k = 0; k < 6; ++k) {
    const QStringList cols = lines[batchRows[k]].split(QLatin1Char(','));
    QCOMPARE(cols.size(), 11);
    const BatchLog& b = logs[size_t(k)];
    QCOMPARE(cols[0].toInt(), k + 1);
    QCOMPARE(cols[1].toInt(), b.epoch);
    QCOMPARE(cols[2].toInt(), b.batch);
    auto near = [](const QString& s, double v) {
      return std::abs(s.toDouble() - v) <= 1e-10 * std::max(1.0, std::abs(v));
    };
    QVERIFY(near(cols[3], b.loss));
    QVERIFY(near(cols[4], b.accuracy));
    QVERIFY(near(cols[5], b.runningLoss));
    QVERIFY(near(cols[6], b.runningAccuracy));
    QVERIFY(near(cols[7], smoothLoss[size_t(k)]));
    QVERIFY(near(cols[8], smoothAcc[size_t(k)]));
    QVERIFY(cols[9].isEmpty() && cols[10].isEmpty());
  }
  QCOMPARE(lines[4], QStringLiteral("3,1,,0.9,0.7,,,,,0.8,0.75"));
  QCOMPARE(lines[8], QStringLiteral("6,2,,0.5,0.85,,,,,,"));
  // The file is the core's table of what the charts hold, byte for byte.
  QFile written(path);
  QVERIFY(written.open(QIODevice::ReadOnly));
  QCOMPARE(written.readAll(), trainingCsv(logs, {epochLog(1, 2, 0.9, 0.7, 0.8, 0.75), second}, 3, 0.5));

  QVERIFY(!charts.exportCsv(dir.filePath(QStringLiteral("no/such/dir/log.csv")), &error));
  QVERIFY(!error.isEmpty());
}

void TestTrainingCharts::pngExportWritesALoadableImageOfTheChartAreaSize() {
  QTemporaryDir dir;
  TrainingCharts charts;
  charts.resize(900, 380);
  charts.show();
  QVERIFY(QTest::qWaitForWindowExposed(&charts));
  charts.reset(2, 50);
  feedInChunks(charts, syntheticRun(2, 50), 10);
  charts.addEpoch(epochLog(1, 2, 0.9, 0.7, 0.8, 0.75));
  const QString path = dir.filePath(QStringLiteral("charts.png"));
  QString error;
  QVERIFY2(charts.exportPng(path, &error), qPrintable(error));
  QImage image(path);
  QVERIFY(!image.isNull());
  QCOMPARE(image.size(), charts.chartArea()->size() * charts.chartArea()->devicePixelRatio());
  QVERIFY(image.width() >= 800);
  // Not blank: the chart drew something other than the background.
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += 4)
    for (int x = 0; x < image.width(); x += 4) colours.insert(image.pixel(x, y));
  QVERIFY(colours.size() > 10);

  QVERIFY(!charts.exportPng(dir.filePath(QStringLiteral("no/such/dir/c.png")), &error));
}

void TestTrainingCharts::logScaleTogglesTheLossAxisTypeAndDropsNonPositiveValues() {
  TrainingCharts charts;
  charts.reset(1, 4);
  std::vector<BatchLog> logs = syntheticRun(1, 4);
  logs[0].loss = 2.0;
  logs[1].loss = 0.0;  // cannot be shown on a log axis
  logs[2].loss = 0.5;
  logs[3].loss = 0.05;
  charts.addBatches(logs);
  charts.setSmoothing(0);
  charts.refreshNow();
  QChart* chart = charts.chart(Metric::Loss);
  QVERIFY(shownYAxis(chart));
  QCOMPARE(shownYAxis(chart)->type(), QAbstractAxis::AxisTypeValue);
  QCOMPARE(charts.series(Metric::Loss, Curve::Batch)->count(), 4);

  charts.setLogScale(true);
  QVERIFY(charts.logScale());
  auto* log = qobject_cast<QLogValueAxis*>(shownYAxis(chart));
  QVERIFY(log);
  QTRY_COMPARE(charts.series(Metric::Loss, Curve::Batch)->count(), 3);
  QVERIFY(log->min() > 0 && log->min() <= 0.05);
  QVERIFY(log->max() >= 2.0);
  for (QAbstractSeries* s : chart->series()) {
    QVERIFY(s->attachedAxes().contains(log));
    QCOMPARE(s->attachedAxes().size(), 2);  // x and the log y
  }
  // The accuracy axis stays linear.
  QCOMPARE(shownYAxis(charts.chart(Metric::Accuracy))->type(), QAbstractAxis::AxisTypeValue);

  charts.setLogScale(false);
  QCOMPARE(shownYAxis(chart)->type(), QAbstractAxis::AxisTypeValue);
  QTRY_COMPARE(charts.series(Metric::Loss, Curve::Batch)->count(), 4);
  for (QAbstractSeries* s : chart->series()) QVERIFY(!s->attachedAxes().contains(log));
}

void TestTrainingCharts::hidingRawValuesEmptiesTheirSeries() {
  TrainingCharts charts;
  charts.reset(1, 20);
  charts.addBatches(syntheticRun(1, 20));
  charts.refreshNow();
  QCOMPARE(charts.series(Metric::Accuracy, Curve::Batch)->count(), 20);
  charts.setShowRawBatches(false);
  QVERIFY(!charts.series(Metric::Accuracy, Curve::Batch)->isVisible());
  QTRY_COMPARE(charts.series(Metric::Accuracy, Curve::Batch)->count(), 0);
  QCOMPARE(charts.series(Metric::Accuracy, Curve::RunningMean)->count(), 20);
  charts.setShowRawBatches(true);
  QTRY_COMPARE(charts.series(Metric::Accuracy, Curve::Batch)->count(), 20);
}

void TestTrainingCharts::batchesAreDrawnOnTheTimerNeverPerBatch() {
  TrainingCharts charts;
  charts.reset(1, 1000);
  const std::vector<BatchLog> logs = syntheticRun(1, 1000);
  const int before = charts.redrawCount();
  // 200 updates in one go, as queued signals arrive after a busy moment: nothing is drawn yet...
  for (size_t i = 0; i < 200; ++i) charts.addBatches({logs[i]});
  QCOMPARE(charts.series(Metric::Loss, Curve::Batch)->count(), 0);
  QCOMPARE(charts.redrawCount(), before);
  // ...then one redraw shows them all.
  QTRY_COMPARE(charts.series(Metric::Loss, Curve::Batch)->count(), 200);
  QCOMPARE(charts.redrawCount(), before + 1);

  // A live feed of a batch every ~3 ms: at most one redraw per 40 ms timer period.
  QElapsedTimer clock;
  clock.start();
  const int start = charts.redrawCount();
  for (size_t i = 200; i < 400; ++i) {
    charts.addBatches({logs[i]});
    QTest::qWait(3);
  }
  QTRY_COMPARE(charts.series(Metric::Loss, Curve::Batch)->count(), 400);
  const int redraws = charts.redrawCount() - start;
  const qint64 ms = clock.elapsed();
  QVERIFY2(redraws >= 2,
           qPrintable(QStringLiteral("%1 redraws in %2 ms").arg(redraws).arg(ms)));  // live, not at the end
  QVERIFY2(redraws <= ms / TrainingCharts::kRefreshIntervalMs + 2,
           qPrintable(QStringLiteral("%1 redraws in %2 ms for 200 batches").arg(redraws).arg(ms)));
}

// A 5-epoch run (9,400 batches) drawn as the user sees it: most of it at once, then one chunk per
// frame. Each frame is one redraw whose lines end at the newest batch, decimated within the cap;
// the epoch points and the exported images show what was drawn. (How long a frame takes is
// measured in bench/, not here.) The grabs go to a temporary folder, or to
// $DIGITLAB_SCREENSHOT_DIR when set (how docs/training_charts.png is made).
void TestTrainingCharts::aSyntheticFullRunIsDrawnFrameByFrameWithItsEpochPoints() {
  QTemporaryDir tmp;
  const QString outDir = qEnvironmentVariable("DIGITLAB_SCREENSHOT_DIR", tmp.path());
  TrainingCharts charts;
  charts.resize(1100, 420);
  charts.show();
  QVERIFY(QTest::qWaitForWindowExposed(&charts));
  const int epochs = 5, perEpoch = 1880;
  charts.reset(epochs, perEpoch);
  const std::vector<BatchLog> logs = syntheticRun(epochs, perEpoch);
  // Everything but the last 25 chunks at once, then one chunk per frame as in a live run.
  const size_t chunk = 47, frames = 25;
  const size_t head = logs.size() - frames * chunk;
  charts.addBatches(std::vector<BatchLog>(logs.begin(), logs.begin() + std::ptrdiff_t(head)));
  charts.refreshNow();
  for (size_t f = 0; f < frames; ++f) {
    const auto from = logs.begin() + std::ptrdiff_t(head + f * chunk);
    const int redraws = charts.redrawCount();
    charts.addBatches(std::vector<BatchLog>(from, from + std::ptrdiff_t(chunk)));
    charts.refreshNow();
    charts.chartArea()->repaint();
    QCOMPARE(charts.redrawCount(), redraws + 1);
    QCOMPARE(charts.batchCount(), int(head + (f + 1) * chunk));
    // Every line ends at the frame's newest batch.
    const BatchLog& newest = logs[head + (f + 1) * chunk - 1];
    const double x = newest.epoch - 1 + double(newest.batch) / perEpoch;
    for (Metric m : {Metric::Loss, Metric::Accuracy}) {
      QXYSeries* raw = charts.series(m, Curve::Batch);
      QXYSeries* running = charts.series(m, Curve::RunningMean);
      QCOMPARE(raw->at(raw->count() - 1), QPointF(x, m == Metric::Loss ? newest.loss : newest.accuracy));
      QCOMPARE(running->at(running->count() - 1),
               QPointF(x, m == Metric::Loss ? newest.runningLoss : newest.runningAccuracy));
      QCOMPARE(charts.series(m, Curve::Smoothed)->at(charts.series(m, Curve::Smoothed)->count() - 1).x(), x);
    }
  }
  // 9,400 batches are drawn as at most kMaxDisplayPoints points a line, and at least half of them
  // (the min/max decimation keeps two points a bucket unless a bucket is flat).
  for (Metric m : {Metric::Loss, Metric::Accuracy})
    for (Curve c : {Curve::Batch, Curve::Smoothed}) {
      const int count = charts.series(m, c)->count();
      QVERIFY2(count > TrainingCharts::kMaxDisplayPoints / 2 && count <= TrainingCharts::kMaxDisplayPoints,
               qPrintable(QStringLiteral("%1 points").arg(count)));
    }
  for (int e = 1; e <= epochs; ++e) {
    const BatchLog& end = logs[size_t(e * perEpoch - 1)];
    // Validation: evaluated at the epoch's end, so below the epoch's running mean at first,
    // then slowly above the training loss.
    const double valLoss = 0.55 * end.runningLoss + 0.045 + 0.004 * e;
    charts.addEpoch(epochLog(e, epochs, end.runningLoss, end.runningAccuracy, valLoss,
                             std::min(0.99, end.runningAccuracy + 0.3 * (end.runningLoss - valLoss))));
  }
  charts.refreshNow();
  QCoreApplication::processEvents();  // chart layout after the last ranges
  for (Metric m : {Metric::Loss, Metric::Accuracy}) {
    QCOMPARE(charts.series(m, Curve::TrainEpoch)->count(), epochs);
    QCOMPARE(charts.series(m, Curve::ValidationEpoch)->count(), epochs);
    QCOMPARE(charts.series(m, Curve::TrainEpoch)->at(epochs - 1).x(), double(epochs));
  }
  QVERIFY(charts.grab().save(outDir + QStringLiteral("/training_charts_full.png")));
  const QString linear = outDir + QStringLiteral("/training_charts.png");
  QVERIFY(charts.exportPng(linear));
  // The picture holds the lines: the smoothed line's blue, the running mean's orange and the
  // validation points' red each cover a good number of pixels.
  const QImage image(linear);
  QVERIFY(!image.isNull());
  auto pixelsOf = [&image](QRgb colour) {
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
      for (int x = 0; x < image.width(); ++x) n += image.pixel(x, y) == colour;
    return n;
  };
  QVERIFY2(pixelsOf(qRgb(31, 119, 180)) > 200, "the smoothed lines (blue) are drawn");
  QVERIFY2(pixelsOf(qRgb(255, 127, 14)) > 200, "the running means (orange) are drawn");
  QVERIFY2(pixelsOf(qRgb(214, 39, 40)) > 50, "the validation points (red) are drawn");

  charts.setLogScale(true);
  charts.setShowRawBatches(false);
  QVERIFY(charts.exportPng(outDir + QStringLiteral("/training_charts_log.png")));
  QVERIFY(qobject_cast<QLogValueAxis*>(shownYAxis(charts.chart(Metric::Loss))));
  QCOMPARE(charts.series(Metric::Loss, Curve::Batch)->count(), 0);
}

void TestTrainingCharts::hoveringALineShowsTheBatchInATooltip() {
  TrainingCharts charts;
  charts.resize(900, 380);
  charts.show();
  QVERIFY(QTest::qWaitForWindowExposed(&charts));
  charts.reset(1, 10);
  std::vector<BatchLog> logs = syntheticRun(1, 10);
  for (BatchLog& b : logs) b.runningLoss = b.loss = 1.0;  // a flat line at 1.0
  charts.addBatches(logs);
  charts.setShowRawBatches(false);
  charts.refreshNow();
  QCoreApplication::processEvents();
  QChart* chart = charts.chart(Metric::Loss);
  QXYSeries* smooth = charts.series(Metric::Loss, Curve::Smoothed);
  auto* view = qobject_cast<QGraphicsView*>(charts.chartArea()->findChildren<QChartView*>().value(0));
  QVERIFY(view);
  QVERIFY(view->scene() == chart->scene());
  const QPointF inChart = chart->mapToPosition(QPointF(0.5, 1.0), smooth);
  const QPoint inView = view->mapFromScene(chart->mapToScene(inChart));
  QTest::mouseMove(view->viewport(), inView - QPoint(0, 30));
  QTest::mouseMove(view->viewport(), inView);
  QTRY_VERIFY(QToolTip::isVisible());
  QVERIFY2(QToolTip::text().contains(QStringLiteral("epoch 1, batch 5/10")), qPrintable(QToolTip::text()));
  QVERIFY(QToolTip::text().contains(QStringLiteral("smoothed 1.0000")));
}

void TestTrainingCharts::moreEpochsThanAnnouncedGetTheirOwnRunningMeanLine() {
  TrainingCharts charts;
  charts.reset(1, 5);
  const std::vector<BatchLog> logs = syntheticRun(3, 5);
  feedInChunks(charts, logs, 4);
  charts.refreshNow();
  QXYSeries* running = charts.series(Metric::Loss, Curve::RunningMean);
  QCOMPARE(running->count(), 5);  // epoch 3's batches only
  QCOMPARE(running->at(0), QPointF(2.2, logs[10].runningLoss));
  QCOMPARE(running->at(4), QPointF(3.0, logs[14].runningLoss));
  auto* x = qobject_cast<QValueAxis*>(charts.chart(Metric::Loss)->axes(Qt::Horizontal).value(0));
  QCOMPARE(x->max(), 3.0);
}

void TestTrainingCharts::extendToKeepsThePointsWidensTheAxisAndMarksTheContinuedRun() {
  TrainingCharts charts;
  charts.resize(900, 320);
  charts.show();
  feedRun(charts, 5, 10);
  settle(charts);
  QCOMPARE(xAxis(charts, Metric::Loss)->max(), 5.0);
  QVERIFY(charts.runStarts().empty());

  // Fit called again for 5 more epochs: everything stays, the axis spans 10 epochs.
  charts.extendTo(10, 20);
  QCOMPARE(charts.batchCount(), 50);
  QCOMPARE(charts.epochCount(), 5);
  QCOMPARE(charts.runStarts(), std::vector<double>{5.0});
  settle(charts);
  for (Metric m : {Metric::Loss, Metric::Accuracy}) {
    QCOMPARE(xAxis(charts, m)->min(), 0.0);
    QCOMPARE(xAxis(charts, m)->max(), 10.0);
  }
  QXYSeries* raw = charts.series(Metric::Loss, Curve::Batch);
  QCOMPARE(raw->count(), 50);

  // The marker: a vertical line at x = 5 across the whole y range, in the legend.
  QLineSeries* marker = nullptr;
  for (QAbstractSeries* s : charts.chart(Metric::Loss)->series())
    if (s->name() == QStringLiteral("continued run")) marker = qobject_cast<QLineSeries*>(s);
  QVERIFY(marker);
  QCOMPARE(marker->count(), 2);
  auto* y = qobject_cast<QValueAxis*>(shownYAxis(charts.chart(Metric::Loss)));
  QCOMPARE(marker->at(0), QPointF(5.0, y->min()));
  QCOMPARE(marker->at(1), QPointF(5.0, y->max()));
  QVERIFY(charts.findChild<QLabel*>(QStringLiteral("chartsLegend"))->text().contains(QStringLiteral("continued")));

  // The continued run (epochs 6..10, 20 batches each) appends after the first one.
  const std::vector<BatchLog> more = continuedRun(6, 10, 20);
  feedInChunks(charts, more, 15);
  charts.addEpoch(epochLog(6, 10, 0.2, 0.95, 0.25, 0.94));
  settle(charts);
  QCOMPARE(charts.batchCount(), 150);
  QCOMPARE(raw->count(), 150);
  QCOMPARE(raw->at(49).x(), 5.0);                      // the first run's last batch
  QCOMPARE(raw->at(50), QPointF(5.05, more[0].loss));  // batch 1/20 of epoch 6
  QCOMPARE(raw->at(149), QPointF(10.0, more.back().loss));
  QXYSeries* train = charts.series(Metric::Loss, Curve::TrainEpoch);
  QCOMPARE(train->count(), 6);
  QCOMPARE(train->at(5), QPointF(6, 0.2));
  QCOMPARE(xAxis(charts, Metric::Loss)->max(), 10.0);
  // Epoch 6 has its own running-mean line.
  QCOMPARE(charts.series(Metric::Loss, Curve::RunningMean)->count(), 20);
  QTemporaryDir tmp;
  const QString outDir = qEnvironmentVariable("DIGITLAB_SCREENSHOT_DIR", tmp.path());
  QVERIFY(charts.grab().save(outDir + QStringLiteral("/charts_continued.png")));

  // A reset forgets the continuation too.
  charts.reset(3, 10);
  QVERIFY(charts.runStarts().empty());
  settle(charts);
  for (QAbstractSeries* s : charts.chart(Metric::Accuracy)->series())
    QVERIFY(s->name() != QStringLiteral("continued run"));
  QCOMPARE(xAxis(charts, Metric::Accuracy)->max(), 3.0);
}

void TestTrainingCharts::extendToWithoutDataOnlyWidensTheAxis() {
  TrainingCharts charts;
  charts.reset(2, 10);
  charts.extendTo(6, 10);
  settle(charts);
  QVERIFY(charts.runStarts().empty());
  QCOMPARE(xAxis(charts, Metric::Loss)->max(), 6.0);
  // Never narrower than the data already shown.
  charts.addBatches(syntheticRun(3, 10));
  charts.extendTo(2, 10);
  settle(charts);
  QCOMPARE(charts.runStarts(), std::vector<double>{3.0});
  QCOMPARE(xAxis(charts, Metric::Loss)->max(), 3.0);
}

void TestTrainingCharts::shortRunsGetWholeEpochTicksOnAnEpochAxis() {
  TrainingCharts charts;
  charts.resize(450, 640);
  charts.show();
  struct Case {
    int epochs;
    double interval;
  };
  for (const Case c : {Case{1, 1}, Case{2, 1}, Case{3, 1}, Case{8, 1}, Case{9, 2}, Case{20, 5}, Case{30, 5},
                       Case{100, 20}, Case{1000, 200}}) {
    feedRun(charts, c.epochs, 4);
    settle(charts);
    for (Metric m : {Metric::Loss, Metric::Accuracy}) {
      QValueAxis* x = xAxis(charts, m);
      QCOMPARE(x->titleText(), QStringLiteral("epoch"));
      QCOMPARE(x->labelFormat(), QStringLiteral("%.0f"));  // whole numbers only
      QCOMPARE(x->tickType(), QValueAxis::TicksDynamic);
      QCOMPARE(x->tickAnchor(), 0.0);
      QCOMPARE(x->min(), 0.0);
      QCOMPARE(x->max(), double(c.epochs));
      QVERIFY2(x->tickInterval() == c.interval,
               qPrintable(QStringLiteral("%1 epochs: step %2").arg(c.epochs).arg(x->tickInterval())));
      QVERIFY(x->max() / x->tickInterval() <= TrainingCharts::kMaxEpochTicks);
    }
  }
}

void TestTrainingCharts::emptyAxesSpanTheConfiguredEpochs() {
  TrainingCharts charts;
  charts.resize(900, 320);
  charts.show();
  for (int epochs : {1, 3, 7, 20}) {
    charts.reset(epochs, 100);
    settle(charts);
    QCOMPARE(charts.batchCount(), 0);
    for (Metric m : {Metric::Loss, Metric::Accuracy}) {
      QCOMPARE(xAxis(charts, m)->min(), 0.0);
      QCOMPARE(xAxis(charts, m)->max(), double(epochs));
    }
  }
}

// The window shows the charts side by side (about 450 x 300 each) or stacked in a narrow column.
// Grabs go to $DIGITLAB_SCREENSHOT_DIR when set, for a person to look at.
void TestTrainingCharts::plotAreasLineUpAndTheLegendAndControlsFitSideBySideAndStacked() {
  QTemporaryDir tmp;
  const QString outDir = qEnvironmentVariable("DIGITLAB_SCREENSHOT_DIR", tmp.path());
  struct Layout {
    Qt::Orientation orientation;
    QSize size;
    const char* name;
  };
  for (const Layout l :
       {Layout{Qt::Horizontal, QSize(900, 320), "side"}, Layout{Qt::Vertical, QSize(450, 640), "stacked"}}) {
    for (int epochs : {1, 3, 20}) {
      TrainingCharts charts;
      charts.setOrientation(l.orientation);
      charts.resize(l.size);
      charts.show();
      QVERIFY(QTest::qWaitForWindowExposed(&charts));
      feedRun(charts, epochs, epochs == 20 ? 50 : 200);
      settle(charts);
      QCOMPARE(charts.size(), l.size);  // the widget's minimum does not push it wider
      const QString what = QStringLiteral("%1, %2 epochs").arg(QLatin1String(l.name)).arg(epochs);
      QVERIFY(charts.grab().save(QStringLiteral("%1/charts_%2_%3.png").arg(outDir, QLatin1String(l.name)).arg(epochs)));

      // The plot areas, in chart-area coordinates.
      QRectF area[2];
      int i = 0;
      for (Metric m : {Metric::Loss, Metric::Accuracy}) {
        QChart* chart = charts.chart(m);
        auto* view = qobject_cast<QChartView*>(chart->scene()->views().value(0));
        area[i++] = chart->plotArea().translated(view->mapTo(charts.chartArea(), QPoint(0, 0)));
      }
      if (l.orientation == Qt::Vertical) {
        QVERIFY2(std::abs(area[0].left() - area[1].left()) < 1, qPrintable(what));
        QVERIFY2(std::abs(area[0].width() - area[1].width()) < 1, qPrintable(what));
        QVERIFY(area[0].bottom() < area[1].top());
      } else {
        QVERIFY2(std::abs(area[0].top() - area[1].top()) < 1, qPrintable(what));
        QVERIFY2(std::abs(area[0].bottom() - area[1].bottom()) < 1, qPrintable(what));
        QVERIFY2(std::abs(area[0].width() - area[1].width()) < 1, qPrintable(what));
        QVERIFY(area[0].right() < area[1].left());
      }
      for (const QRectF& r : area) QVERIFY2(r.width() > 250 && r.height() > 120, qPrintable(what));

      // The legend: inside the chart area and tall enough for its wrapped lines.
      auto* legend = charts.findChild<QLabel*>(QStringLiteral("chartsLegend"));
      QVERIFY(legend && legend->isVisible());
      QVERIFY2(charts.chartArea()->rect().contains(legend->geometry()), qPrintable(what));
      QVERIFY2(legend->height() >= legend->heightForWidth(legend->width()), qPrintable(what));
      QVERIFY(legend->text().contains(QStringLiteral("validation")));

      // The control bar: nothing squeezed below what it needs, the slider has room, the value shows.
      for (QWidget* w : charts.findChildren<QWidget*>()) {
        if (w->parentWidget() != &charts || w == charts.chartArea()) continue;
        QVERIFY2(w->width() >= w->minimumSizeHint().width(), qPrintable(what + QLatin1Char(' ') + w->objectName()));
        QVERIFY2(charts.rect().contains(w->geometry()), qPrintable(what + QLatin1Char(' ') + w->objectName()));
      }
      for (auto* b : charts.findChildren<QAbstractButton*>())
        QVERIFY2(b->width() >= b->sizeHint().width(), qPrintable(what + QLatin1Char(' ') + b->text()));
      auto* slider = charts.findChild<QSlider*>(QStringLiteral("smoothingSlider"));
      QVERIFY(slider->width() >= 100);
      auto* value = charts.findChild<QLabel*>(QStringLiteral("smoothingValue"));
      QCOMPARE(value->text(), QStringLiteral("0.900"));
      QVERIFY(value->width() >= value->sizeHint().width());
    }
  }
}

void TestTrainingCharts::everyControlHasATooltipAndTheChartsHaveAccessibleNames() {
  TrainingCharts charts;
  int controls = 0;
  for (QWidget* w : charts.findChildren<QWidget*>()) {
    if (!qobject_cast<QAbstractButton*>(w) && !qobject_cast<QAbstractSlider*>(w)) continue;
    if (w->parentWidget() != &charts) continue;  // the chart views' (hidden) scroll bars
    ++controls;
    QVERIFY2(!w->toolTip().isEmpty(), qPrintable(w->objectName()));
  }
  QCOMPARE(controls, 5);  // slider, two check boxes, two buttons
  auto* loss = charts.findChild<QChartView*>(QStringLiteral("lossChartView"));
  auto* accuracy = charts.findChild<QChartView*>(QStringLiteral("accuracyChartView"));
  QVERIFY(loss && accuracy);
  QCOMPARE(loss->accessibleName(), QStringLiteral("Loss chart"));
  QCOMPARE(accuracy->accessibleName(), QStringLiteral("Accuracy chart"));
  QCOMPARE(loss->chart(), charts.chart(Metric::Loss));
}

void TestTrainingCharts::everyControlIsReachedByTabAndWorksFromTheKeyboard() {
  TrainingCharts charts;
  charts.resize(900, 320);
  charts.show();
  QVERIFY(QTest::qWaitForWindowExposed(&charts));
  QApplication::setActiveWindow(&charts);
  auto* slider = charts.findChild<QSlider*>(QStringLiteral("smoothingSlider"));
  slider->setFocus(Qt::TabFocusReason);
  QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(slider));
  QSet<QWidget*> reached;
  for (int i = 0; i < 12; ++i) {
    reached.insert(QApplication::focusWidget());
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
  }
  for (const char* name : {"smoothingSlider", "rawBatchesCheck", "logLossCheck", "exportPngButton", "exportCsvButton"})
    QVERIFY2(reached.contains(charts.findChild<QWidget*>(QLatin1String(name))), name);

  // The slider moves with the arrow keys; its value label follows.
  slider->setFocus(Qt::TabFocusReason);
  QTest::keyClick(slider, Qt::Key_Right);
  QCOMPARE(charts.smoothing(), 0.91);
  QCOMPARE(charts.findChild<QLabel*>(QStringLiteral("smoothingValue"))->text(), QStringLiteral("0.910"));
  // Space toggles the focused check box.
  auto* raw = charts.findChild<QCheckBox*>(QStringLiteral("rawBatchesCheck"));
  raw->setFocus(Qt::TabFocusReason);
  QTest::keyClick(raw, Qt::Key_Space);
  QVERIFY(!charts.showRawBatches());
  QTest::mouseClick(charts.findChild<QCheckBox*>(QStringLiteral("logLossCheck")), Qt::LeftButton);
  QVERIFY(charts.logScale());
}

QTEST_MAIN(TestTrainingCharts)
#include "test_TrainingCharts.moc"
