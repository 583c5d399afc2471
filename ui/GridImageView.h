#pragma once
// A picture made of cells (inspect/InspectImages.h: feature maps, kernels, templates) shown as
// large as fits its width by a whole factor (every value stays a crisp square), with a tooltip
// for what is under the mouse: the owner's tip function gets the cell and the value's (column,
// row) inside it.

#include "inspect/InspectImages.h"

#include <QImage>
#include <QString>
#include <QWidget>

#include <functional>

namespace dl {

class GridImageView : public QWidget {
  Q_OBJECT

 public:
  // Cell index, and the value's column and row inside the cell (in values, not pixels).
  using TipFunction = std::function<QString(int cell, int column, int row)>;

  explicit GridImageView(QWidget* parent = nullptr);

  // `pixelsPerValue`: how many picture pixels one value covers (the `scale` it was drawn with).
  void setPicture(const QImage& picture, const GridLayout& layout, int pixelsPerValue, TipFunction tip);
  void setEmptyText(const QString& text);
  void clear();
  const QImage& picture() const { return m_picture; }
  const GridLayout& layout() const { return m_layout; }
  // The whole factor the picture is shown at, and where a picture pixel lands in the widget.
  int zoom() const;
  QPoint toWidget(QPoint picturePixel) const;
  // What the tooltip says at a widget position (empty: nothing there).
  QString tipAt(QPoint widgetPos) const;

  // At least the picture's size (a pane smaller than the picture scrolls).
  QSize sizeHint() const override;

 signals:
  // The text under the mouse as it moves (what the tooltip says; empty when it leaves the cells).
  void hovered(const QString& text);

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;

 private:
  QRect target() const;

  QImage m_picture;
  GridLayout m_layout;
  int m_pixelsPerValue = 1;
  TipFunction m_tip;
  QString m_emptyText;
};

}  // namespace dl
