// The "callbacks" list of DigitLab's "training" object (and of a .dlm's training.json): Keras's
// callbacks with Keras's argument names, one object each, in the flat form DigitLab's layers use
// or Keras's {"class_name": ..., "config": {...}} form:
//   "callbacks": [{"class_name": "EarlyStopping", "monitor": "val_loss", "min_delta": 0,
//                  "patience": 3, "mode": "auto", "baseline": null,
//                  "restore_best_weights": true, "start_from_epoch": 0},
//                 {"class_name": "ReduceLROnPlateau", "monitor": "val_loss", "factor": 0.5,
//                  "patience": 2, "mode": "auto", "min_delta": 0.0001, "cooldown": 0,
//                  "min_lr": 0},
//                 {"class_name": "ModelCheckpoint", "filepath": "best.dlm",
//                  "monitor": "val_loss", "save_best_only": true, "mode": "auto"}]
// Absent or empty: none (and the writer leaves the key out then, so files without callbacks are
// unchanged). Each class at most once. Values DigitLab cannot honour are refused with the
// argument's name (nn/ModelSpec.h callbacksProblem); "verbose" is accepted and ignored (DigitLab
// always says what a callback did), ModelCheckpoint's save_weights_only, save_freq and
// initial_value_threshold only with Keras's defaults.
#include "model/SpecJsonDetail.h"

#include <QJsonArray>

namespace dl::specjson {

namespace {

bool anyNumber(double) { return true; }
bool notNegative(double v) { return v >= 0; }

void readMonitorMode(Args& a, std::string& monitor, std::string& mode) {
  monitor = a.string("monitor", monitor);
  mode = a.string("mode", mode);
}

EarlyStoppingSpec parseEarlyStopping(Args& a) {
  EarlyStoppingSpec e;
  e.enabled = true;
  readMonitorMode(a, e.monitor, e.mode);
  e.minDelta = a.number("min_delta", notNegative, "a number from 0", e.minDelta);
  e.patience = a.integer("patience", 0, kMaxCallbackCount, e.patience);
  if (a.has("baseline")) {
    e.hasBaseline = true;
    e.baseline = a.number("baseline", anyNumber, "a number or null", 0.0);
  } else {
    a.ignore("baseline");
  }
  e.restoreBestWeights = a.boolean("restore_best_weights", e.restoreBestWeights);
  e.startFromEpoch = a.integer("start_from_epoch", 0, kMaxCallbackCount, e.startFromEpoch);
  return e;
}

ReduceLROnPlateauSpec parseReduceLr(Args& a) {
  ReduceLROnPlateauSpec r;
  r.enabled = true;
  readMonitorMode(a, r.monitor, r.mode);
  r.factor = a.number(
      "factor", [](double f) { return f > 0 && f < 1; }, "a number above 0 and below 1", r.factor);
  r.patience = a.integer("patience", 0, kMaxCallbackCount, r.patience);
  r.minDelta = a.number("min_delta", notNegative, "a number from 0", r.minDelta);
  r.cooldown = a.integer("cooldown", 0, kMaxCallbackCount, r.cooldown);
  r.minLr = a.number(
      "min_lr", [](double v) { return v >= 0 && v <= 1e6; }, "a number from 0 to 1e6", r.minLr);
  return r;
}

ModelCheckpointSpec parseCheckpoint(Args& a) {
  ModelCheckpointSpec m;
  m.enabled = true;
  m.filepath = a.string("filepath");
  readMonitorMode(a, m.monitor, m.mode);
  m.saveBestOnly = a.boolean("save_best_only", m.saveBestOnly);
  if (a.boolean("save_weights_only", false))
    a.fail("save_weights_only=true is not supported (DigitLab saves the whole model as a .dlm file)");
  if (a.string("save_freq", std::string("epoch")) != "epoch")
    a.fail("'save_freq' must be \"epoch\" (DigitLab saves at the end of epochs)");
  a.mustBeNull("initial_value_threshold", "an initial threshold");
  return m;
}

}  // namespace

CallbacksSpec parseCallbacks(const QJsonValue& v, const std::string& where) {
  CallbacksSpec c;
  if (v.isUndefined() || v.isNull()) return c;
  if (!v.isArray()) throw SpecError(where + ": 'callbacks' must be a list, not " + describe(v));
  for (const QJsonValue& item : v.toArray()) {
    if (!item.isObject())
      throw SpecError(where + ": callbacks: each callback must be an object, not " + describe(item));
    QJsonObject obj = item.toObject();
    Args outer(obj, where + ": callbacks");
    const std::string cls = outer.string("class_name");
    const std::string at = where + ": callbacks: " + cls;
    std::optional<Args> kerasArgs;
    const QJsonValue cfg = obj.value(QLatin1String("config"));
    if (cfg.isObject()) {  // Keras's form
      outer.ignore("config");
      outer.ignore("module");
      outer.ignore("registered_name");
      outer.finish();
      kerasArgs.emplace(cfg.toObject(), at);
    }
    Args& a = kerasArgs ? *kerasArgs : outer;
    a.ignore("verbose");
    auto once = [&](bool enabled) {
      if (enabled) throw SpecError(at + ": the list holds it twice");
    };
    if (cls == "EarlyStopping") {
      once(c.earlyStopping.enabled);
      c.earlyStopping = parseEarlyStopping(a);
    } else if (cls == "ReduceLROnPlateau") {
      once(c.reduceLrOnPlateau.enabled);
      c.reduceLrOnPlateau = parseReduceLr(a);
    } else if (cls == "ModelCheckpoint") {
      once(c.modelCheckpoint.enabled);
      c.modelCheckpoint = parseCheckpoint(a);
    } else {
      throw SpecError(where + ": callbacks: callback '" + cls +
                      "' is not supported (DigitLab knows EarlyStopping, ReduceLROnPlateau and ModelCheckpoint)");
    }
    a.finish();
  }
  // Monitors, modes and the rest, worded as the settings are everywhere.
  if (const std::string problem = callbacksProblem(c); !problem.empty())
    throw SpecError(where + ": callbacks: " + problem);
  return c;
}

QJsonArray callbacksJson(const CallbacksSpec& c) {
  QJsonArray list;
  if (const EarlyStoppingSpec& e = c.earlyStopping; e.enabled)
    list.append(QJsonObject{{qs("class_name"), qs("EarlyStopping")},
                            {qs("monitor"), qs(e.monitor)},
                            {qs("min_delta"), e.minDelta},
                            {qs("patience"), e.patience},
                            {qs("mode"), qs(e.mode)},
                            {qs("baseline"), e.hasBaseline ? QJsonValue(e.baseline) : QJsonValue()},
                            {qs("restore_best_weights"), e.restoreBestWeights},
                            {qs("start_from_epoch"), e.startFromEpoch}});
  if (const ReduceLROnPlateauSpec& r = c.reduceLrOnPlateau; r.enabled)
    list.append(QJsonObject{{qs("class_name"), qs("ReduceLROnPlateau")},
                            {qs("monitor"), qs(r.monitor)},
                            {qs("factor"), r.factor},
                            {qs("patience"), r.patience},
                            {qs("mode"), qs(r.mode)},
                            {qs("min_delta"), r.minDelta},
                            {qs("cooldown"), r.cooldown},
                            {qs("min_lr"), r.minLr}});
  if (const ModelCheckpointSpec& m = c.modelCheckpoint; m.enabled)
    list.append(QJsonObject{{qs("class_name"), qs("ModelCheckpoint")},
                            {qs("filepath"), qs(m.filepath)},
                            {qs("monitor"), qs(m.monitor)},
                            {qs("save_best_only"), m.saveBestOnly},
                            {qs("mode"), qs(m.mode)}});
  return list;
}

}  // namespace dl::specjson
