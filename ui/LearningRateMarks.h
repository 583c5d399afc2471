#pragma once
// The training charts' learning-rate marks: where a run's learning rate changed (a live change
// in the training panel, a callback), a thin vertical line through the plot area at the start of
// the first batch that used the new rate, and a small label "lr 0.01 → 0.001" at its top
// (labels of marks close together step down so they do not overlap).
//
// The changes are found in the batch logs themselves (BatchLog::learningRate, the rate each
// update used), so whatever changed the rate, the charts show it. TrainingCharts owns one, feeds
// it every batch, lays the marks out after each redraw and on every plot-area change (a resize,
// new axis labels), and clears it with the curves (reset()). The lines and labels are graphics
// items of each chart, placed from the x axis's range and the plot area, not series: nothing is
// appended to Qt Charts point by point.

#include <QString>

#include <map>
#include <vector>

class QChart;
class QGraphicsLineItem;
class QGraphicsSimpleTextItem;
class QValueAxis;

namespace dl {

struct BatchLog;

class LearningRateMarks {
 public:
  struct Mark {
    double x = 0;     // on the epoch axis: where the batch that used `to` first starts
    double from = 0;  // the rate before
    double to = 0;    // the rate from this batch on
    int epoch = 0;    // that batch (1-based)
    int batch = 0;
  };

  LearningRateMarks() = default;
  LearningRateMarks(const LearningRateMarks&) = delete;
  LearningRateMarks& operator=(const LearningRateMarks&) = delete;
  ~LearningRateMarks();

  // The next batch, in arrival order, at x = where it ends on the epoch axis and `start` where it
  // begins; a mark when its rate differs from the previous batch's (rates <= 0 are unknown: an
  // opened history's, which records none).
  void addBatch(const BatchLog& log, double start);
  // Forgets the marks and the last rate (a new run), removing every line and label.
  void clear();
  const std::vector<Mark>& marks() const { return m_marks; }
  // "lr 0.01 → 0.001"
  static QString labelText(const Mark& mark);

  // Places the marks in `chart` (creating its items on first use) from the axis's range and the
  // chart's plot area; marks outside the axis's range are hidden.
  void layout(QChart* chart, const QValueAxis* xAxis);
  // The chart's items, in marks() order (for tests).
  std::vector<QGraphicsSimpleTextItem*> labels(QChart* chart) const;
  std::vector<QGraphicsLineItem*> lines(QChart* chart) const;

 private:
  struct Items {
    std::vector<QGraphicsLineItem*> lines;
    std::vector<QGraphicsSimpleTextItem*> labels;
  };
  std::vector<Mark> m_marks;
  double m_lastRate = 0;
  std::map<QChart*, Items> m_items;
};

}  // namespace dl
