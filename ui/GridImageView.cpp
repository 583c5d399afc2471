// A cell picture shown at a whole zoom with per-value tooltips. See GridImageView.h.

#include "GridImageView.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace dl {

namespace {
constexpr int kMaxZoom = 1;  // the owner draws pictures at the size that fits
}

GridImageView::GridImageView(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
  setMouseTracking(true);
}

void GridImageView::setPicture(const QImage& picture, const GridLayout& layout, int pixelsPerValue, TipFunction tip) {
  const bool resized = picture.size() != m_picture.size();
  m_picture = picture;
  m_layout = layout;
  m_pixelsPerValue = std::max(1, pixelsPerValue);
  m_tip = std::move(tip);
  if (resized) {
    setMinimumSize(m_picture.size());
    updateGeometry();
  }
  update();
}

void GridImageView::setEmptyText(const QString& text) {
  m_emptyText = text;
  update();
}

void GridImageView::clear() {
  m_picture = QImage();
  m_layout = GridLayout();
  m_tip = nullptr;
  setMinimumSize(0, 0);
  updateGeometry();
  update();
}

int GridImageView::zoom() const {
  if (m_picture.isNull()) return 1;
  return std::clamp(width() / std::max(1, m_picture.width()), 1, kMaxZoom);
}

QRect GridImageView::target() const {
  const int z = zoom();
  const QSize size = m_picture.size() * z;
  return QRect(QPoint(std::max(0, (width() - size.width()) / 2), 0), size);
}

QPoint GridImageView::toWidget(QPoint p) const { return target().topLeft() + p * zoom(); }

QSize GridImageView::sizeHint() const {
  if (m_picture.isNull()) return {240, 60};
  return m_picture.size();
}

void GridImageView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  if (m_picture.isNull()) {
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, m_emptyText);
    return;
  }
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);
  p.drawImage(target(), m_picture);
}

QString GridImageView::tipAt(QPoint widgetPos) const {
  if (m_picture.isNull() || !m_tip) return {};
  const QRect t = target();
  if (!t.contains(widgetPos)) return {};
  const QPoint pic = (widgetPos - t.topLeft()) / zoom();
  for (int i = 0; i < m_layout.cells; ++i) {
    const QRect cell = m_layout.cellRect(i);
    if (!cell.contains(pic)) continue;
    const QPoint in = pic - cell.topLeft();
    return m_tip(i, in.x() / m_pixelsPerValue, in.y() / m_pixelsPerValue);
  }
  return {};
}

void GridImageView::mouseMoveEvent(QMouseEvent* e) {
  emit hovered(tipAt(e->position().toPoint()));
  QWidget::mouseMoveEvent(e);
}

void GridImageView::leaveEvent(QEvent* e) {
  emit hovered({});
  QWidget::leaveEvent(e);
}

bool GridImageView::event(QEvent* e) {
  if (e->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(e);
    const QString tip = tipAt(help->pos());
    if (tip.isEmpty())
      QToolTip::hideText();
    else
      QToolTip::showText(help->globalPos(), tip, this);
    return true;
  }
  return QWidget::event(e);
}

}  // namespace dl
