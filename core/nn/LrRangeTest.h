#pragma once
// The learning-rate range test (Leslie N. Smith, "Cyclical Learning Rates for Training Neural
// Networks", 2015/2017, section 3.3; fastai's Learner.lr_find, fastai/callback/schedule.py): train
// a COPY of a model for a few hundred batches while the learning rate grows exponentially from
// minLr to maxLr, and record the loss. Where the loss falls fastest is a good rate to train with;
// where it shoots up the rate is too high.
//
//   rate of batch i (0-based, N batches):   lr_i = minLr * (maxLr / minLr)^(i / (N - 1))
//       (fastai uses i / N, so its last batch stays just below end_lr; ours ends on maxLr)
//   smoothed loss (fastai's AvgSmoothLoss, fastai/learner.py): avg_i = beta*avg_{i-1} + (1-beta)*loss_i,
//       avg_{-1} = 0, reported debiased as avg_i / (1 - beta^(i+1)); beta = 0.98
//   stop early (fastai's LRFinder.after_batch, stop_div=True): when the smoothed loss exceeds
//       divergenceFactor (4) times the best smoothed loss so far (that point is recorded), or a
//       batch's loss is NaN/infinite (not recorded; its update is not applied). Unlike fastai, the
//       first N/10 batches count for neither the best nor the 4x rule: a trained model's first
//       smoothed values are single noisy batches (0.04 then 0.18), which stopped the sweep after
//       two batches.
//   suggestion: fastai's default, SuggestionMethod.Valley ("valley", fastai/callback/schedule.py)
//       on the smoothed curve, after leaving out the first N/10 and the last 5 points as fastai's
//       lr_find does (when enough remain): the longest stretch over which the smoothed loss keeps
//       falling (the longest decreasing subsequence, ending at index e with length L; it is taken
//       to start at e - L), and in it the point a third plus a sixth of the way along. Also
//       reported: fastai's "steep", the rate at the single steepest step of the smoothed curve,
//       lr[argmin_i (s[i+1] - s[i]) / (ln lr[i+1] - ln lr[i])]. Steep follows Smith's reading
//       (where the loss falls fastest) but on a noisy curve (a trained model's: nearly flat) it
//       picks a jump of the noise; valley looks at the whole descent, which is why fastai made it
//       the default.
//
// The model, the given weights and the data are never changed: the test builds its own Model
// from the spec (the given weights, or a fresh initialisation from spec.training.seed) and its own
// optimizer from spec.training.optimizer (fresh state). Batches are drawn from one seeded shuffle
// of the rows per pass; a small dataset is passed over again (N is at least kMinSteps when steps
// asks for that many) rather than giving a curve of a handful of points.

#include "nn/BatchSource.h"
#include "nn/ModelSpec.h"
#include "nn/Tensor.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

namespace dl {

struct LrRangePoint {
  double learningRate = 0;
  double loss = 0;          // this batch's
  double smoothedLoss = 0;  // debiased exponential moving average up to this batch
};

struct LrRangeOptions {
  double minLr = 1e-7;
  double maxLr = 10;
  // Batches in the sweep. When the data has fewer batches than this in one pass the sweep is cut
  // to one pass, but never below kMinSteps (or steps itself, if smaller): passes repeat then.
  int steps = 200;
  int batchSize = 32;
  int rows = 0;  // train on rows 0 .. rows-1 only (validation_split keeps the rest); 0: all
  double beta = 0.98;
  double divergenceFactor = 4;
  uint64_t seed = 1;                          // the shuffle
  const std::atomic<bool>* cancel = nullptr;  // checked before every batch
  // After every recorded batch: the point, and how many of how many batches are done.
  std::function<void(const LrRangePoint& point, int done, int total)> onPoint;
};

struct LrRangeResult {
  static constexpr int kMinSteps = 50;
  std::vector<LrRangePoint> points;                              // in sweep order: the rates increase strictly
  int plannedSteps = 0;                                          // N
  double suggestion = std::numeric_limits<double>::quiet_NaN();  // valley's rate; NaN: too few points
  int suggestionIndex = -1;                                      // valley's point, into points
  int steepestIndex = -1;                                        // steep's point, into points
  bool diverged = false;   // stopped early: the loss exceeded divergenceFactor x best, or went NaN
  bool cancelled = false;  // stopped by the cancel flag
};

// Runs the sweep. Throws SpecError for an invalid spec, weights that do not fit it, data of the
// wrong size, no rows, or minLr/maxLr/steps/beta out of range (0 < minLr < maxLr, steps >= 2).
LrRangeResult lrRangeTest(const ModelSpec& spec, const std::vector<Matrix>& weights, const BatchSource& data,
                          const LrRangeOptions& options);

// fastai's "valley" on the smoothed losses: the index of the suggested point (see above) among
// points[skipStart .. size - skipEnd) (the trim is dropped when fewer than 3 points would remain);
// -1 with fewer than 2 points.
int valleyIndex(const std::vector<LrRangePoint>& points, int skipStart, int skipEnd);

// fastai's "steep" on (rates, smoothed losses): the index of the rate at the steepest descent
// among points[skipStart .. size - skipEnd) (the trim is dropped when fewer than 3 points would
// remain); -1 with fewer than 2 points.
int steepestDescentIndex(const std::vector<LrRangePoint>& points, int skipStart, int skipEnd);

}  // namespace dl
