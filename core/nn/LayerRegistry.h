#pragma once
// The layer registry: one descriptor per layer kind, the one place that says what a kind is.
//
// A descriptor (LayerKindInfo) holds the kind's Keras class name, its arguments (LayerArg: Keras
// key, type, default, range, and where the value lives in a LayerSpec), its output-shape and
// parameter-count rule, its factory, its diagram colour and what the builder adds. Everything that
// used to switch on LayerKind reads it instead: the JSON readers validate the arguments it lists
// and the writers write them, analyze() calls its rule, makeLayer() its factory, the Keras script
// and the diagram, the palette and the property editor ask it. Plain C++: no Qt here.
//
// Adding a kind: docs/adding-a-layer.md. In short, the layer class (nn/XLayer.h/.cpp), its
// descriptor (nn/layers/XKind.cpp, a function returning a LayerKindInfo), one enumerator in
// LayerKind and one line in LayerRegistry.cpp's list.

#include "nn/Layer.h"
#include "nn/ModelSpec.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace dl {

// How an argument is read, checked, written and edited.
enum class ArgType {
  Int,          // a whole number from lo to hi: units, filters
  IntPair,      // Keras's int-or-tuple (5 or [5, 5]), each from lo to hi: kernel_size, strides
  Number,       // a number from lo to below hi (hiOpen) or to hi: rate
  Bool,         // use_bias
  Choice,       // one of `choices`, read case-insensitively: padding
  Activation,   // one of activationNames(); null reads as "linear" (Keras's activation=None)
  Initializer,  // one of initializerNames(), or a Keras initializer object
  // Keras's "float or (lower, upper) tuple" factor of the augmentation layers: f reads as
  // (-|f|, |f|), a list of two is sorted; each bound from lo to hi. RandomRotation's factor.
  Range,
};

// A Range argument's value: what Keras keeps as (lower, upper) after _set_factor.
struct FactorRange {
  double lower = 0, upper = 0;
  // Keras's single-float form f stands for (-f, f): written back as that one number.
  bool symmetric() const { return lower == -upper && upper >= 0; }
  bool operator==(const FactorRange&) const = default;
};

using ArgValue = std::variant<bool, int, double, std::pair<int, int>, std::string, FactorRange>;

// One argument of a layer kind, by its Keras name.
struct LayerArg {
  std::string key;  // "units", "kernel_size"
  ArgType type = ArgType::Int;
  // What a reader takes when the key is absent (or null); nullopt: the argument is required.
  std::optional<ArgValue> readDefault;
  double lo = 0, hi = 0;             // Int, IntPair, Number
  bool hiOpen = false;               // Number: hi itself is refused ("from 0 to below 1")
  std::vector<std::string> choices;  // Choice
  // Absent or null means "automatic" and reads as readDefault (a value outside lo..hi, shown
  // by the property editor as `automaticText`); DigitLab's form writes it back as null, Keras's
  // forms write kerasValue (MaxPooling2D's strides: null = the pool size).
  bool nullable = false;
  std::string automaticText;
  // DigitLab's form and the Keras script leave the argument out at this value (use_bias=True,
  // the default initializers), as a Keras user would.
  std::optional<ArgValue> omitWhen;
  // The Keras script passes it first, without its key: Dense(10, ...), Dropout(0.5).
  bool positional = false;

  std::function<ArgValue(const LayerSpec&)> get;
  std::function<void(LayerSpec&, const ArgValue&)> set;
  // The value as Keras writes it when it differs from get (nullable arguments resolved).
  std::function<ArgValue(const LayerSpec&)> kerasValue;

  ArgValue kerasGet(const LayerSpec& l) const { return kerasValue ? kerasValue(l) : get(l); }
};

// A Keras argument with one value DigitLab supports: Keras's writer writes it, the readers accept
// only that value (a null `value`: only null), with `unsupported` naming the feature otherwise
// ("grouped convolution"). `ignoredOnRead`: any value is accepted and changes nothing (seeds).
struct KerasFixedArg {
  std::string key;
  std::optional<ArgValue> value;  // nullopt: null
  std::string unsupported;
  bool ignoredOnRead = false;
};

struct LayerKindInfo {
  LayerKind kind = LayerKind::Dense;
  std::string className;             // Keras's class name: "MaxPooling2D"
  std::vector<std::string> aliases;  // other Keras names read as this kind: "MaxPool2D"
  std::string stem;                  // Keras's automatic layer-name stem: "max_pooling2d"
  std::string description;           // one line for the palette's tooltip (English; the UI translates)
  uint32_t color = 0x757575;         // the diagram's title colour (and the palette's icon), 0xRRGGBB

  std::vector<LayerArg> args;  // in the order of the Keras script call and the property editor
  // A kernel and a bias: Keras's regularizers, constraints, quantization and LoRA must be off.
  bool hasWeights = false;
  // Works on images (channels_last): Keras's data_format is read and written.
  bool imageLayout = false;
  // Without any input shape in a file, a model starting with this kind reads images (28, 28, 1).
  bool imageInputByDefault = false;
  // A data augmentation layer (random transforms in training, the identity otherwise): the
  // builder previews what it does to training digits.
  bool augmentation = false;
  std::vector<KerasFixedArg> kerasFixed;
  // How many of the layer's parameters (part of infer's count) are non-trainable weights
  // (BatchNormalization's moving statistics), for one per-sample input shape; unset: none.
  std::function<int64_t(const LayerSpec&, const Shape& in)> nonTrainableParams;

  // Output shape and parameter count for one per-sample input shape; returns why the layer
  // cannot work there ("Dense needs a flat input ..."), or "" with *out and *params set.
  std::function<std::string(const LayerSpec&, const Shape& in, Shape* out, int64_t* params)> infer;
  // The layer a spec describes, not yet built; `seed` seeds randomness drawn while training.
  std::function<std::unique_ptr<Layer>(const LayerSpec&, uint64_t seed)> make;
  // What the model builder adds (Dense 64 relu, Conv2D 32 3x3 relu, ...).
  std::function<LayerSpec()> newLayer;

  const LayerArg* arg(std::string_view key) const;
  // The layer's constructor call in a Keras script, with every argument the spec sets:
  //   layers.Dense(200, activation="tanh", bias_initializer="ones", name="dense")
  std::string kerasCall(const LayerSpec& layer, const std::string& name) const;
};

// Every registered kind, in the palette's order.
const std::vector<LayerKindInfo>& layerKinds();
// The descriptor of a kind (every LayerKind is registered).
const LayerKindInfo& layerKindInfo(LayerKind kind);
// The descriptor whose class name or alias is `className`, or nullptr.
const LayerKindInfo* findLayerKind(std::string_view className);
// "Dense, Dropout, Conv2D, ..." for messages.
std::string layerKindList();

// Python literals as the Keras script writes them: 0.2, 1e-07, 1.0 (repr of a float) and "text".
std::string pythonNumber(double v);
std::string pythonString(const std::string& s);

// ---------------------------------------------------------------------------------------------
// Building blocks for descriptors (nn/layers/*Kind.cpp).

// An argument stored in a LayerSpec member.
LayerArg intArg(std::string key, int LayerSpec::*member, int lo, int hi, std::optional<int> readDefault);
LayerArg pairArg(std::string key, int LayerSpec::*first, int LayerSpec::*second, int lo, int hi,
                 std::optional<std::pair<int, int>> readDefault);
LayerArg numberArg(std::string key, double LayerSpec::*member, double lo, double hi, bool hiOpen,
                   std::optional<double> readDefault);
LayerArg boolArg(std::string key, bool LayerSpec::*member, bool readDefault);
LayerArg choiceArg(std::string key, std::string LayerSpec::*member, std::vector<std::string> choices,
                   std::string readDefault);
LayerArg activationArg(std::optional<std::string> readDefault);
LayerArg initializerArg(std::string key, std::string LayerSpec::*member, std::string readDefault);
// An argument of a kind without a LayerSpec member of its own: kept in LayerSpec::values
// (numbers and flags) or LayerSpec::texts (strings) under its key.
LayerArg storedNumberArg(std::string key, double lo, double hi, bool hiOpen, double readDefault);
LayerArg storedChoiceArg(std::string key, std::vector<std::string> choices, std::string readDefault);
LayerArg storedBoolArg(std::string key, bool readDefault);                // values: 0 or 1
LayerArg storedInitializerArg(std::string key, std::string readDefault);  // texts
// A stored argument's value as the kind's descriptor reads it (its default when the spec has none).
double storedNumber(const LayerSpec& l, const std::string& key, double fallback);
std::string storedText(const LayerSpec& l, const std::string& key, const std::string& fallback);
// A Range argument kept in LayerSpec::values under "<key>.lower" and "<key>.upper". nullable: an
// absent or null value means "automatic" (RandomZoom's width_factor: the same as height), kept as
// kAutomaticRange and shown as `automaticText`.
inline constexpr FactorRange kAutomaticRange{-2.0, -2.0};
LayerArg rangeArg(std::string key, double lo, double hi, bool nullable = false, std::string automaticText = {});
// use_bias, kernel_initializer and bias_initializer, as Dense and Conv2D have them.
std::vector<LayerArg> weightArgs();

// Shared checks for infer rules; each returns "" or the problem.
std::string activationProblem(const LayerSpec& l);
std::string initializerProblem(const LayerSpec& l);
std::string paddingProblem(const LayerSpec& l);
// Keras's output size along one axis (keras/src/ops/operation_utils.py): valid
// floor((in - k) / s) + 1, same ceil(in / s).
int convOutputSize(int in, int kernel, int stride, bool same);
// "5x5"
std::string dims2(int a, int b);

}  // namespace dl
