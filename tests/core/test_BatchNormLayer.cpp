// BatchNormalization: finite-difference gradients (flat and image inputs, training and
// inference), inference on the moving statistics, the momentum rule with the biased batch
// variance, per-channel statistics of images, Keras's weight order, and optimizers that leave the
// non-trainable moving statistics alone.

#include "TestSupport.h"

#include "nn/BatchNormLayer.h"
#include "nn/Model.h"
#include "nn/ModelAnalysis.h"
#include "nn/Optimizer.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace dl;

namespace {

std::unique_ptr<BatchNormLayer> built(const Shape& shape, BatchNormSettings s = {}) {
  auto layer = std::make_unique<BatchNormLayer>(std::move(s));
  Rng rng(1);
  layer->build(shape, rng);
  return layer;
}

Param* paramNamed(Layer& l, const std::string& name) {
  for (Param* p : l.params())
    if (p->name == name) return p;
  return nullptr;
}

// gamma and beta off their initial ones and zeros, moving statistics off theirs.
void perturb(BatchNormLayer& l) {
  for (Param* p : l.params()) p->value = test::randomMatrix(1, p->value.cols(), 5, 0.5f, 1.5f);
}

TEST(BatchNormLayer, gradientsMatchFiniteDifferencesOnAFlatInput) {
  for (bool training : {true, false}) {
    auto layer = built({5});
    perturb(*layer);
    const test::GradCheck r = test::checkLayerGradients(*layer, test::randomMatrix(6, 5, 3), training, 2e-2, 1e-2f);
    EXPECT_TRUE(r.ok) << (training ? "training " : "inference ") << r.detail;
  }
}

TEST(BatchNormLayer, gradientsMatchFiniteDifferencesOnAnImageInput) {
  for (bool training : {true, false}) {
    auto layer = built({3, 2, 4});
    perturb(*layer);
    const test::GradCheck r = test::checkLayerGradients(*layer, test::randomMatrix(3, 24, 4), training, 2e-2, 1e-2f);
    EXPECT_TRUE(r.ok) << (training ? "training " : "inference ") << r.detail;
  }
}

TEST(BatchNormLayer, trainingUsesTheBatchAndUpdatesMovingStatisticsByTheMomentumRule) {
  auto layer = built({1});
  // Batch {1, 5}: mean 3, biased variance 4 (ops.moments), not the unbiased 8.
  Matrix x(2, 1);
  x << 1, 5;
  const Matrix y = layer->forward(x, true);
  const double s = 1.0 / std::sqrt(4.0 + 1e-3);
  EXPECT_NEAR(y(0, 0), -2 * s, 1e-6);
  EXPECT_NEAR(y(1, 0), 2 * s, 1e-6);
  // moving = moving * 0.99 + batch * 0.01, from zeros and ones.
  EXPECT_NEAR(layer->movingMean()(0, 0), 0.03, 1e-7);
  EXPECT_NEAR(layer->movingVariance()(0, 0), 0.99 + 0.04, 1e-6);
  layer->forward(x, true);
  EXPECT_NEAR(layer->movingMean()(0, 0), 0.03 * 0.99 + 0.03, 1e-6);
  EXPECT_NEAR(layer->movingVariance()(0, 0), 1.03 * 0.99 + 0.04, 1e-6);
}

TEST(BatchNormLayer, inferenceUsesTheMovingStatisticsAndChangesNothing) {
  BatchNormSettings settings;
  settings.epsilon = 0.01;
  auto layer = built({2}, settings);
  paramNamed(*layer, "gamma")->value << 2, 3;
  paramNamed(*layer, "beta")->value << 0.5, -1;
  paramNamed(*layer, "moving_mean")->value << 1, -2;
  paramNamed(*layer, "moving_variance")->value << 0.99, 3.99;
  Matrix x(2, 2);
  x << 3, 0, -1, -4;
  const Matrix y = layer->forward(x, false);
  // y = gamma (x - mm) / sqrt(mv + 0.01) + beta: sqrt(1) = 1, sqrt(4) = 2.
  EXPECT_NEAR(y(0, 0), 2 * 2 + 0.5, 1e-6);
  EXPECT_NEAR(y(0, 1), 3 * 2 / 2.0 - 1, 1e-6);
  EXPECT_NEAR(y(1, 0), 2 * -2 + 0.5, 1e-6);
  EXPECT_NEAR(y(1, 1), 3 * -2 / 2.0 - 1, 1e-6);
  EXPECT_EQ(layer->movingMean()(0, 0), 1.0f);  // not updated in inference
  EXPECT_EQ(layer->movingVariance()(0, 1), 3.99f);
}

TEST(BatchNormLayer, imagesAreNormalizedPerChannelOverBatchHeightAndWidth) {
  auto layer = built({1, 2, 2});
  // Two samples of a 1x2 image with 2 channels (channel fastest): channel 0 holds 0, 2, 4, 6
  // (mean 3, variance 5); channel 1 holds 10 everywhere (variance 0).
  Matrix x(2, 4);
  x << 0, 10, 2, 10, 4, 10, 6, 10;
  const Matrix y = layer->forward(x, true);
  const double s = 1.0 / std::sqrt(5.0 + 1e-3);
  EXPECT_NEAR(y(0, 0), -3 * s, 1e-5);
  EXPECT_NEAR(y(1, 2), 3 * s, 1e-5);
  EXPECT_NEAR(y(0, 1), 0.0, 1e-6);
  EXPECT_NEAR(layer->movingMean()(0, 0), 0.03, 1e-6);
  EXPECT_NEAR(layer->movingMean()(0, 1), 0.1, 1e-6);
  EXPECT_NEAR(layer->movingVariance()(0, 0), 0.99 + 0.05, 1e-6);
}

TEST(BatchNormLayer, weightsAreInKerasOrderWithTheMovingStatisticsNonTrainable) {
  auto layer = built({28, 28, 8});
  std::vector<std::string> names;
  for (const Param* p : std::as_const(*layer).params()) {
    names.push_back(p->name);
    EXPECT_EQ(p->kerasShape, (Shape{8}));
    EXPECT_EQ(p->trainable, p->name == "gamma" || p->name == "beta") << p->name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"gamma", "beta", "moving_mean", "moving_variance"}));
  EXPECT_EQ(paramNamed(*layer, "gamma")->value, Matrix::Ones(1, 8));
  EXPECT_EQ(paramNamed(*layer, "moving_variance")->value, Matrix::Ones(1, 8));
  EXPECT_EQ(paramNamed(*layer, "beta")->value, Matrix::Zero(1, 8));

  BatchNormSettings noCenter;
  noCenter.center = false;
  auto plain = built({4}, noCenter);
  names.clear();
  for (const Param* p : std::as_const(*plain).params()) names.push_back(p->name);
  EXPECT_EQ(names, (std::vector<std::string>{"gamma", "moving_mean", "moving_variance"}));
}

ModelSpec specWithBatchNorm() {
  ModelSpec spec;
  spec.inputShape = {784};
  LayerSpec bn;
  bn.kind = LayerKind::BatchNormalization;
  LayerSpec dense;
  dense.kind = LayerKind::Dense;
  dense.units = 10;
  dense.activation = "softmax";
  spec.layers = {bn, dense};
  return spec;
}

TEST(BatchNormLayer, optimizersLeaveTheMovingStatisticsToTheLayer) {
  for (const char* type : {"sgd", "adam"}) {
    Model model(specWithBatchNorm(), 3);
    const Matrix x = test::randomMatrix(8, 784, 2);
    const uint8_t labels[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    model.trainBatch(x, labels);
    const std::vector<Matrix> before = model.weights();  // after the forward pass's update
    OptimizerSpec o;
    o.type = type;
    o.momentum = 0.9;
    auto opt = Optimizer::create(o);
    opt->step(model.params());
    const std::vector<Matrix> after = model.weights();
    ASSERT_EQ(after.size(), 6u);             // gamma, beta, moving_mean, moving_variance, kernel, bias
    EXPECT_NE(after[0], before[0]) << type;  // gamma trained
    EXPECT_NE(after[1], before[1]) << type;  // beta trained
    EXPECT_EQ(after[2], before[2]) << type;  // moving_mean untouched by the optimizer
    EXPECT_EQ(after[3], before[3]) << type;
    EXPECT_NE(before[2], Matrix::Zero(1, 784)) << type;  // but updated by the training forward
  }
}

TEST(BatchNormLayer, summaryCountsTheMovingStatisticsAsNonTrainable) {
  const ModelSpec spec = specWithBatchNorm();
  const ModelAnalysis a = analyze(spec);
  ASSERT_TRUE(a.ok()) << a.error;
  EXPECT_EQ(a.layers[0].params, 4 * 784);
  EXPECT_EQ(a.layers[0].nonTrainableParams, 2 * 784);
  EXPECT_EQ(a.totalParams, 4 * 784 + 7850);
  EXPECT_EQ(a.trainableParams(), 2 * 784 + 7850);
  Model model(spec, 1);
  EXPECT_EQ(model.parameterCount(), a.totalParams);
  const std::string text = summaryText(spec);
  EXPECT_NE(text.find(" Total params: 10,986 (42.91 KB)\n"), std::string::npos) << text;
  EXPECT_NE(text.find(" Trainable params: 9,418 (36.79 KB)\n"), std::string::npos) << text;
  EXPECT_NE(text.find(" Non-trainable params: 1,568 (6.12 KB)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("batch_normalization             │ (None, 784)              │         3,136 │"),
            std::string::npos)
      << text;
}

TEST(BatchNormLayer, snapshotsRestoreTheMovingStatistics) {
  Model model(specWithBatchNorm(), 3);
  const Matrix x = test::randomMatrix(16, 784, 2);
  const uint8_t labels[16] = {};
  model.trainBatch(x, labels);
  const std::vector<Matrix> snapshot = model.weights();
  const Matrix predicted = model.predictBatch(x);
  Model other(specWithBatchNorm(), 99);
  other.setWeights(snapshot);
  EXPECT_EQ(other.predictBatch(x), predicted);
}

}  // namespace
