// The training worker: dl::fit in a background thread, reporting through queued signals.

#include "train/TrainingWorker.h"

#include "nn/Model.h"
#include "nn/ModelAnalysis.h"
#include "nn/Optimizer.h"
#include "nn/Trainer.h"

#include <QLocale>
#include <QMutexLocker>

#include <algorithm>
#include <cmath>
#include <exception>
#include <stdexcept>

namespace dl {

namespace {

constexpr int kEvaluationBatch = 256;  // samples per forward pass of the final evaluation

// Where fit diverged (its data, in words), and our advice with a readable learning rate.
QString divergedMessage(const Divergence& divergence, double learningRate) {
  return QStringLiteral("%1 Try a lower learning rate (now %2; for example %3).")
      .arg(divergenceText(divergence), QString::number(learningRate, 'g', 6),
           QString::number(learningRate / 10, 'g', 6));
}

// "Trained 5 epochs in 8.8 s: test accuracy 97.12 %." for a run that was not stopped; a continued
// run names its epochs ("Trained epochs 6–10 in ...").
QString completedMessage(const TrainRequest& request, const TrainResult& result) {
  // An EarlyStopping ends a run before its last epoch: the epochs actually trained.
  const int trained = result.epochs.empty() ? request.spec.training.epochs : int(result.epochs.size());
  const int first = request.initialEpoch + 1, last = request.initialEpoch + trained;
  const QString epochs = request.initialEpoch == 0 ? (trained == 1 ? TrainingWorker::tr("1 epoch")
                                                                   : TrainingWorker::tr("%1 epochs").arg(trained))
                         : first == last           ? TrainingWorker::tr("epoch %1").arg(first)
                                                   : TrainingWorker::tr("epochs %1–%2").arg(first).arg(last);
  QString message = TrainingWorker::tr("Trained %1 in %2").arg(epochs, durationText(result.seconds));
  if (result.testEvaluated)
    return message + QStringLiteral(": test accuracy %1 %.").arg(result.testAccuracy * 100, 0, 'f', 2);
  return message + QLatin1Char('.');
}

// The callbacks' lines of the training's end (on the last epoch's log, after its ReduceLROnPlateau or
// ModelCheckpoint lines): " Epoch 7: early stopping · Restoring model weights ...", or "".
QString trainingEndText(const FitResult& fit) {
  const EpochLog& last = fit.epochs.back();
  QStringList lines;
  for (size_t i = last.callbackMessages.size() - size_t(last.trainEndMessages); i < last.callbackMessages.size(); ++i)
    lines << QString::fromStdString(last.callbackMessages[i]);
  return lines.isEmpty() ? QString() : QLatin1Char(' ') + lines.join(QStringLiteral(" · "));
}

// "digits" for MNIST's classes 0..9, "images" for anything else (Fashion-MNIST).
QString samplesWord(const DatasetPair& data) {
  for (size_t i = 0; i < data.classNames.size(); ++i)
    if (data.classNames[i] != std::to_string(i)) return TrainingWorker::tr("images");
  return TrainingWorker::tr("digits");
}

QString thousands(int n) { return QLocale(QLocale::English).toString(n); }

QString figure(double v) { return QString::number(v, 'f', 4); }  // as Keras's progress bar

// Sets the weights, saying which model they do not fit.
void setWeightsOf(Model& model, const std::vector<Matrix>& weights) {
  try {
    model.setWeights(weights);
  } catch (const SpecError& e) {
    throw SpecError(TrainingWorker::tr("The weights do not fit this model (%1). Train it first, or reopen the model "
                                       "the weights belong to.")
                        .arg(QString::fromUtf8(e.what()))
                        .toStdString());
  }
}

}  // namespace

TrainingWorker::TrainingWorker(QObject* parent) : QObject(parent) { registerTrainingMetaTypes(); }

void TrainingWorker::prepare() {
  if (!m_shutdown.load()) m_cancel.store(false);
  QMutexLocker lock(&m_pauseMutex);
  m_paused = false;
  m_evaluatingPhase = false;
  m_stepsRequested = 0;
  m_requestedLearningRate.store(std::numeric_limits<double>::quiet_NaN());
}

bool TrainingWorker::setPaused(bool paused) {
  QMutexLocker lock(&m_pauseMutex);
  if (paused && m_evaluatingPhase) return false;  // not offered: evaluation never blocks
  m_paused = paused;
  if (!paused) {
    m_stepsRequested = 0;  // resuming trains on anyway
    m_resumed.wakeAll();
  }
  return true;
}

void TrainingWorker::requestStop() {
  m_cancel.store(true);  // before taking the mutex: a waiter re-checks it under the mutex
  QMutexLocker lock(&m_pauseMutex);
  m_resumed.wakeAll();
}

void TrainingWorker::shutdown() {
  m_shutdown.store(true);
  requestStop();
}

bool TrainingWorker::isPaused() const {
  QMutexLocker lock(&m_pauseMutex);
  return m_paused;
}

void TrainingWorker::start(const TrainRequest& request) {
  if (m_shutdown.load()) return;
  try {
    run(request);
  } catch (const std::exception& e) {
    m_pending.clear();
    emit failed(QString::fromUtf8(e.what()));
  }
}

void TrainingWorker::startEvaluation(const EvaluateRequest& request) {
  if (m_shutdown.load()) return;
  try {
    runEvaluation(request);
  } catch (const std::exception& e) {
    emit failed(QString::fromUtf8(e.what()));
  }
}

double TrainingWorker::activeSeconds() const { return std::max(0.0, m_clock.elapsed() / 1000.0 - m_pausedTotal); }

void TrainingWorker::run(const TrainRequest& request) {
  beginRun(request);
  const TrainingSpec& training = request.spec.training;
  setThreadCount(request.threads);
  Model model(request.spec, training.seed);
  if (!request.initialWeights.empty()) setWeightsOf(model, request.initialWeights);  // continue
  // Fresh optimizer state even when continuing: no moments are kept between runs (see header).
  std::unique_ptr<Optimizer> optimizer = Optimizer::create(training.optimizer);

  emit started(training.epochs, stepsPerEpoch(request), trainingRows(request));
  const BatchSource& train = request.trainSource ? *request.trainSource : request.data->train;
  const FitResult fitResult = fit(model, *optimizer, train, fitOptions(request, model));
  flushProgress();
  // fit has seen the first Stop (if any); from now on a Stop means "stop evaluating".
  if (fitResult.cancelled) m_cancel.store(false);
  emit finished(finishRun(request, fitResult, model));
}

void TrainingWorker::beginRun(const TrainRequest& request) {
  m_clock.start();
  m_pausedTotal = 0;
  {
    QMutexLocker lock(&m_pauseMutex);
    m_evaluatingPhase = false;  // (a pause asked since prepare() holds at the first batch)
  }
  if (!request.data || request.data->train.empty()) throw std::runtime_error("No training data is loaded.");
  if (request.trainSource && request.trainSource->rowCount() == 0)
    throw std::runtime_error("The training source has no rows.");
  const ModelAnalysis analysis = analyze(request.spec);
  if (!analysis.ok()) throw SpecError(analysis.error);
  if (request.initialEpoch < 0) throw std::runtime_error("The initial epoch cannot be negative.");

  m_runSpec = request.spec;
  // My digits are scored only when they are images of the training data's size (a model for
  // other images could not take them).
  m_myDigits =
      request.myDigits && !request.myDigits->empty() && request.myDigits->pixels() == request.data->train.pixels()
          ? request.myDigits
          : nullptr;
  m_pending.clear();
  m_pending.reserve(256);
  m_lastProgressMs = 0;
  m_lastSnapshotMs = 0;
  m_batchesAtSnapshot = -1;
  m_progressIntervalMs = std::max(1, request.progressIntervalMs);
  m_snapshotIntervalMs = std::max(1, request.snapshotIntervalMs);
  m_pausedThisEpoch = 0;
  m_batchesTrained = 0;
  m_history = TrainingHistory{};
  m_datasetName = request.data->name;
  m_checkpointWarnings.clear();
}

FitOptions TrainingWorker::fitOptions(const TrainRequest& request, Model& model) {
  const TrainingSpec& training = request.spec.training;
  const DatasetPair& data = *request.data;
  FitOptions options;
  options.batchSize = training.batchSize;
  options.epochs = request.initialEpoch + training.epochs;  // Keras: epochs is the final epoch's number
  options.initialEpoch = request.initialEpoch;
  options.seed = training.seed;
  options.cancel = &m_cancel;
  if (request.validation == ValidationMode::TestSet && !data.test.empty())
    options.validation = &data.test;
  else if (request.validation == ValidationMode::Split)
    options.validationSplit = training.validationSplit;
  options.onBatch = [this, &model](const BatchLog& log) { onBatch(log, model); };
  options.onEpoch = [this, &model](const EpochLog& log) { onEpoch(log, model); };
  // Keras's callbacks (see the header); ModelCheckpoint saves from this thread.
  m_callbacks = makeCallbacks(training.callbacks, [this, &model](const std::string& path, const EpochLog& log) {
    TrainingHistory history = m_history;
    history.addEpoch(log);
    try {
      if (!m_modelSaver) throw std::runtime_error("this worker has no model saver");
      m_modelSaver(path, model, history, m_datasetName);
    } catch (const std::exception& e) {
      m_checkpointWarnings.push_back(tr("ModelCheckpoint could not save epoch %1: %2")
                                         .arg(log.epoch)
                                         .arg(QString::fromUtf8(e.what()))
                                         .toStdString());
    }
  });
  options.callbacks = callbackPointers(m_callbacks);
  addSteering(request, options);
  return options;
}

void TrainingWorker::onEpoch(const EpochLog& log, Model& model) {
  flushProgress();  // the epoch's last batches arrive before the epoch itself
  // This epoch's weights, just before its epochFinished (see the header): a checkpoint saved on
  // epochFinished from the latest snapshot holds exactly them. fit never reports an epoch whose
  // weights are not finite, so this snapshot is always emitted.
  emitSnapshot(model);
  EpochLog e = log;
  m_history.addEpoch(log);  // for ModelCheckpoint's next file
  e.callbackWarnings.insert(e.callbackWarnings.end(), m_checkpointWarnings.begin(), m_checkpointWarnings.end());
  m_checkpointWarnings.clear();
  e.seconds = std::max(1e-9, e.seconds - m_pausedThisEpoch);
  e.samplesPerSecond = log.seconds > 0 ? log.samplesPerSecond * log.seconds / e.seconds : 0;
  // My digits with this epoch's weights, in inference mode (evaluate: dropout off, moving
  // statistics), not counted as training time. Skipped once a Stop or shutdown is asked.
  if (m_myDigits && !m_cancel.load() && !m_shutdown.load()) {
    const EvalResult mine = dl::evaluate(model, *m_myDigits, kEvaluationBatch);
    emit myDigitsEvaluated(e.epoch, mine.accuracy);
  }
  emitEpochPredictions(e);
  emit epochFinished(e);
}

TrainResult TrainingWorker::finishRun(const TrainRequest& request, const FitResult& fitResult, Model& model) {
  TrainResult result;
  result.epochs = fitResult.epochs;
  result.cancelled = fitResult.cancelled;
  result.diverged = fitResult.diverged();
  result.batchesTrained = m_batchesTrained;

  if (m_shutdown.load()) {
    result.message = QStringLiteral("Training stopped: DigitLab is closing.");
    result.seconds = activeSeconds();
    return result;
  }
  if (fitResult.divergence) {
    // The weights are NaN now: no snapshot (the drawing panel keeps the last good one).
    result.message = divergedMessage(*fitResult.divergence, request.spec.training.optimizer.learningRate);
    result.seconds = activeSeconds();
    return result;
  }
  // The final weights, unless the last epoch's snapshot already holds them (a run that was not
  // stopped mid-epoch): no second copy of every weight for the panel to rebuild from.
  if (m_batchesAtSnapshot != m_batchesTrained) emitSnapshot(model);

  // The tutorial's closing model.evaluate() calls. After a user's Stop only the test set is
  // evaluated (so the results view has something to show). A Stop now (the second one, or the
  // first after a completed run) or a shutdown interrupts the evaluation before its next batch.
  const bool stoppedByUser = fitResult.cancelled;
  const bool interrupted = evaluateSets(model, *request.data, request.evaluateTrainSet && !stoppedByUser, result);
  result.seconds = activeSeconds();
  result.message = stoppedByUser ? QString::fromStdString(fitResult.message) +
                                       QStringLiteral(" The weights learned so far are kept.")
                                 : completedMessage(request, result);
  if (!stoppedByUser && !fitResult.epochs.empty()) result.message += trainingEndText(fitResult);
  if (interrupted) result.message += QStringLiteral(" Final evaluation stopped: no test figures.");
  return result;
}

void TrainingWorker::runEvaluation(const EvaluateRequest& request) {
  m_clock.start();
  m_pausedTotal = 0;
  if (!request.data) throw std::runtime_error(tr("No data is loaded to evaluate on.").toStdString());
  const DatasetPair& data = *request.data;
  const bool trainSet = request.evaluateTrainSet && !data.train.empty();
  if (data.test.empty() && !trainSet)
    throw std::runtime_error(tr("No test set is loaded to evaluate on.").toStdString());
  const ModelAnalysis analysis = analyze(request.spec);
  if (!analysis.ok()) throw SpecError(analysis.error);
  if (request.weights.empty())
    throw std::runtime_error(tr("The model has no weights to evaluate yet: train it first.").toStdString());

  setThreadCount(request.threads);
  Model model(request.spec);
  setWeightsOf(model, request.weights);
  m_progressIntervalMs = std::max(1, request.progressIntervalMs);
  m_lastProgressMs = 0;

  TrainResult result;
  const bool interrupted = evaluateSets(model, data, trainSet, result);
  result.seconds = activeSeconds();
  if (interrupted) {  // no partial figures: not even a set that was complete
    result.cancelled = true;
    result.trainLoss = result.trainAccuracy = result.testLoss = result.testAccuracy = TrainResult::kNaN;
    result.trainEvaluated = result.testEvaluated = false;
    result.predicted.clear();
    result.message = m_shutdown.load()
                         ? tr("Evaluation stopped: DigitLab is closing.")
                         : tr("Evaluation stopped after %1: no figures.").arg(durationText(result.seconds));
    emit evaluated(result);
    return;
  }
  const QString word = samplesWord(data);
  if (result.trainEvaluated && result.testEvaluated) {
    result.message = tr("Evaluated on %1 training and %2 test %3 in %4: test loss %5, accuracy %6; training loss %7, "
                        "accuracy %8.")
                         .arg(thousands(data.train.count), thousands(data.test.count), word,
                              durationText(result.seconds), figure(result.testLoss), figure(result.testAccuracy),
                              figure(result.trainLoss), figure(result.trainAccuracy));
  } else {
    const bool test = result.testEvaluated;
    result.message = tr("Evaluated on %1 %2 %3 in %4: loss %5, accuracy %6.")
                         .arg(thousands(test ? data.test.count : data.train.count), test ? tr("test") : tr("training"),
                              word, durationText(result.seconds), figure(test ? result.testLoss : result.trainLoss),
                              figure(test ? result.testAccuracy : result.trainAccuracy));
  }
  emit evaluated(result);
}

bool TrainingWorker::evaluateSets(Model& model, const DatasetPair& data, bool trainSet, TrainResult& result) {
  {
    QMutexLocker lock(&m_pauseMutex);
    m_evaluatingPhase = true;  // pausing is not offered from here on
    m_paused = false;          // a pause asked after the last batch could not take hold
  }
  // One forward pass per batch gives loss, accuracy and predictions together.
  EvalOptions eval;
  eval.batchSize = kEvaluationBatch;
  eval.cancel = [this] { return m_shutdown.load() || m_cancel.load(); };
  eval.onProgress = [this](int done, int total) {
    const int64_t now = m_clock.elapsed();
    if (done < total && now - m_lastProgressMs < m_progressIntervalMs) return;
    m_lastProgressMs = now;
    emit evaluationProgress(done, total);
  };
  auto begin = [this](const QString& what, int total) {
    emit evaluating(what);
    emit evaluationProgress(0, total);
    m_lastProgressMs = m_clock.elapsed();
  };
  if (trainSet && !data.train.empty()) {
    begin(tr("Evaluating on the training set…"), data.train.count);
    const EvalResult r = dl::evaluate(model, data.train, eval);
    if (r.cancelled) return true;
    result.trainLoss = r.loss;
    result.trainAccuracy = r.accuracy;
    result.trainEvaluated = true;
  }
  if (!data.test.empty()) {
    begin(tr("Evaluating on the test set…"), data.test.count);
    EvalOptions testEval = eval;
    testEval.predicted = &result.predicted;
    const EvalResult r = dl::evaluate(model, data.test, testEval);
    if (r.cancelled) {
      result.predicted.clear();
      return true;
    }
    result.testLoss = r.loss;
    result.testAccuracy = r.accuracy;
    result.testEvaluated = true;
  }
  return false;
}

void TrainingWorker::onBatch(const BatchLog& log, Model& model) {
  if (log.batch == 1) m_pausedThisEpoch = 0;
  BatchLog adjusted = log;  // time spent paused is not training time
  adjusted.elapsedSeconds = std::max(1e-9, log.elapsedSeconds - m_pausedThisEpoch);
  adjusted.samplesPerSecond = double(log.samplesSeen) / adjusted.elapsedSeconds;
  m_pending.push_back(adjusted);
  m_history.addBatch(adjusted);
  ++m_batchesTrained;

  const int64_t now = m_clock.elapsed();
  if (log.batch == log.batchesPerEpoch || now - m_lastProgressMs >= m_progressIntervalMs) flushProgress();
  // (Not after an epoch's last batch: the epoch's own snapshot follows right away.)
  if (log.batch != log.batchesPerEpoch && now - m_lastSnapshotMs >= m_snapshotIntervalMs) emitSnapshot(model);

  if (isPaused() && !m_cancel.load()) {
    flushProgress();      // show exactly where it paused
    emitSnapshot(model);  // and let the drawing panel use these weights meanwhile
    const double paused = waitWhilePaused();
    m_pausedThisEpoch += paused;
    m_pausedTotal += paused;
  }
}

void TrainingWorker::flushProgress() {
  m_lastProgressMs = m_clock.elapsed();
  if (m_pending.empty()) return;
  emit batchesProgressed(m_pending);
  m_pending.clear();
}

bool TrainingWorker::emitSnapshot(Model& model) {
  m_lastSnapshotMs = m_clock.elapsed();
  std::vector<Matrix> weights = model.weights();
  // A diverging run's weights turn NaN/inf (often a batch before its loss does): never hand
  // those to the drawing panel or a checkpoint.
  if (!std::all_of(weights.begin(), weights.end(), [](const Matrix& w) { return w.allFinite(); })) return false;
  m_batchesAtSnapshot = m_batchesTrained;
  emit weightsSnapshot(m_runSpec, weights);
  return true;
}

double TrainingWorker::waitWhilePaused() {
  QElapsedTimer timer;
  timer.start();
  QMutexLocker lock(&m_pauseMutex);
  while (m_paused && m_stepsRequested == 0 && !m_cancel.load()) m_resumed.wait(&m_pauseMutex);
  if (m_paused && m_stepsRequested > 0) --m_stepsRequested;  // stepOnce: one batch, then paused again
  return timer.elapsed() / 1000.0;
}

}  // namespace dl
