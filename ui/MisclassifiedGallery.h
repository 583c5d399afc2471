#pragma once
// The gallery of misclassified test digits in ResultsView: tiles of enlarged digits (as the
// network sees them: ink bright on black), each captioned "true 7 → pred 1" (on two lines when
// the class names are long), reflowed to the width (height for width, for a scroll area); a
// tooltip names the test digit's index (or says what Item::toolTip says). The Results tab's
// drill-down lists a confusion cell's digits in it too, captioned with the network's confidence. A
// click on a tile emits itemClicked (the digit then goes on the drawing canvas).

#include <QImage>
#include <QRect>
#include <QSize>
#include <QString>
#include <QWidget>

#include <vector>

namespace dl {

class MisclassifiedGallery : public QWidget {
  Q_OBJECT

 public:
  struct Item {
    int index = 0;
    QImage image;
    QString caption;  // "true 7 → pred 1"
    QString trueName;
    QString predictedName;
    QString toolTip;  // empty: "Test digit #index, true class …, predicted …"
  };

  explicit MisclassifiedGallery(QWidget* parent = nullptr);

  // The tiles in order, and what the gallery says while it has none.
  void setItems(std::vector<Item> items, const QString& emptyText);
  const std::vector<Item>& items() const { return m_items; }

  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int w) const override;
  QSize sizeHint() const override {
    return {6 * tileSize().width() + 2 * kMargin, heightForWidth(6 * tileSize().width())};
  }
  QSize minimumSizeHint() const override { return {tileSize().width() + 2 * kMargin, 60}; }

  // Where tile i's digit is drawn (kImageSide square, each of the image's pixels a block of
  // kImageSide / image width), in this widget's coordinates.
  QRect imageRect(int i) const;

  static constexpr int kImageSide = 84;  // 28 x 3

 signals:
  // Tile `i` was clicked (pressed and released on it with the left button).
  void itemClicked(int i);

 protected:
  void paintEvent(QPaintEvent*) override;
  bool event(QEvent* e) override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;

 private:
  static constexpr int kMargin = 4;
  QSize tileSize() const;
  int columnsFor(int w) const;
  QRect tileRect(int i) const;          // the tiles are centred horizontally
  int tileAt(const QPoint& pos) const;  // -1: none

  std::vector<Item> m_items;
  QString m_emptyText;
  int m_pressedTile = -1;
};

}  // namespace dl
