// Conv2D in the layer registry: 2-D convolution over a (height, width, channels) image.

#include "nn/Conv2DLayer.h"
#include "nn/LayerRegistry.h"

namespace dl {

LayerKindInfo conv2DKind() {
  LayerKindInfo k;
  k.kind = LayerKind::Conv2D;
  k.className = "Conv2D";
  k.stem = "conv2d";
  k.description = "Conv2D: 2-D convolution over an image (height, width, channels)";
  k.color = 0x1f6f8b;
  LayerArg filters = intArg("filters", &LayerSpec::filters, 1, kMaxDim, std::nullopt);
  filters.positional = true;
  k.args = {filters, pairArg("kernel_size", &LayerSpec::kernelH, &LayerSpec::kernelW, 1, kMaxDim, std::nullopt),
            pairArg("strides", &LayerSpec::strideH, &LayerSpec::strideW, 1, kMaxDim, std::make_pair(1, 1)),
            choiceArg("padding", &LayerSpec::padding, {"valid", "same"}, "valid"),
            activationArg(std::string("linear"))};
  for (LayerArg& a : weightArgs()) k.args.push_back(std::move(a));
  k.hasWeights = true;
  k.imageLayout = true;
  k.imageInputByDefault = true;
  k.kerasFixed = {{"dilation_rate", ArgValue(std::make_pair(1, 1)), "dilation", false},
                  {"groups", ArgValue(1), "grouped convolution (groups != 1)", false},
                  {"activity_regularizer", std::nullopt, "an activity regularizer", false}};
  k.infer = [](const LayerSpec& l, const Shape& in, Shape* out, int64_t* params) -> std::string {
    if (l.filters <= 0 || l.filters > kMaxDim)
      return "filters must be between 1 and " + std::to_string(kMaxDim) + " (is " + std::to_string(l.filters) + ")";
    if (l.kernelH <= 0 || l.kernelW <= 0 || l.kernelH > kMaxDim || l.kernelW > kMaxDim)
      return "kernel size must be positive (is " + dims2(l.kernelH, l.kernelW) + ")";
    if (l.strideH <= 0 || l.strideW <= 0 || l.strideH > kMaxDim || l.strideW > kMaxDim)
      return "strides must be positive (are " + dims2(l.strideH, l.strideW) + ")";
    if (in.size() != 3) return "Conv2D needs an image input (height, width, channels) but gets " + shapeToString(in);
    if (auto e = paddingProblem(l); !e.empty()) return e;
    if (auto e = activationProblem(l); !e.empty()) return e;
    if (auto e = initializerProblem(l); !e.empty()) return e;
    const bool same = l.padding == "same";
    if (!same && (l.kernelH > in[0] || l.kernelW > in[1]))
      return "kernel " + dims2(l.kernelH, l.kernelW) + " is larger than its input " + dims2(in[0], in[1]) +
             " with 'valid' padding";
    *out = {convOutputSize(in[0], l.kernelH, l.strideH, same), convOutputSize(in[1], l.kernelW, l.strideW, same),
            l.filters};
    *params = int64_t(l.kernelH) * l.kernelW * in[2] * l.filters + (l.useBias ? l.filters : 0);
    return {};
  };
  k.make = [](const LayerSpec& l, uint64_t) { return std::make_unique<Conv2DLayer>(l); };
  k.newLayer = [] {
    LayerSpec l;
    l.kind = LayerKind::Conv2D;
    l.filters = 32;
    l.kernelH = l.kernelW = 3;
    l.strideH = l.strideW = 1;
    l.padding = "valid";
    l.activation = "relu";
    return l;
  };
  return k;
}

}  // namespace dl
