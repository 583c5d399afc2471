// The palette of layer kinds: double-click to add, drag to insert.

#include "LayerPalette.h"

#include "LayerListModel.h"

#include "diagram/ModelDiagram.h"

#include <QKeyEvent>
#include <QMimeData>
#include <QPainter>
#include <QResizeEvent>

#include <algorithm>

namespace dl {

namespace {

struct Entry {
  LayerKind kind;
  const char* tip;
};

const Entry kEntries[] = {
    {LayerKind::Dense, QT_TRANSLATE_NOOP("dl::LayerPalette", "Dense: fully connected layer, output = activation(x·W + b)")},
    {LayerKind::Dropout, QT_TRANSLATE_NOOP("dl::LayerPalette", "Dropout: zeroes a fraction of its inputs while training")},
    {LayerKind::Conv2D, QT_TRANSLATE_NOOP("dl::LayerPalette", "Conv2D: 2-D convolution over an image (height, width, channels)")},
    {LayerKind::MaxPooling2D, QT_TRANSLATE_NOOP("dl::LayerPalette", "MaxPooling2D: the maximum of each window, shrinking the image")},
    {LayerKind::Flatten, QT_TRANSLATE_NOOP("dl::LayerPalette", "Flatten: turns an image into a vector, for Dense layers")},
    {LayerKind::Activation, QT_TRANSLATE_NOOP("dl::LayerPalette", "Activation: applies an activation function on its own")},
};

constexpr int kItemWidth = 112;
constexpr int kItemHeight = 24;

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
  setUniformItemSizes(true);
  setSpacing(2);
  setSelectionMode(QAbstractItemView::SingleSelection);
  setDragEnabled(true);
  setDragDropMode(QAbstractItemView::DragOnly);
  setDefaultDropAction(Qt::CopyAction);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setFixedHeight(heightFor(3));
  setToolTip(tr("Double-click a layer to add it after the selected one, or drag it into the stack"));
  for (const Entry& e : kEntries) {
    auto* item = new QListWidgetItem(kindIcon(e.kind), QString::fromLatin1(layerKindName(e.kind)), this);
    item->setData(Qt::UserRole, int(e.kind));
    item->setToolTip(tr(e.tip));
    item->setSizeHint(QSize(kItemWidth, kItemHeight));
  }
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
  return QSize(3 * (kItemWidth + 2 * spacing()) + 2 * frameWidth(), heightFor(3));
}

int LayerPalette::heightFor(int columns) const {
  const int rows = (count() + std::max(1, columns) - 1) / std::max(1, columns);
  return rows * (kItemHeight + 2 * spacing()) + 2 * frameWidth() + 2;
}

void LayerPalette::resizeEvent(QResizeEvent* event) {
  QListWidget::resizeEvent(event);
  // Exactly as many rows as the entries need at this width: no scroll bar, no empty row.
  const int columns = std::max(1, (width() - 2 * frameWidth()) / (kItemWidth + 2 * spacing()));
  if (height() != heightFor(columns)) setFixedHeight(heightFor(columns));
}

QStringList LayerPalette::mimeTypes() const {
  return {LayerListModel::kindMimeType()};
}

QMimeData* LayerPalette::mimeData(const QList<QListWidgetItem*>& items) const {
  if (items.isEmpty()) return nullptr;
  auto* data = new QMimeData;
  data->setData(LayerListModel::kindMimeType(), QByteArray(layerKindName(kindOf(items.first()))));
  return data;
}

void LayerPalette::keyPressEvent(QKeyEvent* event) {
  if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && currentItem()) {
    emit kindActivated(kindOf(currentItem()));
    return;
  }
  QListWidget::keyPressEvent(event);
}

}  // namespace dl
