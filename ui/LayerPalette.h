#pragma once
// The model builder's palette: one entry per layer kind (Dense, Dropout, Conv2D, MaxPooling2D,
// Flatten, Activation), coloured by category as the diagram colours them, as a grid that uses
// the width it gets (two columns at 300 px) and never elides a name. Double-click, Enter or Space
// asks for the layer to be added; dragging an entry onto the layer stack drops it where it lands
// (the drag carries the kind under LayerListModel::kindMimeType()).

#include "nn/ModelSpec.h"

#include <QListWidget>

namespace dl {

class LayerPalette : public QListWidget {
  Q_OBJECT

 public:
  explicit LayerPalette(QWidget* parent = nullptr);

  // The row of a kind's entry (for tests and keyboard focus).
  int rowOf(LayerKind kind) const;
  static LayerKind kindOf(const QListWidgetItem* item);

  QSize sizeHint() const override;

 signals:
  void kindActivated(dl::LayerKind kind);

 protected:
  QStringList mimeTypes() const override;
  QMimeData* mimeData(const QList<QListWidgetItem*>& items) const override;
  void keyPressEvent(QKeyEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  // The narrowest entry that shows every name in full, and an entry's height.
  int minItemWidth() const;
  int itemHeight() const;
  int heightFor(int columns) const;
  // Columns as many as fit, entries as wide as the columns, the height exactly the rows.
  void relayout();
};

}  // namespace dl
