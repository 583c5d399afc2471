// The layer list of both formats: each layer's arguments are read as its kind's descriptor
// (nn/LayerRegistry.h) lists them.
#include "model/SpecJsonDetail.h"

#include "nn/LayerRegistry.h"

#include <map>

namespace dl::specjson {

void parseLayerInputShape(Args& a, bool first, InputShape& in) {
  const char* batchKeys[] = {"batch_input_shape", "batch_shape"};
  for (const char* k : batchKeys) {
    const QJsonValue v = a.take(k);
    if (v.isUndefined() || v.isNull()) continue;
    if (!first) a.fail(std::string("'") + k + "' is only allowed on the first layer");
    in.set(a, parseShape(a, k, v, true), a.where() + " '" + k + "'");
  }
  const QJsonValue is = a.take("input_shape");
  if (!is.isUndefined() && !is.isNull()) {
    if (!first) a.fail("'input_shape' is only allowed on the first layer");
    in.set(a, parseShape(a, "input_shape", is, false), a.where() + " 'input_shape'");
  }
  if (a.has("input_dim")) {
    if (!first) a.fail("'input_dim' is only allowed on the first layer");
    in.set(a, Shape{a.integer("input_dim", 1, kMaxDim)}, a.where() + " 'input_dim'");
  }
  a.ignore("input_dim");
}

namespace {

// Keras's "float or (lower, upper) tuple" factor (BaseImagePreprocessingLayer._set_factor in
// keras/src/layers/preprocessing/image_preprocessing/base_image_preprocessing_layer.py, and
// random_translation.py / random_zoom.py): a number f is (-|f|, |f|), a list of two is sorted;
// every number from arg.lo to arg.hi.
FactorRange readRange(Args& a, const LayerArg& arg) {
  const QJsonValue v = a.take(arg.key.c_str());
  const std::string expected = "a number from " + numberText(arg.lo) + " to " + numberText(arg.hi) +
                               " or a list of two such numbers (lower, upper)";
  auto check = [&](const QJsonValue& x) {
    const double d = x.toDouble();
    if (!x.isDouble() || !std::isfinite(d) || d < arg.lo || d > arg.hi)
      a.fail("'" + arg.key + "' must be " + expected + ", not " +
             (x == v ? describe(v) : "a list holding " + describe(x)));
    return d;
  };
  if (v.isDouble()) {
    const double f = std::abs(check(v));
    return FactorRange{-f, f};
  }
  if (v.isArray() && v.toArray().size() == 2) {
    double lower = check(v.toArray()[0]), upper = check(v.toArray()[1]);
    if (lower > upper) std::swap(lower, upper);
    return FactorRange{lower, upper};
  }
  a.fail("'" + arg.key + "' must be " + expected + ", not " + describe(v));
}

// One argument as its descriptor says: type, range, default.
ArgValue readArg(Args& a, const LayerArg& arg) {
  const char* key = arg.key.c_str();
  const auto missing = [&]() -> ArgValue {
    if (!arg.readDefault) a.fail("'" + arg.key + "' is missing");
    return *arg.readDefault;
  };
  switch (arg.type) {
    case ArgType::Int: {
      if (!a.has(key)) {
        a.ignore(key);
        return missing();
      }
      return a.integer(key, int(arg.lo), int(arg.hi));
    }
    case ArgType::IntPair: {
      const auto p = a.pair(key, int(arg.lo), int(arg.hi));
      return p ? ArgValue(*p) : missing();
    }
    case ArgType::Number: {
      const double lo = arg.lo, hi = arg.hi;
      const bool open = arg.hiOpen;
      const std::string expected = "a number from " + numberText(lo) + (open ? " to below " : " to ") + numberText(hi);
      if (!a.has(key)) {
        a.ignore(key);
        return missing();
      }
      const QJsonValue v = a.take(key);
      const double d = v.toDouble();
      if (!v.isDouble() || !std::isfinite(d) || d < lo || (open ? d >= hi : d > hi))
        a.fail("'" + arg.key + "' must be " + expected + ", not " + describe(v));
      return d;
    }
    case ArgType::Bool:
      return a.boolean(key, arg.readDefault ? std::get<bool>(*arg.readDefault) : false);
    case ArgType::Choice:
      if (!a.has(key) && !arg.readDefault) a.fail("'" + arg.key + "' is missing");
      return parseChoice(a, key, arg.choices, arg.readDefault ? std::get<std::string>(*arg.readDefault) : "");
    case ArgType::Activation:
      return parseActivation(a, key,
                             arg.readDefault ? std::optional(std::get<std::string>(*arg.readDefault)) : std::nullopt);
    case ArgType::Initializer:
      return parseInitializer(a, key, arg.readDefault ? std::get<std::string>(*arg.readDefault) : "");
    case ArgType::Range:
      if (!a.has(key)) {
        a.ignore(key);
        return missing();
      }
      return readRange(a, arg);
  }
  return missing();
}

// A Keras argument with one supported value (KerasFixedArg).
void readFixed(Args& a, const KerasFixedArg& f) {
  const char* key = f.key.c_str();
  if (f.ignoredOnRead) {
    a.ignore(key);
    return;
  }
  if (!f.value) {
    a.mustBeNull(key, f.unsupported);
    return;
  }
  if (const auto* pair = std::get_if<std::pair<int, int>>(&*f.value)) {
    const auto p = a.pair(key, 1, kMaxDim).value_or(*pair);
    if (p != *pair)
      a.fail(f.key + " " + dims2(p.first, p.second) + " is not supported (only " +
             (pair->first == pair->second ? std::to_string(pair->first) : dims2(pair->first, pair->second)) + ")");
  } else if (const int* n = std::get_if<int>(&*f.value)) {
    if (a.integer(key, std::min(1, *n), kMaxDim, *n) != *n) a.fail(f.unsupported + " is not supported");
  } else if (const bool* b = std::get_if<bool>(&*f.value)) {
    if (a.boolean(key, *b) != *b) a.fail(f.unsupported + " is not supported");
  } else if (const auto* text = std::get_if<std::string>(&*f.value)) {
    const std::string v = a.string(key, *text);
    if (v != *text) a.fail(f.key + " '" + v + "' is not supported (only '" + *text + "')");
  } else {
    a.ignore(key);
  }
}

// Keras's weight options DigitLab has no equivalent for: all must be off.
void readWeightOptions(Args& a) {
  a.mustBeNull("kernel_regularizer", "a kernel regularizer");
  a.mustBeNull("bias_regularizer", "a bias regularizer");
  a.mustBeNull("activity_regularizer", "an activity regularizer");
  a.mustBeNull("kernel_constraint", "a kernel constraint");
  a.mustBeNull("bias_constraint", "a bias constraint");
  a.mustBeNull("quantization_config", "quantization");
  if (a.has("lora_rank") && a.integer("lora_rank", 0, 0, 0) != 0) a.fail("LoRA is not supported");
  a.ignore("lora_rank");
  a.ignore("lora_alpha");
}

}  // namespace

// Everything a layer's config holds, as its kind's descriptor lists it. `first`: the first layer
// after any InputLayer, which may carry the input shape.
LayerSpec parseLayer(const LayerKindInfo& kind, Args& a, bool first, InputShape& in) {
  LayerSpec l;
  l.kind = kind.kind;
  l.name = parseName(a, "name", "");
  if (!a.boolean("trainable", true)) a.fail("trainable=false (frozen layers) is not supported");
  parseDtype(a);
  parseLayerInputShape(a, first, in);
  a.ignore("batch_size");  // Keras 2 first layers may repeat the InputLayer's batch size

  for (const LayerArg& arg : kind.args) arg.set(l, readArg(a, arg));
  if (kind.imageLayout) parseDataFormat(a);
  for (const KerasFixedArg& f : kind.kerasFixed) readFixed(a, f);
  if (kind.hasWeights) readWeightOptions(a);
  a.finish();
  return l;
}

// ---------------------------------------------------------------------------------------------
// The layer list, shared by both formats.

// Keras's automatic name of the n-th (0-based) layer of a kind: dense, dense_1, ...
std::string automaticName(LayerKind kind, int n) {
  std::string name = layerKindStem(kind);
  if (n > 0) name.append("_").append(std::to_string(n));
  return name;
}

// kerasForm: every layer is {"class_name": ..., "config": {...}}; otherwise a layer is flat
// ({"class_name": "Dense", "units": 10}), or Keras-shaped when it has a "config" object.
ParsedLayers parseLayers(const QJsonArray& layers, const std::string& source, bool kerasForm, InputShape input) {
  if (layers.size() > kMaxLayers)
    throw SpecError(source + ": " + std::to_string(layers.size()) + " layers is more than DigitLab allows (" +
                    std::to_string(kMaxLayers) + ")");
  ParsedLayers out;
  out.input = std::move(input);
  std::map<LayerKind, int> seen;
  for (qsizetype i = 0; i < layers.size(); ++i) {
    const std::string at = source + ": layer " + std::to_string(i + 1);
    if (!layers[i].isObject()) throw SpecError(at + ": must be an object, not " + describe(layers[i]));
    const QJsonObject obj = layers[i].toObject();
    const QJsonValue clsValue = obj.value(QLatin1String("class_name"));
    if (!clsValue.isString()) throw SpecError(at + ": 'class_name' must be a string, not " + describe(clsValue));
    const std::string cls = clsValue.toString().toStdString();
    const QJsonValue cfgValue = obj.value(QLatin1String("config"));
    const bool nested = kerasForm || cfgValue.isObject();
    if (nested && !cfgValue.isObject()) throw SpecError(at + " (" + cls + "): 'config' must be an object");
    QJsonObject cfg = nested ? cfgValue.toObject() : obj;
    if (!nested) cfg.remove(QLatin1String("class_name"));

    const LayerKindInfo* kind = findLayerKind(cls);
    std::string name = cfg.value(QLatin1String("name")).toString().toStdString();
    if (name.empty() && kind) name = automaticName(kind->kind, seen[kind->kind]);
    Args a(cfg, at + (name.empty() ? "" : " '" + name + "'") + " (" + cls + ")");
    if (cls == "InputLayer") {
      if (i != 0) a.fail("an InputLayer may only come first");
      parseInputLayer(a, out.input);
      continue;
    }
    if (!kind) a.fail("layer class '" + cls + "' is not supported (DigitLab knows " + layerKindList() + ")");
    ++seen[kind->kind];
    out.layers.push_back(parseLayer(*kind, a, out.layers.empty(), out.input));
  }
  return out;
}

// The finished spec: input shape settled, names checked for uniqueness.
void finishSpec(ModelSpec& spec, ParsedLayers& p, const std::string& source, bool clearAutomaticNames) {
  spec.layers = std::move(p.layers);
  if (p.input.shape) {
    spec.inputShape = *p.input.shape;
  } else {
    const bool image = !spec.layers.empty() && layerKindInfo(spec.layers[0].kind).imageInputByDefault;
    spec.inputShape = image ? Shape{28, 28, 1} : Shape{784};
  }
  if (spec.inputShape.size() == 2 && !spec.layers.empty() && spec.layers[0].kind == LayerKind::Flatten)
    spec.inputShape.push_back(1);  // Flatten(input_shape=(28, 28)): the same 784 values

  if (clearAutomaticNames) {
    std::map<LayerKind, int> seen;
    for (LayerSpec& l : spec.layers) {
      if (l.name == automaticName(l.kind, seen[l.kind]++)) l.name.clear();
    }
  }
  const std::vector<std::string> names = layerNames(spec);
  for (size_t i = 0; i < names.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (names[i] == names[j])
        throw SpecError(source + ": layers " + std::to_string(j + 1) + " and " + std::to_string(i + 1) +
                        " are both named '" + names[i] + "' (layer names must be unique)");
}

}  // namespace dl::specjson
