// plot_model-style diagram: layout as data, then painting (see ModelDiagram.h).

#include "diagram/ModelDiagram.h"

#include "nn/ModelAnalysis.h"

#include <QFileInfo>
#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QSvgGenerator>

#include <algorithm>

namespace dl {

namespace {

// Sizes in points at 96 dpi; multiplied by the scale.
constexpr double kFontPx = 13, kPadX = 12, kPadY = 6, kGap = 34, kMargin = 16, kMinBoxWidth = 150;

QFont textFont(double scale, bool bold) {
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setPixelSize(std::max(1, int(std::lround(kFontPx * scale))));
  f.setBold(bold);
  return f;
}

bool hasActivation(LayerKind k) {
  return k == LayerKind::Dense || k == LayerKind::Conv2D || k == LayerKind::Activation;
}

}  // namespace

QColor layerColor(LayerKind kind) {
  switch (kind) {
    case LayerKind::Dense: return QColor(0x2b, 0x57, 0x97);
    case LayerKind::Conv2D: return QColor(0x1f, 0x6f, 0x8b);
    case LayerKind::MaxPooling2D: return QColor(0x2e, 0x7d, 0x32);
    case LayerKind::Dropout: return QColor(0x6a, 0x1b, 0x9a);
    case LayerKind::Flatten: return QColor(0x6d, 0x4c, 0x41);
    case LayerKind::Activation: return QColor(0xb7, 0x1c, 0x1c);
  }
  return Qt::black;
}

DiagramLayout layoutDiagram(const ModelSpec& spec, const DiagramOptions& o) {
  DiagramLayout out;
  out.scale = std::max(1, o.dpi) / 96.0;
  const double s = out.scale;
  const QFontMetricsF bold(textFont(s, true)), plain(textFont(s, false));
  const ModelAnalysis a = analyze(spec);
  const double line = plain.height() + 2 * kPadY * s;

  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec& l = spec.layers[i];
    const LayerInfo& info = a.layers[i];
    DiagramBox box;
    box.layer = int(i);
    box.title = o.showLayerNames ? QString::fromStdString(info.name + " (" + info.className + ")")
                                 : QString::fromStdString(info.className);
    box.color = layerColor(l.kind);
    if (o.showActivations && hasActivation(l.kind))
      box.rows << QStringLiteral("Activation: %1").arg(QString::fromStdString(l.activation));
    if (o.showShapes) {
      const Shape& in = i == 0 ? spec.inputShape : a.layers[i].inputShape;
      box.rows << QStringLiteral("Input shape: %1").arg(in.empty() ? QStringLiteral("?") : QString::fromStdString(shapeToString(in)));
      box.rows << QStringLiteral("Output shape: %1")
                      .arg(info.outputShape.empty() ? QStringLiteral("?") : QString::fromStdString(shapeToString(info.outputShape)));
    }
    if (o.showParams)
      box.rows << QStringLiteral("Params: %1").arg(QString::fromStdString(withThousands(info.params)));
    box.error = QString::fromStdString(info.error);
    if (!box.error.isEmpty()) box.rows << box.error;

    double width = bold.horizontalAdvance(box.title);
    for (const QString& r : box.rows) width = std::max(width, plain.horizontalAdvance(r));
    box.titleHeight = bold.height() + 2 * kPadY * s;
    box.rect.setSize(QSizeF(std::max(kMinBoxWidth * s, width + 2 * kPadX * s), box.titleHeight + line * box.rows.size()));
    out.boxes.push_back(box);
  }

  // Place the boxes on one axis: a column centred on the widest box (TB), or a row centred on
  // the tallest (LR).
  double across = 0;
  for (const DiagramBox& b : out.boxes)
    across = std::max(across, o.leftToRight ? b.rect.height() : b.rect.width());
  double along = kMargin * s;
  for (DiagramBox& b : out.boxes) {
    if (o.leftToRight) {
      b.rect.moveTopLeft(QPointF(along, kMargin * s + (across - b.rect.height()) / 2));
      along += b.rect.width() + kGap * s;
    } else {
      b.rect.moveTopLeft(QPointF(kMargin * s + (across - b.rect.width()) / 2, along));
      along += b.rect.height() + kGap * s;
    }
  }
  along += kMargin * s - (out.boxes.empty() ? 0 : kGap * s);
  const double acrossTotal = across + 2 * kMargin * s;
  out.size = o.leftToRight ? QSizeF(along, acrossTotal) : QSizeF(acrossTotal, along);
  if (out.boxes.empty()) out.size = QSizeF(kMinBoxWidth * s + 2 * kMargin * s, 2 * kMargin * s);

  for (size_t i = 0; i + 1 < out.boxes.size(); ++i) {
    const QRectF& from = out.boxes[i].rect;
    const QRectF& to = out.boxes[i + 1].rect;
    if (o.leftToRight)
      out.arrows.emplace_back(QPointF(from.right(), from.center().y()), QPointF(to.left(), to.center().y()));
    else
      out.arrows.emplace_back(QPointF(from.center().x(), from.bottom()), QPointF(to.center().x(), to.top()));
  }
  return out;
}

void paintDiagram(QPainter& p, const DiagramLayout& layout) {
  const double s = layout.scale;
  p.save();
  p.setRenderHint(QPainter::Antialiasing);
  p.setRenderHint(QPainter::TextAntialiasing);
  p.fillRect(QRectF(QPointF(0, 0), layout.size), Qt::white);
  const QFont bold = textFont(s, true), plain = textFont(s, false);
  const QColor ink(0x21, 0x21, 0x21);

  // Arrows: a line and a filled head at the tip.
  p.setPen(QPen(ink, 1.5 * s));
  p.setBrush(ink);
  for (const QLineF& a : layout.arrows) {
    const double head = 8 * s;
    QLineF shaft = a;
    shaft.setLength(std::max(0.0, a.length() - head));
    p.drawLine(shaft);
    const QLineF back(a.p2(), a.p1());
    QLineF left = back, right = back;
    left.setAngle(back.angle() + 25);
    right.setAngle(back.angle() - 25);
    left.setLength(head);
    right.setLength(head);
    QPainterPath tip;
    tip.moveTo(a.p2());
    tip.lineTo(left.p2());
    tip.lineTo(right.p2());
    tip.closeSubpath();
    p.drawPath(tip);
  }

  for (const DiagramBox& b : layout.boxes) {
    const bool bad = !b.error.isEmpty();
    const QRectF title(b.rect.topLeft(), QSizeF(b.rect.width(), b.titleHeight));
    p.setPen(Qt::NoPen);
    p.setBrush(Qt::white);
    p.drawRect(b.rect);
    p.setBrush(b.color);
    p.drawRect(title);
    p.setFont(bold);
    p.setPen(Qt::white);
    p.drawText(title, Qt::AlignCenter, b.title);
    p.setFont(plain);
    const double rowHeight = b.rows.isEmpty() ? 0 : (b.rect.height() - b.titleHeight) / b.rows.size();
    for (int r = 0; r < b.rows.size(); ++r) {
      const QRectF row(b.rect.left(), b.rect.top() + b.titleHeight + r * rowHeight, b.rect.width(), rowHeight);
      const bool errorRow = bad && r == b.rows.size() - 1;
      p.setPen(errorRow ? QColor(0xc6, 0x28, 0x28) : ink);
      p.drawText(row, Qt::AlignCenter, b.rows[r]);
      if (r > 0) {
        p.setPen(QPen(QColor(0xbd, 0xbd, 0xbd), 1 * s));
        p.drawLine(row.topLeft(), row.topRight());
      }
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(bad ? QColor(0xd3, 0x2f, 0x2f) : ink, (bad ? 3 : 1.2) * s));
    p.drawRect(b.rect);
  }
  p.restore();
}

QImage renderDiagram(const ModelSpec& spec, const DiagramOptions& options) {
  const DiagramLayout layout = layoutDiagram(spec, options);
  QImage image(layout.size.toSize(), QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  const int dotsPerMeter = int(std::lround(options.dpi / 0.0254));
  image.setDotsPerMeterX(dotsPerMeter);
  image.setDotsPerMeterY(dotsPerMeter);
  QPainter p(&image);
  paintDiagram(p, layout);
  return image;
}

bool saveDiagram(const ModelSpec& spec, const DiagramOptions& options, const QString& path, QString* error) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix == QLatin1String("svg")) {
    const DiagramLayout layout = layoutDiagram(spec, options);
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(layout.size.toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), layout.size));
    svg.setResolution(options.dpi);
    svg.setTitle(QString::fromStdString(spec.name));
    svg.setDescription(QStringLiteral("DigitLab model diagram"));
    QPainter p;
    if (!p.begin(&svg)) {
      if (error) *error = QStringLiteral("%1: cannot write the SVG file").arg(path);
      return false;
    }
    paintDiagram(p, layout);
    p.end();
    if (!QFileInfo::exists(path)) {
      if (error) *error = QStringLiteral("%1: cannot write the SVG file").arg(path);
      return false;
    }
    return true;
  }
  const QImage image = renderDiagram(spec, options);
  if (!image.save(path)) {
    if (error)
      *error = suffix.isEmpty() ? QStringLiteral("%1: give the file a .png or .svg suffix").arg(path)
                                : QStringLiteral("%1: cannot write the image (folder missing, no permission, or unknown format '%2')").arg(path, suffix);
    return false;
  }
  return true;
}

}  // namespace dl
