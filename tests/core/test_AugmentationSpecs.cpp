// The augmentation layers in files and scripts: Keras's to_json form (class_name/config, tuple
// factors, width_factor null, seed), DigitLab's form, .dlm files, the Keras script's calls, and
// hostile JSON refused with a message naming what is wrong.

#include "TestSupport.h"

#include "io/KerasExport.h"
#include "io/ModelFile.h"
#include "model/ModelSpecJson.h"
#include "nn/LayerRegistry.h"
#include "nn/ModelAnalysis.h"

#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace dl;

namespace {

// A Keras 3 Sequential as model.to_json() writes it, with `layer` (a {"class_name", "config"}
// object) first.
std::string kerasModel(const std::string& layer) {
  return R"({"module": "keras", "class_name": "Sequential", "config": {"name": "aug", "layers": [
    {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 28, 28, 1],
     "dtype": "float32", "sparse": false, "name": "input_layer"}, "registered_name": null},
    )" + layer +
         R"(,
    {"module": "keras.layers", "class_name": "Flatten", "config": {"name": "flatten", "data_format": "channels_last"}},
    {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "units": 10, "activation": "softmax"}}
  ]}})";
}

std::string kerasLayer(const std::string& cls, const std::string& config) {
  return R"({"module": "keras.layers", "class_name": ")" + cls + R"(", "config": {"name": "aug", "trainable": true,
    "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
    )" + config +
         R"(}, "registered_name": null, "build_config": {"input_shape": [null, 28, 28, 1]}})";
}

ArgValue argOf(const LayerSpec& l, const char* key) { return layerKindInfo(l.kind).arg(key)->get(l); }

std::string errorOf(const std::string& json) {
  try {
    const ModelSpec spec = modelSpecFromJson(json, "m.json");
    const ModelAnalysis a = analyze(spec);
    return a.ok() ? std::string() : a.error;
  } catch (const SpecError& e) {
    return e.what();
  }
}

TEST(AugmentationSpecs, readsKerasToJsonWithTupleFactorsAndASeed) {
  // What Keras writes for RandomRotation(factor=(-0.2, 0.3), fill_mode="constant", seed=42, ...):
  // get_config() holds the sorted (lower, upper) tuple as a list.
  const ModelSpec spec = modelSpecFromJson(
      kerasModel(kerasLayer("RandomRotation", R"("factor": [-0.2, 0.3], "data_format": "channels_last",
        "fill_mode": "constant", "fill_value": 0.5, "interpolation": "nearest", "seed": 42)")),
      "keras.json");
  ASSERT_EQ(spec.layers.size(), 3u);
  const LayerSpec& l = spec.layers[0];
  EXPECT_EQ(l.kind, LayerKind::RandomRotation);
  EXPECT_EQ(std::get<FactorRange>(argOf(l, "factor")), (FactorRange{-0.2, 0.3}));
  EXPECT_EQ(std::get<std::string>(argOf(l, "fill_mode")), "constant");
  EXPECT_EQ(std::get<std::string>(argOf(l, "interpolation")), "nearest");
  EXPECT_EQ(std::get<double>(argOf(l, "fill_value")), 0.5);
  EXPECT_TRUE(analyze(spec).ok()) << analyze(spec).error;
  // Written back in the same form and read again: the same model.
  EXPECT_EQ(modelSpecFromJson(modelSpecToKerasJson(spec)), spec);
  EXPECT_NE(modelSpecToKerasJson(spec).find("\"factor\": [-0.2, 0.3]"), std::string::npos);
  EXPECT_NE(modelSpecToKerasJson(spec).find("\"seed\": null"), std::string::npos);
}

TEST(AugmentationSpecs, aSingleNumberIsTheSymmetricRangeAndAReversedPairIsSorted) {
  const ModelSpec spec = modelSpecFromJson(
      kerasModel(kerasLayer("RandomTranslation", R"("height_factor": -0.1, "width_factor": [0.3, -0.2])")));
  const LayerSpec& l = spec.layers[0];
  EXPECT_EQ(std::get<FactorRange>(argOf(l, "height_factor")), (FactorRange{-0.1, 0.1}));
  EXPECT_EQ(std::get<FactorRange>(argOf(l, "width_factor")), (FactorRange{-0.2, 0.3}));
  // Keras's defaults where the file says nothing.
  EXPECT_EQ(std::get<std::string>(argOf(l, "fill_mode")), "reflect");
  EXPECT_EQ(std::get<std::string>(argOf(l, "interpolation")), "bilinear");
}

TEST(AugmentationSpecs, zoomWidthFactorNoneMeansTheHeightsZoom) {
  const ModelSpec spec =
      modelSpecFromJson(kerasModel(kerasLayer("RandomZoom", R"("height_factor": [-0.3, 0.1], "width_factor": null)")));
  EXPECT_EQ(std::get<FactorRange>(argOf(spec.layers[0], "width_factor")), kAutomaticRange);
  EXPECT_NE(modelSpecToKerasJson(spec).find("\"width_factor\": null"), std::string::npos);
  EXPECT_EQ(modelSpecToJson(spec).find("width_factor"), std::string::npos);  // left out at Keras's default
  EXPECT_EQ(modelSpecFromJson(modelSpecToJson(spec)), spec);
  const std::string call = layerKindInfo(LayerKind::RandomZoom).kerasCall(spec.layers[0], "aug");
  EXPECT_EQ(call, "layers.RandomZoom((-0.3, 0.1), name=\"aug\")");
}

TEST(AugmentationSpecs, digitLabFormRoundTripsEveryLayer) {
  const ModelSpec spec = modelSpecFromJson(R"({"name": "aug", "input_shape": [28, 28, 1], "layers": [
    {"class_name": "RandomRotation", "factor": 0.1, "fill_mode": "constant"},
    {"class_name": "RandomTranslation", "height_factor": [-0.1, 0.2], "width_factor": 0.1, "fill_mode": "wrap"},
    {"class_name": "RandomZoom", "height_factor": 0.2, "width_factor": [-0.1, 0.0], "interpolation": "nearest"},
    {"class_name": "GaussianNoise", "stddev": 0.25},
    {"class_name": "Flatten"},
    {"class_name": "Dense", "units": 10, "activation": "softmax"}]})");
  ASSERT_TRUE(analyze(spec).ok()) << analyze(spec).error;
  EXPECT_EQ(modelSpecFromJson(modelSpecToJson(spec)), spec);
  EXPECT_EQ(modelSpecFromJson(modelSpecToKerasJson(spec)), spec);
  EXPECT_EQ(std::get<double>(argOf(spec.layers[3], "stddev")), 0.25);

  // The Keras script's calls, as Keras accepts them.
  const std::string script = kerasScript(spec);
  EXPECT_NE(script.find("layers.RandomRotation(0.1, fill_mode=\"constant\", name=\"random_rotation\")"),
            std::string::npos)
      << script;
  EXPECT_NE(script.find("layers.RandomTranslation((-0.1, 0.2), 0.1, fill_mode=\"wrap\", name=\"random_translation\")"),
            std::string::npos)
      << script;
  EXPECT_NE(script.find("layers.RandomZoom(0.2, width_factor=(-0.1, 0.0), interpolation=\"nearest\", "
                        "name=\"random_zoom\")"),
            std::string::npos)
      << script;
  EXPECT_NE(script.find("layers.GaussianNoise(0.25, name=\"gaussian_noise\")"), std::string::npos) << script;

  // The summary names them with no parameters, a name too long for its column wrapped.
  const std::string summary = summaryText(spec);
  EXPECT_NE(summary.find("│ random_rotation                 │ (None, 28, 28, 1)        │             0 │\n"
                         "│ (RandomRotation)                │"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("│ gaussian_noise (GaussianNoise)  │ (None, 28, 28, 1)"), std::string::npos) << summary;
}

TEST(AugmentationSpecs, roundTripThroughAModelFile) {
  ModelSpec spec = modelSpecFromJson(R"({"input_shape": [28, 28, 1], "layers": [
    {"class_name": "RandomRotation", "factor": [-0.05, 0.1], "fill_mode": "nearest", "fill_value": 0.5},
    {"class_name": "RandomZoom", "height_factor": 0.1},
    {"class_name": "Flatten"},
    {"class_name": "GaussianNoise", "stddev": 0.1},
    {"class_name": "Dense", "units": 10, "activation": "softmax"}]})");
  Model model(spec, 3);
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("aug.dlm"));
  saveModelFile(path, model, ModelFileMetadata{});
  const ModelFileContents back = loadModelFile(path);
  EXPECT_EQ(back.spec.layers, spec.layers);
  ASSERT_EQ(back.weights.size(), 2u);  // the Dense's kernel and bias only
  EXPECT_EQ(back.weights[0], model.weights()[0]);
}

TEST(AugmentationSpecs, hostileJsonIsRefusedWithTheReason) {
  struct Case {
    std::string config, cls, expected;
  };
  const Case cases[] = {
      {R"("factor": 1.5)", "RandomRotation", "'factor' must be a number from -1 to 1 or a list of two"},
      {R"("factor": [0.1])", "RandomRotation", "'factor' must be a number from -1 to 1"},
      {R"("factor": [0.1, 0.2, 0.3])", "RandomRotation", "'factor' must be"},
      {R"("factor": [-2, 0.2])", "RandomRotation", "a list holding -2"},
      {R"("factor": "0.1")", "RandomRotation", "not the string \"0.1\""},
      {R"("fill_mode": "reflect")", "RandomRotation", "'factor' is missing"},
      {R"("factor": 0.1, "fill_mode": "mirror")", "RandomRotation", "fill_mode 'mirror' is not supported"},
      {R"("factor": 0.1, "interpolation": "bicubic")", "RandomRotation", "interpolation 'bicubic' is not supported"},
      {R"("factor": 0.1, "fill_value": "zero")", "RandomRotation", "'fill_value' must be a number"},
      {R"("factor": 0.1, "data_format": "channels_first")", "RandomRotation", "channels_first' is not supported"},
      {R"("height_factor": 0.1)", "RandomTranslation", "'width_factor' is missing"},
      {R"("height_factor": 0.1, "width_factor": 1.01)", "RandomTranslation", "'width_factor' must be"},
      {R"("height_factor": null)", "RandomZoom", "'height_factor' is missing"},
      {R"("stddev": 2)", "GaussianNoise", "'stddev' must be a number from 0 to 1"},
      {R"("stddev": -0.1)", "GaussianNoise", "'stddev' must be a number from 0 to 1"},
      {R"("stddev": 0.1, "noise": 1)", "GaussianNoise", "unknown argument 'noise'"},
  };
  for (const Case& c : cases) {
    const std::string error = errorOf(kerasModel(kerasLayer(c.cls, c.config)));
    EXPECT_NE(error.find(c.expected), std::string::npos) << c.config << "\n" << error;
    EXPECT_NE(error.find(c.cls), std::string::npos) << error;  // the layer is named
  }
}

TEST(AugmentationSpecs, aFlatInputIsRefusedOnTheLayer) {
  const std::string error = errorOf(R"({"input_shape": [784], "layers": [
    {"class_name": "RandomRotation", "factor": 0.1},
    {"class_name": "Dense", "units": 10, "activation": "softmax"}]})");
  EXPECT_NE(error.find("Layer 1 'random_rotation' (RandomRotation): RandomRotation needs an image input "
                       "(height, width, channels) but gets (None, 784)"),
            std::string::npos)
      << error;
}

}  // namespace
