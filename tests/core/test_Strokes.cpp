// Tests of data/Strokes.h (strokes to the 28x28 with an MNIST pen) and of the raster path's
// stroke-width normalisation (data/DigitPreprocess.h, ToMnist): the same hand-drawn "4" and "8"
// drawn small and large, with a thin and a heavy pen, give 28x28 inputs close to each other and
// with a stroke weight inside MNIST's.
//
// Measures and bounds:
//  - closeness: the mean absolute difference of the 784 pixel levels (0..1). Two renderings of one
//    set of strokes must differ by less than 0.05 (stroke path) or 0.07 (raster path, small vs
//    large and thin vs heavy pen), where leaving the pen's width as drawn differs by more than 0.1.
//  - stroke weight: strokeWidth() (ink / skeleton length, data/StrokeWeight.h) inside MNIST's 10th
//    to 90th percentile (MnistStrokeWidth::kP10..kP90, measured in test_StrokeWeight.cpp).

#include "data/DigitPreprocess.h"
#include "data/StrokeWeight.h"
#include "data/Strokes.h"

#include "HandDrawnStrokes.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <string>

namespace dl {
namespace {

constexpr int kSide = DigitInput::kSide;
constexpr int kCanvas = 280;  // the canvas's default side, in pixels

double meanAbsDifference(const DigitInput& a, const DigitInput& b) {
  double sum = 0;
  for (int i = 0; i < DigitInput::kPixels; ++i) sum += std::abs(a.pixels[size_t(i)] - b.pixels[size_t(i)]);
  return sum / DigitInput::kPixels;
}

double widthOf(const DigitInput& d) { return strokeWidth(d.pixels.data(), kSide, kSide); }

// The strokes as a mouse gives them on the canvas: at whole pixels of a kCanvas-pixel square.
Strokes onTheCanvas(const Strokes& strokes) {
  Strokes out;
  for (const QPolygonF& s : strokes) {
    QPolygonF p;
    for (QPointF q : s) p << QPointF(std::round(q.x() * kCanvas), std::round(q.y() * kCanvas)) / kCanvas;
    out << p;
  }
  return out;
}

struct Drawn {
  std::string name;
  Strokes strokes;
};

// The digit drawn small (a fifth of the canvas, off in a corner) and large (most of it).
std::vector<Drawn> smallAndLarge(const Strokes& digit) {
  return {{"small", onTheCanvas(test::placed(digit, 0.2, {0.62, 0.1}))},
          {"large", onTheCanvas(test::placed(digit, 0.9, {0.04, 0.05}))}};
}

void expectInMnistRange(const DigitInput& d, const std::string& what) {
  const double w = widthOf(d);
  EXPECT_GE(w, MnistStrokeWidth::kP10) << what;
  EXPECT_LE(w, MnistStrokeWidth::kP90) << what;
}

void expectFittedAndCentred(const DigitInput& d, const std::string& what) {
  ASSERT_FALSE(d.empty) << what;
  int top = kSide, bottom = -1, left = kSide, right = -1;
  double m = 0, cx = 0, cy = 0;
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) {
      const double v = d.pixels[size_t(y * kSide + x)];
      if (v <= 0) continue;
      top = std::min(top, y), bottom = std::max(bottom, y), left = std::min(left, x), right = std::max(right, x);
      m += v, cx += v * (x + 0.5), cy += v * (y + 0.5);
    }
  EXPECT_EQ(std::max(bottom - top + 1, right - left + 1), DigitInput::kBox) << what;
  EXPECT_NEAR(cx / m, 14.0, 0.5) << what;
  EXPECT_NEAR(cy / m, 14.0, 0.5) << what;
}

class StrokesOfADigit : public ::testing::TestWithParam<int> {
 protected:
  Strokes digit() const { return GetParam() == 4 ? test::handDrawnFour() : test::handDrawnEight(); }
};

TEST_P(StrokesOfADigit, SmallAndLargeDrawingsGiveTheSameInputWithMnistWeight) {
  const auto drawn = smallAndLarge(digit());
  const DigitInput small = renderStrokes(drawn[0].strokes);
  const DigitInput large = renderStrokes(drawn[1].strokes);
  expectFittedAndCentred(small, "small");
  expectFittedAndCentred(large, "large");
  EXPECT_LT(meanAbsDifference(small, large), 0.05);
  expectInMnistRange(small, "small");
  expectInMnistRange(large, "large");
}

TEST_P(StrokesOfADigit, PicturesWithAnyPenAndSizeAreNormalisedToTheStrokeRendering) {
  const DigitInput reference = renderStrokes(onTheCanvas(digit()));
  struct Picture {
    std::string name;
    DigitInput normalised, kept;
  };
  std::vector<Picture> pictures;
  for (const Drawn& d : smallAndLarge(digit())) {
    const double height = strokesBounds(d.strokes).height() * kCanvas;
    // Pens 1.5%, 6% and 14% of the digit's height: a hairline, about MNIST's, heavy (MNIST's pen
    // is 2.35 / 20, 12%, of its digits' height; a heavier pen closes the 8's loops for good).
    for (double pen : {0.015, 0.06, 0.14}) {
      const QImage picture = paintStrokes(d.strokes, kCanvas, kCanvas, pen * height);
      pictures.push_back({d.name + " pen " + std::to_string(pen * height),
                          preprocessDigit(picture, InkPolarity::DarkOnLight, StrokeNormalisation::ToMnist),
                          preprocessDigit(picture, InkPolarity::DarkOnLight, StrokeNormalisation::Keep)});
    }
  }
  double keptSpread = 0;
  for (const Picture& a : pictures) {
    expectFittedAndCentred(a.normalised, a.name);
    expectInMnistRange(a.normalised, a.name);
    EXPECT_LT(meanAbsDifference(a.normalised, reference), 0.07) << a.name;
    for (const Picture& b : pictures) {
      EXPECT_LT(meanAbsDifference(a.normalised, b.normalised), 0.07) << a.name << " vs " << b.name;
      keptSpread = std::max(keptSpread, meanAbsDifference(a.kept, b.kept));
    }
  }
  // Without the normalisation the same pictures are far apart: the bound above means something.
  EXPECT_GT(keptSpread, 0.1);
}

INSTANTIATE_TEST_SUITE_P(FourAndEight, StrokesOfADigit, ::testing::Values(4, 8),
                         [](const ::testing::TestParamInfo<int>& i) { return "digit" + std::to_string(i.param); });

TEST(Strokes, PenWidthIsTheStrokeWidthOfTheInput) {
  // A straight stroke drawn with pen p fills the 20-pixel box: a skeleton 20 - p long, and ink
  // p * (20 - p) plus the two round caps' pi p^2 / 4, so the measure is p + pi p^2 / (4 (20 - p)).
  const Strokes line{QPolygonF({{0.1, 0.1}, {0.4, 0.9}})};
  auto expected = [](double p) { return p + std::numbers::pi * p * p / (4 * (DigitInput::kBox - p)); };
  for (double pen : {1.5, MnistStrokeWidth::kPen, 3.5})
    EXPECT_NEAR(widthOf(renderStrokes(line, pen)), expected(pen), 0.08 * pen) << pen;
  EXPECT_EQ(renderStrokes(line).pixels, renderStrokes(line, MnistStrokeWidth::kPen).pixels);
}

TEST(Strokes, TheInputDoesNotDependOnWhereOrHowLargeTheStrokesAre) {
  // Pure scaling and moving of exact (unrounded) points: the same input to within rounding.
  const DigitInput a = renderStrokes(test::placed(test::handDrawnEight(), 1.0, {0, 0}));
  const DigitInput b = renderStrokes(test::placed(test::handDrawnEight(), 37.5, {-300, 1200}));
  EXPECT_LT(meanAbsDifference(a, b), 0.005);
}

TEST(Strokes, NoStrokesOrNoFinitePointsGiveAnEmptyInput) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (const Strokes& s : {Strokes{}, Strokes{QPolygonF{}}, Strokes{QPolygonF({{nan, 0.5}, {0.5, inf}})}}) {
    const DigitInput d = renderStrokes(s);
    EXPECT_TRUE(d.empty);
    EXPECT_TRUE(std::all_of(d.pixels.begin(), d.pixels.end(), [](float v) { return v == 0.f; }));
    EXPECT_EQ(d.image.size(), QSize(kSide, kSide));
  }
  // Points whose distance overflows a double.
  EXPECT_TRUE(renderStrokes({QPolygonF({{-1e308, 0}, {1e308, 0}})}).empty);
  // Non-finite points among finite ones are skipped.
  const DigitInput clean = renderStrokes({QPolygonF({{0.2, 0.2}, {0.3, 0.8}})});
  const DigitInput dirty = renderStrokes({QPolygonF({{0.2, 0.2}, {nan, nan}, {0.3, 0.8}}), QPolygonF({{inf, 1}})});
  EXPECT_EQ(clean.pixels, dirty.pixels);
}

TEST(Strokes, ADotIsADiscFittedToTheBox) {
  // One click: a stroke of one point, or of one point repeated. Like MNIST, the ink's box fills
  // the 20x20: a disc 20 pixels across.
  for (const Strokes& s : {Strokes{QPolygonF({{0.5, 0.5}})}, Strokes{QPolygonF({{0.5, 0.5}, {0.5, 0.5}})}}) {
    const DigitInput d = renderStrokes(s);
    expectFittedAndCentred(d, "dot");
    EXPECT_FLOAT_EQ(d.pixels[size_t(14 * kSide + 14)], 1.f);
    EXPECT_EQ(d.pixels[size_t(4 * kSide + 4)], 0.f);  // a disc, not a square
  }
}

TEST(Strokes, AbsurdPenWidthsAreClamped) {
  const Strokes line{QPolygonF({{0.1, 0.1}, {0.4, 0.9}})};
  for (double pen : {-3.0, 0.0, std::numeric_limits<double>::quiet_NaN(), 1e9}) {
    const DigitInput d = renderStrokes(line, pen);
    expectFittedAndCentred(d, "pen " + std::to_string(pen));
  }
}

TEST(Strokes, PaintStrokesDrawsDarkInkOnWhiteWithThePen) {
  const QImage img = paintStrokes({QPolygonF({{0.5, 0.1}, {0.5, 0.9}})}, 100, 100, 10);
  ASSERT_EQ(img.size(), QSize(100, 100));
  EXPECT_EQ(qGray(img.pixel(50, 50)), 0);
  EXPECT_EQ(qGray(img.pixel(46, 50)), 0);  // within the pen's half-width
  EXPECT_EQ(qGray(img.pixel(40, 50)), 255);
  EXPECT_EQ(qGray(img.pixel(50, 2)), 255);
  const QRectF b = strokesBounds({QPolygonF({{0.5, 0.1}, {0.2, 0.9}}), QPolygonF({{0.7, 0.4}})});
  EXPECT_EQ(b, QRectF(QPointF(0.2, 0.1), QPointF(0.7, 0.9)));
}

// The strokes' points land on the 28x28's ink through sourceToInput: the end points of a "7"
// drawn anywhere on the canvas map onto inked pixels of the field.
TEST(Strokes, SourceToInputMapsCanvasUnitsOntoTheInk) {
  const Strokes seven{QPolygonF({QPointF(0.3, 0.2), QPointF(0.7, 0.2), QPointF(0.45, 0.8)})};
  const DigitInput d = renderStrokes(seven);
  ASSERT_FALSE(d.empty);
  for (QPointF p : seven.front()) {
    const QPointF f = d.sourceToInput.map(p);
    ASSERT_GE(f.x(), 0);
    ASSERT_GE(f.y(), 0);
    ASSERT_LT(f.x(), kSide);
    ASSERT_LT(f.y(), kSide);
    EXPECT_GT(d.pixels[size_t(int(f.y()) * kSide + int(f.x()))], 0.4f) << p.x() << "," << p.y();
  }
  // Its middle of the top bar too, and a point far from every stroke maps onto no ink.
  const QPointF mid = d.sourceToInput.map(QPointF(0.5, 0.2));
  EXPECT_GT(d.pixels[size_t(int(mid.y()) * kSide + int(mid.x()))], 0.4f);
  const QPointF away = d.sourceToInput.map(QPointF(0.3, 0.75));
  ASSERT_TRUE(away.x() >= 0 && away.y() >= 0 && away.x() < kSide && away.y() < kSide);
  EXPECT_EQ(d.pixels[size_t(int(away.y()) * kSide + int(away.x()))], 0.f);
}

}  // namespace
}  // namespace dl
