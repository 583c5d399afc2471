// Flatten in the layer registry: an image becomes a vector (C order).

#include "nn/LayerRegistry.h"
#include "nn/SimpleLayers.h"

namespace dl {

LayerKindInfo flattenKind() {
  LayerKindInfo k;
  k.kind = LayerKind::Flatten;
  k.className = "Flatten";
  k.stem = "flatten";
  k.description = "Flatten: turns an image into a vector, for Dense layers";
  k.color = 0x6d4c41;
  k.imageLayout = true;
  k.infer = [](const LayerSpec&, const Shape& in, Shape* out, int64_t*) -> std::string {
    *out = {int(shapeSize(in))};
    return {};
  };
  k.make = [](const LayerSpec&, uint64_t) { return std::make_unique<FlattenLayer>(); };
  k.newLayer = [] {
    LayerSpec l;
    l.kind = LayerKind::Flatten;
    return l;
  };
  return k;
}

}  // namespace dl
