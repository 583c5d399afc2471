// `digitlab train` and `digitlab summary`: the headless front door to the training core.
// train prints Keras 3's progress line per epoch (keras/src/utils/progbar.py) and, like the
// tutorial, the train and test loss and accuracy at the end; --json adds one line of JSON.

#include "Commands.h"

#include "ModelArgument.h"
#include "data/IdxReader.h"
#include "data/MyDigits.h"
#include "io/ModelFile.h"
#include "model/ModelSpecJson.h"
#include "nn/Callbacks.h"
#include "nn/ModelAnalysis.h"
#include "nn/Trainer.h"
#include "train/TrainingTypes.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

namespace {

void addModelOption(QCommandLineParser& p) {
  p.addOption({QStringLiteral("model"), QStringLiteral("mlp, cnn, digits, a JSON spec or a .dlm file."),
               QStringLiteral("MODEL")});
}

// Parses the sub-command's arguments; prints the problem and returns false on a usage error.
bool parseArgs(QCommandLineParser& p, const QString& command, const QStringList& args) {
  p.addHelpOption();
  if (!p.parse(QStringList{QStringLiteral("digitlab ") + command} + args)) {
    std::fprintf(stderr, "digitlab %s: %s\n", qPrintable(command), qPrintable(p.errorText()));
    return false;
  }
  if (!p.positionalArguments().isEmpty()) {
    std::fprintf(stderr, "digitlab %s: unexpected argument '%s'\n", qPrintable(command),
                 qPrintable(p.positionalArguments().first()));
    return false;
  }
  return true;
}

// Keras's number format: .4f, or .4e when |v| <= 1e-3 (and not 0).
std::string kerasNumber(double v) {
  char buf[32];
  if (v != 0 && std::abs(v) <= 1e-3)
    std::snprintf(buf, sizeof buf, "%.4e", v);
  else
    std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

// Keras prints whole seconds ("0s", "3s"), minutes past a minute.
std::string duration(double seconds) {
  char buf[32];
  if (seconds < 60)
    std::snprintf(buf, sizeof buf, "%ds", int(seconds));
  else
    std::snprintf(buf, sizeof buf, "%dm %02ds", int(seconds) / 60, int(seconds) % 60);
  return buf;
}

// "250/250 ━━━━━━━━━━━━━━━━━━━━ 1s 4ms/step - accuracy: 0.8123 - loss: 0.6012"
std::string progressLine(int step, int steps, double seconds, double accuracy, double loss, const dl::EpochLog* e) {
  const int width = 20, filled = steps ? step * width / steps : width;
  std::string bar;
  for (int i = 0; i < width; ++i) bar += i < filled ? "\u2501" : "\u2500";  // ━ done, ─ to go
  std::string line = std::to_string(step) + "/" + std::to_string(steps) + " " + bar + " ";
  line += duration(seconds) + " ";
  const double perStep = step ? seconds / step : 0;
  line +=
      perStep < 1e-3 ? std::to_string(int(perStep * 1e6)) + "us/step" : std::to_string(int(perStep * 1e3)) + "ms/step";
  line += " - accuracy: " + kerasNumber(accuracy) + " - loss: " + kerasNumber(loss);
  if (e && e->hasValidation())
    line += " - val_accuracy: " + kerasNumber(e->valAccuracy) + " - val_loss: " + kerasNumber(e->valLoss);
  return line;
}

QJsonObject metrics(const dl::EvalResult& r) {
  return QJsonObject{{QStringLiteral("loss"), r.loss}, {QStringLiteral("accuracy"), r.accuracy}};
}

void addTrainOptions(QCommandLineParser& p) {
  p.setApplicationDescription(QStringLiteral("Train a model on MNIST-format data."));
  addModelOption(p);
  p.addOptions({
      {QStringLiteral("data"),
       QStringLiteral("embedded (default), fashion, mnist, my (your own digits), or a folder of MNIST IDX files."),
       QStringLiteral("DATA"), QStringLiteral("embedded")},
      {QStringLiteral("epochs"), QStringLiteral("Number of epochs (default: the model's)."), QStringLiteral("N")},
      {QStringLiteral("batch-size"), QStringLiteral("Batch size (default: the model's)."), QStringLiteral("N")},
      {QStringLiteral("optimizer"), QStringLiteral("sgd or adam (default: the model's)."), QStringLiteral("NAME")},
      {QStringLiteral("lr"), QStringLiteral("Learning rate (default: the model's)."), QStringLiteral("X")},
      {QStringLiteral("momentum"), QStringLiteral("SGD momentum."), QStringLiteral("X")},
      {QStringLiteral("nesterov"), QStringLiteral("SGD with Nesterov momentum.")},
      {QStringLiteral("validation-split"),
       QStringLiteral("Fraction of the training data (its last rows) held out for validation."), QStringLiteral("X")},
      {QStringLiteral("validate-on-test"),
       QStringLiteral("Validate each epoch on the test set (Keras's validation_data=(x_test, y_test)).")},
      {QStringLiteral("seed"), QStringLiteral("Seed for weights, shuffling and dropout (default 1)."),
       QStringLiteral("N")},
      {QStringLiteral("threads"), QStringLiteral("Threads (default: all cores)."), QStringLiteral("N"),
       QStringLiteral("0")},
      {QStringLiteral("json"), QStringLiteral("End with one line of JSON with the results.")},
      {QStringLiteral("save"),
       QStringLiteral("Save the trained model (architecture, weights, history) as a .dlm file."),
       QStringLiteral("FILE")},
      // Keras's callbacks (keras.callbacks.*), over the model's own settings.
      {QStringLiteral("early-stopping"),
       QStringLiteral("EarlyStopping: stop after PATIENCE epochs without improvement."), QStringLiteral("PATIENCE")},
      {QStringLiteral("early-stopping-monitor"),
       QStringLiteral("EarlyStopping's monitor: loss, accuracy, val_loss (default) or val_accuracy."),
       QStringLiteral("NAME")},
      {QStringLiteral("min-delta"), QStringLiteral("EarlyStopping's min_delta (default 0)."), QStringLiteral("X")},
      {QStringLiteral("restore-best-weights"), QStringLiteral("EarlyStopping: end with the best epoch's weights.")},
      {QStringLiteral("reduce-lr-on-plateau"),
       QStringLiteral("ReduceLROnPlateau: lower the learning rate after PATIENCE epochs without improvement."),
       QStringLiteral("PATIENCE")},
      {QStringLiteral("reduce-lr-monitor"), QStringLiteral("ReduceLROnPlateau's monitor (default val_loss)."),
       QStringLiteral("NAME")},
      {QStringLiteral("lr-factor"), QStringLiteral("ReduceLROnPlateau's factor (default 0.1)."), QStringLiteral("X")},
      {QStringLiteral("min-lr"), QStringLiteral("ReduceLROnPlateau's min_lr (default 0)."), QStringLiteral("X")},
      {QStringLiteral("cooldown"), QStringLiteral("ReduceLROnPlateau's cooldown in epochs (default 0)."),
       QStringLiteral("N")},
      {QStringLiteral("checkpoint"),
       QStringLiteral("ModelCheckpoint: save the model to this .dlm file after each epoch."), QStringLiteral("FILE")},
      {QStringLiteral("save-best-only"), QStringLiteral("ModelCheckpoint: save only when the monitor improves.")},
      {QStringLiteral("checkpoint-monitor"), QStringLiteral("ModelCheckpoint's monitor (default val_loss)."),
       QStringLiteral("NAME")},
  });
}

// --name as a whole number in [lo, hi] into *out (left alone when not given); prints the problem
// and returns false when it is not one.
bool intOption(const QCommandLineParser& p, const QString& name, int lo, int hi, int* out) {
  if (!p.isSet(name)) return true;
  bool ok = false;
  const int v = p.value(name).toInt(&ok);
  if (!ok || v < lo || v > hi) {
    std::fprintf(stderr, "digitlab train: --%s must be a whole number from %d to %d\n", qPrintable(name), lo, hi);
    return false;
  }
  *out = v;
  return true;
}

bool doubleOption(const QCommandLineParser& p, const QString& name, double lo, double hi, double* out) {
  if (!p.isSet(name)) return true;
  bool ok = false;
  const double v = p.value(name).toDouble(&ok);
  if (!ok || !(v >= lo && v <= hi)) {
    std::fprintf(stderr, "digitlab train: --%s must be a number from %g to %g\n", qPrintable(name), lo, hi);
    return false;
  }
  *out = v;
  return true;
}

// --optimizer: another optimizer than the model's starts from Keras's defaults for it (its
// learning rate too, unless --lr); then --nesterov.
bool applyOptimizerOptions(const QCommandLineParser& p, dl::TrainingSpec& t) {
  if (p.isSet(QStringLiteral("optimizer"))) {
    const QString o = p.value(QStringLiteral("optimizer")).toLower();
    if (o != QLatin1String("sgd") && o != QLatin1String("adam")) {
      std::fprintf(stderr, "digitlab train: --optimizer must be sgd or adam\n");
      return false;
    }
    if (o.toStdString() != t.optimizer.type) {
      const double lr =
          p.isSet(QStringLiteral("lr")) ? t.optimizer.learningRate : (o == QLatin1String("adam") ? 0.001 : 0.01);
      t.optimizer = dl::OptimizerSpec{};
      t.optimizer.type = o.toStdString();
      t.optimizer.learningRate = lr;  // Keras's default for the new optimizer unless --lr
    }
  }
  if (p.isSet(QStringLiteral("nesterov"))) t.optimizer.nesterov = true;
  return true;
}

bool applyValidationOptions(const QCommandLineParser& p, dl::TrainingSpec& t) {
  if (p.isSet(QStringLiteral("validate-on-test")) && p.isSet(QStringLiteral("validation-split"))) {
    std::fprintf(stderr, "digitlab train: give --validate-on-test or --validation-split, not both\n");
    return false;
  }
  if (p.isSet(QStringLiteral("validate-on-test"))) t.validateOnTestSet = true;
  if (p.isSet(QStringLiteral("validation-split"))) t.validateOnTestSet = false;
  if (t.validateOnTestSet) t.validationSplit = 0;  // as the spec files store it
  return true;
}

bool applySeedOption(const QCommandLineParser& p, dl::TrainingSpec& t) {
  if (!p.isSet(QStringLiteral("seed"))) return true;  // else the spec's own seed
  bool ok = false;
  const qulonglong v = p.value(QStringLiteral("seed")).toULongLong(&ok);
  if (!ok || v > 2147483647) {  // as model files and the app take it
    std::fprintf(stderr, "digitlab train: --seed must be a whole number from 0 to 2147483647\n");
    return false;
  }
  t.seed = uint64_t(v);
  return true;
}

bool monitorOption(const QCommandLineParser& p, const QString& name, std::string* out) {
  if (!p.isSet(name)) return true;
  const std::string v = p.value(name).toStdString();
  const auto& monitors = dl::callbackMonitors();
  if (std::find(monitors.begin(), monitors.end(), v) == monitors.end()) {
    std::fprintf(stderr, "digitlab train: --%s must be loss, accuracy, val_loss or val_accuracy\n", qPrintable(name));
    return false;
  }
  *out = v;
  return true;
}

// An option that only means something with another one.
bool needs(const QCommandLineParser& p, const QStringList& options, const QString& parent, bool enabled) {
  for (const QString& o : options)
    if (p.isSet(o) && !enabled) {
      std::fprintf(stderr, "digitlab train: --%s needs --%s\n", qPrintable(o), qPrintable(parent));
      return false;
    }
  return true;
}

// --early-stopping, --reduce-lr-on-plateau, --checkpoint and their settings, over the model's own
// callbacks (a spec file's); false on a usage error (printed).
bool applyCallbackOptions(const QCommandLineParser& p, dl::CallbacksSpec& c) {
  auto qsl = [](const char* s) { return QString::fromLatin1(s); };
  dl::EarlyStoppingSpec& e = c.earlyStopping;
  if (p.isSet(qsl("early-stopping"))) e.enabled = true;
  if (!intOption(p, qsl("early-stopping"), 0, dl::kMaxCallbackCount, &e.patience) ||
      !monitorOption(p, qsl("early-stopping-monitor"), &e.monitor) ||
      !doubleOption(p, qsl("min-delta"), 0, 1e6, &e.minDelta) ||
      !needs(p, {qsl("early-stopping-monitor"), qsl("min-delta"), qsl("restore-best-weights")}, qsl("early-stopping"),
             e.enabled))
    return false;
  if (p.isSet(qsl("restore-best-weights"))) e.restoreBestWeights = true;
  dl::ReduceLROnPlateauSpec& r = c.reduceLrOnPlateau;
  if (p.isSet(qsl("reduce-lr-on-plateau"))) r.enabled = true;
  if (!intOption(p, qsl("reduce-lr-on-plateau"), 0, dl::kMaxCallbackCount, &r.patience) ||
      !monitorOption(p, qsl("reduce-lr-monitor"), &r.monitor) ||
      !doubleOption(p, qsl("lr-factor"), 1e-6, 0.999999, &r.factor) ||
      !doubleOption(p, qsl("min-lr"), 0, 1e6, &r.minLr) ||
      !intOption(p, qsl("cooldown"), 0, dl::kMaxCallbackCount, &r.cooldown) ||
      !needs(p, {qsl("reduce-lr-monitor"), qsl("lr-factor"), qsl("min-lr"), qsl("cooldown")},
             qsl("reduce-lr-on-plateau"), r.enabled))
    return false;
  dl::ModelCheckpointSpec& m = c.modelCheckpoint;
  if (p.isSet(qsl("checkpoint"))) {
    m.enabled = true;
    m.filepath = p.value(qsl("checkpoint")).toStdString();
  }
  if (!monitorOption(p, qsl("checkpoint-monitor"), &m.monitor) ||
      !needs(p, {qsl("save-best-only"), qsl("checkpoint-monitor")}, qsl("checkpoint"), m.enabled))
    return false;
  if (p.isSet(qsl("save-best-only"))) m.saveBestOnly = true;
  if (const std::string problem = dl::callbacksProblem(c); !problem.empty()) {
    std::fprintf(stderr, "digitlab train: %s\n", problem.c_str());
    return false;
  }
  return true;
}

// The command line's training settings over the model's own; false on a usage error (printed).
bool applyTrainingOptions(const QCommandLineParser& p, dl::TrainingSpec& t, int& threads) {
  return intOption(p, QStringLiteral("epochs"), 1, 100000, &t.epochs) &&
         intOption(p, QStringLiteral("batch-size"), 1, 1 << 20, &t.batchSize) &&
         intOption(p, QStringLiteral("threads"), 0, 1024, &threads) &&
         doubleOption(p, QStringLiteral("lr"), 1e-12, 1e6, &t.optimizer.learningRate) &&
         doubleOption(p, QStringLiteral("momentum"), 0, 0.999999, &t.optimizer.momentum) &&
         doubleOption(p, QStringLiteral("validation-split"), 0, 0.99, &t.validationSplit) &&
         applyOptimizerOptions(p, t) && applyValidationOptions(p, t) && applySeedOption(p, t) &&
         applyCallbackOptions(p, t.callbacks);
}

// fit with Keras's console output: "Epoch e/E", a live progress line on a terminal, each epoch's
// closing line and, on their own lines, what the callbacks said in Keras's order (their warnings
// on stderr). Records the history into meta; ModelCheckpoint saves the model with it.
dl::FitResult fitWithProgress(dl::Model& model, dl::Optimizer& optimizer, const dl::DatasetPair& data,
                              const dl::TrainingSpec& t, dl::ModelFileMetadata& meta) {
  const auto callbacks = dl::makeCallbacks(t.callbacks, [&](const std::string& path, const dl::EpochLog& e) {
    dl::ModelFileMetadata m = meta;  // the history up to this epoch, this one included
    m.history.addEpoch(e);
    const QString file = QString::fromStdString(path);
    QDir().mkpath(QFileInfo(file).absolutePath());  // Keras creates the folder too
    dl::saveModelFile(file, model, m);
  });
  const bool tty = isatty(STDOUT_FILENO);
  auto lastDraw = std::chrono::steady_clock::now();
  dl::FitOptions o;
  o.batchSize = t.batchSize;
  o.epochs = t.epochs;
  o.validationSplit = t.validationSplit;
  if (t.validateOnTestSet) o.validation = &data.test;
  o.seed = t.seed;
  o.callbacks = dl::callbackPointers(callbacks);
  o.onBatch = [&](const dl::BatchLog& b) {
    meta.history.addBatch(b);
    if (b.batch == 1 && b.epochs > 1) std::printf("Epoch %d/%d\n", b.epoch, b.epochs);
    const auto now = std::chrono::steady_clock::now();
    if (tty && b.batch < b.batchesPerEpoch && now - lastDraw > std::chrono::milliseconds(100)) {
      lastDraw = now;
      std::printf("\r%s\033[K",
                  progressLine(b.batch, b.batchesPerEpoch, b.elapsedSeconds, b.runningAccuracy, b.runningLoss, nullptr)
                      .c_str());
      std::fflush(stdout);
    }
  };
  o.onEpoch = [&](const dl::EpochLog& e) {
    meta.history.addEpoch(e);
    const int steps = (int(std::floor(data.train.count * (1.0 - t.validationSplit))) + t.batchSize - 1) / t.batchSize;
    // Keras runs the callbacks' on_epoch_end before the progress bar's (ProgbarLogger is the last
    // callback, keras/src/callbacks/callback_list.py): their lines come before the epoch's closing
    // line, the training end's (EarlyStopping) after it.
    const size_t atEnd = e.callbackMessages.size() - size_t(e.trainEndMessages);
    for (size_t i = 0; i < atEnd; ++i) std::printf("%s%s\n", tty ? "\r\033[K" : "", e.callbackMessages[i].c_str());
    std::printf("%s%s\n", tty ? "\r" : "", progressLine(steps, steps, e.seconds, e.accuracy, e.loss, &e).c_str());
    for (size_t i = atEnd; i < e.callbackMessages.size(); ++i) std::printf("%s\n", e.callbackMessages[i].c_str());
    std::fflush(stdout);
    for (const std::string& w : e.callbackWarnings) std::fprintf(stderr, "UserWarning: %s\n", w.c_str());
  };
  return dl::fit(model, optimizer, data.train, o);
}

// "Training diverged: the loss became NaN in epoch 1 at batch 3. Try a lower learning rate (now 0.2)."
std::string divergedMessage(const dl::Divergence& d, double learningRate) {
  char advice[64];
  std::snprintf(advice, sizeof advice, " Try a lower learning rate (now %g).", learningRate);
  return dl::divergenceText(d).toStdString() + advice;
}

// The run's one line of JSON (--json): per-epoch figures, the final ones, the mean throughput.
QJsonObject resultJson(const dl::ModelSpec& spec, const dl::DatasetPair& data, const dl::FitResult& fit,
                       const dl::EvalResult& train, const dl::EvalResult& test) {
  QJsonArray epochs;
  double seconds = 0;
  int64_t samples = 0;
  for (const dl::EpochLog& e : fit.epochs) {
    QJsonObject obj{{QStringLiteral("epoch"), e.epoch},
                    {QStringLiteral("seconds"), e.seconds},
                    {QStringLiteral("loss"), e.loss},
                    {QStringLiteral("accuracy"), e.accuracy},
                    {QStringLiteral("samples_per_second"), e.samplesPerSecond}};
    if (e.hasValidation()) {
      obj.insert(QStringLiteral("val_loss"), e.valLoss);
      obj.insert(QStringLiteral("val_accuracy"), e.valAccuracy);
    }
    if (spec.training.callbacks.any()) obj.insert(QStringLiteral("learning_rate"), e.learningRate);
    epochs.append(obj);
    seconds += e.seconds;
    samples += int64_t(std::llround(e.samplesPerSecond * e.seconds));
  }
  QJsonObject result{{QStringLiteral("model"), QString::fromStdString(spec.name)},
                     {QStringLiteral("data"), QString::fromStdString(data.name)},
                     {QStringLiteral("epochs"), epochs},
                     {QStringLiteral("train"), metrics(train)},
                     {QStringLiteral("test"), metrics(test)},
                     {QStringLiteral("samples_per_second"), seconds > 0 ? double(samples) / seconds : 0.0}};
  if (spec.training.callbacks.any()) result.insert(QStringLiteral("stopped_early"), fit.stoppedEarly);
  return result;
}

// Loads the data, trains, prints the tutorial's closing figures, saves and prints JSON if asked.
// Returns the exit code; throws on a failure to report.
int train(const QCommandLineParser& p, const dl::ModelSpec& spec, int threads) {
  const dl::TrainingSpec& t = spec.training;
  dl::setThreadCount(threads);
  const dl::DatasetPair data = dl::loadDatasetOrMyDigits(p.value(QStringLiteral("data")).toStdString());
  dl::Model model(spec, t.seed);
  const QString modelArg = p.value(QStringLiteral("model"));
  if (modelArg.endsWith(QLatin1String(".dlm"), Qt::CaseInsensitive)) {
    model.setWeights(dl::loadModelFile(modelArg).weights);  // continue from the saved weights
    std::printf("Continuing from the weights in %s\n", qPrintable(modelArg));
  }
  dl::ModelFileMetadata meta;
  meta.dataset = data.name;
  auto optimizer = dl::Optimizer::create(t.optimizer);
  std::printf("Training %s on %s: %d train / %d test images, batch %d, %d epoch%s, %s lr %g\n", spec.name.c_str(),
              data.name.c_str(), data.train.count, data.test.count, t.batchSize, t.epochs, t.epochs > 1 ? "s" : "",
              t.optimizer.type.c_str(), t.optimizer.learningRate);
  std::fflush(stdout);

  const dl::FitResult fit = fitWithProgress(model, *optimizer, data, t, meta);
  if (fit.divergence) {
    std::fprintf(stderr, "digitlab train: %s\n", divergedMessage(*fit.divergence, t.optimizer.learningRate).c_str());
    return 1;
  }
  const dl::EvalResult train = dl::evaluate(model, data.train);
  const dl::EvalResult test = dl::evaluate(model, data.test);
  std::printf("Train loss: %.4f - Train accuracy: %.4f\n", train.loss, train.accuracy);
  std::printf("Test loss: %.4f - Test accuracy: %.4f\n", test.loss, test.accuracy);
  if (p.isSet(QStringLiteral("save"))) {
    meta.trainLoss = train.loss;
    meta.trainAccuracy = train.accuracy;
    meta.testLoss = test.loss;
    meta.testAccuracy = test.accuracy;
    dl::saveModelFile(p.value(QStringLiteral("save")), model, meta);
    std::printf("Saved %s\n", qPrintable(p.value(QStringLiteral("save"))));
  }
  if (p.isSet(QStringLiteral("json")))
    std::printf("%s\n",
                QJsonDocument(resultJson(spec, data, fit, train, test)).toJson(QJsonDocument::Compact).constData());
  return 0;
}

}  // namespace

int cmdTrain(const QStringList& args) {
  QCommandLineParser p;
  addTrainOptions(p);
  if (!parseArgs(p, QStringLiteral("train"), args)) return 2;
  if (p.isSet(QStringLiteral("help"))) {  // every option, the callbacks' included
    std::printf("%s", qPrintable(p.helpText()));
    return 0;
  }
  if (!p.isSet(QStringLiteral("model"))) {
    std::fprintf(stderr, "digitlab train: --model is required (mlp, cnn, digits, SPEC.json or MODEL.dlm)\n");
    return 2;
  }
  dl::ModelSpec spec;
  try {
    spec = dl::resolveModelArgument(p.value(QStringLiteral("model")).toStdString());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digitlab train: %s\n", e.what());
    return 1;
  }
  int threads = 0;
  if (!applyTrainingOptions(p, spec.training, threads)) return 2;
  try {
    return train(p, spec, threads);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digitlab train: %s\n", e.what());
    return 1;
  }
}

int cmdSummary(const QStringList& args) {
  QCommandLineParser p;
  p.setApplicationDescription(QStringLiteral("Print the model's layers, output shapes and parameter counts."));
  addModelOption(p);
  if (!parseArgs(p, QStringLiteral("summary"), args)) return 2;
  if (!p.isSet(QStringLiteral("model"))) {
    std::fprintf(stderr, "digitlab summary: --model is required (mlp, cnn, digits, SPEC.json or MODEL.dlm)\n");
    return 2;
  }
  try {
    const dl::ModelSpec spec = dl::resolveModelArgument(p.value(QStringLiteral("model")).toStdString());
    const dl::ModelAnalysis a = dl::analyze(spec);
    std::printf("%s", dl::summaryText(spec).c_str());
    return a.ok() ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digitlab summary: %s\n", e.what());
    return 1;
  }
}
