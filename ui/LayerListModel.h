#pragma once
// The model builder's layer stack as a table, like Keras's model.summary(): one row per layer,
// columns "Layer (type)", "Output Shape", "Param #". Only the row of the first invalid layer is
// red, with the reason as its tooltip (and in ErrorRole); the rows before it keep their shapes and
// parameter counts, and so does the invalid row itself when its shape is known (a model that does
// not end in 10 softmax units yet); rows that could not be checked are grey with "?". Each name has
// a swatch in the diagram's colour of its layer category (diagram/ModelDiagram.h layerColor).
//
// It only shows a spec: it never changes it. Drag-and-drop (rows moved within the list, layers
// dropped from the palette) is turned into moveRequested/insertRequested, which the builder
// makes into undoable commands; the model is then updated with setSpec().

#include "nn/ModelAnalysis.h"
#include "nn/ModelSpec.h"

#include <QAbstractTableModel>
#include <QString>

namespace dl {

class LayerListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { NameColumn, ShapeColumn, ParamsColumn, ColumnCount };
  enum Role { ErrorRole = Qt::UserRole + 1, KindRole };

  // Mime types: a row of this list being moved, and a layer kind from the palette (its Keras
  // class name, "Dense", as UTF-8).
  static QString rowMimeType();
  static QString kindMimeType();

  explicit LayerListModel(QObject* parent = nullptr);

  // Shows this spec with its analysis. Keeps the rows (and the view's selection) when the number
  // of layers is unchanged.
  void setSpec(const ModelSpec& spec, const ModelAnalysis& analysis);
  const ModelSpec& spec() const { return m_spec; }
  const ModelAnalysis& analysis() const { return m_analysis; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;

  Qt::DropActions supportedDropActions() const override;
  Qt::DropActions supportedDragActions() const override;
  QStringList mimeTypes() const override;
  QMimeData* mimeData(const QModelIndexList& indexes) const override;
  bool canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                       const QModelIndex& parent) const override;
  // Emits the request and returns false, so that the view never removes the dragged row itself.
  bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                    const QModelIndex& parent) override;

 signals:
  // Move layer `from` so that it lands before the layer now at `before` (rowCount: to the end).
  void moveRequested(int from, int before);
  // Insert a new layer of this kind before row `before` (rowCount: at the end).
  void insertRequested(dl::LayerKind kind, int before);

 private:
  ModelSpec m_spec;
  ModelAnalysis m_analysis;
};

}  // namespace dl
