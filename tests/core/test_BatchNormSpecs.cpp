// BatchNormalization in files: Keras 3's to_json config read and written back, its script call,
// .dlm files that keep the moving statistics (non-trainable weights) and restore them, and hostile
// configs refused with the reason.

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

// The config Keras 3 writes for BatchNormalization(momentum=0.9) (batch_normalization.py
// get_config).
std::string kerasModel() {
  return R"({"module": "keras", "class_name": "Sequential", "config": {"name": "bn", "layers": [
    {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 28, 28, 1],
     "dtype": "float32", "sparse": false, "name": "input_layer"}, "registered_name": null},
    {"module": "keras.layers", "class_name": "Conv2D", "config": {"name": "conv2d", "filters": 4, "kernel_size": [3, 3],
     "activation": "relu"}},
    {"module": "keras.layers", "class_name": "BatchNormalization", "config": {"name": "batch_normalization",
     "trainable": true, "dtype": "float32", "axis": -1, "momentum": 0.9, "epsilon": 0.001, "center": true,
     "scale": true,
     "beta_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
     "gamma_initializer": {"module": "keras.initializers", "class_name": "Ones", "config": {}, "registered_name": null},
     "moving_mean_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
       "registered_name": null},
     "moving_variance_initializer": {"module": "keras.initializers", "class_name": "Ones", "config": {},
       "registered_name": null},
     "beta_regularizer": null, "gamma_regularizer": null, "beta_constraint": null, "gamma_constraint": null,
     "synchronized": false}},
    {"module": "keras.layers", "class_name": "Flatten", "config": {"name": "flatten"}},
    {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "units": 10, "activation": "softmax"}}
  ]}})";
}

std::string errorOf(const std::string& json) {
  try {
    const ModelSpec spec = modelSpecFromJson(json, "m.json");
    const ModelAnalysis a = analyze(spec);
    return a.ok() ? std::string() : a.error;
  } catch (const SpecError& e) {
    return e.what();
  }
}

TEST(BatchNormSpecs, readsKerasConfigAndWritesItBack) {
  const ModelSpec spec = modelSpecFromJson(kerasModel(), "keras.json");
  ASSERT_EQ(spec.layers[1].kind, LayerKind::BatchNormalization);
  const LayerKindInfo& info = layerKindInfo(LayerKind::BatchNormalization);
  EXPECT_EQ(std::get<double>(info.arg("momentum")->get(spec.layers[1])), 0.9);
  const ModelAnalysis a = analyze(spec);
  ASSERT_TRUE(a.ok()) << a.error;
  EXPECT_EQ(a.layers[1].params, 16);
  EXPECT_EQ(a.layers[1].nonTrainableParams, 8);
  const std::string json = modelSpecToKerasJson(spec);
  EXPECT_EQ(modelSpecFromJson(json), spec);
  for (const char* key : {"\"axis\": -1", "\"momentum\": 0.9", "\"synchronized\": false", "\"gamma_regularizer\": null",
                          "\"class_name\": \"Ones\""})
    EXPECT_NE(json.find(key), std::string::npos) << key << "\n" << json;
  EXPECT_EQ(modelSpecFromJson(modelSpecToJson(spec)), spec);
  EXPECT_NE(kerasScript(spec).find("layers.BatchNormalization(momentum=0.9, name=\"batch_normalization\")"),
            std::string::npos)
      << kerasScript(spec);
}

TEST(BatchNormSpecs, aModelFileKeepsAndRestoresTheMovingStatistics) {
  const ModelSpec spec = modelSpecFromJson(kerasModel(), "keras.json");
  Model model(spec, 5);
  const Matrix x = test::randomMatrix(8, 784, 1, 0, 1);
  const uint8_t labels[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  model.trainBatch(x, labels);  // moves the moving statistics off zeros and ones
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("bn.dlm"));
  saveModelFile(path, model, ModelFileMetadata{});
  const ModelFileContents back = loadModelFile(path);
  const std::vector<Matrix> weights = model.weights();
  ASSERT_EQ(back.weights.size(), weights.size());  // conv 2, BN 4, dense 2
  ASSERT_EQ(weights.size(), 8u);
  for (size_t i = 0; i < weights.size(); ++i) EXPECT_EQ(back.weights[i], weights[i]) << i;
  EXPECT_NE(weights[4], Matrix::Zero(1, 4));  // moving_mean saved as trained
  const auto loaded = buildModel(back);
  EXPECT_EQ(loaded->predictBatch(x), model.predictBatch(x));
}

TEST(BatchNormSpecs, hostileConfigsAreRefusedWithTheReason) {
  struct Case {
    std::string from, to, expected;
  };
  const Case cases[] = {
      {R"("axis": -1)", R"("axis": 1)", "normalizing over an axis other than the last"},
      {R"("synchronized": false)", R"("synchronized": true)",
       "synchronized (multi-device) batch normalization is not supported"},
      {R"("beta_regularizer": null)", R"("beta_regularizer": {"class_name": "L2", "config": {"l2": 0.01}})",
       "a beta regularizer is not supported"},
      {R"("momentum": 0.9)", R"("momentum": 1)", "'momentum' must be a number from 0 to below 1"},
      {R"("epsilon": 0.001)", R"("epsilon": 0)", "'epsilon' must be a number from"},
      {R"("center": true)", R"("center": "yes")", "'center' must be true or false"},
      {R"("class_name": "Ones", "config": {}, "registered_name": null},
     "moving_mean)",
       R"("class_name": "Orthogonal", "config": {}, "registered_name": null},
     "moving_mean)",
       "initializer 'Orthogonal' is not supported"},
      {R"("synchronized": false)", R"("synchronized": false, "renorm": true)", "unknown argument 'renorm'"},
  };
  for (const Case& c : cases) {
    std::string json = kerasModel();
    const size_t at = json.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    json.replace(at, c.from.size(), c.to);
    const std::string error = errorOf(json);
    EXPECT_NE(error.find(c.expected), std::string::npos) << c.to << "\n" << error;
    EXPECT_NE(error.find("BatchNormalization"), std::string::npos) << error;
  }
}

}  // namespace
