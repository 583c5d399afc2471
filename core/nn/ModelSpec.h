#pragma once
// A Sequential model as a plain description: what the user builds in the model builder, what a
// JSON spec or a .dlm file holds, what the presets return. Building layers from it is Model's
// job; checking it and inferring shapes is analyze()'s (ModelAnalysis.h).

#include "nn/Tensor.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dl {

// The largest value any single size may take (units, filters, kernel, strides, pool, an input
// dimension): what spec files, validation and the property editor all accept.
inline constexpr int kMaxDim = 65536;

// Why a model or layer name cannot be used ("is longer than 256 characters", "must not contain
// '/', '\\' or control characters": names become member paths in model files), or "" if it can.
std::string nameProblem(const std::string& name);

// Every kind has a descriptor in the layer registry (nn/LayerRegistry.h), which says everything
// else about it.
enum class LayerKind {
  Dense,
  Dropout,
  Conv2D,
  MaxPooling2D,
  Flatten,
  Activation,
  RandomRotation,
  RandomTranslation,
  RandomZoom,
  GaussianNoise,
  BatchNormalization,
};

// Keras class name of a kind ("Dense", "MaxPooling2D", ...), and back (false if unknown); both
// read the layer registry.
const char* layerKindName(LayerKind kind);
bool layerKindFromName(const std::string& name, LayerKind* kind);
// Keras's default layer-name stem: "dense", "dropout", "conv2d", "max_pooling2d", ...
const char* layerKindStem(LayerKind kind);

// The activations DigitLab knows, by Keras name.
const std::vector<std::string>& activationNames();  // linear relu tanh sigmoid softmax
// The initializers by Keras name (aliases such as "one"/"zero" are normalised on parse).
const std::vector<std::string>& initializerNames();  // zeros ones glorot_uniform ...

struct LayerSpec {
  LayerKind kind = LayerKind::Dense;
  std::string name;  // empty: Keras-style automatic name (dense, dense_1, ...)

  // Dense
  int units = 10;
  // Dense, Conv2D, Activation
  std::string activation = "linear";
  // Conv2D
  int filters = 32;
  int kernelH = 3, kernelW = 3;
  // Conv2D strides; MaxPooling2D strides (0 = same as the pool size, Keras's default)
  int strideH = 1, strideW = 1;
  // MaxPooling2D
  int poolH = 2, poolW = 2;
  // Conv2D, MaxPooling2D: "valid" or "same"
  std::string padding = "valid";
  // Dropout
  double rate = 0.5;
  // Dense, Conv2D
  bool useBias = true;
  std::string kernelInitializer = "glorot_uniform";
  std::string biasInitializer = "zeros";
  // Arguments of kinds that have no member above, by Keras key (see LayerRegistry.h's
  // storedNumberArg): numbers and flags, and strings.
  std::map<std::string, double> values;
  std::map<std::string, std::string> texts;

  bool operator==(const LayerSpec&) const = default;
};

struct OptimizerSpec {
  std::string type = "sgd";  // "sgd" or "adam"
  double learningRate = 0.01;
  double momentum = 0.0;  // SGD
  bool nesterov = false;  // SGD
  double beta1 = 0.9;     // Adam
  double beta2 = 0.999;   // Adam
  double epsilon = 1e-7;  // Adam (Keras default)
  bool operator==(const OptimizerSpec&) const = default;
};

// Keras's training callbacks (keras/src/callbacks/), with Keras's argument names and defaults; all
// off by default. What they do is nn/Callbacks.h's. A monitor is one of the epoch logs' keys:
// "loss", "accuracy", "val_loss", "val_accuracy"; a mode is "auto", "min" or "max".
struct EarlyStoppingSpec {  // keras.callbacks.EarlyStopping
  bool enabled = false;
  std::string monitor = "val_loss";
  double minDelta = 0;  // min_delta (>= 0)
  int patience = 0;
  std::string mode = "auto";
  bool hasBaseline = false;  // baseline=None unless set
  double baseline = 0;
  bool restoreBestWeights = false;
  int startFromEpoch = 0;  // start_from_epoch
  bool operator==(const EarlyStoppingSpec&) const = default;
};

struct ReduceLROnPlateauSpec {  // keras.callbacks.ReduceLROnPlateau
  bool enabled = false;
  std::string monitor = "val_loss";
  double factor = 0.1;  // in (0, 1)
  int patience = 10;
  std::string mode = "auto";
  double minDelta = 1e-4;  // min_delta (>= 0)
  int cooldown = 0;
  double minLr = 0;  // min_lr (>= 0)
  bool operator==(const ReduceLROnPlateauSpec&) const = default;
};

struct ModelCheckpointSpec {  // keras.callbacks.ModelCheckpoint (save_freq="epoch", whole model)
  bool enabled = false;
  std::string filepath;  // a .dlm file, written after every epoch (or every best one)
  std::string monitor = "val_loss";
  bool saveBestOnly = false;
  std::string mode = "auto";
  bool operator==(const ModelCheckpointSpec&) const = default;
};

struct CallbacksSpec {
  EarlyStoppingSpec earlyStopping;
  ReduceLROnPlateauSpec reduceLrOnPlateau;
  ModelCheckpointSpec modelCheckpoint;
  bool any() const { return earlyStopping.enabled || reduceLrOnPlateau.enabled || modelCheckpoint.enabled; }
  bool operator==(const CallbacksSpec&) const = default;
};

// patience, cooldown and start_from_epoch are at most this.
inline constexpr int kMaxCallbackCount = 100000;
// The monitors and modes the callbacks accept, and why a callbacks setting cannot be used ("" if
// it can): "EarlyStopping: 'patience' must be a whole number from 0 to 100000, not -1", ...
const std::vector<std::string>& callbackMonitors();  // loss accuracy val_loss val_accuracy
const std::vector<std::string>& callbackModes();     // auto min max
std::string callbacksProblem(const CallbacksSpec& callbacks);

struct TrainingSpec {
  OptimizerSpec optimizer;
  std::string loss = "categorical_crossentropy";  // or "sparse_categorical_crossentropy"
  int batchSize = 32;
  int epochs = 1;
  // What the model is validated on after each epoch: the test set (Keras's
  // validation_data=(x_test, y_test)) when validateOnTestSet, else the last validationSplit of the
  // training rows (Keras's validation_split; 0: no validation). With validateOnTestSet the split
  // is ignored (and written as 0).
  double validationSplit = 0.0;
  bool validateOnTestSet = false;
  uint64_t seed = 1;
  CallbacksSpec callbacks;  // fit(callbacks=[...]); none by default
  bool operator==(const TrainingSpec&) const = default;
};

struct ModelSpec {
  std::string name = "sequential";
  Shape inputShape{28, 28, 1};
  std::vector<LayerSpec> layers;
  TrainingSpec training;
  bool operator==(const ModelSpec&) const = default;
};

// The resolved name of every layer: the user's name, or Keras's automatic one
// (dense, dense_1, dropout, ...) counted per kind in order.
std::vector<std::string> layerNames(const ModelSpec& spec);

// The Keras tutorial's two models, with their optimizers, batch sizes and epochs.
//  mlp: Dense 200 tanh (bias ones) - Dropout .4 - Dense 100 tanh (bias ones) - Dropout .4 -
//       Dense 10 softmax (bias ones); input (784); SGD 0.2; batch 32; 5 epochs.
//  cnn: Conv2D 32 5x5 same relu - MaxPool 2x2 same - Conv2D 64 5x5 same relu - MaxPool 2x2
//       same - Flatten - Dense 1024 relu - Dropout .3 - Dense 10 softmax; input (28, 28, 1);
//       Adam 1e-4; batch 64; 1 epoch.
ModelSpec presetMlp();
ModelSpec presetCnn();
// For reading drawn digits (the drawing panel's "Train a model for drawing"): RandomRotation
// 0.05, RandomTranslation 0.1, RandomZoom 0.15 (fill_mode "constant") - Conv2D 32 3x3 relu -
// MaxPool 2 - Conv2D 64 3x3 relu - MaxPool 2 - Flatten - Dropout .3 - Dense 128 relu - Dropout .3 -
// Dense 10 softmax; input (28, 28, 1); Adam 1e-3; batch 64; 15 epochs.
ModelSpec presetDigits();
// "mlp", "cnn" or "digits"; throws SpecError for anything else.
ModelSpec presetByName(const std::string& name);

}  // namespace dl
