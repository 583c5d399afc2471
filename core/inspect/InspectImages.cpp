// Feature-map grids, kernel grids and saliency overlays (see InspectImages.h).

#include "inspect/InspectImages.h"

#include <algorithm>
#include <cmath>

namespace dl {

namespace {

constexpr QRgb kBackground = 0xff808080;  // between cells: mid grey, neither end of either map

QRgb mix(QRgb a, QRgb b, float t) {
  auto ch = [t](int x, int y) { return int(std::lround(x + (y - x) * t)); };
  return qRgb(ch(qRed(a), qRed(b)), ch(qGreen(a), qGreen(b)), ch(qBlue(a), qBlue(b)));
}

// Sequential: black, dark red, orange, yellow (a "hot" ramp, dark = nothing, as CNN Explainer).
constexpr QRgb kSequential[] = {0xff000000, 0xff6b1500, 0xffe0640a, 0xffffe633};
// Diverging (ColorBrewer RdBu ends): blue < 0, white = 0, red > 0.
constexpr QRgb kNegative = 0xff2166ac;
constexpr QRgb kPositive = 0xffb2182b;
// Full ink in a saliency overlay.
constexpr QRgb kFadedInk = 0xff8c8c8c;

// A picture of the given cells, every pixel the background.
QImage gridImage(const GridLayout& g) {
  const int rows = g.cells ? (g.cells + g.columns - 1) / g.columns : 0;
  const int cols = std::min(g.cells, g.columns);
  const int w = std::max(1, cols * g.cellWidth + std::max(0, cols - 1) * g.gap);
  const int h = std::max(1, rows * g.cellHeight + std::max(0, rows - 1) * g.gap);
  QImage img(w, h, QImage::Format_RGB32);
  img.fill(kBackground);
  return img;
}

// Fills cell i of img with a plane of ph x pw values (stride between values `step`), coloured by
// colour(value), each value a scale x scale block.
template <class Colour>
void paintPlane(QImage& img, const GridLayout& g, int i, const float* v, int ph, int pw, int step, int scale,
                Colour colour) {
  const QRect r = g.cellRect(i);
  for (int y = 0; y < ph; ++y)
    for (int x = 0; x < pw; ++x) {
      const QRgb c = colour(v[(size_t(y) * pw + x) * step]);
      for (int dy = 0; dy < scale; ++dy) {
        QRgb* line = reinterpret_cast<QRgb*>(img.scanLine(r.top() + y * scale + dy)) + r.left() + x * scale;
        std::fill(line, line + scale, c);
      }
    }
}

// How strongly v shows in a saliency map (0..1) and in which colour.
struct Tint {
  QRgb colour;
  float strength;
};

Tint saliencyTint(const SaliencyMap& map, float v, float scaleBy) {
  if (!(scaleBy > 0)) return {kPositive, 0.0f};
  if (map.method == SaliencyMethod::GradCam) {
    const float t = std::clamp(v / scaleBy, 0.0f, 1.0f);
    // The ramp read backwards from yellow to red-brown (YlOrRd-like): on white paper the strongest
    // place is the darkest and weak places fade out as pale yellow; its black end is never used.
    return {sequentialColor(1.0f - 0.6f * t), t};
  }
  // Signed maps are spiky (a few pixels carry most of the gradient): the strength grows with the
  // square root of |v| / max, so the weaker half of the pixels still shows.
  const float t = std::clamp(v / scaleBy, -1.0f, 1.0f);
  return {t < 0 ? kNegative : kPositive, std::sqrt(std::abs(t))};
}

float saliencyScale(const SaliencyMap& map) {
  float m = 0;
  for (float v : map.values) m = std::max(m, std::isfinite(v) ? std::abs(v) : 0.0f);
  return m;
}

}  // namespace

int squareColumns(int cells) { return std::max(1, int(std::ceil(std::sqrt(double(cells))))); }

QRect GridLayout::cellRect(int i) const {
  const int c = std::max(1, columns);
  return QRect((i % c) * (cellWidth + gap), (i / c) * (cellHeight + gap), cellWidth, cellHeight);
}

QRgb sequentialColor(float t) {
  if (!(t > 0)) return kSequential[0];
  if (t >= 1) return kSequential[3];
  const float s = t * 3;
  const int k = std::min(2, int(s));
  return mix(kSequential[k], kSequential[k + 1], s - float(k));
}

QRgb divergingColor(float v) {
  if (!(v == v)) return 0xffffffff;
  v = std::clamp(v, -1.0f, 1.0f);
  return v < 0 ? mix(0xffffffff, kNegative, -v) : mix(0xffffffff, kPositive, v);
}

QImage activationImage(const LayerOutput& output, int scale, int columns, int gap, GridLayout* layout) {
  scale = std::max(1, scale);
  gap = std::max(0, gap);
  const Shape& s = output.shape;
  const bool maps = s.size() == 3 || s.size() == 2;
  const int ph = maps ? s[0] : 1, pw = maps ? s[1] : 1;
  const int channels = maps ? (s.size() == 3 ? s[2] : 1) : int(output.values.size());
  GridLayout g;
  g.cells = channels;
  g.columns = columns > 0 ? columns : (maps ? squareColumns(channels) : std::max(1, channels));
  g.cellWidth = pw * scale;
  g.cellHeight = ph * scale;
  g.gap = gap;
  if (layout) *layout = g;
  QImage img = gridImage(g);
  if (output.values.size() != size_t(ph) * pw * channels) return img;
  float lo = 0, hi = 0;
  if (!output.values.empty()) {
    const auto [mn, mx] = std::minmax_element(output.values.begin(), output.values.end());
    lo = *mn;
    hi = *mx;
  }
  const float range = hi - lo;
  auto colour = [&](float v) { return sequentialColor(range > 0 ? (v - lo) / range : 0.0f); };
  for (int i = 0; i < channels; ++i)
    paintPlane(img, g, i, output.values.data() + i, ph, pw, maps ? channels : 1, scale, colour);
  return img;
}

QImage weightsImage(const Layer& layer, const Shape& inputShape, int scale, int maxCells, int gap, GridLayout* layout) {
  scale = std::max(1, scale);
  gap = std::max(0, gap);
  maxCells = std::max(1, maxCells);
  const std::vector<const Param*> ps = layer.params();
  const Param* kernel = nullptr;
  for (const Param* p : ps)
    if (p->name == "kernel") kernel = p;
  if (!kernel) return {};
  const std::string kind = layer.className();
  const Matrix& k = kernel->value;
  GridLayout g;
  g.gap = gap;
  if (kind == "Conv2D" && kernel->kerasShape.size() == 4) {
    // Kernel rows are (i, j, c) in C order of (kh, kw, cin), columns the filters.
    const int kh = kernel->kerasShape[0], kw = kernel->kerasShape[1], cin = kernel->kerasShape[2];
    const int filters = kernel->kerasShape[3];
    const int nf = std::min(filters, maxCells), nc = std::min(cin, std::max(1, maxCells / nf));
    g.cells = nf * nc;
    // One input channel shown: the filters in an about square grid; several: a row per channel.
    g.columns = nc == 1 ? squareColumns(nf) : nf;
    g.cellWidth = kw * scale;
    g.cellHeight = kh * scale;
    if (layout) *layout = g;
    QImage img = gridImage(g);
    const float m = k.leftCols(nf).cwiseAbs().maxCoeff();
    auto colour = [m](float v) { return divergingColor(m > 0 ? v / m : 0.0f); };
    std::vector<float> plane(size_t(kh) * kw);
    for (int c = 0; c < nc; ++c)
      for (int f = 0; f < nf; ++f) {
        for (int y = 0; y < kh; ++y)
          for (int x = 0; x < kw; ++x) plane[size_t(y) * kw + x] = k((y * kw + x) * cin + c, f);
        paintPlane(img, g, c * nf + f, plane.data(), kh, kw, 1, scale, colour);
      }
    return img;
  }
  int h = 0, w = 0, c = 0;
  if (kind == "Dense" && imageShape(inputShape, &h, &w, &c) && c == 1 && k.rows() == Eigen::Index(h) * w) {
    const int units = int(std::min<Eigen::Index>(k.cols(), maxCells));
    g.cells = units;
    g.columns = squareColumns(units);
    g.cellWidth = w * scale;
    g.cellHeight = h * scale;
    if (layout) *layout = g;
    QImage img = gridImage(g);
    const float m = k.leftCols(units).cwiseAbs().maxCoeff();
    auto colour = [m](float v) { return divergingColor(m > 0 ? v / m : 0.0f); };
    const Matrix columnsFirst = k.leftCols(units).transpose();  // row u: unit u's template
    for (int u = 0; u < units; ++u) paintPlane(img, g, u, columnsFirst.row(u).data(), h, w, 1, scale, colour);
    return img;
  }
  return {};
}

QImage saliencyOverlay(const float* input, const SaliencyMap& map, int scale, double opacity) {
  scale = std::max(1, scale);
  const int h = map.height, w = map.width;
  QImage img(std::max(1, w * scale), std::max(1, h * scale), QImage::Format_ARGB32);
  img.fill(0xffffffff);
  if (map.values.size() != size_t(h) * w) return img;
  const float by = saliencyScale(map);
  const float alpha = float(std::clamp(opacity, 0.0, 1.0));
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      // The input as the drawing canvas shows it, dark ink on white paper, but faded to grey so
      // that the colours laid over the ink stay readable.
      const float ink = std::clamp(input ? input[size_t(y) * w + x] : 0.0f, 0.0f, 1.0f);
      const QRgb paper = mix(0xffffffff, kFadedInk, ink);
      const Tint t = saliencyTint(map, map.values[size_t(y) * w + x], by);
      const QRgb c = mix(paper, t.colour, alpha * t.strength);
      for (int dy = 0; dy < scale; ++dy) {
        QRgb* line = reinterpret_cast<QRgb*>(img.scanLine(y * scale + dy)) + x * scale;
        std::fill(line, line + scale, c);
      }
    }
  return img;
}

QImage saliencyLayer(const SaliencyMap& map, double opacity) {
  const int h = map.height, w = map.width;
  QImage img(std::max(1, w), std::max(1, h), QImage::Format_ARGB32);
  img.fill(Qt::transparent);
  if (map.values.size() != size_t(h) * w) return img;
  const float by = saliencyScale(map);
  const double alpha = std::clamp(opacity, 0.0, 1.0);
  for (int y = 0; y < h; ++y) {
    QRgb* line = reinterpret_cast<QRgb*>(img.scanLine(y));
    for (int x = 0; x < w; ++x) {
      const Tint t = saliencyTint(map, map.values[size_t(y) * w + x], by);
      line[x] = (t.colour & 0x00ffffff) | (QRgb(std::lround(255 * alpha * t.strength)) << 24);
    }
  }
  return img;
}

}  // namespace dl
