#pragma once
// The accuracy chart's "my digits" line: the run's accuracy on the person's own digits after each
// epoch (TrainingWorker::myDigitsEvaluated), dots joined by a line beside the training and
// validation epoch values. TrainingCharts owns one, gives it the accuracy chart after each
// rebuild and pushes its points with the other series; hovering a dot names the epoch and the
// accuracy.

#include <QColor>
#include <QList>
#include <QPointF>

class QAbstractAxis;
class QChart;
class QLineSeries;
class QScatterSeries;
class QWidget;

namespace dl {

class MyDigitsChartSeries {
 public:
  static QColor colour() { return QColor(0x8e, 0x44, 0xad); }  // purple, apart from the chart's others

  // Forgets the points (a new run).
  void clear() { m_points.clear(); }
  // The accuracy after epoch `epoch` (x = epoch, as the other epoch values); a repeated epoch
  // replaces its point.
  void add(int epoch, double accuracy);
  const QList<QPointF>& points() const { return m_points; }
  bool isEmpty() const { return m_points.isEmpty(); }

  // New series in `chart` on these axes (the chart's earlier ones were deleted with removeAllSeries).
  // `tipOwner` shows the hover tooltip.
  void attach(QChart* chart, QAbstractAxis* x, QAbstractAxis* y, QWidget* tipOwner);
  // Pushes the points to the series (when they changed).
  void push();
  QLineSeries* line() const { return m_line; }

 private:
  QList<QPointF> m_points;
  QLineSeries* m_line = nullptr;
  QScatterSeries* m_dots = nullptr;
};

}  // namespace dl
