// MaxPooling2D in the layer registry: the maximum of each window of an image.

#include "nn/LayerRegistry.h"
#include "nn/MaxPooling2DLayer.h"

namespace dl {

LayerKindInfo maxPooling2DKind() {
  LayerKindInfo k;
  k.kind = LayerKind::MaxPooling2D;
  k.className = "MaxPooling2D";
  k.aliases = {"MaxPool2D"};
  k.stem = "max_pooling2d";
  k.description = "MaxPooling2D: the maximum of each window, shrinking the image";
  k.color = 0x2e7d32;
  // strides=None (Keras's default) is the pool size: kept as 0x0 and written out resolved for Keras.
  LayerArg strides = pairArg("strides", &LayerSpec::strideH, &LayerSpec::strideW, 1, kMaxDim, std::make_pair(0, 0));
  strides.nullable = true;
  strides.automaticText = "pool";
  strides.kerasValue = [](const LayerSpec& l) {
    return ArgValue(std::make_pair(l.strideH ? l.strideH : l.poolH, l.strideW ? l.strideW : l.poolW));
  };
  k.args = {pairArg("pool_size", &LayerSpec::poolH, &LayerSpec::poolW, 1, kMaxDim, std::make_pair(2, 2)), strides,
            choiceArg("padding", &LayerSpec::padding, {"valid", "same"}, "valid")};
  k.imageLayout = true;
  k.imageInputByDefault = true;
  k.infer = [](const LayerSpec& l, const Shape& in, Shape* out, int64_t*) -> std::string {
    if (l.poolH <= 0 || l.poolW <= 0 || l.poolH > kMaxDim || l.poolW > kMaxDim)
      return "pool size must be positive (is " + dims2(l.poolH, l.poolW) + ")";
    const int sh = l.strideH == 0 ? l.poolH : l.strideH, sw = l.strideW == 0 ? l.poolW : l.strideW;
    if (sh < 0 || sw < 0 || sh > kMaxDim || sw > kMaxDim) return "strides must be positive (are " + dims2(sh, sw) + ")";
    if (in.size() != 3)
      return "MaxPooling2D needs an image input (height, width, channels) but gets " + shapeToString(in);
    if (auto e = paddingProblem(l); !e.empty()) return e;
    const bool same = l.padding == "same";
    if (!same && (l.poolH > in[0] || l.poolW > in[1]))
      return "pool " + dims2(l.poolH, l.poolW) + " is larger than its input " + dims2(in[0], in[1]) +
             " with 'valid' padding";
    *out = {convOutputSize(in[0], l.poolH, sh, same), convOutputSize(in[1], l.poolW, sw, same), in[2]};
    return {};
  };
  k.make = [](const LayerSpec& l, uint64_t) { return std::make_unique<MaxPooling2DLayer>(l); };
  k.newLayer = [] {
    LayerSpec l;
    l.kind = LayerKind::MaxPooling2D;
    l.poolH = l.poolW = 2;
    l.strideH = l.strideW = 0;  // the pool size
    l.padding = "valid";
    return l;
  };
  return k;
}

}  // namespace dl
