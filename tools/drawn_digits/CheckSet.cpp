// The drawn-digits check set: see CheckSet.h.

#include "CheckSet.h"

#include "data/Strokes.h"

#include <QDir>
#include <QFile>
#include <QPainter>

#include <zlib.h>

#include <stdexcept>

namespace dl::drawn {

DigitInput inputOf(const Drawing& d, InputPath path) {
  if (path == InputPath::Canvas) return renderStrokes(d.strokes);
  const double pen = path == InputPath::OldCanvas ? d.canvasSide / 14.0 : d.penWidth;
  const QImage picture = paintStrokes(d.strokes, d.canvasSide, d.canvasSide, pen);
  return preprocessDigit(picture, InkPolarity::DarkOnLight,
                         path == InputPath::RasterToMnist ? StrokeNormalisation::ToMnist : StrokeNormalisation::Keep);
}

std::vector<DrawnDigit> makeDigits(Part part, uint64_t seed, int perClass, InputPath path) {
  Random random(seed);
  const HandRanges ranges = part == Part::Report ? reportHands() : tuneHands();
  std::vector<DrawnDigit> out;
  for (int i = 0; i < perClass; ++i)
    for (int digit = 0; digit < 10; ++digit) {
      const std::vector<const DigitStyle*> styles = stylesOf(digit, part);
      const DigitStyle& style = *styles[size_t(random.below(int(styles.size())))];
      DrawnDigit d;
      d.label = digit;
      d.style = style.name;
      d.drawing = drawLikeAHand(style, ranges, random);
      d.input = inputOf(d.drawing, path);
      out.push_back(std::move(d));
    }
  return out;
}

namespace {

QByteArray gzip(const QByteArray& data) {
  z_stream z{};
  // windowBits 15 + 16: a gzip wrapper with zlib's default header (no name, time stamp 0).
  if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("zlib: cannot start compressing");
  QByteArray out(static_cast<qsizetype>(deflateBound(&z, uLong(data.size()))) + 64, Qt::Uninitialized);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = uInt(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(out.size());
  const int rc = deflate(&z, Z_FINISH);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("zlib: cannot compress");
  out.resize(qsizetype(z.total_out));
  return out;
}

void putBigEndian(QByteArray& b, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) b.append(char((v >> shift) & 0xff));
}

void writeFile(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
    throw std::runtime_error(path.toStdString() + ": cannot write (" + f.errorString().toStdString() + ")");
}

}  // namespace

void writeMnistFolder(const std::vector<DrawnDigit>& digits, const QString& dir) {
  if (!QDir().mkpath(dir)) throw std::runtime_error(dir.toStdString() + ": cannot create the folder");
  QByteArray images, labels;
  images.append("\0\0\x08\x03", 4);
  putBigEndian(images, uint32_t(digits.size()));
  putBigEndian(images, DigitInput::kSide);
  putBigEndian(images, DigitInput::kSide);
  labels.append("\0\0\x08\x01", 4);
  putBigEndian(labels, uint32_t(digits.size()));
  for (const DrawnDigit& d : digits) {
    for (float v : d.input.pixels) images.append(char(std::lround(std::clamp(v, 0.f, 1.f) * 255.f)));
    labels.append(char(d.label));
  }
  const QByteArray gzImages = gzip(images), gzLabels = gzip(labels);
  for (const char* prefix : {"t10k", "train"}) {
    writeFile(QDir(dir).filePath(QStringLiteral("%1-images-idx3-ubyte.gz").arg(QLatin1String(prefix))), gzImages);
    writeFile(QDir(dir).filePath(QStringLiteral("%1-labels-idx1-ubyte.gz").arg(QLatin1String(prefix))), gzLabels);
  }
}

QImage contactSheet(const std::vector<DrawnDigit>& digits, int columns, int zoom) {
  const int cell = DigitInput::kSide * zoom + 2;
  const int rows = (int(digits.size()) + columns - 1) / columns;
  QImage sheet(columns * cell, std::max(rows, 1) * cell, QImage::Format_RGB32);
  sheet.fill(QColor(90, 90, 90));
  QPainter p(&sheet);
  for (size_t i = 0; i < digits.size(); ++i) {
    const QRect r(int(i % columns) * cell + 1, int(i / columns) * cell + 1, cell - 2, cell - 2);
    p.drawImage(r, digits[i].input.image);
  }
  return sheet;
}

}  // namespace dl::drawn
