// Stroke width: Zhang-Suen skeleton, skeleton length, exact Euclidean distance transform and the
// anti-aliased dilation/erosion built on it. See StrokeWeight.h.

#include "data/StrokeWeight.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace dl {
namespace {

using Mask = std::vector<unsigned char>;

// A binary plane of the pixels at least half as strong as the strongest.
Mask inkMask(const float* plane, int width, int height) {
  const size_t n = static_cast<size_t>(width) * height;
  const float strongest = n ? *std::max_element(plane, plane + n) : 0.f;
  Mask mask(n, 0);
  if (strongest <= 0) return mask;
  for (size_t i = 0; i < n; ++i) mask[i] = plane[i] >= 0.5f * strongest ? 1 : 0;
  return mask;
}

// Squared distance transform in one dimension (Felzenszwalb & Huttenlocher, "Distance Transforms
// of Sampled Functions", 2012): d[q] = min_p (q - p)^2 + f[p]. f: 0 at features, kInf elsewhere.
constexpr double kInf = 1e20;
void distance1d(const double* f, double* d, int n, std::vector<int>& v, std::vector<double>& z) {
  v.assign(static_cast<size_t>(n), 0);
  z.assign(static_cast<size_t>(n) + 1, 0.0);
  auto cut = [&](int q, int p) { return ((f[q] + double(q) * q) - (f[p] + double(p) * p)) / (2.0 * (q - p)); };
  size_t k = 0;
  z[0] = -kInf;
  z[1] = kInf;
  for (int q = 1; q < n; ++q) {
    double s = cut(q, v[k]);
    while (k > 0 && s <= z[k]) s = cut(q, v[--k]);
    ++k;
    v[k] = q;
    z[k] = s;
    z[k + 1] = kInf;
  }
  k = 0;
  for (int q = 0; q < n; ++q) {
    while (z[k + 1] < q) ++k;
    d[q] = double(q - v[k]) * (q - v[k]) + f[v[k]];
  }
}

// Squared Euclidean distance of every pixel centre to the nearest pixel where feature(i) is true.
template <typename F>
std::vector<float> squaredDistance(int width, int height, F feature) {
  std::vector<double> g(static_cast<size_t>(width) * height);
  for (size_t i = 0; i < g.size(); ++i) g[i] = feature(i) ? 0.0 : kInf;
  const int longest = std::max(width, height);
  std::vector<double> f(static_cast<size_t>(longest)), d(static_cast<size_t>(longest));
  std::vector<int> v;
  std::vector<double> z;
  for (int x = 0; x < width; ++x) {
    for (int y = 0; y < height; ++y) f[size_t(y)] = g[size_t(y) * width + x];
    distance1d(f.data(), d.data(), height, v, z);
    for (int y = 0; y < height; ++y) g[size_t(y) * width + x] = d[size_t(y)];
  }
  std::vector<float> out(g.size());
  for (int y = 0; y < height; ++y) {
    const double* row = g.data() + size_t(y) * width;
    std::copy(row, row + width, f.begin());
    distance1d(f.data(), d.data(), width, v, z);
    for (int x = 0; x < width; ++x) out[size_t(y) * width + x] = static_cast<float>(std::min(d[size_t(x)], kInf));
  }
  return out;
}

}  // namespace

Mask skeleton(const Mask& mask, int width, int height) {
  Mask s(mask.size());
  for (size_t i = 0; i < mask.size(); ++i) s[i] = mask[i] ? 1 : 0;
  auto at = [&](int x, int y) -> int {
    return x < 0 || y < 0 || x >= width || y >= height ? 0 : s[size_t(y) * width + x];
  };
  std::vector<size_t> doomed;
  bool changed = true;
  while (changed) {
    changed = false;
    for (int step = 0; step < 2; ++step) {
      doomed.clear();
      for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
          if (!s[size_t(y) * width + x]) continue;
          // P2..P9: N, NE, E, SE, S, SW, W, NW.
          const int p[8] = {at(x, y - 1), at(x + 1, y - 1), at(x + 1, y), at(x + 1, y + 1),
                            at(x, y + 1), at(x - 1, y + 1), at(x - 1, y), at(x - 1, y - 1)};
          int b = 0, a = 0;
          for (int i = 0; i < 8; ++i) {
            b += p[i];
            a += p[i] == 0 && p[(i + 1) % 8] == 1;
          }
          if (b < 2 || b > 6 || a != 1) continue;
          const bool keep = step == 0 ? (p[0] && p[2] && p[4]) || (p[2] && p[4] && p[6])
                                      : (p[0] && p[2] && p[6]) || (p[0] && p[4] && p[6]);
          if (!keep) doomed.push_back(size_t(y) * width + x);
        }
      for (size_t i : doomed) s[i] = 0;
      changed = changed || !doomed.empty();
    }
  }
  return s;
}

double skeletonLength(const Mask& skel, int width, int height) {
  auto on = [&](int x, int y) {
    return x >= 0 && y >= 0 && x < width && y < height && skel[size_t(y) * width + x] != 0;
  };
  double length = 0;
  int pixels = 0;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      if (!on(x, y)) continue;
      ++pixels;
      if (on(x + 1, y)) length += 1;
      if (on(x, y + 1)) length += 1;
      if (on(x + 1, y + 1) && !on(x + 1, y) && !on(x, y + 1)) length += std::sqrt(2.0);
      if (on(x - 1, y + 1) && !on(x - 1, y) && !on(x, y + 1)) length += std::sqrt(2.0);
    }
  return pixels > 0 ? std::max(length, 1.0) : 0.0;
}

StrokeMeasure measureStrokes(const float* plane, int width, int height) {
  StrokeMeasure m;
  if (!plane || width <= 0 || height <= 0) return m;
  const Mask mask = inkMask(plane, width, height);
  m.length = skeletonLength(skeleton(mask, width, height), width, height);
  for (size_t i = 0; i < mask.size(); ++i) m.ink += plane[i];
  return m;
}

double strokeWidth(const float* plane, int width, int height) { return measureStrokes(plane, width, height).width(); }

std::vector<float> signedDistance(const Mask& mask, int width, int height) {
  const std::vector<float> toBackground = squaredDistance(width, height, [&](size_t i) { return mask[i] == 0; });
  const std::vector<float> toInk = squaredDistance(width, height, [&](size_t i) { return mask[i] != 0; });
  std::vector<float> sd(mask.size());
  const float far = float(width + height);
  for (size_t i = 0; i < mask.size(); ++i)
    sd[i] = mask[i] ? std::min(std::sqrt(toBackground[i]), far) - 0.5f : 0.5f - std::min(std::sqrt(toInk[i]), far);
  return sd;
}

void changeStrokeWidth(std::vector<float>& plane, int width, int height, double delta) {
  const Mask mask = inkMask(plane.data(), width, height);
  if (std::none_of(mask.begin(), mask.end(), [](unsigned char m) { return m != 0; })) return;
  const std::vector<float> sd = signedDistance(mask, width, height);
  const float shift = static_cast<float>(delta / 2 + 0.5);
  for (size_t i = 0; i < plane.size(); ++i) plane[i] = std::clamp(sd[i] + shift, 0.f, 1.f);
}

}  // namespace dl
