#pragma once
// The layer diagram in the style of Keras's plot_model, drawn natively with QPainter: no graphviz.
//
// Three steps, as Netron's grapher does: the model becomes a layout (pure data: boxes with their
// texts and cell rectangles, arrows, the picture size — unit-testable without painting), then the
// layout is painted onto any QPainter (a widget, a QImage, an SVG generator).
//
// A box is one layer, drawn as a small table with cell borders (Keras 3's HTML-like label):
//
//   ┌───────────────────────────────┐
//   │       dense_1: Dense          │  title: "name: ClassName" (Keras's model_to_dot label),
//   ├───────────────────────────────┤         just "ClassName" without names; coloured by
//   │      Activation: relu         │         category (Netron); the name is bold
//   ├───────────────┬───────────────┤  show_layer_activations: a full-width row (Keras 3)
//   │  Input shape  │ Output shape  │  show_shapes: a 2-column table, header cells on grey,
//   ├───────────────┼───────────────┤         the shapes (bold, as Keras bolds them) under them
//   │  (None, 200)  │  (None, 100)  │
//   ├───────────────┴───────────────┤
//   │        Params: 20,100         │  parameter count: a full-width row
//   └───────────────────────────────┘
//
// As Keras does for a Sequential model, the InputLayer is not drawn: the first box's input shape
// shows the model's input, so there is exactly one box per layer of the spec. A layer that makes
// the stack impossible gets a red border and the reason (word-wrapped below its cells, in red); a
// problem with the whole model (no layers, bad input shape) is a red message above the boxes.
// Boxes are centred on one axis; arrows join consecutive boxes.
//
// Scale: the layout is made at 96 dpi (one unit = one CSS pixel, text 13 px DejaVu Sans) and
// every coordinate is then multiplied by dpi / 96 and rounded to whole pixels — rounded where it
// lies, not as a sum of rounded sizes — so a picture at dpi d is (96-dpi size) × d / 96 to within
// a pixel, its borders fall on whole pixels, and its text is drawn at the scaled size (crisp, not
// an enlarged bitmap). Text measurement needs a QGuiApplication.

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

// A full-width row under the title: "Activation: relu", "Params: 832" (the value is bold).
struct DiagramRow {
  QString label;  // "Activation"
  QString value;  // "relu"
  QRectF rect;
  QString text() const { return label + QStringLiteral(": ") + value; }
};

// One column of the shapes table: a header cell over a value cell.
struct DiagramShapeColumn {
  QString header;  // "Input shape" or "Output shape"
  QString value;   // "(None, 784)"; "?" when unknown
  QRectF headerRect;
  QRectF valueRect;
};

struct DiagramBox {
  int layer = 0;  // index in ModelSpec::layers
  LayerKind kind = LayerKind::Dense;
  QString name;       // "dense_1" (empty when names are off); painted bold
  QString className;  // "Dense"
  QString title;      // the whole title: "dense_1: Dense", or "Dense" without names
  QRectF titleRect;
  std::vector<DiagramRow> rows;            // in order from the top (activation above the table, params below)
  std::vector<DiagramShapeColumn> shapes;  // show_shapes: {input, output}; else empty
  QString error;                           // non-empty: why this layer cannot be built
  QStringList errorLines;                  // the error, word-wrapped; painted in red below the cells
  std::vector<QRectF> errorLineRects;
  QColor color;  // title background
  QRectF rect;   // whole box, in pixels (whole numbers)

  // The row whose label is `label` ("Activation", "Params"), or nullptr.
  const DiagramRow* row(const QString& label) const;
};

struct DiagramLayout {
  std::vector<DiagramBox> boxes;
  std::vector<QLineF> arrows;  // arrows[i] from boxes[i] to boxes[i + 1], p2 at the tip
  QString message;             // a problem of the whole model ("the model has no layers")
  QRectF messageRect;          // where it goes (empty without a message)
  QSizeF size;                 // of the whole picture, margins included, in whole pixels
  double scale = 1;            // dpi / 96
  RankDir rankdir = RankDir::TopToBottom;
};

// The texts of the shapes table's header cells.
QString inputShapeHeader();   // "Input shape"
QString outputShapeHeader();  // "Output shape"

// Lays the diagram out (needs fonts: a QGuiApplication must exist).
DiagramLayout layoutDiagram(const ModelSpec& spec, const DiagramOptions& options);
// Paints a layout with its top-left at the painter's origin (white background included).
void paintDiagram(QPainter& painter, const DiagramLayout& layout);
// The picture as an image of layout.size pixels, its dots-per-metre set from options.dpi.
QImage renderDiagram(const ModelSpec& spec, const DiagramOptions& options);
// PNG (or any raster format Qt writes, by suffix) at options.dpi, or SVG (".svg"), which is
// vector and always laid out at 96 dpi (one unit per CSS pixel) whatever options.dpi says. On
// failure returns false and puts a message naming the file in *error.
bool saveDiagram(const ModelSpec& spec, const DiagramOptions& options, const QString& path, QString* error);

// The title row colour of a layer kind (dense and conv blue/teal, pooling green, dropout
// purple, reshape brown, activation red), as Netron colours by category.
QColor layerColor(LayerKind kind);

}  // namespace dl
