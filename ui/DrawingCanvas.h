#pragma once
// A square drawing surface for one handwritten digit (after Qt's Scribble example): dark ink on
// white paper, drawn with the mouse or a tablet pen in a thick, round-capped, anti-aliased stroke
// whose width is 1/14 of the canvas side (about what an MNIST stroke is to its 28x28 field).
//
// The picture lives in a QImage at the widget's devicePixelRatio, so it is sharp on high-DPI
// screens; each mouse move paints one segment into it and repaints only that segment's rectangle.
// Strokes are also kept as point lists in canvas units (0..1 of the side), so Undo and a resize
// re-render everything exactly. The square is centred in the widget if the widget is not square.
//
// An image file dropped on it (a local png/jpg/bmp/... url) is announced by imageFileDropped();
// showing it is the owner's job (DigitPanel opens it as Open image… does).
//
// Turning the drawing into a network input is not this widget's job: the owner gives strokes()
// to data/Strokes.h (renderStrokes: the 28x28 drawn from the vectors with an MNIST pen, whatever
// the canvas's size and pen), or, when a picture is shown, image() to data/DigitPreprocess.h.

#include <QImage>
#include <QList>
#include <QPolygonF>
#include <QTransform>
#include <QWidget>

class QDragEnterEvent;
class QDragMoveEvent;
class QDropEvent;
class QMimeData;
class QMouseEvent;
class QPaintEvent;
class QResizeEvent;
class QTabletEvent;

namespace dl {

class DrawingCanvas : public QWidget {
  Q_OBJECT

 public:
  // Small enough for a narrow side column (the panel's buttons and probabilities below it must
  // fit too); the canvas grows with the room it is given.
  static constexpr int kMinimumSide = 160;  // logical pixels

  explicit DrawingCanvas(QWidget* parent = nullptr);

  // The picture: dark ink on white, side x side logical pixels at devicePixelRatio (so
  // image().size() is the physical size). Never null.
  QImage image() const { return m_image; }
  // Shows a picture as the digit (from a file, a test sample): scaled to fit the square keeping
  // its aspect ratio, centred on white; light-on-dark pictures (MNIST's convention) are inverted
  // so that the canvas always holds dark ink on white. Removes all strokes. A null image clears.
  void setImage(const QImage& picture);

  bool isEmpty() const { return m_strokes.isEmpty() && m_picture.isNull(); }
  // The strokes as drawn: one polyline per stroke (press to release), in canvas units (0..1 of
  // the drawing square's side, y down), in drawing order. Cleared and undone with the canvas.
  const QList<QPolygonF>& strokes() const { return m_strokes; }
  // Whether a picture (setImage()) is shown, under any strokes drawn over it.
  bool hasPicture() const { return !m_picture.isNull(); }
  int strokeCount() const { return static_cast<int>(m_strokes.size()); }
  bool canUndo() const { return !m_strokes.isEmpty(); }
  // A picture laid over the drawing, e.g. a saliency map of the network's 28x28 input: `layer` is
  // painted through `layerToUnits` (its pixel coordinates -> canvas units), smoothly scaled and
  // clipped to the square. A null layer removes it. It is not part of image() (the network's input
  // does not change), and clear() and setImage() remove it.
  void setOverlay(const QImage& layer, const QTransform& layerToUnits);
  bool hasOverlay() const { return !m_overlay.isNull(); }
  const QImage& overlay() const { return m_overlay; }

  // Side of the drawing square and pen width, in logical pixels.
  int side() const;
  qreal penWidth() const { return side() / 14.0; }
  // The drawing square in widget coordinates.
  QRect canvasRect() const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

  // The first local image file (a suffix Qt can read: png, jpg, bmp, ...) among `mime`'s urls;
  // empty if there is none. What a drop on the canvas (or its panel) accepts.
  static QString imageFileIn(const QMimeData* mime);

 public slots:
  // Removes all strokes and any picture.
  void clear();
  // Removes the last stroke (no-op without strokes).
  void undoStroke();

 signals:
  // The picture changed: each point added to a stroke, clear, undo, setImage.
  void imageChanged();
  // An image file was dropped on the canvas (see imageFileIn()).
  void imageFileDropped(const QString& path);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void tabletEvent(QTabletEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void beginStroke(QPointF widgetPos);
  void extendStroke(QPointF widgetPos);
  void endStroke();
  // Rebuilds the image from the picture and all strokes at the current size and pixel ratio
  // (does not schedule a repaint).
  void render();
  // Paints segment a-b (canvas units; a == b paints a dot) of a stroke into the image and returns
  // the touched rectangle in widget coordinates.
  QRect paintSegment(QPointF a, QPointF b);
  QPointF toUnits(QPointF widgetPos) const;

  QImage m_image;              // what is shown and returned: side x side at devicePixelRatio
  QImage m_picture;            // from setImage(), as given (dark on light)
  QList<QPolygonF> m_strokes;  // in canvas units
  QImage m_overlay;            // setOverlay(): painted over m_image, never into it
  QTransform m_overlayToUnits;
  bool m_drawing = false;  // a stroke is in progress
};

}  // namespace dl
