#pragma once
// Live loss and accuracy charts of a training run (Qt Charts), plotted against training progress
// in epochs: batch b of epoch e (1-based) sits at x = e - 1 + b / batchesPerEpoch, so the epoch
// points (x = e) line up with the end of each epoch's batches. Each chart shows
//   - the raw value of every batch (thin, light; can be hidden),
//   - the epoch's running mean, what Keras's progress bar prints (restarts every epoch),
//   - a smoothed line: TensorBoard's bias-corrected exponential moving average of the batch
//     values, strength beta in [0, 0.999] set with a slider (0 = no smoothing),
//   - per-epoch training and validation values (dots joined by lines).
// Hovering a line or a dot shows its values in a tooltip. The loss axis can be logarithmic.
//
// The numbers (smoothing, running means, decimation, the CSV table) are train/Curves.h and
// train/TrainingCsv.h; this widget draws them.
//
// Performance: a 5-epoch run on the full MNIST set delivers ~9,400 batches. The widget keeps its
// own lists and never appends to a series point by point (quadratic in Qt Charts 6.4); at most
// every 40 ms (25 fps), and only when something changed, it pushes each series with replace(),
// min/max-decimated to at most kMaxDisplayPoints points, and sets the axis ranges itself.
// Animations and OpenGL are off.
//
// Usage (the main window relies on this API; keep it stable):
//   charts->reset(epochs, stepsPerEpoch);   // a run starts (TrainingController::started)
//   charts->extendTo(epochs, stepsPerEpoch); // ...or a run continues the one shown (instead of reset)
//   charts->addBatches(batches);            // TrainingController::batchesProgressed, in chunks
//   charts->addEpoch(epochLog);             // TrainingController::epochFinished
//   charts->addMyDigitsAccuracy(e, acc);    // TrainingController::myDigitsEvaluated
// A change of the learning rate between two batches (BatchLog::learningRate: a live change, a
// callback) is marked in both charts by a vertical line where the first batch with the new rate
// starts and a label "lr 0.01 → 0.001" (LearningRateMarks); reset() clears the marks with the
// curves, a resize lays them out again.
//   charts->exportPng(path, &error);  charts->exportCsv(path, &error);

#include "nn/Trainer.h"

#include <QList>
#include <QPointF>
#include <QString>
#include <QWidget>

#include <memory>
#include <vector>

class QAbstractAxis;
class QBoxLayout;
class QChart;
class QChartView;
class QCheckBox;
class QColor;
class QLabel;
class QLineSeries;
class QLogValueAxis;
class QPen;
class QPushButton;
class QResizeEvent;
class QVBoxLayout;
class QScatterSeries;
class QSlider;
class QTimer;
class QValueAxis;
class QXYSeries;

namespace dl {

struct TrainingHistory;
class LearningRateMarks;
class MyDigitsChartSeries;

class TrainingCharts : public QWidget {
  Q_OBJECT

 public:
  enum class Metric { Loss, Accuracy };
  enum class Curve { Batch, RunningMean, Smoothed, TrainEpoch, ValidationEpoch };

  static constexpr int kMaxDisplayPoints = 2000;  // per series, after decimation
  static constexpr int kRefreshIntervalMs = 40;   // at most 25 redraws a second
  static constexpr double kMaxSmoothing = 0.999;
  static constexpr double kDefaultSmoothing = 0.9;

  explicit TrainingCharts(QWidget* parent = nullptr);
  ~TrainingCharts() override;

  // Forgets all data and prepares for a run of `epochs` epochs of `batchesPerEpoch` batches
  // (the x axis spans 0..epochs). Values < 1 are treated as 1.
  void reset(int epochs, int batchesPerEpoch);
  // A run continues the one shown (Keras's fit called again): keeps every point and widens the
  // x axis to `epochs` (all runs' epochs, e.g. 10 after 5 + 5) so that the next run's points,
  // numbered on (epoch 6..10), append. A dashed vertical line marks where the new run starts
  // (where the data so far ends; none when there is no data). `batchesPerEpoch` is the new run's.
  void extendTo(int epochs, int batchesPerEpoch);
  // Where continued runs start, in epochs (one x per extendTo() that found data).
  const std::vector<double>& runStarts() const { return m_runStarts; }
  // Appends batches in arrival order (a chunk as the controller coalesces them). Each log's own
  // batchesPerEpoch is used for its x position when set, else the one given to reset(). Cheap:
  // the series are redrawn later by the refresh timer.
  void addBatches(const std::vector<BatchLog>& batches);
  // Appends one finished epoch (training values, and validation values when present).
  void addEpoch(const EpochLog& epoch);
  // The accuracy on my digits after `epoch` (TrainingController::myDigitsEvaluated): a third
  // epoch line, "my digits", in the accuracy chart (MyDigitsChartSeries). reset() forgets them.
  void addMyDigitsAccuracy(int epoch, double accuracy);
  // The learning-rate changes marked so far (see above), and their graphics items (for tests).
  const LearningRateMarks& learningRateMarks() const { return *m_lrMarks; }
  // That line (valid until the next reset()) and its points.
  QXYSeries* myDigitsSeries() const;
  int myDigitsPointCount() const;

  // Smoothing strength beta, clamped to [0, kMaxSmoothing]; moves the slider.
  void setSmoothing(double beta);
  double smoothing() const { return m_beta; }
  // Logarithmic loss axis (non-positive values are left out while it is on).
  void setLogScale(bool on);
  bool logScale() const { return m_logScale; }
  // Shows or hides the raw per-batch values (the axis ranges follow what is shown).
  void setShowRawBatches(bool on);
  bool showRawBatches() const { return m_showRaw; }
  // Charts side by side (Qt::Horizontal, the default) or one above the other.
  void setOrientation(Qt::Orientation orientation);

  // Writes the two charts as shown (without the control bar) as a PNG of the chart area's size.
  bool exportPng(const QString& path, QString* error = nullptr);
  // Writes every point as CSV with the header
  //   step,epoch,batch,loss,accuracy,running_loss,running_accuracy,smoothed_loss,
  //   smoothed_accuracy,val_loss,val_accuracy
  // One row per batch (step = 1-based global batch index; val_* empty), and after each epoch's
  // batches one epoch row: batch, running_* and smoothed_* empty, loss/accuracy the epoch's
  // values, val_* the validation values (empty without validation). Select epoch rows with an
  // empty `batch` column.
  bool exportCsv(const QString& path, QString* error = nullptr) const;

  int batchCount() const { return static_cast<int>(m_batches.size()); }
  int epochCount() const { return static_cast<int>(m_epochs.size()); }
  // Pushes pending data to the series now instead of at the next timer tick.
  void refreshNow();
  // Shows a recorded history (an opened model's): reset to max(plannedEpochs, its epochs), then its
  // batches (when they split into epochs of batchesPerEpoch, as a run records them) and epochs.
  void showHistory(const TrainingHistory& history, int plannedEpochs);
  // How many times the series were rebuilt (timer redraws and refreshNow): for tests.
  int redrawCount() const { return m_redraws; }

  // For tests and embedding: the charts, their series and the chart area that exportPng() grabs.
  // For the epoch curves series() gives the line (the dots carry the same points); for the
  // running mean, the line of the latest epoch that has batches (of epoch 1 before any).
  // reset() replaces the series: pointers are valid until the next reset().
  QChart* chart(Metric metric) const;
  QXYSeries* series(Metric metric, Curve curve) const;
  QWidget* chartArea() const { return m_chartArea; }
  // Lines up the two plot areas now (it also happens by itself after each chart layout).
  void alignPlotAreas();

  static constexpr int kMaxEpochTicks = 8;  // intervals on the epoch axis, at most

 signals:
  // For the status bar: what an export wrote.
  void message(const QString& text);

 public:
  QSize minimumSizeHint() const override;

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  // One chart's Qt objects. The running mean restarts every epoch (as Keras's progress bar
  // does), so it is one line per epoch, without a vertical jump between epochs (a single line
  // for more than kMaxRunningSegments planned epochs; epochs beyond it share the last line).
  struct ChartParts {
    QChart* chart = nullptr;
    QChartView* view = nullptr;
    QValueAxis* xAxis = nullptr;
    QValueAxis* yLinear = nullptr;
    QLogValueAxis* yLog = nullptr;   // loss chart only
    QAbstractAxis* yAxis = nullptr;  // the one in use
    QLineSeries* batch = nullptr;
    std::vector<QLineSeries*> running;
    QLineSeries* smooth = nullptr;
    QLineSeries* trainLine = nullptr;
    QScatterSeries* trainDots = nullptr;
    QLineSeries* valLine = nullptr;
    QScatterSeries* valDots = nullptr;
    std::vector<QLineSeries*> runStarts;  // one vertical line per continued run
    int extraLeft = 0;                    // margin added by alignPlotAreas()
  };
  static constexpr int kMaxRunningSegments = 100;

  void buildChart(ChartParts& parts, Metric metric);
  void rebuildSeries(ChartParts& parts, Metric metric, int runningSegments);
  QLineSeries* addLine(ChartParts& parts, Metric metric, Curve curve, const QString& name, const QPen& pen);
  QScatterSeries* addDots(ChartParts& parts, Metric metric, Curve curve, const QString& name, const QColor& colour);
  void useYAxis(ChartParts& parts, QAbstractAxis* axis);
  int runningSegmentOf(const ChartParts& parts, int epoch) const;
  void scheduleRefresh();
  void refresh();
  void refreshChart(ChartParts& parts, Metric metric);
  void updateXAxis();
  void placeRunStarts(ChartParts& parts, double lo, double hi);
  void arrangeControls(bool oneRow);
  int oneRowControlsWidth() const;
  void updateLegend();
  void showHoverTip(Metric metric, Curve curve, const QPointF& point, bool state);
  double xOf(const BatchLog& log) const;
  const ChartParts& parts(Metric metric) const { return metric == Metric::Loss ? m_loss : m_accuracy; }
  void onExportPngClicked();
  void onExportCsvClicked();

  std::vector<BatchLog> m_batches;
  std::vector<EpochLog> m_epochs;
  std::vector<double> m_runStarts;
  int m_epochsPlanned = 1;
  int m_batchesPerEpoch = 1;
  double m_beta = kDefaultSmoothing;
  bool m_logScale = false;
  bool m_showRaw = true;
  bool m_dirty = false;
  int m_redraws = 0;
  bool m_runningPerEpoch = true;  // one running-mean line per epoch (see ChartParts)

  ChartParts m_loss;
  ChartParts m_accuracy;
  QWidget* m_chartArea = nullptr;
  QBoxLayout* m_chartLayout = nullptr;
  QLabel* m_legend = nullptr;
  QVBoxLayout* m_controls = nullptr;
  QBoxLayout* m_controlRows[2] = {nullptr, nullptr};
  bool m_controlsInOneRow = true;
  QLabel* m_smoothingLabel = nullptr;
  QSlider* m_smoothingSlider = nullptr;
  QLabel* m_smoothingValue = nullptr;
  QCheckBox* m_rawCheck = nullptr;
  QCheckBox* m_logCheck = nullptr;
  QPushButton* m_exportPngButton = nullptr;
  QPushButton* m_exportCsvButton = nullptr;
  QTimer* m_refreshTimer = nullptr;
  std::unique_ptr<MyDigitsChartSeries> m_myDigits;
  std::unique_ptr<LearningRateMarks> m_lrMarks;
  void layOutLearningRateMarks();
};

}  // namespace dl
