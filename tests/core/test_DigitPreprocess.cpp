// Tests of the MNIST-style canvas preprocessing (data/DigitPreprocess.h): bounding box, 20x20
// fit with the aspect ratio kept, centre of mass at (14, 14), grey levels, polarity, empty input.
// The tests that count the exact pixels of a solid bar after the fit ask for
// StrokeNormalisation::Keep: the default (ToMnist) deliberately makes a 20-pixel-wide bar as thin
// as an MNIST stroke. Stroke-width normalisation itself is tested in test_StrokeWeight.cpp and
// test_Strokes.cpp.

#include "data/DigitPreprocess.h"

#include <gtest/gtest.h>

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace dl {
namespace {

constexpr int kSide = DigitInput::kSide;

QImage paper(int w = 280, int h = 280, QColor colour = Qt::white) {
  QImage img(w, h, QImage::Format_RGB32);
  img.fill(colour);
  return img;
}

QImage withRect(QImage img, QRect r, QColor ink = Qt::black) {
  QPainter p(&img);
  p.fillRect(r, ink);
  return img;
}

struct Box {
  int left = kSide, top = kSide, right = -1, bottom = -1;
  int width() const { return right - left + 1; }
  int height() const { return bottom - top + 1; }
};

Box inkBox(const DigitInput& d) {
  Box b;
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x)
      if (d.pixels[y * kSide + x] > 0) {
        b.left = std::min(b.left, x);
        b.right = std::max(b.right, x);
        b.top = std::min(b.top, y);
        b.bottom = std::max(b.bottom, y);
      }
  return b;
}

// Centre of mass with pixel centres at (x + 0.5, y + 0.5): the field's centre is (14, 14).
std::pair<double, double> centreOfMass(const DigitInput& d) {
  double m = 0, cx = 0, cy = 0;
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) {
      const double v = d.pixels[y * kSide + x];
      m += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  return {cx / m, cy / m};
}

void expectCentred(const DigitInput& d) {
  const auto [cx, cy] = centreOfMass(d);
  EXPECT_NEAR(cx, 14.0, 0.5);
  EXPECT_NEAR(cy, 14.0, 0.5);
}

void expectUnitRange(const DigitInput& d) {
  for (float v : d.pixels) {
    ASSERT_GE(v, 0.f);
    ASSERT_LE(v, 1.f);
  }
}

TEST(DigitPreprocess, VerticalBarAnywhereLandsCentredWithHeight20) {
  for (QPoint at : {QPoint(10, 20), QPoint(130, 40), QPoint(250, 70)}) {
    const DigitInput d =
        preprocessDigit(withRect(paper(), QRect(at, QSize(20, 200))), InkPolarity::Auto, StrokeNormalisation::Keep);
    ASSERT_FALSE(d.empty);
    const Box b = inkBox(d);
    EXPECT_EQ(b.height(), 20) << "bar at " << at.x() << "," << at.y();
    EXPECT_EQ(b.width(), 2);  // 20 x 200 scaled by 20/200
    EXPECT_EQ(b.top, 4);
    EXPECT_EQ(b.left, 13);
    expectCentred(d);
    // Solid ink stays solid: the interior is full strength.
    EXPECT_FLOAT_EQ(d.pixels[14 * kSide + 13], 1.f);
  }
}

TEST(DigitPreprocess, OffCentreBlobIsMovedToTheCentre) {
  QImage img = paper(300, 200);
  {
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(Qt::black);
    p.drawEllipse(QRectF(5, 8, 40, 40));  // top-left corner
  }
  const DigitInput d = preprocessDigit(img);
  ASSERT_FALSE(d.empty);
  expectCentred(d);
  const Box b = inkBox(d);
  EXPECT_EQ(b.width(), 20);
  EXPECT_EQ(b.height(), 20);
  expectUnitRange(d);
}

TEST(DigitPreprocess, WideHorizontalStrokeIsScaledToWidth20) {
  const DigitInput d = preprocessDigit(withRect(paper(), QRect(30, 200, 200, 16)));
  const Box b = inkBox(d);
  EXPECT_EQ(b.width(), 20);
  EXPECT_EQ(b.left, 4);
  EXPECT_GE(b.height(), 1);
  EXPECT_LE(b.height(), 3);
  expectCentred(d);
}

TEST(DigitPreprocess, AspectRatioIsKept) {
  // 100 x 50 -> 20 x 10; 60 x 150 -> 8 x 20.
  constexpr auto keep = StrokeNormalisation::Keep;
  Box b = inkBox(preprocessDigit(withRect(paper(), QRect(50, 60, 100, 50)), InkPolarity::Auto, keep));
  EXPECT_EQ(b.width(), 20);
  EXPECT_EQ(b.height(), 10);
  b = inkBox(preprocessDigit(withRect(paper(), QRect(70, 20, 60, 150)), InkPolarity::Auto, keep));
  EXPECT_EQ(b.width(), 8);
  EXPECT_EQ(b.height(), 20);
}

TEST(DigitPreprocess, SmallInkIsEnlargedToTheBox) {
  const DigitInput d = preprocessDigit(withRect(paper(40, 40), QRect(10, 10, 5, 10)));
  const Box b = inkBox(d);
  EXPECT_EQ(b.width(), 10);
  EXPECT_EQ(b.height(), 20);
  expectCentred(d);
  for (int y = b.top; y <= b.bottom; ++y)
    for (int x = b.left; x <= b.right; ++x) EXPECT_FLOAT_EQ(d.pixels[y * kSide + x], 1.f);
}

TEST(DigitPreprocess, ScalingAveragesAreaIntoGreyLevels) {
  // A dot and a 10-pixel-wide bar spanning a 110 x 280 crop: scale 20/280, so the bar becomes
  // 0.71 px wide and its ink spreads into anti-aliased grey, never stronger than the ink itself.
  QImage img = paper(300, 300);
  img = withRect(img, QRect(0, 10, 10, 10));
  img = withRect(img, QRect(100, 10, 10, 280));
  const DigitInput d = preprocessDigit(img, InkPolarity::Auto, StrokeNormalisation::Keep);
  const Box b = inkBox(d);
  EXPECT_EQ(b.height(), 20);
  EXPECT_EQ(b.width(), 8);
  float strongest = 0;
  for (float v : d.pixels) strongest = std::max(strongest, v);
  EXPECT_GT(strongest, 0.3f);
  EXPECT_LT(strongest, 1.f);
  expectUnitRange(d);
}

TEST(DigitPreprocess, EmptyPictureGivesZerosAndTheEmptyFlag) {
  for (const QImage& img : {paper(), paper(50, 80, Qt::black), QImage()}) {
    const DigitInput d = preprocessDigit(img);
    EXPECT_TRUE(d.empty);
    EXPECT_TRUE(std::all_of(d.pixels.begin(), d.pixels.end(), [](float v) { return v == 0.f; }));
    ASSERT_EQ(d.image.size(), QSize(kSide, kSide));
    EXPECT_EQ(d.image.pixelColor(14, 14), QColor(Qt::black));
  }
}

TEST(DigitPreprocess, ValuesStayInUnitRangeForAScribble) {
  QImage img = paper(333, 271);
  {
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(Qt::black, 19, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.drawPolyline(QPolygonF({{40, 40}, {200, 60}, {90, 230}, {300, 250}}));
  }
  const DigitInput d = preprocessDigit(img);
  ASSERT_FALSE(d.empty);
  expectUnitRange(d);
  expectCentred(d);
  EXPECT_FLOAT_EQ(*std::max_element(d.pixels.begin(), d.pixels.end()), 1.f);
}

TEST(DigitPreprocess, WhiteOnBlackGivesTheSameAsBlackOnWhite) {
  const QRect stroke(80, 50, 30, 170);
  const DigitInput dark = preprocessDigit(withRect(paper(), stroke));
  const DigitInput light = preprocessDigit(withRect(paper(280, 280, Qt::black), stroke, Qt::white));
  const DigitInput lightFlag =
      preprocessDigit(withRect(paper(280, 280, Qt::black), stroke, Qt::white), InkPolarity::LightOnDark);
  const DigitInput darkFlag = preprocessDigit(withRect(paper(), stroke), InkPolarity::DarkOnLight);
  EXPECT_EQ(dark.pixels, light.pixels);
  EXPECT_EQ(dark.pixels, lightFlag.pixels);
  EXPECT_EQ(dark.pixels, darkFlag.pixels);
}

TEST(DigitPreprocess, InkOnTransparentBackgroundIsRead) {
  QImage img(200, 200, QImage::Format_ARGB32);
  img.fill(Qt::transparent);
  img = withRect(img, QRect(90, 10, 20, 180), Qt::white);  // white ink, would vanish over white
  const DigitInput d = preprocessDigit(img);
  ASSERT_FALSE(d.empty);
  EXPECT_EQ(inkBox(d).height(), 20);
  expectCentred(d);
}

TEST(DigitPreprocess, TintedPaperAndGreyInkAreNormalised) {
  const QRect stroke(80, 50, 30, 170);
  const DigitInput clean = preprocessDigit(withRect(paper(), stroke));
  const DigitInput tinted =
      preprocessDigit(withRect(paper(280, 280, QColor(200, 200, 200)), stroke, QColor(60, 60, 60)));
  ASSERT_FALSE(tinted.empty);
  for (int i = 0; i < DigitInput::kPixels; ++i) EXPECT_NEAR(tinted.pixels[i], clean.pixels[i], 1e-5f) << i;
}

TEST(DigitPreprocess, StrokeNormalisationSurvivesOddPictures) {
  // Whatever the picture, the normalised input is finite, in [0, 1], fitted and centred when
  // there is ink; a blob or a filled shape is kept rather than eaten away.
  QImage noise = paper(60, 60);
  uint32_t state = 12345;
  for (int y = 10; y < 50; ++y)
    for (int x = 10; x < 50; ++x) {
      state = state * 1664525u + 1013904223u;
      if ((state >> 24) % 3 == 0) noise.setPixel(x, y, qRgb(0, 0, 0));
    }
  QImage checker = paper(40, 40);
  for (int y = 8; y < 32; ++y)
    for (int x = 8; x < 32; ++x)
      if ((x + y) % 2) checker.setPixel(x, y, qRgb(0, 0, 0));
  const std::vector<std::pair<const char*, QImage>> pictures = {
      {"one pixel of ink", withRect(paper(30, 30), QRect(12, 12, 1, 1))},
      {"a 1-pixel line 1000 long", withRect(paper(1100, 40), QRect(50, 20, 1000, 1))},
      {"a filled disc",
       [] {
         QImage img = paper(200, 200);
         QPainter p(&img);
         p.setRenderHint(QPainter::Antialiasing);
         p.setBrush(Qt::black);
         p.drawEllipse(QRect(40, 40, 100, 100));
         return img;
       }()},
      {"a filled square", withRect(paper(), QRect(60, 60, 150, 150))},
      {"noise", noise},
      {"a checkerboard", checker},
      {"a 1x1 picture of ink", QImage(1, 1, QImage::Format_RGB32)},
  };
  for (const auto& [name, picture] : pictures) {
    const DigitInput d = preprocessDigit(picture, InkPolarity::DarkOnLight);
    for (float v : d.pixels) {
      ASSERT_TRUE(std::isfinite(v)) << name;
      ASSERT_GE(v, 0.f) << name;
      ASSERT_LE(v, 1.f) << name;
    }
    if (d.empty) continue;
    EXPECT_EQ(std::max(inkBox(d).width(), inkBox(d).height()), DigitInput::kBox) << name;
    expectCentred(d);
  }
  // The disc and the square are shapes, not strokes: as fitted, not thinned.
  for (size_t i : {2u, 3u}) {
    const QImage& picture = pictures[i].second;
    EXPECT_EQ(preprocessDigit(picture, InkPolarity::DarkOnLight).pixels,
              preprocessDigit(picture, InkPolarity::DarkOnLight, StrokeNormalisation::Keep).pixels)
        << pictures[i].first;
  }
}

TEST(DigitPreprocess, DisplayImageMatchesThePixels) {
  const DigitInput d = preprocessDigit(withRect(paper(), QRect(80, 50, 30, 170)));
  ASSERT_EQ(d.image.size(), QSize(kSide, kSide));
  EXPECT_EQ(d.image.format(), QImage::Format_Grayscale8);
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x)
      EXPECT_EQ(d.image.constScanLine(y)[x], std::lround(d.pixels[y * kSide + x] * 255.f)) << x << "," << y;
}

TEST(DigitPreprocess, DigitImageClampsAndKeepsSize) {
  const float v[6] = {0.f, 0.5f, 1.f, -1.f, 2.f, 0.25f};
  const QImage img = digitImage(v, 2, 3);
  ASSERT_EQ(img.size(), QSize(3, 2));
  EXPECT_EQ(img.constScanLine(0)[0], 0);
  EXPECT_EQ(img.constScanLine(0)[1], 128);
  EXPECT_EQ(img.constScanLine(0)[2], 255);
  EXPECT_EQ(img.constScanLine(1)[0], 0);
  EXPECT_EQ(img.constScanLine(1)[1], 255);
  EXPECT_EQ(img.constScanLine(1)[2], 64);
}

// sourceToInput maps the picture's points onto the field: the corners of an ink rectangle land
// on the corners of its ink in the 28x28 (within a pixel: the fit rounds its box and shift), with
// and without the stroke-width normalisation, for an off-centre "L".
TEST(DigitPreprocess, SourceToInputMapsThePictureOntoTheField) {
  QImage picture(300, 200, QImage::Format_RGB32);
  picture.fill(Qt::white);
  {
    QPainter p(&picture);
    p.fillRect(QRect(200, 40, 12, 120), Qt::black);  // the L's upright: x 200..212, y 40..160
    p.fillRect(QRect(200, 148, 60, 12), Qt::black);  // its foot: x 200..260
  }
  for (StrokeNormalisation mode : {StrokeNormalisation::Keep, StrokeNormalisation::ToMnist}) {
    const DigitInput d = preprocessDigit(picture, InkPolarity::DarkOnLight, mode);
    const Box b = inkBox(d);
    const QPointF topLeft = d.sourceToInput.map(QPointF(200, 40));
    const QPointF bottomRight = d.sourceToInput.map(QPointF(260, 160));
    EXPECT_NEAR(topLeft.x(), b.left, 1.0) << int(mode);
    EXPECT_NEAR(topLeft.y(), b.top, 1.0) << int(mode);
    EXPECT_NEAR(bottomRight.x(), b.right + 1, 1.0) << int(mode);
    EXPECT_NEAR(bottomRight.y(), b.bottom + 1, 1.0) << int(mode);
    // A point inside the upright is ink in the field.
    const QPointF upright = d.sourceToInput.map(QPointF(206, 100));
    EXPECT_GT(d.pixels[size_t(int(upright.y()) * kSide + int(upright.x()))], 0.5f) << int(mode);
  }
}

}  // namespace
}  // namespace dl
