// The arguments RandomRotation, RandomTranslation and RandomZoom share (ImageAugmentArgs.h).

#include "nn/layers/ImageAugmentArgs.h"

#include <cmath>

namespace dl::augment {

LayerArg factorArg(std::string key, bool nullable, std::string automaticText) {
  return rangeArg(std::move(key), -1.0, 1.0, nullable, std::move(automaticText));
}

std::vector<LayerArg> fillArgs() {
  LayerArg fill = storedChoiceArg("fill_mode", {"reflect", "wrap", "nearest", "constant"}, "reflect");
  fill.omitWhen = std::string("reflect");
  LayerArg interp = storedChoiceArg("interpolation", {"nearest", "bilinear"}, "bilinear");
  interp.omitWhen = std::string("bilinear");
  LayerArg value = storedNumberArg("fill_value", -1e6, 1e6, false, 0.0);
  value.omitWhen = 0.0;
  return {fill, interp, value};
}

std::vector<KerasFixedArg> fixedArgs() { return {{"seed", std::nullopt, "", true}}; }

FactorRange range(const LayerSpec& l, const char* key) {
  const auto lo = l.values.find(std::string(key) + ".lower"), hi = l.values.find(std::string(key) + ".upper");
  if (lo == l.values.end() || hi == l.values.end()) return kAutomaticRange;
  return {lo->second, hi->second};
}

namespace {
std::string text(const LayerSpec& l, const char* key, const char* def) {
  const auto it = l.texts.find(key);
  return it == l.texts.end() ? def : it->second;
}
std::string numberText(double v) {
  std::string s = std::to_string(v);
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}
}  // namespace

FillMode fillMode(const LayerSpec& l) { return fillModeFromName(text(l, "fill_mode", "reflect")); }
Interpolation interpolation(const LayerSpec& l) { return interpolationFromName(text(l, "interpolation", "bilinear")); }
double fillValue(const LayerSpec& l) {
  const auto it = l.values.find("fill_value");
  return it == l.values.end() ? 0.0 : it->second;
}

std::string problem(const LayerKindInfo& kind, const LayerSpec& l, const Shape& in) {
  for (const LayerArg& a : kind.args) {
    if (a.type != ArgType::Range) continue;
    const FactorRange r = std::get<FactorRange>(a.get(l));
    if (a.nullable && r == kAutomaticRange) continue;
    if (!(r.lower >= a.lo && r.upper <= a.hi && r.lower <= r.upper))
      return a.key +
             " must be a number from -1 to 1 or a (lower, upper) pair of such numbers with lower <= upper (is (" +
             numberText(r.lower) + ", " + numberText(r.upper) + "))";
  }
  try {
    fillMode(l);
    interpolation(l);
  } catch (const SpecError& e) {
    return e.what();
  }
  if (!std::isfinite(fillValue(l))) return "fill_value must be a finite number";
  if (in.size() != 3)
    return kind.className + " needs an image input (height, width, channels) but gets " + shapeToString(in) +
           "; put it before the Flatten layer";
  return {};
}

void completeImageKind(LayerKindInfo& k) {
  for (LayerArg& a : fillArgs()) k.args.push_back(std::move(a));
  k.imageLayout = true;
  k.imageInputByDefault = true;
  k.augmentation = true;
  k.kerasFixed = fixedArgs();
  k.infer = [kind = k.kind](const LayerSpec& l, const Shape& in, Shape* out, int64_t*) -> std::string {
    if (auto e = problem(layerKindInfo(kind), l, in); !e.empty()) return e;
    *out = in;
    return {};
  };
}

LayerSpec newLayer(LayerKind kind) {
  LayerSpec l;
  l.kind = kind;
  // Every argument set (as reading a file sets them), so that a layer read back compares equal.
  for (const LayerArg& a : layerKindInfo(kind).args)
    if (a.readDefault) a.set(l, *a.readDefault);
  l.texts["fill_mode"] = "constant";
  return l;
}

}  // namespace dl::augment
