#pragma once
// What RandomRotation, RandomTranslation and RandomZoom share in the layer registry: the fill
// and interpolation arguments, the seed, the image-input check.

#include "nn/ImageAugmentLayers.h"
#include "nn/LayerRegistry.h"

namespace dl::augment {

// factor-like arguments: Keras's range [-1, 1] (the _FACTOR_VALIDATION_ERROR of
// random_translation.py / random_zoom.py, BaseImagePreprocessingLayer._FACTOR_BOUNDS).
LayerArg factorArg(std::string key, bool nullable = false, std::string automaticText = {});
// fill_mode, interpolation, fill_value with Keras's defaults ("reflect", "bilinear", 0.0), left
// out of the script at those.
std::vector<LayerArg> fillArgs();
// seed: written as null, any value read and ignored (the run's seed drives the draws).
std::vector<KerasFixedArg> fixedArgs();
// "" or why the layer cannot work on `in` (not an image, a bound out of range, ...).
std::string problem(const LayerKindInfo& kind, const LayerSpec& l, const Shape& in);
FactorRange range(const LayerSpec& l, const char* key);
FillMode fillMode(const LayerSpec& l);
Interpolation interpolation(const LayerSpec& l);
double fillValue(const LayerSpec& l);
// What the three image layers share, after their own arguments: the fill arguments appended,
// images (channels_last) in and the same shape out, the seed ignored, an augmentation layer.
void completeImageKind(LayerKindInfo& k);
// A new layer of `kind` with the arguments the builder starts from: fill_mode "constant"
// (digits on a black background) and the given factors.
LayerSpec newLayer(LayerKind kind);

}  // namespace dl::augment
