// The layer stack table: summary rows, error marking, drag-and-drop requests.

#include "LayerListModel.h"

#include "diagram/ModelDiagram.h"

#include <QIcon>
#include <QMimeData>
#include <QPainter>
#include <QPixmap>

#include <algorithm>

namespace dl {

namespace {

QString kindText(LayerKind kind) { return QString::fromLatin1(layerKindName(kind)); }

QIcon swatch(const QColor& color) {
  QPixmap pixmap(12, 12);
  pixmap.fill(Qt::transparent);
  QPainter painter(&pixmap);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(color.darker(140));
  painter.setBrush(color);
  painter.drawRoundedRect(QRectF(0.5, 0.5, 11, 11), 2.5, 2.5);
  return QIcon(pixmap);
}

}  // namespace

QString LayerListModel::rowMimeType() { return QStringLiteral("application/x-digitlab-layer-row"); }

QString LayerListModel::kindMimeType() { return QStringLiteral("application/x-digitlab-layer-kind"); }

LayerListModel::LayerListModel(QObject* parent) : QAbstractTableModel(parent) {}

void LayerListModel::setSpec(const ModelSpec& spec, const ModelAnalysis& analysis) {
  const bool sameRows = spec.layers.size() == m_spec.layers.size();
  if (!sameRows) beginResetModel();
  m_spec = spec;
  m_analysis = analysis;
  if (!sameRows) {
    endResetModel();
  } else if (!m_spec.layers.empty()) {
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
  }
}

int LayerListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(m_spec.layers.size());
}

int LayerListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant LayerListModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const int row = index.row();
  const LayerSpec& layer = m_spec.layers[size_t(row)];
  const LayerInfo* info = row < int(m_analysis.layers.size()) ? &m_analysis.layers[size_t(row)] : nullptr;
  const bool isError = row == m_analysis.errorLayer;
  const bool shaped = info && !info->outputShape.empty();
  // Not checked: after the invalid layer, or everything when the input itself is invalid.
  const bool unchecked = !isError && !shaped;
  const QString error = info ? QString::fromStdString(info->error) : QString();

  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case NameColumn: {
          const QString name = info ? QString::fromStdString(info->name) : QString::fromStdString(layer.name);
          return QStringLiteral("%1 (%2)").arg(name, kindText(layer.kind));
        }
        case ShapeColumn:
          if (shaped) return QString::fromStdString(shapeToString(info->outputShape));
          return isError ? tr("error") : QStringLiteral("?");
        case ParamsColumn:
          if (shaped) return QString::fromStdString(withThousands(info->params));
          return QStringLiteral("?");
      }
      return {};
    case Qt::DecorationRole:
      if (index.column() == NameColumn) return swatch(layerColor(layer.kind));
      return {};
    case Qt::ForegroundRole:
      if (isError) return QColor(0xb0, 0x10, 0x10);
      if (unchecked) return QColor(0x90, 0x90, 0x90);
      return {};
    case Qt::BackgroundRole:
      if (isError) return QColor(0xfb, 0xe3, 0xe3);
      return {};
    case Qt::ToolTipRole: {
      QString summary;
      if (shaped)
        summary = tr("%1 (%2)\n%3 → %4\n%5 parameters")
                      .arg(QString::fromStdString(info->name), kindText(layer.kind),
                           QString::fromStdString(shapeToString(info->inputShape)),
                           QString::fromStdString(shapeToString(info->outputShape)),
                           QString::fromStdString(withThousands(info->params)));
      if (isError && !error.isEmpty()) return summary.isEmpty() ? error : summary + QStringLiteral("\n\n") + error;
      if (unchecked) return tr("Not checked: a layer above (or the input) is invalid.");
      if (!summary.isEmpty()) return summary;
      return {};
    }
    case Qt::TextAlignmentRole:
      if (index.column() == ParamsColumn) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case ErrorRole:
      return isError ? error : QString();
    case KindRole:
      return int(layer.kind);
  }
  return {};
}

QVariant LayerListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::DisplayRole) {
    switch (section) {
      case NameColumn:
        return tr("Layer (type)");
      case ShapeColumn:
        return tr("Output Shape");
      case ParamsColumn:
        return tr("Param #");
    }
  }
  if (role == Qt::TextAlignmentRole && section == ParamsColumn)
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  return {};
}

Qt::ItemFlags LayerListModel::flags(const QModelIndex& index) const {
  // Rows are never drop targets themselves: drops land between them (or on the empty area).
  if (!index.isValid()) return Qt::ItemIsDropEnabled;
  return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled | Qt::ItemNeverHasChildren;
}

Qt::DropActions LayerListModel::supportedDropActions() const { return Qt::MoveAction | Qt::CopyAction; }

Qt::DropActions LayerListModel::supportedDragActions() const { return Qt::MoveAction; }

QStringList LayerListModel::mimeTypes() const { return {rowMimeType(), kindMimeType()}; }

QMimeData* LayerListModel::mimeData(const QModelIndexList& indexes) const {
  if (indexes.isEmpty()) return nullptr;
  auto* data = new QMimeData;
  data->setData(rowMimeType(), QByteArray::number(indexes.first().row()));
  return data;
}

bool LayerListModel::canDropMimeData(const QMimeData* data, Qt::DropAction, int, int, const QModelIndex&) const {
  return data && (data->hasFormat(rowMimeType()) || data->hasFormat(kindMimeType()));
}

bool LayerListModel::dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                                  const QModelIndex& parent) {
  if (!canDropMimeData(data, action, row, column, parent)) return false;
  int before = row;
  if (before < 0) before = parent.isValid() ? parent.row() : rowCount();
  before = std::clamp(before, 0, rowCount());
  if (data->hasFormat(rowMimeType())) {
    bool ok = false;
    const int from = data->data(rowMimeType()).toInt(&ok);
    if (ok && from >= 0 && from < rowCount()) emit moveRequested(from, before);
  } else {
    LayerKind kind;
    if (layerKindFromName(data->data(kindMimeType()).toStdString(), &kind)) emit insertRequested(kind, before);
  }
  return false;  // the builder applies the change; the view must not remove the dragged row
}

}  // namespace dl
