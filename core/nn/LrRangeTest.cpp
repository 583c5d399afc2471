// The learning-rate range test: an exponential sweep on a copy of the model. See LrRangeTest.h.

#include "nn/LrRangeTest.h"

#include "nn/Model.h"
#include "nn/Optimizer.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <utility>

namespace dl {

namespace {

void checkOptions(const LrRangeOptions& o) {
  if (!(o.minLr > 0) || !(o.maxLr > o.minLr) || !std::isfinite(o.maxLr))
    throw SpecError("the range test needs 0 < minimum rate < maximum rate");
  if (o.steps < 2) throw SpecError("the range test needs at least 2 batches");
  if (o.batchSize <= 0) throw SpecError("batch size must be positive");
  if (!(o.beta >= 0 && o.beta < 1)) throw SpecError("the smoothing beta must be in [0, 1)");
  if (!(o.divergenceFactor > 1)) throw SpecError("the divergence factor must be above 1");
}

}  // namespace

LrRangeResult lrRangeTest(const ModelSpec& spec, const std::vector<Matrix>& weights, const BatchSource& data,
                          const LrRangeOptions& o) {
  checkOptions(o);
  Model model(spec, spec.training.seed);  // our own copy: the caller's weights stay as they are
  if (!weights.empty()) model.setWeights(weights);
  if (data.featureSize() != model.inputSize())
    throw SpecError("the model takes " + std::to_string(model.inputSize()) + " inputs but the images have " +
                    std::to_string(data.featureSize()) + " pixels");
  const int rows = o.rows > 0 ? std::min(o.rows, data.rowCount()) : data.rowCount();
  if (rows <= 0) throw SpecError("the range test has no rows to train on");
  std::unique_ptr<Optimizer> optimizer = Optimizer::create(spec.training.optimizer);

  LrRangeResult result;
  const int perPass = (rows + o.batchSize - 1) / o.batchSize;
  const int steps = std::min(o.steps, std::max(perPass, LrRangeResult::kMinSteps));
  result.plannedSteps = steps;
  result.points.reserve(size_t(steps));

  std::vector<int> order(static_cast<size_t>(rows));
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(o.seed);
  const int batch = std::min(o.batchSize, rows);
  Matrix x(batch, model.inputSize()), xLast;
  std::vector<uint8_t> labels(static_cast<size_t>(batch));
  const std::vector<ParamRef> params = model.params();
  const double logRatio = std::log(o.maxLr / o.minLr);

  double average = 0, best = std::numeric_limits<double>::infinity(), betaPower = 1;
  int offset = rows;  // position in the current pass: start with a shuffle
  for (int i = 0; i < steps; ++i) {
    if (o.cancel && o.cancel->load()) {
      result.cancelled = true;
      break;
    }
    if (offset >= rows) {
      std::shuffle(order.begin(), order.end(), rng);
      offset = 0;
    }
    const int n = std::min(batch, rows - offset);
    Matrix& input = n == batch ? x : xLast;
    if (input.rows() != n) input.resize(n, model.inputSize());
    data.gatherRows(order.data() + offset, n, input, labels.data());
    offset += n;

    const double lr = i + 1 == steps ? o.maxLr : o.minLr * std::exp(logRatio * double(i) / double(steps - 1));
    optimizer->setLearningRate(lr);
    const BatchResult b = model.trainBatch(input, labels.data());
    if (!std::isfinite(b.loss)) {
      result.diverged = true;
      break;
    }
    optimizer->step(params);
    average = o.beta * average + (1 - o.beta) * b.loss;
    betaPower *= o.beta;
    const LrRangePoint point{lr, b.loss, average / (1 - betaPower)};
    result.points.push_back(point);
    if (o.onPoint) o.onPoint(point, i + 1, steps);
    // Not in the first tenth (the points the suggestion leaves out too): the debiased average of
    // a few batches is still one batch's noise, and a trained model's batch losses jump by more
    // than 4x from one batch to the next, so neither the best nor the 4x rule counts them.
    if (i >= steps / 10) {
      best = std::min(best, point.smoothedLoss);
      if (point.smoothedLoss > o.divergenceFactor * best) {
        result.diverged = true;
        break;
      }
    }
  }
  // fastai's lr_find leaves out the first num_it//10 and the last 5 recorded points.
  result.suggestionIndex = valleyIndex(result.points, steps / 10, 5);
  result.steepestIndex = steepestDescentIndex(result.points, steps / 10, 5);
  if (result.suggestionIndex >= 0) result.suggestion = result.points[size_t(result.suggestionIndex)].learningRate;
  return result;
}

namespace {

// [begin, end) of the points a suggestion looks at: the trim, unless it leaves fewer than 3.
std::pair<int, int> trimmed(int size, int skipStart, int skipEnd) {
  int begin = std::max(0, skipStart), end = size - std::max(0, skipEnd);
  if (end - begin < 3) begin = 0, end = size;
  return {begin, end};
}

}  // namespace

int valleyIndex(const std::vector<LrRangePoint>& points, int skipStart, int skipEnd) {
  const auto [begin, end] = trimmed(int(points.size()), skipStart, skipEnd);
  const int n = end - begin;
  if (n < 2) return -1;
  // longest[i]: the longest strictly decreasing run of smoothed losses (a subsequence) ending at i.
  std::vector<int> longest(static_cast<size_t>(n), 1);
  int last = 0;  // the first i with the longest such run
  for (int i = 1; i < n; ++i) {
    for (int j = 0; j < i; ++j)
      if (points[size_t(begin + i)].smoothedLoss < points[size_t(begin + j)].smoothedLoss)
        longest[size_t(i)] = std::max(longest[size_t(i)], longest[size_t(j)] + 1);
    if (longest[size_t(i)] > longest[size_t(last)]) last = i;
  }
  const int first = last - longest[size_t(last)];
  const double sections = (last - first) / 3.0;
  const int index = std::clamp(first + int(sections) + int(sections / 2), 0, n - 1);
  return begin + index;
}

int steepestDescentIndex(const std::vector<LrRangePoint>& points, int skipStart, int skipEnd) {
  const auto [begin, end] = trimmed(int(points.size()), skipStart, skipEnd);
  if (end - begin < 2) return -1;
  int steepest = -1;
  double lowest = std::numeric_limits<double>::infinity();
  for (int i = begin; i + 1 < end; ++i) {
    const LrRangePoint &a = points[size_t(i)], &b = points[size_t(i + 1)];
    const double slope = (b.smoothedLoss - a.smoothedLoss) / (std::log(b.learningRate) - std::log(a.learningRate));
    if (slope < lowest) {
      lowest = slope;
      steepest = i;
    }
  }
  return steepest;
}

}  // namespace dl
