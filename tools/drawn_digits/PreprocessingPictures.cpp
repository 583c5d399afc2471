// The pictures of docs/preprocessing.md: see PreprocessingPictures.h.

#include "PreprocessingPictures.h"

#include "CheckSet.h"
#include "HandDrawnStrokes.h"

#include "data/IdxReader.h"
#include "data/StrokeWeight.h"
#include "data/Strokes.h"

#include <QDir>
#include <QPainter>

#include <stdexcept>

namespace dl::drawn {
namespace {

constexpr int kCell = 168;    // a picture's cell, in pixels
constexpr int kCaption = 40;  // room for two lines of caption under it
constexpr int kPad = 8;

// A row of captioned pictures: each scaled into a kCell square (28x28 inputs without smoothing,
// so their pixels show), with a one- or two-line caption under it.
struct Tile {
  QImage image;
  QString caption;
};

QImage row(const std::vector<Tile>& tiles, const QString& title = {}) {
  const int titleHeight = title.isEmpty() ? 0 : 28;
  QImage out(int(tiles.size()) * (kCell + kPad) + kPad, titleHeight + kCell + kCaption + 2 * kPad,
             QImage::Format_RGB32);
  out.fill(QColor(250, 250, 250));
  QPainter p(&out);
  QFont f = p.font();
  f.setPixelSize(13);
  p.setFont(f);
  if (!title.isEmpty()) {
    QFont bold = f;
    bold.setBold(true);
    bold.setPixelSize(15);
    p.setFont(bold);
    p.drawText(QRect(kPad, 4, out.width() - 2 * kPad, titleHeight), Qt::AlignLeft | Qt::AlignVCenter, title);
    p.setFont(f);
  }
  for (size_t i = 0; i < tiles.size(); ++i) {
    const QRect cell(kPad + int(i) * (kCell + kPad), titleHeight + kPad, kCell, kCell);
    const QImage& img = tiles[i].image;
    const bool small = img.width() <= 40 && img.height() <= 40;
    p.setRenderHint(QPainter::SmoothPixmapTransform, !small);
    const QSize fit = img.size().scaled(cell.size(), Qt::KeepAspectRatio);
    p.fillRect(cell, QColor(220, 220, 220));
    p.drawImage(QRect(cell.topLeft() + QPoint((kCell - fit.width()) / 2, (kCell - fit.height()) / 2), fit), img);
    p.setPen(QColor(40, 40, 40));
    p.drawText(QRect(cell.left(), cell.bottom() + 4, kCell, kCaption),
               Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, tiles[i].caption);
  }
  return out;
}

QImage stack(const std::vector<QImage>& rows) {
  int w = 0, h = 0;
  for (const QImage& r : rows) w = std::max(w, r.width()), h += r.height();
  QImage out(w, h, QImage::Format_RGB32);
  out.fill(QColor(250, 250, 250));
  QPainter p(&out);
  int y = 0;
  for (const QImage& r : rows) p.drawImage(0, y, r), y += r.height();
  return out;
}

void save(const QImage& img, const QString& dir, const char* name) {
  const QString path = QDir(dir).filePath(QLatin1String(name));
  if (!img.save(path)) throw std::runtime_error(path.toStdString() + ": cannot write the picture");
}

double widthOf(const DigitInput& d) { return strokeWidth(d.pixels.data(), DigitInput::kSide, DigitInput::kSide); }

QString widthCaption(const char* what, const DigitInput& d) {
  return QStringLiteral("%1\nstroke width %2").arg(QLatin1String(what)).arg(widthOf(d), 0, 'f', 2);
}

// The canvas as the person sees it: their strokes with the canvas's pen (1/14 of its side).
QImage canvasPicture(const Strokes& strokes, int side = 280) { return paintStrokes(strokes, side, side, side / 14.0); }

// The stroke path step by step, for strokes drawn at some size on the canvas.
QImage strokeSteps(const Strokes& onCanvas, const QString& title) {
  const QRectF b = strokesBounds(onCanvas);
  // The bounding box of the points, on the canvas.
  QImage boxed = canvasPicture(onCanvas);
  {
    QPainter p(&boxed);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(220, 40, 40), 2, Qt::DashLine));
    p.drawRect(QRectF(b.topLeft() * 280, b.size() * 280));
  }
  // Scaled so that box + pen fits 20 pixels, drawn at 8x with the MNIST pen.
  const double pen = MnistStrokeWidth::kPen;
  const double k = (DigitInput::kBox - pen) / std::max(b.width(), b.height()) * 8;
  Strokes moved;
  for (const QPolygonF& s : onCanvas) {
    QPolygonF q;
    for (QPointF pt : s) q << (pt - b.topLeft()) * k + QPointF(pen * 4 + 2, pen * 4 + 2);
    moved << q;
  }
  QImage big = paintStrokes(moved, int(std::ceil(std::max(b.width(), b.height()) * k + pen * 8)) + 4, 1.0, pen * 8);
  big.invertPixels();
  const DigitInput input = renderStrokes(onCanvas);
  QImage centred = input.image.convertToFormat(QImage::Format_RGB32).scaled(kCell, kCell);
  {
    QPainter p(&centred);
    p.setPen(QPen(QColor(230, 60, 60), 1));
    const double s = kCell / 28.0;
    p.drawLine(QPointF(14 * s, 10 * s), QPointF(14 * s, 18 * s));
    p.drawLine(QPointF(10 * s, 14 * s), QPointF(18 * s, 14 * s));
  }
  return row({{canvasPicture(onCanvas), QStringLiteral("1. on the canvas\n(the person's pen)")},
              {boxed, QStringLiteral("2. the points'\nbounding box")},
              {big, QStringLiteral("3. drawn 8x, MNIST pen\n(%1 px of 28), fits 20").arg(pen)},
              {centred, QStringLiteral("4. area-averaged; centre\nof mass at the + (14, 14)")},
              {input.image, widthCaption("what the network sees", input)}},
             title);
}

}  // namespace

void writePreprocessingPictures(const QString& dir) {
  if (!QDir().mkpath(dir)) throw std::runtime_error(dir.toStdString() + ": cannot create the folder");
  const Strokes four = test::handDrawnFour();
  const Strokes eight = test::handDrawnEight();
  const Strokes smallFour = test::placed(four, 0.22, {0.7, 0.06});
  const Strokes largeFour = test::placed(four, 0.9, {0.05, 0.04});

  // 1. The stroke path, small and large.
  save(stack({strokeSteps(smallFour, QStringLiteral("A small 4 in a corner of the canvas")),
              strokeSteps(largeFour, QStringLiteral("The same 4 drawn across the canvas"))}),
       dir, "preprocessing-strokes.png");

  // 2. Before and after: the canvas's picture as it was read before (pen fixed at 1/14 of the
  //    canvas), and the strokes now.
  std::vector<QImage> rows;
  for (const auto& [name, strokes] : {std::pair{"small 4", smallFour}, std::pair{"large 4", largeFour},
                                      std::pair{"small 8", test::placed(eight, 0.22, {0.1, 0.7})},
                                      std::pair{"large 8", test::placed(eight, 0.9, {0.05, 0.05})}}) {
    const QImage picture = canvasPicture(strokes);
    const DigitInput before = preprocessDigit(picture, InkPolarity::DarkOnLight, StrokeNormalisation::Keep);
    const DigitInput after = renderStrokes(strokes);
    rows.push_back(row({{picture, QStringLiteral("%1 on the canvas").arg(QLatin1String(name))},
                        {before.image, widthCaption("before: from the picture", before)},
                        {after.image, widthCaption("now: from the strokes", after)}}));
  }
  save(stack(rows), dir, "preprocessing-before-after.png");

  // 3. The raster path: pictures with a thin and a heavy pen, normalised from their pixels.
  rows.clear();
  for (const auto& [name, strokes, pen] :
       {std::tuple{"large 8, hairline pen", test::placed(eight, 0.9, {0.05, 0.05}), 2.0},
        std::tuple{"large 4, heavy pen", largeFour, 50.0}, std::tuple{"small 4, heavy pen", smallFour, 14.0}}) {
    const QImage picture = paintStrokes(strokes, 280, 280, pen);
    const DigitInput kept = preprocessDigit(picture, InkPolarity::DarkOnLight, StrokeNormalisation::Keep);
    const DigitInput normalised = preprocessDigit(picture, InkPolarity::DarkOnLight, StrokeNormalisation::ToMnist);
    rows.push_back(row({{picture, QString::fromUtf8(name)},
                        {kept.image, widthCaption("fitted only", kept)},
                        {normalised.image, widthCaption("width normalised", normalised)},
                        {renderStrokes(strokes).image, widthCaption("its strokes", renderStrokes(strokes))}}));
  }
  save(stack(rows), dir, "preprocessing-pictures.png");

  // 4. MNIST's own digits for comparison, with their stroke widths.
  const DatasetPair mnist = loadEmbeddedMnist();
  std::vector<Tile> tiles;
  for (int i = 0; i < 6; ++i) {
    DigitInput d;
    std::copy_n(mnist.test.image(i), DigitInput::kPixels, d.pixels.begin());
    d.image = digitImage(d.pixels.data());
    tiles.push_back({d.image, widthCaption("MNIST", d)});
  }
  save(row(tiles, QStringLiteral("Embedded MNIST test digits: stroke widths p10 %1, median %2, p90 %3")
                      .arg(MnistStrokeWidth::kP10)
                      .arg(MnistStrokeWidth::kMedian)
                      .arg(MnistStrokeWidth::kP90)),
       dir, "preprocessing-mnist.png");

  // 5. The drawn-digits check set (report part, first 200).
  std::vector<DrawnDigit> digits = makeDigits(Part::Report, kReportSeed, 20, InputPath::Canvas);
  save(contactSheet(digits, 20, 2), dir, "drawn-check-set.png");
}

}  // namespace dl::drawn
