// BatchNormalization in the layer registry: normalizes each feature (channel) with the batch's
// statistics while training and moving averages of them in inference
// (keras/src/layers/normalization/batch_normalization.py).

#include "nn/BatchNormLayer.h"
#include "nn/LayerRegistry.h"

#include <algorithm>

namespace dl {

namespace {

BatchNormSettings settingsOf(const LayerSpec& l) {
  BatchNormSettings s;
  s.momentum = storedNumber(l, "momentum", s.momentum);
  s.epsilon = storedNumber(l, "epsilon", s.epsilon);
  s.center = storedNumber(l, "center", 1.0) != 0.0;
  s.scale = storedNumber(l, "scale", 1.0) != 0.0;
  s.betaInitializer = storedText(l, "beta_initializer", s.betaInitializer);
  s.gammaInitializer = storedText(l, "gamma_initializer", s.gammaInitializer);
  s.movingMeanInitializer = storedText(l, "moving_mean_initializer", s.movingMeanInitializer);
  s.movingVarianceInitializer = storedText(l, "moving_variance_initializer", s.movingVarianceInitializer);
  return s;
}

}  // namespace

LayerKindInfo batchNormalizationKind() {
  LayerKindInfo k;
  k.kind = LayerKind::BatchNormalization;
  k.className = "BatchNormalization";
  k.stem = "batch_normalization";
  k.description = "BatchNormalization: normalizes each channel with the batch's statistics";
  k.color = 0x00897b;
  LayerArg momentum = storedNumberArg("momentum", 0.0, 1.0, true, 0.99);
  momentum.omitWhen = 0.99;
  LayerArg epsilon = storedNumberArg("epsilon", 1e-12, 1.0, false, 1e-3);
  epsilon.omitWhen = 1e-3;
  LayerArg center = storedBoolArg("center", true);
  center.omitWhen = true;
  LayerArg scale = storedBoolArg("scale", true);
  scale.omitWhen = true;
  // Keras's signature order (axis first, fixed at -1 here).
  k.args = {momentum,
            epsilon,
            center,
            scale,
            storedInitializerArg("beta_initializer", "zeros"),
            storedInitializerArg("gamma_initializer", "ones"),
            storedInitializerArg("moving_mean_initializer", "zeros"),
            storedInitializerArg("moving_variance_initializer", "ones")};
  k.kerasFixed = {{"axis", ArgValue(-1), "normalizing over an axis other than the last (axis=-1)", false},
                  {"beta_regularizer", std::nullopt, "a beta regularizer", false},
                  {"gamma_regularizer", std::nullopt, "a gamma regularizer", false},
                  {"beta_constraint", std::nullopt, "a beta constraint", false},
                  {"gamma_constraint", std::nullopt, "a gamma constraint", false},
                  {"synchronized", ArgValue(false), "synchronized (multi-device) batch normalization", false}};
  k.infer = [](const LayerSpec& l, const Shape& in, Shape* out, int64_t* params) -> std::string {
    const BatchNormSettings s = settingsOf(l);
    if (!(s.momentum >= 0.0 && s.momentum < 1.0)) return "momentum must be in [0, 1)";
    if (!(s.epsilon > 0.0)) return "epsilon must be positive";
    const auto& known = initializerNames();
    for (const std::string* init :
         {&s.betaInitializer, &s.gammaInitializer, &s.movingMeanInitializer, &s.movingVarianceInitializer})
      if (std::find(known.begin(), known.end(), *init) == known.end()) return "unknown initializer '" + *init + "'";
    if (in.empty()) return "BatchNormalization needs an input";
    const int64_t c = in.back();
    *params = c * ((s.scale ? 1 : 0) + (s.center ? 1 : 0) + 2);
    *out = in;
    return {};
  };
  k.nonTrainableParams = [](const LayerSpec&, const Shape& in) -> int64_t {
    return in.empty() ? 0 : 2 * int64_t(in.back());  // moving_mean, moving_variance
  };
  k.make = [](const LayerSpec& l, uint64_t) { return std::make_unique<BatchNormLayer>(settingsOf(l)); };
  k.newLayer = [] {
    LayerSpec l;
    l.kind = LayerKind::BatchNormalization;
    // Every argument set, as reading a file sets them, so that a layer read back compares equal.
    for (const LayerArg& a : layerKindInfo(LayerKind::BatchNormalization).args)
      if (a.readDefault) a.set(l, *a.readDefault);
    return l;
  };
  return k;
}

}  // namespace dl
