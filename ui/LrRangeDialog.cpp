// The learning-rate range test dialog. See LrRangeDialog.h.

#include "LrRangeDialog.h"

#include "ScientificSpinBox.h"
#include "TrainingController.h"

#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace dl {

namespace {

const QColor kSmoothed(31, 119, 180);
const QColor kRaw(31, 119, 180, 70);
const QColor kSuggestion(214, 39, 40);

QPen cosmeticPen(const QColor& colour, qreal width) {
  QPen pen(colour, width);
  pen.setCosmetic(true);
  return pen;
}

QString rateText(double lr) { return QString::number(lr, 'g', 3); }

}  // namespace

LrRangeDialog::LrRangeDialog(TrainingController* controller, const LrRangeRequest& request, const QString& what,
                             QWidget* parent)
    : QDialog(parent), m_controller(controller), m_request(request) {
  setObjectName(QStringLiteral("lrRangeDialog"));
  setWindowTitle(tr("Find learning rate"));
  auto* intro = new QLabel(
      tr("Trains %1 for up to %2 batches while the learning rate grows from %3 to %4, and plots the loss. Pick a "
         "rate where the loss falls steadily, well before it shoots up. The model itself is not changed.")
          .arg(what)
          .arg(request.steps)
          .arg(rateText(request.minLr), rateText(request.maxLr)),
      this);
  intro->setWordWrap(true);

  auto* chart = new QChart;
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->legend()->hide();
  chart->setBackgroundRoundness(0);
  chart->setMargins(QMargins(4, 4, 8, 4));
  m_xAxis = new QLogValueAxis;
  m_xAxis->setBase(10);
  m_xAxis->setLabelFormat(QStringLiteral("%g"));
  m_xAxis->setTitleText(tr("learning rate (log scale)"));
  m_xAxis->setMinorTickCount(-1);
  m_xAxis->setRange(request.minLr, request.maxLr);
  m_yAxis = new QValueAxis;
  m_yAxis->setTitleText(tr("loss"));
  m_yAxis->setRange(0, 3);
  chart->addAxis(m_xAxis, Qt::AlignBottom);
  chart->addAxis(m_yAxis, Qt::AlignLeft);
  m_raw = new QLineSeries;
  m_raw->setName(tr("batch loss"));
  m_raw->setPen(cosmeticPen(kRaw, 1));
  m_smoothed = new QLineSeries;
  m_smoothed->setName(tr("smoothed loss"));
  m_smoothed->setPen(cosmeticPen(kSmoothed, 2));
  m_suggestionLine = new QLineSeries;
  QPen dashed = cosmeticPen(kSuggestion, 1);
  dashed.setStyle(Qt::DashLine);
  m_suggestionLine->setPen(dashed);
  m_suggestionDot = new QScatterSeries;
  m_suggestionDot->setName(tr("suggested rate"));
  m_suggestionDot->setMarkerSize(11);
  m_suggestionDot->setColor(kSuggestion);
  m_suggestionDot->setBorderColor(Qt::white);
  for (QXYSeries* s : std::initializer_list<QXYSeries*>{m_raw, m_smoothed, m_suggestionLine, m_suggestionDot}) {
    chart->addSeries(s);
    s->attachAxis(m_xAxis);
    s->attachAxis(m_yAxis);
  }
  m_view = new QChartView(chart, this);
  m_view->setObjectName(QStringLiteral("lrRangeChart"));
  m_view->setRenderHint(QPainter::Antialiasing);
  m_view->setMinimumSize(520, 320);
  m_view->setAccessibleName(tr("Loss against learning rate"));

  m_status = new QLabel(this);
  m_status->setObjectName(QStringLiteral("lrRangeStatus"));
  m_status->setWordWrap(true);
  m_rate = new ScientificSpinBox(this);
  m_rate->setObjectName(QStringLiteral("lrRangeRate"));
  m_rate->setValue(request.spec.training.optimizer.learningRate);
  m_rate->setToolTip(tr("The rate to use: the suggestion, or one you read off the curve"));
  auto* rateLabel = new QLabel(tr("&Rate to use"), this);
  rateLabel->setBuddy(m_rate);

  m_stop = new QPushButton(tr("&Stop"), this);
  m_stop->setObjectName(QStringLiteral("lrRangeStopButton"));
  m_use = new QPushButton(tr("&Use this rate"), this);
  m_use->setObjectName(QStringLiteral("lrRangeUseButton"));
  m_use->setToolTip(tr("Set the training panel's learning rate to this value"));
  m_use->setEnabled(false);
  m_close = new QPushButton(tr("Close"), this);
  auto* buttons = new QDialogButtonBox(this);
  buttons->addButton(m_use, QDialogButtonBox::AcceptRole);
  buttons->addButton(m_stop, QDialogButtonBox::ActionRole);
  buttons->addButton(m_close, QDialogButtonBox::RejectRole);

  auto* rateRow = new QHBoxLayout;
  rateRow->addWidget(rateLabel);
  rateRow->addWidget(m_rate);
  rateRow->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addWidget(m_view, 1);
  layout->addWidget(m_status);
  layout->addLayout(rateRow);
  layout->addWidget(buttons);

  connect(m_stop, &QPushButton::clicked, this, [this] {
    if (m_running && m_controller) m_controller->stopRangeTest();
  });
  connect(m_use, &QPushButton::clicked, this, [this] {
    emit rateChosen(chosenRate());
    accept();
  });
  connect(m_close, &QPushButton::clicked, this, &QDialog::reject);
  connect(controller, &TrainingController::rangeTestProgressed, this, &LrRangeDialog::onProgress);
  connect(controller, &TrainingController::rangeTestFinished, this, &LrRangeDialog::onFinished);
  m_status->setText(tr("Ready."));
  m_status->setMinimumHeight(3 * fontMetrics().lineSpacing());  // the final text has two or three lines
  resize(680, 560);
}

LrRangeDialog::~LrRangeDialog() {
  if (m_running && m_controller) m_controller->stopRangeTest();
}

bool LrRangeDialog::start() {
  m_points.clear();
  m_result = LrRangeResult{};
  if (!m_controller || !m_controller->startRangeTest(m_request)) {
    m_status->setText(tr("Cannot run the range test now: wait for the training run to end."));
    m_stop->setEnabled(false);
    return false;
  }
  m_running = true;
  m_total = m_request.steps;
  m_stop->setEnabled(true);
  m_use->setEnabled(false);
  m_status->setText(tr("Starting…"));
  redraw();
  return true;
}

double LrRangeDialog::chosenRate() const { return m_rate->value(); }

void LrRangeDialog::setChosenRate(double lr) { m_rate->setValue(lr); }

QString LrRangeDialog::statusText() const { return m_status->text(); }

void LrRangeDialog::onProgress(const std::vector<LrRangePoint>& points, int total) {
  if (!m_running) return;
  m_points.insert(m_points.end(), points.begin(), points.end());
  m_total = total;
  if (!m_points.empty())
    m_status->setText(tr("Batch %1/%2 · learning rate %3 · smoothed loss %4")
                          .arg(m_points.size())
                          .arg(total)
                          .arg(rateText(m_points.back().learningRate))
                          .arg(m_points.back().smoothedLoss, 0, 'f', 4));
  redraw();
}

void LrRangeDialog::onFinished(const LrRangeResult& result, const QString& error) {
  if (!m_running) return;
  m_running = false;
  m_result = result;
  m_points = result.points;
  m_stop->setEnabled(false);
  if (!error.isEmpty()) {
    m_status->setText(tr("The range test could not run: %1").arg(error));
    redraw();
    return;
  }
  QString how;
  if (result.cancelled)
    how = tr("Stopped after %1 batches.").arg(result.points.size());
  else if (result.diverged && !result.points.empty())
    how = tr("Stopped after %1 batches: the loss shot up (over 4× its best) at learning rate %2.")
              .arg(result.points.size())
              .arg(rateText(result.points.back().learningRate));
  else
    how = tr("Done: %1 batches.").arg(result.points.size());
  if (result.suggestionIndex >= 0) {
    how += QLatin1Char(' ') + tr("Suggested learning rate: %1 (fastai's \"valley\": well into the longest stretch "
                                 "where the smoothed loss keeps falling).")
                                  .arg(rateText(result.suggestion));
    m_rate->setValue(QString::number(result.suggestion, 'g', 2).toDouble());  // a round figure
    m_use->setEnabled(true);
  } else {
    how += QLatin1Char(' ') + tr("Too few batches for a suggestion.");
  }
  m_status->setText(how);
  redraw();
}

void LrRangeDialog::redraw() {
  QList<QPointF> raw, smoothed;
  raw.reserve(qsizetype(m_points.size()));
  smoothed.reserve(qsizetype(m_points.size()));
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  // The y range follows the smoothed loss (the raw one is clipped to it): a batch loss that
  // shoots up would flatten the interesting part. fastai's plot leaves out the last 5 points.
  const size_t shown = m_points.size() > 10 && !m_running ? m_points.size() - 5 : m_points.size();
  for (size_t i = 0; i < m_points.size(); ++i) {
    const LrRangePoint& p = m_points[i];
    smoothed.append(QPointF(p.learningRate, p.smoothedLoss));
    if (i < shown) {
      lo = std::min(lo, p.smoothedLoss);
      hi = std::max(hi, p.smoothedLoss);
    }
  }
  if (!(lo <= hi)) lo = 0, hi = 3;
  if (hi - lo < 1e-6) hi = lo + 1e-3;
  const double pad = 0.08 * (hi - lo);
  lo = std::max(0.0, lo - pad);
  hi += pad;
  for (const LrRangePoint& p : m_points) raw.append(QPointF(p.learningRate, std::clamp(p.loss, lo, hi)));
  m_raw->replace(raw);
  m_smoothed->replace(smoothed);
  m_yAxis->setRange(lo, hi);
  QList<QPointF> dot, line;
  if (!m_running && m_result.suggestionIndex >= 0 && size_t(m_result.suggestionIndex) < m_points.size()) {
    const LrRangePoint& p = m_points[size_t(m_result.suggestionIndex)];
    dot = {QPointF(p.learningRate, p.smoothedLoss)};
    line = {QPointF(p.learningRate, lo), QPointF(p.learningRate, hi)};
  }
  m_suggestionDot->replace(dot);
  m_suggestionLine->replace(line);
}

void LrRangeDialog::done(int result) {
  if (m_running && m_controller) {
    // The worker ends the test within one batch; wait for it so the training thread is free.
    m_controller->stopRangeTest();
    QEventLoop loop;
    connect(m_controller.data(), &TrainingController::rangeTestFinished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    if (m_controller->isRangeTesting()) loop.exec(QEventLoop::ExcludeUserInputEvents);
    m_running = false;
  }
  QDialog::done(result);
}

}  // namespace dl
