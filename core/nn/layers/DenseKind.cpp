// Dense in the layer registry: y = activation(x·W + b) on a flat input.

#include "nn/DenseLayer.h"
#include "nn/LayerRegistry.h"

namespace dl {

LayerKindInfo denseKind() {
  LayerKindInfo k;
  k.kind = LayerKind::Dense;
  k.className = "Dense";
  k.stem = "dense";
  k.description = "Dense: fully connected layer, output = activation(x·W + b)";
  k.color = 0x2b5797;
  LayerArg units = intArg("units", &LayerSpec::units, 1, kMaxDim, std::nullopt);
  units.positional = true;
  k.args = {units, activationArg(std::string("linear"))};
  for (LayerArg& a : weightArgs()) k.args.push_back(std::move(a));
  k.hasWeights = true;
  k.infer = [](const LayerSpec& l, const Shape& in, Shape* out, int64_t* params) -> std::string {
    if (l.units <= 0 || l.units > kMaxDim)
      return "units must be between 1 and " + std::to_string(kMaxDim) + " (is " + std::to_string(l.units) + ")";
    if (in.size() != 1)
      return "Dense needs a flat input but gets " + shapeToString(in) + "; add a Flatten layer before it";
    if (auto e = activationProblem(l); !e.empty()) return e;
    if (auto e = initializerProblem(l); !e.empty()) return e;
    *params = int64_t(in[0]) * l.units + (l.useBias ? l.units : 0);
    *out = {l.units};
    return {};
  };
  k.make = [](const LayerSpec& l, uint64_t) { return std::make_unique<DenseLayer>(l); };
  k.newLayer = [] {
    LayerSpec l;
    l.kind = LayerKind::Dense;
    l.units = 64;
    l.activation = "relu";
    return l;
  };
  return k;
}

}  // namespace dl
