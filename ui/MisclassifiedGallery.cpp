// MisclassifiedGallery: tile layout, painting and tooltips (see MisclassifiedGallery.h).

#include "MisclassifiedGallery.h"

#include <QEvent>
#include <QFontMetrics>
#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace dl {

namespace {

const QColor kRed(214, 39, 40);
const QColor kInk(40, 40, 40);
const QColor kMutedInk(150, 150, 150);

}  // namespace

MisclassifiedGallery::MisclassifiedGallery(QWidget* parent) : QWidget(parent) {
  QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
  policy.setHeightForWidth(true);
  setSizePolicy(policy);
  setAutoFillBackground(true);
  QPalette pal = palette();
  pal.setColor(QPalette::Window, Qt::white);
  setPalette(pal);
  setMouseTracking(true);  // the pointing hand over tiles
}

int MisclassifiedGallery::tileAt(const QPoint& pos) const {
  for (int i = 0; i < int(m_items.size()); ++i)
    if (tileRect(i).contains(pos)) return i;
  return -1;
}

void MisclassifiedGallery::mousePressEvent(QMouseEvent* e) {
  m_pressedTile = e->button() == Qt::LeftButton ? tileAt(e->position().toPoint()) : -1;
  QWidget::mousePressEvent(e);
}

void MisclassifiedGallery::mouseReleaseEvent(QMouseEvent* e) {
  const int pressed = m_pressedTile;
  m_pressedTile = -1;
  if (e->button() == Qt::LeftButton && pressed >= 0 && tileAt(e->position().toPoint()) == pressed)
    emit itemClicked(pressed);
  QWidget::mouseReleaseEvent(e);
}

void MisclassifiedGallery::mouseMoveEvent(QMouseEvent* e) {
  setCursor(tileAt(e->position().toPoint()) >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
  QWidget::mouseMoveEvent(e);
}

void MisclassifiedGallery::setItems(std::vector<Item> items, const QString& emptyText) {
  m_items = std::move(items);
  m_emptyText = emptyText;
  m_pressedTile = -1;
  updateGeometry();
  update();
}

int MisclassifiedGallery::heightForWidth(int w) const {
  if (m_items.empty()) return 60;
  const int columns = columnsFor(w);
  const int rows = (int(m_items.size()) + columns - 1) / columns;
  return rows * tileSize().height() + 2 * kMargin;
}

QSize MisclassifiedGallery::tileSize() const {
  const int line = QFontMetrics(font()).height();
  return {kImageSide + 14, kImageSide + 2 * line + 10};
}

int MisclassifiedGallery::columnsFor(int w) const { return std::max(1, (w - 2 * kMargin) / tileSize().width()); }

QRect MisclassifiedGallery::imageRect(int i) const {
  const QRect tile = tileRect(i);
  return {tile.left() + (tile.width() - kImageSide) / 2, tile.top() + 2, kImageSide, kImageSide};
}

QRect MisclassifiedGallery::tileRect(int i) const {
  const int columns = columnsFor(width());
  const QSize t = tileSize();
  const int left = std::max(kMargin, (width() - columns * t.width()) / 2);
  return {left + (i % columns) * t.width(), kMargin + (i / columns) * t.height(), t.width(), t.height()};
}

void MisclassifiedGallery::paintEvent(QPaintEvent* event) {
  QPainter p(this);
  if (m_items.empty()) {
    p.setPen(kMutedInk);
    p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, m_emptyText);
    return;
  }
  const QFontMetrics fm(font());
  const int line = fm.height();
  for (int i = 0; i < int(m_items.size()); ++i) {
    const QRect tile = tileRect(i);
    if (!tile.intersects(event->rect())) continue;
    const Item& item = m_items[size_t(i)];
    const QRect imageRect = this->imageRect(i);
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);  // crisp enlarged pixels
    p.drawImage(imageRect, item.image);
    p.setPen(QColor(200, 200, 200));
    p.drawRect(imageRect.adjusted(0, 0, -1, -1));
    const QRect textRect(tile.left(), imageRect.bottom() + 3, tile.width(), 2 * line);
    if (fm.horizontalAdvance(item.caption) <= tile.width() - 2) {
      p.setPen(kInk);
      p.drawText(QRect(textRect.left(), textRect.top(), textRect.width(), line), Qt::AlignCenter, item.caption);
    } else {  // long class names: two lines
      const QString first = tr("true %1").arg(item.trueName);
      const QString second = tr("→ pred %1").arg(item.predictedName);
      p.setPen(kInk);
      p.drawText(QRect(textRect.left(), textRect.top(), textRect.width(), line), Qt::AlignCenter,
                 fm.elidedText(first, Qt::ElideRight, tile.width() - 2));
      p.setPen(kRed.darker(120));
      p.drawText(QRect(textRect.left(), textRect.top() + line, textRect.width(), line), Qt::AlignCenter,
                 fm.elidedText(second, Qt::ElideRight, tile.width() - 2));
    }
  }
}

bool MisclassifiedGallery::event(QEvent* e) {
  if (e->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(e);
    for (int i = 0; i < int(m_items.size()); ++i) {
      if (tileRect(i).contains(help->pos())) {
        const Item& item = m_items[size_t(i)];
        QToolTip::showText(help->globalPos(),
                           !item.toolTip.isEmpty()
                               ? item.toolTip
                               : tr("Test digit #%1\ntrue class %2, predicted %3")
                                     .arg(QLocale().toString(item.index), item.trueName, item.predictedName),
                           this);
        return true;
      }
    }
    QToolTip::hideText();
    e->ignore();
    return true;
  }
  return QWidget::event(e);
}

}  // namespace dl
