// Layers: finite-difference gradient checks for every layer and activation (with padding and
// stride variants), small known-answer forward passes laid out as little images, and no
// allocation in a steady-state backward pass.

#define DL_TEST_COUNT_ALLOCATIONS
#include "TestSupport.h"

#include "nn/Conv2DLayer.h"
#include "nn/DenseLayer.h"
#include "nn/MaxPooling2DLayer.h"
#include "nn/SimpleLayers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

using namespace dl;
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

INSTANTIATE_TEST_SUITE_P(Activations, DenseGradient,
                         ::testing::Values("linear", "relu", "tanh", "sigmoid", "softmax"));

class ActivationGradient : public ::testing::TestWithParam<std::string> {};

TEST_P(ActivationGradient, MatchesFiniteDifferences) {
  ActivationLayer layer(GetParam());
  layer.build({6}, rng);
  auto r = checkLayerGradients(layer, randomMatrix(3, 6, 2));
  EXPECT_TRUE(r.ok) << r.detail << " (worst " << r.worst << ")";
}

INSTANTIATE_TEST_SUITE_P(All, ActivationGradient,
                         ::testing::Values("linear", "relu", "tanh", "sigmoid", "softmax"));

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

INSTANTIATE_TEST_SUITE_P(
    PaddingAndStrides, ConvGradient,
    ::testing::Values(ConvCase{5, 5, 1, 2, 3, 3, 1, 1, "valid", "linear"},
                      ConvCase{5, 5, 2, 3, 3, 3, 1, 1, "same", "linear"},
                      ConvCase{6, 5, 2, 2, 3, 2, 2, 2, "same", "linear"},   // odd total padding
                      ConvCase{7, 6, 3, 2, 3, 3, 2, 1, "valid", "relu"},
                      ConvCase{4, 4, 2, 2, 5, 5, 1, 1, "same", "tanh"},    // kernel > input, same
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
                                           PoolCase{5, 5, 2, 2, 2, 2, 2, "same"},
                                           PoolCase{5, 7, 1, 3, 3, 1, 1, "same"},
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
