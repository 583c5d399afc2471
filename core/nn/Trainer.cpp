// fit / evaluate: Keras's training loop (keras/src/trainers/trainer.py, data adapters).

#include "nn/Trainer.h"

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace dl {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Copies the rows `idx[0..n)` of data into x and their labels into y (buffers reused).
void gather(const Dataset& data, const int* idx, int n, int inputSize, Matrix& x, std::vector<uint8_t>& y) {
  if (x.rows() != n || x.cols() != inputSize) x.resize(n, inputSize);
  y.resize(size_t(n));
  for (int i = 0; i < n; ++i) {
    std::copy_n(data.image(idx[i]), inputSize, x.data() + Eigen::Index(i) * inputSize);
    y[size_t(i)] = data.labels[size_t(idx[i])];
  }
}

EvalResult evaluateRows(Model& model, const Dataset& data, int begin, int end, int batchSize) {
  EvalResult r;
  const int inputSize = model.inputSize();
  Matrix x;
  std::vector<uint8_t> y;
  std::vector<int> idx(size_t(std::max(0, end - begin)));
  std::iota(idx.begin(), idx.end(), begin);
  double lossSum = 0;
  int64_t correct = 0;
  for (int s = 0; s < int(idx.size()); s += batchSize) {
    const int n = std::min(batchSize, int(idx.size()) - s);
    gather(data, idx.data() + s, n, inputSize, x, y);
    BatchResult b = model.evaluateBatch(x, y.data());
    lossSum += b.loss * n;
    correct += b.correct;
  }
  r.count = int(idx.size());
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

}  // namespace

FitResult fit(Model& model, Optimizer& optimizer, const Dataset& train, const FitOptions& o) {
  checkCompatible(model, train);
  if (o.batchSize <= 0) throw SpecError("batch size must be positive");
  if (o.epochs <= 0) throw SpecError("epochs must be positive");
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
  Matrix x(o.batchSize, inputSize);
  std::vector<uint8_t> y(size_t(o.batchSize));
  const std::vector<ParamRef> params = model.params();

  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    if (o.shuffle) std::shuffle(order.begin(), order.end(), rng);
    const auto t0 = Clock::now();
    double lossSum = 0;
    int64_t correct = 0, seen = 0;
    for (int step = 0; step < steps; ++step) {
      if (o.cancel && o.cancel->load()) {
        result.cancelled = true;
        result.message = "Training stopped by the user in epoch " + std::to_string(epoch) + " at batch " +
                         std::to_string(step + 1) + "/" + std::to_string(steps) + ".";
        return result;
      }
      const int start = step * o.batchSize, bs = std::min(o.batchSize, n - start);
      gather(train, order.data() + start, bs, inputSize, x, y);
      const BatchResult b = model.trainBatch(x, y.data());
      if (!std::isfinite(b.loss)) {
        result.diverged = true;
        result.message = "Training diverged: the loss became " + std::string(std::isnan(b.loss) ? "NaN" : "infinite") +
                         " in epoch " + std::to_string(epoch) + " at batch " + std::to_string(step + 1) +
                         ". Try a lower learning rate (now " + std::to_string(optimizer.spec().learningRate) + ").";
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
    EpochLog e;
    e.epoch = epoch;
    e.epochs = o.epochs;
    e.seconds = secondsSince(t0);
    e.loss = lossSum / double(seen);
    e.accuracy = double(correct) / double(seen);
    e.samplesPerSecond = e.seconds > 0 ? seen / e.seconds : 0;
    if (o.validation) {
      const EvalResult v = evaluate(model, *o.validation, std::max(o.batchSize, 256));
      e.valLoss = v.loss;
      e.valAccuracy = v.accuracy;
    } else if (splitValidation) {
      const EvalResult v = evaluateRows(model, train, n, train.count, std::max(o.batchSize, 256));
      e.valLoss = v.loss;
      e.valAccuracy = v.accuracy;
    }
    result.epochs.push_back(e);
    if (o.onEpoch) o.onEpoch(e);
  }
  return result;
}

EvalResult evaluate(Model& model, const Dataset& data, int batchSize) {
  checkCompatible(model, data);
  return evaluateRows(model, data, 0, data.count, std::max(1, batchSize));
}

std::vector<int> predictClasses(Model& model, const Dataset& data, int batchSize) {
  checkCompatible(model, data);
  std::vector<int> out(size_t(data.count));
  for (int s = 0; s < data.count; s += batchSize) {
    const int n = std::min(batchSize, data.count - s);
    const Matrix p = model.predict(data.image(s), n, n);
    for (int i = 0; i < n; ++i) {
      Eigen::Index arg = 0;
      p.row(i).maxCoeff(&arg);
      out[size_t(s + i)] = int(arg);
    }
  }
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
