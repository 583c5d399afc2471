// fit / evaluate: Keras's training loop (keras/src/trainers/trainer.py, data adapters).

#include "nn/Trainer.h"

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>
#include <numeric>
#include <random>
#include <string>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace dl {

namespace {

// 0.2, 1e+06: a learning rate as the user typed it, not std::to_string's "0.200000".
std::string compact(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Copies the rows `idx[0..n)` of data into x (which has n rows) and their labels into y.
void gather(const Dataset& data, const int* idx, int n, int inputSize, Matrix& x, std::vector<uint8_t>& y) {
  y.resize(size_t(n));  // never beyond its first (largest) size: no reallocation
  for (int i = 0; i < n; ++i) {
    std::copy_n(data.image(idx[i]), inputSize, x.data() + Eigen::Index(i) * inputSize);
    y[size_t(i)] = data.labels[size_t(idx[i])];
  }
}

// Input buffers for evaluating contiguous rows, kept across calls (fit validates every epoch):
// one for full batches and one for the last, smaller batch, so neither is resized per batch.
struct EvalBuffers {
  Matrix full, last;
  Matrix& forBatch(int n, int batchSize, int inputSize) {
    Matrix& x = n == batchSize ? full : last;
    if (x.rows() != n || x.cols() != inputSize) x.resize(n, inputSize);
    return x;
  }
};

// Rows [begin, end) of data in batches, one inference forward pass each. cancel is asked before
// every batch; a cancelled evaluation reports NaN figures and clears predicted.
EvalResult evaluateRows(Model& model, const Dataset& data, int begin, int end, const EvalOptions& o,
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
    x = ConstMatrixMap(data.image(begin + s), n, inputSize);
    const BatchResult b =
        model.evaluateBatch(x, data.labels.data() + begin + s, o.predicted ? o.predicted->data() + s : nullptr);
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

void checkCompatible(const Model& model, const Dataset& data) {
  if (data.pixels() != model.inputSize())
    throw SpecError("the model takes " + std::to_string(model.inputSize()) + " inputs but the images have " +
                    std::to_string(data.pixels()) + " pixels");
}

bool allFinite(const std::vector<ParamRef>& params) {
  return std::all_of(params.begin(), params.end(), [](const ParamRef& p) { return p.param->value.allFinite(); });
}

}  // namespace

FitResult fit(Model& model, Optimizer& optimizer, const Dataset& train, const FitOptions& o) {
  checkCompatible(model, train);
  if (o.batchSize <= 0) throw SpecError("batch size must be positive");
  if (o.epochs <= 0) throw SpecError("epochs must be positive");
  if (o.initialEpoch < 0 || o.initialEpoch >= o.epochs)
    throw SpecError("the initial epoch must be at least 0 and below the final epoch");
  if (o.validation) checkCompatible(model, *o.validation);
  if (o.validationSplit < 0 || o.validationSplit >= 1) throw SpecError("validation split must be in [0, 1)");

  FitResult result;
  // validation_split takes the last rows, before shuffling (Keras train_validation_split).
  const int n = o.validation ? train.count : int(std::floor(train.count * (1.0 - o.validationSplit)));
  const bool splitValidation = !o.validation && n < train.count;
  if (n <= 0) throw SpecError("no training samples left after the validation split");

  const int inputSize = model.inputSize();
  const int steps = (n + o.batchSize - 1) / o.batchSize;
  std::vector<int> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(o.seed);
  // Sized once: full batches use x, the last partial batch (if any) xLast.
  const int lastBatch = n - (steps - 1) * o.batchSize;
  Matrix x(std::min(o.batchSize, n), inputSize), xLast(lastBatch < x.rows() ? lastBatch : 0, inputSize);
  std::vector<uint8_t> y(size_t(o.batchSize));
  const std::vector<ParamRef> params = model.params();

  auto cancelRequested = [&o] { return o.cancel && o.cancel->load(); };
  const Dataset* validationData = o.validation ? o.validation : splitValidation ? &train : nullptr;
  const int validationBegin = o.validation ? 0 : n;
  const int validationEnd = o.validation ? o.validation->count : train.count;
  EvalOptions validationOptions;
  validationOptions.batchSize = std::max(o.batchSize, 256);
  validationOptions.cancel = cancelRequested;
  validationOptions.onProgress = o.onValidationProgress;
  EvalBuffers validationBuffers;

  // A continued run first draws the permutations of the epochs already done, so that epoch k sees
  // the same order whichever run trains it.
  if (o.shuffle)
    for (int skipped = 0; skipped < o.initialEpoch; ++skipped) std::shuffle(order.begin(), order.end(), rng);

  for (int epoch = o.initialEpoch + 1; epoch <= o.epochs; ++epoch) {
    if (o.shuffle) std::shuffle(order.begin(), order.end(), rng);
    const auto t0 = Clock::now();
    double lossSum = 0;
    int64_t correct = 0, seen = 0;
    for (int step = 0; step < steps; ++step) {
      if (cancelRequested()) {
        result.cancelled = true;
        result.message = "Training stopped by the user in epoch " + std::to_string(epoch) + " at batch " +
                         std::to_string(step + 1) + "/" + std::to_string(steps) + ".";
        return result;
      }
      const int start = step * o.batchSize, bs = std::min(o.batchSize, n - start);
      Matrix& xb = bs == x.rows() ? x : xLast;
      gather(train, order.data() + start, bs, inputSize, xb, y);
      const BatchResult b = model.trainBatch(xb, y.data());
      if (!std::isfinite(b.loss)) {
        result.diverged = true;
        result.message = "Training diverged: the loss became " + std::string(std::isnan(b.loss) ? "NaN" : "infinite") +
                         " in epoch " + std::to_string(epoch) + " at batch " + std::to_string(step + 1) +
                         ". Try a lower learning rate (now " + compact(optimizer.spec().learningRate) + ").";
        return result;
      }
      optimizer.step(params);
      lossSum += b.loss * bs;
      correct += b.correct;
      seen += bs;
      if (o.onBatch) {
        BatchLog log;
        log.epoch = epoch;
        log.epochs = o.epochs;
        log.batch = step + 1;
        log.batchesPerEpoch = steps;
        log.loss = b.loss;
        log.accuracy = double(b.correct) / bs;
        log.runningLoss = lossSum / double(seen);
        log.runningAccuracy = double(correct) / double(seen);
        log.samplesSeen = seen;
        log.elapsedSeconds = secondsSince(t0);
        log.samplesPerSecond = log.elapsedSeconds > 0 ? seen / log.elapsedSeconds : 0;
        o.onBatch(log);
      }
    }
    // The last update can overflow while every loss was finite; such weights are never reported
    // as an epoch's result (once per epoch: cheap next to the epoch itself).
    if (!allFinite(params)) {
      result.diverged = true;
      result.message = "Training diverged: the weights became NaN or infinite in epoch " + std::to_string(epoch) +
                       ". Try a lower learning rate (now " + compact(optimizer.spec().learningRate) + ").";
      return result;
    }
    EpochLog e;
    e.epoch = epoch;
    e.epochs = o.epochs;
    e.seconds = secondsSince(t0);
    e.loss = lossSum / double(seen);
    e.accuracy = double(correct) / double(seen);
    e.samplesPerSecond = e.seconds > 0 ? seen / e.seconds : 0;
    // A cancel during the epoch's last batch (or during its validation) ends the run here; the
    // epoch itself is complete and is reported.
    bool stop = cancelRequested();
    if (!stop && validationData) {
      const EvalResult v =
          evaluateRows(model, *validationData, validationBegin, validationEnd, validationOptions, validationBuffers);
      e.valLoss = v.loss;
      e.valAccuracy = v.accuracy;
      stop = v.cancelled;
    }
    if (stop) {
      e.validationCancelled = validationData != nullptr;
      result.cancelled = true;
      result.message = "Training stopped by the user at the end of epoch " + std::to_string(epoch) +
                       (validationData ? ", before its validation finished." : ".");
    }
    result.epochs.push_back(e);
    if (o.onEpoch) o.onEpoch(e);
    if (stop) return result;
  }
  return result;
}

EvalResult evaluate(Model& model, const Dataset& data, int batchSize) {
  EvalOptions o;
  o.batchSize = batchSize;
  return evaluate(model, data, o);
}

EvalResult evaluate(Model& model, const Dataset& data, const EvalOptions& options) {
  checkCompatible(model, data);
  EvalBuffers buffers;
  return evaluateRows(model, data, 0, data.count, options, buffers);
}

std::vector<int> predictClasses(Model& model, const Dataset& data, int batchSize) {
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
