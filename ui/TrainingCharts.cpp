// TrainingCharts: live loss/accuracy charts (see TrainingCharts.h). Data lives in plain vectors;
// a single-shot timer turns it into decimated point lists and pushes them with replace().

#include "TrainingCharts.h"

#include "LearningRateMarks.h"
#include "MyDigitsChartSeries.h"

#include "AppSettings.h"

#include "io/ModelFile.h"
#include "train/Curves.h"
#include "train/TrainingCsv.h"

#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <QBoxLayout>
#include <QCheckBox>
#include <QCoreApplication>
#include <QCursor>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPixmap>
#include <QPushButton>
#include <QResizeEvent>
#include <QSaveFile>
#include <QSignalBlocker>
#include <QSlider>
#include <QTimer>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

namespace dl {

namespace {

// Colours (matplotlib's tab10, which most readers know from Keras/TensorBoard plots).
const QColor kBlue(31, 119, 180);
const QColor kOrange(255, 127, 14);
const QColor kGreen(44, 160, 44);
const QColor kRed(214, 39, 40);
const QColor kRawBlue(31, 119, 180, 64);

constexpr int kSliderSteps = 1000;  // slider value v means beta = v / 1000
// Each chart's margins; alignPlotAreas() adds to the left one so that both plot areas start at
// the same x whatever the widths of their y-axis labels.
const QMargins kChartMargins(4, 2, 8, 2);

QPen pen(const QColor& colour, qreal width) {
  QPen p(colour, width);
  p.setCosmetic(true);
  p.setCapStyle(Qt::RoundCap);
  p.setJoinStyle(Qt::RoundJoin);
  return p;
}

// Keras's progress bar format: 4 decimals, or scientific for tiny values.
QString formatValue(double v) {
  if (!std::isfinite(v)) return QString::number(v);
  return std::abs(v) > 1e-3 || v == 0 ? QString::number(v, 'f', 4) : QString::number(v, 'e', 4);
}

// A "nice" tick step (1, 2, 2.5 or 5 times a power of ten) giving about maxTicks intervals.
double niceStep(double span, int maxTicks) {
  const double raw = span / maxTicks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  const double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nice * mag;
}

// A whole-number tick step for the epoch axis (1, 2, 5 times a power of ten) giving at most
// maxTicks intervals: short runs get whole epochs, never 0.5 or 2.5.
double wholeStep(double span, int maxTicks) {
  for (double mag = 1;; mag *= 10)
    for (double f : {1.0, 2.0, 5.0})
      if (span / (f * mag) <= maxTicks) return f * mag;
}

int decimalsFor(double step) {
  int d = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  if (std::abs(mantissa - 2.5) < 1e-6) ++d;
  return d;
}

// The points that curves::decimationIndices keeps (min/max decimation by y, in x order).
QList<QPointF> decimate(const QList<QPointF>& points, int maxPoints) {
  std::vector<double> ys(static_cast<size_t>(points.size()));
  for (qsizetype i = 0; i < points.size(); ++i) ys[static_cast<size_t>(i)] = points[i].y();
  const std::vector<size_t> kept = curves::decimationIndices(ys, maxPoints);
  if (kept.size() == ys.size()) return points;
  QList<QPointF> out;
  out.reserve(static_cast<qsizetype>(kept.size()));
  for (size_t i : kept) out.append(points[static_cast<qsizetype>(i)]);
  return out;
}

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(const QList<QPointF>& points) {
    for (const QPointF& p : points) {
      lo = std::min(lo, p.y());
      hi = std::max(hi, p.y());
    }
  }
  bool valid() const { return lo <= hi; }
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Construction

TrainingCharts::TrainingCharts(QWidget* parent)
    : QWidget(parent),
      m_myDigits(std::make_unique<MyDigitsChartSeries>()),
      m_lrMarks(std::make_unique<LearningRateMarks>()) {
  // Control bar: one row when there is room, else two (see arrangeControls).
  const QString smoothingTip =
      tr("Strength of the exponential moving average of the batch values (TensorBoard's smoothing).\n"
         "0 = none; 0.99 averages over roughly the last 100 batches.");
  m_smoothingLabel = new QLabel(tr("S&moothing"), this);
  m_smoothingLabel->setToolTip(smoothingTip);
  m_smoothingSlider = new QSlider(Qt::Horizontal, this);
  m_smoothingSlider->setObjectName(QStringLiteral("smoothingSlider"));
  m_smoothingSlider->setRange(0, static_cast<int>(std::lround(kMaxSmoothing * kSliderSteps)));
  m_smoothingSlider->setSingleStep(10);
  m_smoothingSlider->setPageStep(100);
  m_smoothingSlider->setMinimumWidth(100);
  m_smoothingSlider->setMaximumWidth(200);
  m_smoothingSlider->setToolTip(smoothingTip);
  m_smoothingSlider->setAccessibleName(tr("Smoothing"));
  m_smoothingLabel->setBuddy(m_smoothingSlider);
  m_smoothingValue = new QLabel(this);
  m_smoothingValue->setObjectName(QStringLiteral("smoothingValue"));
  m_smoothingValue->setToolTip(smoothingTip);
  m_smoothingValue->setMinimumWidth(QFontMetrics(font()).horizontalAdvance(QStringLiteral("0.000")) + 6);
  m_rawCheck = new QCheckBox(tr("Raw batches"), this);
  m_rawCheck->setObjectName(QStringLiteral("rawBatchesCheck"));
  m_rawCheck->setChecked(m_showRaw);
  m_rawCheck->setToolTip(tr("Show the loss and accuracy of every single batch (thin, light line)"));
  m_logCheck = new QCheckBox(tr("Log loss"), this);
  m_logCheck->setObjectName(QStringLiteral("logLossCheck"));
  m_logCheck->setChecked(m_logScale);
  m_logCheck->setToolTip(tr("Logarithmic loss axis: shows progress at small losses (values <= 0 are left out)"));
  m_exportPngButton = new QPushButton(tr("Export PNG…"), this);
  m_exportPngButton->setObjectName(QStringLiteral("exportPngButton"));
  m_exportPngButton->setToolTip(tr("Save both charts as they are shown as a PNG image"));
  m_exportCsvButton = new QPushButton(tr("Export CSV…"), this);
  m_exportCsvButton->setObjectName(QStringLiteral("exportCsvButton"));
  m_exportCsvButton->setToolTip(tr("Save every batch and epoch value as a CSV table"));

  m_controls = new QVBoxLayout;
  m_controls->setContentsMargins(6, 4, 6, 0);
  m_controls->setSpacing(2);
  for (QBoxLayout*& row : m_controlRows) {
    row = new QHBoxLayout;
    row->setSpacing(6);
    m_controls->addLayout(row);
  }

  // Chart area: the two charts and one legend for both (what exportPng() grabs).
  m_chartArea = new QWidget(this);
  m_chartArea->setAutoFillBackground(true);
  QPalette pal = m_chartArea->palette();
  pal.setColor(QPalette::Window, Qt::white);
  pal.setColor(QPalette::WindowText, QColor(40, 40, 40));
  m_chartArea->setPalette(pal);
  buildChart(m_loss, Metric::Loss);
  buildChart(m_accuracy, Metric::Accuracy);
  m_chartLayout = new QBoxLayout(QBoxLayout::LeftToRight);
  m_chartLayout->setSpacing(0);
  m_chartLayout->addWidget(m_loss.view);
  m_chartLayout->addWidget(m_accuracy.view);
  m_legend = new QLabel(m_chartArea);
  m_legend->setObjectName(QStringLiteral("chartsLegend"));
  m_legend->setTextFormat(Qt::RichText);
  m_legend->setAlignment(Qt::AlignCenter);
  m_legend->setWordWrap(true);
  auto* areaLayout = new QVBoxLayout(m_chartArea);
  areaLayout->setContentsMargins(0, 0, 0, 4);
  areaLayout->setSpacing(0);
  areaLayout->addLayout(m_chartLayout, 1);
  areaLayout->addWidget(m_legend);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(m_controls);
  layout->addWidget(m_chartArea, 1);
  // The minimum comes from minimumSizeHint(), not from the control bar's current arrangement.
  layout->setSizeConstraint(QLayout::SetNoConstraint);
  arrangeControls(true);

  m_refreshTimer = new QTimer(this);
  m_refreshTimer->setSingleShot(true);
  m_refreshTimer->setInterval(kRefreshIntervalMs);
  connect(m_refreshTimer, &QTimer::timeout, this, &TrainingCharts::refresh);

  connect(m_smoothingSlider, &QSlider::valueChanged, this, [this](int v) { setSmoothing(double(v) / kSliderSteps); });
  connect(m_rawCheck, &QCheckBox::toggled, this, &TrainingCharts::setShowRawBatches);
  connect(m_logCheck, &QCheckBox::toggled, this, &TrainingCharts::setLogScale);
  connect(m_exportPngButton, &QPushButton::clicked, this, &TrainingCharts::onExportPngClicked);
  connect(m_exportCsvButton, &QPushButton::clicked, this, &TrainingCharts::onExportCsvClicked);

  m_beta = -1;  // force setSmoothing() to update the slider and label
  setSmoothing(kDefaultSmoothing);
  reset(1, 1);
  refreshNow();
}

TrainingCharts::~TrainingCharts() = default;

void TrainingCharts::buildChart(ChartParts& parts, Metric metric) {
  const bool isLoss = metric == Metric::Loss;
  parts.chart = new QChart;
  parts.chart->setAnimationOptions(QChart::NoAnimation);
  parts.chart->legend()->hide();
  parts.chart->setBackgroundRoundness(0);
  parts.chart->setMargins(kChartMargins);
  QFont titleFont = font();
  titleFont.setBold(true);
  parts.chart->setTitleFont(titleFont);
  parts.chart->setTitle(isLoss ? tr("Loss") : tr("Accuracy"));

  parts.view = new QChartView(parts.chart, m_chartArea);  // owns the chart
  parts.view->setObjectName(isLoss ? QStringLiteral("lossChartView") : QStringLiteral("accuracyChartView"));
  parts.view->setAccessibleName(isLoss ? tr("Loss chart") : tr("Accuracy chart"));
  parts.view->setAccessibleDescription(
      isLoss ? tr("Training loss against epochs: every batch, the epoch's running mean, a smoothed line and the "
                  "epoch values; hover a line for its numbers")
             : tr("Training accuracy against epochs: every batch, the epoch's running mean, a smoothed line and "
                  "the epoch values; hover a line for its numbers"));
  parts.view->setRenderHint(QPainter::Antialiasing);
  parts.view->setMinimumSize(260, 200);
  parts.view->setFrameShape(QFrame::NoFrame);
  // The two plot areas line up (alignPlotAreas); after Qt Charts' own layout, not inside it.
  connect(parts.chart, &QChart::plotAreaChanged, this, &TrainingCharts::alignPlotAreas, Qt::QueuedConnection);
  // The learning-rate marks follow the plot area (a resize, new axis labels).
  connect(parts.chart, &QChart::plotAreaChanged, this, &TrainingCharts::layOutLearningRateMarks, Qt::QueuedConnection);

  parts.xAxis = new QValueAxis;
  parts.xAxis->setTitleText(tr("epoch"));
  parts.xAxis->setLabelFormat(QStringLiteral("%.0f"));
  parts.xAxis->setTickType(QValueAxis::TicksDynamic);
  parts.xAxis->setTickAnchor(0);
  parts.xAxis->setTickInterval(1);
  parts.chart->addAxis(parts.xAxis, Qt::AlignBottom);

  // Both y axes of the loss chart stay in the chart; the unused one is hidden and has no series.
  // (Removing and deleting an axis leaves its drawing behind until deferred deletes run.)
  parts.yLinear = new QValueAxis;
  parts.yLinear->setTickType(QValueAxis::TicksDynamic);
  parts.yLinear->setTickAnchor(0);
  parts.chart->addAxis(parts.yLinear, Qt::AlignLeft);
  parts.yAxis = parts.yLinear;
  if (isLoss) {
    parts.yLog = new QLogValueAxis;
    parts.yLog->setBase(10);
    parts.yLog->setLabelFormat(QStringLiteral("%g"));
    parts.yLog->setMinorTickCount(-1);  // 2..9 x each power of ten
    parts.yLog->setVisible(false);
    parts.chart->addAxis(parts.yLog, Qt::AlignLeft);
  }
}

QLineSeries* TrainingCharts::addLine(ChartParts& parts, Metric metric, Curve curve, const QString& name,
                                     const QPen& pen) {
  auto* s = new QLineSeries;
  s->setName(name);
  s->setPen(pen);
  parts.chart->addSeries(s);
  s->attachAxis(parts.xAxis);
  s->attachAxis(parts.yAxis);
  connect(s, &QXYSeries::hovered, this,
          [this, metric, curve](const QPointF& point, bool state) { showHoverTip(metric, curve, point, state); });
  return s;
}

QScatterSeries* TrainingCharts::addDots(ChartParts& parts, Metric metric, Curve curve, const QString& name,
                                        const QColor& colour) {
  auto* s = new QScatterSeries;
  s->setName(name);
  s->setMarkerShape(QScatterSeries::MarkerShapeCircle);
  s->setMarkerSize(8);
  s->setColor(colour);
  s->setBorderColor(Qt::white);
  parts.chart->addSeries(s);
  s->attachAxis(parts.xAxis);
  s->attachAxis(parts.yAxis);
  connect(s, &QXYSeries::hovered, this,
          [this, metric, curve](const QPointF& point, bool state) { showHoverTip(metric, curve, point, state); });
  return s;
}

void TrainingCharts::rebuildSeries(ChartParts& parts, Metric metric, int runningSegments) {
  parts.chart->removeAllSeries();  // deletes them
  parts.running.clear();
  parts.runStarts.clear();
  // Added bottom to top: raw values under everything, epoch dots on top.
  parts.batch = addLine(parts, metric, Curve::Batch, tr("batch value"), pen(kRawBlue, 1));
  parts.batch->setVisible(m_showRaw);
  for (int i = 0; i < runningSegments; ++i)
    parts.running.push_back(
        addLine(parts, metric, Curve::RunningMean, tr("epoch running mean (Keras progress bar)"), pen(kOrange, 1.5)));
  parts.smooth = addLine(parts, metric, Curve::Smoothed, tr("smoothed"), pen(kBlue, 2));
  parts.trainLine = addLine(parts, metric, Curve::TrainEpoch, tr("train (epoch)"), pen(kGreen, 1.5));
  parts.valLine = addLine(parts, metric, Curve::ValidationEpoch, tr("validation (epoch)"), pen(kRed, 1.5));
  parts.trainDots = addDots(parts, metric, Curve::TrainEpoch, tr("train (epoch)"), kGreen);
  parts.valDots = addDots(parts, metric, Curve::ValidationEpoch, tr("validation (epoch)"), kRed);
  if (metric == Metric::Accuracy) m_myDigits->attach(parts.chart, parts.xAxis, parts.yAxis, this);
}

void TrainingCharts::useYAxis(ChartParts& parts, QAbstractAxis* axis) {
  if (axis == parts.yAxis) return;
  for (QAbstractSeries* s : parts.chart->series()) {
    s->detachAxis(parts.yAxis);
    s->attachAxis(axis);
  }
  parts.yAxis->setVisible(false);
  axis->setVisible(true);
  parts.yAxis = axis;
}

int TrainingCharts::runningSegmentOf(const ChartParts& parts, int epoch) const {
  if (!m_runningPerEpoch || parts.running.empty()) return 0;
  return std::clamp(epoch - 1, 0, static_cast<int>(parts.running.size()) - 1);
}

// ---------------------------------------------------------------------------------------------
// Data

void TrainingCharts::reset(int epochs, int batchesPerEpoch) {
  m_batches.clear();
  m_epochs.clear();
  m_runStarts.clear();
  m_myDigits->clear();
  m_lrMarks->clear();
  m_epochsPlanned = std::max(1, epochs);
  m_batchesPerEpoch = std::max(1, batchesPerEpoch);
  m_batches.reserve(static_cast<size_t>(m_epochsPlanned) * m_batchesPerEpoch);
  m_runningPerEpoch = m_epochsPlanned <= kMaxRunningSegments;
  const int segments = m_runningPerEpoch ? m_epochsPlanned : 1;
  rebuildSeries(m_loss, Metric::Loss, segments);
  rebuildSeries(m_accuracy, Metric::Accuracy, segments);
  updateLegend();
  scheduleRefresh();
}

void TrainingCharts::extendTo(int epochs, int batchesPerEpoch) {
  double end = 0;  // where the data so far ends
  if (!m_batches.empty()) end = xOf(m_batches.back());
  if (!m_epochs.empty()) end = std::max(end, double(m_epochs.back().epoch));
  m_batchesPerEpoch = std::max(1, batchesPerEpoch);
  m_epochsPlanned = std::max({1, epochs, int(std::ceil(end - 1e-9))});
  if (end > 0 && (m_runStarts.empty() || m_runStarts.back() < end)) {
    m_runStarts.push_back(end);
    for (ChartParts* p : {&m_loss, &m_accuracy}) {
      auto* s = new QLineSeries;
      s->setName(tr("continued run"));
      QPen marker = pen(QColor(120, 120, 120), 1);
      marker.setStyle(Qt::DashLine);
      marker.setCapStyle(Qt::FlatCap);
      s->setPen(marker);
      p->chart->addSeries(s);
      s->attachAxis(p->xAxis);
      s->attachAxis(p->yAxis);
      p->runStarts.push_back(s);
    }
    updateLegend();
  }
  scheduleRefresh();
}

void TrainingCharts::addBatches(const std::vector<BatchLog>& batches) {
  if (batches.empty()) return;
  const size_t marksBefore = m_lrMarks->marks().size();
  for (const BatchLog& log : batches) {
    const int perEpoch = log.batchesPerEpoch > 0 ? log.batchesPerEpoch : m_batchesPerEpoch;
    m_lrMarks->addBatch(log, xOf(log) - 1.0 / perEpoch);
  }
  if (m_lrMarks->marks().size() != marksBefore && marksBefore == 0) updateLegend();
  m_batches.insert(m_batches.end(), batches.begin(), batches.end());
  // More epochs than reset() announced: one more running-mean line per extra epoch.
  const int lastEpoch = m_batches.back().epoch;
  for (auto [parts, metric] : {std::pair{&m_loss, Metric::Loss}, std::pair{&m_accuracy, Metric::Accuracy}}) {
    while (m_runningPerEpoch && static_cast<int>(parts->running.size()) < std::min(lastEpoch, kMaxRunningSegments)) {
      parts->running.push_back(addLine(*parts, metric, Curve::RunningMean,
                                       tr("epoch running mean (Keras progress bar)"), pen(kOrange, 1.5)));
    }
  }
  scheduleRefresh();
}

void TrainingCharts::addEpoch(const EpochLog& epoch) {
  const bool firstValidation =
      epoch.hasValidation() &&
      std::none_of(m_epochs.begin(), m_epochs.end(), [](const EpochLog& e) { return e.hasValidation(); });
  m_epochs.push_back(epoch);
  if (firstValidation) updateLegend();
  scheduleRefresh();
}

void TrainingCharts::addMyDigitsAccuracy(int epoch, double accuracy) {
  const bool first = m_myDigits->isEmpty();
  m_myDigits->add(epoch, accuracy);
  if (first) updateLegend();
  scheduleRefresh();
}

QXYSeries* TrainingCharts::myDigitsSeries() const { return m_myDigits->line(); }
int TrainingCharts::myDigitsPointCount() const { return int(m_myDigits->points().size()); }

double TrainingCharts::xOf(const BatchLog& log) const {
  const int perEpoch = log.batchesPerEpoch > 0 ? log.batchesPerEpoch : m_batchesPerEpoch;
  return (log.epoch - 1) + double(log.batch) / perEpoch;
}

// ---------------------------------------------------------------------------------------------
// Settings

void TrainingCharts::setSmoothing(double beta) {
  beta = std::clamp(std::isfinite(beta) ? beta : 0.0, 0.0, kMaxSmoothing);
  if (beta == m_beta) return;
  m_beta = beta;
  {
    const QSignalBlocker block(m_smoothingSlider);
    m_smoothingSlider->setValue(static_cast<int>(std::lround(beta * kSliderSteps)));
  }
  m_smoothingValue->setText(QString::number(beta, 'f', 3));
  updateLegend();
  scheduleRefresh();
}

void TrainingCharts::setLogScale(bool on) {
  if (on == m_logScale) return;
  m_logScale = on;
  {
    const QSignalBlocker block(m_logCheck);
    m_logCheck->setChecked(on);
  }
  useYAxis(m_loss, on ? static_cast<QAbstractAxis*>(m_loss.yLog) : m_loss.yLinear);
  refreshNow();  // the new axis needs its range and the series their (filtered) points at once
}

void TrainingCharts::setShowRawBatches(bool on) {
  if (on == m_showRaw) return;
  m_showRaw = on;
  {
    const QSignalBlocker block(m_rawCheck);
    m_rawCheck->setChecked(on);
  }
  m_loss.batch->setVisible(on);
  m_accuracy.batch->setVisible(on);
  updateLegend();
  scheduleRefresh();
}

void TrainingCharts::setOrientation(Qt::Orientation orientation) {
  m_chartLayout->setDirection(orientation == Qt::Horizontal ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom);
}

QChart* TrainingCharts::chart(Metric metric) const { return parts(metric).chart; }

QXYSeries* TrainingCharts::series(Metric metric, Curve curve) const {
  const ChartParts& p = parts(metric);
  switch (curve) {
    case Curve::Batch:
      return p.batch;
    case Curve::RunningMean:
      if (p.running.empty()) return nullptr;
      return p.running[static_cast<size_t>(runningSegmentOf(p, m_batches.empty() ? 1 : m_batches.back().epoch))];
    case Curve::Smoothed:
      return p.smooth;
    case Curve::TrainEpoch:
      return p.trainLine;
    case Curve::ValidationEpoch:
      return p.valLine;
  }
  return nullptr;
}

void TrainingCharts::updateLegend() {
  // Each item is unbreakable; the legend wraps between items when the charts are narrow.
  auto item = [](const QColor& colour, const QString& symbol, const QString& text) {
    return QStringLiteral("<span style=\"color:%1\">%2</span>&nbsp;%3")
        .arg(colour.name(), symbol, text.toHtmlEscaped().replace(QLatin1Char(' '), QStringLiteral("&nbsp;")));
  };
  const QString line = QStringLiteral("&#x2501;&#x2501;");
  const QString dotLine = QStringLiteral("&#x2500;&#x25CF;&#x2500;");
  QStringList items;
  if (m_showRaw) items << item(QColor(150, 190, 225), line, tr("batch value"));
  items << item(kOrange, line, tr("epoch running mean (Keras progress bar)"));
  items << item(kBlue, line, tr("smoothed (EMA, β = %1)").arg(QString::number(m_beta, 'g', 3)));
  items << item(kGreen, dotLine, tr("train (epoch)"));
  if (std::any_of(m_epochs.begin(), m_epochs.end(), [](const EpochLog& e) { return e.hasValidation(); }))
    items << item(kRed, dotLine, tr("validation (epoch)"));
  if (!m_myDigits->isEmpty()) items << item(MyDigitsChartSeries::colour(), dotLine, tr("my digits (epoch)"));
  if (!m_runStarts.empty()) items << item(QColor(120, 120, 120), QStringLiteral("&#x2506;"), tr("continued run"));
  if (!m_lrMarks->marks().empty())
    items << item(QColor(110, 60, 160), QStringLiteral("&#x2506;"), tr("learning rate changed"));
  m_legend->setText(items.join(QStringLiteral("&nbsp;&nbsp;&nbsp; ")));
}

// ---------------------------------------------------------------------------------------------
// Drawing

void TrainingCharts::scheduleRefresh() {
  m_dirty = true;
  if (!m_refreshTimer->isActive()) m_refreshTimer->start();
}

void TrainingCharts::refreshNow() {
  m_refreshTimer->stop();
  m_dirty = true;
  refresh();
}

void TrainingCharts::refresh() {
  if (!m_dirty) return;
  m_dirty = false;
  ++m_redraws;
  updateXAxis();
  refreshChart(m_loss, Metric::Loss);
  refreshChart(m_accuracy, Metric::Accuracy);
  layOutLearningRateMarks();
}

void TrainingCharts::layOutLearningRateMarks() {
  m_lrMarks->layout(m_loss.chart, m_loss.xAxis);
  m_lrMarks->layout(m_accuracy.chart, m_accuracy.xAxis);
}

void TrainingCharts::updateXAxis() {
  // Whole epochs: the planned ones, or up to the end of the epoch the data has reached.
  double maxX = m_epochsPlanned;
  if (!m_batches.empty()) maxX = std::max(maxX, std::ceil(xOf(m_batches.back()) - 1e-9));
  if (!m_epochs.empty()) maxX = std::max(maxX, double(m_epochs.back().epoch));
  const double interval = wholeStep(maxX, kMaxEpochTicks);
  for (ChartParts* p : {&m_loss, &m_accuracy}) {
    p->xAxis->setRange(0, maxX);
    p->xAxis->setTickInterval(interval);
  }
}

void TrainingCharts::refreshChart(ChartParts& parts, Metric metric) {
  const bool isLoss = metric == Metric::Loss;
  const bool log = isLoss && m_logScale;
  auto keep = [log](double y) { return std::isfinite(y) && (!log || y > 0); };

  const size_t n = m_batches.size();
  std::vector<double> values(n);
  for (size_t i = 0; i < n; ++i) values[i] = isLoss ? m_batches[i].loss : m_batches[i].accuracy;
  const std::vector<double> smooth = curves::smoothed(values, m_beta);

  QList<QPointF> raw, smoothedPoints;
  std::vector<QList<QPointF>> running(parts.running.size());
  if (m_showRaw) raw.reserve(static_cast<qsizetype>(n));
  smoothedPoints.reserve(static_cast<qsizetype>(n));
  for (size_t i = 0; i < n; ++i) {
    const BatchLog& b = m_batches[i];
    const double x = xOf(b);
    const double run = isLoss ? b.runningLoss : b.runningAccuracy;
    if (m_showRaw && keep(values[i])) raw.append(QPointF(x, values[i]));
    if (keep(run) && !running.empty())
      running[static_cast<size_t>(runningSegmentOf(parts, b.epoch))].append(QPointF(x, run));
    if (keep(smooth[i])) smoothedPoints.append(QPointF(x, smooth[i]));
  }
  QList<QPointF> train, val;
  for (const EpochLog& e : m_epochs) {
    const double t = isLoss ? e.loss : e.accuracy;
    const double v = isLoss ? e.valLoss : e.valAccuracy;
    if (keep(t)) train.append(QPointF(e.epoch, t));
    if (keep(v)) val.append(QPointF(e.epoch, v));
  }

  // The running-mean lines share one budget of points.
  const int runningCap = std::max(16, kMaxDisplayPoints / std::max(1, static_cast<int>(running.size())));
  raw = decimate(raw, kMaxDisplayPoints);
  smoothedPoints = decimate(smoothedPoints, kMaxDisplayPoints);
  for (QList<QPointF>& r : running) r = decimate(r, runningCap);

  Range range;
  range.add(raw);
  for (const QList<QPointF>& r : running) range.add(r);
  range.add(smoothedPoints);
  range.add(train);
  range.add(val);
  if (!isLoss) range.add(m_myDigits->points());

  // replace() redraws (and re-strokes the hover shape of) a line: skip unchanged ones, such as
  // the running means of finished epochs.
  auto push = [](QXYSeries* series, const QList<QPointF>& points) {
    if (series->count() != points.size() || series->points() != points) series->replace(points);
  };
  push(parts.batch, raw);
  for (size_t k = 0; k < running.size(); ++k) push(parts.running[k], running[k]);
  push(parts.smooth, smoothedPoints);
  push(parts.trainLine, train);
  push(parts.trainDots, train);
  push(parts.valLine, val);
  push(parts.valDots, val);
  if (!isLoss) m_myDigits->push();

  if (log) {
    double lo = 0.01, hi = 10;
    if (range.valid()) {
      lo = std::pow(10.0, std::floor(std::log10(range.lo)));
      hi = std::pow(10.0, std::ceil(std::log10(range.hi)));
      if (hi <= lo) hi = lo * 10;
    }
    // A hair wider than the powers of ten so that both end labels are drawn.
    parts.yLog->setRange(lo * 0.999, hi * 1.001);
    placeRunStarts(parts, lo * 0.999, hi * 1.001);
    return;
  }

  double lo = 0, hi = isLoss ? 2.5 : 1.0;
  if (range.valid()) {
    lo = range.lo;
    hi = range.hi;
    if (hi - lo < 1e-9) {
      const double pad = std::max(1e-3, std::abs(hi) * 0.05);
      lo -= pad;
      hi += pad;
    }
    const double pad = 0.04 * (hi - lo);
    lo -= pad;
    hi += pad;
  }
  if (isLoss) {
    lo = std::max(lo, 0.0);
  } else {
    lo = std::clamp(lo, 0.0, 1.0);
    hi = std::clamp(hi, lo + 1e-3, 1.0);
  }
  const double step = niceStep(hi - lo, 6);
  lo = std::floor(lo / step + 1e-9) * step;
  hi = std::ceil(hi / step - 1e-9) * step;
  if (hi <= lo) hi = lo + step;
  // Accuracy 1.0 is common: a little room above it so a line there is not drawn on the frame
  // (there is no tick beyond 1: ticks are anchored at 0, one step apart).
  if (!isLoss && hi >= 1.0) hi = 1.0 + 0.015 * (hi - lo);
  parts.yLinear->setTickInterval(step);
  parts.yLinear->setLabelFormat(QStringLiteral("%.") + QString::number(decimalsFor(step)) + QStringLiteral("f"));
  parts.yLinear->setRange(lo, hi);
  placeRunStarts(parts, lo, hi);
}

void TrainingCharts::placeRunStarts(ChartParts& parts, double lo, double hi) {
  for (size_t i = 0; i < parts.runStarts.size() && i < m_runStarts.size(); ++i) {
    const QList<QPointF> points = {QPointF(m_runStarts[i], lo), QPointF(m_runStarts[i], hi)};
    if (parts.runStarts[i]->points() != points) parts.runStarts[i]->replace(points);
  }
}

void TrainingCharts::arrangeControls(bool oneRow) {
  if (m_controlsInOneRow == oneRow && !m_controlRows[0]->isEmpty()) return;
  m_controlsInOneRow = oneRow;
  for (QBoxLayout* row : m_controlRows)
    while (QLayoutItem* item = row->takeAt(0)) delete item;  // widget items only: the widgets stay
  // One row:  Smoothing [slider] 0.900   Raw batches  Log loss  <stretch>  Export PNG…  Export CSV…
  // Two rows: Smoothing [slider] 0.900   <stretch>
  //           Raw batches  Log loss  <stretch>  Export PNG…  Export CSV…
  QBoxLayout* first = m_controlRows[0];
  QBoxLayout* second = oneRow ? first : m_controlRows[1];
  first->addWidget(m_smoothingLabel);
  first->addWidget(m_smoothingSlider, 1);
  first->addWidget(m_smoothingValue);
  first->addStretch(oneRow ? 0 : 1);
  second->addWidget(m_rawCheck);
  second->addWidget(m_logCheck);
  second->addStretch(1);
  second->addWidget(m_exportPngButton);
  second->addWidget(m_exportCsvButton);
}

int TrainingCharts::oneRowControlsWidth() const {
  int width = 0;
  for (QWidget* w : std::initializer_list<QWidget*>{m_smoothingLabel, m_smoothingValue, m_rawCheck, m_logCheck,
                                                    m_exportPngButton, m_exportCsvButton})
    width += w->sizeHint().width();
  width += m_smoothingSlider->minimumWidth() + 120;  // a slider that is more than a stub
  const QMargins m = m_controls->contentsMargins();
  return width + 8 * m_controlRows[0]->spacing() + 6 + m.left() + m.right();
}

QSize TrainingCharts::minimumSizeHint() const {
  // What the charts and the two-row control bar need, whichever arrangement is shown: a wide
  // widget (one row) can still be narrowed to a column.
  const QMargins m = m_controls->contentsMargins();
  const int spacing = m_controlRows[0]->spacing();
  const int first = m_smoothingLabel->sizeHint().width() + m_smoothingSlider->minimumWidth() +
                    m_smoothingValue->minimumSizeHint().width() + 2 * spacing;
  const int second = m_rawCheck->sizeHint().width() + m_logCheck->sizeHint().width() +
                     m_exportPngButton->sizeHint().width() + m_exportCsvButton->sizeHint().width() + 3 * spacing;
  const int firstHeight = std::max({m_smoothingLabel->sizeHint().height(), m_smoothingSlider->sizeHint().height(),
                                    m_smoothingValue->sizeHint().height()});
  const int secondHeight = std::max({m_rawCheck->sizeHint().height(), m_exportPngButton->sizeHint().height()});
  const QSize area = m_chartArea->minimumSizeHint();
  return QSize(std::max(std::max(first, second) + m.left() + m.right(), area.width()),
               firstHeight + m_controls->spacing() + secondHeight + m.top() + m.bottom() + area.height());
}

void TrainingCharts::resizeEvent(QResizeEvent* event) {
  arrangeControls(event->size().width() >= oneRowControlsWidth());
  QWidget::resizeEvent(event);
}

void TrainingCharts::alignPlotAreas() {
  // Each chart's plot area starts after its title/axis labels plus our margin: the widest labels
  // set the left edge, the other chart gets the difference as extra margin. Stacked, both plot
  // areas then share their left edge and width; side by side (equal views) their top, bottom
  // and width. Converges in one step: the labels do not change with the margin.
  ChartParts* charts[] = {&m_loss, &m_accuracy};
  double natural[2];
  for (int i = 0; i < 2; ++i) natural[i] = charts[i]->chart->plotArea().left() - charts[i]->extraLeft;
  const double target = std::max(natural[0], natural[1]);
  for (int i = 0; i < 2; ++i) {
    const int extra = int(std::lround(target - natural[i]));
    if (extra == charts[i]->extraLeft) continue;
    charts[i]->extraLeft = extra;
    charts[i]->chart->setMargins(kChartMargins + QMargins(extra, 0, 0, 0));
  }
}

void TrainingCharts::showHoverTip(Metric metric, Curve curve, const QPointF& point, bool state) {
  if (!state) {
    QToolTip::hideText();
    return;
  }
  const bool isLoss = metric == Metric::Loss;
  const QString name = isLoss ? tr("loss") : tr("accuracy");
  QString text;
  if (curve == Curve::TrainEpoch || curve == Curve::ValidationEpoch) {
    if (m_epochs.empty()) return;
    const auto nearest = std::min_element(m_epochs.begin(), m_epochs.end(), [&](const EpochLog& a, const EpochLog& b) {
      return std::abs(a.epoch - point.x()) < std::abs(b.epoch - point.x());
    });
    text = tr("epoch %1\ntrain %2 %3")
               .arg(nearest->epoch)
               .arg(name, formatValue(isLoss ? nearest->loss : nearest->accuracy));
    if (nearest->hasValidation())
      text += tr("\nvalidation %1 %2").arg(name, formatValue(isLoss ? nearest->valLoss : nearest->valAccuracy));
  } else {
    if (m_batches.empty()) return;
    const auto it = std::lower_bound(m_batches.begin(), m_batches.end(), point.x(),
                                     [this](const BatchLog& b, double x) { return xOf(b) < x; });
    size_t i = static_cast<size_t>(it - m_batches.begin());
    if (i >= m_batches.size()) i = m_batches.size() - 1;
    if (i > 0 && std::abs(xOf(m_batches[i - 1]) - point.x()) < std::abs(xOf(m_batches[i]) - point.x())) --i;
    std::vector<double> values(i + 1);
    for (size_t k = 0; k <= i; ++k) values[k] = isLoss ? m_batches[k].loss : m_batches[k].accuracy;
    const double smooth = curves::smoothed(values, m_beta).back();
    const BatchLog& b = m_batches[i];
    text = tr("epoch %1, batch %2/%3\n%4 %5 (this batch)\nrunning mean %6\nsmoothed %7")
               .arg(b.epoch)
               .arg(b.batch)
               .arg(b.batchesPerEpoch > 0 ? b.batchesPerEpoch : m_batchesPerEpoch)
               .arg(name, formatValue(values[i]), formatValue(isLoss ? b.runningLoss : b.runningAccuracy),
                    formatValue(smooth));
  }
  QToolTip::showText(QCursor::pos(), text, parts(metric).view);
}

// ---------------------------------------------------------------------------------------------
// Export

bool TrainingCharts::exportPng(const QString& path, QString* error) {
  refreshNow();
  // Qt Charts lays out a changed chart (a new axis, new ranges) on a posted LayoutRequest.
  QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
  alignPlotAreas();  // now rather than queued: the grab comes first
  QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
  layOutLearningRateMarks();  // in the final plot areas
  const QPixmap pixmap = m_chartArea->grab();
  if (pixmap.isNull() || !pixmap.save(path, "PNG")) {
    if (error) *error = tr("Could not write the image %1.").arg(path);
    return false;
  }
  return true;
}

bool TrainingCharts::exportCsv(const QString& path, QString* error) const {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
    if (error) *error = tr("Could not open %1 for writing: %2").arg(path, file.errorString());
    return false;
  }
  const QByteArray out = trainingCsv(m_batches, m_epochs, m_batchesPerEpoch, m_beta);
  if (file.write(out) != out.size() || !file.commit()) {
    if (error) *error = tr("Could not write %1: %2").arg(path, file.errorString());
    return false;
  }
  return true;
}

void TrainingCharts::showHistory(const TrainingHistory& history, int plannedEpochs) {
  const int bpe = history.batchesPerEpoch;
  const size_t batches = std::min(history.batchLoss.size(), history.batchAccuracy.size());
  const int epochs = std::max({1, plannedEpochs, int(history.epochs.size())});
  reset(epochs, std::max(1, bpe));
  if (history.empty()) return;
  // Batches only when they split into whole epochs of batchesPerEpoch (what a run records).
  const bool useBatches = bpe > 0 && batches > 0;
  size_t next = 0;
  const auto addEpochBatches = [&](int epoch) {
    if (!useBatches) return;
    const size_t begin = next, end = std::min(batches, next + size_t(bpe));
    next = end;
    const auto from = [&](const auto& v) {  // the history's floats, as doubles
      return std::vector<double>(v.begin() + std::ptrdiff_t(begin), v.begin() + std::ptrdiff_t(end));
    };
    const std::vector<double> loss = from(history.batchLoss), accuracy = from(history.batchAccuracy);
    const std::vector<double> runningLoss = curves::runningMean(loss), runningAccuracy = curves::runningMean(accuracy);
    std::vector<BatchLog> logs(end - begin);
    for (size_t i = 0; i < logs.size(); ++i) {
      BatchLog& log = logs[i];
      log.epoch = epoch;
      log.epochs = epochs;
      log.batch = int(i) + 1;
      log.batchesPerEpoch = bpe;
      log.loss = loss[i];
      log.accuracy = accuracy[i];
      log.runningLoss = runningLoss[i];
      log.runningAccuracy = runningAccuracy[i];
    }
    if (!logs.empty()) addBatches(logs);
  };
  int epoch = 0;
  for (const EpochLog& e : history.epochs) {
    epoch = e.epoch > 0 ? e.epoch : epoch + 1;
    addEpochBatches(epoch);
    addEpoch(e);
  }
  while (useBatches && next < batches) addEpochBatches(++epoch);  // a stopped run's last partial epoch
  refreshNow();
}

void TrainingCharts::onExportPngClicked() {
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Export charts as PNG"),
                                   settings::inLastFolder(QStringLiteral("training.png")), tr("PNG images (*.png)"));
  if (path.isEmpty()) return;
  settings::rememberFolder(path);
  QString error;
  if (!exportPng(path, &error))
    QMessageBox::warning(this, tr("Export PNG"), error);
  else
    emit message(tr("Wrote %1").arg(QDir::toNativeSeparators(path)));
}

void TrainingCharts::onExportCsvClicked() {
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Export training log as CSV"),
                                   settings::inLastFolder(QStringLiteral("training.csv")), tr("CSV files (*.csv)"));
  if (path.isEmpty()) return;
  settings::rememberFolder(path);
  QString error;
  if (!exportCsv(path, &error))
    QMessageBox::warning(this, tr("Export CSV"), error);
  else
    emit message(tr("Wrote %1").arg(QDir::toNativeSeparators(path)));
}

}  // namespace dl
