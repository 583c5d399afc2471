// Tests of data/StrokeWeight.h: the stroke-width measure on known shapes, the skeleton, the exact
// distance transform against brute force, widening and thinning strokes, and MNIST's own stroke
// widths (the percentiles MnistStrokeWidth states, measured again on the embedded digits).

#include "data/IdxReader.h"
#include "data/StrokeWeight.h"

#include <gtest/gtest.h>

#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <random>

namespace dl {
namespace {

struct Plane {
  int w = 0, h = 0;
  std::vector<float> v;
  float& at(int x, int y) { return v[size_t(y) * w + x]; }
};

Plane blank(int w, int h) { return {w, h, std::vector<float>(size_t(w) * h, 0.f)}; }

// A solid bar of ink.
Plane bar(int w, int h, int x0, int y0, int bw, int bh) {
  Plane p = blank(w, h);
  for (int y = y0; y < y0 + bh; ++y)
    for (int x = x0; x < x0 + bw; ++x) p.at(x, y) = 1.f;
  return p;
}

// An anti-aliased line drawn by QPainter (flat caps), as levels.
Plane paintedLine(int side, QPointF a, QPointF b, double pen) {
  QImage img(side, side, QImage::Format_ARGB32_Premultiplied);
  img.fill(Qt::black);
  {
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(Qt::white, pen, Qt::SolidLine, Qt::FlatCap));
    p.drawLine(a, b);
  }
  Plane out = blank(side, side);
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x) out.at(x, y) = qRed(img.pixel(x, y)) / 255.f;
  return out;
}

double widthOf(const Plane& p) { return strokeWidth(p.v.data(), p.w, p.h); }

// The measure of a flat-ended w x L bar: ink w * L over a skeleton running between the points
// w/2 in from each end, L - w pixels, so L - w - 1 long. About w for a long bar.
double flatBar(double w, double L) { return w * L / (L - w - 1); }

TEST(StrokeWeight, ABarMeasuresItsWidth) {
  EXPECT_NEAR(widthOf(bar(60, 20, 10, 8, 40, 3)), flatBar(3, 40), 1e-9);
  EXPECT_NEAR(widthOf(bar(20, 60, 8, 10, 5, 40)), flatBar(5, 40), 1e-9);
  EXPECT_NEAR(widthOf(bar(200, 20, 10, 8, 180, 2)), flatBar(2, 180), 1e-9);  // long: about 2
}

TEST(StrokeWeight, DiagonalLinesMeasureTheirWidthToo) {
  // sqrt(2) per diagonal step: the measure depends little on the direction (an 8-connected
  // chain overstates the length of a line between the axes and the diagonals, by 8% at this
  // slope, and the jagged edge of a steep line adds short spurs to its skeleton).
  for (double pen : {2.0, 4.0, 8.0}) {
    const double flat = widthOf(paintedLine(120, {10, 60}, {110, 60}, pen));
    const double diagonal = widthOf(paintedLine(120, {15, 15}, {105, 105}, pen));
    const double steep = widthOf(paintedLine(120, {40, 10}, {80, 110}, pen));
    EXPECT_NEAR(flat, flatBar(pen, 100), 0.03 * pen) << pen;
    EXPECT_NEAR(diagonal, flatBar(pen, 90 * std::sqrt(2.0)), 0.06 * pen) << pen;
    EXPECT_NEAR(steep, flatBar(pen, std::hypot(40, 100)), 0.2 * pen) << pen;
  }
}

TEST(StrokeWeight, NoInkMeasuresZero) {
  const Plane p = blank(10, 10);
  EXPECT_EQ(widthOf(p), 0.0);
  EXPECT_EQ(strokeWidth(nullptr, 0, 0), 0.0);
  const StrokeMeasure m = measureStrokes(p.v.data(), p.w, p.h);
  EXPECT_EQ(m.ink, 0.0);
  EXPECT_EQ(m.length, 0.0);
}

TEST(StrokeWeight, SkeletonOfABarIsOnePixelWide) {
  const Plane p = bar(40, 20, 5, 6, 30, 7);
  std::vector<unsigned char> mask(p.v.size());
  for (size_t i = 0; i < mask.size(); ++i) mask[i] = p.v[i] > 0;
  const auto s = skeleton(mask, p.w, p.h);
  for (int x = 10; x < 30; ++x) {  // away from the ends
    int on = 0, row = -1;
    for (int y = 0; y < p.h; ++y)
      if (s[size_t(y) * p.w + x]) ++on, row = y;
    EXPECT_EQ(on, 1) << "column " << x;
    EXPECT_EQ(row, 9) << "column " << x;  // the bar's middle row
  }
  // Never outside the ink.
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i]) EXPECT_TRUE(mask[i]);
  // A lone pixel, a 2x2 square: a little ink survives as a skeleton of length 1.
  EXPECT_EQ(skeletonLength(skeleton(mask, p.w, p.h), p.w, p.h), skeletonLength(s, p.w, p.h));
  std::vector<unsigned char> dot(25, 0);
  dot[12] = 1;
  EXPECT_EQ(skeletonLength(skeleton(dot, 5, 5), 5, 5), 1.0);
}

TEST(StrokeWeight, SkeletonLengthCountsDiagonalStepsAsRootTwo) {
  std::vector<unsigned char> s(100, 0);
  for (int i = 0; i < 10; ++i) s[size_t(i) * 10 + i] = 1;  // the main diagonal of 10x10
  EXPECT_NEAR(skeletonLength(s, 10, 10), 9 * std::sqrt(2.0), 1e-9);
  std::vector<unsigned char> l(100, 0);
  for (int i = 0; i < 6; ++i) l[size_t(2) * 10 + i] = 1;  // a row of 6 ...
  for (int i = 3; i < 8; ++i) l[size_t(i) * 10 + 5] = 1;  // ... and a column down from its end
  EXPECT_NEAR(skeletonLength(l, 10, 10), 5 + 5, 1e-9);
}

TEST(StrokeWeight, SignedDistanceKnownAnswers) {
  std::vector<unsigned char> m(25, 0);
  m[12] = 1;  // the centre of 5x5
  const auto sd = signedDistance(m, 5, 5);
  EXPECT_FLOAT_EQ(sd[12], 0.5f);                         // 1 to the nearest background, less 0.5
  EXPECT_FLOAT_EQ(sd[13], -0.5f);                        // next to the ink
  EXPECT_FLOAT_EQ(sd[14], -1.5f);                        // two away
  EXPECT_NEAR(sd[18], 0.5f - std::sqrt(2.f), 1e-6);      // diagonal
  EXPECT_NEAR(sd[24], 0.5f - 2 * std::sqrt(2.f), 1e-6);  // the far corner
}

TEST(StrokeWeight, SignedDistanceIsExact) {
  // Against brute force on a random mask.
  const int w = 31, h = 23;
  std::mt19937 rng(7);
  std::vector<unsigned char> m(size_t(w) * h);
  for (auto& b : m) b = (rng() % 5) == 0;
  const auto sd = signedDistance(m, w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const bool ink = m[size_t(y) * w + x];
      double best = 1e9;
      for (int v = 0; v < h; ++v)
        for (int u = 0; u < w; ++u)
          if (bool(m[size_t(v) * w + u]) != ink) best = std::min(best, std::hypot(u - x, v - y));
      const double expected = ink ? best - 0.5 : 0.5 - best;
      ASSERT_NEAR(sd[size_t(y) * w + x], expected, 1e-4) << x << "," << y;
    }
}

TEST(StrokeWeight, ChangeStrokeWidthWidensAndThins) {
  const Plane original = bar(340, 40, 20, 16, 300, 6);
  for (double delta : {-4.0, -2.0, 0.0, 2.0, 6.0}) {
    Plane p = original;
    changeStrokeWidth(p.v, p.w, p.h, delta);
    // A bar (6 + delta) x (300 + delta): the ink grows or shrinks by delta / 2 on every side.
    EXPECT_NEAR(widthOf(p), flatBar(6 + delta, 300 + delta), 0.03 * (6 + delta)) << delta;
    // Levels stay in [0, 1], and the ink stays centred on the bar's middle row (18.5).
    double mass = 0, my = 0;
    for (int y = 0; y < p.h; ++y)
      for (int x = 0; x < p.w; ++x) {
        const float v = p.at(x, y);
        ASSERT_GE(v, 0.f);
        ASSERT_LE(v, 1.f);
        mass += v;
        my += v * (y + 0.5);
      }
    EXPECT_NEAR(my / mass, 19.0, 0.05) << delta;
  }
  Plane same = original;
  changeStrokeWidth(same.v, same.w, same.h, 0.0);
  EXPECT_EQ(same.v, original.v);  // a solid bar is its own anti-aliased self
  Plane empty = blank(8, 8);
  changeStrokeWidth(empty.v, empty.w, empty.h, 3.0);
  EXPECT_TRUE(std::all_of(empty.v.begin(), empty.v.end(), [](float v) { return v == 0.f; }));
}

TEST(StrokeWeight, MnistPercentilesAreTheEmbeddedDigits) {
  // The figures MnistStrokeWidth states, measured again (train and test, 10,000 digits).
  const DatasetPair data = loadEmbeddedMnist();
  std::vector<double> w;
  for (const Dataset* d : {&data.train, &data.test})
    for (int i = 0; i < d->count; ++i) w.push_back(strokeWidth(d->image(i), d->cols, d->rows));
  ASSERT_EQ(w.size(), 10000u);
  std::sort(w.begin(), w.end());
  auto pct = [&](double q) {
    const double at = q * double(w.size() - 1);
    const size_t i = size_t(at);
    return w[i] + (w[std::min(i + 1, w.size() - 1)] - w[i]) * (at - double(i));
  };
  EXPECT_NEAR(pct(0.1), MnistStrokeWidth::kP10, 0.01);
  EXPECT_NEAR(pct(0.5), MnistStrokeWidth::kMedian, 0.01);
  EXPECT_NEAR(pct(0.9), MnistStrokeWidth::kP90, 0.01);
}

}  // namespace
}  // namespace dl
