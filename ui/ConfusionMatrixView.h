#pragma once
// The confusion-matrix heat-map of ResultsView. Cells are coloured by their share of the row (the
// true class): the diagonal in blue (recall), errors in red, scaled so that the largest error is
// full red and the square root brings out small ones. Recall per row on the right, precision per
// column below, overall accuracy in the corner; a tooltip per cell. The counting is
// data/ConfusionMatrix.h; this widget only paints.

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

 protected:
  void paintEvent(QPaintEvent*) override;
  bool event(QEvent* e) override;

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
};

}  // namespace dl
