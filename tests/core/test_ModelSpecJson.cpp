// Tests of ModelSpecJson: DigitLab's spec format round trip, Keras 3 and Keras 2 model.to_json()
// output of the tutorial's models, aliases and every refusal of hostile or unsupported input.

#include "model/ModelSpecJson.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace dl {
namespace {

// Keras 3 (3.x, TensorFlow backend) model.to_json() of the tutorial CNN after compile(), as
// KERAS_SEMANTICS.md section 13 describes it, whitespace added.
const char* const kKeras3Cnn = R"({
 "module": "keras", "class_name": "Sequential", "registered_name": null,
 "build_config": {"input_shape": [null, 28, 28, 1]},
 "compile_config": {
   "optimizer": {"module": "keras.optimizers", "class_name": "Adam", "registered_name": null,
     "config": {"name": "adam", "learning_rate": 9.999999747378752e-05, "weight_decay": null,
       "clipnorm": null, "global_clipnorm": null, "clipvalue": null, "use_ema": false,
       "ema_momentum": 0.99, "ema_overwrite_frequency": null, "loss_scale_factor": null,
       "gradient_accumulation_steps": null, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07,
       "amsgrad": false}},
   "loss": "categorical_crossentropy", "loss_weights": null, "metrics": ["accuracy"],
   "weighted_metrics": null, "run_eagerly": false, "steps_per_execution": 1, "jit_compile": false},
 "config": {
  "name": "sequential", "trainable": true,
  "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
  "layers": [
   {"module": "keras.layers", "class_name": "InputLayer", "registered_name": null,
    "config": {"batch_shape": [null, 28, 28, 1], "dtype": "float32", "sparse": false, "ragged": false,
               "name": "input_layer", "optional": false}},
   {"module": "keras.layers", "class_name": "Conv2D", "registered_name": null,
    "build_config": {"input_shape": [null, 28, 28, 1]},
    "config": {"name": "conv2d", "trainable": true,
     "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
     "filters": 32, "kernel_size": [5, 5], "strides": [1, 1], "padding": "same", "data_format": "channels_last",
     "dilation_rate": [1, 1], "groups": 1, "activation": "relu", "use_bias": true,
     "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
     "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
     "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
     "kernel_constraint": null, "bias_constraint": null}},
   {"module": "keras.layers", "class_name": "MaxPooling2D", "registered_name": null,
    "build_config": {"input_shape": [null, 28, 28, 32]},
    "config": {"name": "max_pooling2d", "trainable": true,
     "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
     "pool_size": [2, 2], "padding": "same", "strides": [2, 2], "data_format": "channels_last"}},
   {"module": "keras.layers", "class_name": "Conv2D", "registered_name": null,
    "build_config": {"input_shape": [null, 14, 14, 32]},
    "config": {"name": "conv2d_1", "trainable": true,
     "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
     "filters": 64, "kernel_size": [5, 5], "strides": [1, 1], "padding": "same", "data_format": "channels_last",
     "dilation_rate": [1, 1], "groups": 1, "activation": "relu", "use_bias": true,
     "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
     "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
     "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
     "kernel_constraint": null, "bias_constraint": null}},
   {"module": "keras.layers", "class_name": "MaxPooling2D", "registered_name": null,
    "build_config": {"input_shape": [null, 14, 14, 64]},
    "config": {"name": "max_pooling2d_1", "trainable": true,
     "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
     "pool_size": [2, 2], "padding": "same", "strides": [2, 2], "data_format": "channels_last"}},
   {"module": "keras.layers", "class_name": "Flatten", "registered_name": null,
    "build_config": {"input_shape": [null, 7, 7, 64]},
    "config": {"name": "flatten", "trainable": true,
     "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
     "data_format": "channels_last"}},
   {"module": "keras.layers", "class_name": "Dense", "registered_name": null,
    "build_config": {"input_shape": [null, 3136]},
    "config": {"name": "dense", "trainable": true,
     "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
     "units": 1024, "activation": "relu", "use_bias": true,
     "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
     "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
     "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null,
     "quantization_config": null}},
   {"module": "keras.layers", "class_name": "Dropout", "registered_name": null,
    "build_config": {"input_shape": [null, 1024]},
    "config": {"name": "dropout", "trainable": true,
     "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
     "rate": 0.3, "seed": null, "noise_shape": null}},
   {"module": "keras.layers", "class_name": "Dense", "registered_name": null,
    "build_config": {"input_shape": [null, 1024]},
    "config": {"name": "dense_1", "trainable": true,
     "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
     "units": 10, "activation": "softmax", "use_bias": true,
     "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
     "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
     "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null,
     "quantization_config": null}}
  ],
  "build_input_shape": [null, 28, 28, 1]}
})";

// tf.keras 2.x (2.13+) model.to_json() of the tutorial MLP built with Dense(..., input_shape=(784,)):
// an automatic InputLayer "dense_input", batch_input_shape repeated on the first Dense, and the
// tutorial's bias_initializer='one' serialized as Ones.
const char* const kKeras2Mlp = R"({"class_name": "Sequential", "config": {"name": "sequential", "layers": [
 {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 784],
   "dtype": "float32", "sparse": false, "ragged": false, "name": "dense_input"}, "registered_name": null},
 {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true,
   "dtype": "float32", "batch_input_shape": [null, 784], "units": 200, "activation": "tanh", "use_bias": true,
   "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
   "bias_initializer": {"module": "keras.initializers", "class_name": "Ones", "config": {}, "registered_name": null},
   "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
   "bias_constraint": null}, "registered_name": null, "build_config": {"input_shape": [null, 784]}},
 {"module": "keras.layers", "class_name": "Dropout", "config": {"name": "dropout", "trainable": true,
   "dtype": "float32", "rate": 0.4, "noise_shape": null, "seed": null}, "registered_name": null,
   "build_config": {"input_shape": [null, 200]}},
 {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense_1", "trainable": true,
   "dtype": "float32", "units": 100, "activation": "tanh", "use_bias": true,
   "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
   "bias_initializer": {"module": "keras.initializers", "class_name": "Ones", "config": {}, "registered_name": null},
   "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
   "bias_constraint": null}, "registered_name": null, "build_config": {"input_shape": [null, 200]}},
 {"module": "keras.layers", "class_name": "Dropout", "config": {"name": "dropout_1", "trainable": true,
   "dtype": "float32", "rate": 0.4, "noise_shape": null, "seed": null}, "registered_name": null,
   "build_config": {"input_shape": [null, 100]}},
 {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense_2", "trainable": true,
   "dtype": "float32", "units": 10, "activation": "softmax", "use_bias": true,
   "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
   "bias_initializer": {"module": "keras.initializers", "class_name": "Ones", "config": {}, "registered_name": null},
   "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
   "bias_constraint": null}, "registered_name": null, "build_config": {"input_shape": [null, 100]}}
]}, "keras_version": "2.13.1", "backend": "tensorflow"})";

// Keras <= 2.2 (standalone): "config" is the layer list itself, no InputLayer, string
// initializer aliases as the tutorial wrote them.
const char* const kKeras22Mlp = R"({"class_name": "Sequential", "keras_version": "2.2.4", "backend": "tensorflow",
 "config": [
  {"class_name": "Dense", "config": {"name": "dense_1", "trainable": true, "batch_input_shape": [null, 784],
    "dtype": "float32", "units": 200, "activation": "tanh", "use_bias": true,
    "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": null}},
    "bias_initializer": "one", "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
    "kernel_constraint": null, "bias_constraint": null}},
  {"class_name": "Dropout", "config": {"name": "dropout_1", "trainable": true, "rate": 0.4, "noise_shape": null, "seed": null}},
  {"class_name": "Dense", "config": {"name": "dense_2", "units": 100, "activation": "tanh", "bias_initializer": "one"}},
  {"class_name": "Dropout", "config": {"name": "dropout_2", "rate": 0.4}},
  {"class_name": "Dense", "config": {"name": "dense_3", "units": 10, "activation": "softmax", "bias_initializer": "one"}}
 ]})";

// The architecture of two specs (layers and input), ignoring the model name and training.
void expectSameArchitecture(const ModelSpec& a, const ModelSpec& b) {
  EXPECT_EQ(a.inputShape, b.inputShape);
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (size_t i = 0; i < a.layers.size(); ++i) EXPECT_TRUE(a.layers[i] == b.layers[i]) << "layer " << i + 1;
}

// The SpecError message that parsing `json` throws ("" if it does not throw).
std::string errorOf(const std::string& json, const std::string& source = "t.json") {
  try {
    modelSpecFromJson(json, source);
  } catch (const SpecError& e) {
    return e.what();
  }
  return {};
}

// A DigitLab spec with one layer between an input and the 10-way softmax.
std::string withLayer(const std::string& layer, const std::string& input = "[28, 28, 1]") {
  return R"({"name": "m", "input_shape": )" + input + R"(, "layers": [)" + layer +
         R"(, {"class_name": "Flatten"}, {"class_name": "Dense", "units": 10, "activation": "softmax"}]})";
}

// A Keras 3 layer object around `config` (a JSON object body).
std::string kerasLayer(const std::string& cls, const std::string& config) {
  return R"({"module": "keras.layers", "class_name": ")" + cls + R"(", "config": {)" + config + "}}";
}

std::string kerasModel(const std::string& layers) {
  return R"({"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "layers": [)"
         R"({"class_name": "InputLayer", "config": {"batch_shape": [null, 28, 28, 1], "name": "input_layer"}}, )" +
         layers + "]}}";
}

TEST(ModelSpecJson, PresetsRoundTripThroughDigitLabFormat) {
  for (const ModelSpec& preset : {presetMlp(), presetCnn(), presetDigits()}) {
    const std::string json = modelSpecToJson(preset);
    const ModelSpec back = modelSpecFromJson(json, "round trip");
    EXPECT_TRUE(back == preset) << json;
    EXPECT_EQ(modelSpecToJson(back), json);
  }
}

TEST(ModelSpecJson, EveryNonDefaultFieldRoundTrips) {
  ModelSpec s;
  s.name = "odd \"one\"";
  s.inputShape = {32, 24, 3};
  LayerSpec c;
  c.kind = LayerKind::Conv2D;
  c.name = "first";
  c.filters = 7;
  c.kernelH = 3;
  c.kernelW = 2;
  c.strideH = 2;
  c.strideW = 1;
  c.padding = "valid";
  c.activation = "sigmoid";
  c.useBias = false;
  c.kernelInitializer = "he_normal";
  c.biasInitializer = "random_uniform";
  LayerSpec p;
  p.kind = LayerKind::MaxPooling2D;
  p.poolH = 3;
  p.poolW = 2;
  p.strideH = p.strideW = 0;
  LayerSpec f;
  f.kind = LayerKind::Flatten;
  LayerSpec a;
  a.kind = LayerKind::Activation;
  a.activation = "relu";
  LayerSpec d;
  d.kind = LayerKind::Dense;
  d.units = 10;
  d.activation = "softmax";
  d.kernelInitializer = "lecun_uniform";
  s.layers = {c, p, f, a, d};
  s.training.optimizer.type = "sgd";
  s.training.optimizer.learningRate = 0.123456789;
  s.training.optimizer.momentum = 0.9;
  s.training.optimizer.nesterov = true;
  s.training.loss = "sparse_categorical_crossentropy";
  s.training.batchSize = 100;
  s.training.epochs = 7;
  s.training.validationSplit = 0.1;
  s.training.seed = 2147483647;  // the largest
  const ModelSpec back = modelSpecFromJson(modelSpecToJson(s));
  EXPECT_TRUE(back == s) << modelSpecToJson(s);

  s.training.optimizer = OptimizerSpec{};
  s.training.optimizer.type = "adam";
  s.training.optimizer.learningRate = 3e-4;
  s.training.optimizer.beta1 = 0.8;
  s.training.optimizer.beta2 = 0.99;
  s.training.optimizer.epsilon = 1e-8;
  EXPECT_TRUE(modelSpecFromJson(modelSpecToJson(s)) == s) << modelSpecToJson(s);
  EXPECT_TRUE(trainingSpecFromJson(trainingSpecToJson(s.training)) == s.training);
  // A float32-exact value whose shortest float text differs from its double text stays exact.
  s.training.optimizer.learningRate = 9.5367431640625e-07;  // 2^-20
  EXPECT_TRUE(modelSpecFromJson(modelSpecToJson(s)) == s);
}

TEST(ModelSpecJson, ValidationChoiceRoundTripsAndOldFilesKeepTheirMeaning) {
  TrainingSpec t;
  for (const auto& [test, split] : {std::pair{false, 0.0}, std::pair{false, 0.25}, std::pair{true, 0.0}}) {
    t.validateOnTestSet = test;
    t.validationSplit = split;
    const std::string json = trainingSpecToJson(t);
    const char* expected = test        ? "\"validation\": \"test\""
                           : split > 0 ? "\"validation\": \"split\""
                                       : "\"validation\": \"none\"";
    EXPECT_NE(json.find(expected), std::string::npos) << json;
    EXPECT_TRUE(trainingSpecFromJson(json) == t) << json;
    ModelSpec s = presetCnn();
    s.training = t;
    EXPECT_TRUE(modelSpecFromJson(modelSpecToJson(s)) == s);
  }
  // Files written before "validation" existed: the split alone says it.
  EXPECT_FALSE(trainingSpecFromJson(R"({"epochs": 2})").validateOnTestSet);
  const TrainingSpec old = trainingSpecFromJson(R"({"validation_split": 0.2})");
  EXPECT_FALSE(old.validateOnTestSet);
  EXPECT_EQ(old.validationSplit, 0.2);
  EXPECT_FALSE(trainingSpecFromJson(R"({"validation": null})").validateOnTestSet);
  // A contradictory in-memory spec is written as what it does: the test set, no split.
  t.validateOnTestSet = true;
  t.validationSplit = 0.3;
  const TrainingSpec back = trainingSpecFromJson(trainingSpecToJson(t));
  EXPECT_TRUE(back.validateOnTestSet);
  EXPECT_EQ(back.validationSplit, 0.0);
}

TEST(ModelSpecJson, RefusesHostileValidationChoices) {
  struct Case {
    const char* json;
    std::vector<std::string> mentions;
  };
  const Case cases[] = {
      {R"({"validation": "train"})", {"training settings", "'validation'", "\"train\""}},
      {R"({"validation": "TEST"})", {"'validation'"}},
      {R"({"validation": 1})", {"'validation' must be a string"}},
      {R"({"validation": ["test"]})", {"'validation' must be a string"}},
      {R"({"validation": true})", {"'validation' must be a string"}},
      {R"({"validation": "split"})", {"needs a 'validation_split' above 0"}},
      {R"({"validation": "split", "validation_split": 0})", {"needs a 'validation_split' above 0"}},
      {R"({"validation": "split", "validation_split": -0.5})", {"'validation_split'"}},
      {R"({"validation": "split", "validation_split": "0.2"})", {"'validation_split'"}},
      {R"({"validation": "test", "validation_split": 0.1})", {"'validation_split' must be 0 with validation \"test\""}},
      {R"({"validation": "none", "validation_split": 0.1})", {"'validation_split' must be 0 with validation \"none\""}},
      {R"({"validation": "test", "validation_split": 1e308})", {"'validation_split'"}},
  };
  for (const Case& c : cases) {
    std::string msg;
    try {
      trainingSpecFromJson(c.json);
    } catch (const SpecError& e) {
      msg = e.what();
    }
    ASSERT_FALSE(msg.empty()) << c.json << ": accepted";
    for (const std::string& m : c.mentions) EXPECT_NE(msg.find(m), std::string::npos) << c.json << ": " << msg;
  }
  // In a whole spec the message names the file and the training object.
  EXPECT_NE(errorOf(R"({"layers": [], "training": {"validation": "holdout"}})").find("t.json: training"),
            std::string::npos);
}

TEST(ModelSpecJson, DigitLabFormatReadsAsTheReadmeShowsIt) {
  const ModelSpec s = modelSpecFromJson(R"({"name": "tutorial_mlp", "input_shape": [784],
   "layers": [{"class_name": "Dense", "units": 200, "activation": "tanh", "bias_initializer": "ones"},
              {"class_name": "Dropout", "rate": 0.4},
              {"class_name": "Dense", "units": 100, "activation": "tanh", "bias_initializer": "one"},
              {"class_name": "Dropout", "rate": 0.4},
              {"class_name": "Dense", "units": 10, "activation": "softmax", "bias_initializer": "Ones"}],
   "training": {"optimizer": {"class_name": "SGD", "learning_rate": 0.2}, "batch_size": 32, "epochs": 5}})");
  EXPECT_TRUE(s == presetMlp()) << modelSpecToJson(s);
}

TEST(ModelSpecJson, KerasFormRoundTripsTheArchitecture) {
  for (const ModelSpec& preset : {presetMlp(), presetCnn()}) {
    const std::string json = modelSpecToKerasJson(preset);
    EXPECT_NE(json.find("\"InputLayer\""), std::string::npos);
    EXPECT_NE(json.find("\"DTypePolicy\""), std::string::npos);
    EXPECT_NE(json.find("\"GlorotUniform\""), std::string::npos);
    const ModelSpec back = modelSpecFromJson(json, "keras form");
    EXPECT_EQ(back.name, preset.name);
    expectSameArchitecture(back, preset);
    EXPECT_TRUE(back.training == TrainingSpec{});
  }
  // The CNN's first layer states its input shape as Keras does.
  const std::string cnn = modelSpecToKerasJson(presetCnn());
  EXPECT_NE(cnn.find("\"batch_shape\": [null, 28, 28, 1]"), std::string::npos) << cnn;
  EXPECT_NE(cnn.find("\"input_shape\": [null, 3136]"), std::string::npos) << cnn;
}

TEST(ModelSpecJson, ReadsKeras3ToJsonOfTheTutorialCnn) {
  const ModelSpec s = modelSpecFromJson(kKeras3Cnn, "cnn.json");
  expectSameArchitecture(s, presetCnn());
  EXPECT_EQ(s.name, "sequential");
  for (const LayerSpec& l : s.layers) EXPECT_TRUE(l.name.empty()) << l.name;  // Keras's automatic names
  EXPECT_EQ(s.training.optimizer.type, "adam");
  EXPECT_EQ(s.training.optimizer.learningRate, 1e-4);  // Keras's float32 9.999999747378752e-05
  EXPECT_DOUBLE_EQ(s.training.optimizer.epsilon, 1e-7);
  EXPECT_EQ(s.training.loss, "categorical_crossentropy");
}

TEST(ModelSpecJson, ReadsKeras2ToJsonOfTheTutorialMlp) {
  const ModelSpec s = modelSpecFromJson(kKeras2Mlp, "mlp.json");
  expectSameArchitecture(s, presetMlp());
  EXPECT_TRUE(s.training == TrainingSpec{});  // Keras 2's to_json has no compile settings
}

TEST(ModelSpecJson, ReadsKeras22ListConfigWithVarianceScalingAndAliases) {
  const ModelSpec s = modelSpecFromJson(kKeras22Mlp, "old.json");
  EXPECT_EQ(s.inputShape, (Shape{784}));
  ASSERT_EQ(s.layers.size(), 5u);
  EXPECT_EQ(s.layers[0].kernelInitializer, "glorot_uniform");
  EXPECT_EQ(s.layers[0].biasInitializer, "ones");
  // Keras 2.2 counted names from 1: they are kept as the user's names.
  EXPECT_EQ(s.layers[0].name, "dense_1");
  EXPECT_EQ(layerNames(s)[4], "dense_3");
}

TEST(ModelSpecJson, InputShapeForms) {
  const std::string dense = R"({"class_name": "Dense", "config": {"units": 10, "activation": "softmax", )";
  auto keras2 = [&](const std::string& shapeArg) {
    return modelSpecFromJson(R"({"class_name": "Sequential", "config": {"name": "s", "layers": [)" + dense + shapeArg +
                             "}}]}}");
  };
  EXPECT_EQ(keras2(R"("batch_input_shape": [null, 784])").inputShape, (Shape{784}));
  EXPECT_EQ(keras2(R"("batch_input_shape": [32, 784])").inputShape, (Shape{784}));
  EXPECT_EQ(keras2(R"("input_shape": [784])").inputShape, (Shape{784}));
  EXPECT_EQ(keras2(R"("input_dim": 784)").inputShape, (Shape{784}));
  // No shape at all: MNIST's, flat or as an image depending on the first layer.
  EXPECT_EQ(modelSpecFromJson(R"({"layers": [{"class_name": "Dense", "units": 10}]})").inputShape, (Shape{784}));
  EXPECT_EQ(modelSpecFromJson(R"({"layers": [{"class_name": "Conv2D", "filters": 2, "kernel_size": 3}]})").inputShape,
            (Shape{28, 28, 1}));
  // Flatten(input_shape=(28, 28)), the Keras beginner tutorial's first layer.
  const ModelSpec f = modelSpecFromJson(R"({"class_name": "Sequential", "config": {"layers": [
      {"class_name": "Flatten", "config": {"batch_input_shape": [null, 28, 28]}},
      {"class_name": "Dense", "config": {"units": 10, "activation": "softmax"}}]}})");
  EXPECT_EQ(f.inputShape, (Shape{28, 28, 1}));
  // The same shape stated twice is fine; contradicting shapes are not.
  EXPECT_NO_THROW(modelSpecFromJson(kerasModel(kerasLayer("Flatten", R"("batch_input_shape": [null, 28, 28, 1])"))));
  const std::string e = errorOf(kerasModel(kerasLayer("Flatten", R"("batch_input_shape": [null, 784])")));
  EXPECT_NE(e.find("contradicts"), std::string::npos) << e;
}

TEST(ModelSpecJson, IntOrPairArgumentsAndMaxPool2DAlias) {
  const ModelSpec s = modelSpecFromJson(withLayer(
      R"({"class_name": "Conv2D", "filters": 4, "kernel_size": 3, "strides": 2, "padding": "SAME"},
         {"class_name": "MaxPool2D", "pool_size": 2})"));
  EXPECT_EQ(s.layers[0].kernelH, 3);
  EXPECT_EQ(s.layers[0].kernelW, 3);
  EXPECT_EQ(s.layers[0].strideH, 2);
  EXPECT_EQ(s.layers[0].padding, "same");
  EXPECT_EQ(s.layers[1].kind, LayerKind::MaxPooling2D);
  EXPECT_EQ(s.layers[1].poolW, 2);
  EXPECT_EQ(s.layers[1].strideH, 0);  // Keras's default: the pool size
  EXPECT_EQ(s.layers[1].padding, "valid");
}

TEST(ModelSpecJson, InitializerNamesAndAliases) {
  auto init = [](const std::string& value) {
    return modelSpecFromJson(
               withLayer(R"({"class_name": "Dense", "units": 5, "kernel_initializer": )" + value + "}", "[784]"))
        .layers[0]
        .kernelInitializer;
  };
  EXPECT_EQ(init(R"("one")"), "ones");
  EXPECT_EQ(init(R"("zero")"), "zeros");
  EXPECT_EQ(init(R"("GlorotNormal")"), "glorot_normal");
  EXPECT_EQ(init(R"("uniform")"), "random_uniform");
  EXPECT_EQ(init(R"("normal")"), "random_normal");
  EXPECT_EQ(init(R"({"class_name": "HeNormal", "config": {"seed": 42}})"), "he_normal");
  EXPECT_EQ(init(R"({"class_name": "LecunUniform"})"), "lecun_uniform");
  EXPECT_EQ(init(R"({"class_name": "RandomNormal", "config": {"mean": 0.0, "stddev": 0.05, "seed": null}})"),
            "random_normal");
  EXPECT_EQ(
      init(
          R"({"class_name": "VarianceScaling", "config": {"scale": 2.0, "mode": "fan_in", "distribution": "truncated_normal"}})"),
      "he_normal");
}

TEST(ModelSpecJson, CompileConfigOptimizerForms) {
  auto withCompile = [](const std::string& compile) {
    return modelSpecFromJson(R"({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Dense", "config": {"units": 10, "activation": "softmax", "input_dim": 784}}]},
        "compile_config": )" +
                             compile + "}");
  };
  const ModelSpec sgd = withCompile(
      R"({"optimizer": {"class_name": "SGD", "config": {"name": "SGD", "learning_rate": 0.2, "momentum": 0.5, "nesterov": true}},
          "loss": {"module": "keras.losses", "class_name": "CategoricalCrossentropy",
                   "config": {"name": "categorical_crossentropy", "reduction": "sum_over_batch_size", "from_logits": false,
                              "label_smoothing": 0.0, "axis": -1}}})");
  EXPECT_EQ(sgd.training.optimizer.type, "sgd");
  EXPECT_DOUBLE_EQ(sgd.training.optimizer.learningRate, 0.2);
  EXPECT_DOUBLE_EQ(sgd.training.optimizer.momentum, 0.5);
  EXPECT_TRUE(sgd.training.optimizer.nesterov);
  const ModelSpec adam = withCompile(R"({"optimizer": "adam", "loss": "sparse_categorical_crossentropy"})");
  EXPECT_EQ(adam.training.optimizer.type, "adam");
  EXPECT_DOUBLE_EQ(adam.training.optimizer.learningRate, 0.001);
  EXPECT_EQ(adam.training.loss, "sparse_categorical_crossentropy");
  // Keras 2 legacy optimizer: "lr" and "decay": 0.
  const ModelSpec legacy = withCompile(R"({"optimizer": {"class_name": "SGD", "config": {"lr": 0.05, "decay": 0.0}}})");
  EXPECT_DOUBLE_EQ(legacy.training.optimizer.learningRate, 0.05);
}

// --- hostile and unsupported input: each refusal names the source, the place and the thing ---

struct Refusal {
  const char* what;
  std::string json;
  std::vector<std::string> mentions;  // every one must appear in the message
};

TEST(ModelSpecJson, RefusesHostileAndUnsupportedInput) {
  const std::vector<Refusal> cases = {
      {"not JSON", "{\"layers\": [\n  {\"class_name\": \"Dense\",, }]}", {"t.json", "not valid JSON", "line 2"}},
      {"empty text", "", {"t.json", "not valid JSON"}},
      {"a list", "[1, 2]", {"t.json", "expected a JSON object"}},
      {"neither format", R"({"foo": 1})", {"t.json", "neither"}},
      {"layers not a list", R"({"layers": {"class_name": "Dense"}})", {"'layers' must be a list"}},
      {"layer not an object", R"({"layers": [3]})", {"layer 1", "must be an object"}},
      {"unknown layer",
       withLayer(R"({"class_name": "LSTM", "units": 4})"),
       {"t.json", "layer 1", "LSTM", "not supported"}},
      {"unknown activation",
       withLayer(R"({"class_name": "Activation", "activation": "gelu"})"),
       {"layer 1 'activation' (Activation)", "gelu", "not supported"}},
      {"unknown initializer",
       withLayer(R"({"class_name": "Dense", "units": 3, "kernel_initializer": "orthogonal"})", "[784]"),
       {"layer 1 'dense' (Dense)", "orthogonal"}},
      {"initializer with non-default arguments",
       withLayer(
           R"({"class_name": "Dense", "units": 3, "kernel_initializer": {"class_name": "RandomNormal", "config": {"stddev": 1.0}}})",
           "[784]"),
       {"layer 1 'dense' (Dense)", "stddev", "0.05"}},
      {"unsupported VarianceScaling",
       withLayer(
           R"({"class_name": "Dense", "units": 3, "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 3.0}}})",
           "[784]"),
       {"VarianceScaling(scale=3", "not one of"}},
      {"string where a number belongs",
       withLayer(R"({"class_name": "Dense", "units": "200"})", "[784]"),
       {"layer 1 'dense' (Dense)", "'units'", "the string \"200\""}},
      {"huge units", withLayer(R"({"class_name": "Dense", "units": 1e12})", "[784]"), {"'units'", "1e+12", "65536"}},
      {"negative units", withLayer(R"({"class_name": "Dense", "units": -5})", "[784]"), {"'units'", "-5"}},
      {"zero units", withLayer(R"({"class_name": "Dense", "units": 0})", "[784]"), {"'units'", "not 0"}},
      {"fractional units", withLayer(R"({"class_name": "Dense", "units": 2.5})", "[784]"), {"'units'", "2.5"}},
      {"missing units", withLayer(R"({"class_name": "Dense"})", "[784]"), {"'units' is missing"}},
      {"zero filters", withLayer(R"({"class_name": "Conv2D", "filters": 0, "kernel_size": 3})"), {"'filters'"}},
      {"kernel_size of three",
       withLayer(R"({"class_name": "Conv2D", "filters": 2, "kernel_size": [5, 5, 5]})"),
       {"'kernel_size'", "list of two"}},
      {"dilation",
       withLayer(R"({"class_name": "Conv2D", "filters": 2, "kernel_size": 3, "dilation_rate": 2})"),
       {"layer 1 'conv2d' (Conv2D)", "dilation_rate 2x2"}},
      {"groups", withLayer(R"({"class_name": "Conv2D", "filters": 2, "kernel_size": 3, "groups": 2})"), {"groups"}},
      {"channels_first",
       withLayer(R"({"class_name": "MaxPooling2D", "data_format": "channels_first"})"),
       {"layer 1 'max_pooling2d' (MaxPooling2D)", "channels_first"}},
      {"causal padding",
       withLayer(R"({"class_name": "Conv2D", "filters": 2, "kernel_size": 3, "padding": "causal"})"),
       {"padding 'causal'"}},
      {"regularizer",
       withLayer(
           R"({"class_name": "Dense", "units": 3, "kernel_regularizer": {"class_name": "L2", "config": {"l2": 0.01}}})",
           "[784]"),
       {"layer 1 'dense' (Dense)", "kernel regularizer", "kernel_regularizer"}},
      {"constraint",
       withLayer(R"({"class_name": "Dense", "units": 3, "bias_constraint": "non_neg"})", "[784]"),
       {"bias constraint"}},
      {"dropout rate 1.5", withLayer(R"({"class_name": "Dropout", "rate": 1.5})"), {"'rate'", "1.5"}},
      {"noise_shape", withLayer(R"({"class_name": "Dropout", "rate": 0.5, "noise_shape": [1, 1]})"), {"noise_shape"}},
      {"unknown argument (a typo)",
       withLayer(R"({"class_name": "Dense", "units": 3, "activaton": "relu"})", "[784]"),
       {"layer 1 'dense' (Dense)", "unknown argument 'activaton'"}},
      {"frozen layer",
       withLayer(R"({"class_name": "Dense", "units": 3, "trainable": false})", "[784]"),
       {"trainable=false"}},
      {"float16",
       withLayer(R"({"class_name": "Dense", "units": 3, "dtype": "float16"})", "[784]"),
       {"dtype 'float16'"}},
      {"mixed precision policy",
       withLayer(
           R"({"class_name": "Dense", "units": 3, "dtype": {"class_name": "DTypePolicy", "config": {"name": "mixed_float16"}}})",
           "[784]"),
       {"mixed_float16"}},
      {"path in a name", withLayer(R"({"class_name": "Dense", "units": 3, "name": "../evil"})", "[784]"), {"'/'"}},
      {"duplicate names",
       withLayer(
           R"({"class_name": "Dense", "units": 3, "name": "a"}, {"class_name": "Dense", "units": 3, "name": "a"})",
           "[784]"),
       {"layers 1 and 2", "'a'", "unique"}},
      {"huge input", R"({"input_shape": [100000000], "layers": []})", {"'input_shape[0]'", "1e+08"}},
      {"negative input", R"({"input_shape": [28, -28, 1], "layers": []})", {"'input_shape[1]'"}},
      {"four-dimensional input", R"({"input_shape": [1, 2, 3, 4], "layers": []})", {"'input_shape'", "1 to 3"}},
      {"too many layers",
       R"({"layers": [)" +
           [] {
             std::string s;
             for (int i = 0; i < 5000; ++i) s += std::string(i ? "," : "") + R"({"class_name": "Flatten"})";
             return s;
           }() +
           "]}",
       {"5000 layers"}},
      {"functional model",
       R"({"class_name": "Functional", "config": {"layers": []}})",
       {"t.json", "only Sequential", "Functional"}},
      {"InputLayer later",
       kerasModel(kerasLayer("Flatten", "") + ", " + kerasLayer("InputLayer", R"("batch_shape": [null, 4])")),
       {"layer 3", "InputLayer may only come first"}},
      {"variable-size input",
       R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer",
          "config": {"batch_shape": [null, null, null, 1]}}]}})",
       {"layer 1", "variable-size"}},
      {"input_shape on a later layer",
       kerasModel(kerasLayer("Flatten", "") + ", " + kerasLayer("Dense", R"("units": 10, "input_dim": 5)")),
       {"layer 3 'dense' (Dense)", "only allowed on the first layer"}},
      {"sparse input",
       R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer",
          "config": {"batch_shape": [null, 784], "sparse": true}}]}})",
       {"sparse"}},
      {"unknown optimizer", R"({"layers": [], "training": {"optimizer": "rmsprop"}})", {"t.json: training", "rmsprop"}},
      {"learning-rate schedule",
       R"({"layers": [], "training": {"optimizer": {"class_name": "Adam", "learning_rate": {"class_name": "ExponentialDecay"}}}})",
       {"schedules"}},
      {"negative learning rate",
       R"({"layers": [], "training": {"optimizer": {"class_name": "SGD", "learning_rate": -1}}})",
       {"'learning_rate'", "-1"}},
      {"seed beyond 2^31 - 1",
       R"({"layers": [], "training": {"seed": 2147483648}})",
       {"'seed'", "from 0 to 2147483647"}},
      {"tiny learning rate",
       R"({"layers": [], "training": {"optimizer": {"class_name": "SGD", "learning_rate": 1e-15}}})",
       {"'learning_rate' must be a number from 1e-12 to 1e6"}},
      {"huge learning rate",
       R"({"layers": [], "training": {"optimizer": {"class_name": "SGD", "learning_rate": 1e7}}})",
       {"'learning_rate' must be a number from 1e-12 to 1e6"}},
      {"amsgrad", R"({"layers": [], "training": {"optimizer": {"class_name": "Adam", "amsgrad": true}}})", {"amsgrad"}},
      {"clipnorm",
       R"({"layers": [], "training": {"optimizer": {"class_name": "SGD", "config": {"clipnorm": 1.0}}}})",
       {"gradient clipping"}},
      {"from_logits",
       R"({"layers": [], "training": {"loss": {"class_name": "CategoricalCrossentropy", "config": {"from_logits": true}}}})",
       {"from_logits"}},
      {"unknown loss", R"({"layers": [], "training": {"loss": "mse"}})", {"loss 'mse'"}},
      {"zero batch size", R"({"layers": [], "training": {"batch_size": 0}})", {"'batch_size'"}},
      {"huge epochs", R"({"layers": [], "training": {"epochs": 1e9}})", {"'epochs'"}},
      {"validation split 1", R"({"layers": [], "training": {"validation_split": 1}})", {"'validation_split'"}},
      {"fractional seed", R"({"layers": [], "training": {"seed": 1.5}})", {"'seed'"}},
  };
  for (const Refusal& c : cases) {
    const std::string msg = errorOf(c.json);
    ASSERT_FALSE(msg.empty()) << c.what << ": accepted";
    for (const std::string& m : c.mentions) EXPECT_NE(msg.find(m), std::string::npos) << c.what << ": " << msg;
  }
}

TEST(ModelSpecJson, ErrorsNameTheSourceAndTheLayer) {
  const std::string msg =
      errorOf(kerasModel(kerasLayer("Flatten", "") + ", " +
                         kerasLayer("Dense", R"("name": "head", "units": 10, "activation": "gelu")")),
              "downloads/model.json");
  EXPECT_EQ(msg,
            "downloads/model.json: layer 3 'head' (Dense): activation 'gelu' is not supported "
            "(known: linear, relu, tanh, sigmoid, softmax)");
}

TEST(ModelSpecJson, ReadModelSpecFile) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const std::string path = dir.filePath(QStringLiteral("spec.JSON")).toStdString();
  {
    QFile f(QString::fromStdString(path));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(modelSpecToJson(presetCnn()).c_str());
  }
  EXPECT_TRUE(readModelSpecFile(path) == presetCnn());

  auto messageOf = [](const std::function<void()>& f) -> std::string {
    try {
      f();
    } catch (const SpecError& e) {
      return e.what();
    }
    return {};
  };
  const std::string missing = dir.filePath(QStringLiteral("nope.json")).toStdString();
  EXPECT_EQ(messageOf([&] { readModelSpecFile(missing); }), missing + ": no such file");
  const std::string folder = dir.filePath(QStringLiteral("folder.json")).toStdString();
  ASSERT_TRUE(QDir().mkdir(QString::fromStdString(folder)));
  EXPECT_NE(messageOf([&] { readModelSpecFile(folder); }).find("is a folder"), std::string::npos);
  const std::string big = dir.filePath(QStringLiteral("big.json")).toStdString();
  {
    QFile f(QString::fromStdString(big));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    ASSERT_TRUE(f.resize((16 << 20) + 1));
  }
  EXPECT_NE(messageOf([&] { readModelSpecFile(big); }).find("too large"), std::string::npos);
  const std::string bad = dir.filePath(QStringLiteral("bad.json")).toStdString();
  {
    QFile f(QString::fromStdString(bad));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("\x89PNG\r\n\x1a\n");
  }
  EXPECT_NE(messageOf([&] { readModelSpecFile(bad); }).find(bad + ": not valid JSON"), std::string::npos);
}

}  // namespace
}  // namespace dl
