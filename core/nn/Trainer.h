#pragma once
// Model.fit / evaluate as Keras runs them (keras/src/trainers): a new shuffle of the training
// rows every epoch, ceil(N/batch) steps with the last partial batch kept, validation_split
// taking the LAST rows before shuffling, loss and accuracy shown as running means over the
// epoch's samples. No allocation per batch; a cancel flag is honoured between batches.

#include "data/Dataset.h"
#include "nn/Model.h"
#include "nn/Optimizer.h"

#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

namespace dl {

struct BatchLog {
  int epoch = 0;             // 1-based
  int epochs = 0;
  int batch = 0;             // 1-based within the epoch
  int batchesPerEpoch = 0;
  double loss = 0;           // this batch
  double accuracy = 0;       // this batch
  double runningLoss = 0;    // epoch's mean so far (what Keras's progress bar prints)
  double runningAccuracy = 0;
  int64_t samplesSeen = 0;   // this epoch
  double elapsedSeconds = 0; // this epoch
  double samplesPerSecond = 0;
};

struct EpochLog {
  int epoch = 0;
  int epochs = 0;
  double seconds = 0;
  double loss = 0;
  double accuracy = 0;
  double valLoss = std::numeric_limits<double>::quiet_NaN();  // NaN when no validation
  double valAccuracy = std::numeric_limits<double>::quiet_NaN();
  double samplesPerSecond = 0;
  bool hasValidation() const { return !std::isnan(valLoss); }
};

struct FitOptions {
  int batchSize = 32;
  int epochs = 1;
  bool shuffle = true;
  double validationSplit = 0.0;         // used when validation is null
  const Dataset* validation = nullptr;  // explicit validation data
  uint64_t seed = 1;                    // shuffling
  std::function<void(const BatchLog&)> onBatch;
  std::function<void(const EpochLog&)> onEpoch;
  const std::atomic<bool>* cancel = nullptr;  // checked before every batch
};

struct FitResult {
  std::vector<EpochLog> epochs;
  bool cancelled = false;
  bool diverged = false;   // loss became NaN or infinite: training stopped
  std::string message;     // why it stopped early, for the user
};

struct EvalResult {
  double loss = 0;
  double accuracy = 0;
  int count = 0;
};

FitResult fit(Model& model, Optimizer& optimizer, const Dataset& train, const FitOptions& options);
EvalResult evaluate(Model& model, const Dataset& data, int batchSize = 32);
// argmax class of every sample.
std::vector<int> predictClasses(Model& model, const Dataset& data, int batchSize = 256);

// Uses n threads for Eigen and OpenMP (0: all cores).
void setThreadCount(int n);

}  // namespace dl
