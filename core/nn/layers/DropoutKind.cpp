// Dropout in the layer registry: inverted dropout, the identity in inference.

#include "nn/LayerRegistry.h"
#include "nn/SimpleLayers.h"

namespace dl {

LayerKindInfo dropoutKind() {
  LayerKindInfo k;
  k.kind = LayerKind::Dropout;
  k.className = "Dropout";
  k.stem = "dropout";
  k.description = "Dropout: zeroes a fraction of its inputs while training";
  k.color = 0x6a1b9a;
  LayerArg rate = numberArg("rate", &LayerSpec::rate, 0.0, 1.0, true, std::nullopt);
  rate.positional = true;
  k.args = {rate};
  // DigitLab's dropout masks follow the Model's seed; a noise shape has no equivalent.
  k.kerasFixed = {{"seed", std::nullopt, "", true}, {"noise_shape", std::nullopt, "a noise_shape", false}};
  k.infer = [](const LayerSpec& l, const Shape& in, Shape* out, int64_t*) -> std::string {
    if (!(l.rate >= 0.0 && l.rate < 1.0)) return "rate must be in [0, 1) (is " + std::to_string(l.rate) + ")";
    *out = in;
    return {};
  };
  k.make = [](const LayerSpec& l, uint64_t seed) { return std::make_unique<DropoutLayer>(l.rate, seed); };
  k.newLayer = [] {
    LayerSpec l;
    l.kind = LayerKind::Dropout;
    l.rate = 0.25;
    return l;
  };
  return k;
}

}  // namespace dl
