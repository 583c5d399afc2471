// What both readers share: value descriptions, names, dtypes, shapes, initializers, activations.
#include "model/SpecJsonDetail.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <charconv>

namespace dl::specjson {

// Shortest text that reads back as the same double ("0.2", "784", "1e-07").
std::string numberText(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// A JSON value as an error message shows it: 1e+12, true, null, the string "200", a list.
std::string describe(const QJsonValue& v) {
  switch (v.type()) {
    case QJsonValue::Null:
      return "null";
    case QJsonValue::Bool:
      return v.toBool() ? "true" : "false";
    case QJsonValue::Double:
      return numberText(v.toDouble());
    case QJsonValue::String: {
      std::string s = v.toString().toStdString();
      if (s.size() > 40) s = s.substr(0, 40) + "...";
      return "the string \"" + s + "\"";
    }
    case QJsonValue::Array:
      return "a list";
    case QJsonValue::Object:
      return "an object";
    case QJsonValue::Undefined:
      return "nothing";
  }
  return "?";
}

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

struct InitializerName {
  const char* snake;  // DigitLab's and Keras's string form
  const char* keras;  // Keras class name
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
      {2, "fan_in", "truncated_normal", "he_normal"},    {2, "fan_in", "uniform", "he_uniform"},
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
    const double scale = cfg.number(
        "scale", [](double x) { return x > 0; }, "a positive number", 1.0);
    const std::string mode = cfg.string("mode", std::string("fan_in"));
    const std::string distribution = cfg.string("distribution", std::string("truncated_normal"));
    snake = varianceScalingName(scale, mode, distribution);
    if (snake.empty())
      cfg.fail("VarianceScaling(scale=" + numberText(scale) + ", mode='" + mode + "', distribution='" + distribution +
               "') is not one of the initializers DigitLab supports (" + known + ")");
  } else {
    snake = initializerSnake(cls);
    if (snake.empty()) outer.fail("initializer '" + cls + "' is not supported (" + known + ")");
    // Keras's defaults are all DigitLab implements: other values would be silently different.
    auto fixed = [&](const char* k, double expected) {
      const double x = cfg.number(
          k, [](double) { return true; }, "a number", expected);
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

std::string parseChoice(Args& a, const char* key, const std::vector<std::string>& choices, const std::string& def) {
  std::string p = a.string(key, def);
  std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (std::find(choices.begin(), choices.end(), p) == choices.end()) {
    std::string use;
    for (size_t i = 0; i < choices.size(); ++i)
      use += (i == 0 ? "'" : i + 1 == choices.size() ? " or '" : ", '") + choices[i] + "'";
    a.fail(std::string(key) + " '" + p + "' is not supported (use " + use + ")");
  }
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

}  // namespace dl::specjson
