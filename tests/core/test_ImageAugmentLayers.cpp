// RandomRotation, RandomTranslation, RandomZoom and GaussianNoise: known answers on a small image
// for fixed draws (rotation by 90 degrees, a shift by half a pixel, a zoom, every fill mode),
// identity in inference, draws reproducible from the seed, backward as the transpose of the
// sampling, GaussianNoise's mean and standard deviation.

#define DL_TEST_COUNT_ALLOCATIONS  // this binary counts heap allocations (TestSupport.h)
#include "TestSupport.h"

#include "nn/BatchNormLayer.h"
#include "nn/GaussianNoiseLayer.h"
#include "nn/ImageAugmentLayers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

using namespace dl;

namespace {

constexpr double kPi = std::numbers::pi;

// The 5x5 one-channel image   in(y, x) = 10 y + x:
//    0  1  2  3  4
//   10 11 12 13 14
//   20 21 22 23 24
//   30 31 32 33 34
//   40 41 42 43 44
Matrix image5x5() {
  Matrix m(1, 25);
  for (int y = 0; y < 5; ++y)
    for (int x = 0; x < 5; ++x) m(0, y * 5 + x) = float(10 * y + x);
  return m;
}

template <class L>
std::unique_ptr<L> built(std::unique_ptr<L> layer, const Shape& shape = {5, 5, 1}) {
  Rng rng(1);
  layer->build(shape, rng);
  return layer;
}

std::unique_ptr<RandomTranslationLayer> translationLayer(FillMode fill, double fillValue = 0.0,
                                                         Interpolation interpolation = Interpolation::Bilinear) {
  return built(std::make_unique<RandomTranslationLayer>(-0.2, 0.2, -0.2, 0.2, fill, interpolation, fillValue, 1));
}

// Rows of a 5x5 output as a reader sees them.
void expectImage(const Matrix& y, const std::vector<std::vector<float>>& rows) {
  ASSERT_EQ(y.cols(), 25);
  for (int r = 0; r < 5; ++r)
    for (int c = 0; c < 5; ++c)
      EXPECT_NEAR(y(0, r * 5 + c), rows[size_t(r)][size_t(c)], 1e-4) << "at " << r << "," << c;
}

TEST(RandomRotation, ninetyDegreesTurnsTheImageCounterClockwise) {
  auto layer =
      built(std::make_unique<RandomRotationLayer>(-0.5, 0.5, FillMode::Constant, Interpolation::Bilinear, 0.0, 1));
  // out(y, x) = in(x, 4 - y): the top-right corner (4) goes to the top left.
  expectImage(
      layer->forwardWith(image5x5(), {RandomRotationLayer::rotation(kPi / 2, 5, 5)}),
      {{4, 14, 24, 34, 44}, {3, 13, 23, 33, 43}, {2, 12, 22, 32, 42}, {1, 11, 21, 31, 41}, {0, 10, 20, 30, 40}});
}

TEST(RandomRotation, keepsTheCentreAndSamplesBilinearlyBetweenPixels) {
  auto layer =
      built(std::make_unique<RandomRotationLayer>(-0.5, 0.5, FillMode::Constant, Interpolation::Bilinear, 0.0, 1));
  // 45 degrees: output (2, 3) reads (x', y') = (2 + cos45, 2 + sin45) = (2.7071, 2.7071); the
  // image is linear, so bilinear gives 10 y' + x' exactly.
  const Matrix& y = layer->forwardWith(image5x5(), {RandomRotationLayer::rotation(kPi / 4, 5, 5)});
  EXPECT_NEAR(y(0, 12), 22.0f, 1e-5);
  const double r = std::sqrt(0.5);
  EXPECT_NEAR(y(0, 2 * 5 + 3), 10 * (2 + r) + (2 + r), 1e-4);
}

TEST(RandomTranslation, halfAPixelRightInEveryFillMode) {
  // x' = x - 0.5: inside, the mean of two neighbours; the first column reads x' = -0.5, half of it
  // from column -1, which each fill mode supplies differently.
  const auto shift = RandomTranslationLayer::translation(0.0, 0.5);
  const std::vector<float> inside = {0.5f, 1.5f, 2.5f, 3.5f};
  struct Case {
    FillMode mode;
    float firstColumnRow0;  // out(0, 0)
    float firstColumnRow2;  // out(2, 0)
  };
  // reflect: column -1 is column 0; wrap: column 4; nearest: column 0; constant: fill_value 7.
  for (const Case c : {Case{FillMode::Reflect, 0.0f, 20.0f}, Case{FillMode::Wrap, 2.0f, 22.0f},
                       Case{FillMode::Nearest, 0.0f, 20.0f}, Case{FillMode::Constant, 3.5f, 13.5f}}) {
    auto layer = translationLayer(c.mode, 7.0);
    const Matrix& y = layer->forwardWith(image5x5(), {shift});
    EXPECT_NEAR(y(0, 0), c.firstColumnRow0, 1e-5) << int(c.mode);
    EXPECT_NEAR(y(0, 10), c.firstColumnRow2, 1e-5) << int(c.mode);
    for (int x = 1; x < 5; ++x) EXPECT_NEAR(y(0, 10 + x), 20 + inside[size_t(x - 1)], 1e-5) << int(c.mode);
  }
}

TEST(RandomTranslation, twoPixelsShowTheFillModesPatterns) {
  const auto shift = RandomTranslationLayer::translation(0.0, 2.0);  // right by 2: x' = x - 2
  // reflect (b a | a b c ...), wrap (d e | a b c), nearest (a a | a b c), constant (k k | a b c).
  auto reflect = translationLayer(FillMode::Reflect);
  expectImage(
      reflect->forwardWith(image5x5(), {shift}),
      {{1, 0, 0, 1, 2}, {11, 10, 10, 11, 12}, {21, 20, 20, 21, 22}, {31, 30, 30, 31, 32}, {41, 40, 40, 41, 42}});
  auto wrap = translationLayer(FillMode::Wrap);
  expectImage(
      wrap->forwardWith(image5x5(), {shift}),
      {{3, 4, 0, 1, 2}, {13, 14, 10, 11, 12}, {23, 24, 20, 21, 22}, {33, 34, 30, 31, 32}, {43, 44, 40, 41, 42}});
  auto nearest = translationLayer(FillMode::Nearest);
  expectImage(
      nearest->forwardWith(image5x5(), {shift}),
      {{0, 0, 0, 1, 2}, {10, 10, 10, 11, 12}, {20, 20, 20, 21, 22}, {30, 30, 30, 31, 32}, {40, 40, 40, 41, 42}});
  auto constant = translationLayer(FillMode::Constant, -1.0);
  expectImage(
      constant->forwardWith(image5x5(), {shift}),
      {{-1, -1, 0, 1, 2}, {-1, -1, 10, 11, 12}, {-1, -1, 20, 21, 22}, {-1, -1, 30, 31, 32}, {-1, -1, 40, 41, 42}});
}

TEST(RandomTranslation, positiveHeightShiftMovesDown) {
  auto layer = translationLayer(FillMode::Constant);
  expectImage(layer->forwardWith(image5x5(), {RandomTranslationLayer::translation(1.0, 0.0)}),
              {{0, 0, 0, 0, 0}, {0, 1, 2, 3, 4}, {10, 11, 12, 13, 14}, {20, 21, 22, 23, 24}, {30, 31, 32, 33, 34}});
}

TEST(RandomTranslation, nearestInterpolationRoundsToTheClosestPixel) {
  auto layer = translationLayer(FillMode::Constant, 0.0, Interpolation::Nearest);
  // x' = x - 0.4 rounds back to x; x' = x - 0.6 to x - 1.
  expectImage(
      layer->forwardWith(image5x5(), {RandomTranslationLayer::translation(0.0, 0.4)}),
      {{0, 1, 2, 3, 4}, {10, 11, 12, 13, 14}, {20, 21, 22, 23, 24}, {30, 31, 32, 33, 34}, {40, 41, 42, 43, 44}});
  expectImage(layer->forwardWith(image5x5(), {RandomTranslationLayer::translation(0.0, 0.6)}),
              {{0, 0, 1, 2, 3}, {0, 10, 11, 12, 13}, {0, 20, 21, 22, 23}, {0, 30, 31, 32, 33}, {0, 40, 41, 42, 43}});
}

TEST(RandomZoom, zoomInAndOutAboutTheCentre) {
  auto layer = built(
      std::make_unique<RandomZoomLayer>(-0.5, 0.5, true, 0, 0, FillMode::Constant, Interpolation::Bilinear, 0.0, 1));
  // zoom 0.5 (height_factor -0.5, zoomed in): x' = 0.5 x + 1, so out = 10 (0.5 y + 1) + 0.5 x + 1.
  const Matrix in = layer->forwardWith(image5x5(), {RandomZoomLayer::zoom(0.5, 0.5, 5, 5)});
  for (int y = 0; y < 5; ++y)
    for (int x = 0; x < 5; ++x) EXPECT_NEAR(in(0, y * 5 + x), 5.0 * y + 0.5 * x + 11, 1e-4);
  // zoom 2 in width only (zoomed out): x' = 2 x - 2; columns 0 and 4 fall outside.
  expectImage(layer->forwardWith(image5x5(), {RandomZoomLayer::zoom(1.0, 2.0, 5, 5)}),
              {{0, 0, 2, 4, 0}, {0, 10, 12, 14, 0}, {0, 20, 22, 24, 0}, {0, 30, 32, 34, 0}, {0, 40, 42, 44, 0}});
}

TEST(ImageAugmentLayers, areTheIdentityInInference) {
  const Matrix x = test::randomMatrix(4, 6 * 7 * 2, 3);
  std::vector<std::unique_ptr<Layer>> layers;
  layers.push_back(std::make_unique<RandomRotationLayer>(-0.3, 0.3, FillMode::Reflect, Interpolation::Bilinear, 0, 5));
  layers.push_back(
      std::make_unique<RandomTranslationLayer>(-0.3, 0.3, -0.3, 0.3, FillMode::Wrap, Interpolation::Bilinear, 0, 5));
  layers.push_back(
      std::make_unique<RandomZoomLayer>(-0.3, 0.3, true, 0, 0, FillMode::Nearest, Interpolation::Bilinear, 0, 5));
  layers.push_back(std::make_unique<GaussianNoiseLayer>(0.5, 5));
  for (auto& l : layers) {
    Rng rng(1);
    l->build({6, 7, 2}, rng);
    EXPECT_EQ(l->forward(x, false), x) << l->className();
    EXPECT_NE(l->forward(x, true), x) << l->className();
    Matrix dx;
    l->forward(x, false);
    l->backward(x, &dx);
    EXPECT_EQ(dx, x) << l->className();
  }
}

TEST(ImageAugmentLayers, drawsAreReproducibleFromTheSeedAndDifferBetweenBatches) {
  auto make = [](uint64_t seed) {
    return built(std::make_unique<RandomRotationLayer>(-0.2, 0.2, FillMode::Reflect, Interpolation::Bilinear, 0, seed),
                 {6, 6, 1});
  };
  const Matrix x = test::randomMatrix(8, 36, 4);
  auto a = make(42), b = make(42), c = make(43);
  const Matrix a1 = a->forward(x, true), b1 = b->forward(x, true), c1 = c->forward(x, true);
  EXPECT_EQ(a1, b1);
  EXPECT_NE(a1, c1);
  const Matrix a2 = a->forward(x, true);
  EXPECT_NE(a1, a2);  // a new draw for the next batch
  // One draw per sample: the rows of one batch differ from each other.
  const auto& t = a->lastTransforms();
  ASSERT_EQ(t.size(), 8u);
  EXPECT_NE(t[0].a1, t[1].a1);
}

TEST(ImageAugmentLayers, drawsStayInsideTheFactorRanges) {
  auto rotation = built(
      std::make_unique<RandomRotationLayer>(0.1, 0.2, FillMode::Reflect, Interpolation::Bilinear, 0, 9), {10, 8, 1});
  auto translation = built(
      std::make_unique<RandomTranslationLayer>(-0.1, 0.3, 0.2, 0.25, FillMode::Reflect, Interpolation::Bilinear, 0, 9),
      {10, 8, 1});
  auto zoom = built(
      std::make_unique<RandomZoomLayer>(-0.3, -0.2, false, 0.4, 0.5, FillMode::Reflect, Interpolation::Bilinear, 0, 9),
      {10, 8, 1});
  const Matrix x = test::randomMatrix(200, 80, 1);
  rotation->forward(x, true);
  translation->forward(x, true);
  zoom->forward(x, true);
  double minAngle = 10, maxAngle = -10;
  for (const AffineTransform& t : rotation->lastTransforms()) {
    const double angle = std::atan2(t.b0, t.a0);  // the angle of [cos, -sin; sin, cos]
    minAngle = std::min(minAngle, angle);
    maxAngle = std::max(maxAngle, angle);
  }
  // factor (0.1, 0.2) of a full turn: 0.2 pi to 0.4 pi, spread over most of it.
  EXPECT_GE(minAngle, 0.2 * kPi - 1e-9);
  EXPECT_LE(maxAngle, 0.4 * kPi + 1e-9);
  EXPECT_LT(minAngle, 0.22 * kPi);
  EXPECT_GT(maxAngle, 0.38 * kPi);
  for (const AffineTransform& t : translation->lastTransforms()) {
    EXPECT_GE(-t.b2, -0.1 * 10 - 1e-9);  // rows: fraction of the height 10
    EXPECT_LE(-t.b2, 0.3 * 10 + 1e-9);
    EXPECT_GE(-t.a2, 0.2 * 8 - 1e-9);  // columns: fraction of the width 8
    EXPECT_LE(-t.a2, 0.25 * 8 + 1e-9);
  }
  for (const AffineTransform& t : zoom->lastTransforms()) {
    EXPECT_GE(t.b1, 0.7 - 1e-9);
    EXPECT_LE(t.b1, 0.8 + 1e-9);
    EXPECT_GE(t.a0, 1.4 - 1e-9);
    EXPECT_LE(t.a0, 1.5 + 1e-9);
  }
  auto same =
      built(std::make_unique<RandomZoomLayer>(-0.3, 0.3, true, 0, 0, FillMode::Reflect, Interpolation::Bilinear, 0, 9),
            {10, 8, 1});
  same->forward(x, true);
  for (const AffineTransform& t : same->lastTransforms()) EXPECT_EQ(t.a0, t.b1);  // width_factor None
}

// Backward is the transpose of the sampling: <A x, g> = <x, A^T g> for every fill mode but
// constant with a non-zero fill (which adds a constant), and interpolation.
TEST(ImageAugmentLayers, backwardIsTheTransposeOfTheSampling) {
  const Shape shape{7, 6, 3};
  const Matrix x = test::randomMatrix(3, 126, 8), g = test::randomMatrix(3, 126, 9);
  for (FillMode mode : {FillMode::Reflect, FillMode::Wrap, FillMode::Nearest, FillMode::Constant}) {
    for (Interpolation interp : {Interpolation::Bilinear, Interpolation::Nearest}) {
      auto layer = built(std::make_unique<RandomRotationLayer>(-0.5, 0.5, mode, interp, 0.0, 3), shape);
      const std::vector<AffineTransform> t = {RandomRotationLayer::rotation(0.7, 7, 6),
                                              RandomZoomLayer::zoom(1.6, 0.7, 7, 6),
                                              RandomTranslationLayer::translation(-2.3, 4.6)};
      const Matrix y = layer->forwardWith(x, t);
      Matrix dx;
      layer->backward(g, &dx);
      const double lhs = (y.cast<double>().array() * g.cast<double>().array()).sum();
      const double rhs = (x.cast<double>().array() * dx.cast<double>().array()).sum();
      EXPECT_NEAR(lhs, rhs, 1e-3) << int(mode) << " " << int(interp);
    }
  }
}

TEST(ImageAugmentLayers, gradientsMatchFiniteDifferencesForAFixedDraw) {
  const Shape shape{5, 6, 2};
  Matrix x = test::randomMatrix(2, 60, 12);
  const std::vector<AffineTransform> t = {RandomRotationLayer::rotation(0.3, 5, 6),
                                          RandomZoomLayer::zoom(0.8, 1.3, 5, 6)};
  for (FillMode mode : {FillMode::Reflect, FillMode::Constant}) {
    auto layer = built(std::make_unique<RandomRotationLayer>(-0.5, 0.5, mode, Interpolation::Bilinear, 0.5, 3), shape);
    const Matrix w = test::randomMatrix(2, 60, 13);
    auto loss = [&](const Matrix& in) {
      return (layer->forwardWith(in, t).cast<double>().array() * w.cast<double>().array()).sum();
    };
    layer->forwardWith(x, t);
    Matrix dx;
    layer->backward(w, &dx);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      const float keep = x.data()[i];
      x.data()[i] = keep + 1e-2f;
      const double lp = loss(x);
      x.data()[i] = keep - 1e-2f;
      const double lm = loss(x);
      x.data()[i] = keep;
      EXPECT_NEAR(dx.data()[i], (lp - lm) / 2e-2, 2e-3) << i;
    }
  }
}

TEST(ImageAugmentLayers, refuseAFlatInput) {
  RandomZoomLayer layer(-0.1, 0.1, true, 0, 0, FillMode::Reflect, Interpolation::Bilinear, 0, 1);
  Rng rng(1);
  try {
    layer.build({784}, rng);
    FAIL() << "built on a flat input";
  } catch (const SpecError& e) {
    EXPECT_NE(std::string(e.what()).find("RandomZoom needs an image input (height, width, channels)"),
              std::string::npos)
        << e.what();
  }
}

TEST(GaussianNoise, addsNoiseOfTheRightMeanAndStandardDeviationInTraining) {
  GaussianNoiseLayer layer(0.3, 17);
  Rng rng(1);
  layer.build({1000}, rng);
  const Matrix x = Matrix::Constant(64, 1000, 2.0f);
  const Matrix y = layer.forward(x, true);
  const Eigen::ArrayXd noise = (y - x).cast<double>().reshaped().array();
  const double mean = noise.mean();
  const double stddev = std::sqrt((noise - mean).square().mean());
  EXPECT_NEAR(mean, 0.0, 0.005);  // 4 standard errors of the mean of 64,000 draws
  EXPECT_NEAR(stddev, 0.3, 0.004);
  // Symmetric and not truncated early: about 4.6% beyond 2 sigma.
  const double beyond2 = (noise.abs() > 0.6).cast<double>().mean();
  EXPECT_NEAR(beyond2, 0.0455, 0.005);
  // A new draw for the next batch, the same draws for the same seed.
  EXPECT_NE(layer.forward(x, true), y);
  GaussianNoiseLayer again(0.3, 17);
  again.build({1000}, rng);
  EXPECT_EQ(again.forward(x, true), y);
}

TEST(ImageAugmentLayers, allocateNothingPerBatchInSteadyState) {
  if (!test::allocationCountingWorks()) GTEST_SKIP() << "allocation counting is not available here";
  std::vector<std::unique_ptr<Layer>> layers;
  layers.push_back(std::make_unique<RandomRotationLayer>(-0.3, 0.3, FillMode::Reflect, Interpolation::Bilinear, 0, 5));
  layers.push_back(
      std::make_unique<RandomTranslationLayer>(-0.3, 0.3, -0.3, 0.3, FillMode::Constant, Interpolation::Nearest, 0, 5));
  layers.push_back(
      std::make_unique<RandomZoomLayer>(-0.3, 0.3, false, -0.2, 0.2, FillMode::Wrap, Interpolation::Bilinear, 0, 5));
  layers.push_back(std::make_unique<GaussianNoiseLayer>(0.5, 5));
  layers.push_back(std::make_unique<BatchNormLayer>(BatchNormSettings{}));
  const Matrix x = test::randomMatrix(64, 784, 3), dy = test::randomMatrix(64, 784, 4);
  Matrix dx;
  for (auto& l : layers) {
    Rng rng(1);
    l->build({28, 28, 1}, rng);
    for (int warm = 0; warm < 2; ++warm) {
      l->forward(x, true);
      l->backward(dy, &dx);
      l->forward(x, false);
    }
    const long before = test::allocationCount();
    l->forward(x, true);
    l->backward(dy, &dx);
    l->forward(x, false);
    EXPECT_EQ(test::allocationCount(), before) << l->className();
  }
}

}  // namespace
