// RunsView: the table of runs, the overlaid curves and the exports (see RunsView.h).

#include "RunsView.h"

#include "AppSettings.h"

#include "nn/ModelAnalysis.h"

#include <QBuffer>
#include <QComboBox>
#include <QDate>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QSplitter>
#include <QSvgGenerator>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

namespace dl {

namespace {

// Tableau 10, the colours Matplotlib and TensorBoard give runs: distinct, and readable on white.
const QColor kColours[] = {{31, 119, 180}, {255, 127, 14},  {44, 160, 44},   {214, 39, 40},  {148, 103, 189},
                           {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};

enum Column {
  // Results and settings first (they fit a 1366-pixel window), then what a wide one shows.
  ColRun,
  ColTestAccuracy,
  ColValAccuracy,
  ColOptimizer,
  ColLearningRate,
  ColBatch,
  ColEpochs,
  ColParams,
  ColSeconds,
  ColEnded,
  ColStarted,
  ColDataset,
  ColArchitecture,
  ColCount
};

QString percent(double v) {
  return std::isfinite(v) ? QString::number(100.0 * v, 'f', 2) + QStringLiteral(" %") : QStringLiteral("—");
}

QString metricTitle(const QString& metric) {
  if (metric == QLatin1String("loss")) return RunsView::tr("loss (training)");
  if (metric == QLatin1String("accuracy")) return RunsView::tr("accuracy (training)");
  if (metric == QLatin1String("val_loss")) return RunsView::tr("val_loss (validation)");
  if (metric == QLatin1String("val_accuracy")) return RunsView::tr("val_accuracy (validation)");
  return RunsView::tr("accuracy on my digits");
}

// The y axis's title: short, so that it fits beside a low chart.
QString axisTitle(const QString& metric) {
  return metric == QLatin1String("my_digits_accuracy") ? RunsView::tr("my digits") : metric;
}

QString endingText(RunRecord::Ending e) {
  switch (e) {
    case RunRecord::Ending::Running:
      return RunsView::tr("running");
    case RunRecord::Ending::Completed:
      return RunsView::tr("completed");
    case RunRecord::Ending::Stopped:
      return RunsView::tr("stopped");
    case RunRecord::Ending::Diverged:
      return RunsView::tr("diverged");
    case RunRecord::Ending::Failed:
      return RunsView::tr("failed");
  }
  return {};
}

// A table cell whose text sorts and reads as given; right-aligned numbers.
QTableWidgetItem* cell(const QString& text, bool number = false) {
  auto* item = new QTableWidgetItem(text);
  item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
  if (number) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

}  // namespace

RunsView::RunsView(QWidget* parent) : QWidget(parent) {
  m_metric = new QComboBox(this);
  m_metric->setObjectName(QStringLiteral("runsMetric"));
  for (const QString& m : metrics()) m_metric->addItem(metricTitle(m), m);
  m_metric->setCurrentIndex(int(metrics().indexOf(QStringLiteral("accuracy"))));  // every run has it
  m_metric->setToolTip(tr("The curve the chart overlays for the ticked runs"));
  connect(m_metric, &QComboBox::currentIndexChanged, this, [this] { scheduleChart(); });
  m_pngButton = new QPushButton(tr("PNG…"), this);
  m_pngButton->setToolTip(tr("Save the chart as a PNG image"));
  m_svgButton = new QPushButton(tr("SVG…"), this);
  m_svgButton->setToolTip(tr("Save the chart as an SVG drawing"));
  m_csvButton = new QPushButton(tr("CSV…"), this);
  m_csvButton->setToolTip(tr("Save the ticked runs' settings, results and per-epoch values as CSV"));
  connect(m_pngButton, &QPushButton::clicked, this, [this] { exportWithDialog(QStringLiteral("png")); });
  connect(m_svgButton, &QPushButton::clicked, this, [this] { exportWithDialog(QStringLiteral("svg")); });
  connect(m_csvButton, &QPushButton::clicked, this, [this] { exportWithDialog(QStringLiteral("csv")); });
  m_hint = new QLabel(this);
  m_hint->setObjectName(QStringLiteral("runsHint"));
  m_hint->setWordWrap(true);

  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Curve:"), this));
  bar->addWidget(m_metric);
  bar->addWidget(m_hint, 1);
  bar->addWidget(new QLabel(tr("Export:"), this));
  bar->addWidget(m_pngButton);
  bar->addWidget(m_svgButton);
  bar->addWidget(m_csvButton);

  m_chart = new QChart;
  m_chart->setAnimationOptions(QChart::NoAnimation);
  m_chart->legend()->setAlignment(Qt::AlignRight);
  m_chart->setMargins(QMargins(4, 4, 4, 4));
  m_xAxis = new QValueAxis;
  m_xAxis->setTitleText(tr("epoch"));
  m_xAxis->setLabelFormat(QStringLiteral("%d"));
  m_xAxis->setTickType(QValueAxis::TicksDynamic);
  m_xAxis->setTickAnchor(1);
  m_yAxis = new QValueAxis;
  m_chart->addAxis(m_xAxis, Qt::AlignBottom);
  m_chart->addAxis(m_yAxis, Qt::AlignLeft);
  m_chartView = new QChartView(m_chart, this);
  m_chartView->setObjectName(QStringLiteral("runsChart"));
  m_chartView->setRenderHint(QPainter::Antialiasing);
  m_chartView->setMinimumHeight(180);

  m_table = new QTableWidget(0, ColCount, this);
  m_table->setObjectName(QStringLiteral("runsTable"));
  const QStringList headers = {tr("Run"),     tr("Test acc."), tr("Val. acc."),   tr("Optimizer"), tr("LR"),
                               tr("Batch"),   tr("Epochs"),    tr("Params"),      tr("Seconds"),   tr("Ended"),
                               tr("Started"), tr("Dataset"),   tr("Architecture")};
  const QStringList headerTips = {tr("Tick a run to draw its curve"),
                                  tr("Final accuracy on the test set (model.evaluate)"),
                                  tr("Validation accuracy after the last epoch"),
                                  tr("Optimizer"),
                                  tr("Learning rate"),
                                  tr("Batch size"),
                                  tr("Epochs trained (of those planned)"),
                                  tr("Parameters of the model"),
                                  tr("Wall time of the run, pauses excluded"),
                                  tr("How the run ended"),
                                  tr("When the run started"),
                                  tr("The dataset it trained on"),
                                  tr("The layers, in order")};
  m_table->setHorizontalHeaderLabels(headers);
  for (int c = 0; c < ColCount; ++c) m_table->horizontalHeaderItem(c)->setToolTip(headerTips.at(c));
  m_table->verticalHeader()->hide();
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setWordWrap(false);
  m_table->horizontalHeader()->setStretchLastSection(true);  // the architecture
  m_table->horizontalHeader()->setMinimumSectionSize(40);
  // The header and three rows stay visible however low the window.
  m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height() +
                            3 * m_table->verticalHeader()->defaultSectionSize() +
                            m_table->horizontalScrollBar()->sizeHint().height() + 4);
  m_table->setTextElideMode(Qt::ElideRight);
  m_table->setToolTip(tr("Tick a run to draw its curve on the chart"));
  connect(m_table, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
    if (m_filling || item->column() != ColRun || item->row() >= int(m_checked.size())) return;
    const bool checked = item->checkState() == Qt::Checked;
    if (m_checked[size_t(item->row())] == checked) return;
    m_checked[size_t(item->row())] = checked;
    scheduleChart();
  });

  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->setChildrenCollapsible(false);
  auto* top = new QWidget(splitter);
  auto* topLayout = new QVBoxLayout(top);
  topLayout->setContentsMargins(0, 0, 0, 0);
  topLayout->addLayout(bar);
  topLayout->addWidget(m_chartView, 1);
  splitter->addWidget(top);
  splitter->addWidget(m_table);
  splitter->setStretchFactor(0, 4);  // the chart takes most of a low window
  splitter->setStretchFactor(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(splitter);

  m_chartTimer = new QTimer(this);
  m_chartTimer->setSingleShot(true);
  m_chartTimer->setInterval(50);
  connect(m_chartTimer, &QTimer::timeout, this, &RunsView::rebuildChart);
  rebuildChart();
}

QStringList RunsView::metrics() {
  return {QStringLiteral("loss"), QStringLiteral("accuracy"), QStringLiteral("val_loss"),
          QStringLiteral("val_accuracy"), QStringLiteral("my_digits_accuracy")};
}

int RunsView::addOrUpdateRun(const RunRecord& run) {
  for (size_t i = 0; i < m_runs.size(); ++i) {
    if (m_runs[i].id != run.id) continue;
    m_runs[i] = run;
    fillRow(int(i));
    scheduleChart();
    return int(i);
  }
  m_runs.push_back(run);
  m_checked.push_back(true);
  m_table->insertRow(m_table->rowCount());
  fillRow(int(m_runs.size()) - 1);
  scheduleChart();
  return int(m_runs.size()) - 1;
}

int RunsView::addRuns(const std::vector<RunRecord>& runs, const QString& sourceFile) {
  int added = 0;
  for (const RunRecord& r : runs) {
    if (std::any_of(m_runs.begin(), m_runs.end(), [&](const RunRecord& known) { return known.id == r.id; })) continue;
    RunRecord copy = r;
    copy.sourceFile = sourceFile.toStdString();
    m_runs.push_back(std::move(copy));
    m_checked.push_back(false);
    m_table->insertRow(m_table->rowCount());
    fillRow(int(m_runs.size()) - 1);
    ++added;
  }
  if (added > 0) scheduleChart();
  return added;
}

QString RunsView::runLabel(int row) const {
  if (row < 0 || row >= int(m_runs.size())) return {};
  const std::string& source = m_runs[size_t(row)].sourceFile;
  const QString label = tr("Run %1").arg(row + 1);
  return source.empty() ? label : tr("%1 (%2)").arg(label, QFileInfo(QString::fromStdString(source)).fileName());
}

QColor RunsView::runColour(int row) const { return kColours[size_t(std::max(0, row)) % std::size(kColours)]; }

void RunsView::setChecked(int row, bool checked) {
  if (row < 0 || row >= int(m_runs.size())) return;
  m_table->item(row, ColRun)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);  // itemChanged does the rest
}

bool RunsView::isChecked(int row) const { return row >= 0 && row < int(m_checked.size()) && m_checked[size_t(row)]; }

void RunsView::setMetric(const QString& metric) {
  const int i = m_metric->findData(metric);
  if (i >= 0) m_metric->setCurrentIndex(i);
}

QString RunsView::metric() const { return m_metric->currentData().toString(); }

void RunsView::fillRow(int row) {
  m_filling = true;
  const RunRecord& r = m_runs[size_t(row)];
  const TrainingSpec& t = r.spec.training;
  const QLocale locale;
  auto* run = cell(runLabel(row));
  run->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
  run->setCheckState(m_checked[size_t(row)] ? Qt::Checked : Qt::Unchecked);
  QPixmap swatch(12, 12);
  swatch.fill(runColour(row));
  run->setIcon(QIcon(swatch));
  run->setToolTip(r.sourceFile.empty()
                      ? tr("Trained in this session")
                      : tr("Read from %1").arg(QDir::toNativeSeparators(QString::fromStdString(r.sourceFile))));
  m_table->setItem(row, ColRun, run);
  // Today's runs by their time, older ones by their date; the whole date and time as the tooltip.
  const QDateTime started = QDateTime::fromString(QString::fromStdString(r.started), Qt::ISODate).toLocalTime();
  auto* when =
      cell(!started.isValid()                       ? QString::fromStdString(r.started)
           : started.date() == QDate::currentDate() ? locale.toString(started.time(), QStringLiteral("HH:mm"))
                                                    : locale.toString(started.date(), QStringLiteral("yyyy-MM-dd")));
  when->setToolTip(started.isValid() ? locale.toString(started, QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QString());
  m_table->setItem(row, ColStarted, when);
  auto* dataset = cell(QString::fromStdString(r.dataset));
  dataset->setToolTip(dataset->text());
  m_table->setItem(row, ColDataset, dataset);
  auto* arch = cell(QString::fromStdString(architectureSummary(r.spec)));
  arch->setToolTip(QString::fromStdString(architectureSummary(r.spec)));
  m_table->setItem(row, ColArchitecture, arch);
  QString optimizer = QString::fromStdString(t.optimizer.type);
  if (t.optimizer.type == "sgd" && t.optimizer.momentum > 0)
    optimizer += tr(" (momentum %1)").arg(t.optimizer.momentum);
  m_table->setItem(row, ColOptimizer, cell(optimizer));
  m_table->setItem(row, ColLearningRate, cell(QString::number(t.optimizer.learningRate, 'g', 4), true));
  m_table->setItem(row, ColBatch, cell(QString::number(t.batchSize), true));
  const int trained = int(r.epochs.size());
  m_table->setItem(
      row, ColEpochs,
      cell(trained == t.epochs ? QString::number(trained) : tr("%1 of %2").arg(trained).arg(t.epochs), true));
  m_table->setItem(row, ColParams, cell(QString::fromStdString(withThousands(r.parameters)), true));
  m_table->setItem(row, ColValAccuracy, cell(percent(r.lastValue("val_accuracy")), true));
  m_table->setItem(row, ColTestAccuracy, cell(percent(r.testAccuracy), true));
  m_table->setItem(row, ColSeconds,
                   cell(r.ending == RunRecord::Ending::Running && r.seconds <= 0 ? QStringLiteral("…")
                                                                                 : QString::number(r.seconds, 'f', 1),
                        true));
  // A run saved while it was going (a checkpoint) and read back never finished here.
  auto* ended =
      cell(r.ending == RunRecord::Ending::Running && !r.sourceFile.empty() ? tr("unfinished") : endingText(r.ending));
  ended->setToolTip(QString::fromStdString(r.message));
  m_table->setItem(row, ColEnded, ended);
  m_filling = false;
  for (int c = 0; c < ColCount; ++c)
    if (c != ColArchitecture) m_table->resizeColumnToContents(c);
  // Long dataset names ("MNIST (embedded, 10,000 digits)") are elided: the tooltip has them.
  m_table->setColumnWidth(ColDataset, std::min(m_table->columnWidth(ColDataset), 130));
  updateHint();
}

void RunsView::updateHint() {
  if (m_runs.empty())
    m_hint->setText(tr("Every run you train is listed here; tick runs to compare their curves."));
  else
    m_hint->clear();
  m_pngButton->setEnabled(!m_runs.empty());
  m_svgButton->setEnabled(!m_runs.empty());
  m_csvButton->setEnabled(!m_runs.empty());
}

void RunsView::scheduleChart() {
  if (!m_chartTimer->isActive()) m_chartTimer->start();
}

void RunsView::refreshNow() {
  m_chartTimer->stop();
  rebuildChart();
}

void RunsView::rebuildChart() {
  m_chart->removeAllSeries();  // the axes stay: only their ranges change
  const std::string metric = this->metric().toStdString();
  double xMax = 1, yMin = std::numeric_limits<double>::infinity(), yMax = -yMin;
  std::vector<QLineSeries*> series;
  for (size_t i = 0; i < m_runs.size(); ++i) {
    if (!m_checked[i]) continue;
    const RunRecord& r = m_runs[i];
    const std::vector<double> values = r.curve(metric);
    QList<QPointF> points;
    for (size_t e = 0; e < values.size(); ++e) {
      if (!std::isfinite(values[e])) continue;
      points.append(QPointF(r.epochs[e].epoch, values[e]));
      xMax = std::max(xMax, double(r.epochs[e].epoch));
      yMin = std::min(yMin, values[e]);
      yMax = std::max(yMax, values[e]);
    }
    if (points.isEmpty()) continue;
    auto* s = new QLineSeries;
    s->setName(runLabel(int(i)));
    QPen pen(runColour(int(i)));
    pen.setWidthF(2.0);
    s->setPen(pen);
    s->setPointsVisible(true);
    s->replace(points);
    series.push_back(s);
  }
  // Whole epochs, a little room at both ends so that the first and last dots show whole.
  QValueAxis* x = m_xAxis;
  const double pad = std::max(0.1, 0.03 * (xMax - 1));
  x->setRange(1 - pad, std::max(2.0, xMax) + pad);
  x->setTickInterval(std::max(1.0, std::ceil((xMax - 1) / 10.0)));
  QValueAxis* y = m_yAxis;
  y->setTitleText(axisTitle(QString::fromStdString(metric)));
  if (series.empty()) {
    y->setRange(0, 1);
  } else {
    const bool accuracy = metric.find("accuracy") != std::string::npos;
    double pad = std::max((yMax - yMin) * 0.08, accuracy ? 0.005 : 0.01);
    double lo = yMin - pad, hi = yMax + pad;
    if (accuracy)
      lo = std::max(0.0, lo), hi = std::min(1.0, hi);
    else
      lo = std::max(0.0, lo);
    if (hi <= lo) hi = lo + 0.01;
    y->setRange(lo, hi);
    y->applyNiceNumbers();
  }
  for (QLineSeries* s : series) {
    m_chart->addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
  }
  m_chart->legend()->setVisible(!series.empty());
  const int ticked = int(std::count(m_checked.begin(), m_checked.end(), true));
  m_chart->setTitle(m_runs.empty()   ? tr("No runs yet: train a model (its curves appear here)")
                    : ticked == 0    ? tr("Tick runs in the table below to compare them")
                    : series.empty() ? tr("The ticked runs have no %1 values").arg(QString::fromStdString(metric))
                                     : QString());
}

QSize RunsView::exportSize() const { return m_chartView->size().expandedTo(QSize(800, 500)); }

bool RunsView::exportPng(const QString& path, QString* error) {
  refreshNow();
  const QSize size = exportSize();
  QImage image(size, QImage::Format_RGB32);
  image.fill(Qt::white);
  {
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    const QSize old = m_chartView->size();
    m_chartView->resize(size);  // the chart lays itself out for the image's size, then back
    m_chartView->render(&p);
    m_chartView->resize(old);
  }
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  image.save(&buffer, "PNG");
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
    if (error) *error = tr("Could not write %1: %2").arg(path, file.errorString());
    return false;
  }
  return true;
}

bool RunsView::exportSvg(const QString& path, QString* error) {
  refreshNow();
  const QSize size = exportSize();
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  {
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(tr("DigitLab runs: %1").arg(metricTitle(metric())));
    QPainter p(&svg);
    const QSize old = m_chartView->size();
    m_chartView->resize(size);
    m_chartView->render(&p);
    m_chartView->resize(old);
  }
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
    if (error) *error = tr("Could not write %1: %2").arg(path, file.errorString());
    return false;
  }
  return true;
}

bool RunsView::exportCsv(const QString& path, QString* error) const {
  std::vector<RunRecord> runs;
  std::vector<std::string> labels;
  const bool any = std::find(m_checked.begin(), m_checked.end(), true) != m_checked.end();
  for (size_t i = 0; i < m_runs.size(); ++i) {
    if (any && !m_checked[i]) continue;
    runs.push_back(m_runs[i]);
    labels.push_back(runLabel(int(i)).toStdString());
  }
  const QByteArray bytes = runsCsv(runs, labels);
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
    if (error) *error = tr("Could not write %1: %2").arg(path, file.errorString());
    return false;
  }
  return true;
}

void RunsView::exportWithDialog(const QString& kind) {
  const QString suggested = settings::inLastFolder(QStringLiteral("runs.") + kind);
  const QString filter = kind == QLatin1String("png")   ? tr("PNG image (*.png)")
                         : kind == QLatin1String("svg") ? tr("SVG drawing (*.svg)")
                                                        : tr("CSV table (*.csv)");
  const QString path = QFileDialog::getSaveFileName(this, tr("Export runs"), suggested, filter);
  if (path.isEmpty()) return;
  settings::rememberFolder(path);
  QString error;
  const bool ok = kind == QLatin1String("png")   ? exportPng(path, &error)
                  : kind == QLatin1String("svg") ? exportSvg(path, &error)
                                                 : exportCsv(path, &error);
  emit message(ok ? tr("Saved %1.").arg(QDir::toNativeSeparators(path)) : error);
}

}  // namespace dl
