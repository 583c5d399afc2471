// The MNIST-style 28x28 preprocessing of a drawn digit: ink levels, bounding box, area-averaged
// scaling into a 20x20 box, centre-of-mass placement in a 28x28 field. See DigitPreprocess.h.

#include "data/DigitPreprocess.h"

#include <QColor>

#include <algorithm>
#include <cmath>
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
};

float luminance(QRgb c) { return (0.299f * qRed(c) + 0.587f * qGreen(c) + 0.114f * qBlue(c)) / 255.f; }

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

// Ink level in [0, 1] of every pixel, background removed and strongest ink stretched to 1.
Plane inkLevels(const QImage& picture, InkPolarity polarity) {
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

  Plane p{w, h, std::vector<float>(static_cast<size_t>(w) * h)};
  for (int y = 0; y < h; ++y) {
    const QRgb* line = reinterpret_cast<const QRgb*>(img.constScanLine(y));
    for (int x = 0; x < w; ++x) {
      const QRgb c = line[x];
      const float a = qAlpha(c) / 255.f;
      float ink;
      if (alphaIsInk)
        ink = a;
      else if (darkInk)
        ink = 1.f - (a * luminance(c) + (1.f - a));  // over white paper
      else
        ink = a * luminance(c);  // over black
      p.at(x, y) = ink;
    }
  }

  // Background removal: the border's median level is "no ink".
  const float bg = borderMedian(w, h, [&p](int x, int y) { return p.at(x, y); });
  const float range = 1.f - bg;
  float strongest = 0;
  for (float& v : p.v) {
    v = range > 1e-3f ? std::clamp((v - bg) / range, 0.f, 1.f) : 0.f;
    if (v < kNoiseFloor) v = 0;
    strongest = std::max(strongest, v);
  }
  if (strongest > 0 && strongest < 1)
    for (float& v : p.v) v /= strongest;
  return p;
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

// The w x h region at (x0, y0) of src, area-averaged to nw x nh.
Plane resampleArea(const Plane& src, int x0, int y0, int w, int h, int nw, int nh) {
  const std::vector<Tap> tx = areaTaps(w, nw);
  const std::vector<Tap> ty = areaTaps(h, nh);
  Plane rows{nw, h, std::vector<float>(static_cast<size_t>(nw) * h, 0.f)};
  for (int y = 0; y < h; ++y)
    for (const Tap& t : tx) rows.at(t.dst, y) += t.weight * src.at(x0 + t.src, y0 + y);
  Plane out{nw, nh, std::vector<float>(static_cast<size_t>(nw) * nh, 0.f)};
  for (const Tap& t : ty)
    for (int x = 0; x < nw; ++x) out.at(x, t.dst) += t.weight * rows.at(x, t.src);
  for (float& v : out.v) v = std::clamp(v, 0.f, 1.f);
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

DigitInput preprocessDigit(const QImage& picture, InkPolarity polarity) {
  DigitInput out;
  constexpr int kSide = DigitInput::kSide;
  if (picture.isNull() || picture.width() <= 0 || picture.height() <= 0) {
    out.image = digitImage(out.pixels.data());
    return out;
  }

  const Plane ink = inkLevels(picture, polarity);

  // Bounding box of the ink.
  int left = ink.width, right = -1, top = ink.height, bottom = -1;
  for (int y = 0; y < ink.height; ++y)
    for (int x = 0; x < ink.width; ++x)
      if (ink.at(x, y) > 0) {
        left = std::min(left, x);
        right = std::max(right, x);
        top = std::min(top, y);
        bottom = std::max(bottom, y);
      }
  if (right < 0) {
    out.image = digitImage(out.pixels.data());
    return out;
  }
  const int w = right - left + 1;
  const int h = bottom - top + 1;

  // Fit the longer side to the 20-pixel box, keeping the aspect ratio.
  const double scale = static_cast<double>(DigitInput::kBox) / std::max(w, h);
  const int nw = std::clamp(static_cast<int>(std::lround(w * scale)), 1, DigitInput::kBox);
  const int nh = std::clamp(static_cast<int>(std::lround(h * scale)), 1, DigitInput::kBox);
  const Plane box = resampleArea(ink, left, top, w, h, nw, nh);

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
  return out;
}

}  // namespace dl
