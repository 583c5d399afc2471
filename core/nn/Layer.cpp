// The layer factory: a LayerSpec becomes the layer class its kind's descriptor makes.

#include "nn/Layer.h"

#include "nn/LayerRegistry.h"

namespace dl {

std::unique_ptr<Layer> makeLayer(const LayerSpec& spec, uint64_t seed) {
  return layerKindInfo(spec.kind).make(spec, seed);
}

}  // namespace dl
