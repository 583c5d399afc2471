// The palette of layer kinds: double-click to add, drag to insert.

#include "LayerPalette.h"

#include "LayerListModel.h"

#include "diagram/ModelDiagram.h"
#include "nn/LayerRegistry.h"

#include <QKeyEvent>
#include <QMimeData>
#include <QPainter>
#include <QResizeEvent>

#include <algorithm>

namespace dl {

namespace {

constexpr int kIconSize = 16;

QIcon kindIcon(LayerKind kind) {
  QPixmap pixmap(16, 16);
  pixmap.fill(Qt::transparent);
  QPainter painter(&pixmap);
  painter.setRenderHint(QPainter::Antialiasing);
  const QColor color = layerColor(kind);
  painter.setPen(color.darker(140));
  painter.setBrush(color);
  painter.drawRoundedRect(QRectF(1.5, 1.5, 13, 13), 3, 3);
  return QIcon(pixmap);
}

}  // namespace

LayerPalette::LayerPalette(QWidget* parent) : QListWidget(parent) {
  setObjectName(QStringLiteral("layerPalette"));
  setViewMode(QListView::ListMode);
  setFlow(QListView::LeftToRight);
  setWrapping(true);
  setResizeMode(QListView::Adjust);
  setSpacing(2);
  setSelectionMode(QAbstractItemView::SingleSelection);
  setDragEnabled(true);
  setDragDropMode(QAbstractItemView::DragOnly);
  setDefaultDropAction(Qt::CopyAction);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setIconSize(QSize(kIconSize, kIconSize));
  setAccessibleName(tr("Layer palette"));
  setAccessibleDescription(tr("Layer types to add to the model: Enter, Space or double-click adds the chosen one"));
  setToolTip(
      tr("Double-click a layer, or press Enter or Space, to add it after the selected one; or drag it "
         "into the stack"));
  for (const LayerKindInfo& k : layerKinds()) {
    auto* item = new QListWidgetItem(kindIcon(k.kind), QString::fromStdString(k.className), this);
    item->setData(Qt::UserRole, int(k.kind));
    item->setToolTip(
        tr("%1\nDouble-click, Enter or Space adds it; or drag it into the stack.").arg(tr(k.description.c_str())));
  }
  relayout();
  connect(this, &QListWidget::itemDoubleClicked, this,
          [this](QListWidgetItem* item) { emit kindActivated(kindOf(item)); });
}

int LayerPalette::rowOf(LayerKind kind) const {
  for (int i = 0; i < count(); ++i)
    if (kindOf(item(i)) == kind) return i;
  return -1;
}

LayerKind LayerPalette::kindOf(const QListWidgetItem* item) {
  return item ? LayerKind(item->data(Qt::UserRole).toInt()) : LayerKind::Dense;
}

QSize LayerPalette::sizeHint() const {
  return QSize(3 * (minItemWidth() + spacing()) + spacing() + 2 * frameWidth(), heightFor(3));
}

int LayerPalette::minItemWidth() const {
  int text = 0;
  for (int i = 0; i < count(); ++i) text = std::max(text, fontMetrics().horizontalAdvance(item(i)->text()));
  return text + kIconSize + 20;  // the icon, the gap after it, the entry's margins
}

int LayerPalette::itemHeight() const { return std::max(fontMetrics().height(), kIconSize) + 8; }

int LayerPalette::heightFor(int columns) const {
  const int rows = (count() + std::max(1, columns) - 1) / std::max(1, columns);
  // QListView puts `spacing` around every item: 2 * spacing between rows.
  return rows * (itemHeight() + 2 * spacing()) + 2 * frameWidth() + 2;
}

void LayerPalette::relayout() {
  // QListView puts `spacing` on every side of every entry: an entry takes its width + 2 * spacing
  // (and one pixel to spare, or the last column wraps onto a row the fixed height has not got).
  const int available = width() - 2 * frameWidth();
  const int slot = minItemWidth() + 2 * spacing() + 1;
  const int columns = std::clamp(available / slot, 1, std::max(1, count()));
  const QSize size(std::max(minItemWidth(), available / columns - 2 * spacing() - 1), itemHeight());
  bool changed = false;
  for (int i = 0; i < count(); ++i) {
    if (item(i)->sizeHint() == size) continue;
    item(i)->setSizeHint(size);
    changed = true;
  }
  if (changed) scheduleDelayedItemsLayout();
  // Exactly as many rows as the entries need at this width: no scroll bar, no empty row.
  if (height() != heightFor(columns)) setFixedHeight(heightFor(columns));
}

void LayerPalette::resizeEvent(QResizeEvent* event) {
  QListWidget::resizeEvent(event);
  relayout();
}

void LayerPalette::changeEvent(QEvent* event) {
  QListWidget::changeEvent(event);
  if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange) relayout();
}

QStringList LayerPalette::mimeTypes() const { return {LayerListModel::kindMimeType()}; }

QMimeData* LayerPalette::mimeData(const QList<QListWidgetItem*>& items) const {
  if (items.isEmpty()) return nullptr;
  auto* data = new QMimeData;
  data->setData(LayerListModel::kindMimeType(), QByteArray(layerKindName(kindOf(items.first()))));
  return data;
}

void LayerPalette::keyPressEvent(QKeyEvent* event) {
  const bool activates = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter ||
                         (event->key() == Qt::Key_Space && event->modifiers() == Qt::NoModifier);
  if (activates && currentItem()) {
    emit kindActivated(kindOf(currentItem()));
    return;
  }
  QListWidget::keyPressEvent(event);
}

}  // namespace dl
