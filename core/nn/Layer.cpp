// The layer factory: a LayerSpec becomes the layer class that implements it.

#include "nn/Layer.h"

#include "nn/Conv2DLayer.h"
#include "nn/DenseLayer.h"
#include "nn/MaxPooling2DLayer.h"
#include "nn/SimpleLayers.h"

namespace dl {

std::unique_ptr<Layer> makeLayer(const LayerSpec& spec, uint64_t seed) {
  switch (spec.kind) {
    case LayerKind::Dense: return std::make_unique<DenseLayer>(spec);
    case LayerKind::Dropout: return std::make_unique<DropoutLayer>(spec.rate, seed);
    case LayerKind::Conv2D: return std::make_unique<Conv2DLayer>(spec);
    case LayerKind::MaxPooling2D: return std::make_unique<MaxPooling2DLayer>(spec);
    case LayerKind::Flatten: return std::make_unique<FlattenLayer>();
    case LayerKind::Activation: return std::make_unique<ActivationLayer>(spec.activation);
  }
  throw SpecError("unknown layer kind");
}

}  // namespace dl
