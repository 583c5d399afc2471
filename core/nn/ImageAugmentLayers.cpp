// RandomRotation, RandomTranslation, RandomZoom: Keras's transforms, resampled as
// keras.ops.image.affine_transform does (see ImageAugmentLayers.h).

#include "nn/ImageAugmentLayers.h"
#include "nn/SplitMix.h"

#include "nn/Parallel.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace dl {

namespace {

// The input index read for index i of an axis of n pixels, extended by the fill mode as np.pad
// extends it (symmetric, wrap, edge); -1: outside, read as fill_value (constant).
inline int extendIndex(int i, int n, FillMode mode) {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case FillMode::Reflect: {
      const int period = 2 * n;
      int k = i % period;
      if (k < 0) k += period;
      return k < n ? k : period - 1 - k;
    }
    case FillMode::Wrap: {
      const int k = i % n;
      return k < 0 ? k + n : k;
    }
    case FillMode::Nearest:
      return i < 0 ? 0 : n - 1;
    case FillMode::Constant:
      return -1;
  }
  return -1;
}

// The input pixels one output pixel reads and their weights: up to four (bilinear), one (nearest).
struct Taps {
  int index[4];  // pixel index y * w + x, or -1 for fill_value
  float weight[4];
  int count;
};

// scipy/JAX map_coordinates: order 1 reads the four neighbours of (xs, ys); order 0 the nearest
// pixel, floor(c + 0.5). Coordinates beyond any sane image are clamped first (the result there
// is the fill anyway, or a reflected/wrapped pixel, periodic in the coordinate).
inline Taps taps(double xs, double ys, int h, int w, FillMode mode, Interpolation interpolation) {
  constexpr double kFar = 1 << 24;
  xs = std::clamp(xs, -kFar, kFar);
  ys = std::clamp(ys, -kFar, kFar);
  Taps t{};
  if (interpolation == Interpolation::Nearest) {
    const int x = extendIndex(int(std::floor(xs + 0.5)), w, mode), y = extendIndex(int(std::floor(ys + 0.5)), h, mode);
    t.index[0] = x < 0 || y < 0 ? -1 : y * w + x;
    t.weight[0] = 1.0f;
    t.count = 1;
    return t;
  }
  const double fx0 = std::floor(xs), fy0 = std::floor(ys);
  const float fx = float(xs - fx0), fy = float(ys - fy0);
  const int x0 = extendIndex(int(fx0), w, mode), x1 = extendIndex(int(fx0) + 1, w, mode);
  const int y0 = extendIndex(int(fy0), h, mode), y1 = extendIndex(int(fy0) + 1, h, mode);
  auto at = [&](int y, int x) { return x < 0 || y < 0 ? -1 : y * w + x; };
  t.index[0] = at(y0, x0);
  t.weight[0] = (1 - fx) * (1 - fy);
  t.index[1] = at(y0, x1);
  t.weight[1] = fx * (1 - fy);
  t.index[2] = at(y1, x0);
  t.weight[2] = (1 - fx) * fy;
  t.index[3] = at(y1, x1);
  t.weight[3] = fx * fy;
  t.count = 4;
  return t;
}

}  // namespace

FillMode fillModeFromName(const std::string& name) {
  if (name == "reflect") return FillMode::Reflect;
  if (name == "wrap") return FillMode::Wrap;
  if (name == "nearest") return FillMode::Nearest;
  if (name == "constant") return FillMode::Constant;
  throw SpecError("unknown fill_mode '" + name + "' (use 'reflect', 'wrap', 'nearest' or 'constant')");
}

Interpolation interpolationFromName(const std::string& name) {
  if (name == "bilinear") return Interpolation::Bilinear;
  if (name == "nearest") return Interpolation::Nearest;
  throw SpecError("unknown interpolation '" + name + "' (use 'nearest' or 'bilinear')");
}

ImageAffineLayer::ImageAffineLayer(FillMode fill, Interpolation interpolation, double fillValue, uint64_t seed)
    : m_fill(fill),
      m_interpolation(interpolation),
      m_fillValue(float(fillValue)),
      m_state(seed ^ 0xA0761D6478BD642Full) {}

void ImageAffineLayer::build(const Shape& inputShape, Rng&) {
  if (inputShape.size() != 3)
    throw SpecError(std::string(className()) + " needs an image input (height, width, channels) but gets " +
                    shapeToString(inputShape));
  m_shape = inputShape;
  m_h = inputShape[0];
  m_w = inputShape[1];
  m_c = inputShape[2];
}

double ImageAffineLayer::uniform(double lo, double hi) {
  const double u = double(splitmix64(m_state) >> 11) * 0x1.0p-53;  // [0, 1)
  return lo + (hi - lo) * u;
}

const Matrix& ImageAffineLayer::forward(const Matrix& x, bool training) {
  m_active = training;
  if (!training) return x;
  m_transforms.resize(size_t(x.rows()));  // keeps its capacity: no allocation once the batch size is seen
  for (AffineTransform& t : m_transforms) t = draw(m_h, m_w);
  resample(x);
  return m_y;
}

const Matrix& ImageAffineLayer::forwardWith(const Matrix& x, const std::vector<AffineTransform>& transforms) {
  if (transforms.size() != size_t(x.rows()))
    throw SpecError(std::string(className()) + ": " + std::to_string(transforms.size()) + " transforms for " +
                    std::to_string(x.rows()) + " samples");
  m_active = true;
  m_transforms = transforms;
  resample(x);
  return m_y;
}

void ImageAffineLayer::resample(const Matrix& x) {
  const int n = int(x.rows()), h = m_h, w = m_w, c = m_c;
  m_y.resize(x.rows(), x.cols());
  const double work = double(n) * h * w * c * 8;
  parallelRanges(n, work, [&](int, int begin, int end) {
    for (int s = begin; s < end; ++s) {
      const AffineTransform& t = m_transforms[size_t(s)];
      const float* in = x.row(s).data();
      float* out = m_y.row(s).data();
      for (int oy = 0; oy < h; ++oy) {
        for (int ox = 0; ox < w; ++ox) {
          const Taps tp =
              taps(t.a0 * ox + t.a1 * oy + t.a2, t.b0 * ox + t.b1 * oy + t.b2, h, w, m_fill, m_interpolation);
          float* o = out + (size_t(oy) * w + ox) * c;
          for (int ch = 0; ch < c; ++ch) o[ch] = 0.0f;
          for (int k = 0; k < tp.count; ++k) {
            const float wt = tp.weight[k];
            if (tp.index[k] < 0) {
              for (int ch = 0; ch < c; ++ch) o[ch] += wt * m_fillValue;
            } else {
              const float* src = in + size_t(tp.index[k]) * c;
              for (int ch = 0; ch < c; ++ch) o[ch] += wt * src[ch];
            }
          }
        }
      }
    }
  });
}

void ImageAffineLayer::backward(const Matrix& dy, Matrix* dx) {
  if (!dx) return;
  if (!m_active) {
    *dx = dy;
    return;
  }
  // The transpose of resample: every output's gradient back to the pixels it read, with the same
  // weights; the fill value is a constant and takes none.
  const int n = int(dy.rows()), h = m_h, w = m_w, c = m_c;
  dx->resize(dy.rows(), dy.cols());
  dx->setZero();
  const double work = double(n) * h * w * c * 8;
  parallelRanges(n, work, [&](int, int begin, int end) {
    for (int s = begin; s < end; ++s) {
      const AffineTransform& t = m_transforms[size_t(s)];
      const float* g = dy.row(s).data();
      float* back = dx->row(s).data();
      for (int oy = 0; oy < h; ++oy) {
        for (int ox = 0; ox < w; ++ox) {
          const Taps tp =
              taps(t.a0 * ox + t.a1 * oy + t.a2, t.b0 * ox + t.b1 * oy + t.b2, h, w, m_fill, m_interpolation);
          const float* go = g + (size_t(oy) * w + ox) * c;
          for (int k = 0; k < tp.count; ++k) {
            if (tp.index[k] < 0) continue;
            float* d = back + size_t(tp.index[k]) * c;
            for (int ch = 0; ch < c; ++ch) d[ch] += tp.weight[k] * go[ch];
          }
        }
      }
    }
  });
}

// keras/src/layers/preprocessing/image_preprocessing/random_rotation.py (get_random_transformation):
// [cos, -sin, x_offset, sin, cos, y_offset] with the offsets that keep the centre in place.
AffineTransform RandomRotationLayer::rotation(double angle, int h, int w) {
  const double c = std::cos(angle), s = std::sin(angle);
  const double wm = w - 1, hm = h - 1;
  AffineTransform t;
  t.a0 = c;
  t.a1 = -s;
  t.a2 = (wm - (c * wm - s * hm)) / 2.0;
  t.b0 = s;
  t.b1 = c;
  t.b2 = (hm - (s * wm + c * hm)) / 2.0;
  return t;
}

AffineTransform RandomRotationLayer::draw(int h, int w) {
  return rotation(uniform(m_lower * 2.0 * std::numbers::pi, m_upper * 2.0 * std::numbers::pi), h, w);
}

// random_translation.py (_get_translation_matrix): [1, 0, -dx, 0, 1, -dy].
AffineTransform RandomTranslationLayer::translation(double dy, double dx) {
  AffineTransform t;
  t.a2 = -dx;
  t.b2 = -dy;
  return t;
}

AffineTransform RandomTranslationLayer::draw(int h, int w) {
  const double dy = uniform(m_h[0], m_h[1]) * h;  // Keras draws the height shift first
  const double dx = uniform(m_w[0], m_w[1]) * w;
  return translation(dy, dx);
}

// random_zoom.py (_get_zoom_matrix): [zx, 0, (w-1)/2 (1-zx), 0, zy, (h-1)/2 (1-zy)].
AffineTransform RandomZoomLayer::zoom(double zy, double zx, int h, int w) {
  AffineTransform t;
  t.a0 = zx;
  t.a2 = (w - 1) / 2.0 * (1.0 - zx);
  t.b1 = zy;
  t.b2 = (h - 1) / 2.0 * (1.0 - zy);
  return t;
}

AffineTransform RandomZoomLayer::draw(int h, int w) {
  const double zy = 1.0 + uniform(m_h[0], m_h[1]);
  const double zx = m_sameWidth ? zy : 1.0 + uniform(m_w[0], m_w[1]);
  return zoom(zy, zx, h, w);
}

}  // namespace dl
