// The training charts' learning-rate marks. See LearningRateMarks.h.

#include "LearningRateMarks.h"

#include "nn/Trainer.h"

#include <QCoreApplication>
#include <QFont>
#include <QGraphicsLineItem>
#include <QGraphicsSimpleTextItem>
#include <QPen>
#include <QtCharts/QChart>
#include <QtCharts/QValueAxis>

#include <cmath>

namespace dl {

namespace {

const QColor kMarkColour(110, 60, 160);  // violet: apart from the curves' tab10 colours
constexpr qreal kMarkZ = 20;             // above the series

}  // namespace

LearningRateMarks::~LearningRateMarks() = default;  // the items belong to their charts

void LearningRateMarks::addBatch(const BatchLog& log, double start) {
  const double rate = log.learningRate;
  if (!(rate > 0) || !std::isfinite(rate)) return;
  if (m_lastRate > 0 && rate != m_lastRate) m_marks.push_back(Mark{start, m_lastRate, rate, log.epoch, log.batch});
  m_lastRate = rate;
}

void LearningRateMarks::clear() {
  m_marks.clear();
  m_lastRate = 0;
  for (auto& [chart, items] : m_items) {
    for (QGraphicsLineItem* line : items.lines) delete line;
    for (QGraphicsSimpleTextItem* label : items.labels) delete label;
  }
  m_items.clear();
}

QString LearningRateMarks::labelText(const Mark& mark) {
  return QCoreApplication::translate("dl::TrainingCharts", "lr %1 → %2")
      .arg(QString::number(mark.from, 'g', 4), QString::number(mark.to, 'g', 4));
}

void LearningRateMarks::layout(QChart* chart, const QValueAxis* xAxis) {
  Items& items = m_items[chart];
  while (items.lines.size() < m_marks.size()) {
    const Mark& mark = m_marks[items.lines.size()];
    auto* line = new QGraphicsLineItem(chart);
    QPen pen(kMarkColour, 1);
    pen.setCosmetic(true);
    pen.setStyle(Qt::DashDotLine);
    line->setPen(pen);
    line->setZValue(kMarkZ);
    line->setToolTip(labelText(mark) + QCoreApplication::translate("dl::TrainingCharts", " (from epoch %1, batch %2)")
                                           .arg(mark.epoch)
                                           .arg(mark.batch));
    auto* label = new QGraphicsSimpleTextItem(labelText(mark), chart);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    label->setFont(font);
    label->setBrush(kMarkColour);
    label->setZValue(kMarkZ);
    label->setToolTip(line->toolTip());
    items.lines.push_back(line);
    items.labels.push_back(label);
  }
  const QRectF area = chart->plotArea();
  const double lo = xAxis->min(), hi = xAxis->max();
  qreal previousRight = -1e9;
  int row = 0;
  for (size_t i = 0; i < m_marks.size(); ++i) {
    QGraphicsLineItem* line = items.lines[i];
    QGraphicsSimpleTextItem* label = items.labels[i];
    const double x = m_marks[i].x;
    const bool visible = hi > lo && x >= lo && x <= hi && area.width() > 0;
    line->setVisible(visible);
    label->setVisible(visible);
    if (!visible) continue;
    const qreal px = area.left() + (x - lo) / (hi - lo) * area.width();
    line->setLine(px, area.top(), px, area.bottom());
    // Right of the line, or left of it near the right edge; a row lower when it would overlap
    // the previous label.
    const QRectF text = label->boundingRect();
    qreal left = px + 3;
    if (left + text.width() > area.right()) left = px - 3 - text.width();
    row = left < previousRight + 4 ? row + 1 : 0;
    if (area.top() + 2 + (row + 1) * text.height() > area.bottom()) row = 0;
    label->setPos(left, area.top() + 2 + row * text.height());
    previousRight = left + text.width();
  }
}

std::vector<QGraphicsSimpleTextItem*> LearningRateMarks::labels(QChart* chart) const {
  const auto it = m_items.find(chart);
  return it == m_items.end() ? std::vector<QGraphicsSimpleTextItem*>{} : it->second.labels;
}

std::vector<QGraphicsLineItem*> LearningRateMarks::lines(QChart* chart) const {
  const auto it = m_items.find(chart);
  return it == m_items.end() ? std::vector<QGraphicsLineItem*>{} : it->second.lines;
}

}  // namespace dl
