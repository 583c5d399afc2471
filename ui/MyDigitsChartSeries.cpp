// The accuracy chart's "my digits" line. See MyDigitsChartSeries.h.

#include "MyDigitsChartSeries.h"

#include <QCoreApplication>
#include <QCursor>
#include <QPen>
#include <QToolTip>
#include <QWidget>
#include <QtCharts/QAbstractAxis>
#include <QtCharts/QChart>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>

#include <algorithm>
#include <cmath>

namespace dl {

void MyDigitsChartSeries::add(int epoch, double accuracy) {
  if (!std::isfinite(accuracy)) return;
  const QPointF point(epoch, accuracy);
  auto at = std::find_if(m_points.begin(), m_points.end(), [&](const QPointF& p) { return p.x() >= epoch; });
  if (at != m_points.end() && int(at->x()) == epoch)
    *at = point;
  else
    m_points.insert(at, point);
}

void MyDigitsChartSeries::attach(QChart* chart, QAbstractAxis* x, QAbstractAxis* y, QWidget* tipOwner) {
  const QString name = QCoreApplication::translate("dl::TrainingCharts", "my digits (epoch)");
  m_line = new QLineSeries;
  m_line->setName(name);
  QPen pen(colour(), 1.5);
  pen.setCosmetic(true);
  m_line->setPen(pen);
  m_dots = new QScatterSeries;
  m_dots->setName(name);
  m_dots->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
  m_dots->setMarkerSize(8);
  m_dots->setColor(colour());
  m_dots->setBorderColor(Qt::white);
  for (QXYSeries* s : {static_cast<QXYSeries*>(m_line), static_cast<QXYSeries*>(m_dots)}) {
    chart->addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
    QObject::connect(s, &QXYSeries::hovered, tipOwner, [tipOwner](const QPointF& p, bool state) {
      if (!state) {
        QToolTip::hideText();
        return;
      }
      QToolTip::showText(QCursor::pos(),
                         QCoreApplication::translate("dl::TrainingCharts", "my digits after epoch %1: accuracy %2")
                             .arg(int(std::lround(p.x())))
                             .arg(p.y(), 0, 'f', 4),
                         tipOwner);
    });
  }
  push();
}

void MyDigitsChartSeries::push() {
  for (QXYSeries* s : {static_cast<QXYSeries*>(m_line), static_cast<QXYSeries*>(m_dots)})
    if (s && s->points() != m_points) s->replace(m_points);
}

}  // namespace dl
