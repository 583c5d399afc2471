// Model: softmax + cross-entropy fused (known answers, stable for huge logits), whole-model
// gradients against finite differences, weights round trip, predictions as probabilities.

#include "TestSupport.h"

#include "nn/LayerRegistry.h"
#include "nn/Model.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace dl;
using dl::test::randomMatrix;

namespace {

ModelSpec tinyMlp(const std::string& hiddenActivation = "tanh") {
  ModelSpec s;
  s.inputShape = {6};
  LayerSpec h;
  h.kind = LayerKind::Dense;
  h.units = 5;
  h.activation = hiddenActivation;
  h.biasInitializer = "random_normal";
  LayerSpec out = h;
  out.units = 10;
  out.activation = "softmax";
  s.layers = {h, out};
  return s;
}

ModelSpec tinyCnn() {
  ModelSpec s;
  s.inputShape = {6, 6, 1};
  LayerSpec c;
  c.kind = LayerKind::Conv2D;
  c.filters = 3;
  c.kernelH = c.kernelW = 3;
  c.padding = "same";
  c.activation = "tanh";
  c.biasInitializer = "random_normal";
  LayerSpec p;
  p.kind = LayerKind::MaxPooling2D;
  p.poolH = p.poolW = 2;
  p.strideH = p.strideW = 2;
  LayerSpec f;
  f.kind = LayerKind::Flatten;
  LayerSpec d;
  d.kind = LayerKind::Dense;
  d.units = 10;
  d.activation = "softmax";
  s.layers = {c, p, f, d};
  return s;
}

// Mean cross-entropy of the model's inference output, in double, for finite differences.
double lossOf(Model& m, const Matrix& x, const std::vector<uint8_t>& y) { return m.evaluateBatch(x, y.data()).loss; }

void expectModelGradientsMatch(const ModelSpec& spec) {
  Model model(spec, 3);
  const Matrix x = randomMatrix(4, model.inputSize(), 11);
  const std::vector<uint8_t> y{3, 0, 9, 3};
  model.trainBatch(x, y.data());  // no dropout in these specs: train mode == inference mode
  std::vector<Matrix> analytic;
  for (const ParamRef& p : model.params()) analytic.push_back(p.param->grad);
  const float eps = 1e-3f;
  int k = 0;
  for (const ParamRef& p : model.params()) {
    Matrix& v = p.param->value;
    for (Eigen::Index i = 0; i < v.size(); ++i) {
      const float keep = v.data()[i];
      v.data()[i] = keep + eps;
      const double lp = lossOf(model, x, y);
      v.data()[i] = keep - eps;
      const double lm = lossOf(model, x, y);
      v.data()[i] = keep;
      const double l0 = lossOf(model, x, y);
      // Max pooling is piecewise linear: where a step of eps moves a window's arg-max, the
      // central difference straddles a kink, but the analytic gradient still equals the
      // one-sided difference on the side of the current arg-max.
      const double a = analytic[size_t(k)].data()[i];
      auto close = [&](double numeric, double tol) { return std::abs(a - numeric) <= tol + 2e-2 * std::abs(numeric); };
      const bool ok =
          close((lp - lm) / (2 * eps), 2e-3) || close((lp - l0) / eps, 5e-3) || close((l0 - lm) / eps, 5e-3);
      EXPECT_TRUE(ok) << p.layer << "/" << p.param->name << "[" << i << "]: analytic " << a << ", central "
                      << (lp - lm) / (2 * eps) << ", right " << (lp - l0) / eps << ", left " << (l0 - lm) / eps;
    }
    ++k;
  }
}

}  // namespace

TEST(Model, MlpGradientsMatchFiniteDifferences) { expectModelGradientsMatch(tinyMlp()); }
TEST(Model, CnnGradientsMatchFiniteDifferences) { expectModelGradientsMatch(tinyCnn()); }

TEST(Model, CrossEntropyKnownAnswer) {
  // One Dense layer with zero weights and chosen biases: logits = bias for every sample.
  ModelSpec s;
  s.inputShape = {2};
  LayerSpec d;
  d.kind = LayerKind::Dense;
  d.units = 10;
  d.activation = "softmax";
  d.kernelInitializer = "zeros";
  s.layers = {d};
  Model m(s);
  Matrix& b = m.params()[1].param->value;
  for (int i = 0; i < 10; ++i) b(0, i) = float(i) * 0.1f;
  Matrix x = Matrix::Zero(2, 2);
  const std::vector<uint8_t> y{9, 0};
  // loss_i = log(sum_j e^{0.1 j}) - 0.1 y_i
  double lse = 0;
  for (int j = 0; j < 10; ++j) lse += std::exp(0.1 * j);
  lse = std::log(lse);
  const BatchResult r = m.evaluateBatch(x, y.data());
  EXPECT_NEAR(r.loss, ((lse - 0.9) + (lse - 0.0)) / 2, 1e-6);
  EXPECT_EQ(r.correct, 1);  // argmax is class 9 for both
  // Probabilities are the softmax of the logits and sum to one.
  const Matrix& p = m.predictBatch(x);
  EXPECT_NEAR(p.row(0).sum(), 1.0, 1e-6);
  EXPECT_NEAR(p(0, 9) / p(0, 0), std::exp(0.9), 1e-4);
}

TEST(Model, CrossEntropyIsStableForHugeLogits) {
  ModelSpec s;
  s.inputShape = {1};
  LayerSpec d;
  d.kind = LayerKind::Dense;
  d.units = 10;
  d.activation = "softmax";
  d.kernelInitializer = "zeros";
  s.layers = {d};
  Model m(s);
  Matrix& b = m.params()[1].param->value;
  b.setZero();
  b(0, 2) = 1000.0f;  // exp(1000) overflows a naive softmax
  Matrix x = Matrix::Zero(1, 1);
  const std::vector<uint8_t> right{2}, wrong{5};
  EXPECT_NEAR(m.evaluateBatch(x, right.data()).loss, 0.0, 1e-6);
  EXPECT_NEAR(m.evaluateBatch(x, wrong.data()).loss, 1000.0, 1e-3);
  const BatchResult r = m.trainBatch(x, wrong.data());
  EXPECT_TRUE(std::isfinite(r.loss));
  EXPECT_TRUE(m.params()[1].param->grad.allFinite());
}

TEST(Model, WeightsRoundTripAndSeedsAreReproducible) {
  Model a(tinyCnn(), 5), b(tinyCnn(), 5), c(tinyCnn(), 6);
  EXPECT_EQ(a.weights()[0], b.weights()[0]);
  EXPECT_NE(a.weights()[0], c.weights()[0]);
  c.setWeights(a.weights());
  const Matrix x = randomMatrix(3, 36, 1);
  EXPECT_EQ(Matrix(a.predictBatch(x)), Matrix(c.predictBatch(x)));
  std::vector<Matrix> wrong = a.weights();
  wrong.pop_back();
  EXPECT_THROW(c.setWeights(wrong), SpecError);
}

TEST(Model, RejectsAnImpossibleStackBeforeBuilding) {
  ModelSpec s = tinyCnn();
  s.layers[0].kernelH = 9;  // 9x3 kernel on a 6x6 input
  s.layers[0].padding = "valid";
  try {
    Model m(s);
    FAIL() << "expected SpecError";
  } catch (const SpecError& e) {
    EXPECT_NE(std::string(e.what()).find("conv2d"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("larger than its input"), std::string::npos) << e.what();
  }
}

TEST(Model, PresetParameterCountsMatchKeras) {
  EXPECT_EQ(Model(presetMlp()).parameterCount(), 178110);
  EXPECT_EQ(Model(presetCnn()).parameterCount(), 3274634);
  // Conv2D 32 3x3: 320; Conv2D 64 3x3 on 32 channels: 18,496; Dense 1600->128: 204,928; 128->10: 1,290.
  EXPECT_EQ(Model(presetDigits()).parameterCount(), 320 + 18496 + 204928 + 1290);
}

TEST(Model, DigitsPresetAugmentsOnlyWhileTraining) {
  const ModelSpec digits = presetByName("digits");
  EXPECT_EQ(digits, presetDigits());
  ASSERT_GE(digits.layers.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const LayerSpec& l = digits.layers[size_t(i)];
    EXPECT_TRUE(layerKindInfo(l.kind).augmentation) << i;
    // Digits lie on black: the presets say fill_mode "constant" explicitly (Keras's default
    // "reflect" mirrors strokes back into the picture).
    EXPECT_EQ(std::get<std::string>(layerKindInfo(l.kind).arg("fill_mode")->get(l)), "constant") << i;
  }
  Model m(digits, 5);
  Matrix x = Matrix::Zero(2, 784);
  for (int y = 8; y < 20; ++y) x(0, y * 28 + 14) = x(1, 14 * 28 + y) = 1.0f;
  // Inference is deterministic (the augmentation layers are the identity there).
  const Matrix p1 = m.predictBatch(x);
  const Matrix p2 = m.predictBatch(x);
  EXPECT_TRUE(p1.isApprox(p2));
  // Training draws: the first layer's training output differs from its input.
  const Matrix& rotated = m.layers()[0]->forward(x, true);
  EXPECT_GT((rotated - x).cwiseAbs().maxCoeff(), 0.0f);
  EXPECT_TRUE(m.layers()[0]->forward(x, false).isApprox(x));
}

TEST(Model, GlorotUniformLimitsAsKeras) {
  // conv1 (5,5,1,32): limit sqrt(6/(25+800)); Dense 3136->1024: sqrt(6/4160) (KERAS_SEMANTICS §1).
  Model m(presetCnn(), 1);
  auto ps = m.params();
  const float conv1 = ps[0].param->value.cwiseAbs().maxCoeff();
  EXPECT_LE(conv1, std::sqrt(6.0 / 825.0));
  EXPECT_GT(conv1, 0.95 * std::sqrt(6.0 / 825.0));
  const float fc1 = ps[4].param->value.cwiseAbs().maxCoeff();
  EXPECT_LE(fc1, std::sqrt(6.0 / 4160.0));
  EXPECT_GT(fc1, 0.99 * std::sqrt(6.0 / 4160.0));
  EXPECT_TRUE(ps[1].param->value.isZero());  // default bias: zeros
  Model mlp(presetMlp(), 1);
  EXPECT_TRUE(mlp.params()[1].param->value.isOnes());  // the tutorial's bias_initializer='one'
}
