// fit / evaluate: Keras's training loop (keras/src/trainers/trainer.py, data adapters).

#include "nn/Trainer.h"

#include "nn/Callbacks.h"

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <limits>
#include <numeric>
#include <random>
#include <string>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace dl {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Input buffers for evaluating contiguous rows, kept across calls (fit validates every epoch):
// one for full batches and one for the last, smaller batch, so neither is resized per batch.
struct EvalBuffers {
  Matrix full, last;
  Matrix outputs;  // EvalOptions::onOutput's
  std::vector<uint8_t> labels;
  Matrix& forBatch(int n, int batchSize, int inputSize) {
    if (labels.size() < size_t(n)) labels.resize(size_t(std::max(n, batchSize)));
    Matrix& x = n == batchSize ? full : last;
    if (x.rows() != n || x.cols() != inputSize) x.resize(n, inputSize);
    return x;
  }
};

// Rows [begin, end) of data in batches, one inference forward pass each. cancel is asked before
// every batch; a cancelled evaluation reports NaN figures and clears predicted.
EvalResult evaluateRows(Model& model, const BatchSource& data, int begin, int end, const EvalOptions& o,
                        EvalBuffers& buffers) {
  const int inputSize = model.inputSize(), total = std::max(0, end - begin), batchSize = std::max(1, o.batchSize);
  if (o.predicted) o.predicted->resize(size_t(total));
  EvalResult r;
  double lossSum = 0;
  int64_t correct = 0;
  for (int s = 0; s < total; s += batchSize) {
    if (o.cancel && o.cancel()) {
      r.cancelled = true;
      r.loss = r.accuracy = std::numeric_limits<double>::quiet_NaN();
      if (o.predicted) o.predicted->clear();
      return r;
    }
    const int n = std::min(batchSize, total - s);
    Matrix& x = buffers.forBatch(n, batchSize, inputSize);
    data.copyRows(begin + s, n, x, buffers.labels.data());
    int* predicted = o.predicted ? o.predicted->data() + s : nullptr;
    // With onOutput the same forward pass also gives the outputs (no second pass).
    const BatchResult b = o.onOutput ? model.evaluateBatch(x, buffers.labels.data(), predicted, buffers.outputs)
                                     : model.evaluateBatch(x, buffers.labels.data(), predicted);
    if (o.onOutput) o.onOutput(begin + s, buffers.outputs);
    lossSum += b.loss * n;
    correct += b.correct;
    r.count += n;
    if (o.onProgress) o.onProgress(r.count, total);
  }
  if (r.count) {
    r.loss = lossSum / r.count;
    r.accuracy = double(correct) / r.count;
  }
  return r;
}

void checkCompatible(const Model& model, const BatchSource& data) {
  if (data.featureSize() != model.inputSize())
    throw SpecError("the model takes " + std::to_string(model.inputSize()) + " inputs but the images have " +
                    std::to_string(data.featureSize()) + " pixels");
}

bool allFinite(const std::vector<ParamRef>& params) {
  return std::all_of(params.begin(), params.end(), [](const ParamRef& p) { return p.param->value.allFinite(); });
}

// What one fit call trains and validates on, checked before the first batch.
struct FitPlan {
  int rows = 0;                             // training rows: validation_split takes the LAST rows, before shuffling
  int steps = 0;                            // batches per epoch; the last one is partial unless rows % batchSize == 0
  const BatchSource* validation = nullptr;  // null: no validation
  int validationBegin = 0, validationEnd = 0;
};

FitPlan planFit(const Model& model, const BatchSource& train, const FitOptions& o) {
  checkCompatible(model, train);
  if (o.batchSize <= 0) throw SpecError("batch size must be positive");
  if (o.epochs <= 0) throw SpecError("epochs must be positive");
  if (o.initialEpoch < 0 || o.initialEpoch >= o.epochs)
    throw SpecError("the initial epoch must be at least 0 and below the final epoch");
  if (o.validation) checkCompatible(model, *o.validation);
  if (o.validationSplit < 0 || o.validationSplit >= 1) throw SpecError("validation split must be in [0, 1)");

  FitPlan plan;
  const int count = train.rowCount();
  // validation_split takes the last rows, before shuffling (Keras train_validation_split).
  plan.rows = o.validation ? count : int(std::floor(count * (1.0 - o.validationSplit)));
  if (plan.rows <= 0) throw SpecError("no training samples left after the validation split");
  plan.steps = (plan.rows + o.batchSize - 1) / o.batchSize;
  if (o.validation) {
    plan.validation = o.validation;
    plan.validationEnd = o.validation->rowCount();
  } else if (plan.rows < count) {
    plan.validation = &train;
    plan.validationBegin = plan.rows;
    plan.validationEnd = count;
  }
  return plan;
}

// One epoch's running sums: Keras's progress-bar means are lossSum / seen and correct / seen.
struct EpochTotals {
  double lossSum = 0;
  int64_t correct = 0, seen = 0;
};

// The state of one fit call: the batch buffers (sized once), the shuffled order and its random
// generator, the validation buffers, and the result being built.
class FitLoop {
 public:
  FitLoop(Model& model, Optimizer& optimizer, const BatchSource& train, const FitOptions& o)
      : m_model(model),
        m_optimizer(optimizer),
        m_train(train),
        m_o(o),
        m_plan(planFit(model, train, o)),
        m_order(size_t(m_plan.rows)),
        m_rng(o.seed),
        m_labels(size_t(o.batchSize)),
        m_params(model.params()) {
    std::iota(m_order.begin(), m_order.end(), 0);
    // Sized once: full batches use m_x, the last partial batch (if any) m_xLast.
    const int inputSize = model.inputSize(), lastBatch = m_plan.rows - (m_plan.steps - 1) * o.batchSize;
    m_x.resize(std::min(o.batchSize, m_plan.rows), inputSize);
    m_xLast.resize(lastBatch < m_x.rows() ? lastBatch : 0, inputSize);
    m_validationOptions.batchSize = std::max(o.batchSize, 256);
    m_validationOptions.cancel = [this] { return cancelRequested(); };
    m_validationOptions.onProgress = o.onValidationProgress;
    m_validationOptions.onOutput = o.onValidationOutput;
  }

  FitResult run() {
    skipEpochsDone();
    for (Callback* c : m_o.callbacks) c->onTrainBegin(m_model, m_optimizer);
    for (int epoch = m_o.initialEpoch + 1; epoch <= m_o.epochs; ++epoch) {
      if (m_o.shuffle) std::shuffle(m_order.begin(), m_order.end(), m_rng);
      const auto t0 = Clock::now();
      EpochTotals totals;
      if (!trainBatches(epoch, t0, totals)) return m_result;
      // The last update can overflow while every loss was finite; such weights are never reported
      // as an epoch's result (once per epoch: cheap next to the epoch itself).
      if (!allFinite(m_params)) {
        m_result.divergence = Divergence{Divergence::Cause::Weights, epoch, 0, 0.0};
        return m_result;
      }
      EpochLog e = epochLog(epoch, t0, totals);
      bool stop = validateOrStop(e);
      if (!stop) stop = runCallbacks(e);
      m_result.epochs.push_back(e);
      if (m_o.onEpoch) m_o.onEpoch(e);
      if (stop) return m_result;
    }
    return m_result;
  }

 private:
  bool cancelRequested() const { return m_o.cancel && m_o.cancel->load(); }

  // A continued run first draws the permutations of the epochs already done, so that epoch k sees
  // the same order whichever run trains it.
  void skipEpochsDone() {
    if (!m_o.shuffle) return;
    for (int skipped = 0; skipped < m_o.initialEpoch; ++skipped) std::shuffle(m_order.begin(), m_order.end(), m_rng);
  }

  // Trains the epoch's batches in m_order; false when a cancel or a divergence ended the fit
  // (m_result says which).
  bool trainBatches(int epoch, Clock::time_point t0, EpochTotals& totals) {
    for (int step = 0; step < m_plan.steps; ++step) {
      if (cancelRequested()) {
        m_result.cancelled = true;
        m_result.message = "Training stopped by the user in epoch " + std::to_string(epoch) + " at batch " +
                           std::to_string(step + 1) + "/" + std::to_string(m_plan.steps) + ".";
        return false;
      }
      const int start = step * m_o.batchSize, n = std::min(m_o.batchSize, m_plan.rows - start);
      Matrix& x = n == m_x.rows() ? m_x : m_xLast;
      if (m_o.beforeBatch) m_o.beforeBatch(m_optimizer);
      const double learningRate = m_optimizer.learningRate();  // what this batch's update uses
      m_train.gatherRows(m_order.data() + start, n, x, m_labels.data());
      const BatchResult b = m_model.trainBatch(x, m_labels.data());
      if (!std::isfinite(b.loss)) {
        m_result.divergence = Divergence{Divergence::Cause::Loss, epoch, step + 1, b.loss};
        return false;
      }
      m_optimizer.step(m_params);
      totals.lossSum += b.loss * n;
      totals.correct += b.correct;
      totals.seen += n;
      if (m_o.onBatch) {
        BatchLog log = batchLog(epoch, step, n, b, t0, totals);
        log.learningRate = learningRate;
        m_o.onBatch(log);
      }
    }
    return true;
  }

  BatchLog batchLog(int epoch, int step, int n, const BatchResult& b, Clock::time_point t0,
                    const EpochTotals& totals) const {
    BatchLog log;
    log.epoch = epoch;
    log.epochs = m_o.epochs;
    log.batch = step + 1;
    log.batchesPerEpoch = m_plan.steps;
    log.loss = b.loss;
    log.accuracy = double(b.correct) / n;
    log.runningLoss = totals.lossSum / double(totals.seen);
    log.runningAccuracy = double(totals.correct) / double(totals.seen);
    log.samplesSeen = totals.seen;
    log.elapsedSeconds = secondsSince(t0);
    log.samplesPerSecond = log.elapsedSeconds > 0 ? totals.seen / log.elapsedSeconds : 0;
    return log;
  }

  EpochLog epochLog(int epoch, Clock::time_point t0, const EpochTotals& totals) const {
    EpochLog e;
    e.epoch = epoch;
    e.epochs = m_o.epochs;
    e.seconds = secondsSince(t0);
    e.loss = totals.lossSum / double(totals.seen);
    e.accuracy = double(totals.correct) / double(totals.seen);
    e.samplesPerSecond = e.seconds > 0 ? totals.seen / e.seconds : 0;
    e.learningRate = m_optimizer.learningRate();
    return e;
  }

  // Validates the finished epoch unless a cancel came first; returns whether the fit ends after
  // it. A cancel during the epoch's last batch (or during its validation) ends the run here; the
  // epoch itself is complete and is reported.
  bool validateOrStop(EpochLog& e) {
    bool stop = cancelRequested();
    if (!stop && m_plan.validation) {
      const EvalResult v = evaluateRows(m_model, *m_plan.validation, m_plan.validationBegin, m_plan.validationEnd,
                                        m_validationOptions, m_validationBuffers);
      e.valLoss = v.loss;
      e.valAccuracy = v.accuracy;
      stop = v.cancelled;
    }
    if (stop) {
      e.validationCancelled = m_plan.validation != nullptr;
      m_result.cancelled = true;
      m_result.message = "Training stopped by the user at the end of epoch " + std::to_string(e.epoch) +
                         (m_plan.validation ? ", before its validation finished." : ".");
    }
    return stop;
  }

  // Keras's callbacks at the end of a complete epoch (FitOptions::callbacks); their lines and the
  // learning rate go into its log. Returns whether the fit ends after it: a callback stopped it
  // (then, as after the last epoch, onTrainEnd runs too).
  bool runCallbacks(EpochLog& e) {
    CallbackReport report;
    for (Callback* c : m_o.callbacks) c->onEpochEnd(e.epoch - 1, e, m_model, m_optimizer, report);
    const bool stop = report.stopTraining;
    if (stop || e.epoch == m_o.epochs) {
      const size_t before = report.messages.size();
      for (Callback* c : m_o.callbacks) c->onTrainEnd(m_model, m_optimizer, report);
      e.trainEndMessages = int(report.messages.size() - before);
      e.restoredBestWeights = report.restoredWeights;
    }
    e.learningRate = m_optimizer.learningRate();
    e.stoppedEarly = stop;
    e.callbackMessages = std::move(report.messages);
    e.callbackWarnings = std::move(report.warnings);
    m_result.stoppedEarly = stop;
    return stop;
  }

  Model& m_model;
  Optimizer& m_optimizer;
  const BatchSource& m_train;
  const FitOptions& m_o;
  const FitPlan m_plan;
  std::vector<int> m_order;
  std::mt19937_64 m_rng;
  Matrix m_x, m_xLast;
  std::vector<uint8_t> m_labels;
  const std::vector<ParamRef> m_params;
  EvalOptions m_validationOptions;
  EvalBuffers m_validationBuffers;
  FitResult m_result;
};

}  // namespace

FitResult fit(Model& model, Optimizer& optimizer, const BatchSource& train, const FitOptions& o) {
  return FitLoop(model, optimizer, train, o).run();
}

EvalResult evaluate(Model& model, const BatchSource& data, int batchSize) {
  EvalOptions o;
  o.batchSize = batchSize;
  return evaluate(model, data, o);
}

EvalResult evaluate(Model& model, const BatchSource& data, const EvalOptions& options) {
  checkCompatible(model, data);
  EvalBuffers buffers;
  return evaluateRows(model, data, 0, data.rowCount(), options, buffers);
}

std::vector<int> predictClasses(Model& model, const BatchSource& data, int batchSize) {
  std::vector<int> out;
  EvalOptions o;
  o.batchSize = batchSize;
  o.predicted = &out;
  evaluate(model, data, o);  // the same argmax as the final evaluation (first index on ties)
  return out;
}

void setThreadCount(int n) {
#ifdef _OPENMP
  if (n <= 0) n = omp_get_num_procs();
  omp_set_num_threads(n);
#endif
  Eigen::setNbThreads(1);  // layers split batches across threads themselves (nn/Parallel.h)
}

}  // namespace dl
