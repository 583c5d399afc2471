// plot_model-style diagram: layout as data, then painting (see ModelDiagram.h).

#include "diagram/ModelDiagram.h"

#include "nn/ModelAnalysis.h"

#include <QFileInfo>
#include <QFont>
#include <QFontMetricsF>
#include <QImageWriter>
#include <QPainter>
#include <QPainterPath>
#include <QSaveFile>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>

namespace dl {

namespace {

// Sizes in pixels at 96 dpi; multiplied by the scale.
constexpr double kFontPx = 13;        // text
constexpr double kPadX = 12;          // left and right of the text in a row
constexpr double kPadY = 6;           // above and below the text in a row
constexpr double kGap = 34;           // between boxes, where the arrow goes
constexpr double kMargin = 16;        // around the picture
constexpr double kMinBoxWidth = 150;
constexpr double kMaxErrorWidth = 300;  // error text wraps at this width (or the box's)
constexpr double kArrowHead = 8;

const QColor kInk(0x21, 0x21, 0x21);
const QColor kRowRule(0xbd, 0xbd, 0xbd);
const QColor kErrorText(0xc6, 0x28, 0x28);
const QColor kErrorBorder(0xd3, 0x2f, 0x2f);

QFont textFont(double scale, bool bold) {
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setStyleHint(QFont::SansSerif);
  f.setPixelSize(std::max(1, int(std::lround(kFontPx * scale))));
  f.setBold(bold);
  return f;
}

bool hasActivation(LayerKind k) {
  return k == LayerKind::Dense || k == LayerKind::Conv2D || k == LayerKind::Activation;
}

QString shapeText(const Shape& s) {
  return s.empty() ? QStringLiteral("?") : QString::fromStdString(shapeToString(s));
}

// The class part of a title that shows a name: " (Dense)".
QString classSuffix(const DiagramBox& b) { return QStringLiteral(" (%1)").arg(b.className); }

double titleWidth(const DiagramBox& b, const QFontMetricsF& bold, const QFontMetricsF& plain) {
  if (b.name.isEmpty()) return bold.horizontalAdvance(b.className);
  return bold.horizontalAdvance(b.name) + plain.horizontalAdvance(classSuffix(b));
}

// Greedy word wrap; a shape such as "(None, 13, 13, 8)" stays on one line, and a word longer
// than the width keeps a line of its own.
QStringList wrapText(const QString& text, const QFontMetricsF& fm, double width) {
  QStringList words;
  int depth = 0;
  for (const QString& w : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
    if (depth > 0 && !words.isEmpty()) words.last() += QLatin1Char(' ') + w;
    else words << w;
    depth = std::max(0, depth + int(w.count(QLatin1Char('('))) - int(w.count(QLatin1Char(')'))));
  }
  QStringList lines;
  QString line;
  for (const QString& word : words) {
    const QString candidate = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
    if (!line.isEmpty() && fm.horizontalAdvance(candidate) > width) {
      lines << line;
      line = word;
    } else {
      line = candidate;
    }
  }
  if (!line.isEmpty()) lines << line;
  return lines;
}

void paintArrow(QPainter& p, const QLineF& a, double s) {
  const double head = kArrowHead * s;
  QLineF shaft = a;
  shaft.setLength(std::max(0.0, a.length() - head * 0.8));
  p.setPen(QPen(kInk, 1.5 * s, Qt::SolidLine, Qt::FlatCap));
  p.drawLine(shaft);
  const QLineF back(a.p2(), a.p1());
  QLineF left = back, right = back;
  left.setAngle(back.angle() + 22);
  right.setAngle(back.angle() - 22);
  left.setLength(head);
  right.setLength(head);
  QPainterPath tip;
  tip.moveTo(a.p2());
  tip.lineTo(left.p2());
  tip.lineTo(right.p2());
  tip.closeSubpath();
  p.fillPath(tip, kInk);
}

void paintBox(QPainter& p, const DiagramBox& b, double s, const QFont& boldFont, const QFont& plainFont) {
  const bool bad = !b.error.isEmpty();
  p.setPen(Qt::NoPen);
  p.fillRect(b.rect, Qt::white);
  const QRectF title = b.titleRect();
  p.fillRect(title, b.color);

  // Title: the name bold and the class plain, centred together; without names the class bold.
  const QFontMetricsF bold(boldFont), plain(plainFont);
  const double width = titleWidth(b, bold, plain);
  double x = title.center().x() - width / 2;
  const double baseline = title.center().y() + (bold.ascent() - bold.descent()) / 2;
  p.setPen(Qt::white);
  p.setFont(boldFont);
  const QString first = b.name.isEmpty() ? b.className : b.name;
  p.drawText(QPointF(x, baseline), first);
  if (!b.name.isEmpty()) {
    x += bold.horizontalAdvance(first);
    p.setFont(plainFont);
    p.drawText(QPointF(x, baseline), classSuffix(b));
  }

  p.setFont(plainFont);
  for (int r = 0; r < b.rows.size(); ++r) {
    const QRectF row = b.rowRect(r);
    if (r > 0) {
      p.setPen(QPen(kRowRule, 1 * s));
      p.drawLine(row.topLeft(), row.topRight());
    }
    p.setPen(kInk);
    p.drawText(row, Qt::AlignCenter, b.rows[r]);
  }
  if (!b.errorLines.isEmpty() && !b.rows.isEmpty()) {
    const double y = b.errorLineRect(0).top() - b.errorPadding;
    p.setPen(QPen(kRowRule, 1 * s));
    p.drawLine(QPointF(b.rect.left(), y), QPointF(b.rect.right(), y));
  }
  p.setPen(kErrorText);
  for (int r = 0; r < b.errorLines.size(); ++r) p.drawText(b.errorLineRect(r), Qt::AlignCenter, b.errorLines[r]);

  p.setBrush(Qt::NoBrush);
  const double border = (bad ? 3 : 1.2) * s;
  p.setPen(QPen(bad ? kErrorBorder : kInk, border, Qt::SolidLine, Qt::SquareCap, Qt::MiterJoin));
  // Keep the stroke inside the box so neighbours and the picture's edge never cut it.
  p.drawRect(b.rect.adjusted(border / 2, border / 2, -border / 2, -border / 2));
}

bool fail(QString* error, const QString& message) {
  if (error) *error = message;
  return false;
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
  out.scale = std::clamp(o.dpi, 1, 4800) / 96.0;
  out.rankdir = o.rankdir;
  const bool lr = o.rankdir == RankDir::LeftToRight;
  const double s = out.scale;
  const QFontMetricsF bold(textFont(s, true)), plain(textFont(s, false));
  const ModelAnalysis a = analyze(spec);
  const double titleHeight = bold.height() + 2 * kPadY * s;
  const double rowHeight = plain.height() + 2 * kPadY * s;

  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec& l = spec.layers[i];
    const LayerInfo& info = a.layers[i];
    DiagramBox box;
    box.layer = int(i);
    box.kind = l.kind;
    box.className = QString::fromStdString(info.className);
    if (o.showLayerNames) box.name = QString::fromStdString(info.name);
    box.title = box.name.isEmpty() ? box.className : box.name + classSuffix(box);
    box.color = layerColor(l.kind);
    if (o.showActivations && hasActivation(l.kind))
      box.rows << QStringLiteral("Activation: %1").arg(QString::fromStdString(l.activation));
    if (o.showShapes) {
      // The first layer's input is the model's, even when the input shape itself is invalid.
      box.rows << QStringLiteral("Input shape: %1").arg(shapeText(i == 0 ? spec.inputShape : info.inputShape));
      box.rows << QStringLiteral("Output shape: %1").arg(shapeText(info.outputShape));
    }
    if (o.showParams)
      box.rows << QStringLiteral("Params: %1")
                      .arg(info.outputShape.empty() ? QStringLiteral("?") : QString::fromStdString(withThousands(info.params)));

    double width = titleWidth(box, bold, plain);
    for (const QString& r : box.rows) width = std::max(width, plain.horizontalAdvance(r));
    box.error = QString::fromStdString(info.error);
    if (!box.error.isEmpty()) {
      // Wrap at the box's width (at least kMaxErrorWidth), then as narrow as the same number of
      // lines allows, so the lines come out even instead of one word alone on the last.
      const double widest = std::max(width, kMaxErrorWidth * s);
      const qsizetype lines = wrapText(box.error, plain, widest).size();
      double lo = width / 2, hi = widest;
      while (hi - lo > 1) {
        const double mid = (lo + hi) / 2;
        (wrapText(box.error, plain, mid).size() <= lines ? hi : lo) = mid;
      }
      box.errorLines = wrapText(box.error, plain, std::max(hi, width));
      for (const QString& r : box.errorLines) width = std::max(width, plain.horizontalAdvance(r));
    }
    box.titleHeight = titleHeight;
    box.rowHeight = rowHeight;
    box.errorLineHeight = plain.lineSpacing();
    box.errorPadding = kPadY * s;
    const double errorHeight =
        box.errorLines.isEmpty() ? 0 : box.errorLines.size() * box.errorLineHeight + 2 * box.errorPadding;
    box.rect.setSize(QSizeF(std::ceil(std::max(kMinBoxWidth * s, width + 2 * kPadX * s)),
                            titleHeight + rowHeight * box.rows.size() + errorHeight));
    out.boxes.push_back(box);
  }

  // A problem of the whole model (not of one layer) goes above the boxes.
  double top = kMargin * s;
  double messageWidth = 0;
  if (a.errorLayer < 0 && !a.error.empty()) {
    out.message = QString::fromStdString(a.error);
    messageWidth = std::ceil(plain.horizontalAdvance(out.message));
    out.messageRect = QRectF(kMargin * s, top, messageWidth, plain.height());
    top += plain.height() + kPadY * 2 * s;
  }

  // Place the boxes on one axis: a column centred on the widest box (TB), or a row centred on
  // the tallest (LR).
  double across = 0;
  for (const DiagramBox& b : out.boxes) across = std::max(across, lr ? b.rect.height() : b.rect.width());
  double along = lr ? kMargin * s : top;
  for (DiagramBox& b : out.boxes) {
    if (lr) {
      b.rect.moveTopLeft(QPointF(along, top + (across - b.rect.height()) / 2));
      along += b.rect.width() + kGap * s;
    } else {
      b.rect.moveTopLeft(QPointF(kMargin * s + (across - b.rect.width()) / 2, along));
      along += b.rect.height() + kGap * s;
    }
  }
  if (!out.boxes.empty()) along -= kGap * s;
  along += kMargin * s;

  double width = 0, height = 0;
  if (lr) {
    width = along;
    height = top + across + kMargin * s;
  } else {
    width = across + 2 * kMargin * s;
    height = along;
  }
  width = std::max(width, messageWidth + 2 * kMargin * s);
  if (out.boxes.empty()) {
    width = std::max(width, kMinBoxWidth * s + 2 * kMargin * s);
    height = std::max(height, top + kMargin * s);
  }
  // A message wider than a TB column: centre the column under it.
  if (!lr && width > across + 2 * kMargin * s)
    for (DiagramBox& b : out.boxes) b.rect.moveLeft(b.rect.left() + (width - across - 2 * kMargin * s) / 2);
  out.size = QSizeF(std::ceil(width), std::ceil(height));

  for (size_t i = 0; i + 1 < out.boxes.size(); ++i) {
    const QRectF& from = out.boxes[i].rect;
    const QRectF& to = out.boxes[i + 1].rect;
    if (lr)
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

  if (!layout.message.isEmpty()) {
    p.setFont(plain);
    p.setPen(kErrorText);
    p.drawText(layout.messageRect, Qt::AlignLeft | Qt::AlignVCenter, layout.message);
  }
  for (const QLineF& a : layout.arrows) paintArrow(p, a, s);
  for (const DiagramBox& b : layout.boxes) paintBox(p, b, s, bold, plain);
  p.restore();
}

QImage renderDiagram(const ModelSpec& spec, const DiagramOptions& options) {
  const DiagramLayout layout = layoutDiagram(spec, options);
  QImage image(layout.size.toSize(), QImage::Format_RGB32);  // opaque: PNGs without alpha
  image.fill(Qt::white);
  const int dotsPerMeter = int(std::lround(std::max(1, options.dpi) / 0.0254));
  image.setDotsPerMeterX(dotsPerMeter);
  image.setDotsPerMeterY(dotsPerMeter);
  QPainter p(&image);
  paintDiagram(p, layout);
  p.end();
  return image;
}

bool saveDiagram(const ModelSpec& spec, const DiagramOptions& options, const QString& path, QString* error) {
  const QByteArray suffix = QFileInfo(path).suffix().toLower().toLatin1();
  const bool svg = suffix == "svg";
  if (!svg && (suffix.isEmpty() || !QImageWriter::supportedImageFormats().contains(suffix)))
    return fail(error, QStringLiteral("%1: unknown image format '%2' (use .png or .svg)")
                           .arg(path, QString::fromLatin1(suffix)));

  // Written through QSaveFile: a failed export leaves no half-written file behind.
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly))
    return fail(error, QStringLiteral("%1: cannot write: %2").arg(path, file.errorString()));
  if (svg) {
    const DiagramLayout layout = layoutDiagram(spec, options);
    QSvgGenerator generator;
    generator.setOutputDevice(&file);
    generator.setSize(layout.size.toSize());
    generator.setViewBox(QRectF(QPointF(0, 0), layout.size));
    generator.setResolution(std::max(1, options.dpi));
    generator.setTitle(QString::fromStdString(spec.name));
    generator.setDescription(QStringLiteral("DigitLab model diagram"));
    QPainter p;
    if (!p.begin(&generator)) return fail(error, QStringLiteral("%1: cannot write the SVG drawing").arg(path));
    paintDiagram(p, layout);
    p.end();
  } else if (!renderDiagram(spec, options).save(&file, suffix.constData())) {
    return fail(error, QStringLiteral("%1: cannot encode the %2 image").arg(path, QString::fromLatin1(suffix)));
  }
  if (!file.commit()) return fail(error, QStringLiteral("%1: cannot write: %2").arg(path, file.errorString()));
  return true;
}

}  // namespace dl
