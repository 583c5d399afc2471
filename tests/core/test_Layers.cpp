// Layers: finite-difference gradient checks for every layer and activation (with padding and
// stride variants, Dropout in training mode), small known-answer forward passes laid out as little
// images, known answers for every activation, initializer statistics as Keras draws them, and no
// allocation in a steady-state backward pass.

#define DL_TEST_COUNT_ALLOCATIONS
#include "TestSupport.h"

#include "nn/Conv2DLayer.h"
#include "nn/DenseLayer.h"
#include "nn/MaxPooling2DLayer.h"
#include "nn/SimpleLayers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace dl;
using dl::test::checkFreshLayerInputGradients;
using dl::test::checkLayerGradients;
using dl::test::randomMatrix;

namespace {

LayerSpec denseSpec(int units, const std::string& act) {
  LayerSpec s;
  s.kind = LayerKind::Dense;
  s.units = units;
  s.activation = act;
  s.biasInitializer = "random_normal";
  return s;
}

LayerSpec convSpec(int filters, int kh, int kw, int sh, int sw, const std::string& padding,
                   const std::string& act = "linear") {
  LayerSpec s;
  s.kind = LayerKind::Conv2D;
  s.filters = filters;
  s.kernelH = kh;
  s.kernelW = kw;
  s.strideH = sh;
  s.strideW = sw;
  s.padding = padding;
  s.activation = act;
  s.biasInitializer = "random_normal";
  return s;
}

LayerSpec poolSpec(int ph, int pw, int sh, int sw, const std::string& padding) {
  LayerSpec s;
  s.kind = LayerKind::MaxPooling2D;
  s.poolH = ph;
  s.poolW = pw;
  s.strideH = sh;
  s.strideW = sw;
  s.padding = padding;
  return s;
}

Rng rng(7);

}  // namespace

class DenseGradient : public ::testing::TestWithParam<std::string> {};

TEST_P(DenseGradient, MatchesFiniteDifferences) {
  DenseLayer layer(denseSpec(5, GetParam()));
  layer.build({7}, rng);
  auto r = checkLayerGradients(layer, randomMatrix(4, 7, 1));
  EXPECT_TRUE(r.ok) << r.detail << " (worst " << r.worst << ")";
}

INSTANTIATE_TEST_SUITE_P(Activations, DenseGradient, ::testing::Values("linear", "relu", "tanh", "sigmoid", "softmax"));

class ActivationGradient : public ::testing::TestWithParam<std::string> {};

TEST_P(ActivationGradient, MatchesFiniteDifferences) {
  ActivationLayer layer(GetParam());
  layer.build({6}, rng);
  auto r = checkLayerGradients(layer, randomMatrix(3, 6, 2));
  EXPECT_TRUE(r.ok) << r.detail << " (worst " << r.worst << ")";
}

INSTANTIATE_TEST_SUITE_P(All, ActivationGradient, ::testing::Values("linear", "relu", "tanh", "sigmoid", "softmax"));

struct ConvCase {
  int h, w, c, filters, kh, kw, sh, sw;
  const char* padding;
  const char* activation;
};

class ConvGradient : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvGradient, MatchesFiniteDifferences) {
  const ConvCase& k = GetParam();
  Conv2DLayer layer(convSpec(k.filters, k.kh, k.kw, k.sh, k.sw, k.padding, k.activation));
  layer.build({k.h, k.w, k.c}, rng);
  // relu's kink: a smaller step keeps pre-activations from crossing zero during the check.
  const float eps = std::string(k.activation) == "relu" ? 2e-4f : 1e-3f;
  auto r = checkLayerGradients(layer, randomMatrix(2, k.h * k.w * k.c, 3), false, 2e-2, eps);
  EXPECT_TRUE(r.ok) << r.detail << " (worst " << r.worst << ")";
}

INSTANTIATE_TEST_SUITE_P(PaddingAndStrides, ConvGradient,
                         ::testing::Values(ConvCase{5, 5, 1, 2, 3, 3, 1, 1, "valid", "linear"},
                                           ConvCase{5, 5, 2, 3, 3, 3, 1, 1, "same", "linear"},
                                           ConvCase{6, 5, 2, 2, 3, 2, 2, 2, "same", "linear"},  // odd total padding
                                           ConvCase{7, 6, 3, 2, 3, 3, 2, 1, "valid", "relu"},
                                           ConvCase{4, 4, 2, 2, 5, 5, 1, 1, "same", "tanh"},  // kernel > input, same
                                           ConvCase{6, 6, 1, 2, 2, 2, 3, 3, "same", "sigmoid"}));

struct PoolCase {
  int h, w, c, ph, pw, sh, sw;
  const char* padding;
};

class PoolGradient : public ::testing::TestWithParam<PoolCase> {};

TEST_P(PoolGradient, MatchesFiniteDifferences) {
  const PoolCase& k = GetParam();
  MaxPooling2DLayer layer(poolSpec(k.ph, k.pw, k.sh, k.sw, k.padding));
  layer.build({k.h, k.w, k.c}, rng);
  // Distinct values (a permutation scaled) so no window has a tie within eps.
  Matrix x(2, k.h * k.w * k.c);
  std::vector<int> perm(size_t(x.size()));
  std::iota(perm.begin(), perm.end(), 0);
  std::shuffle(perm.begin(), perm.end(), std::mt19937(5));
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = float(perm[size_t(i)]) * 0.05f;
  auto r = checkLayerGradients(layer, x);
  EXPECT_TRUE(r.ok) << r.detail << " (worst " << r.worst << ")";
}

INSTANTIATE_TEST_SUITE_P(PaddingAndStrides, PoolGradient,
                         ::testing::Values(PoolCase{4, 4, 2, 2, 2, 2, 2, "valid"},
                                           PoolCase{5, 5, 2, 2, 2, 2, 2, "same"}, PoolCase{5, 7, 1, 3, 3, 1, 1, "same"},
                                           PoolCase{6, 6, 3, 3, 2, 2, 1, "valid"}));

TEST(Flatten, PassesValuesAndGradientsThrough) {
  FlattenLayer layer;
  layer.build({2, 3, 2}, rng);
  EXPECT_EQ(layer.outputShape(), Shape({12}));
  auto r = checkLayerGradients(layer, randomMatrix(2, 12, 4));
  EXPECT_TRUE(r.ok) << r.detail;
}

TEST(Dropout, IsIdentityAtInference) {
  DropoutLayer layer(0.5, 1);
  layer.build({100}, rng);
  Matrix x = randomMatrix(3, 100, 5);
  EXPECT_EQ(layer.forward(x, false), x);
}

TEST(Dropout, ScalesKeptUnitsAndRoutesGradientThroughTheSameMask) {
  const double rate = 0.4;
  DropoutLayer layer(rate, 42);
  layer.build({1000}, rng);
  Matrix x = randomMatrix(10, 1000, 6, 0.5f, 1.5f);  // no zeros, so kept = non-zero output
  const Matrix y = layer.forward(x, true);
  int kept = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (y.data()[i] != 0.0f) {
      ++kept;
      EXPECT_NEAR(y.data()[i], x.data()[i] / (1.0 - rate), 1e-5);
    }
  }
  EXPECT_NEAR(double(kept) / x.size(), 1.0 - rate, 0.02);
  // Backward: dL/dx = dy * mask, the mask forward used (scale included).
  const Matrix dy = randomMatrix(10, 1000, 7);
  Matrix dx;
  layer.backward(dy, &dx);
  for (Eigen::Index i = 0; i < x.size(); ++i)
    ASSERT_NEAR(dx.data()[i], dy.data()[i] * y.data()[i] / x.data()[i], 1e-4) << i;
}

TEST(Dense, ComputesXWPlusBInKerasLayout) {
  LayerSpec s = denseSpec(2, "linear");
  DenseLayer layer(s);
  layer.build({3}, rng);
  auto ps = layer.params();
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0]->kerasShape, Shape({3, 2}));
  ps[0]->value << 1, 2,  //
      3, 4,              //
      5, 6;
  ps[1]->value << 0.5f, -1;
  Matrix x(1, 3);
  x << 1, 0, -1;
  Matrix y = layer.forward(x, false);
  EXPECT_FLOAT_EQ(y(0, 0), 1 - 5 + 0.5f);
  EXPECT_FLOAT_EQ(y(0, 1), 2 - 6 - 1);
}

TEST(Conv2D, SamePaddingKnownAnswer) {
  // 3x3 image, 3x3 kernel of ones, 'same': each output is the sum of its 3x3 neighbourhood.
  //   1 2 3        12 21 16
  //   4 5 6   ->   27 45 33
  //   7 8 9        24 39 28
  LayerSpec s = convSpec(1, 3, 3, 1, 1, "same");
  s.biasInitializer = "zeros";
  s.kernelInitializer = "ones";
  Conv2DLayer layer(s);
  layer.build({3, 3, 1}, rng);
  EXPECT_EQ(layer.outputShape(), Shape({3, 3, 1}));
  Matrix x(1, 9);
  x << 1, 2, 3, 4, 5, 6, 7, 8, 9;
  Matrix expected(1, 9);
  expected << 12, 21, 16, 27, 45, 33, 24, 39, 28;
  EXPECT_EQ(layer.forward(x, false), expected);
}

TEST(Conv2D, IsCrossCorrelationWithoutKernelFlip) {
  // A kernel with a single 1 at its top-left picks the input pixel above-left ('valid').
  LayerSpec s = convSpec(1, 2, 2, 1, 1, "valid");
  s.biasInitializer = "zeros";
  Conv2DLayer layer(s);
  layer.build({3, 3, 1}, rng);
  layer.params()[0]->value << 1, 0, 0, 0;  // (kh, kw, cin, cout) = (2,2,1,1), C order
  Matrix x(1, 9);
  x << 1, 2, 3, 4, 5, 6, 7, 8, 9;
  Matrix expected(1, 4);
  expected << 1, 2, 4, 5;
  EXPECT_EQ(layer.forward(x, false), expected);
}

TEST(Conv2D, SameWithStrideTwoPadsBottomRightFirst) {
  // 4x4 input, 3x3 kernel, stride 2, 'same': out 2x2, total padding 1 -> 0 top/left, 1 bottom/right
  // (TensorFlow's rule). With a ones kernel, out(0,0) sums rows 0-2, cols 0-2.
  LayerSpec s = convSpec(1, 3, 3, 2, 2, "same");
  s.biasInitializer = "zeros";
  s.kernelInitializer = "ones";
  Conv2DLayer layer(s);
  layer.build({4, 4, 1}, rng);
  Matrix x(1, 16);
  for (int i = 0; i < 16; ++i) x(0, i) = float(i);
  Matrix y = layer.forward(x, false);
  EXPECT_FLOAT_EQ(y(0, 0), 0 + 1 + 2 + 4 + 5 + 6 + 8 + 9 + 10);
  EXPECT_FLOAT_EQ(y(0, 3), 10 + 11 + 14 + 15);  // bottom-right: only 2x2 valid cells
}

TEST(MaxPooling2D, FourByFourToTwoByTwo) {
  //   1 5 | 2 0          5 3
  //   3 4 | 3 1   ->
  //   ----+----          9 8
  //   9 0 | 8 7
  //   2 1 | 6 5
  MaxPooling2DLayer layer(poolSpec(2, 2, 2, 2, "valid"));
  layer.build({4, 4, 1}, rng);
  Matrix x(1, 16);
  x << 1, 5, 2, 0, 3, 4, 3, 1, 9, 0, 8, 7, 2, 1, 6, 5;
  Matrix expected(1, 4);
  expected << 5, 3, 9, 8;
  EXPECT_EQ(layer.forward(x, false), expected);
  // The gradient goes to the arg-max cell only.
  Matrix dy(1, 4);
  dy << 1, 2, 3, 4;
  Matrix dx;
  layer.backward(dy, &dx);
  Matrix dxExpected(1, 16);
  dxExpected << 0, 1, 0, 0, 0, 0, 2, 0, 3, 0, 4, 0, 0, 0, 0, 0;
  EXPECT_EQ(dx, dxExpected);
}

TEST(MaxPooling2D, SamePaddingNeverPicksPaddedCells) {
  // 3x3 of negative values, pool 2 stride 2 'same' -> 2x2; padded cells would be 0 > all.
  MaxPooling2DLayer layer(poolSpec(2, 2, 2, 2, "same"));
  layer.build({3, 3, 1}, rng);
  EXPECT_EQ(layer.outputShape(), Shape({2, 2, 1}));
  Matrix x(1, 9);
  x << -1, -2, -3, -4, -5, -6, -7, -8, -9;
  Matrix expected(1, 4);
  expected << -1, -3, -7, -9;
  EXPECT_EQ(layer.forward(x, false), expected);
}

TEST(MaxPooling2D, KeepsChannelsApart) {
  MaxPooling2DLayer layer(poolSpec(2, 2, 2, 2, "valid"));
  layer.build({2, 2, 2}, rng);
  Matrix x(1, 8);  // (h, w, c): channel 0 = 1 2 3 4, channel 1 = 8 7 6 5
  x << 1, 8, 2, 7, 3, 6, 4, 5;
  Matrix expected(1, 2);
  expected << 4, 8;
  EXPECT_EQ(layer.forward(x, false), expected);
}

TEST(MaxPooling2D, BackwardAllocatesNothingOnceWarm) {
  // The layer's per-thread scratch is sized once; dx is the caller's and already the right size.
  if (!dl::test::allocationCountingWorks()) GTEST_SKIP() << "allocation counting needs glibc";
  MaxPooling2DLayer layer(poolSpec(2, 2, 2, 2, "same"));
  layer.build({14, 14, 32}, rng);
  const Matrix x = randomMatrix(8, 14 * 14 * 32, 8);
  const Matrix dy = randomMatrix(8, 7 * 7 * 32, 9);
  Matrix dx;
  layer.forward(x, true);
  layer.backward(dy, &dx);  // warm: scratch and dx get their sizes
  const Matrix firstDx = dx;
  layer.forward(x, true);
  const long before = dl::test::allocationCount();
  layer.backward(dy, &dx);
  EXPECT_EQ(dl::test::allocationCount() - before, 0);
  EXPECT_EQ(dx, firstDx);
}

TEST(Dropout, TrainingModeGradientMatchesFiniteDifferencesWithAFixedMask) {
  // Every evaluation builds a fresh layer with the same seed, so forward draws the same mask; the
  // gradient must then be mask/(1-rate) (a backward without the 1/(1-rate) scale fails this).
  const Shape shape{40};
  auto make = [&]() -> std::unique_ptr<Layer> {
    auto layer = std::make_unique<DropoutLayer>(0.4, 77);
    layer->build(shape, rng);
    return layer;
  };
  const Matrix x = randomMatrix(3, 40, 10);
  // The mask really is random and fixed: some units dropped, some kept, identical twice.
  const Matrix y1 = make()->forward(x, true), y2 = make()->forward(x, true);
  EXPECT_EQ(y1, y2);
  EXPECT_GT((y1.array() == 0.0f).count(), 10);
  EXPECT_GT((y1.array() != 0.0f).count(), 40);
  auto r = checkFreshLayerInputGradients(make, x, true);
  EXPECT_TRUE(r.ok) << r.detail << " (worst " << r.worst << ")";
}

namespace {
Matrix activated(const std::string& activation, std::initializer_list<float> values) {
  ActivationLayer layer(activation);
  layer.build({int(values.size())}, rng);
  Matrix x(1, Eigen::Index(values.size()));
  std::copy(values.begin(), values.end(), x.data());
  return layer.forward(x, false);
}
void expectRow(const Matrix& y, std::initializer_list<double> expected) {
  ASSERT_EQ(y.size(), Eigen::Index(expected.size()));
  int i = 0;
  for (double e : expected) {
    EXPECT_NEAR(y(0, i), e, 1e-6) << "at " << i;
    ++i;
  }
}
}  // namespace

TEST(Activations, KnownAnswers) {
  // Reference values from Python's math module (tanh, 1/(1+exp(-x)), exp/sum exp).
  expectRow(activated("linear", {-2, -0.5f, 0, 0.5f, 3}), {-2, -0.5, 0, 0.5, 3});
  expectRow(activated("relu", {-2, -0.5f, 0, 0.5f, 3}), {0, 0, 0, 0.5, 3});
  expectRow(activated("tanh", {-2, -0.5f, 0, 0.5f, 3}),
            {-0.9640275800758169, -0.46211715726000974, 0.0, 0.46211715726000974, 0.9950547536867305});
  expectRow(activated("sigmoid", {-2, -0.5f, 0, 0.5f, 3}),
            {0.11920292202211755, 0.3775406687981454, 0.5, 0.6224593312018546, 0.9525741268224334});
  expectRow(activated("softmax", {1, 2, 3}), {0.09003057317038046, 0.24472847105479767, 0.6652409557748219});
  expectRow(activated("softmax", {-1, 0, 0.5f, 2, -3}),
            {0.035185444580153324, 0.09564395462848359, 0.15769022240985886, 0.706718546273443, 0.004761832108061189});
  // Shift-invariant and stable: huge equal logits split evenly instead of overflowing.
  expectRow(activated("softmax", {1000, 1000}), {0.5, 0.5});
}

namespace {
struct Stats {
  double mean = 0, stddev = 0, maxAbs = 0;
};
Stats statsOf(const Matrix& w) {
  Stats s;
  const Eigen::ArrayXd a = Eigen::Map<const Eigen::ArrayXf>(w.data(), w.size()).cast<double>();
  s.mean = a.mean();
  s.stddev = std::sqrt((a - s.mean).square().sum() / double(a.size() - 1));
  s.maxAbs = a.abs().maxCoeff();
  return s;
}
double fractionBeyond(const Matrix& w, double t) {
  return double((w.array().abs() > float(t)).count()) / double(w.size());
}
Matrix denseKernel(const std::string& initializer, int in, int units) {
  LayerSpec s = denseSpec(units, "linear");
  s.kernelInitializer = initializer;
  DenseLayer layer(s);
  Rng r(2024);
  layer.build({in}, r);
  return layer.params()[0]->value;
}
}  // namespace

// Keras's VarianceScaling (keras/src/initializers/random_initializers.py; KERAS_SEMANTICS §1) on
// ~100k draws: the standard deviation within 2 %, the bounds respected and reached.
TEST(Initializers, HeNormalIsTruncatedAtTwoSigmaWithStddevSqrtTwoOverFanIn) {
  // Dense 400 -> 250: fan_in 400. Keras draws N(0, sigma) with sigma = sqrt(2/400)/0.8796...
  // and redraws beyond 2 sigma; the truncation brings the sample's stddev back to sqrt(2/400).
  const Matrix w = denseKernel("he_normal", 400, 250);
  const double sigma = std::sqrt(2.0 / 400) / 0.87962566103423978;
  const Stats s = statsOf(w);
  EXPECT_NEAR(s.mean, 0.0, 0.01 * std::sqrt(2.0 / 400));
  EXPECT_NEAR(s.stddev / std::sqrt(2.0 / 400), 1.0, 0.02);
  EXPECT_LE(s.maxAbs, 2 * sigma * (1 + 1e-6));
  EXPECT_GT(s.maxAbs, 1.99 * sigma);
  // A N(0,1) cut at +-2 has P(|z| > 1) = (0.9545 - 0.6827) / 0.9545 = 0.2847 (untruncated: 0.3173).
  EXPECT_NEAR(fractionBeyond(w, sigma), 0.2847, 0.01);
}

TEST(Initializers, HeUniformLimitIsSqrtSixOverFanIn) {
  const Matrix w = denseKernel("he_uniform", 400, 250);
  const double limit = std::sqrt(6.0 / 400);
  const Stats s = statsOf(w);
  EXPECT_LE(s.maxAbs, limit);
  EXPECT_GT(s.maxAbs, 0.999 * limit);
  EXPECT_NEAR(s.stddev / (limit / std::sqrt(3.0)), 1.0, 0.02);
  EXPECT_NEAR(s.mean, 0.0, 0.01 * limit);
}

TEST(Initializers, RandomNormalIsUntruncatedWithStddevPointZeroFive) {
  const Matrix w = denseKernel("random_normal", 400, 250);
  const Stats s = statsOf(w);
  EXPECT_NEAR(s.mean, 0.0, 0.001);
  EXPECT_NEAR(s.stddev / 0.05, 1.0, 0.02);
  // Not truncated: ~4.55 % of the draws lie beyond 2 sigma.
  EXPECT_NEAR(fractionBeyond(w, 2 * 0.05), 0.0455, 0.005);
  EXPECT_GT(s.maxAbs, 3.5 * 0.05);
}

TEST(Initializers, GlorotUniformOnAConvKernelUsesReceptiveFieldFans) {
  // Conv2D kernel (5, 5, 40, 100): fan_in = 5*5*40 = 1000, fan_out = 5*5*100 = 2500,
  // limit = sqrt(6/3500) (plain in/out channel fans would give sqrt(6/140)).
  LayerSpec spec = convSpec(100, 5, 5, 1, 1, "same");
  spec.kernelInitializer = "glorot_uniform";
  Conv2DLayer layer(spec);
  Rng r(2025);
  layer.build({8, 8, 40}, r);
  const Matrix& w = layer.params()[0]->value;
  ASSERT_EQ(w.size(), 100000);
  const double limit = std::sqrt(6.0 / 3500);
  const Stats s = statsOf(w);
  EXPECT_LE(s.maxAbs, limit);
  EXPECT_GT(s.maxAbs, 0.999 * limit);
  EXPECT_NEAR(s.stddev / (limit / std::sqrt(3.0)), 1.0, 0.02);
  EXPECT_NEAR(s.mean, 0.0, 0.01 * limit);
}
