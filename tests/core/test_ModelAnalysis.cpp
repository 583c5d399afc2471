// Shape inference, parameter counts, validation messages and the model.summary() table.

#include "nn/ModelAnalysis.h"

#include <gtest/gtest.h>

using namespace dl;

TEST(Analysis, TutorialCnnShapesAndParams) {
  const ModelAnalysis a = analyze(presetCnn());
  ASSERT_TRUE(a.ok()) << a.error;
  ASSERT_EQ(a.layers.size(), 8u);
  EXPECT_EQ(shapeToString(a.layers[0].outputShape), "(None, 28, 28, 32)");
  EXPECT_EQ(shapeToString(a.layers[1].outputShape), "(None, 14, 14, 32)");
  EXPECT_EQ(shapeToString(a.layers[2].outputShape), "(None, 14, 14, 64)");
  EXPECT_EQ(shapeToString(a.layers[3].outputShape), "(None, 7, 7, 64)");
  EXPECT_EQ(shapeToString(a.layers[4].outputShape), "(None, 3136)");
  EXPECT_EQ(a.layers[0].params, 832);
  EXPECT_EQ(a.layers[2].params, 51264);
  EXPECT_EQ(a.layers[5].params, 3212288);
  EXPECT_EQ(a.layers[7].params, 10250);
  EXPECT_EQ(a.totalParams, 3274634);
  EXPECT_EQ(a.layers[2].name, "conv2d_1");
  EXPECT_EQ(a.layers[3].name, "max_pooling2d_1");
}

TEST(Analysis, TutorialMlpParams) {
  const ModelAnalysis a = analyze(presetMlp());
  ASSERT_TRUE(a.ok()) << a.error;
  EXPECT_EQ(a.totalParams, 178110);
  EXPECT_EQ(a.layers[0].params, 157000);
  EXPECT_EQ(a.layers[4].name, "dense_2");
}

TEST(Analysis, ValidOutputSizesFloorAndSameCeil) {
  ModelSpec s;
  s.inputShape = {28, 28, 1};
  LayerSpec c;
  c.kind = LayerKind::Conv2D;
  c.kernelH = c.kernelW = 5;
  c.strideH = c.strideW = 2;
  c.padding = "valid";
  s.layers = {c};
  EXPECT_EQ(analyze(s).layers[0].outputShape, Shape({12, 12, 32}));  // floor(23/2)+1
  s.layers[0].padding = "same";
  EXPECT_EQ(analyze(s).layers[0].outputShape, Shape({14, 14, 32}));  // ceil(28/2)
  LayerSpec p;
  p.kind = LayerKind::MaxPooling2D;
  p.poolH = p.poolW = 3;
  p.strideH = p.strideW = 0;  // default: the pool size
  p.padding = "valid";
  s.layers = {p};
  EXPECT_EQ(analyze(s).layers[0].outputShape, Shape({9, 9, 1}));
}

namespace {
std::string errorOf(ModelSpec s) { return analyze(s).error; }
}  // namespace

TEST(Analysis, ImpossibleStacksNameTheLayerAndTheProblem) {
  ModelSpec cnn = presetCnn();
  cnn.layers[2].kernelH = cnn.layers[2].kernelW = 20;
  cnn.layers[2].padding = "valid";
  EXPECT_EQ(errorOf(cnn),
            "Layer 3 'conv2d_1' (Conv2D): kernel 20x20 is larger than its input 14x14 with 'valid' padding");
  EXPECT_EQ(analyze(cnn).errorLayer, 2);
  EXPECT_TRUE(analyze(cnn).layers[3].outputShape.empty());  // nothing inferred after the error

  ModelSpec noFlatten = presetCnn();
  noFlatten.layers.erase(noFlatten.layers.begin() + 4);
  EXPECT_NE(errorOf(noFlatten).find("'dense' (Dense): Dense needs a flat input but gets (None, 7, 7, 64)"),
            std::string::npos)
      << errorOf(noFlatten);

  ModelSpec zero = presetMlp();
  zero.layers[2].units = 0;
  EXPECT_NE(errorOf(zero).find("'dense_1' (Dense): units must be"), std::string::npos) << errorOf(zero);

  ModelSpec act = presetMlp();
  act.layers[0].activation = "gelu";
  EXPECT_NE(errorOf(act).find("unknown activation 'gelu'"), std::string::npos);

  ModelSpec init = presetMlp();
  init.layers[0].kernelInitializer = "orthogonal";
  EXPECT_NE(errorOf(init).find("unknown initializer 'orthogonal'"), std::string::npos);

  ModelSpec conv1d = presetMlp();
  conv1d.layers.insert(conv1d.layers.begin(), presetCnn().layers[0]);
  EXPECT_NE(errorOf(conv1d).find("Conv2D needs an image input"), std::string::npos);

  ModelSpec rate = presetMlp();
  rate.layers[1].rate = 1.0;
  EXPECT_NE(errorOf(rate).find("'dropout' (Dropout): rate must be in [0, 1)"), std::string::npos);

  ModelSpec stride = presetCnn();
  stride.layers[0].strideH = -1;
  EXPECT_NE(errorOf(stride).find("strides must be positive"), std::string::npos);

  ModelSpec end = presetMlp();
  end.layers.back().units = 7;
  EXPECT_NE(errorOf(end).find("must end with 10 outputs"), std::string::npos);
  end = presetMlp();
  end.layers.back().activation = "relu";
  EXPECT_NE(errorOf(end).find("softmax"), std::string::npos);

  ModelSpec empty;
  EXPECT_EQ(errorOf(empty), "the model has no layers");

  ModelSpec huge = presetMlp();
  huge.layers[0].units = 65536;
  huge.layers[2].units = 65536;
  EXPECT_NE(errorOf(huge).find("more than DigitLab supports"), std::string::npos);
  EXPECT_EQ(analyze(huge).errorLayer, 2);  // the layer with the most parameters (65536 x 65536)
}

TEST(Analysis, DuplicateAndUnusableLayerNamesAreMarkedOnTheSecondLayer) {
  ModelSpec dup = presetMlp();
  dup.layers[2].name = "dense";  // the first Dense's automatic name
  const ModelAnalysis a = analyze(dup);
  EXPECT_EQ(a.errorLayer, 2);
  EXPECT_EQ(a.error,
            "Layer 3 'dense' (Dense): the name 'dense' is already used by layer 1; layer names must be unique");
  EXPECT_FALSE(a.layers[2].error.empty());

  ModelSpec slash = presetMlp();
  slash.layers[1].name = "drop/out";
  EXPECT_EQ(analyze(slash).errorLayer, 1);
  EXPECT_NE(errorOf(slash).find("must not contain '/'"), std::string::npos) << errorOf(slash);

  ModelSpec renamed = presetMlp();
  renamed.layers[0].name = "hidden";
  renamed.layers[2].name = "dense";  // free again: the first Dense no longer uses it
  EXPECT_TRUE(analyze(renamed).ok()) << analyze(renamed).error;
}

TEST(Analysis, SizesThatWouldOverflowAreRejectedNotCrashed) {
  // 65536 x 65536 x 1 passes every per-dimension limit but is 4 billion values per sample: its
  // product overflowed int in the Conv2D geometry and crashed training with SIGFPE.
  ModelSpec big = presetCnn();
  big.inputShape = {65536, 65536, 1};
  const ModelAnalysis a = analyze(big);
  EXPECT_FALSE(a.ok());
  EXPECT_EQ(a.errorLayer, -1);
  EXPECT_NE(a.error.find("input shape (None, 65536, 65536, 1) holds 4,294,967,296 values per sample"),
            std::string::npos)
      << a.error;

  // A small input whose first layer's output is too large: marked on that layer.
  ModelSpec wide = presetCnn();
  wide.inputShape = {1024, 1024, 1};
  wide.layers[0].filters = 64;  // 1024*1024*64 = 67M values
  const ModelAnalysis w = analyze(wide);
  EXPECT_EQ(w.errorLayer, 0);
  EXPECT_NE(w.error.find("'conv2d' (Conv2D): its output (None, 1024, 1024, 64) holds 67,108,864 values"),
            std::string::npos)
      << w.error;

  ModelSpec filters = presetCnn();
  filters.layers[0].filters = 70000;
  EXPECT_NE(errorOf(filters).find("filters must be between 1 and 65536 (is 70000)"), std::string::npos)
      << errorOf(filters);
}

TEST(Summary, PrintsKerasTableAndTotals) {
  const std::string s = summaryText(presetCnn());
  EXPECT_NE(s.find("Model: \"tutorial_cnn\""), std::string::npos);
  EXPECT_NE(s.find("Layer (type)"), std::string::npos);
  EXPECT_NE(s.find("conv2d (Conv2D)"), std::string::npos);
  EXPECT_NE(s.find("(None, 28, 28, 32)"), std::string::npos);
  EXPECT_NE(s.find("max_pooling2d (MaxPooling2D)"), std::string::npos);
  EXPECT_NE(s.find("3,212,288"), std::string::npos);
  EXPECT_NE(s.find("Total params: 3,274,634 (12.49 MB)"), std::string::npos) << s;
  EXPECT_NE(s.find("Trainable params: 3,274,634 (12.49 MB)"), std::string::npos);
  EXPECT_NE(s.find("Non-trainable params: 0 (0.00 B)"), std::string::npos);
  EXPECT_NE(summaryText(presetMlp()).find("Total params: 178,110 (695.74 KB)"), std::string::npos);
}

TEST(Summary, ThousandsSeparators) {
  EXPECT_EQ(withThousands(0), "0");
  EXPECT_EQ(withThousands(999), "999");
  EXPECT_EQ(withThousands(1000), "1,000");
  EXPECT_EQ(withThousands(3274634), "3,274,634");
}
