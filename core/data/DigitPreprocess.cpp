// The MNIST-style 28x28 preprocessing of a drawn digit: ink levels, bounding box, area-averaged
// scaling into a 20x20 box, centre-of-mass placement in a 28x28 field. See DigitPreprocess.h.

#include "data/DigitPreprocess.h"

#include "data/StrokeWeight.h"

#include <QColor>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

namespace dl {
namespace {

// Ink levels below this (after background removal) are noise, not ink: JPEG ringing, paper grain.
constexpr float kNoiseFloor = 0.05f;

// A grey plane, row-major.
struct Plane {
  int width = 0;
  int height = 0;
  std::vector<float> v;
  float& at(int x, int y) { return v[static_cast<size_t>(y) * width + x]; }
  float at(int x, int y) const { return v[static_cast<size_t>(y) * width + x]; }
  float* row(int y) { return v.data() + static_cast<size_t>(y) * width; }
  const float* row(int y) const { return v.data() + static_cast<size_t>(y) * width; }
};

float luminance(QRgb c) {
  return (0.299f / 255.f) * qRed(c) + (0.587f / 255.f) * qGreen(c) + (0.114f / 255.f) * qBlue(c);
}

// Median of the values on the picture's outer ring of pixels.
template <typename F>
float borderMedian(int w, int h, F value) {
  std::vector<float> ring;
  ring.reserve(2 * static_cast<size_t>(w + h));
  for (int x = 0; x < w; ++x) {
    ring.push_back(value(x, 0));
    if (h > 1) ring.push_back(value(x, h - 1));
  }
  for (int y = 1; y + 1 < h; ++y) {
    ring.push_back(value(0, y));
    if (w > 1) ring.push_back(value(w - 1, y));
  }
  auto mid = ring.begin() + static_cast<std::ptrdiff_t>(ring.size() / 2);
  std::nth_element(ring.begin(), mid, ring.end());
  return *mid;
}

// The ink of a picture: a level in [0, 1] per pixel with the background removed, the bounding
// box of the ink and its strongest level (not yet stretched to 1).
struct Ink {
  Plane plane;
  int left = 0, top = 0, right = -1, bottom = -1;  // right < 0: no ink
  float strongest = 0;
};

// One pass over the pixels (this runs on every mouse move, on canvases of a million pixels).
// Raw ink is alpha * (k0 + k1 * luminance): dark ink over white paper is a * (1 - L), light ink
// over black is a * L, ink on a transparent background is a.
Ink readInk(const QImage& picture, InkPolarity polarity) {
  QImage img = picture;
  if (img.format() != QImage::Format_ARGB32 && img.format() != QImage::Format_RGB32)
    img = img.convertToFormat(img.hasAlphaChannel() ? QImage::Format_ARGB32 : QImage::Format_RGB32);
  const int w = img.width();
  const int h = img.height();
  auto px = [&img](int x, int y) { return reinterpret_cast<const QRgb*>(img.constScanLine(y))[x]; };

  // Alpha mode: ink of any colour on a transparent background (Auto only).
  bool alphaIsInk = false;
  if (polarity == InkPolarity::Auto && img.hasAlphaChannel())
    alphaIsInk = borderMedian(w, h, [&](int x, int y) { return qAlpha(px(x, y)) / 255.f; }) < 0.5f;
  // Otherwise composite over the paper colour and read the ink from the luminance.
  bool darkInk = polarity != InkPolarity::LightOnDark;
  if (!alphaIsInk && polarity == InkPolarity::Auto) {
    darkInk = borderMedian(w, h, [&](int x, int y) {
                const QRgb c = px(x, y);
                const float a = qAlpha(c) / 255.f;
                return a * luminance(c) + (1.f - a);  // over white
              }) >= 0.5f;
  }
  const float k0 = alphaIsInk || darkInk ? 1.f : 0.f;
  const float k1 = alphaIsInk ? 0.f : darkInk ? -1.f : 1.f;
  auto raw = [k0, k1](QRgb c) { return (1.f / 255.f) * qAlpha(c) * (k0 + k1 * luminance(c)); };

  // Background removal: the border's median level is "no ink"; what is left is stretched to 0..1.
  const float bg = borderMedian(w, h, [&](int x, int y) { return raw(px(x, y)); });
  const float scale = bg < 1.f - 1e-3f ? 1.f / (1.f - bg) : 0.f;

  Ink ink;
  ink.plane = Plane{w, h, std::vector<float>(static_cast<size_t>(w) * h)};
  ink.left = w;
  ink.top = h;
  for (int y = 0; y < h; ++y) {
    const QRgb* line = reinterpret_cast<const QRgb*>(img.constScanLine(y));
    float* out = ink.plane.row(y);
    // Branch-free so that it vectorises; levels are >= 0, so their bit patterns order like ints.
    for (int x = 0; x < w; ++x) {
      const float v = std::min((raw(line[x]) - bg) * scale, 1.f);
      out[x] = v < kNoiseFloor ? 0.f : v;
    }
    int32_t maxBits = 0;
    for (int x = 0; x < w; ++x) maxBits = std::max(maxBits, std::bit_cast<int32_t>(out[x]));
    if (maxBits == 0) continue;
    const float rowMax = std::bit_cast<float>(maxBits);
    ink.strongest = std::max(ink.strongest, rowMax);
    ink.top = std::min(ink.top, y);
    ink.bottom = y;
    int x0 = 0, x1 = w - 1;
    while (out[x0] == 0) ++x0;
    while (out[x1] == 0) --x1;
    ink.left = std::min(ink.left, x0);
    ink.right = std::max(ink.right, x1);
  }
  return ink;
}

// Area-averaging weights for resampling n source pixels onto m destination pixels: destination
// j covers source interval [j*n/m, (j+1)*n/m); each source pixel contributes its overlap, and the
// weights of one destination pixel sum to 1. Works for shrinking and enlarging alike.
struct Tap {
  int dst;
  int src;
  float weight;
};
std::vector<Tap> areaTaps(int n, int m) {
  std::vector<Tap> taps;
  const double step = static_cast<double>(n) / m;
  for (int j = 0; j < m; ++j) {
    const double lo = j * step;
    const double hi = (j + 1) * step;
    for (int i = static_cast<int>(std::floor(lo)); i < n && i < hi; ++i) {
      const double overlap = std::min<double>(hi, i + 1) - std::max<double>(lo, i);
      if (overlap > 1e-9) taps.push_back({j, i, static_cast<float>(overlap / step)});
    }
  }
  return taps;
}

// The w x h region at (x0, y0) of src, area-averaged to nw x nh and multiplied by gain. Rows
// first: every source row is added, whole, into its one or two output rows (contiguous and
// vectorised); the columns of the few remaining rows are then cheap.
Plane resampleArea(const Plane& src, int x0, int y0, int w, int h, int nw, int nh, float gain) {
  const std::vector<Tap> ty = areaTaps(h, nh);
  const std::vector<Tap> tx = areaTaps(w, nw);
  Plane rows{w, nh, std::vector<float>(static_cast<size_t>(w) * nh, 0.f)};
  for (const Tap& t : ty) {
    const float* in = src.row(y0 + t.src) + x0;
    float* acc = rows.row(t.dst);
    for (int x = 0; x < w; ++x) acc[x] += t.weight * in[x];
  }
  Plane out{nw, nh, std::vector<float>(static_cast<size_t>(nw) * nh, 0.f)};
  for (int y = 0; y < nh; ++y)
    for (const Tap& t : tx) out.at(t.dst, y) += t.weight * rows.at(t.src, y);
  for (float& v : out.v) v = std::clamp(v * gain, 0.f, 1.f);
  return out;
}

}  // namespace

QImage digitImage(const float* pixels, int rows, int cols) {
  QImage img(cols, rows, QImage::Format_Grayscale8);
  for (int y = 0; y < rows; ++y) {
    uchar* line = img.scanLine(y);
    for (int x = 0; x < cols; ++x) {
      const float v = std::clamp(pixels[static_cast<size_t>(y) * cols + x], 0.f, 1.f);
      line[x] = static_cast<uchar>(std::lround(v * 255.f));
    }
  }
  return img;
}

namespace {

// The fit of ink already read into a plane: the bounding box (left..right, top..bottom) scaled
// with area averaging to fit the 20x20 box, strongest level stretched to 1, centre of mass placed
// at the field's centre.
DigitInput fitInk(const Plane& plane, int left, int top, int right, int bottom, float strongest) {
  DigitInput out;
  constexpr int kSide = DigitInput::kSide;
  const int w = right - left + 1;
  const int h = bottom - top + 1;

  // Fit the longer side to the 20-pixel box, keeping the aspect ratio.
  const double scale = static_cast<double>(DigitInput::kBox) / std::max(w, h);
  const int nw = std::clamp(static_cast<int>(std::lround(w * scale)), 1, DigitInput::kBox);
  const int nh = std::clamp(static_cast<int>(std::lround(h * scale)), 1, DigitInput::kBox);
  // Area averaging is linear: stretching the strongest ink to 1 can wait until the box is small.
  const Plane box = resampleArea(plane, left, top, w, h, nw, nh, 1.f / strongest);

  // Centre of mass of the scaled ink (pixel centres at x + 0.5).
  double mass = 0, mx = 0, my = 0;
  for (int y = 0; y < nh; ++y)
    for (int x = 0; x < nw; ++x) {
      const double v = box.at(x, y);
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  if (mass <= 0) {
    out.image = digitImage(out.pixels.data());
    return out;
  }
  const int ox = static_cast<int>(std::lround(kSide / 2.0 - mx / mass));
  const int oy = static_cast<int>(std::lround(kSide / 2.0 - my / mass));

  // Place it, dropping whatever falls outside the field.
  for (int y = 0; y < nh; ++y) {
    const int fy = y + oy;
    if (fy < 0 || fy >= kSide) continue;
    for (int x = 0; x < nw; ++x) {
      const int fx = x + ox;
      if (fx < 0 || fx >= kSide) continue;
      out.pixels[static_cast<size_t>(fy) * kSide + fx] = box.at(x, y);
    }
  }
  out.empty = std::none_of(out.pixels.begin(), out.pixels.end(), [](float v) { return v > 0; });
  out.image = digitImage(out.pixels.data());
  // Plane point -> field: the crop's corner to the placed box's, scaled as the area resampling.
  out.sourceToInput = QTransform::fromTranslate(-left, -top) * QTransform::fromScale(double(nw) / w, double(nh) / h) *
                      QTransform::fromTranslate(ox, oy);
  return out;
}

DigitInput fitPlane(const Plane& plane) {
  int left = plane.width, top = plane.height, right = -1, bottom = -1;
  float strongest = 0;
  for (int y = 0; y < plane.height; ++y)
    for (int x = 0; x < plane.width; ++x) {
      const float v = plane.at(x, y);
      if (!(v > 0)) continue;
      strongest = std::max(strongest, v);
      left = std::min(left, x);
      right = std::max(right, x);
      top = std::min(top, y);
      bottom = std::max(bottom, y);
    }
  if (right < 0) {
    DigitInput out;
    out.image = digitImage(out.pixels.data());
    return out;
  }
  return fitInk(plane, left, top, right, bottom, strongest);
}

// Working resolution of the stroke-width normalisation: the ink's longer side in pixels (4 per
// pixel of the 20x20 box), and the room left around it for a dilation.
constexpr int kWorkSide = 4 * DigitInput::kBox;
constexpr int kWorkMargin = 12;

// The ink's strokes made MNIST's width (see preprocessDigit()).
DigitInput fitNormalised(const Ink& ink) {
  const int w = ink.right - ink.left + 1;
  const int h = ink.bottom - ink.top + 1;
  const double scale = static_cast<double>(kWorkSide) / std::max(w, h);
  const int ww = std::clamp(static_cast<int>(std::lround(w * scale)), 1, kWorkSide);
  const int wh = std::clamp(static_cast<int>(std::lround(h * scale)), 1, kWorkSide);
  const Plane box = resampleArea(ink.plane, ink.left, ink.top, w, h, ww, wh, 1.f / ink.strongest);
  Plane work{ww + 2 * kWorkMargin, wh + 2 * kWorkMargin,
             std::vector<float>(static_cast<size_t>(ww + 2 * kWorkMargin) * (wh + 2 * kWorkMargin), 0.f)};
  for (int y = 0; y < wh; ++y) std::copy(box.row(y), box.row(y) + ww, work.row(y + kWorkMargin) + kWorkMargin);

  // A hairline (a pen thinner than a working pixel) is a faint grey line here, its level
  // varying along it: stretched by its typical level, it is one solid line to measure rather
  // than a few dashes above half the strongest level (where the strokes cross).
  std::vector<float> levels;
  for (float v : work.v)
    if (v > 0.05f) levels.push_back(v);
  if (!levels.empty()) {
    auto mid = levels.begin() + static_cast<std::ptrdiff_t>(levels.size() / 2);
    std::nth_element(levels.begin(), mid, levels.end());
    if (*mid < 0.9f)
      for (float& v : work.v) v = std::min(1.f, v / *mid);
  }

  // The stroke width now (working pixels), and the width that ends up as the MNIST pen once the
  // changed ink is fitted into 20x20 again: its extent becomes E - now + target, so
  // target * 20 / (E - now + target) = pen gives target = pen * (E - now) / (20 - pen).
  const StrokeMeasure before = measureStrokes(work.v.data(), work.width, work.height);
  const double now = before.width();
  const double extent = std::max(ww, wh);
  const double pen = MnistStrokeWidth::kPen;
  // A blob (a filled disc, a dot) has no strokes to speak of: leave it as it is.
  if (!(now > 0) || extent - now < 0.2 * extent)
    return fitInk(ink.plane, ink.left, ink.top, ink.right, ink.bottom, ink.strongest);
  const double target = pen * (extent - now) / (DigitInput::kBox - pen);
  Plane changed = work;
  changeStrokeWidth(changed.v, changed.width, changed.height, target - now);
  // Strokes far from even (a filled shape, a stroke much thinner than the rest) can be eaten
  // away by the erosion: keep the ink as it is when most of its skeleton went.
  const StrokeMeasure after = measureStrokes(changed.v.data(), changed.width, changed.height);
  if (after.length < 0.6 * before.length)
    return fitInk(ink.plane, ink.left, ink.top, ink.right, ink.bottom, ink.strongest);
  DigitInput out = fitPlane(changed);
  // Ink plane -> working plane (as resampleArea above placed it) -> field.
  out.sourceToInput = QTransform::fromTranslate(-ink.left, -ink.top) *
                      QTransform::fromScale(double(ww) / w, double(wh) / h) *
                      QTransform::fromTranslate(kWorkMargin, kWorkMargin) * out.sourceToInput;
  return out;
}

}  // namespace

DigitInput digitFromInk(const float* ink, int width, int height) {
  if (!ink || width <= 0 || height <= 0) return preprocessDigit(QImage());
  Plane plane{width, height, std::vector<float>(ink, ink + static_cast<size_t>(width) * height)};
  for (float& v : plane.v) v = std::isfinite(v) ? std::clamp(v, 0.f, 1.f) : 0.f;
  return fitPlane(plane);
}

DigitInput preprocessDigit(const QImage& picture, InkPolarity polarity, StrokeNormalisation strokes) {
  DigitInput out;
  if (picture.isNull() || picture.width() <= 0 || picture.height() <= 0) {
    out.image = digitImage(out.pixels.data());
    return out;
  }

  const Ink ink = readInk(picture, polarity);
  if (ink.right < 0) {
    out.image = digitImage(out.pixels.data());
    return out;
  }
  if (strokes == StrokeNormalisation::ToMnist) return fitNormalised(ink);
  return fitInk(ink.plane, ink.left, ink.top, ink.right, ink.bottom, ink.strongest);
}

}  // namespace dl
