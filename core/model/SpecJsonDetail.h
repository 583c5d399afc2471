#pragma once
// Internal to core/model: what the readers and writers of ModelSpecJson.h share. Reading goes
// through Args, which reads each argument of one JSON object once, with its type and range
// checked, and refuses whatever was not read.
//
//   SpecJsonArgs.cpp          Args's helpers, names, dtypes, shapes, initializers, activations
//   LayerJsonReader.cpp       the layer list of both formats, each layer's arguments read from
//                             its kind's descriptor (nn/LayerRegistry.h)
//   TrainingJsonReader.cpp    optimizer, loss and training settings
//   DigitLabSpecReader.cpp    DigitLab's spec format
//   KerasSpecReader.cpp       Keras 2/3 model.to_json() output
//   ModelSpecJsonWriter.cpp   DigitLab's format and Keras 3's to_json() form out

#include "nn/ModelSpec.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <QSet>
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

namespace dl::specjson {

inline constexpr int kMaxLayers = 4096;
inline constexpr qint64 kMaxSpecFileBytes = 16 << 20;
// 2^31 - 1: what the app's seed box, `train --seed` and numpy's seed (Keras's set_random_seed) all take.
inline constexpr double kMaxSeed = 2147483647.0;

inline QString qs(const char* s) { return QString::fromLatin1(s); }
inline QString qs(const std::string& s) { return QString::fromStdString(s); }

// Shortest text that reads back as the same double ("0.2", "784", "1e-07").
std::string numberText(double v);
// A JSON value as an error message shows it: 1e+12, true, null, the string "200", a list.
std::string describe(const QJsonValue& v);
inline bool isWhole(double v) { return std::isfinite(v) && v == std::floor(v); }
// Keras keeps optimizer settings in float32 variables and serializes 1e-4 as
// 9.999999747378752e-05: a value that is exactly a float32 is read as that float's shortest
// decimal (1e-4), which is what the user typed.
double tidyFloat32(double v);
std::string joined(const std::vector<std::string>& v);

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
      fail("'" + key + "' must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) + ", not " +
           describe(v));
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

// The snake name of an initializer string or class name, or "" if DigitLab does not know it; and
// the Keras class name of a snake name (nullptr if unknown).
std::string initializerSnake(const std::string& name);
const char* initializerKeras(const std::string& snake);
// An initializer argument: a name or a Keras initializer object.
std::string parseInitializer(Args& a, const char* key, const std::string& def);
std::string parseActivation(Args& a, const char* key, std::optional<std::string> def);
// One of `choices`, read case-insensitively (padding).
std::string parseChoice(Args& a, const char* key, const std::vector<std::string>& choices, const std::string& def);
void parseDataFormat(Args& a);
// float32 as a string, or a DTypePolicy / Policy object named float32.
void parseDtype(Args& a);
// The name of a layer or model: a string without path separators or control characters.
std::string parseName(Args& a, const char* key, const std::string& def);

// Input shapes: every place a Keras config may state the input shape must agree.

struct InputShape {
  std::optional<Shape> shape;
  std::string from;

  void set(const Args& a, const Shape& s, const std::string& where) {
    if (shape && *shape != s)
      a.fail("input shape " + shapeToString(s) + " from " + where + " contradicts " + shapeToString(*shape) + " from " +
             from);
    if (!shape) {
      shape = s;
      from = where;
    }
  }
};

// [null, 28, 28, 1] (withBatch) or [28, 28, 1].
Shape parseShape(const Args& a, const std::string& key, const QJsonValue& v, bool withBatch);
// The whole text as one JSON object.
QJsonObject parseObject(const std::string& json, const std::string& source);

// The layer list, shared by both formats (LayerJsonReader.cpp).
struct ParsedLayers {
  std::vector<LayerSpec> layers;
  InputShape input;
};
// Keras's automatic name of the n-th (0-based) layer of a kind: dense, dense_1, ...
std::string automaticName(LayerKind kind, int n);
// kerasForm: every layer is {"class_name": ..., "config": {...}}; otherwise a layer is flat
// ({"class_name": "Dense", "units": 10}), or Keras-shaped when it has a "config" object.
ParsedLayers parseLayers(const QJsonArray& layers, const std::string& source, bool kerasForm, InputShape input);
// The finished spec: input shape settled, names checked for uniqueness.
void finishSpec(ModelSpec& spec, ParsedLayers& p, const std::string& source, bool clearAutomaticNames);
// Keras's InputLayer (KerasSpecReader.cpp).
void parseInputLayer(Args& a, InputShape& in);

// Training settings (TrainingJsonReader.cpp). keras: the settings come from Keras (float32
// values are tidied, see tidyFloat32).
OptimizerSpec parseOptimizer(const QJsonValue& v, const std::string& where, bool keras);
std::string parseLoss(const QJsonValue& v, const std::string& where);
TrainingSpec parseTraining(Args& a);
// The "callbacks" list (CallbacksJson.cpp): absent or null is none; and the list to write (empty
// when none is enabled: the key is then left out).
CallbacksSpec parseCallbacks(const QJsonValue& v, const std::string& where);
QJsonArray callbacksJson(const CallbacksSpec& callbacks);

// The two formats (DigitLabSpecReader.cpp, KerasSpecReader.cpp).
ModelSpec parseDigitLab(const QJsonObject& top, const std::string& source);
ModelSpec parseKeras(const QJsonObject& top, const std::string& source);

}  // namespace dl::specjson
