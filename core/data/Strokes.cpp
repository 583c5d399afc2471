// Strokes to the MNIST-style 28x28 input: fit, draw with the MNIST pen at 8x, area-average down,
// centre by mass. See Strokes.h.

#include "data/Strokes.h"

#include <QPainter>
#include <QPen>

#include <algorithm>
#include <cmath>
#include <vector>

namespace dl {
namespace {

// Supersampling of renderStrokes(): pixels of the drawing per pixel of the 28x28 field.
constexpr int kSupersample = 8;

bool finite(QPointF p) { return std::isfinite(p.x()) && std::isfinite(p.y()); }

// Draws the strokes with `painter`'s pen, each point mapped by `map`: polylines with the pen's
// caps and joins, and a disc the pen's width across for a stroke that does not move. Points
// closer than 2 pixels to the last one kept are skipped (the last point of a stroke always
// counts): a slow mouse gives thousands of them, and QPainter's stroker slows down with each
// (bench/bench_strokes: a 5000-point 8 took 19 ms, now about 2). In renderStrokes() 2 pixels are
// a quarter pixel of the 28x28, an eighth of the MNIST pen.
template <typename Map>
void drawStrokes(QPainter& painter, const Strokes& strokes, Map map) {
  const qreal width = painter.pen().widthF();
  constexpr double kMinStep = 2.0;
  for (const QPolygonF& stroke : strokes) {
    QPolygonF points;
    points.reserve(stroke.size());
    for (qsizetype i = 0; i < stroke.size(); ++i) {
      if (!finite(stroke[i])) continue;
      const QPointF p = map(stroke[i]);
      if (!points.isEmpty() && i + 1 < stroke.size() && QLineF(points.last(), p).length() < kMinStep) continue;
      points.append(p);
    }
    if (points.isEmpty()) continue;
    const QRectF r = points.boundingRect();
    if (r.width() == 0 && r.height() == 0) {
      const QBrush brush(painter.pen().color());
      painter.save();
      painter.setBrush(brush);
      painter.setPen(Qt::NoPen);
      painter.drawEllipse(points.first(), width / 2, width / 2);
      painter.restore();
    } else {
      painter.drawPolyline(points);
    }
  }
}

}  // namespace

QRectF strokesBounds(const Strokes& strokes) {
  double left = 0, top = 0, right = 0, bottom = 0;
  bool any = false;
  for (const QPolygonF& stroke : strokes)
    for (QPointF p : stroke) {
      if (!finite(p)) continue;
      if (!any) {
        left = right = p.x();
        top = bottom = p.y();
        any = true;
      }
      left = std::min(left, p.x());
      right = std::max(right, p.x());
      top = std::min(top, p.y());
      bottom = std::max(bottom, p.y());
    }
  if (!any) return {};
  return QRectF(QPointF(left, top), QPointF(right, bottom));
}

DigitInput renderStrokes(const Strokes& strokes, double pen) {
  bool anyPoint = false;
  for (const QPolygonF& s : strokes)
    anyPoint = anyPoint || std::any_of(s.begin(), s.end(), [](QPointF p) { return finite(p); });
  if (!anyPoint) return digitFromInk(nullptr, 0, 0);
  const QRectF bounds = strokesBounds(strokes);

  pen = std::clamp(std::isfinite(pen) ? pen : MnistStrokeWidth::kPen, 0.5, DigitInput::kBox / 2.0);
  // Pixels of the drawing per canvas unit: the points' extent plus the pen fills the 20x20 box.
  const double extent = std::max(bounds.width(), bounds.height());
  if (!std::isfinite(extent)) return digitFromInk(nullptr, 0, 0);  // points beyond double's range apart
  const double k = extent > 0 ? (DigitInput::kBox - pen) / extent * kSupersample : 0.0;
  const double penPx = pen * kSupersample;
  const int margin = 2;
  const int w = static_cast<int>(std::ceil(bounds.width() * k + penPx)) + 2 * margin;
  const int h = static_cast<int>(std::ceil(bounds.height() * k + penPx)) + 2 * margin;
  const QPointF offset(margin + penPx / 2, margin + penPx / 2);

  QImage canvas(w, h, QImage::Format_ARGB32_Premultiplied);
  canvas.fill(Qt::black);
  {
    QPainter painter(&canvas);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(Qt::white, penPx, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    drawStrokes(painter, strokes, [&](QPointF p) { return (p - bounds.topLeft()) * k + offset; });
  }
  std::vector<float> plane(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    const QRgb* line = reinterpret_cast<const QRgb*>(canvas.constScanLine(y));
    for (int x = 0; x < w; ++x) plane[static_cast<size_t>(y) * w + x] = qRed(line[x]) / 255.f;
  }
  DigitInput out = digitFromInk(plane.data(), w, h);
  // Canvas units -> the supersampled plane (the map the strokes were drawn with) -> field.
  out.sourceToInput = QTransform::fromTranslate(-bounds.left(), -bounds.top()) * QTransform::fromScale(k, k) *
                      QTransform::fromTranslate(offset.x(), offset.y()) * out.sourceToInput;
  return out;
}

QImage paintStrokes(const Strokes& strokes, int side, double scale, double penWidth) {
  QImage picture(std::max(side, 1), std::max(side, 1), QImage::Format_RGB32);
  picture.fill(Qt::white);
  QPainter painter(&picture);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(QPen(Qt::black, penWidth, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
  drawStrokes(painter, strokes, [&](QPointF p) { return p * scale; });
  return picture;
}

}  // namespace dl
