#pragma once
// The Inside tab's overview strip (after CNN Explainer): one column per step of the network, left
// to right — the 28x28 input, each layer's output (feature maps as a stack of small heat maps, the
// first few of them; a vector as a thin column of cells), and the class probabilities as bars —
// each with its layer's name and output shape below. Colours are scaled per layer. A click on a
// layer's column selects it.

#include "nn/Inspection.h"

#include <QRect>
#include <QStringList>
#include <QWidget>

#include <vector>

namespace dl {

class InspectOverview : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kInputColumn = -1;  // columnRect()/layerAt() of the input
  static constexpr int kNothing = -2;

  explicit InspectOverview(QWidget* parent = nullptr);

  // The input (28x28 values; empty: none) and every layer's output (empty: no model).
  void setData(const std::vector<float>& input, const std::vector<LayerOutput>& outputs, const QStringList& classNames);
  void setSelected(int layer);
  int selected() const { return m_selected; }
  // The column of a layer (or kInputColumn), in widget coordinates; empty if there is none.
  QRect columnRect(int layer) const;
  // The layer whose column is at pos, kInputColumn, or kNothing.
  int layerAt(QPoint pos) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 signals:
  void layerClicked(int layer);

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  struct Column {
    int layer = kInputColumn;
    QRect rect;      // the picture part
    QRect label;     // name and shape below it
    int maps = 0;    // feature maps drawn (image outputs)
    int hidden = 0;  // feature maps not drawn
  };
  void relayout();
  int mapSide(const LayerOutput& out) const;
  void paintMaps(QPainter& p, const Column& c, const LayerOutput& out) const;
  void paintVector(QPainter& p, const Column& c, const LayerOutput& out) const;
  void paintProbabilities(QPainter& p, const Column& c, const LayerOutput& out) const;

  std::vector<float> m_input;
  std::vector<LayerOutput> m_outputs;
  QStringList m_classNames;
  std::vector<Column> m_columns;
  int m_selected = -1;
};

}  // namespace dl
