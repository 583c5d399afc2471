// Names, presets and automatic layer names of ModelSpec.

#include "nn/ModelSpec.h"

#include "nn/LayerRegistry.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace dl {

const char* layerKindName(LayerKind kind) { return layerKindInfo(kind).className.c_str(); }

const char* layerKindStem(LayerKind kind) { return layerKindInfo(kind).stem.c_str(); }

bool layerKindFromName(const std::string& name, LayerKind* kind) {
  const LayerKindInfo* info = findLayerKind(name);
  if (info) *kind = info->kind;
  return info != nullptr;
}

const std::vector<std::string>& activationNames() {
  static const std::vector<std::string> names{"linear", "relu", "tanh", "sigmoid", "softmax"};
  return names;
}

const std::vector<std::string>& initializerNames() {
  static const std::vector<std::string> names{"zeros",         "ones",          "glorot_uniform", "glorot_normal",
                                              "he_normal",     "he_uniform",    "lecun_normal",   "lecun_uniform",
                                              "random_normal", "random_uniform"};
  return names;
}

std::string nameProblem(const std::string& name) {
  if (name.size() > 256) return "is longer than 256 characters";
  for (unsigned char c : name)
    if (c < 0x20 || c == '/' || c == '\\' || c == 0x7f) return "must not contain '/', '\\' or control characters";
  return {};
}

std::vector<std::string> layerNames(const ModelSpec& spec) {
  std::map<LayerKind, int> seen;
  std::vector<std::string> names;
  names.reserve(spec.layers.size());
  for (const LayerSpec& l : spec.layers) {
    int n = seen[l.kind]++;
    if (!l.name.empty()) {
      names.push_back(l.name);
    } else {
      std::string stem = layerKindStem(l.kind);
      names.push_back(n == 0 ? stem : stem + "_" + std::to_string(n));
    }
  }
  return names;
}

namespace {
LayerSpec dense(int units, const std::string& activation, const std::string& biasInit = "zeros") {
  LayerSpec l;
  l.kind = LayerKind::Dense;
  l.units = units;
  l.activation = activation;
  l.biasInitializer = biasInit;
  return l;
}
LayerSpec dropout(double rate) {
  LayerSpec l;
  l.kind = LayerKind::Dropout;
  l.rate = rate;
  return l;
}
LayerSpec conv(int filters, int k, const std::string& activation) {
  LayerSpec l;
  l.kind = LayerKind::Conv2D;
  l.filters = filters;
  l.kernelH = l.kernelW = k;
  l.strideH = l.strideW = 1;
  l.padding = "same";
  l.activation = activation;
  return l;
}
LayerSpec maxPool(int p) {
  LayerSpec l;
  l.kind = LayerKind::MaxPooling2D;
  l.poolH = l.poolW = p;
  l.strideH = l.strideW = p;
  l.padding = "same";
  return l;
}
// An augmentation layer as the builder starts it (fill_mode "constant": digits lie on black),
// with the given arguments set through its descriptor.
LayerSpec augmentation(LayerKind kind, const std::vector<std::pair<std::string, ArgValue>>& args) {
  const LayerKindInfo& info = layerKindInfo(kind);
  LayerSpec l = info.newLayer();
  for (const auto& [key, value] : args) info.arg(key)->set(l, value);
  info.arg("fill_mode")->set(l, std::string("constant"));
  return l;
}
}  // namespace

ModelSpec presetMlp() {
  ModelSpec s;
  s.name = "tutorial_mlp";
  s.inputShape = {784};
  s.layers = {dense(200, "tanh", "ones"), dropout(0.4), dense(100, "tanh", "ones"), dropout(0.4),
              dense(10, "softmax", "ones")};
  s.training.optimizer.type = "sgd";
  s.training.optimizer.learningRate = 0.2;
  s.training.batchSize = 32;
  s.training.epochs = 5;
  return s;
}

ModelSpec presetCnn() {
  ModelSpec s;
  s.name = "tutorial_cnn";
  s.inputShape = {28, 28, 1};
  LayerSpec flatten;
  flatten.kind = LayerKind::Flatten;
  s.layers = {conv(32, 5, "relu"), maxPool(2),   conv(64, 5, "relu"), maxPool(2), flatten,
              dense(1024, "relu"), dropout(0.3), dense(10, "softmax")};
  s.training.optimizer.type = "adam";
  s.training.optimizer.learningRate = 1e-4;
  s.training.batchSize = 64;
  s.training.epochs = 1;
  return s;
}

ModelSpec presetDigits() {
  ModelSpec s;
  s.name = "digits";
  s.inputShape = {28, 28, 1};
  const FactorRange rotation{-0.05, 0.05}, shift{-0.1, 0.1}, zoom{-0.15, 0.15};
  LayerSpec conv1 = conv(32, 3, "relu"), conv2 = conv(64, 3, "relu");
  conv1.padding = conv2.padding = "valid";
  LayerSpec pool1 = maxPool(2), pool2 = maxPool(2);
  pool1.padding = pool2.padding = "valid";
  LayerSpec flatten;
  flatten.kind = LayerKind::Flatten;
  s.layers = {augmentation(LayerKind::RandomRotation, {{"factor", rotation}}),
              augmentation(LayerKind::RandomTranslation, {{"height_factor", shift}, {"width_factor", shift}}),
              augmentation(LayerKind::RandomZoom, {{"height_factor", zoom}}),
              conv1,
              pool1,
              conv2,
              pool2,
              flatten,
              dropout(0.3),
              dense(128, "relu"),
              dropout(0.3),
              dense(10, "softmax")};
  s.training.optimizer.type = "adam";
  s.training.optimizer.learningRate = 1e-3;
  s.training.batchSize = 64;
  s.training.epochs = 15;
  return s;
}

ModelSpec presetByName(const std::string& name) {
  if (name == "mlp") return presetMlp();
  if (name == "cnn") return presetCnn();
  if (name == "digits") return presetDigits();
  throw SpecError("unknown preset '" + name + "' (expected mlp, cnn or digits)");
}

std::string shapeToString(const Shape& s) {
  std::ostringstream out;
  out << "(None";
  for (int d : s) out << ", " << d;
  out << ")";
  return out.str();
}

// ---- Callbacks' settings (keras/src/callbacks/early_stopping.py, reduce_lr_on_plateau.py,
// model_checkpoint.py). Keras warns and falls back to "auto" for an unknown mode and only refuses
// factor >= 1; DigitLab refuses every value it could not honour, so a spec file never surprises.

const std::vector<std::string>& callbackMonitors() {
  static const std::vector<std::string> names{"loss", "accuracy", "val_loss", "val_accuracy"};
  return names;
}

const std::vector<std::string>& callbackModes() {
  static const std::vector<std::string> names{"auto", "min", "max"};
  return names;
}

namespace {

std::string number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

std::string oneOf(const std::vector<std::string>& names) {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i)
    s += (i ? (i + 1 == names.size() ? " or \"" : ", \"") : "\"") + names[i] + "\"";
  return s;
}

std::string monitorModeProblem(const std::string& who, const std::string& monitor, const std::string& mode) {
  const auto& monitors = callbackMonitors();
  if (std::find(monitors.begin(), monitors.end(), monitor) == monitors.end())
    return who + ": 'monitor' must be " + oneOf(monitors) + ", not \"" + monitor + "\"";
  const auto& modes = callbackModes();
  if (std::find(modes.begin(), modes.end(), mode) == modes.end())
    return who + ": 'mode' must be " + oneOf(modes) + ", not \"" + mode + "\"";
  return {};
}

std::string countProblem(const std::string& who, const char* key, int v) {
  if (v < 0 || v > kMaxCallbackCount)
    return who + ": '" + key + "' must be a whole number from 0 to " + std::to_string(kMaxCallbackCount) + ", not " +
           std::to_string(v);
  return {};
}

}  // namespace

std::string callbacksProblem(const CallbacksSpec& c) {
  std::string p;
  if (const EarlyStoppingSpec& e = c.earlyStopping; e.enabled) {
    const std::string who = "EarlyStopping";
    if (!(p = monitorModeProblem(who, e.monitor, e.mode)).empty()) return p;
    if (!(p = countProblem(who, "patience", e.patience)).empty()) return p;
    if (!(p = countProblem(who, "start_from_epoch", e.startFromEpoch)).empty()) return p;
    if (!(std::isfinite(e.minDelta) && e.minDelta >= 0))
      return who + ": 'min_delta' must be a number from 0, not " + number(e.minDelta);
    if (e.hasBaseline && !std::isfinite(e.baseline))
      return who + ": 'baseline' must be a number or null, not " + number(e.baseline);
  }
  if (const ReduceLROnPlateauSpec& r = c.reduceLrOnPlateau; r.enabled) {
    const std::string who = "ReduceLROnPlateau";
    if (!(p = monitorModeProblem(who, r.monitor, r.mode)).empty()) return p;
    if (!(p = countProblem(who, "patience", r.patience)).empty()) return p;
    if (!(p = countProblem(who, "cooldown", r.cooldown)).empty()) return p;
    // Keras: "ReduceLROnPlateau does not support a factor >= 1.0"; 0 or less would zero the rate.
    if (!(r.factor > 0 && r.factor < 1)) return who + ": 'factor' must be above 0 and below 1, not " + number(r.factor);
    if (!(std::isfinite(r.minDelta) && r.minDelta >= 0))
      return who + ": 'min_delta' must be a number from 0, not " + number(r.minDelta);
    if (!(std::isfinite(r.minLr) && r.minLr >= 0 && r.minLr <= 1e6))
      return who + ": 'min_lr' must be a number from 0 to 1e6, not " + number(r.minLr);
  }
  if (const ModelCheckpointSpec& m = c.modelCheckpoint; m.enabled) {
    const std::string who = "ModelCheckpoint";
    if (!(p = monitorModeProblem(who, m.monitor, m.mode)).empty()) return p;
    if (m.filepath.empty()) return who + ": 'filepath' must name the file to save to";
    for (unsigned char ch : m.filepath)
      if (ch < 0x20 || ch == 0x7f) return who + ": 'filepath' must not contain control characters";
  }
  return {};
}

}  // namespace dl
