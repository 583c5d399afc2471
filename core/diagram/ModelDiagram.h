#pragma once
// The layer diagram in the style of Keras's plot_model (keras/src/utils/model_visualization.py),
// drawn natively with QPainter: no graphviz.
//
// Three steps, as Netron's grapher does: the model becomes a layout (pure data: boxes with their
// text rows and rectangles, arrows, the picture size — unit-testable without painting), then the
// layout is painted onto any QPainter (a widget, a QImage, an SVG generator).
//
// A box is one layer: a coloured title row ("**dense_1** (Dense)" with names, "**Dense**"
// without; the colour says the layer's category, as in Netron), then optional white rows
// "Activation: relu", "Input shape: (None, 784)", "Output shape: (None, 200)", "Params: 157,000"
// (Keras 3 puts the two shapes side by side in one row; one per row keeps LR diagrams narrow).
// As in Keras 3 the InputLayer of a Sequential model is not drawn: the first box's input shape
// shows the model's input. A layer that makes the stack impossible gets a red border and the
// reason (word-wrapped below the rows, in red); a problem with the whole model (no layers, bad input shape) is
// a red message above the boxes. Boxes are centred on one axis; arrows join consecutive boxes.
//
// Sizes scale with dpi / 96, text included (DejaVu Sans, measured with QFontMetricsF), so a
// picture at dpi 192 is twice as large and as crisp. Text measurement needs a QGuiApplication.

#include "diagram/DiagramOptions.h"
#include "nn/ModelSpec.h"

#include <QColor>
#include <QImage>
#include <QLineF>
#include <QRectF>
#include <QString>
#include <QStringList>

#include <vector>

class QPainter;

namespace dl {

struct DiagramBox {
  int layer = 0;                  // index in ModelSpec::layers
  LayerKind kind = LayerKind::Dense;
  QString name;                   // "dense_1" (empty when names are off); painted bold
  QString className;              // "Dense"
  QString title;                  // the whole title text: "dense_1 (Dense)" or "Dense"
  QStringList rows;               // the white rows below the title
  QString error;                  // non-empty: why this layer cannot be built
  QStringList errorLines;         // the error, word-wrapped; painted in red after the rows
  QColor color;                   // title row background
  QRectF rect;                    // whole box, in pixels
  double titleHeight = 0;
  double rowHeight = 0;           // each of rows
  double errorLineHeight = 0;     // each of errorLines (a paragraph, tighter than rows)
  double errorPadding = 0;        // above and below the error paragraph

  QRectF titleRect() const { return QRectF(rect.topLeft(), QSizeF(rect.width(), titleHeight)); }
  QRectF rowRect(int i) const {
    return QRectF(rect.left(), rect.top() + titleHeight + i * rowHeight, rect.width(), rowHeight);
  }
  QRectF errorLineRect(int i) const {
    return QRectF(rect.left(), rect.top() + titleHeight + rows.size() * rowHeight + errorPadding + i * errorLineHeight,
                  rect.width(), errorLineHeight);
  }
};

struct DiagramLayout {
  std::vector<DiagramBox> boxes;
  std::vector<QLineF> arrows;     // arrows[i] from boxes[i] to boxes[i + 1], p2 at the tip
  QString message;                // a problem of the whole model ("the model has no layers")
  QRectF messageRect;             // where it goes (empty without a message)
  QSizeF size;                    // of the whole picture, margins included, in pixels
  double scale = 1;               // dpi / 96
  RankDir rankdir = RankDir::TopToBottom;
};

// Lays the diagram out (needs fonts: a QGuiApplication must exist).
DiagramLayout layoutDiagram(const ModelSpec& spec, const DiagramOptions& options);
// Paints a layout with its top-left at the painter's origin (white background included).
void paintDiagram(QPainter& painter, const DiagramLayout& layout);
// The picture as an image of layout.size pixels, its dots-per-metre set from options.dpi.
QImage renderDiagram(const ModelSpec& spec, const DiagramOptions& options);
// PNG (or any raster format Qt writes, by suffix) or SVG (".svg"). On failure returns false and
// puts a message naming the file in *error.
bool saveDiagram(const ModelSpec& spec, const DiagramOptions& options, const QString& path, QString* error);

// The title row colour of a layer kind (dense and conv blue/teal, pooling green, dropout
// purple, reshape brown, activation red), as Netron colours by category.
QColor layerColor(LayerKind kind);

}  // namespace dl
