// Writing: DigitLab's format and Keras 3's to_json() form, each layer's arguments from its kind's
// descriptor (nn/LayerRegistry.h).

#include "model/ModelSpecJson.h"
#include "model/SpecJsonDetail.h"

#include "nn/LayerRegistry.h"
#include "nn/ModelAnalysis.h"

#include <charconv>
#include <cstdio>
#include <variant>

namespace dl {

using namespace specjson;

namespace {

// ---------------------------------------------------------------------------------------------
// Writing: QJson values written with keys in Keras's order (QJsonObject sorts them), small
// containers on one line.

int keyRank(const QString& key) {
  static const char* const order[] = {"module",
                                      "class_name",
                                      "config",
                                      "registered_name",
                                      "build_config",
                                      "compile_config",
                                      "name",
                                      "trainable",
                                      "dtype",
                                      "batch_shape",
                                      "sparse",
                                      "ragged",
                                      "input_shape",
                                      "units",
                                      "filters",
                                      "kernel_size",
                                      "pool_size",
                                      "strides",
                                      "padding",
                                      "data_format",
                                      "dilation_rate",
                                      "groups",
                                      "rate",
                                      "factor",
                                      "height_factor",
                                      "width_factor",
                                      "fill_mode",
                                      "interpolation",
                                      "fill_value",
                                      "axis",
                                      "center",
                                      "scale",
                                      "beta_initializer",
                                      "gamma_initializer",
                                      "moving_mean_initializer",
                                      "moving_variance_initializer",
                                      "beta_regularizer",
                                      "gamma_regularizer",
                                      "beta_constraint",
                                      "gamma_constraint",
                                      "synchronized",
                                      "activation",
                                      "use_bias",
                                      "kernel_initializer",
                                      "bias_initializer",
                                      "kernel_regularizer",
                                      "bias_regularizer",
                                      "activity_regularizer",
                                      "kernel_constraint",
                                      "bias_constraint",
                                      "noise_shape",
                                      "mean",
                                      "stddev",
                                      "minval",
                                      "maxval",
                                      "layers",
                                      "build_input_shape",
                                      "training",
                                      "optimizer",
                                      "learning_rate",
                                      "momentum",
                                      "nesterov",
                                      "beta_1",
                                      "beta_2",
                                      "epsilon",
                                      "loss",
                                      "batch_size",
                                      "epochs",
                                      "validation",
                                      "validation_split",
                                      "seed"};
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
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
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
  const auto r =
      std::to_chars(buf, buf + sizeof buf, v, scientific ? std::chars_format::scientific : std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

std::string scalarText(const QJsonValue& v) {
  switch (v.type()) {
    case QJsonValue::Bool:
      return v.toBool() ? "true" : "false";
    case QJsonValue::Double:
      return jsonNumber(v.toDouble());
    case QJsonValue::String:
      return quoted(v.toString());
    default:
      return "null";
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
  QJsonObject j{{qs("optimizer"), optimizerJson(t.optimizer)},
                {qs("loss"), qs(t.loss)},
                {qs("batch_size"), t.batchSize},
                {qs("epochs"), t.epochs},
                {qs("validation"), qs(t.validateOnTestSet     ? "test"
                                      : t.validationSplit > 0 ? "split"
                                                              : "none")},
                {qs("validation_split"), t.validateOnTestSet ? 0.0 : t.validationSplit},
                {qs("seed"), double(t.seed)}};
  if (t.callbacks.any()) j.insert(qs("callbacks"), callbacksJson(t.callbacks));  // none: files stay as they were
  return j;
}

QJsonValue jsonValue(const ArgValue& v) {
  struct Visitor {
    QJsonValue operator()(bool b) const { return b; }
    QJsonValue operator()(int i) const { return i; }
    QJsonValue operator()(double d) const { return d; }
    QJsonValue operator()(const std::pair<int, int>& p) const { return jsonPair(p.first, p.second); }
    QJsonValue operator()(const std::string& s) const { return qs(s); }
    // A symmetric range as Keras's single float (factor=0.1), else [lower, upper].
    QJsonValue operator()(const FactorRange& r) const {
      return r.symmetric() ? QJsonValue(r.upper) : QJsonValue(QJsonArray{r.lower, r.upper});
    }
  };
  return std::visit(Visitor{}, v);
}

// One layer in DigitLab's flat form; arguments at their defaults are left out where Keras
// users would leave them out (use_bias, initializers), automatic ones are null.
QJsonObject layerJson(const LayerSpec& l) {
  const LayerKindInfo& kind = layerKindInfo(l.kind);
  QJsonObject j{{qs("class_name"), qs(kind.className)}};
  if (!l.name.empty()) j.insert(qs("name"), qs(l.name));
  for (const LayerArg& arg : kind.args) {
    const ArgValue v = arg.get(l);
    if (arg.omitWhen && v == *arg.omitWhen) continue;
    const bool automatic = arg.nullable && arg.readDefault && v == *arg.readDefault;
    j.insert(qs(arg.key), automatic ? QJsonValue(QJsonValue::Null) : jsonValue(v));
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
  if (snake == "random_normal")
    cfg = {{qs("mean"), 0.0}, {qs("stddev"), 0.05}, {qs("seed"), QJsonValue::Null}};
  else if (snake == "random_uniform")
    cfg = {{qs("minval"), -0.05}, {qs("maxval"), 0.05}, {qs("seed"), QJsonValue::Null}};
  else if (snake != "zeros" && snake != "ones")
    cfg = {{qs("seed"), QJsonValue::Null}};
  return QJsonObject{{qs("module"), qs("keras.initializers")},
                     {qs("class_name"), qs(cls ? cls : snake.c_str())},
                     {qs("config"), cfg},
                     {qs("registered_name"), QJsonValue::Null}};
}

// One layer as Keras 3's serialize_keras_object writes it.
QJsonObject kerasLayerJson(const LayerSpec& l, const std::string& name, const Shape& inputShape) {
  const LayerKindInfo& kind = layerKindInfo(l.kind);
  QJsonObject c{{qs("name"), qs(name)}, {qs("trainable"), true}, {qs("dtype"), kerasDtype()}};
  for (const LayerArg& arg : kind.args) {
    const ArgValue v = arg.kerasGet(l);
    // An automatic value Keras also writes as null (RandomZoom's width_factor=None).
    if (arg.nullable && !arg.kerasValue && arg.readDefault && v == *arg.readDefault) {
      c.insert(qs(arg.key), QJsonValue::Null);
      continue;
    }
    c.insert(qs(arg.key),
             arg.type == ArgType::Initializer ? QJsonValue(kerasInitializer(std::get<std::string>(v))) : jsonValue(v));
  }
  if (kind.imageLayout) c.insert(qs("data_format"), qs("channels_last"));
  for (const KerasFixedArg& f : kind.kerasFixed)
    c.insert(qs(f.key), f.value ? jsonValue(*f.value) : QJsonValue(QJsonValue::Null));
  if (kind.hasWeights)
    for (const char* k : {"kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint"})
      c.insert(qs(k), QJsonValue::Null);
  QJsonObject j{{qs("module"), qs("keras.layers")},
                {qs("class_name"), qs(kind.className)},
                {qs("config"), c},
                {qs("registered_name"), QJsonValue::Null}};
  if (!inputShape.empty()) j.insert(qs("build_config"), QJsonObject{{qs("input_shape"), jsonShape(inputShape, true)}});
  return j;
}

}  // namespace

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
  return writeJson(
      QJsonObject{{qs("module"), qs("keras")},
                  {qs("class_name"), qs("Sequential")},
                  {qs("config"), config},
                  {qs("registered_name"), QJsonValue::Null},
                  {qs("build_config"), QJsonObject{{qs("input_shape"), jsonShape(spec.inputShape, true)}}}});
}

std::string trainingSpecToJson(const TrainingSpec& training) { return writeJson(trainingJson(training)); }

}  // namespace dl
