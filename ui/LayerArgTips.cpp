// The property editor's tooltips and choices, from the layer registry's arguments.

#include "LayerArgTips.h"

#include "LayerPropertyEditor.h"
#include "nn/LayerRegistry.h"

namespace dl {

QString tipNumber(double v) { return QString::number(v, 'g', 6); }

// The descriptions of the arguments the registry has today; an argument not listed here is
// described from its type and range.
namespace {

Tips knownTips(const std::string& key) {
  using E = LayerPropertyEditor;
  if (key == "units") return {E::tr("units: dimensionality of the output")};
  if (key == "activation")
    return {
        E::tr("activation: the function applied to the output (softmax on the last layer turns "
              "it into class probabilities)")};
  if (key == "filters") return {E::tr("filters: number of output channels")};
  if (key == "kernel_size")
    return {E::tr("kernel_size: height × width of the convolution window"),
            E::tr("kernel_size: height of the convolution window"),
            E::tr("kernel_size: width of the convolution window")};
  if (key == "strides")
    return {E::tr("strides: step of the window"), E::tr("strides: vertical step of the window"),
            E::tr("strides: horizontal step of the window")};
  if (key == "pool_size")
    return {E::tr("pool_size: height × width of the pooling window"), E::tr("pool_size: height of the pooling window"),
            E::tr("pool_size: width of the pooling window")};
  if (key == "padding")
    return {E::tr("valid: no padding; same: pad so that the output has the input's size (stride 1)")};
  if (key == "rate") return {E::tr("rate: fraction of the inputs dropped during training")};
  if (key == "use_bias") return {E::tr("use_bias: add a learned bias to each output")};
  if (key == "kernel_initializer") return {E::tr("kernel_initializer: how the weights start before training")};
  if (key == "factor")
    return {E::tr("factor: the rotation's range as a fraction of a full turn (lower to upper; 0.1 = ±36°, "
                  "positive is counter-clockwise)"),
            E::tr("factor: the smallest rotation, from -1 to 1 turn"), E::tr("factor: the largest rotation")};
  if (key == "height_factor")
    return {E::tr("height_factor: the vertical range as a fraction of the height (lower to upper)"),
            E::tr("height_factor: lower bound, from -1 to 1"), E::tr("height_factor: upper bound, from -1 to 1")};
  if (key == "width_factor")
    return {E::tr("width_factor: the horizontal range as a fraction of the width (lower to upper)"),
            E::tr("width_factor: lower bound, from -1 to 1"), E::tr("width_factor: upper bound, from -1 to 1")};
  if (key == "fill_mode")
    return {
        E::tr("fill_mode: what is read beyond the image's edges: reflect (Keras's default), wrap, the "
              "nearest pixel, or constant (fill_value)")};
  if (key == "interpolation") return {E::tr("interpolation: how pixels between pixels are read")};
  if (key == "fill_value") return {E::tr("fill_value: the value read beyond the edges with fill_mode constant")};
  if (key == "stddev") return {E::tr("stddev: standard deviation of the noise added while training, 0 to 1")};
  if (key == "bias_initializer") return {E::tr("bias_initializer: how the biases start before training")};
  return {};
}

}  // namespace

QStringList choicesOf(const LayerArg& a) {
  std::vector<std::string> names = a.choices;
  if (names.empty() && a.type == ArgType::Activation) names = activationNames();
  if (names.empty() && a.type == ArgType::Initializer) names = initializerNames();
  QStringList list;
  for (const std::string& n : names) list << QString::fromStdString(n);
  return list;
}

Tips tipsFor(const LayerArg& a) {
  using E = LayerPropertyEditor;
  const QString key = QString::fromStdString(a.key);
  Tips t = knownTips(a.key);
  if (t.row.isEmpty()) {
    switch (a.type) {
      case ArgType::Int:
        t.row = E::tr("%1: a whole number from %2 to %3").arg(key, tipNumber(a.lo), tipNumber(a.hi));
        break;
      case ArgType::IntPair:
        t.row = E::tr("%1: height × width, each from %2 to %3").arg(key, tipNumber(a.lo), tipNumber(a.hi));
        break;
      case ArgType::Number:
        t.row = (a.hiOpen ? E::tr("%1: a number from %2 to below %3") : E::tr("%1: a number from %2 to %3"))
                    .arg(key, tipNumber(a.lo), tipNumber(a.hi));
        break;
      case ArgType::Bool:
        t.row = E::tr("%1: on or off").arg(key);
        break;
      case ArgType::Range:
        t.row = E::tr("%1: lower to upper, each from %2 to %3").arg(key, tipNumber(a.lo), tipNumber(a.hi));
        break;
      default:
        t.row = E::tr("%1: one of %2").arg(key, choicesOf(a).join(QLatin1String(", ")));
        break;
    }
  }
  if (a.type == ArgType::IntPair && t.first.isEmpty()) {
    t.first = E::tr("%1: height").arg(key);
    t.second = E::tr("%1: width").arg(key);
  }
  if (a.type == ArgType::Range && t.first.isEmpty()) {
    t.first = E::tr("%1: lower bound").arg(key);
    t.second = E::tr("%1: upper bound").arg(key);
  }
  if (a.nullable) {
    const QString automatic = QString::fromStdString(a.automaticText);
    if (a.key == "strides" && a.automaticText == "pool")
      t.row = E::tr("strides: step of the window; \"pool\" = the pool size (Keras's default)");
    else
      t.row += E::tr("; \"%1\" = automatic (Keras's default)").arg(automatic);
  }
  return t;
}

}  // namespace dl
