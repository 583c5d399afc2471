// RandomZoom in the layer registry: zooms each training image in or out by a random factor
// (keras/src/layers/preprocessing/image_preprocessing/random_zoom.py).

#include "nn/layers/ImageAugmentArgs.h"

namespace dl {

LayerKindInfo randomZoomKind() {
  LayerKindInfo k;
  k.kind = LayerKind::RandomZoom;
  k.className = "RandomZoom";
  k.stem = "random_zoom";
  k.description = "RandomZoom: zooms each image in or out at random while training";
  k.color = 0xc0ca33;
  LayerArg height = augment::factorArg("height_factor");
  height.positional = true;
  // width_factor=None (Keras's default): the height's zoom, keeping the aspect ratio.
  k.args = {height, augment::factorArg("width_factor", true, "height")};
  augment::completeImageKind(k);
  k.make = [](const LayerSpec& l, uint64_t seed) {
    const FactorRange h = augment::range(l, "height_factor"), w = augment::range(l, "width_factor");
    const bool same = w == kAutomaticRange;
    return std::make_unique<RandomZoomLayer>(h.lower, h.upper, same, same ? 0.0 : w.lower, same ? 0.0 : w.upper,
                                             augment::fillMode(l), augment::interpolation(l), augment::fillValue(l),
                                             seed);
  };
  k.newLayer = [] {
    LayerSpec l = augment::newLayer(LayerKind::RandomZoom);
    layerKindInfo(LayerKind::RandomZoom).arg("height_factor")->set(l, FactorRange{-0.1, 0.1});
    return l;
  };
  return k;
}

}  // namespace dl
