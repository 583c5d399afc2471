// ModelSpec <-> JSON: DigitLab's spec format and Keras 2/3 model.to_json() output in, DigitLab's
// format and Keras 3's to_json() form out. Parsing is strict: every value is type- and
// range-checked, and anything DigitLab cannot honour is refused with the layer and the argument
// named (see ModelSpecJson.h).

#include "model/ModelSpecJson.h"

#include "nn/ModelAnalysis.h"

#include <QByteArray>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QSet>
#include <QString>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <utility>

namespace dl {

namespace {

constexpr int kMaxLayers = 4096;
constexpr qint64 kMaxSpecFileBytes = 16 << 20;
// 2^31 - 1: what the app's seed box, `train --seed` and numpy's seed (Keras's set_random_seed) all take.
constexpr double kMaxSeed = 2147483647.0;

QString qs(const char* s) { return QString::fromLatin1(s); }
QString qs(const std::string& s) { return QString::fromStdString(s); }

// Shortest text that reads back as the same double ("0.2", "784", "1e-07").
std::string numberText(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// A JSON value as an error message shows it: 1e+12, true, null, the string "200", a list.
std::string describe(const QJsonValue& v) {
  switch (v.type()) {
    case QJsonValue::Null: return "null";
    case QJsonValue::Bool: return v.toBool() ? "true" : "false";
    case QJsonValue::Double: return numberText(v.toDouble());
    case QJsonValue::String: {
      std::string s = v.toString().toStdString();
      if (s.size() > 40) s = s.substr(0, 40) + "...";
      return "the string \"" + s + "\"";
    }
    case QJsonValue::Array: return "a list";
    case QJsonValue::Object: return "an object";
    case QJsonValue::Undefined: return "nothing";
  }
  return "?";
}

bool isWhole(double v) { return std::isfinite(v) && v == std::floor(v); }

// Keras keeps optimizer settings in float32 variables and serializes 1e-4 as
// 9.999999747378752e-05: a value that is exactly a float32 is read as that float's shortest
// decimal (1e-4), which is what the user typed.
double tidyFloat32(double v) {
  const float f = float(v);
  if (!std::isfinite(v) || double(f) != v) return v;
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, f);
  double d = v;
  std::from_chars(buf, r.ptr, d);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Reading: one JSON object's arguments, each read once with its type and range checked. Keys
// never read are refused by finish() unless they are null (null means "feature off" in Keras).

class Args {
 public:
  Args(QJsonObject obj, std::string where) : m_obj(std::move(obj)), m_where(std::move(where)) {}

  const std::string& where() const { return m_where; }
  [[noreturn]] void fail(const std::string& what) const { throw SpecError(m_where + ": " + what); }

  // Present and not null.
  bool has(const char* key) const {
    const QJsonValue v = m_obj.value(QLatin1String(key));
    return !v.isUndefined() && !v.isNull();
  }
  QJsonValue take(const char* key) {
    m_used.insert(qs(key));
    return m_obj.value(QLatin1String(key));
  }
  void ignore(const char* key) { m_used.insert(qs(key)); }

  int integer(const char* key, int lo, int hi, std::optional<int> def = std::nullopt) {
    const QJsonValue v = take(key);
    if (v.isUndefined() || v.isNull()) {
      if (def) return *def;
      fail(std::string("'") + key + "' is missing");
    }
    return checkInteger(key, v, lo, hi);
  }
  int checkInteger(const std::string& key, const QJsonValue& v, int lo, int hi) const {
    const double d = v.toDouble();
    if (!v.isDouble() || !isWhole(d) || d < lo || d > hi)
      fail("'" + key + "' must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
           ", not " + describe(v));
    return int(d);
  }

  // A number accepted by ok(); `expected` says what that means ("a number from 0 to below 1").
  double number(const char* key, bool (*ok)(double), const char* expected, std::optional<double> def) {
    const QJsonValue v = take(key);
    if (v.isUndefined() || v.isNull()) {
      if (def) return *def;
      fail(std::string("'") + key + "' is missing");
    }
    if (!v.isDouble() || !std::isfinite(v.toDouble()) || !ok(v.toDouble()))
      fail(std::string("'") + key + "' must be " + expected + ", not " + describe(v));
    return v.toDouble();
  }

  std::string string(const char* key, std::optional<std::string> def = std::nullopt) {
    const QJsonValue v = take(key);
    if (v.isUndefined() || v.isNull()) {
      if (def) return *def;
      fail(std::string("'") + key + "' is missing");
    }
    if (!v.isString()) fail(std::string("'") + key + "' must be a string, not " + describe(v));
    return v.toString().toStdString();
  }

  bool boolean(const char* key, bool def) {
    const QJsonValue v = take(key);
    if (v.isUndefined() || v.isNull()) return def;
    if (!v.isBool()) fail(std::string("'") + key + "' must be true or false, not " + describe(v));
    return v.toBool();
  }

  // Keras's int-or-tuple arguments (kernel_size, strides, pool_size): 5 or [5, 5].
  std::optional<std::pair<int, int>> pair(const char* key, int lo, int hi) {
    const QJsonValue v = take(key);
    if (v.isUndefined() || v.isNull()) return std::nullopt;
    if (v.isDouble()) {
      const int n = checkInteger(key, v, lo, hi);
      return std::make_pair(n, n);
    }
    if (v.isArray() && v.toArray().size() == 2) {
      const QJsonArray a = v.toArray();
      return std::make_pair(checkInteger(key, a[0], lo, hi), checkInteger(key, a[1], lo, hi));
    }
    fail(std::string("'") + key + "' must be a whole number or a list of two, not " + describe(v));
  }

  // An argument DigitLab has no equivalent for: only null (or absent) is accepted.
  void mustBeNull(const char* key, const std::string& what) {
    const QJsonValue v = take(key);
    if (!v.isUndefined() && !v.isNull())
      fail(what + " is not supported ('" + key + "' is " + describe(v) + "; it must be null)");
  }

  // Refuses every key not read that holds something other than null.
  void finish() const {
    for (auto it = m_obj.begin(); it != m_obj.end(); ++it) {
      if (m_used.contains(it.key()) || it.value().isNull()) continue;
      fail("unknown argument '" + it.key().toStdString() + "' (" + describe(it.value()) +
           "): DigitLab does not support it");
    }
  }

 private:
  QJsonObject m_obj;
  std::string m_where;
  QSet<QString> m_used;
};

// ---------------------------------------------------------------------------------------------
// Names

struct InitializerName {
  const char* snake;   // DigitLab's and Keras's string form
  const char* keras;   // Keras class name
};
constexpr InitializerName kInitializers[] = {
    {"zeros", "Zeros"},
    {"ones", "Ones"},
    {"glorot_uniform", "GlorotUniform"},
    {"glorot_normal", "GlorotNormal"},
    {"he_normal", "HeNormal"},
    {"he_uniform", "HeUniform"},
    {"lecun_normal", "LecunNormal"},
    {"lecun_uniform", "LecunUniform"},
    {"random_normal", "RandomNormal"},
    {"random_uniform", "RandomUniform"},
};

// The snake name of an initializer string or class name (aliases as Keras resolves them, see
// keras/src/initializers/__init__.py), or "" if DigitLab does not know it.
std::string initializerSnake(const std::string& name) {
  for (const auto& i : kInitializers)
    if (name == i.snake || name == i.keras) return i.snake;
  if (name == "one") return "ones";
  if (name == "zero") return "zeros";
  if (name == "uniform") return "random_uniform";
  if (name == "normal") return "random_normal";
  return {};
}

const char* initializerKeras(const std::string& snake) {
  for (const auto& i : kInitializers)
    if (snake == i.snake) return i.keras;
  return nullptr;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

bool near(double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b)); }

// VarianceScaling(scale, mode, distribution) as one of the named initializers, or "".
std::string varianceScalingName(double scale, const std::string& mode, std::string distribution) {
  if (distribution == "normal") distribution = "truncated_normal";  // Keras 2's legacy spelling
  struct Row {
    double scale;
    const char* mode;
    const char* distribution;
    const char* name;
  };
  static constexpr Row rows[] = {
      {1, "fan_avg", "uniform", "glorot_uniform"},       {1, "fan_avg", "truncated_normal", "glorot_normal"},
      {2, "fan_in", "truncated_normal", "he_normal"},     {2, "fan_in", "uniform", "he_uniform"},
      {1, "fan_in", "truncated_normal", "lecun_normal"}, {1, "fan_in", "uniform", "lecun_uniform"},
  };
  for (const Row& r : rows)
    if (near(scale, r.scale) && mode == r.mode && distribution == r.distribution) return r.name;
  return {};
}

std::string parseInitializer(Args& a, const char* key, const std::string& def) {
  const QJsonValue v = a.take(key);
  if (v.isUndefined()) return def;
  const std::string known = "known: " + joined(initializerNames());
  if (v.isString()) {
    const std::string name = v.toString().toStdString();
    const std::string snake = initializerSnake(name);
    if (snake.empty()) a.fail(std::string(key) + " '" + name + "' is not supported (" + known + ")");
    return snake;
  }
  if (!v.isObject()) a.fail(std::string("'") + key + "' must be an initializer name or object, not " + describe(v));
  const QJsonObject obj = v.toObject();
  Args outer(obj, a.where() + ": " + key);
  const std::string cls = outer.string("class_name");
  outer.ignore("module");
  outer.ignore("registered_name");
  const QJsonValue cfgValue = outer.take("config");
  outer.finish();
  if (!cfgValue.isUndefined() && !cfgValue.isNull() && !cfgValue.isObject())
    outer.fail("'config' must be an object, not " + describe(cfgValue));
  Args cfg(cfgValue.toObject(), a.where() + ": " + key + " " + cls);
  cfg.ignore("seed");  // DigitLab draws with its own generator (Model's seed)
  std::string snake;
  if (cls == "VarianceScaling") {
    const double scale = cfg.number("scale", [](double x) { return x > 0; }, "a positive number", 1.0);
    const std::string mode = cfg.string("mode", std::string("fan_in"));
    const std::string distribution = cfg.string("distribution", std::string("truncated_normal"));
    snake = varianceScalingName(scale, mode, distribution);
    if (snake.empty())
      cfg.fail("VarianceScaling(scale=" + numberText(scale) + ", mode='" + mode + "', distribution='" +
               distribution + "') is not one of the initializers DigitLab supports (" + known + ")");
  } else {
    snake = initializerSnake(cls);
    if (snake.empty()) outer.fail("initializer '" + cls + "' is not supported (" + known + ")");
    // Keras's defaults are all DigitLab implements: other values would be silently different.
    auto fixed = [&](const char* k, double expected) {
      const double x = cfg.number(k, [](double) { return true; }, "a number", expected);
      if (!near(x, expected))
        cfg.fail("'" + std::string(k) + "' = " + numberText(x) + " is not supported (DigitLab's " + cls +
                 " uses Keras's default " + numberText(expected) + ")");
    };
    if (snake == "random_normal") {
      fixed("mean", 0.0);
      fixed("stddev", 0.05);
    } else if (snake == "random_uniform") {
      fixed("minval", -0.05);
      fixed("maxval", 0.05);
    }
  }
  cfg.finish();
  return snake;
}

std::string parseActivation(Args& a, const char* key, std::optional<std::string> def) {
  const QJsonValue v = a.take(key);
  if (v.isNull() && !v.isUndefined()) return "linear";  // Keras: activation=None is linear
  if (v.isUndefined()) {
    if (def) return *def;
    a.fail(std::string("'") + key + "' is missing");
  }
  if (!v.isString()) a.fail(std::string("'") + key + "' must be an activation name, not " + describe(v));
  const std::string name = v.toString().toStdString();
  const auto& known = activationNames();
  if (std::find(known.begin(), known.end(), name) == known.end())
    a.fail("activation '" + name + "' is not supported (known: " + joined(known) + ")");
  return name;
}

std::string parsePadding(Args& a) {
  std::string p = a.string("padding", std::string("valid"));
  std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (p != "valid" && p != "same") a.fail("padding '" + p + "' is not supported (use 'valid' or 'same')");
  return p;
}

void parseDataFormat(Args& a) {
  const std::string f = a.string("data_format", std::string("channels_last"));
  if (f != "channels_last")
    a.fail("data_format '" + f + "' is not supported (DigitLab images are channels_last, as Keras's default)");
}

// float32 as a string, or a DTypePolicy / Policy object named float32.
void parseDtype(Args& a) {
  const QJsonValue v = a.take("dtype");
  if (v.isUndefined() || v.isNull()) return;
  std::string name;
  if (v.isString()) {
    name = v.toString().toStdString();
  } else if (v.isObject()) {
    const QJsonObject cfg = v.toObject().value(QLatin1String("config")).toObject();
    const QJsonValue n = cfg.value(QLatin1String("name"));
    if (!n.isString()) a.fail("'dtype' must be \"float32\" or a DTypePolicy object, not " + describe(v));
    name = n.toString().toStdString();
  } else {
    a.fail("'dtype' must be \"float32\" or a DTypePolicy object, not " + describe(v));
  }
  if (name != "float32") a.fail("dtype '" + name + "' is not supported (DigitLab computes in float32)");
}

// The name of a layer or model: a string without path separators or control characters.
std::string parseName(Args& a, const char* key, const std::string& def) {
  const std::string n = a.string(key, def);
  if (const std::string why = nameProblem(n); !why.empty()) a.fail("'" + std::string(key) + "' \"" + n + "\" " + why);
  return n;
}

// ---------------------------------------------------------------------------------------------
// Input shapes: every place a Keras config may state the input shape must agree.

struct InputShape {
  std::optional<Shape> shape;
  std::string from;

  void set(const Args& a, const Shape& s, const std::string& where) {
    if (shape && *shape != s)
      a.fail("input shape " + shapeToString(s) + " from " + where + " contradicts " + shapeToString(*shape) +
             " from " + from);
    if (!shape) {
      shape = s;
      from = where;
    }
  }
};

// [null, 28, 28, 1] (withBatch) or [28, 28, 1].
Shape parseShape(const Args& a, const std::string& key, const QJsonValue& v, bool withBatch) {
  const std::string expected = withBatch ? "a list like [null, 28, 28, 1]" : "a list like [28, 28, 1]";
  if (!v.isArray()) a.fail("'" + key + "' must be " + expected + ", not " + describe(v));
  const QJsonArray arr = v.toArray();
  const int first = withBatch ? 1 : 0;
  if (arr.size() <= first || arr.size() > first + 3)
    a.fail("'" + key + "' must be " + expected + " with 1 to 3 dimensions besides the batch");
  if (withBatch && !arr[0].isNull()) a.checkInteger(key + "[0] (the batch size)", arr[0], 1, 1 << 30);
  Shape s;
  for (qsizetype i = first; i < arr.size(); ++i) {
    if (arr[i].isNull()) a.fail("'" + key + "' has a variable-size dimension (null); DigitLab needs fixed sizes");
    s.push_back(a.checkInteger(key + "[" + std::to_string(i) + "]", arr[i], 1, kMaxDim));
  }
  return s;
}

// batch_input_shape / batch_shape / input_shape / input_dim on a layer's config.
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

void parseInputLayer(Args& a, InputShape& in) {
  a.ignore("name");
  parseDtype(a);
  if (a.boolean("sparse", false)) a.fail("sparse inputs are not supported");
  if (a.boolean("ragged", false)) a.fail("ragged inputs are not supported");
  if (a.boolean("optional", false)) a.fail("optional inputs are not supported");
  a.mustBeNull("input_tensor", "an input tensor");
  bool any = false;
  for (const char* k : {"batch_shape", "batch_input_shape"}) {
    const QJsonValue v = a.take(k);
    if (v.isUndefined() || v.isNull()) continue;
    in.set(a, parseShape(a, k, v, true), a.where() + " '" + k + "'");
    any = true;
  }
  const QJsonValue shape = a.take("shape");  // hand-written InputLayer(shape=...)
  if (!shape.isUndefined() && !shape.isNull()) {
    in.set(a, parseShape(a, "shape", shape, false), a.where() + " 'shape'");
    any = true;
  }
  a.ignore("batch_size");
  if (!any) a.fail("an InputLayer needs 'batch_shape' (or 'batch_input_shape')");
  a.finish();
}

// Everything a layer's config holds, for every kind. `first`: the first layer after any
// InputLayer, which may carry the input shape.
LayerSpec parseLayer(LayerKind kind, Args& a, bool first, InputShape& in) {
  LayerSpec l;
  l.kind = kind;
  l.name = parseName(a, "name", "");
  if (!a.boolean("trainable", true)) a.fail("trainable=false (frozen layers) is not supported");
  parseDtype(a);
  parseLayerInputShape(a, first, in);
  a.ignore("batch_size");  // Keras 2 first layers may repeat the InputLayer's batch size

  auto weights = [&]() {
    l.useBias = a.boolean("use_bias", true);
    l.kernelInitializer = parseInitializer(a, "kernel_initializer", "glorot_uniform");
    l.biasInitializer = parseInitializer(a, "bias_initializer", "zeros");
    a.mustBeNull("kernel_regularizer", "a kernel regularizer");
    a.mustBeNull("bias_regularizer", "a bias regularizer");
    a.mustBeNull("activity_regularizer", "an activity regularizer");
    a.mustBeNull("kernel_constraint", "a kernel constraint");
    a.mustBeNull("bias_constraint", "a bias constraint");
    a.mustBeNull("quantization_config", "quantization");
    if (a.has("lora_rank") && a.integer("lora_rank", 0, 0, 0) != 0) a.fail("LoRA is not supported");
    a.ignore("lora_rank");
    a.ignore("lora_alpha");
  };

  switch (kind) {
    case LayerKind::Dense:
      l.units = a.integer("units", 1, kMaxDim);
      l.activation = parseActivation(a, "activation", std::string("linear"));
      weights();
      break;
    case LayerKind::Conv2D: {
      l.filters = a.integer("filters", 1, kMaxDim);
      const auto k = a.pair("kernel_size", 1, kMaxDim);
      if (!k) a.fail("'kernel_size' is missing");
      l.kernelH = k->first;
      l.kernelW = k->second;
      const auto s = a.pair("strides", 1, kMaxDim).value_or(std::make_pair(1, 1));
      l.strideH = s.first;
      l.strideW = s.second;
      l.padding = parsePadding(a);
      parseDataFormat(a);
      const auto d = a.pair("dilation_rate", 1, kMaxDim).value_or(std::make_pair(1, 1));
      if (d != std::make_pair(1, 1))
        a.fail("dilation_rate " + std::to_string(d.first) + "x" + std::to_string(d.second) +
               " is not supported (only 1)");
      if (a.integer("groups", 1, kMaxDim, 1) != 1) a.fail("grouped convolution (groups != 1) is not supported");
      l.activation = parseActivation(a, "activation", std::string("linear"));
      weights();
      break;
    }
    case LayerKind::MaxPooling2D: {
      const auto p = a.pair("pool_size", 1, kMaxDim).value_or(std::make_pair(2, 2));
      l.poolH = p.first;
      l.poolW = p.second;
      const auto s = a.pair("strides", 1, kMaxDim).value_or(std::make_pair(0, 0));  // 0: the pool size
      l.strideH = s.first;
      l.strideW = s.second;
      l.padding = parsePadding(a);
      parseDataFormat(a);
      break;
    }
    case LayerKind::Dropout:
      l.rate = a.number("rate", [](double r) { return r >= 0 && r < 1; }, "a number from 0 to below 1", std::nullopt);
      a.mustBeNull("noise_shape", "a noise_shape");
      a.ignore("seed");  // DigitLab's dropout masks follow the Model's seed
      break;
    case LayerKind::Flatten:
      parseDataFormat(a);
      break;
    case LayerKind::Activation:
      l.activation = parseActivation(a, "activation", std::nullopt);
      break;
  }
  a.finish();
  return l;
}

// ---------------------------------------------------------------------------------------------
// Training settings

// keras: the settings come from Keras (float32 values are tidied, see tidyFloat32).
OptimizerSpec parseOptimizer(const QJsonValue& v, const std::string& where, bool keras) {
  OptimizerSpec o;
  auto tidy = [keras](double x) { return keras ? tidyFloat32(x) : x; };
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
  };
  auto setType = [&](const std::string& cls) {
    const std::string t = lower(cls);
    if (t != "sgd" && t != "adam")
      throw SpecError(where + ": optimizer '" + cls + "' is not supported (DigitLab knows SGD and Adam)");
    o.type = t;
    o.learningRate = t == "adam" ? 0.001 : 0.01;  // Keras's defaults
  };
  if (v.isString()) {
    setType(v.toString().toStdString());
    return o;
  }
  if (!v.isObject()) throw SpecError(where + ": 'optimizer' must be \"sgd\", \"adam\" or an object, not " + describe(v));
  QJsonObject obj = v.toObject();
  Args outer(obj, where + ": optimizer");
  const std::string cls = outer.string("class_name");
  setType(cls);
  const QJsonValue cfgValue = obj.value(QLatin1String("config"));
  std::optional<Args> kerasArgs;
  if (cfgValue.isObject()) {  // Keras form: {"class_name": "SGD", "config": {...}}
    outer.ignore("config");
    outer.ignore("module");
    outer.ignore("registered_name");
    outer.finish();
    kerasArgs.emplace(cfgValue.toObject(), where + ": optimizer " + cls);
  }
  Args& a = kerasArgs ? *kerasArgs : outer;

  a.ignore("name");
  const QJsonValue lr = a.take("learning_rate");
  const QJsonValue legacyLr = a.take("lr");  // Keras 2 legacy optimizers
  const QJsonValue rate = lr.isUndefined() || lr.isNull() ? legacyLr : lr;
  if (rate.isObject()) a.fail("learning-rate schedules are not supported (give a number)");
  if (!rate.isUndefined() && !rate.isNull()) {
    // The same range as the app's learning-rate box and `train --lr`: a file never loses its rate.
    if (!rate.isDouble() || !(rate.toDouble() >= 1e-12 && rate.toDouble() <= 1e6))
      a.fail("'learning_rate' must be a number from 1e-12 to 1e6, not " + describe(rate));
    o.learningRate = tidy(rate.toDouble());
  }
  if (o.type == "sgd") {
    o.momentum =
        tidy(a.number("momentum", [](double m) { return m >= 0 && m < 1; }, "a number from 0 to below 1", 0.0));
    o.nesterov = a.boolean("nesterov", false);
  } else {
    auto unit = [](double b) { return b >= 0 && b < 1; };
    o.beta1 = tidy(a.number("beta_1", unit, "a number from 0 to below 1", 0.9));
    o.beta2 = tidy(a.number("beta_2", unit, "a number from 0 to below 1", 0.999));
    o.epsilon = tidy(
        a.number("epsilon", [](double e) { return e > 0 && e <= 1; }, "a number above 0 and at most 1", 1e-7));
    if (a.boolean("amsgrad", false)) a.fail("amsgrad is not supported");
  }
  const QJsonValue wd = a.take("weight_decay");
  if (!wd.isUndefined() && !wd.isNull() && !(wd.isDouble() && wd.toDouble() == 0))
    a.fail("weight decay is not supported ('weight_decay' is " + describe(wd) + ")");
  const QJsonValue decay = a.take("decay");
  if (!decay.isUndefined() && !decay.isNull() && !(decay.isDouble() && decay.toDouble() == 0))
    a.fail("learning-rate decay is not supported ('decay' is " + describe(decay) + ")");
  a.mustBeNull("clipnorm", "gradient clipping");
  a.mustBeNull("global_clipnorm", "gradient clipping");
  a.mustBeNull("clipvalue", "gradient clipping");
  if (a.boolean("use_ema", false)) a.fail("weight averaging (use_ema) is not supported");
  a.ignore("ema_momentum");
  a.ignore("ema_overwrite_frequency");
  a.mustBeNull("loss_scale_factor", "loss scaling");
  if (a.has("gradient_accumulation_steps") && a.integer("gradient_accumulation_steps", 1, 1 << 20) != 1)
    a.fail("gradient accumulation is not supported");
  a.ignore("gradient_accumulation_steps");
  a.ignore("jit_compile");
  a.ignore("is_legacy_optimizer");
  a.finish();
  return o;
}

std::string parseLoss(const QJsonValue& v, const std::string& where) {
  const std::string known = "DigitLab knows categorical_crossentropy and sparse_categorical_crossentropy";
  if (v.isString()) {
    const std::string s = v.toString().toStdString();
    if (s == "categorical_crossentropy" || s == "CategoricalCrossentropy") return "categorical_crossentropy";
    if (s == "sparse_categorical_crossentropy" || s == "SparseCategoricalCrossentropy")
      return "sparse_categorical_crossentropy";
    throw SpecError(where + ": loss '" + s + "' is not supported (" + known + ")");
  }
  if (!v.isObject()) throw SpecError(where + ": 'loss' must be a loss name or object, not " + describe(v));
  Args outer(v.toObject(), where + ": loss");
  const std::string cls = outer.string("class_name");
  std::string loss;
  if (cls == "CategoricalCrossentropy") loss = "categorical_crossentropy";
  else if (cls == "SparseCategoricalCrossentropy") loss = "sparse_categorical_crossentropy";
  else outer.fail("loss '" + cls + "' is not supported (" + known + ")");
  outer.ignore("module");
  outer.ignore("registered_name");
  const QJsonValue cfgValue = outer.take("config");
  outer.finish();
  Args a(cfgValue.toObject(), where + ": loss " + cls);
  a.ignore("name");
  a.ignore("dtype");
  if (a.boolean("from_logits", false))
    a.fail("from_logits=true is not supported (DigitLab's models end in softmax and use probabilities)");
  const double smoothing = a.number("label_smoothing", [](double) { return true; }, "a number", 0.0);
  if (smoothing != 0) a.fail("label smoothing is not supported");
  if (a.integer("axis", -1, -1, -1) != -1) a.fail("'axis' must be -1");
  const std::string reduction = a.string("reduction", std::string("sum_over_batch_size"));
  if (reduction != "sum_over_batch_size" && reduction != "auto")
    a.fail("reduction '" + reduction + "' is not supported (DigitLab averages over the batch)");
  a.mustBeNull("ignore_class", "ignore_class");
  a.finish();
  return loss;
}

TrainingSpec parseTraining(Args& a) {
  TrainingSpec t;
  const QJsonValue opt = a.take("optimizer");
  if (!opt.isUndefined() && !opt.isNull()) t.optimizer = parseOptimizer(opt, a.where(), false);
  const QJsonValue loss = a.take("loss");
  if (!loss.isUndefined() && !loss.isNull()) t.loss = parseLoss(loss, a.where());
  t.batchSize = a.integer("batch_size", 1, 1 << 20, t.batchSize);
  t.epochs = a.integer("epochs", 1, 100000, t.epochs);
  t.validationSplit = a.number("validation_split", [](double v) { return v >= 0 && v < 1; },
                               "a number from 0 to below 1", t.validationSplit);
  // "validation": "none", "split" or "test"; files without it validate on the split if it is set.
  if (a.has("validation")) {
    const std::string v = a.string("validation");
    if (v == "test") {
      if (t.validationSplit > 0)
        a.fail("'validation_split' must be 0 with validation \"test\" (the test set validates), not " +
               describe(QJsonValue(t.validationSplit)));
      t.validateOnTestSet = true;
    } else if (v == "split") {
      if (!(t.validationSplit > 0)) a.fail("validation \"split\" needs a 'validation_split' above 0");
    } else if (v == "none") {
      if (t.validationSplit > 0)
        a.fail("'validation_split' must be 0 with validation \"none\", not " + describe(QJsonValue(t.validationSplit)));
    } else {
      a.fail("'validation' must be \"none\", \"split\" or \"test\", not " + describe(QJsonValue(QString::fromStdString(v))));
    }
  } else {
    a.ignore("validation");  // null: as if absent
  }
  t.seed = uint64_t(a.number("seed", [](double s) { return isWhole(s) && s >= 0 && s <= kMaxSeed; },
                             "a whole number from 0 to 2147483647", double(t.seed)));
  a.ignore("metrics");  // DigitLab always reports loss and accuracy
  a.finish();
  return t;
}

// Keras 3's compile_config: the optimizer and the loss.
void parseCompileConfig(const QJsonValue& v, const std::string& source, TrainingSpec& t) {
  if (!v.isObject()) throw SpecError(source + ": 'compile_config' must be an object, not " + describe(v));
  Args a(v.toObject(), source + ": compile_config");
  const QJsonValue opt = a.take("optimizer");
  if (!opt.isUndefined() && !opt.isNull()) t.optimizer = parseOptimizer(opt, a.where(), true);
  const QJsonValue loss = a.take("loss");
  if (!loss.isUndefined() && !loss.isNull()) t.loss = parseLoss(loss, a.where());
  a.mustBeNull("loss_weights", "loss weights");
  for (const char* k : {"metrics", "weighted_metrics", "run_eagerly", "steps_per_execution", "jit_compile",
                        "auto_scale_loss"})
    a.ignore(k);
  a.finish();
}

// ---------------------------------------------------------------------------------------------
// The layer list, shared by both formats.

// Keras's automatic name of the n-th (0-based) layer of a kind: dense, dense_1, ...
std::string automaticName(LayerKind kind, int n) {
  std::string name = layerKindStem(kind);
  if (n > 0) name.append("_").append(std::to_string(n));
  return name;
}

struct ParsedLayers {
  std::vector<LayerSpec> layers;
  InputShape input;
};

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

    LayerKind kind{};
    const bool knownKind = layerKindFromName(cls, &kind);
    std::string name = cfg.value(QLatin1String("name")).toString().toStdString();
    if (name.empty() && knownKind) {
      name = automaticName(kind, seen[kind]);
    }
    Args a(cfg, at + (name.empty() ? "" : " '" + name + "'") + " (" + cls + ")");
    if (cls == "InputLayer") {
      if (i != 0) a.fail("an InputLayer may only come first");
      parseInputLayer(a, out.input);
      continue;
    }
    if (!knownKind)
      a.fail("layer class '" + cls + "' is not supported (DigitLab knows Dense, Dropout, Conv2D, MaxPooling2D, " +
             "Flatten, Activation)");
    ++seen[kind];
    out.layers.push_back(parseLayer(kind, a, out.layers.empty(), out.input));
  }
  return out;
}

// The finished spec: input shape settled, names checked for uniqueness.
void finishSpec(ModelSpec& spec, ParsedLayers& p, const std::string& source, bool clearAutomaticNames) {
  spec.layers = std::move(p.layers);
  if (p.input.shape) {
    spec.inputShape = *p.input.shape;
  } else {
    const bool image = !spec.layers.empty() && (spec.layers[0].kind == LayerKind::Conv2D ||
                                                spec.layers[0].kind == LayerKind::MaxPooling2D);
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

ModelSpec parseKeras(const QJsonObject& top, const std::string& source) {
  Args t(top, source);
  const std::string cls = t.string("class_name");
  if (cls != "Sequential")
    t.fail("only Sequential models are supported, not '" + cls + "' (rebuild it as a keras.Sequential)");
  for (const char* k : {"module", "registered_name", "keras_version", "backend"}) t.ignore(k);
  const QJsonValue config = t.take("config");
  const QJsonValue buildConfig = t.take("build_config");
  const QJsonValue compile = t.take("compile_config");
  t.finish();

  ModelSpec spec;
  spec.training = TrainingSpec{};
  QJsonArray layers;
  InputShape input;
  if (config.isArray()) {  // Keras <= 2.2: "config" is the layer list itself
    layers = config.toArray();
  } else if (config.isObject()) {
    Args c(config.toObject(), source + ": config");
    spec.name = parseName(c, "name", "sequential");
    if (!c.boolean("trainable", true)) c.fail("trainable=false (a frozen model) is not supported");
    parseDtype(c);
    const QJsonValue l = c.take("layers");
    if (!l.isArray()) c.fail("'layers' must be a list, not " + describe(l));
    layers = l.toArray();
    const QJsonValue bis = c.take("build_input_shape");
    if (!bis.isUndefined() && !bis.isNull())
      input.set(c, parseShape(c, "build_input_shape", bis, true), "the model's 'build_input_shape'");
    c.finish();
  } else {
    t.fail("'config' must be an object, not " + describe(config));
  }
  if (buildConfig.isObject()) {
    const QJsonValue s = buildConfig.toObject().value(QLatin1String("input_shape"));
    if (!s.isUndefined() && !s.isNull()) input.set(t, parseShape(t, "build_config.input_shape", s, true), "'build_config'");
  }
  // Layer shapes take precedence in the messages: parse the layers first, then the model-level
  // shapes are checked against them.
  ParsedLayers p = parseLayers(layers, source, true, InputShape{});
  if (input.shape) p.input.set(Args(QJsonObject{}, source), *input.shape, input.from);
  if (!compile.isUndefined() && !compile.isNull()) parseCompileConfig(compile, source, spec.training);
  finishSpec(spec, p, source, true);
  return spec;
}

ModelSpec parseDigitLab(const QJsonObject& top, const std::string& source) {
  Args t(top, source);
  ModelSpec spec;
  spec.name = parseName(t, "name", "sequential");
  InputShape input;
  const QJsonValue is = t.take("input_shape");
  if (!is.isUndefined() && !is.isNull()) input.set(t, parseShape(t, "input_shape", is, false), "'input_shape'");
  const QJsonValue layers = t.take("layers");
  if (!layers.isArray()) t.fail("'layers' must be a list, not " + describe(layers));
  const QJsonValue training = t.take("training");
  t.finish();
  spec.training = TrainingSpec{};
  if (!training.isUndefined() && !training.isNull()) {
    if (!training.isObject()) t.fail("'training' must be an object, not " + describe(training));
    Args ta(training.toObject(), source + ": training");
    spec.training = parseTraining(ta);
  }
  ParsedLayers p = parseLayers(layers.toArray(), source, false, input);
  finishSpec(spec, p, source, false);
  return spec;
}

QJsonObject parseObject(const std::string& json, const std::string& source) {
  QJsonParseError err{};
  const QByteArray bytes = QByteArray::fromStdString(json);
  const QJsonDocument doc = QJsonDocument::fromJson(bytes, &err);
  if (err.error != QJsonParseError::NoError) {
    int line = 1, column = 1;
    for (int i = 0; i < err.offset && i < bytes.size(); ++i) {
      if (bytes[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw SpecError(source + ": not valid JSON: " + err.errorString().toStdString() + " at line " +
                    std::to_string(line) + ", column " + std::to_string(column));
  }
  if (!doc.isObject()) throw SpecError(source + ": expected a JSON object, not a list");
  return doc.object();
}

// ---------------------------------------------------------------------------------------------
// Writing: QJson values written with keys in Keras's order (QJsonObject sorts them), small
// containers on one line.

int keyRank(const QString& key) {
  static const char* const order[] = {
      "module", "class_name", "config", "registered_name", "build_config", "compile_config", "name",
      "trainable", "dtype", "batch_shape", "sparse", "ragged", "input_shape", "units", "filters", "kernel_size",
      "pool_size", "strides", "padding", "data_format", "dilation_rate", "groups", "rate", "activation",
      "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
      "activity_regularizer", "kernel_constraint", "bias_constraint", "noise_shape", "mean", "stddev", "minval",
      "maxval", "layers", "build_input_shape", "training", "optimizer", "learning_rate", "momentum", "nesterov",
      "beta_1", "beta_2", "epsilon", "loss", "batch_size", "epochs", "validation", "validation_split", "seed"};
  for (size_t i = 0; i < std::size(order); ++i)
    if (key == QLatin1String(order[i])) return int(i);
  return int(std::size(order));
}

std::vector<QString> orderedKeys(const QJsonObject& o) {
  const QStringList list = o.keys();
  std::vector<QString> keys(list.begin(), list.end());
  std::stable_sort(keys.begin(), keys.end(),
                   [](const QString& a, const QString& b) { return keyRank(a) < keyRank(b); });
  return keys;
}

std::string quoted(const QString& s) {
  std::string out = "\"";
  for (char c : s.toStdString()) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// A number as Python's json.dumps writes it: shortest round trip, exponent form below 1e-4 and
// from 1e16 (0.0001, 1e-07, 784).
std::string jsonNumber(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[400];
  const double a = std::abs(v);
  const bool scientific = a != 0 && (a < 1e-4 || a >= 1e16);  // 784 stays 784, not 784.0
  const auto r = std::to_chars(buf, buf + sizeof buf, v, scientific ? std::chars_format::scientific : std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

std::string scalarText(const QJsonValue& v) {
  switch (v.type()) {
    case QJsonValue::Bool: return v.toBool() ? "true" : "false";
    case QJsonValue::Double: return jsonNumber(v.toDouble());
    case QJsonValue::String: return quoted(v.toString());
    default: return "null";
  }
}

std::string oneLine(const QJsonValue& v) {
  if (v.isArray()) {
    std::string s = "[";
    const QJsonArray a = v.toArray();
    for (qsizetype i = 0; i < a.size(); ++i) s += (i ? ", " : "") + oneLine(a[i]);
    return s + "]";
  }
  if (v.isObject()) {
    const QJsonObject o = v.toObject();
    std::string s = "{";
    bool firstKey = true;
    for (const QString& k : orderedKeys(o)) {
      s += (firstKey ? "" : ", ") + quoted(k) + ": " + oneLine(o.value(k));
      firstKey = false;
    }
    return s + "}";
  }
  return scalarText(v);
}

void writeValue(std::string& out, const QJsonValue& v, int indent, int column) {
  constexpr int kWidth = 100;
  const std::string line = oneLine(v);
  if ((!v.isArray() && !v.isObject()) || column + int(line.size()) <= kWidth) {
    out += line;
    return;
  }
  const std::string pad(size_t(indent + 2), ' ');
  if (v.isArray()) {
    const QJsonArray a = v.toArray();
    out += "[\n";
    for (qsizetype i = 0; i < a.size(); ++i) {
      out += pad;
      writeValue(out, a[i], indent + 2, indent + 2);
      out += i + 1 < a.size() ? ",\n" : "\n";
    }
    out += std::string(size_t(indent), ' ') + "]";
  } else {
    const QJsonObject o = v.toObject();
    const std::vector<QString> keys = orderedKeys(o);
    out += "{\n";
    for (size_t i = 0; i < keys.size(); ++i) {
      const std::string key = quoted(keys[i]) + ": ";
      out += pad + key;
      writeValue(out, o.value(keys[i]), indent + 2, indent + 2 + int(key.size()));
      out += i + 1 < keys.size() ? ",\n" : "\n";
    }
    out += std::string(size_t(indent), ' ') + "}";
  }
}

std::string writeJson(const QJsonObject& o) {
  std::string out;
  writeValue(out, o, 0, 0);
  return out + "\n";
}

QJsonArray jsonShape(const Shape& s, bool withBatch) {
  QJsonArray a;
  if (withBatch) a.append(QJsonValue::Null);
  for (int d : s) a.append(d);
  return a;
}

QJsonArray jsonPair(int a, int b) { return QJsonArray{a, b}; }

QJsonObject optimizerJson(const OptimizerSpec& o) {
  QJsonObject j;
  if (o.type == "adam") {
    j.insert(qs("class_name"), qs("Adam"));
    j.insert(qs("learning_rate"), o.learningRate);
    j.insert(qs("beta_1"), o.beta1);
    j.insert(qs("beta_2"), o.beta2);
    j.insert(qs("epsilon"), o.epsilon);
  } else {
    j.insert(qs("class_name"), qs(o.type == "sgd" ? "SGD" : o.type));
    j.insert(qs("learning_rate"), o.learningRate);
    j.insert(qs("momentum"), o.momentum);
    j.insert(qs("nesterov"), o.nesterov);
  }
  return j;
}

QJsonObject trainingJson(const TrainingSpec& t) {
  return QJsonObject{{qs("optimizer"), optimizerJson(t.optimizer)},
                     {qs("loss"), qs(t.loss)},
                     {qs("batch_size"), t.batchSize},
                     {qs("epochs"), t.epochs},
                     {qs("validation"), qs(t.validateOnTestSet ? "test" : t.validationSplit > 0 ? "split" : "none")},
                     {qs("validation_split"), t.validateOnTestSet ? 0.0 : t.validationSplit},
                     {qs("seed"), double(t.seed)}};
}

// One layer in DigitLab's flat form; arguments at their defaults are left out where Keras
// users would leave them out (use_bias, initializers).
QJsonObject layerJson(const LayerSpec& l) {
  QJsonObject j{{qs("class_name"), qs(layerKindName(l.kind))}};
  if (!l.name.empty()) j.insert(qs("name"), qs(l.name));
  auto weights = [&]() {
    if (!l.useBias) j.insert(qs("use_bias"), false);
    if (l.kernelInitializer != "glorot_uniform") j.insert(qs("kernel_initializer"), qs(l.kernelInitializer));
    if (l.biasInitializer != "zeros") j.insert(qs("bias_initializer"), qs(l.biasInitializer));
  };
  switch (l.kind) {
    case LayerKind::Dense:
      j.insert(qs("units"), l.units);
      j.insert(qs("activation"), qs(l.activation));
      weights();
      break;
    case LayerKind::Conv2D:
      j.insert(qs("filters"), l.filters);
      j.insert(qs("kernel_size"), jsonPair(l.kernelH, l.kernelW));
      j.insert(qs("strides"), jsonPair(l.strideH, l.strideW));
      j.insert(qs("padding"), qs(l.padding));
      j.insert(qs("activation"), qs(l.activation));
      weights();
      break;
    case LayerKind::MaxPooling2D:
      j.insert(qs("pool_size"), jsonPair(l.poolH, l.poolW));
      j.insert(qs("strides"), l.strideH == 0 && l.strideW == 0 ? QJsonValue(QJsonValue::Null)
                                                                : QJsonValue(jsonPair(l.strideH, l.strideW)));
      j.insert(qs("padding"), qs(l.padding));
      break;
    case LayerKind::Dropout:
      j.insert(qs("rate"), l.rate);
      break;
    case LayerKind::Flatten:
      break;
    case LayerKind::Activation:
      j.insert(qs("activation"), qs(l.activation));
      break;
  }
  return j;
}

QJsonObject kerasDtype() {
  return QJsonObject{{qs("module"), qs("keras")},
                     {qs("class_name"), qs("DTypePolicy")},
                     {qs("config"), QJsonObject{{qs("name"), qs("float32")}}},
                     {qs("registered_name"), QJsonValue::Null}};
}

QJsonObject kerasInitializer(const std::string& snake) {
  const char* cls = initializerKeras(snake);
  QJsonObject cfg;
  if (snake == "random_normal") cfg = {{qs("mean"), 0.0}, {qs("stddev"), 0.05}, {qs("seed"), QJsonValue::Null}};
  else if (snake == "random_uniform") cfg = {{qs("minval"), -0.05}, {qs("maxval"), 0.05}, {qs("seed"), QJsonValue::Null}};
  else if (snake != "zeros" && snake != "ones") cfg = {{qs("seed"), QJsonValue::Null}};
  return QJsonObject{{qs("module"), qs("keras.initializers")},
                     {qs("class_name"), qs(cls ? cls : snake.c_str())},
                     {qs("config"), cfg},
                     {qs("registered_name"), QJsonValue::Null}};
}

// One layer as Keras 3's serialize_keras_object writes it.
QJsonObject kerasLayerJson(const LayerSpec& l, const std::string& name, const Shape& inputShape) {
  QJsonObject c{{qs("name"), qs(name)}, {qs("trainable"), true}, {qs("dtype"), kerasDtype()}};
  auto weights = [&]() {
    c.insert(qs("use_bias"), l.useBias);
    c.insert(qs("kernel_initializer"), kerasInitializer(l.kernelInitializer));
    c.insert(qs("bias_initializer"), kerasInitializer(l.biasInitializer));
    for (const char* k : {"kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint"})
      c.insert(qs(k), QJsonValue::Null);
  };
  switch (l.kind) {
    case LayerKind::Dense:
      c.insert(qs("units"), l.units);
      c.insert(qs("activation"), qs(l.activation));
      weights();
      break;
    case LayerKind::Conv2D:
      c.insert(qs("filters"), l.filters);
      c.insert(qs("kernel_size"), jsonPair(l.kernelH, l.kernelW));
      c.insert(qs("strides"), jsonPair(l.strideH, l.strideW));
      c.insert(qs("padding"), qs(l.padding));
      c.insert(qs("data_format"), qs("channels_last"));
      c.insert(qs("dilation_rate"), jsonPair(1, 1));
      c.insert(qs("groups"), 1);
      c.insert(qs("activation"), qs(l.activation));
      weights();
      c.insert(qs("activity_regularizer"), QJsonValue::Null);
      break;
    case LayerKind::MaxPooling2D:
      c.insert(qs("pool_size"), jsonPair(l.poolH, l.poolW));
      c.insert(qs("padding"), qs(l.padding));
      c.insert(qs("strides"), jsonPair(l.strideH ? l.strideH : l.poolH, l.strideW ? l.strideW : l.poolW));
      c.insert(qs("data_format"), qs("channels_last"));
      break;
    case LayerKind::Dropout:
      c.insert(qs("rate"), l.rate);
      c.insert(qs("seed"), QJsonValue::Null);
      c.insert(qs("noise_shape"), QJsonValue::Null);
      break;
    case LayerKind::Flatten:
      c.insert(qs("data_format"), qs("channels_last"));
      break;
    case LayerKind::Activation:
      c.insert(qs("activation"), qs(l.activation));
      break;
  }
  QJsonObject j{{qs("module"), qs("keras.layers")},
                {qs("class_name"), qs(layerKindName(l.kind))},
                {qs("config"), c},
                {qs("registered_name"), QJsonValue::Null}};
  if (!inputShape.empty()) j.insert(qs("build_config"), QJsonObject{{qs("input_shape"), jsonShape(inputShape, true)}});
  return j;
}

}  // namespace

ModelSpec modelSpecFromJson(const std::string& json, const std::string& source) {
  const QJsonObject top = parseObject(json, source);
  if (top.contains(QLatin1String("class_name"))) return parseKeras(top, source);
  if (top.contains(QLatin1String("layers"))) return parseDigitLab(top, source);
  throw SpecError(source + ": neither a DigitLab model spec (no \"layers\") nor Keras model.to_json() output "
                           "(no \"class_name\")");
}

ModelSpec readModelSpecFile(const std::string& path) {
  const QString file = QString::fromStdString(path);
  const QFileInfo info(file);
  if (!info.exists()) throw SpecError(path + ": no such file");
  if (info.isDir()) throw SpecError(path + ": is a folder, not a model spec file");
  if (info.size() > kMaxSpecFileBytes)
    throw SpecError(path + ": too large for a model spec (" + std::to_string(info.size()) +
                    " bytes; the limit is 16 MiB)");
  QFile f(file);
  if (!f.open(QIODevice::ReadOnly)) throw SpecError(path + ": cannot open: " + f.errorString().toStdString());
  const QByteArray data = f.read(kMaxSpecFileBytes + 1);
  if (data.size() > kMaxSpecFileBytes) throw SpecError(path + ": too large for a model spec (the limit is 16 MiB)");
  return modelSpecFromJson(data.toStdString(), path);
}

std::string modelSpecToJson(const ModelSpec& spec) {
  QJsonArray layers;
  for (const LayerSpec& l : spec.layers) layers.append(layerJson(l));
  return writeJson(QJsonObject{{qs("name"), qs(spec.name)},
                               {qs("input_shape"), jsonShape(spec.inputShape, false)},
                               {qs("layers"), layers},
                               {qs("training"), trainingJson(spec.training)}});
}

std::string modelSpecToKerasJson(const ModelSpec& spec) {
  const ModelAnalysis a = analyze(spec);
  const std::vector<std::string> names = layerNames(spec);
  QJsonArray layers;
  layers.append(QJsonObject{{qs("module"), qs("keras.layers")},
                            {qs("class_name"), qs("InputLayer")},
                            {qs("config"), QJsonObject{{qs("batch_shape"), jsonShape(spec.inputShape, true)},
                                                       {qs("dtype"), qs("float32")},
                                                       {qs("sparse"), false},
                                                       {qs("name"), qs("input_layer")}}},
                            {qs("registered_name"), QJsonValue::Null}});
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const Shape in = i < a.layers.size() ? a.layers[i].inputShape : Shape{};
    layers.append(kerasLayerJson(spec.layers[i], names[i], in));
  }
  const QJsonObject config{{qs("name"), qs(spec.name)},
                           {qs("trainable"), true},
                           {qs("dtype"), kerasDtype()},
                           {qs("layers"), layers},
                           {qs("build_input_shape"), jsonShape(spec.inputShape, true)}};
  return writeJson(QJsonObject{{qs("module"), qs("keras")},
                               {qs("class_name"), qs("Sequential")},
                               {qs("config"), config},
                               {qs("registered_name"), QJsonValue::Null},
                               {qs("build_config"), QJsonObject{{qs("input_shape"), jsonShape(spec.inputShape, true)}}}});
}

std::string trainingSpecToJson(const TrainingSpec& training) { return writeJson(trainingJson(training)); }

TrainingSpec trainingSpecFromJson(const std::string& json, const std::string& source) {
  Args a(parseObject(json, source), source);
  return parseTraining(a);
}

}  // namespace dl
