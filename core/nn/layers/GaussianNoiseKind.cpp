// GaussianNoise in the layer registry: adds N(0, stddev^2) noise while training
// (keras/src/layers/regularization/gaussian_noise.py).

#include "nn/GaussianNoiseLayer.h"
#include "nn/LayerRegistry.h"

#include <cmath>

namespace dl {

LayerKindInfo gaussianNoiseKind() {
  LayerKindInfo k;
  k.kind = LayerKind::GaussianNoise;
  k.className = "GaussianNoise";
  k.stem = "gaussian_noise";
  k.description = "GaussianNoise: adds random noise to its inputs while training";
  k.color = 0x8e24aa;
  // Keras: "Expected a float value between 0 and 1".
  LayerArg stddev = storedNumberArg("stddev", 0.0, 1.0, false, 0.1);
  stddev.readDefault = std::nullopt;  // required, as in Keras
  stddev.positional = true;
  k.args = {stddev};
  k.augmentation = true;
  k.kerasFixed = {{"seed", std::nullopt, "", true}};  // the run's seed drives the noise
  k.infer = [](const LayerSpec& l, const Shape& in, Shape* out, int64_t*) -> std::string {
    const double s = std::get<double>(layerKindInfo(LayerKind::GaussianNoise).args[0].get(l));
    if (!(s >= 0.0 && s <= 1.0)) return "stddev must be from 0 to 1 (is " + std::to_string(s) + ")";
    *out = in;
    return {};
  };
  k.make = [](const LayerSpec& l, uint64_t seed) {
    return std::make_unique<GaussianNoiseLayer>(
        std::get<double>(layerKindInfo(LayerKind::GaussianNoise).args[0].get(l)), seed);
  };
  k.newLayer = [] {
    LayerSpec l;
    l.kind = LayerKind::GaussianNoise;
    l.values["stddev"] = 0.1;
    return l;
  };
  return k;
}

}  // namespace dl
