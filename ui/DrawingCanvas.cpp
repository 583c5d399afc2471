// The digit drawing surface: strokes kept in canvas units, painted segment by segment into a
// high-DPI QImage, repainting only the dirty rectangle. See DrawingCanvas.h.

#include "DrawingCanvas.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QImageReader>
#include <QKeyEvent>
#include <QMimeData>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QTabletEvent>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <utility>

namespace dl {
namespace {

// Mean luminance (0..1) of a picture's outer ring, composited over white.
double borderLuminance(const QImage& img) {
  const int w = img.width(), h = img.height();
  double sum = 0;
  int n = 0;
  auto add = [&](int x, int y) {
    const QRgb c = img.pixel(x, y);
    const double a = qAlpha(c) / 255.0;
    sum += a * qGray(c) / 255.0 + (1 - a);
    ++n;
  };
  for (int x = 0; x < w; ++x) {
    add(x, 0);
    add(x, h - 1);
  }
  for (int y = 0; y < h; ++y) {
    add(0, y);
    add(w - 1, y);
  }
  return n ? sum / n : 1.0;
}

}  // namespace

DrawingCanvas::DrawingCanvas(QWidget* parent) : QWidget(parent) {
  setMinimumSize(kMinimumSide, kMinimumSide);
  // The drawing square is the largest that fits, at the top and centred in the width; the owner
  // keeps the widget about square (DigitPanel caps its height at its width).
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setAcceptDrops(true);
  setAttribute(Qt::WA_OpaquePaintEvent);
  setCursor(Qt::CrossCursor);
  setToolTip(
      tr("Draw a digit with the mouse or a pen, or drop an image file here. Backspace undoes the last stroke, "
         "Delete clears."));
  setAccessibleName(tr("Drawing canvas"));
  setAccessibleDescription(tr("Draw one digit; the network predicts it as you draw."));
  setFocusPolicy(Qt::StrongFocus);  // clicking it gives it the keyboard: Backspace and Delete below
  render();
}

void DrawingCanvas::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Backspace && event->modifiers() == Qt::NoModifier) {
    undoStroke();
  } else if ((event->key() == Qt::Key_Delete || event->key() == Qt::Key_Escape) &&
             event->modifiers() == Qt::NoModifier) {
    clear();
  } else {
    QWidget::keyPressEvent(event);
  }
}

int DrawingCanvas::side() const { return std::max(1, std::min(width(), height())); }

QRect DrawingCanvas::canvasRect() const {
  const int s = side();
  return QRect((width() - s) / 2, 0, s, s);  // at the top, under the panel's caption
}

QSize DrawingCanvas::sizeHint() const { return QSize(280, 280); }
QSize DrawingCanvas::minimumSizeHint() const { return QSize(kMinimumSide, kMinimumSide); }

QString DrawingCanvas::imageFileIn(const QMimeData* mime) {
  if (!mime || !mime->hasUrls()) return {};
  const QList<QByteArray> formats = QImageReader::supportedImageFormats();
  for (const QUrl& url : mime->urls()) {
    if (!url.isLocalFile()) continue;
    const QFileInfo info(url.toLocalFile());
    if (info.isFile() && formats.contains(info.suffix().toLower().toLatin1())) return info.absoluteFilePath();
  }
  return {};
}

void DrawingCanvas::dragEnterEvent(QDragEnterEvent* event) {
  if (!imageFileIn(event->mimeData()).isEmpty())
    event->acceptProposedAction();
  else
    event->ignore();
}

void DrawingCanvas::dragMoveEvent(QDragMoveEvent* event) {
  if (!imageFileIn(event->mimeData()).isEmpty())
    event->acceptProposedAction();
  else
    event->ignore();
}

void DrawingCanvas::dropEvent(QDropEvent* event) {
  const QString path = imageFileIn(event->mimeData());
  if (path.isEmpty()) return event->ignore();
  event->acceptProposedAction();
  emit imageFileDropped(path);
}

void DrawingCanvas::setImage(const QImage& picture) {
  m_overlay = QImage();
  m_drawing = false;
  m_strokes.clear();
  m_picture = QImage();
  if (!picture.isNull() && picture.width() > 0 && picture.height() > 0) {
    m_picture = picture.convertToFormat(QImage::Format_ARGB32);
    if (borderLuminance(m_picture) < 0.5) m_picture.invertPixels(QImage::InvertRgb);
  }
  render();
  update();
  emit imageChanged();
}

void DrawingCanvas::setOverlay(const QImage& layer, const QTransform& layerToUnits) {
  if (layer.isNull() && m_overlay.isNull()) return;
  m_overlay = layer;
  m_overlayToUnits = layerToUnits;
  update();
}

void DrawingCanvas::clear() {
  m_overlay = QImage();
  m_drawing = false;
  m_strokes.clear();
  m_picture = QImage();
  render();
  update();
  emit imageChanged();
}

void DrawingCanvas::undoStroke() {
  if (m_strokes.isEmpty()) return;
  m_drawing = false;
  m_strokes.removeLast();
  render();
  update();
  emit imageChanged();
}

QPointF DrawingCanvas::toUnits(QPointF widgetPos) const {
  const QRect r = canvasRect();
  return (widgetPos - QPointF(r.topLeft())) / r.width();
}

void DrawingCanvas::render() {
  const qreal dpr = devicePixelRatioF();
  const int s = side();
  m_image = QImage(QSize(s, s) * dpr, QImage::Format_RGB32);
  m_image.setDevicePixelRatio(dpr);
  m_image.fill(Qt::white);
  if (!m_picture.isNull()) {
    QPainter p(&m_image);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    QSizeF fit = QSizeF(m_picture.size()).scaled(QSizeF(s, s), Qt::KeepAspectRatio);
    p.drawImage(QRectF(QPointF((s - fit.width()) / 2, (s - fit.height()) / 2), fit), m_picture);
  }
  for (const QPolygonF& stroke : std::as_const(m_strokes)) {
    paintSegment(stroke.first(), stroke.first());
    for (qsizetype i = 1; i < stroke.size(); ++i) paintSegment(stroke[i - 1], stroke[i]);
  }
}

QRect DrawingCanvas::paintSegment(QPointF a, QPointF b) {
  const qreal s = side();
  const QPointF pa = a * s, pb = b * s;
  {
    QPainter p(&m_image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(Qt::black, penWidth(), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    if (pa == pb)
      p.drawPoint(pa);
    else
      p.drawLine(pa, pb);
  }
  const qreal margin = penWidth() / 2 + 2;
  return QRectF(pa, pb)
      .normalized()
      .adjusted(-margin, -margin, margin, margin)
      .toAlignedRect()
      .translated(canvasRect().topLeft());
}

void DrawingCanvas::beginStroke(QPointF widgetPos) {
  const bool wasEmpty = isEmpty();
  const QPointF u = toUnits(widgetPos);
  m_strokes.append(QPolygonF{u});
  m_drawing = true;
  const QRect dirty = paintSegment(u, u);
  if (wasEmpty)
    update();  // the "draw here" hint goes away
  else
    update(dirty);
  emit imageChanged();
}

void DrawingCanvas::extendStroke(QPointF widgetPos) {
  if (!m_drawing || m_strokes.isEmpty()) return;
  QPolygonF& stroke = m_strokes.last();
  const QPointF u = toUnits(widgetPos);
  if (u == stroke.last()) return;
  const QPointF last = stroke.last();
  stroke.append(u);
  update(paintSegment(last, u));
  emit imageChanged();
}

void DrawingCanvas::endStroke() { m_drawing = false; }

void DrawingCanvas::paintEvent(QPaintEvent* event) {
  if (!qFuzzyCompare(m_image.devicePixelRatio(), devicePixelRatioF()) ||
      m_image.width() != qRound(side() * devicePixelRatioF())) {
    render();  // moved to a screen with another pixel ratio
    if (event->rect() != rect()) update();
  }
  QPainter p(this);
  const QRect square = canvasRect();
  const QRegion outside = QRegion(event->rect()).subtracted(square);
  for (const QRect& r : outside) p.fillRect(r, palette().window());

  const QRect target = event->rect() & square;
  if (!target.isEmpty()) {
    const qreal dpr = m_image.devicePixelRatio();
    const QRectF source(QPointF(target.topLeft() - square.topLeft()) * dpr, QSizeF(target.size()) * dpr);
    p.drawImage(QRectF(target), m_image, source);
  }
  if (!m_overlay.isNull() && !target.isEmpty()) {
    p.save();
    p.setClipRect(target);
    // The drawing faded to light grey under the map, so that red and blue read on the ink too.
    p.fillRect(target, QColor(255, 255, 255, 150));
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.setTransform(m_overlayToUnits * QTransform::fromScale(square.width(), square.height()) *
                   QTransform::fromTranslate(square.left(), square.top()));
    p.drawImage(QPointF(0, 0), m_overlay);
    p.restore();
  }
  if (isEmpty()) {
    p.setPen(QColor(160, 160, 160));
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    p.setFont(f);
    p.drawText(square, Qt::AlignCenter, tr("Draw a digit here"));
  }
  p.setPen(palette().color(QPalette::Mid));
  p.drawRect(square.adjusted(0, 0, -1, -1));
}

void DrawingCanvas::resizeEvent(QResizeEvent*) {
  if (m_image.width() != qRound(side() * devicePixelRatioF())) render();
  update();
}

void DrawingCanvas::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
  beginStroke(event->position());
}

void DrawingCanvas::mouseMoveEvent(QMouseEvent* event) {
  if (!(event->buttons() & Qt::LeftButton)) return QWidget::mouseMoveEvent(event);
  extendStroke(event->position());
}

void DrawingCanvas::mouseReleaseEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QWidget::mouseReleaseEvent(event);
  extendStroke(event->position());
  endStroke();
}

void DrawingCanvas::tabletEvent(QTabletEvent* event) {
  // Accepting the event stops Qt from synthesising the matching mouse event.
  switch (event->type()) {
    case QEvent::TabletPress:
      beginStroke(event->position());
      break;
    case QEvent::TabletMove:
      extendStroke(event->position());  // only while a stroke is in progress
      break;
    case QEvent::TabletRelease:
      extendStroke(event->position());
      endStroke();
      break;
    default:
      return QWidget::tabletEvent(event);
  }
  event->accept();
}

}  // namespace dl
