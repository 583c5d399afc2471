// plot_model-style diagram: layout as data, then painting (see ModelDiagram.h).

#include "diagram/ModelDiagram.h"

#include "nn/LayerRegistry.h"

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

// Sizes in units: CSS pixels, i.e. pixels at 96 dpi. The picture multiplies them by dpi / 96.
constexpr double kFontPx = 13;  // text
constexpr double kPadX = 12;    // left and right of the text in a cell
constexpr double kPadY = 6;     // above and below the text in a cell
constexpr double kGap = 36;     // between boxes, where the arrow goes
constexpr double kMargin = 16;  // around the picture
constexpr double kMinBoxWidth = 150;
constexpr double kMaxErrorWidth = 300;  // error text wraps at this width (or the box's)
constexpr double kArrowHead = 9;        // length of the arrow head
constexpr double kArrowWidth = 1.5;     // the arrow's shaft
constexpr double kBorder = 1.25;        // the box's outline
constexpr double kErrorBorder = 3;      // the outline of a layer that cannot be built
constexpr double kRule = 1;             // the lines between cells

const QColor kInk(0x21, 0x21, 0x21);
const QColor kRuleColor(0x9e, 0x9e, 0x9e);
const QColor kHeaderFill(0xee, 0xee, 0xee);
const QColor kErrorText(0xc6, 0x28, 0x28);
const QColor kErrorOutline(0xd3, 0x2f, 0x2f);

// The two fonts, at their unit size; painting scales them with the painter.
struct Fonts {
  QFont plain = font(false);
  QFont bold = font(true);
  QFontMetricsF plainMetrics{plain};
  QFontMetricsF boldMetrics{bold};

  static QFont font(bool bold) {
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setStyleHint(QFont::SansSerif);
    f.setPixelSize(int(kFontPx));
    f.setBold(bold);
    return f;
  }
};

// A piece of one line of text, plain or bold.
struct Run {
  QString text;
  bool bold = false;
};
using Runs = std::vector<Run>;

double width(const Fonts& f, const Runs& runs) {
  double w = 0;
  for (const Run& r : runs) w += (r.bold ? f.boldMetrics : f.plainMetrics).horizontalAdvance(r.text);
  return w;
}

Runs titleRuns(const DiagramBox& b) {
  if (b.name.isEmpty()) return {{b.className, true}};
  return {{b.name, true}, {QStringLiteral(": ") + b.className, false}};
}

Runs rowRuns(const DiagramRow& r) { return {{r.label + QStringLiteral(": "), false}, {r.value, true}}; }

// Kinds with an activation argument show it in a row of their own (show_layer_activations).
bool hasActivation(LayerKind k) { return layerKindInfo(k).arg("activation") != nullptr; }

QString shapeText(const Shape& s) { return s.empty() ? QStringLiteral("?") : QString::fromStdString(shapeToString(s)); }

// Greedy word wrap; a shape such as "(None, 13, 13, 8)" stays on one line, and a word longer
// than the width keeps a line of its own.
QStringList wrapText(const QString& text, const QFontMetricsF& fm, double width) {
  QStringList words;
  int depth = 0;
  for (const QString& w : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
    if (depth > 0 && !words.isEmpty())
      words.last() += QLatin1Char(' ') + w;
    else
      words << w;
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

// A rectangle in units to whole pixels: each edge is rounded where it lies, so neighbouring cells
// share their edges exactly and no rounding error adds up along the diagram.
QRectF toPixels(const QRectF& r, double s) {
  return QRectF(QPointF(std::round(r.left() * s), std::round(r.top() * s)),
                QPointF(std::round(r.right() * s), std::round(r.bottom() * s)));
}

// A line width in whole pixels, at least one.
double pixelWidth(double units, double s) { return std::max(1.0, std::round(units * s)); }

// The runs on one line, centred (or left-aligned) in a pixel rectangle, drawn with the unit fonts
// scaled by s: the glyphs are rasterised at the scaled size, and their advances are the ones the
// layout measured.
void drawRuns(QPainter& p, const Fonts& f, double s, const QRectF& rect, const Runs& runs, const QColor& color,
              bool centred = true) {
  p.save();
  p.translate(rect.topLeft());
  p.scale(s, s);
  const QSizeF unit = rect.size() / s;
  double x = centred ? (unit.width() - width(f, runs)) / 2 : 0;
  const double baseline = unit.height() / 2 + (f.plainMetrics.ascent() - f.plainMetrics.descent()) / 2;
  p.setPen(color);
  for (const Run& r : runs) {
    p.setFont(r.bold ? f.bold : f.plain);
    p.drawText(QPointF(x, baseline), r.text);
    x += (r.bold ? f.boldMetrics : f.plainMetrics).horizontalAdvance(r.text);
  }
  p.restore();
}

void paintArrow(QPainter& p, const QLineF& a, double s) {
  const double head = kArrowHead * s;
  QLineF shaft = a;
  shaft.setLength(std::max(0.0, a.length() - head * 0.8));
  p.setPen(QPen(kInk, pixelWidth(kArrowWidth, s), Qt::SolidLine, Qt::FlatCap));
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

// A frame of the given width just inside a rectangle, as four filled bands: crisp at any width.
void frame(QPainter& p, const QRectF& r, double w, const QColor& c) {
  p.fillRect(QRectF(r.left(), r.top(), r.width(), w), c);
  p.fillRect(QRectF(r.left(), r.bottom() - w, r.width(), w), c);
  p.fillRect(QRectF(r.left(), r.top(), w, r.height()), c);
  p.fillRect(QRectF(r.right() - w, r.top(), w, r.height()), c);
}

void paintBox(QPainter& p, const DiagramBox& b, double s, const Fonts& f) {
  p.fillRect(b.rect, Qt::white);
  p.fillRect(b.titleRect, b.color);
  for (const DiagramShapeColumn& c : b.shapes) p.fillRect(c.headerRect, kHeaderFill);

  drawRuns(p, f, s, b.titleRect, titleRuns(b), Qt::white);
  for (const DiagramRow& r : b.rows) drawRuns(p, f, s, r.rect, rowRuns(r), kInk);
  for (const DiagramShapeColumn& c : b.shapes) {
    drawRuns(p, f, s, c.headerRect, {{c.header, false}}, kInk);
    drawRuns(p, f, s, c.valueRect, {{c.value, true}}, kInk);
  }
  for (qsizetype i = 0; i < b.errorLines.size(); ++i)
    drawRuns(p, f, s, b.errorLineRects[size_t(i)], {{b.errorLines[i], false}}, kErrorText);

  // The cells' borders: a rule along the top of every cell below the title, and between the two
  // columns of the shapes table (the box's outline is drawn last, over the ends).
  const double rule = pixelWidth(kRule, s);
  auto topRule = [&](const QRectF& r) { p.fillRect(QRectF(r.left(), r.top(), r.width(), rule), kRuleColor); };
  for (const DiagramRow& r : b.rows) topRule(r.rect);
  if (b.shapes.size() == 2) {
    topRule(b.shapes[0].headerRect.united(b.shapes[1].headerRect));
    topRule(b.shapes[0].valueRect.united(b.shapes[1].valueRect));
    const QRectF& right = b.shapes[1].headerRect;
    p.fillRect(
        QRectF(right.left() - std::floor(rule / 2), right.top(), rule, b.shapes[1].valueRect.bottom() - right.top()),
        kRuleColor);
  }
  if (!b.errorLineRects.empty() && (!b.rows.empty() || !b.shapes.empty())) {
    const double y = std::max(b.rows.empty() ? 0.0 : b.rows.back().rect.bottom(),
                              b.shapes.empty() ? 0.0 : b.shapes.back().valueRect.bottom());
    p.fillRect(QRectF(b.rect.left(), y, b.rect.width(), rule), kRuleColor);
  }

  const bool bad = !b.error.isEmpty();
  frame(p, b.rect, pixelWidth(bad ? kErrorBorder : kBorder, s), bad ? kErrorOutline : kInk);
}

bool fail(QString* error, const QString& message) {
  if (error) *error = message;
  return false;
}

}  // namespace

const DiagramRow* DiagramBox::row(const QString& label) const {
  for (const DiagramRow& r : rows)
    if (r.label == label) return &r;
  return nullptr;
}

QString inputShapeHeader() { return QStringLiteral("Input shape"); }
QString outputShapeHeader() { return QStringLiteral("Output shape"); }

QColor layerColor(LayerKind kind) { return QColor::fromRgb(QRgb(layerKindInfo(kind).color)); }

namespace {

// Heights in units, from the fonts. Whole units: the 96-dpi picture is exactly the unit layout,
// and every other dpi its multiple.
struct Heights {
  double text = 0, title = 0, row = 0, errorLine = 0;
  explicit Heights(const Fonts& f)
      : text(std::ceil(std::max(f.plainMetrics.height(), f.boldMetrics.height()))),
        title(text + 2 * kPadY),
        row(text + 2 * kPadY),
        errorLine(std::ceil(f.plainMetrics.lineSpacing())) {}
};

// A box's size in units, and how many of its rows sit above the shapes table.
struct Extent {
  double width = 0, height = 0;
  int rowsAboveTable = 0;
};

// Step 1: what a box says (title, activation, shapes, params, error), without any geometry.
DiagramBox boxContent(const ModelSpec& spec, size_t i, const LayerInfo& info, const DiagramOptions& o,
                      int* rowsAboveTable) {
  const LayerSpec& l = spec.layers[i];
  DiagramBox box;
  box.layer = int(i);
  box.kind = l.kind;
  box.className = QString::fromStdString(info.className);
  if (o.showLayerNames) box.name = QString::fromStdString(info.name);
  box.title = box.name.isEmpty() ? box.className : box.name + QStringLiteral(": ") + box.className;
  box.color = layerColor(l.kind);
  *rowsAboveTable = 0;
  if (o.showActivations && hasActivation(l.kind)) {
    box.rows.push_back({QStringLiteral("Activation"), QString::fromStdString(l.activation), {}});
    *rowsAboveTable = 1;
  }
  if (o.showShapes) {
    // The first layer's input is the model's, even when the input shape itself is invalid.
    box.shapes.push_back({inputShapeHeader(), shapeText(i == 0 ? spec.inputShape : info.inputShape), {}, {}});
    box.shapes.push_back({outputShapeHeader(), shapeText(info.outputShape), {}, {}});
  }
  if (o.showParams)
    box.rows.push_back(
        {QStringLiteral("Params"),
         info.outputShape.empty() ? QStringLiteral("?") : QString::fromStdString(withThousands(info.params)),
         {}});
  box.error = QString::fromStdString(info.error);
  return box;
}

// Step 2: the box's size in units; wraps its error text (into box.errorLines) on the way.
Extent measureBox(DiagramBox& box, int rowsAboveTable, const Fonts& f, const Heights& h) {
  double w = width(f, titleRuns(box));
  for (const DiagramRow& r : box.rows) w = std::max(w, width(f, rowRuns(r)));
  double column = 0;  // the two columns are equally wide: the table stays square under the title
  for (const DiagramShapeColumn& c : box.shapes)
    column = std::max({column, f.plainMetrics.horizontalAdvance(c.header), f.boldMetrics.horizontalAdvance(c.value)});
  w = std::max(w + 2 * kPadX, box.shapes.empty() ? 0.0 : 2 * (column + 2 * kPadX));

  if (!box.error.isEmpty()) {
    // Wrap at the box's width (at least kMaxErrorWidth), then as narrow as the same number of
    // lines allows, so the lines come out even instead of one word alone on the last.
    const double text = w - 2 * kPadX;
    const double widest = std::max(text, kMaxErrorWidth);
    const qsizetype lines = wrapText(box.error, f.plainMetrics, widest).size();
    double lo = text / 2, hi = widest;
    while (hi - lo > 1) {
      const double mid = (lo + hi) / 2;
      (wrapText(box.error, f.plainMetrics, mid).size() <= lines ? hi : lo) = mid;
    }
    box.errorLines = wrapText(box.error, f.plainMetrics, std::max(hi, text));
    for (const QString& line : box.errorLines) w = std::max(w, f.plainMetrics.horizontalAdvance(line) + 2 * kPadX);
  }
  Extent e;
  e.rowsAboveTable = rowsAboveTable;
  e.width = std::ceil(std::max(kMinBoxWidth, w));
  e.height = h.title + h.row * double(box.rows.size() + box.shapes.size()) +
             (box.errorLines.isEmpty() ? 0 : double(box.errorLines.size()) * h.errorLine + 2 * kPadY);
  return e;
}

// Step 4's result: each box's top-left corner in units, the picture's size and the arrows' axis.
struct Placement {
  std::vector<QPointF> corners;
  double width = 0, height = 0, axis = 0;
};

// Step 4: the boxes on one axis: a column centred on the widest box (TB), or a row centred on
// the tallest (LR); a message wider than a TB column centres the column under it.
Placement placeBoxes(const std::vector<Extent>& extents, bool lr, double top, double messageWidth) {
  Placement p;
  double across = 0;
  for (const Extent& e : extents) across = std::max(across, lr ? e.height : e.width);
  double along = lr ? kMargin : top;
  for (const Extent& e : extents) {
    p.corners.emplace_back(lr ? QPointF(along, top + (across - e.height) / 2)
                              : QPointF(kMargin + (across - e.width) / 2, along));
    along += (lr ? e.width : e.height) + kGap;
  }
  if (!extents.empty()) along -= kGap;
  along += kMargin;
  p.width = std::max(lr ? along : across + 2 * kMargin, messageWidth + 2 * kMargin);
  p.height = lr ? top + across + kMargin : along;
  if (extents.empty()) {
    p.width = std::max(p.width, kMinBoxWidth + 2 * kMargin);
    p.height = std::max(p.height, top + kMargin);
  }
  const double shift = lr ? 0 : (p.width - across - 2 * kMargin) / 2;
  for (QPointF& c : p.corners) c.rx() += shift;
  p.axis = lr ? top + across / 2 : kMargin + shift + across / 2;
  return p;
}

// Step 5: every cell of a box at its place, in units, then in whole pixels.
void placeCells(DiagramBox& b, const Extent& e, QPointF corner, const Heights& h, double s) {
  const double x = corner.x(), right = x + e.width;
  double y = corner.y();
  auto band = [&](double height) {
    const QRectF r(QPointF(x, y), QPointF(right, y + height));
    y += height;
    return toPixels(r, s);
  };
  b.rect = toPixels(QRectF(x, y, e.width, e.height), s);
  b.titleRect = band(h.title);
  for (int r = 0; r < e.rowsAboveTable; ++r) b.rows[size_t(r)].rect = band(h.row);
  if (!b.shapes.empty()) {
    const double middle = x + e.width / 2;
    for (int row = 0; row < 2; ++row) {
      const QRectF left = toPixels(QRectF(QPointF(x, y), QPointF(middle, y + h.row)), s);
      const QRectF rightCell = toPixels(QRectF(QPointF(middle, y), QPointF(right, y + h.row)), s);
      (row == 0 ? b.shapes[0].headerRect : b.shapes[0].valueRect) = left;
      (row == 0 ? b.shapes[1].headerRect : b.shapes[1].valueRect) = rightCell;
      y += h.row;
    }
  }
  for (size_t r = size_t(e.rowsAboveTable); r < b.rows.size(); ++r) b.rows[r].rect = band(h.row);
  if (!b.errorLines.isEmpty()) {
    y += kPadY;
    for (qsizetype l = 0; l < b.errorLines.size(); ++l) b.errorLineRects.push_back(band(h.errorLine));
  }
}

// Step 6: arrows along the axis, from one box's edge to the next one's. A shaft of odd width lies
// on a pixel's centre, one of even width between two pixels: either way it stays sharp.
void addArrows(DiagramLayout& out, double axis, bool lr, double s) {
  const double shaft = pixelWidth(kArrowWidth, s);
  const double line = int(shaft) % 2 ? std::floor(axis * s) + 0.5 : std::round(axis * s);
  for (size_t i = 0; i + 1 < out.boxes.size(); ++i) {
    const QRectF& from = out.boxes[i].rect;
    const QRectF& to = out.boxes[i + 1].rect;
    if (lr)
      out.arrows.emplace_back(QPointF(from.right(), line), QPointF(to.left(), line));
    else
      out.arrows.emplace_back(QPointF(line, from.bottom()), QPointF(line, to.top()));
  }
}

}  // namespace

DiagramLayout layoutDiagram(const ModelSpec& spec, const DiagramOptions& o) {
  DiagramLayout out;
  const double s = out.scale = std::clamp(o.dpi, 1, 4800) / 96.0;
  out.rankdir = o.rankdir;
  const bool lr = o.rankdir == RankDir::LeftToRight;
  const Fonts f;
  const Heights h(f);
  const ModelAnalysis a = analyze(spec);

  // 1-2. What each box says, and its size in units.
  std::vector<Extent> extents;
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    int rowsAboveTable = 0;
    out.boxes.push_back(boxContent(spec, i, a.layers[i], o, &rowsAboveTable));
    extents.push_back(measureBox(out.boxes.back(), rowsAboveTable, f, h));
  }

  // 3. A problem of the whole model (not of one layer) goes above the boxes.
  double top = kMargin;
  double messageWidth = 0;
  QRectF messageUnits;
  if (a.errorLayer < 0 && !a.error.empty()) {
    out.message = QString::fromStdString(a.error);
    messageWidth = std::ceil(f.plainMetrics.horizontalAdvance(out.message));
    messageUnits = QRectF(kMargin, top, messageWidth, h.text);
    top += h.text + 2 * kPadY;
  }

  // 4-5. The boxes on their axis, then every cell in whole pixels.
  const Placement place = placeBoxes(extents, lr, top, messageWidth);
  for (size_t i = 0; i < out.boxes.size(); ++i) placeCells(out.boxes[i], extents[i], place.corners[i], h, s);
  if (!out.message.isEmpty()) out.messageRect = toPixels(messageUnits, s);
  out.size = QSizeF(std::round(place.width * s), std::round(place.height * s));

  // 6. Arrows.
  addArrows(out, place.axis, lr, s);
  return out;
}

void paintDiagram(QPainter& p, const DiagramLayout& layout) {
  const double s = layout.scale;
  const Fonts f;
  p.save();
  p.setRenderHint(QPainter::Antialiasing);
  p.setRenderHint(QPainter::TextAntialiasing);
  p.fillRect(QRectF(QPointF(0, 0), layout.size), Qt::white);
  if (!layout.message.isEmpty()) drawRuns(p, f, s, layout.messageRect, {{layout.message, false}}, kErrorText, false);
  for (const QLineF& a : layout.arrows) paintArrow(p, a, s);
  for (const DiagramBox& b : layout.boxes) paintBox(p, b, s, f);
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
    return fail(
        error,
        QStringLiteral("%1: unknown image format '%2' (use .png or .svg)").arg(path, QString::fromLatin1(suffix)));

  // Written through QSaveFile: a failed export leaves no half-written file behind.
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly))
    return fail(error, QStringLiteral("%1: cannot write: %2").arg(path, file.errorString()));
  if (svg) {
    DiagramOptions vector = options;
    vector.dpi = 96;  // SVG units are CSS pixels; a viewer scales the drawing, not the layout
    const DiagramLayout layout = layoutDiagram(spec, vector);
    QSvgGenerator generator;
    generator.setOutputDevice(&file);
    generator.setSize(layout.size.toSize());
    generator.setViewBox(QRectF(QPointF(0, 0), layout.size));
    generator.setResolution(96);
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
