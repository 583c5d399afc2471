// Activation in the layer registry: an activation function on its own.

#include "nn/LayerRegistry.h"
#include "nn/SimpleLayers.h"

namespace dl {

LayerKindInfo activationKind() {
  LayerKindInfo k;
  k.kind = LayerKind::Activation;
  k.className = "Activation";
  k.stem = "activation";
  k.description = "Activation: applies an activation function on its own";
  k.color = 0xb71c1c;
  LayerArg activation = activationArg(std::nullopt);
  activation.positional = true;
  k.args = {activation};
  k.infer = [](const LayerSpec& l, const Shape& in, Shape* out, int64_t*) -> std::string {
    if (auto e = activationProblem(l); !e.empty()) return e;
    *out = in;
    return {};
  };
  k.make = [](const LayerSpec& l, uint64_t) { return std::make_unique<ActivationLayer>(l.activation); };
  k.newLayer = [] {
    LayerSpec l;
    l.kind = LayerKind::Activation;
    l.activation = "relu";
    return l;
  };
  return k;
}

}  // namespace dl
