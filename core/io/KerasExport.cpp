// Writes a ModelSpec as a Python/Keras training script in the tutorial's style (see KerasExport.h).

#include "io/KerasExport.h"

#include "nn/LayerRegistry.h"
#include "nn/ModelAnalysis.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

namespace dl {

namespace {

std::string pyNumber(double v) { return pythonNumber(v); }
std::string pyString(const std::string& s) { return pythonString(s); }

std::string pyTuple(const Shape& s) {
  std::string t = "(";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + (s.size() == 1 ? ",)" : ")");
}

// One layer's constructor call: its kind's descriptor writes it (LayerKindInfo::kerasCall).
std::string layerCall(const LayerSpec& l, const std::string& name) { return layerKindInfo(l.kind).kerasCall(l, name); }

std::string optimizerCall(const OptimizerSpec& o) {
  std::vector<std::string> args{"learning_rate=" + pyNumber(o.learningRate)};
  std::string cls;
  if (o.type == "adam") {
    cls = "Adam";
    const OptimizerSpec d;
    if (o.beta1 != d.beta1) args.push_back("beta_1=" + pyNumber(o.beta1));
    if (o.beta2 != d.beta2) args.push_back("beta_2=" + pyNumber(o.beta2));
    if (o.epsilon != d.epsilon) args.push_back("epsilon=" + pyNumber(o.epsilon));
  } else {
    cls = "SGD";
    if (o.momentum != 0) args.push_back("momentum=" + pyNumber(o.momentum));
    if (o.nesterov) args.push_back("nesterov=True");
  }
  std::string call = "keras.optimizers." + cls + "(";
  for (size_t i = 0; i < args.size(); ++i) call += (i ? ", " : "") + args[i];
  return call + ")";
}

}  // namespace

// The callbacks' constructor calls: the monitor, then every argument that differs from Keras's
// default, and verbose=1 so that Keras prints the lines DigitLab prints
// (keras/src/callbacks/early_stopping.py, reduce_lr_on_plateau.py, model_checkpoint.py).
std::vector<std::string> callbackCalls(const CallbacksSpec& c) {
  std::vector<std::string> calls;
  auto call = [&](const std::string& cls, const std::vector<std::string>& args) {
    std::string s = "keras.callbacks." + cls + "(";
    for (size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + args[i];
    calls.push_back(s + ")");
  };
  auto monitorMode = [](std::vector<std::string>& args, const std::string& monitor, const std::string& mode) {
    args.push_back("monitor=" + pyString(monitor));
    if (mode != "auto") args.push_back("mode=" + pyString(mode));
  };
  if (const EarlyStoppingSpec& e = c.earlyStopping; e.enabled) {
    const EarlyStoppingSpec d;
    std::vector<std::string> args;
    monitorMode(args, e.monitor, e.mode);
    if (e.minDelta != d.minDelta) args.push_back("min_delta=" + pyNumber(e.minDelta));
    args.push_back("patience=" + std::to_string(e.patience));
    if (e.hasBaseline) args.push_back("baseline=" + pyNumber(e.baseline));
    if (e.restoreBestWeights) args.push_back("restore_best_weights=True");
    if (e.startFromEpoch != d.startFromEpoch) args.push_back("start_from_epoch=" + std::to_string(e.startFromEpoch));
    args.push_back("verbose=1");
    call("EarlyStopping", args);
  }
  if (const ReduceLROnPlateauSpec& r = c.reduceLrOnPlateau; r.enabled) {
    const ReduceLROnPlateauSpec d;
    std::vector<std::string> args;
    monitorMode(args, r.monitor, r.mode);
    args.push_back("factor=" + pyNumber(r.factor));
    args.push_back("patience=" + std::to_string(r.patience));
    if (r.minDelta != d.minDelta) args.push_back("min_delta=" + pyNumber(r.minDelta));
    if (r.cooldown != d.cooldown) args.push_back("cooldown=" + std::to_string(r.cooldown));
    if (r.minLr != d.minLr) args.push_back("min_lr=" + pyNumber(r.minLr));
    args.push_back("verbose=1");
    call("ReduceLROnPlateau", args);
  }
  if (const ModelCheckpointSpec& m = c.modelCheckpoint; m.enabled) {
    // Keras saves whole models only to .keras (or .h5) files: a .dlm path becomes NAME.keras.
    std::string path = m.filepath;
    if (path.size() > 4 && path.compare(path.size() - 4, 4, ".dlm") == 0) path.replace(path.size() - 4, 4, ".keras");
    if (path.size() < 6 || path.compare(path.size() - 6, 6, ".keras") != 0) path += ".keras";
    std::vector<std::string> args{"filepath=" + pyString(path)};
    monitorMode(args, m.monitor, m.mode);
    if (m.saveBestOnly) args.push_back("save_best_only=True");
    args.push_back("verbose=1");
    call("ModelCheckpoint", args);
  }
  return calls;
}

std::string kerasScript(const ModelSpec& spec, const KerasScriptOptions& options) {
  const ModelAnalysis analysis = analyze(spec);
  if (!analysis.ok()) throw SpecError("cannot export an invalid model: " + analysis.error);
  if (shapeSize(spec.inputShape) != 784)
    throw SpecError("cannot export: the model's input " + shapeToString(spec.inputShape) +
                    " does not take MNIST's 28x28 images");
  const TrainingSpec& t = spec.training;
  const bool sparse = t.loss == "sparse_categorical_crossentropy";
  const std::string dataset = options.fashionMnist ? "fashion_mnist" : "mnist";
  const std::vector<std::string> names = layerNames(spec);
  std::string reshape = "(-1";
  for (int d : spec.inputShape) reshape += ", " + std::to_string(d);
  reshape += ")";

  std::ostringstream py;
  // The name goes in as an escaped string literal: a name holding quotes or backslashes cannot
  // end the docstring early.
  py << "\"\"\"Model " << pyString(spec.name) << ": a Keras script exported by DigitLab " << DIGITLAB_VERSION << ".\n"
     << "\n"
     << "The same model, optimizer and training settings as in DigitLab, written as the Keras\n"
     << "tutorial writes them. Needs Keras 3 (pip install keras tensorflow) or TensorFlow 2.\n"
     << "Run: python3 this_file.py\n"
     << "\"\"\"\n\n"
     << "try:\n"
     << "    import keras\n"
     << "except ImportError:  # TensorFlow 2 without a separate Keras\n"
     << "    from tensorflow import keras\n"
     << "layers = keras.layers\n\n";
  if (!options.weightsFile.empty())
    py << "# The DigitLab model file whose trained weights are loaded (numpy reads .dlm files).\n"
       << "# Set it to None to train from scratch instead.\n"
       << "DIGITLAB_WEIGHTS = " << pyString(options.weightsFile) << "\n\n";
  // set_random_seed seeds numpy too, which takes seeds below 2^32.
  const uint64_t seed = t.seed % (uint64_t(1) << 32);
  py << "keras.utils.set_random_seed(" << seed << ")  # DigitLab's seed"
     << (seed != t.seed ? " " + std::to_string(t.seed) + " modulo 2**32" : std::string())
     << " (Keras draws other numbers)\n\n"
     << "# The data: 60,000 training and 10,000 test images of 28x28 grey pixels, scaled to [0, 1].\n"
     << "(x_train, y_train), (x_test, y_test) = keras.datasets." << dataset << ".load_data()\n"
     << "x_train = x_train.reshape" << reshape << ".astype(\"float32\") / 255\n"
     << "x_test = x_test.reshape" << reshape << ".astype(\"float32\") / 255\n";
  if (!sparse)
    py << "y_train = keras.utils.to_categorical(y_train, 10)\n"
       << "y_test = keras.utils.to_categorical(y_test, 10)\n";
  py << "\n"
     << "model = keras.Sequential(\n"
     << "    [\n"
     << "        keras.Input(shape=" << pyTuple(spec.inputShape) << "),\n";
  for (size_t i = 0; i < spec.layers.size(); ++i) py << "        " << layerCall(spec.layers[i], names[i]) << ",\n";
  py << "    ],\n"
     << "    name=" << pyString(spec.name) << ",\n"
     << ")\n"
     << "model.summary()\n\n"
     << "model.compile(\n"
     << "    optimizer=" << optimizerCall(t.optimizer) << ",\n"
     << "    loss=" << pyString(t.loss) << ",\n"
     << "    metrics=[\"accuracy\"],\n"
     << ")\n\n";
  const std::vector<std::string> callbacks = callbackCalls(t.callbacks);
  if (!callbacks.empty()) {
    py << "callbacks = [\n";
    for (const std::string& c : callbacks) py << "    " << c << ",\n";
    py << "]\n\n";
  }
  std::string fit =
      "model.fit(x_train, y_train, batch_size=" + std::to_string(t.batchSize) + ", epochs=" + std::to_string(t.epochs);
  if (t.validateOnTestSet)
    fit += ", validation_data=(x_test, y_test)";
  else if (t.validationSplit > 0)
    fit += ", validation_split=" + pyNumber(t.validationSplit);
  if (!callbacks.empty()) fit += ", callbacks=callbacks";
  fit += ")";
  if (options.weightsFile.empty()) {
    py << fit << "\n\n";
  } else {
    py << "if DIGITLAB_WEIGHTS:\n"
       << "    import numpy\n"
       << "\n"
       << "    trained = numpy.load(DIGITLAB_WEIGHTS)\n"
       << "    for layer in model.layers:\n"
       << "        if layer.weights:\n"
       << "            names = [\"kernel\", \"bias\"] if getattr(layer, \"use_bias\", False) else [\"kernel\"]\n"
       << "            layer.set_weights([trained[f\"weights/{layer.name}/{n}\"] for n in names])\n"
       << "else:\n"
       << "    " << fit << "\n\n";
  }
  py << "train_loss, train_accuracy = model.evaluate(x_train, y_train, verbose=0)\n"
     << "test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)\n"
     << "print(f\"Train loss: {train_loss:.4f} - Train accuracy: {train_accuracy:.4f}\")\n"
     << "print(f\"Test loss: {test_loss:.4f} - Test accuracy: {test_accuracy:.4f}\")\n";
  return py.str();
}

}  // namespace dl
