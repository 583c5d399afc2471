// RandomRotation in the layer registry: rotates each training image by a random angle
// (keras/src/layers/preprocessing/image_preprocessing/random_rotation.py).

#include "nn/layers/ImageAugmentArgs.h"

namespace dl {

LayerKindInfo randomRotationKind() {
  LayerKindInfo k;
  k.kind = LayerKind::RandomRotation;
  k.className = "RandomRotation";
  k.stem = "random_rotation";
  k.description = "RandomRotation: rotates each image by a random angle while training";
  k.color = 0xef6c00;
  // factor: a fraction of a full turn, (lower, upper) or f for (-f, f).
  LayerArg factor = augment::factorArg("factor");
  factor.positional = true;
  k.args = {factor};
  augment::completeImageKind(k);
  k.make = [](const LayerSpec& l, uint64_t seed) {
    const FactorRange f = augment::range(l, "factor");
    return std::make_unique<RandomRotationLayer>(f.lower, f.upper, augment::fillMode(l), augment::interpolation(l),
                                                 augment::fillValue(l), seed);
  };
  k.newLayer = [] {
    LayerSpec l = augment::newLayer(LayerKind::RandomRotation);
    layerKindInfo(LayerKind::RandomRotation).arg("factor")->set(l, FactorRange{-0.05, 0.05});
    return l;
  };
  return k;
}

}  // namespace dl
