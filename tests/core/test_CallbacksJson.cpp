// The callbacks' settings in DigitLab's spec JSON and a .dlm's training.json (model/CallbacksJson.cpp):
// a round trip of every field, files without callbacks unchanged, Keras's {"class_name", "config"}
// form read, every hostile value refused with its argument's name; and the Keras script's
// callbacks=[...] (io/KerasExport.cpp).

#include "io/KerasExport.h"
#include "model/ModelSpecJson.h"

#include <gtest/gtest.h>

#include <string>

namespace dl {
namespace {

CallbacksSpec everyField() {
  CallbacksSpec c;
  c.earlyStopping.enabled = true;
  c.earlyStopping.monitor = "val_accuracy";
  c.earlyStopping.minDelta = 0.002;
  c.earlyStopping.patience = 3;
  c.earlyStopping.mode = "max";
  c.earlyStopping.hasBaseline = true;
  c.earlyStopping.baseline = 0.9;
  c.earlyStopping.restoreBestWeights = true;
  c.earlyStopping.startFromEpoch = 2;
  c.reduceLrOnPlateau.enabled = true;
  c.reduceLrOnPlateau.monitor = "loss";
  c.reduceLrOnPlateau.factor = 0.5;
  c.reduceLrOnPlateau.patience = 2;
  c.reduceLrOnPlateau.mode = "min";
  c.reduceLrOnPlateau.minDelta = 0.01;
  c.reduceLrOnPlateau.cooldown = 1;
  c.reduceLrOnPlateau.minLr = 1e-5;
  c.modelCheckpoint.enabled = true;
  c.modelCheckpoint.filepath = "/tmp/best model.dlm";
  c.modelCheckpoint.monitor = "val_loss";
  c.modelCheckpoint.saveBestOnly = true;
  return c;
}

// A training object with one callback's JSON.
std::string trainingWith(const std::string& callback) { return R"({"callbacks": [)" + callback + "]}"; }

std::string errorOf(const std::string& json) {
  try {
    trainingSpecFromJson(json, "t.json");
  } catch (const SpecError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(CallbacksJson, EveryFieldRoundTripsThroughTheSpecAndTrainingJson) {
  ModelSpec spec = presetMlp();
  spec.training.callbacks = everyField();
  EXPECT_EQ(modelSpecFromJson(modelSpecToJson(spec)), spec);
  EXPECT_EQ(trainingSpecFromJson(trainingSpecToJson(spec.training)), spec.training);
  // Each one alone, with Keras's defaults.
  CallbacksSpec one;
  one.reduceLrOnPlateau.enabled = true;
  spec.training.callbacks = one;
  EXPECT_EQ(modelSpecFromJson(modelSpecToJson(spec)).training.callbacks, one);
}

TEST(CallbacksJson, NoCallbacksWritesNoKeyAndReadsAsNone) {
  const std::string json = trainingSpecToJson(presetMlp().training);
  EXPECT_EQ(json.find("callbacks"), std::string::npos);
  EXPECT_FALSE(trainingSpecFromJson(json).callbacks.any());
  EXPECT_FALSE(trainingSpecFromJson(R"({"callbacks": []})").callbacks.any());
  EXPECT_FALSE(trainingSpecFromJson(R"({"callbacks": null})").callbacks.any());
}

TEST(CallbacksJson, ReadsKerasDefaultsAndKerasForm) {
  const TrainingSpec t = trainingSpecFromJson(trainingWith(
      R"({"class_name": "EarlyStopping", "verbose": 1}, {"class_name": "ReduceLROnPlateau", "config": {"patience": 4}},
          {"class_name": "ModelCheckpoint", "filepath": "m.dlm", "save_freq": "epoch", "save_weights_only": false})"));
  EXPECT_TRUE(t.callbacks.earlyStopping.enabled);
  EXPECT_EQ(t.callbacks.earlyStopping.monitor, "val_loss");
  EXPECT_EQ(t.callbacks.earlyStopping.patience, 0);
  EXPECT_FALSE(t.callbacks.earlyStopping.hasBaseline);
  EXPECT_EQ(t.callbacks.reduceLrOnPlateau.patience, 4);
  EXPECT_DOUBLE_EQ(t.callbacks.reduceLrOnPlateau.factor, 0.1);
  EXPECT_DOUBLE_EQ(t.callbacks.reduceLrOnPlateau.minDelta, 1e-4);
  EXPECT_EQ(t.callbacks.modelCheckpoint.filepath, "m.dlm");
  EXPECT_FALSE(t.callbacks.modelCheckpoint.saveBestOnly);
}

TEST(CallbacksJson, RefusesHostileValuesNamingTheArgument) {
  auto refuses = [](const std::string& callback, const std::string& part) {
    const std::string e = errorOf(trainingWith(callback));
    EXPECT_NE(e.find(part), std::string::npos) << callback << " -> " << e;
    EXPECT_EQ(e.rfind("t.json", 0), 0u) << e;
  };
  refuses(R"({"class_name": "EarlyStopping", "patience": -1})", "'patience' must be a whole number from 0");
  refuses(R"({"class_name": "EarlyStopping", "patience": 1.5})", "'patience'");
  refuses(R"({"class_name": "EarlyStopping", "patience": "3"})", "'patience'");
  refuses(R"({"class_name": "EarlyStopping", "min_delta": -0.1})", "'min_delta' must be a number from 0");
  refuses(R"({"class_name": "EarlyStopping", "mode": "maximum"})", "'mode' must be \"auto\", \"min\" or \"max\"");
  refuses(R"({"class_name": "EarlyStopping", "monitor": "val_acc"})", "'monitor' must be \"loss\"");
  refuses(R"({"class_name": "EarlyStopping", "monitor": 3})", "'monitor' must be a string");
  refuses(R"({"class_name": "EarlyStopping", "baseline": "high"})", "'baseline'");
  refuses(R"({"class_name": "EarlyStopping", "restore_best_weights": 1})", "'restore_best_weights' must be true");
  refuses(R"({"class_name": "EarlyStopping", "patience": 2, "speed": 3})", "unknown argument 'speed'");
  refuses(R"({"class_name": "ReduceLROnPlateau", "factor": 1.0})", "'factor' must be a number above 0 and below 1");
  refuses(R"({"class_name": "ReduceLROnPlateau", "factor": 0})", "'factor'");
  refuses(R"({"class_name": "ReduceLROnPlateau", "cooldown": -2})", "'cooldown'");
  refuses(R"({"class_name": "ReduceLROnPlateau", "min_lr": -1})", "'min_lr'");
  refuses(R"({"class_name": "ModelCheckpoint"})", "'filepath' is missing");
  refuses(R"({"class_name": "ModelCheckpoint", "filepath": ""})", "'filepath' must name the file");
  refuses(R"({"class_name": "ModelCheckpoint", "filepath": "a.dlm", "save_weights_only": true})", "save_weights_only");
  refuses(R"({"class_name": "ModelCheckpoint", "filepath": "a.dlm", "save_freq": 100})", "'save_freq'");
  refuses(R"({"class_name": "TensorBoard"})", "callback 'TensorBoard' is not supported");
  refuses(R"({"class_name": "EarlyStopping"}, {"class_name": "EarlyStopping"})", "holds it twice");
  refuses(R"(3)", "each callback must be an object");
  EXPECT_NE(errorOf(R"({"callbacks": {"class_name": "EarlyStopping"}})").find("'callbacks' must be a list"),
            std::string::npos);
}

TEST(CallbacksJson, TheKerasScriptPassesTheCallbacksToFit) {
  ModelSpec spec = presetMlp();
  spec.training.validationSplit = 0.1;
  spec.training.callbacks = everyField();
  const std::string py = kerasScript(spec);
  for (const std::string& part : {
           std::string("callbacks = [\n"),
           std::string("    keras.callbacks.EarlyStopping(monitor=\"val_accuracy\", mode=\"max\", min_delta=0.002, "
                       "patience=3, baseline=0.9, restore_best_weights=True, start_from_epoch=2, verbose=1),\n"),
           std::string("    keras.callbacks.ReduceLROnPlateau(monitor=\"loss\", mode=\"min\", factor=0.5, patience=2, "
                       "min_delta=0.01, cooldown=1, min_lr=1e-05, verbose=1),\n"),
           std::string("    keras.callbacks.ModelCheckpoint(filepath=\"/tmp/best model.keras\", monitor=\"val_loss\", "
                       "save_best_only=True, verbose=1),\n"),
           std::string(", validation_split=0.1, callbacks=callbacks)"),
       })
    EXPECT_NE(py.find(part), std::string::npos) << "missing: " << part << "\n" << py;
  // Without callbacks the script is as before.
  EXPECT_EQ(kerasScript(presetMlp()).find("callbacks"), std::string::npos);
}

}  // namespace
}  // namespace dl
