// The training worker: dl::fit in a background thread, reporting through queued signals.

#include "train/TrainingWorker.h"

#include "nn/Model.h"
#include "nn/ModelAnalysis.h"
#include "nn/Optimizer.h"
#include "nn/Trainer.h"

#include <QMutexLocker>

#include <algorithm>
#include <cmath>
#include <exception>
#include <stdexcept>

namespace dl {

namespace {

constexpr int kEvaluationBatch = 256;  // samples per forward pass of the final evaluation

// fit's message names where it diverged; the advice is ours, with a readable learning rate.
QString divergedMessage(const FitResult& fit, double learningRate) {
  QString where = QString::fromStdString(fit.message);
  const qsizetype advice = where.indexOf(QLatin1String(" Try a lower"));
  if (advice >= 0) where.truncate(advice);
  if (where.isEmpty()) where = QStringLiteral("Training diverged: the loss became NaN or infinite.");
  return QStringLiteral("%1 Try a lower learning rate (now %2; for example %3).")
      .arg(where, QString::number(learningRate, 'g', 6), QString::number(learningRate / 10, 'g', 6));
}

}  // namespace

TrainingWorker::TrainingWorker(QObject* parent) : QObject(parent) {
  registerTrainingMetaTypes();
}

void TrainingWorker::prepare() {
  if (!m_shutdown.load()) m_cancel.store(false);
  QMutexLocker lock(&m_pauseMutex);
  m_paused = false;
}

void TrainingWorker::setPaused(bool paused) {
  QMutexLocker lock(&m_pauseMutex);
  m_paused = paused;
  if (!paused) m_resumed.wakeAll();
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

void TrainingWorker::run(const TrainRequest& request) {
  m_clock.start();
  if (!request.data || request.data->train.empty()) throw std::runtime_error("No training data is loaded.");
  const ModelAnalysis analysis = analyze(request.spec);
  if (!analysis.ok()) throw SpecError(analysis.error);
  const TrainingSpec& training = request.spec.training;
  const DatasetPair& data = *request.data;

  setThreadCount(request.threads);
  Model model(request.spec, training.seed);
  std::unique_ptr<Optimizer> optimizer = Optimizer::create(training.optimizer);

  m_runSpec = request.spec;
  m_pending.clear();
  m_pending.reserve(256);
  m_lastProgressMs = 0;
  m_lastSnapshotMs = 0;
  m_batchesAtSnapshot = -1;
  m_progressIntervalMs = std::max(1, request.progressIntervalMs);
  m_snapshotIntervalMs = std::max(1, request.snapshotIntervalMs);
  m_pausedThisEpoch = 0;
  m_batchesTrained = 0;

  FitOptions options;
  options.batchSize = training.batchSize;
  options.epochs = training.epochs;
  options.seed = training.seed;
  options.cancel = &m_cancel;
  if (request.validation == ValidationMode::TestSet && !data.test.empty())
    options.validation = &data.test;
  else if (request.validation == ValidationMode::Split)
    options.validationSplit = training.validationSplit;
  options.onBatch = [this, &model](const BatchLog& log) { onBatch(log, model); };
  options.onEpoch = [this, &model](const EpochLog& log) {
    flushProgress();  // the epoch's last batches arrive before the epoch itself
    // This epoch's weights, just before its epochFinished (see the header): a checkpoint saved on
    // epochFinished from the latest snapshot holds exactly them. fit never reports an epoch whose
    // weights are not finite, so this snapshot is always emitted.
    emitSnapshot(model);
    EpochLog e = log;
    e.seconds = std::max(1e-9, e.seconds - m_pausedThisEpoch);
    e.samplesPerSecond = log.seconds > 0 ? log.samplesPerSecond * log.seconds / e.seconds : 0;
    emit epochFinished(e);
  };

  emit started(training.epochs, stepsPerEpoch(request), trainingRows(request));
  const FitResult fitResult = fit(model, *optimizer, data.train, options);
  flushProgress();
  // fit has seen the first Stop (if any); from now on a Stop means "stop evaluating".
  const bool stoppedByUser = fitResult.cancelled;
  if (stoppedByUser) m_cancel.store(false);

  TrainResult result;
  result.epochs = fitResult.epochs;
  result.cancelled = fitResult.cancelled;
  result.diverged = fitResult.diverged;
  result.batchesTrained = m_batchesTrained;

  if (m_shutdown.load()) {
    result.message = QStringLiteral("Training stopped: DigitLab is closing.");
    result.seconds = m_clock.elapsed() / 1000.0;
    emit finished(result);
    return;
  }
  if (fitResult.diverged) {
    // The weights are NaN now: no snapshot (the drawing panel keeps the last good one).
    result.message = divergedMessage(fitResult, training.optimizer.learningRate);
    result.seconds = m_clock.elapsed() / 1000.0;
    emit finished(result);
    return;
  }
  // The final weights, unless the last epoch's snapshot already holds them (a run that was not
  // stopped mid-epoch): no second copy of every weight for the panel to rebuild from.
  if (m_batchesAtSnapshot != m_batchesTrained) emitSnapshot(model);

  // The tutorial's closing model.evaluate() calls, one forward pass per batch for loss, accuracy
  // and predictions together. After a user's Stop only the test set is evaluated (so the results
  // view has something to show). A Stop now (the second one, or the first after a completed run)
  // or a shutdown interrupts the evaluation before its next batch.
  EvalOptions eval;
  eval.batchSize = kEvaluationBatch;
  eval.cancel = [this] { return m_shutdown.load() || m_cancel.load(); };
  bool interrupted = false;
  if (request.evaluateTrainSet && !stoppedByUser) {
    emit evaluating(QStringLiteral("Evaluating on the training set…"));
    const EvalResult r = evaluate(model, data.train, eval);
    interrupted = r.cancelled;
    if (!interrupted) {
      result.trainLoss = r.loss;
      result.trainAccuracy = r.accuracy;
      result.trainEvaluated = true;
    }
  }
  if (!interrupted && !data.test.empty()) {
    emit evaluating(QStringLiteral("Evaluating on the test set…"));
    EvalOptions testEval = eval;
    testEval.predicted = &result.predicted;
    const EvalResult r = evaluate(model, data.test, testEval);
    interrupted = r.cancelled;
    if (!interrupted) {
      result.testLoss = r.loss;
      result.testAccuracy = r.accuracy;
      result.testEvaluated = true;
    } else {
      result.predicted.clear();
    }
  }
  result.seconds = m_clock.elapsed() / 1000.0;

  if (stoppedByUser) {
    result.message = QString::fromStdString(fitResult.message) + QStringLiteral(" The weights learned so far are kept.");
  } else {
    const QString epochs = training.epochs == 1 ? tr("1 epoch") : tr("%1 epochs").arg(training.epochs);
    result.message = tr("Trained %1 in %2").arg(epochs, durationText(result.seconds));
    if (result.testEvaluated)
      result.message += QStringLiteral(": test accuracy %1 %.").arg(result.testAccuracy * 100, 0, 'f', 2);
    else
      result.message += QLatin1Char('.');
  }
  if (interrupted) result.message += QStringLiteral(" Final evaluation stopped: no test figures.");
  emit finished(result);
}

void TrainingWorker::onBatch(const BatchLog& log, Model& model) {
  if (log.batch == 1) m_pausedThisEpoch = 0;
  BatchLog adjusted = log;  // time spent paused is not training time
  adjusted.elapsedSeconds = std::max(1e-9, log.elapsedSeconds - m_pausedThisEpoch);
  adjusted.samplesPerSecond = double(log.samplesSeen) / adjusted.elapsedSeconds;
  m_pending.push_back(adjusted);
  ++m_batchesTrained;

  const int64_t now = m_clock.elapsed();
  if (log.batch == log.batchesPerEpoch || now - m_lastProgressMs >= m_progressIntervalMs) flushProgress();
  // (Not after an epoch's last batch: the epoch's own snapshot follows right away.)
  if (log.batch != log.batchesPerEpoch && now - m_lastSnapshotMs >= m_snapshotIntervalMs) emitSnapshot(model);

  if (isPaused() && !m_cancel.load()) {
    flushProgress();      // show exactly where it paused
    emitSnapshot(model);  // and let the drawing panel use these weights meanwhile
    m_pausedThisEpoch += waitWhilePaused();
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
  while (m_paused && !m_cancel.load()) m_resumed.wait(&m_pauseMutex);
  return timer.elapsed() / 1000.0;
}

}  // namespace dl
