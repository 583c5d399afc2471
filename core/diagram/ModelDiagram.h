#pragma once
// The layer diagram in the style of Keras's plot_model (keras/src/utils/model_visualization.py),
// drawn natively with QPainter: no graphviz.
//
// Three steps, as Netron's grapher does: the model becomes a layout (pure data: boxes with their
// text rows, arrows, the picture size — unit-testable without painting), then the layout is
// painted onto any QPainter (a widget, a QImage, an SVG generator).
//
// A box is one layer: a coloured title row ("dense_1 (Dense)" with names, "Dense" without; the
// colour says the layer's category), then optional white rows "Activation: relu",
// "Input shape: (None, 784)", "Output shape: (None, 200)", "Params: 157,000". As in Keras 3 the
// InputLayer of a Sequential model is not drawn; the first layer's input shape shows the input.
// A layer that makes the stack impossible gets a red border and the reason.
// Text measurement needs a QGuiApplication (fonts).

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

struct DiagramOptions {
  bool showShapes = false;        // Keras's show_shapes
  bool showLayerNames = true;     // show_layer_names
  bool showActivations = false;   // show_layer_activations
  bool showParams = false;        // parameter count per layer
  bool leftToRight = false;       // rankdir "LR" instead of "TB"
  int dpi = 96;                   // 96 = 1 pixel per point; Keras 3 defaults to 200
};

struct DiagramBox {
  int layer = 0;                  // index in ModelSpec::layers
  QString title;                  // "dense_1 (Dense)"
  QStringList rows;               // the white rows below the title
  QString error;                  // non-empty: why this layer cannot be built
  QColor color;                   // title row background
  QRectF rect;                    // whole box, in pixels
  double titleHeight = 0;
};

struct DiagramLayout {
  std::vector<DiagramBox> boxes;
  std::vector<QLineF> arrows;     // from one box to the next, ending at the arrow's tip
  QSizeF size;                    // of the whole picture, margins included, in pixels
  double scale = 1;               // dpi / 96
};

// Lays the diagram out (needs fonts: a QGuiApplication must exist).
DiagramLayout layoutDiagram(const ModelSpec& spec, const DiagramOptions& options);
// Paints a layout with its top-left at the painter's origin (white background included).
void paintDiagram(QPainter& painter, const DiagramLayout& layout);
QImage renderDiagram(const ModelSpec& spec, const DiagramOptions& options);
// PNG (or any raster format Qt knows) or SVG, by the path's suffix. On failure returns false
// and puts a message naming the file in *error.
bool saveDiagram(const ModelSpec& spec, const DiagramOptions& options, const QString& path, QString* error);

// The title row colour of a layer kind (dense and conv blue/teal, pooling green, dropout
// purple, reshape brown, activation red), as Netron colours by category.
QColor layerColor(LayerKind kind);

}  // namespace dl
