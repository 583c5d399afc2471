// The layer registry: the list of kinds, lookups, the Keras script call built from a kind's
// arguments, and the building blocks descriptors are made of.

#include "nn/LayerRegistry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace dl {

// The descriptors, one per file in nn/layers/.
LayerKindInfo denseKind();
LayerKindInfo dropoutKind();
LayerKindInfo conv2DKind();
LayerKindInfo maxPooling2DKind();
LayerKindInfo flattenKind();
LayerKindInfo activationKind();
LayerKindInfo randomRotationKind();
LayerKindInfo randomTranslationKind();
LayerKindInfo randomZoomKind();
LayerKindInfo gaussianNoiseKind();
LayerKindInfo batchNormalizationKind();

const std::vector<LayerKindInfo>& layerKinds() {
  // The registration: one line per kind, in the palette's order.
  static const std::vector<LayerKindInfo> kinds{
      denseKind(),
      dropoutKind(),
      conv2DKind(),
      maxPooling2DKind(),
      flattenKind(),
      activationKind(),
      randomRotationKind(),
      randomTranslationKind(),
      randomZoomKind(),
      gaussianNoiseKind(),
      batchNormalizationKind(),
  };
  return kinds;
}

const LayerKindInfo& layerKindInfo(LayerKind kind) {
  for (const LayerKindInfo& k : layerKinds())
    if (k.kind == kind) return k;
  throw std::logic_error("layer kind " + std::to_string(int(kind)) + " is not registered");
}

const LayerKindInfo* findLayerKind(std::string_view className) {
  for (const LayerKindInfo& k : layerKinds()) {
    if (k.className == className) return &k;
    if (std::find(k.aliases.begin(), k.aliases.end(), className) != k.aliases.end()) return &k;
  }
  return nullptr;
}

std::string layerKindList() {
  std::string s;
  for (const LayerKindInfo& k : layerKinds()) s += (s.empty() ? "" : ", ") + k.className;
  return s;
}

const LayerArg* LayerKindInfo::arg(std::string_view key) const {
  for (const LayerArg& a : args)
    if (a.key == key) return &a;
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// The Keras script

std::string pythonNumber(double v) {
  char buf[400];
  const double a = std::abs(v);
  const bool scientific = a != 0 && (a < 1e-4 || a >= 1e16);
  const auto r =
      std::to_chars(buf, buf + sizeof buf, v, scientific ? std::chars_format::scientific : std::chars_format::fixed);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string pythonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += char(c);
    }
  }
  return out + "\"";
}

namespace {

std::string pythonValue(const ArgValue& v) {
  struct Visitor {
    std::string operator()(bool b) const { return b ? "True" : "False"; }
    std::string operator()(int i) const { return std::to_string(i); }
    std::string operator()(double d) const { return pythonNumber(d); }
    std::string operator()(const std::pair<int, int>& p) const {
      return "(" + std::to_string(p.first) + ", " + std::to_string(p.second) + ")";
    }
    std::string operator()(const std::string& s) const { return pythonString(s); }
    std::string operator()(const FactorRange& r) const {
      if (r.symmetric()) return pythonNumber(r.upper);
      return "(" + pythonNumber(r.lower) + ", " + pythonNumber(r.upper) + ")";
    }
  };
  return std::visit(Visitor{}, v);
}

}  // namespace

std::string LayerKindInfo::kerasCall(const LayerSpec& layer, const std::string& name) const {
  std::string call = "layers." + className + "(";
  bool first = true;
  auto add = [&](const std::string& text) {
    call += (first ? "" : ", ") + text;
    first = false;
  };
  for (const LayerArg& a : args) {
    const ArgValue v = a.kerasGet(layer);
    if (a.omitWhen && v == *a.omitWhen) continue;
    add(a.positional ? pythonValue(v) : a.key + "=" + pythonValue(v));
  }
  add("name=" + pythonString(name));
  return call + ")";
}

// ---------------------------------------------------------------------------------------------
// Building blocks

LayerArg intArg(std::string key, int LayerSpec::*member, int lo, int hi, std::optional<int> readDefault) {
  LayerArg a;
  a.key = std::move(key);
  a.type = ArgType::Int;
  if (readDefault) a.readDefault = *readDefault;
  a.lo = lo;
  a.hi = hi;
  a.get = [member](const LayerSpec& l) { return ArgValue(l.*member); };
  a.set = [member](LayerSpec& l, const ArgValue& v) { l.*member = std::get<int>(v); };
  return a;
}

LayerArg pairArg(std::string key, int LayerSpec::*first, int LayerSpec::*second, int lo, int hi,
                 std::optional<std::pair<int, int>> readDefault) {
  LayerArg a;
  a.key = std::move(key);
  a.type = ArgType::IntPair;
  if (readDefault) a.readDefault = *readDefault;
  a.lo = lo;
  a.hi = hi;
  a.get = [first, second](const LayerSpec& l) { return ArgValue(std::make_pair(l.*first, l.*second)); };
  a.set = [first, second](LayerSpec& l, const ArgValue& v) {
    const auto& p = std::get<std::pair<int, int>>(v);
    l.*first = p.first;
    l.*second = p.second;
  };
  return a;
}

LayerArg numberArg(std::string key, double LayerSpec::*member, double lo, double hi, bool hiOpen,
                   std::optional<double> readDefault) {
  LayerArg a;
  a.key = std::move(key);
  a.type = ArgType::Number;
  if (readDefault) a.readDefault = *readDefault;
  a.lo = lo;
  a.hi = hi;
  a.hiOpen = hiOpen;
  a.get = [member](const LayerSpec& l) { return ArgValue(l.*member); };
  a.set = [member](LayerSpec& l, const ArgValue& v) { l.*member = std::get<double>(v); };
  return a;
}

LayerArg boolArg(std::string key, bool LayerSpec::*member, bool readDefault) {
  LayerArg a;
  a.key = std::move(key);
  a.type = ArgType::Bool;
  a.readDefault = readDefault;
  a.get = [member](const LayerSpec& l) { return ArgValue(l.*member); };
  a.set = [member](LayerSpec& l, const ArgValue& v) { l.*member = std::get<bool>(v); };
  return a;
}

namespace {
LayerArg stringArg(std::string key, ArgType type, std::string LayerSpec::*member) {
  LayerArg a;
  a.key = std::move(key);
  a.type = type;
  a.get = [member](const LayerSpec& l) { return ArgValue(l.*member); };
  a.set = [member](LayerSpec& l, const ArgValue& v) { l.*member = std::get<std::string>(v); };
  return a;
}
}  // namespace

LayerArg choiceArg(std::string key, std::string LayerSpec::*member, std::vector<std::string> choices,
                   std::string readDefault) {
  LayerArg a = stringArg(std::move(key), ArgType::Choice, member);
  a.choices = std::move(choices);
  a.readDefault = std::move(readDefault);
  return a;
}

LayerArg activationArg(std::optional<std::string> readDefault) {
  LayerArg a = stringArg("activation", ArgType::Activation, &LayerSpec::activation);
  if (readDefault) a.readDefault = *readDefault;
  a.choices = activationNames();
  return a;
}

LayerArg initializerArg(std::string key, std::string LayerSpec::*member, std::string readDefault) {
  LayerArg a = stringArg(std::move(key), ArgType::Initializer, member);
  a.choices = initializerNames();
  a.omitWhen = readDefault;
  a.readDefault = std::move(readDefault);
  return a;
}

LayerArg storedNumberArg(std::string key, double lo, double hi, bool hiOpen, double readDefault) {
  LayerArg a;
  a.key = key;
  a.type = ArgType::Number;
  a.readDefault = readDefault;
  a.lo = lo;
  a.hi = hi;
  a.hiOpen = hiOpen;
  a.get = [key, readDefault](const LayerSpec& l) {
    const auto it = l.values.find(key);
    return ArgValue(it == l.values.end() ? readDefault : it->second);
  };
  a.set = [key](LayerSpec& l, const ArgValue& v) { l.values[key] = std::get<double>(v); };
  return a;
}

LayerArg storedChoiceArg(std::string key, std::vector<std::string> choices, std::string readDefault) {
  LayerArg a;
  a.key = key;
  a.type = ArgType::Choice;
  a.choices = std::move(choices);
  a.readDefault = readDefault;
  a.get = [key, readDefault](const LayerSpec& l) {
    const auto it = l.texts.find(key);
    return ArgValue(it == l.texts.end() ? readDefault : it->second);
  };
  a.set = [key](LayerSpec& l, const ArgValue& v) { l.texts[key] = std::get<std::string>(v); };
  return a;
}

LayerArg storedBoolArg(std::string key, bool readDefault) {
  LayerArg a;
  a.key = key;
  a.type = ArgType::Bool;
  a.readDefault = readDefault;
  a.get = [key, readDefault](const LayerSpec& l) { return ArgValue(storedNumber(l, key, readDefault) != 0.0); };
  a.set = [key](LayerSpec& l, const ArgValue& v) { l.values[key] = std::get<bool>(v) ? 1.0 : 0.0; };
  return a;
}

LayerArg storedInitializerArg(std::string key, std::string readDefault) {
  LayerArg a;
  a.key = key;
  a.type = ArgType::Initializer;
  a.choices = initializerNames();
  a.omitWhen = readDefault;
  a.readDefault = readDefault;
  a.get = [key, readDefault](const LayerSpec& l) { return ArgValue(storedText(l, key, readDefault)); };
  a.set = [key](LayerSpec& l, const ArgValue& v) { l.texts[key] = std::get<std::string>(v); };
  return a;
}

double storedNumber(const LayerSpec& l, const std::string& key, double fallback) {
  const auto it = l.values.find(key);
  return it == l.values.end() ? fallback : it->second;
}

std::string storedText(const LayerSpec& l, const std::string& key, const std::string& fallback) {
  const auto it = l.texts.find(key);
  return it == l.texts.end() ? fallback : it->second;
}

LayerArg rangeArg(std::string key, double lo, double hi, bool nullable, std::string automaticText) {
  LayerArg a;
  a.key = key;
  a.type = ArgType::Range;
  a.lo = lo;
  a.hi = hi;
  a.nullable = nullable;
  if (nullable) {
    a.readDefault = kAutomaticRange;
    a.omitWhen = kAutomaticRange;  // Keras's default None: the script leaves it out
    a.automaticText = std::move(automaticText);
  }
  const std::string lower = key + ".lower", upper = key + ".upper";
  const FactorRange fallback = nullable ? kAutomaticRange : FactorRange{};
  a.get = [lower, upper, fallback](const LayerSpec& l) {
    const auto lo = l.values.find(lower), hi = l.values.find(upper);
    if (lo == l.values.end() || hi == l.values.end()) return ArgValue(fallback);
    return ArgValue(FactorRange{lo->second, hi->second});
  };
  a.set = [lower, upper](LayerSpec& l, const ArgValue& v) {
    const auto& r = std::get<FactorRange>(v);
    l.values[lower] = r.lower;
    l.values[upper] = r.upper;
  };
  return a;
}

std::vector<LayerArg> weightArgs() {
  LayerArg useBias = boolArg("use_bias", &LayerSpec::useBias, true);
  useBias.omitWhen = true;
  return {useBias, initializerArg("kernel_initializer", &LayerSpec::kernelInitializer, "glorot_uniform"),
          initializerArg("bias_initializer", &LayerSpec::biasInitializer, "zeros")};
}

// ---------------------------------------------------------------------------------------------
// Shared checks

namespace {
bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
}  // namespace

std::string activationProblem(const LayerSpec& l) {
  if (!contains(activationNames(), l.activation))
    return "unknown activation '" + l.activation + "' (known: linear, relu, tanh, sigmoid, softmax)";
  return {};
}

std::string initializerProblem(const LayerSpec& l) {
  for (const std::string* init : {&l.kernelInitializer, &l.biasInitializer})
    if (!contains(initializerNames(), *init)) return "unknown initializer '" + *init + "'";
  return {};
}

std::string paddingProblem(const LayerSpec& l) {
  if (l.padding != "valid" && l.padding != "same") return "padding must be 'valid' or 'same', not '" + l.padding + "'";
  return {};
}

int convOutputSize(int in, int kernel, int stride, bool same) {
  return same ? (in + stride - 1) / stride : (in - kernel) / stride + 1;
}

std::string dims2(int a, int b) { return std::to_string(a) + "x" + std::to_string(b); }

}  // namespace dl
