// RandomTranslation in the layer registry: shifts each training image by a random fraction of
// its height and width (keras/src/layers/preprocessing/image_preprocessing/random_translation.py).

#include "nn/layers/ImageAugmentArgs.h"

namespace dl {

LayerKindInfo randomTranslationKind() {
  LayerKindInfo k;
  k.kind = LayerKind::RandomTranslation;
  k.className = "RandomTranslation";
  k.stem = "random_translation";
  k.description = "RandomTranslation: shifts each image by a random offset while training";
  k.color = 0xf9a825;
  LayerArg height = augment::factorArg("height_factor");
  height.positional = true;
  LayerArg width = augment::factorArg("width_factor");
  width.positional = true;
  k.args = {height, width};
  augment::completeImageKind(k);
  k.make = [](const LayerSpec& l, uint64_t seed) {
    const FactorRange h = augment::range(l, "height_factor"), w = augment::range(l, "width_factor");
    return std::make_unique<RandomTranslationLayer>(h.lower, h.upper, w.lower, w.upper, augment::fillMode(l),
                                                    augment::interpolation(l), augment::fillValue(l), seed);
  };
  k.newLayer = [] {
    LayerSpec l = augment::newLayer(LayerKind::RandomTranslation);
    const LayerKindInfo& info = layerKindInfo(LayerKind::RandomTranslation);
    info.arg("height_factor")->set(l, FactorRange{-0.1, 0.1});
    info.arg("width_factor")->set(l, FactorRange{-0.1, 0.1});
    return l;
  };
  return k;
}

}  // namespace dl
