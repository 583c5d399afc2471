#pragma once
// The confusion-matrix heat-map of ResultsView. Cells are coloured by their share of the row (the
// true class): the diagonal in blue (recall), errors in red, scaled so that the largest error is
// full red and the square root brings out small ones. Recall per row on the right, precision per
// column below, overall accuracy in the corner; a tooltip per cell. The counting is
// data/ConfusionMatrix.h; this widget only paints. A click on a cell emits cellClicked (the
// Results tab lists that cell's digits); the selected cell is outlined.

#include "data/ConfusionMatrix.h"

#include <QFont>
#include <QRect>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QWidget>

namespace dl {

class ConfusionMatrixView : public QWidget {
  Q_OBJECT

 public:
  explicit ConfusionMatrixView(QWidget* parent = nullptr);

  // The matrix and the 10 class names on its axes.
  void setData(const ConfusionMatrix& cm, const QStringList& names);
  // What the chart says while it has no matrix.
  void setEmptyText(const QString& text);
  const QString& emptyText() const { return m_emptyText; }
  QSize sizeHint() const override { return {480, 440}; }
  // Cell (t, q) in this widget's coordinates; empty without a matrix.
  QRect cellRect(int t, int q) const;
  // The counts' font: as large as fits the widest count in a cell, never under kMinPointSize.
  QFont countFont() const;

  static constexpr double kMinPointSize = 8.0;

  // The outlined cell ((-1, -1): none); kept across setData.
  void setSelectedCell(int t, int q);
  int selectedTrue() const { return m_selectedTrue; }
  int selectedPredicted() const { return m_selectedPredicted; }
  // The cell under `pos` (widget coordinates): false outside the 10x10 grid or without a matrix.
  bool cellAt(const QPointF& pos, int* t, int* q) const;

 signals:
  // A cell was clicked (pressed and released on the same cell with the left button).
  void cellClicked(int trueClass, int predictedClass);

 protected:
  void paintEvent(QPaintEvent*) override;
  bool event(QEvent* e) override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;

 private:
  struct Layout {
    QRectF grid;  // the 10x10 cells
    double cell = 0;
    bool verticalColumnLabels = false;
    int lineHeight = 0;
  };
  Layout layoutFor(const QFont& font) const;
  QFont countFontFor(double cell) const;
  QString toolTipAt(const QPointF& pos) const;

  ConfusionMatrix m_cm;
  QStringList m_names;
  QString m_emptyText;
  int m_selectedTrue = -1;
  int m_selectedPredicted = -1;
  int m_pressedCell = -1;  // t * 10 + q of the cell the left button went down on
};

}  // namespace dl
