// Inspection: layer outputs equal the layers' own forward passes, the input gradient every
// saliency rests on matches finite differences through every layer kind (after an inference-mode
// forward), and each saliency method gives the hand-computed map of a hand-set model.

#include "TestSupport.h"

#include "nn/Inspection.h"
#include "nn/LayerRegistry.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace dl;
using dl::test::randomMatrix;

namespace {

LayerSpec layer(LayerKind kind) { return layerKindInfo(kind).newLayer(); }

LayerSpec dense(int units, const std::string& activation) {
  LayerSpec d = layer(LayerKind::Dense);
  d.units = units;
  d.activation = activation;
  d.biasInitializer = "random_normal";
  return d;
}

LayerSpec conv(int filters, int k, const std::string& activation, int stride = 1) {
  LayerSpec c = layer(LayerKind::Conv2D);
  c.filters = filters;
  c.kernelH = c.kernelW = k;
  c.strideH = c.strideW = stride;
  c.padding = "same";
  c.activation = activation;
  c.biasInitializer = "random_normal";
  return c;
}

// Every kind of layer, small: augmentation and noise first (identities in inference), Conv2D,
// BatchNormalization, MaxPooling2D, Flatten, Dropout, Dense softmax.
ModelSpec everyKind() {
  ModelSpec s;
  s.name = "every_kind";
  s.inputShape = {8, 8, 1};
  s.layers = {layer(LayerKind::RandomRotation),
              layer(LayerKind::RandomTranslation),
              layer(LayerKind::RandomZoom),
              layer(LayerKind::GaussianNoise),
              conv(3, 3, "tanh"),
              layer(LayerKind::BatchNormalization),
              layer(LayerKind::MaxPooling2D),
              layer(LayerKind::Flatten),
              layer(LayerKind::Dropout),
              dense(6, "sigmoid"),
              dense(10, "softmax")};
  return s;
}

// BatchNormalization's moving statistics away from (0, 1), so it does something.
void randomiseBatchNorm(Model& model) {
  int seed = 5;
  for (const ParamRef& p : model.params()) {
    if (p.param->name == "moving_mean" || p.param->name == "gamma" || p.param->name == "beta")
      p.param->value = randomMatrix(1, p.param->value.cols(), uint64_t(seed++), -0.5f, 1.5f);
    if (p.param->name == "moving_variance")
      p.param->value = randomMatrix(1, p.param->value.cols(), uint64_t(seed++), 0.3f, 2.0f);
  }
}

Param& paramOf(Model& model, const std::string& layerName, const std::string& name) {
  for (const ParamRef& p : model.params())
    if (p.layer == layerName && p.param->name == name) return *p.param;
  throw std::runtime_error("no " + layerName + "/" + name);
}

SaliencyOptions forClass(int c) {
  SaliencyOptions o;
  o.targetClass = c;
  return o;
}

// The SpecError message of f(), or "" if it does not throw one.
template <class F>
std::string specErrorOf(F f) {
  try {
    f();
  } catch (const SpecError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Inspection, LayerOutputsAreTheLayersOwnForwardPasses) {
  Model model(everyKind(), 4);
  randomiseBatchNorm(model);
  const Matrix x = randomMatrix(1, model.inputSize(), 21, 0, 1);
  const std::vector<LayerOutput> outs = layerOutputs(model, x.data());
  ASSERT_EQ(outs.size(), model.layers().size());

  // Each layer's forward, run here one after another in inference mode.
  std::vector<Matrix> expected;
  Matrix cur = x;
  for (const auto& l : model.layers()) {
    cur = l->forward(cur, false);
    expected.push_back(cur);
  }
  for (size_t i = 0; i + 1 < outs.size(); ++i) {
    SCOPED_TRACE(outs[i].name);
    EXPECT_EQ(outs[i].name, model.layers()[i]->name());
    EXPECT_EQ(outs[i].className, model.layers()[i]->className());
    EXPECT_EQ(outs[i].shape, model.layers()[i]->outputShape());
    ASSERT_EQ(outs[i].values.size(), size_t(shapeSize(outs[i].shape)));
    for (size_t k = 0; k < outs[i].values.size(); ++k) ASSERT_EQ(outs[i].values[k], expected[i](0, Eigen::Index(k)));
  }
  EXPECT_EQ(outs[4].shape, (Shape{8, 8, 3}));
  EXPECT_EQ(outs[6].shape, (Shape{4, 4, 3}));
  // The last entry is the model's output: probabilities, as predictBatch gives them.
  const Matrix probs = model.predictBatch(x);
  ASSERT_EQ(outs.back().values.size(), 10u);
  float sum = 0;
  for (int k = 0; k < 10; ++k) {
    EXPECT_FLOAT_EQ(outs.back().values[size_t(k)], probs(0, k));
    sum += outs.back().values[size_t(k)];
  }
  EXPECT_NEAR(sum, 1.0f, 1e-5f);
}

TEST(Inspection, GradientTimesInputMarksTheOnePixelTheClassReads) {
  ModelSpec s;
  s.inputShape = {4, 4, 1};
  s.layers = {layer(LayerKind::Flatten), dense(10, "softmax")};
  Model model(s);
  Param& kernel = paramOf(model, "dense", "kernel");
  kernel.value.setZero();
  paramOf(model, "dense", "bias").value.setZero();
  kernel.value(5, 1) = 2.0f;  // class 1's logit = 2 x[5] + bias: pixel (1, 1)
  const std::vector<float> x(16, 0.5f);
  SaliencyOptions o;
  o.targetClass = 1;
  const SaliencyMap m = saliency(model, x.data(), SaliencyMethod::GradientXInput, o);
  EXPECT_EQ(m.targetClass, 1);
  EXPECT_EQ(m.height, 4);
  EXPECT_EQ(m.width, 4);
  ASSERT_EQ(m.values.size(), 16u);
  for (int p = 0; p < 16; ++p) EXPECT_FLOAT_EQ(m.values[size_t(p)], p == 5 ? 1.0f : 0.0f) << "pixel " << p;
  EXPECT_FLOAT_EQ(m.probability, model.predictBatch(ConstMatrixMap(x.data(), 1, 16))(0, 1));
  EXPECT_TRUE(m.layer.empty());
  EXPECT_TRUE(m.cam.empty());
}

TEST(Inspection, InputGradientMatchesFiniteDifferencesThroughEveryLayerKind) {
  Model model(everyKind(), 7);
  randomiseBatchNorm(model);
  Matrix x = randomMatrix(1, model.inputSize(), 33, 0, 1);
  const int target = 3;
  // S(x) = logit of the target class in inference mode, in double for the differences.
  auto score = [&](const Matrix& in) { return double(model.forwardInference(in)(0, target)); };
  model.forwardInference(x);
  Matrix dScore = Matrix::Zero(1, 10);
  dScore(0, target) = 1;
  const Matrix g = model.backwardFrom(dScore);
  ASSERT_EQ(g.cols(), x.cols());
  const float eps = 1e-3f;
  double largest = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const float keep = x(0, i);
    x(0, i) = keep + eps;
    const double sp = score(x);
    x(0, i) = keep - eps;
    const double sm = score(x);
    x(0, i) = keep;
    const double s0 = score(x);
    // Max pooling is piecewise linear: across a kink the one-sided difference on the arg-max's side holds.
    const double a = g(0, i);
    auto close = [&](double numeric) { return std::abs(a - numeric) <= 2e-3 + 2e-2 * std::abs(numeric); };
    EXPECT_TRUE(close((sp - sm) / (2 * eps)) || close((sp - s0) / eps) || close((s0 - sm) / eps))
        << "pixel " << i << ": analytic " << a << ", central " << (sp - sm) / (2 * eps);
    largest = std::max(largest, std::abs(a));
  }
  EXPECT_GT(largest, 1e-2);  // the check compared real gradients, not zeros

  // Gradient x input is that gradient times the pixel.
  const SaliencyMap m = saliency(model, x.data(), SaliencyMethod::GradientXInput, forClass(target));
  for (Eigen::Index i = 0; i < x.size(); ++i) EXPECT_NEAR(m.values[size_t(i)], g(0, i) * x(0, i), 1e-6f);
}

TEST(Inspection, GradCamOfAHandSetModelIsTheHandComputedMap) {
  // Conv2D 1x1 with two filters (A0 = x, A1 = 2x) - Flatten - Dense 2 softmax. The logit of
  // class 0 has weight w0 on every A0 value and w1 on every A1 value, so dS/dA is constant:
  // alpha = (w0, w1) and the CAM is ReLU(w0 x + 2 w1 x) = ReLU(x) (w0 = 3, w1 = -1).
  ModelSpec s;
  s.inputShape = {3, 3, 1};
  LayerSpec c = conv(2, 1, "linear");
  s.layers = {c, layer(LayerKind::Flatten), dense(10, "softmax")};
  Model model(s);
  Param& k = paramOf(model, "conv2d", "kernel");
  k.value << 1.0f, 2.0f;
  paramOf(model, "conv2d", "bias").value.setZero();
  Param& w = paramOf(model, "dense", "kernel");
  w.value.setZero();
  for (int p = 0; p < 9; ++p) {
    w.value(2 * p, 0) = 3.0f;
    w.value(2 * p + 1, 0) = -1.0f;
    w.value(2 * p, 1) = 0.5f;
    w.value(2 * p + 1, 1) = 0.25f;
  }
  const std::vector<float> x{0.5f, -1.0f, 0.0f, 2.0f, 0.25f, -0.5f, 1.0f, 0.0f, 3.0f};
  SaliencyOptions o;
  o.targetClass = 0;
  const SaliencyMap m = saliency(model, x.data(), SaliencyMethod::GradCam, o);
  EXPECT_EQ(m.layer, "conv2d");
  EXPECT_EQ(m.camHeight, 3);
  EXPECT_EQ(m.camWidth, 3);
  ASSERT_EQ(m.cam.size(), 9u);
  for (int p = 0; p < 9; ++p) {
    EXPECT_FLOAT_EQ(m.cam[size_t(p)], std::max(0.0f, x[size_t(p)])) << "position " << p;
    EXPECT_FLOAT_EQ(m.values[size_t(p)], m.cam[size_t(p)]);  // same size: no resampling
  }
  // Class 1: alpha = (0.5, 0.25), CAM = ReLU(x).
  o.targetClass = 1;
  const SaliencyMap m1 = saliency(model, x.data(), SaliencyMethod::GradCam, o);
  for (int p = 0; p < 9; ++p) EXPECT_FLOAT_EQ(m1.cam[size_t(p)], std::max(0.0f, x[size_t(p)]));
}

TEST(Inspection, GradCamUpsamplesBilinearlyWithHalfPixelCentres) {
  // Stride 2 on a 4x4 input: a 2x2 CAM ReLU(w x[2i][2j]). Upsampled to 4x4 with half-pixel
  // centres (tf.image.resize bilinear): columns read source 0, 0.25, 0.75, 1 (edges clamped).
  ModelSpec s;
  s.inputShape = {4, 4, 1};
  LayerSpec c = conv(1, 1, "linear", 2);
  c.padding = "valid";
  s.layers = {c, layer(LayerKind::Flatten), dense(10, "softmax")};
  Model model(s);
  paramOf(model, "conv2d", "kernel").value << 1.0f;
  paramOf(model, "conv2d", "bias").value.setZero();
  Param& w = paramOf(model, "dense", "kernel");
  w.value.setZero();
  w.value.col(0).setConstant(2.0f);
  paramOf(model, "dense", "bias").value.setZero();
  std::vector<float> x(16, 0.0f);
  x[0] = 1, x[2] = 2, x[8] = 3, x[10] = 4;  // A = [[1, 2], [3, 4]]
  const SaliencyMap m = saliency(model, x.data(), SaliencyMethod::GradCam, forClass(0));
  ASSERT_EQ(m.camHeight, 2);
  const float cam[4] = {2, 4, 6, 8};  // alpha = 2 (the mean of a constant gradient)
  for (int p = 0; p < 4; ++p) EXPECT_FLOAT_EQ(m.cam[size_t(p)], cam[p]);
  const float t[4][2] = {{1, 0}, {0.75f, 0.25f}, {0.25f, 0.75f}, {0, 1}};  // weights of source 0 and 1
  for (int y = 0; y < 4; ++y)
    for (int xx = 0; xx < 4; ++xx) {
      float v = 0;
      for (int sy = 0; sy < 2; ++sy)
        for (int sx = 0; sx < 2; ++sx) v += t[y][sy] * t[xx][sx] * cam[sy * 2 + sx];
      EXPECT_FLOAT_EQ(m.values[size_t(y * 4 + xx)], v) << "(" << y << ", " << xx << ")";
    }
}

TEST(Inspection, OcclusionIsTheMeanProbabilityDropOfThePatchesCoveringAPixel) {
  // Class 0's logit is 2 x[0][0], the other nine are 0: only a patch over pixel (0, 0) changes
  // anything, and it drops p0 from e^2 / (e^2 + 9) to 1/10.
  ModelSpec s;
  s.inputShape = {4, 4, 1};
  s.layers = {layer(LayerKind::Flatten), dense(10, "softmax")};
  Model model(s);
  Param& w = paramOf(model, "dense", "kernel");
  w.value.setZero();
  w.value(0, 0) = 2.0f;
  paramOf(model, "dense", "bias").value.setZero();
  std::vector<float> x(16, 1.0f);
  const float p0 = std::exp(2.0f) / (std::exp(2.0f) + 9.0f), drop = p0 - 0.1f;

  SaliencyOptions o;
  o.targetClass = 0;
  o.occlusionPatch = 2;
  o.occlusionStride = 2;  // four patches, each pixel in one
  SaliencyMap m = saliency(model, x.data(), SaliencyMethod::Occlusion, o);
  EXPECT_NEAR(m.probability, p0, 1e-6f);
  for (int y = 0; y < 4; ++y)
    for (int xx = 0; xx < 4; ++xx)
      EXPECT_NEAR(m.values[size_t(y * 4 + xx)], y < 2 && xx < 2 ? drop : 0.0f, 1e-6f) << y << "," << xx;

  o.occlusionStride = 1;  // nine patches: (0,0) is in 1, (0,1) in 2, (1,1) in 4, of which one drops
  m = saliency(model, x.data(), SaliencyMethod::Occlusion, o);
  EXPECT_NEAR(m.values[0], drop, 1e-6f);
  EXPECT_NEAR(m.values[1], drop / 2, 1e-6f);
  EXPECT_NEAR(m.values[4], drop / 2, 1e-6f);
  EXPECT_NEAR(m.values[5], drop / 4, 1e-6f);
  EXPECT_NEAR(m.values[2], 0.0f, 1e-6f);

  o.occlusionPatch = 3;  // starts 0 and 1 (flush with the edge): every pixel covered
  o.occlusionStride = 2;
  m = saliency(model, x.data(), SaliencyMethod::Occlusion, o);
  EXPECT_NEAR(m.values[0], drop, 1e-6f);      // only the patch at (0, 0)
  EXPECT_NEAR(m.values[15], 0.0f, 1e-6f);     // only the patch at (1, 1)
  EXPECT_NEAR(m.values[5], drop / 4, 1e-6f);  // all four
}

TEST(Inspection, TheTopClassIsExplainedByDefault) {
  Model model(everyKind(), 2);
  const Matrix x = randomMatrix(1, model.inputSize(), 8, 0, 1);
  Eigen::Index best = 0;
  const float top = model.predictBatch(x).row(0).maxCoeff(&best);
  for (SaliencyMethod method : {SaliencyMethod::GradientXInput, SaliencyMethod::Occlusion, SaliencyMethod::GradCam}) {
    const SaliencyMap m = saliency(model, x.data(), method);
    EXPECT_EQ(m.targetClass, int(best)) << saliencyMethodName(method);
    EXPECT_FLOAT_EQ(m.probability, top);
    EXPECT_EQ(m.values.size(), 64u);
    EXPECT_EQ(m.method, method);
  }
}

TEST(Inspection, MlpInputOf784IsReadAsA28x28Image) {
  Model model(presetMlp());
  const std::vector<float> x(784, 0.5f);
  const SaliencyMap m = saliency(model, x.data(), SaliencyMethod::GradientXInput);
  EXPECT_EQ(m.height, 28);
  EXPECT_EQ(m.width, 28);
  int h = 0, w = 0, c = 0;
  EXPECT_TRUE(imageShape({28, 28, 1}, &h, &w, &c));
  EXPECT_EQ(c, 1);
  EXPECT_FALSE(imageShape({10}, &h, &w, &c));
  EXPECT_FALSE(imageShape({2, 2, 2, 2}, &h, &w, &c));
}

TEST(Inspection, EveryMisuseThrowsSpecErrorSayingWhat) {
  Model cnn(everyKind(), 1);
  const std::vector<float> x(64, 0.5f);
  SaliencyOptions o;
  o.gradCamLayer = "foo";
  EXPECT_EQ(specErrorOf([&] { saliency(cnn, x.data(), SaliencyMethod::GradCam, o); }),
            "no layer named 'foo'; layers: random_rotation, random_translation, random_zoom, gaussian_noise, "
            "conv2d, batch_normalization, max_pooling2d, flatten, dropout, dense, dense_1");
  o.gradCamLayer = "dense";
  EXPECT_EQ(specErrorOf([&] { saliency(cnn, x.data(), SaliencyMethod::GradCam, o); }),
            "Grad-CAM needs a Conv2D layer, and 'dense' is a Dense layer (Conv2D layers: conv2d)");
  o = {};
  o.targetClass = 10;
  EXPECT_EQ(specErrorOf([&] { saliency(cnn, x.data(), SaliencyMethod::GradientXInput, o); }),
            "class 10 is out of range: the model has 10 classes (0-9)");
  o = {};
  o.occlusionPatch = 0;
  EXPECT_NE(specErrorOf([&] { saliency(cnn, x.data(), SaliencyMethod::Occlusion, o); }).find("patch and a stride"),
            std::string::npos);

  ModelSpec mlp = presetMlp();
  mlp.name = "mlp";
  Model mlpModel(mlp);
  const std::vector<float> digit(784, 0.5f);
  EXPECT_EQ(specErrorOf([&] { saliency(mlpModel, digit.data(), SaliencyMethod::GradCam); }),
            "Grad-CAM needs a Conv2D layer, and mlp has none (layers: dense, dropout, dense_1, dropout_1, dense_2)");

  ModelSpec flat;
  flat.inputShape = {10};
  flat.layers = {dense(10, "softmax")};
  Model notImage(flat);
  EXPECT_EQ(specErrorOf([&] { saliency(notImage, digit.data(), SaliencyMethod::GradientXInput); }),
            "saliency needs an image input, and the model's input shape is (10,)");
}

TEST(Inspection, MethodNamesRoundTrip) {
  for (SaliencyMethod m : {SaliencyMethod::GradientXInput, SaliencyMethod::Occlusion, SaliencyMethod::GradCam}) {
    SaliencyMethod back = SaliencyMethod::GradientXInput;
    EXPECT_TRUE(parseSaliencyMethod(saliencyMethodName(m), &back));
    EXPECT_EQ(back, m);
  }
  EXPECT_STREQ(saliencyMethodName(SaliencyMethod::GradCam), "gradcam");
  EXPECT_FALSE(parseSaliencyMethod("GradCam", nullptr));
  EXPECT_FALSE(parseSaliencyMethod("", nullptr));
}
