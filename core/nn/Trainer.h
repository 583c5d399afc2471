#pragma once
// Model.fit / evaluate as Keras runs them (keras/src/trainers): a new shuffle of the training
// rows every epoch, ceil(N/batch) steps with the last partial batch kept, validation_split
// taking the LAST rows before shuffling, loss and accuracy shown as running means over the
// epoch's samples, Keras's callbacks run at each epoch's end (nn/Callbacks.h). No allocation per
// batch; a cancel flag is honoured between batches, after an epoch's last batch and between
// validation batches. The rows come through a BatchSource (data/'s Dataset is one).

#include "nn/BatchSource.h"
#include "nn/Model.h"
#include "nn/Optimizer.h"

#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace dl {

class Callback;

struct BatchLog {
  int epoch = 0;  // 1-based
  int epochs = 0;
  int batch = 0;  // 1-based within the epoch
  int batchesPerEpoch = 0;
  double loss = 0;         // this batch
  double accuracy = 0;     // this batch
  double runningLoss = 0;  // epoch's mean so far (what Keras's progress bar prints)
  double runningAccuracy = 0;
  int64_t samplesSeen = 0;    // this epoch
  double elapsedSeconds = 0;  // this epoch
  double samplesPerSecond = 0;
  double learningRate = 0;  // the optimizer's rate this batch's update used
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
  // Validation was asked for but a cancel interrupted it (or came before it): the epoch's
  // training figures are complete, valLoss/valAccuracy are NaN. Always the last epoch of a fit.
  bool validationCancelled = false;
  // The callbacks (FitOptions::callbacks): the optimizer's learning rate at the epoch's end, after
  // they ran (what the next epoch uses; a ReduceLROnPlateau may just have lowered it); whether one
  // stopped the training after this epoch (EarlyStopping); whether the best epoch's weights were
  // put back after it (EarlyStopping's restore_best_weights, on the fit's last epoch: the figures
  // above are still this epoch's); and what they said, Keras's lines in Keras's order, the training
  // end's ("Epoch 7: early stopping", "Restoring model weights ...") last on the last epoch.
  double learningRate = 0;
  bool stoppedEarly = false;
  bool restoredBestWeights = false;
  std::vector<std::string> callbackMessages;
  int trainEndMessages = 0;                   // the last this many of callbackMessages are the training end's
  std::vector<std::string> callbackWarnings;  // Keras's warnings.warn texts
  bool hasValidation() const { return !std::isnan(valLoss); }
};

struct FitOptions {
  int batchSize = 32;
  // As Keras's fit(epochs=..., initial_epoch=...): epochs initialEpoch+1 .. epochs are trained and
  // every BatchLog/EpochLog carries those numbers (`epochs` is the number of the FINAL epoch, not a
  // count). A run that goes on from an earlier one's weights passes the epochs done so far as
  // initialEpoch; the shuffles then continue the sequence an uninterrupted run of this seed would
  // have drawn (the first initialEpoch permutations are drawn and skipped).
  int epochs = 1;
  int initialEpoch = 0;
  bool shuffle = true;
  double validationSplit = 0.0;             // used when validation is null
  const BatchSource* validation = nullptr;  // explicit validation data
  uint64_t seed = 1;                        // shuffling
  std::function<void(const BatchLog&)> onBatch;
  std::function<void(const EpochLog&)> onEpoch;
  // After each validation batch: samples validated so far this epoch, and how many there are.
  std::function<void(int done, int total)> onValidationProgress;
  // Checked before every batch, after each epoch's last batch and before every validation batch
  // (of max(batchSize, 256) samples). When set, fit returns with cancelled = true:
  //  - before a batch: that epoch is not reported (not in epochs, no onEpoch);
  //  - after the epoch's last batch or during its validation: the epoch IS reported, through
  //    onEpoch and in epochs, with its training figures and, if validation was asked for,
  //    validationCancelled = true and NaN validation figures. The weights are then exactly that
  //    epoch's end weights. This includes a cancel during the very last batch of the run.
  const std::atomic<bool>* cancel = nullptr;
  // Keras's fit(callbacks=[...]) (nn/Callbacks.h), in this order: onTrainBegin before the first
  // batch; onEpochEnd after each epoch's validation (not for an epoch a cancel cut short); then,
  // when the fit ends after an epoch because every epoch ran or a callback stopped it, onTrainEnd
  // (a cancel or a divergence skips it, as an interrupt skips Keras's on_train_end). All of it
  // happens before that epoch's onEpoch, whose log carries what they did. Not owned.
  std::vector<Callback*> callbacks;
  // Steering a run (a live learning-rate change, a range test's sweep): called before every
  // training batch with the optimizer that batch's update uses; what it sets (setLearningRate)
  // holds from that batch on, and the batch's BatchLog::learningRate says what was used.
  std::function<void(Optimizer&)> beforeBatch;
  // Every validation batch's model outputs (Model::predictBatch's: probabilities for a softmax
  // output), rows firstRow .. firstRow + probabilities.rows() - 1 of the validation source (for a
  // validation_split: rows of the training source), from the same forward pass that gives the
  // validation loss. Not called for a validation batch a cancel skipped.
  std::function<void(int firstRow, const Matrix& probabilities)> onValidationOutput;
};

// Where and how a fit diverged, as data: the caller words it (and its advice) for its user.
struct Divergence {
  enum class Cause {
    Loss,     // a batch's loss became NaN or infinite (that batch's update was not applied)
    Weights,  // every loss was finite, but at the epoch's end a weight was NaN or infinite
  };
  Cause cause = Cause::Loss;
  int epoch = 0;    // 1-based, numbered as EpochLog::epoch
  int batch = 0;    // 1-based within the epoch; 0 for Cause::Weights (found after its last batch)
  double loss = 0;  // Cause::Loss: the batch's loss (NaN or +-infinity)
};

struct FitResult {
  std::vector<EpochLog> epochs;
  bool cancelled = false;
  // Set when the loss, or at an epoch's end the weights, became NaN or infinite: training stopped
  // and that epoch is not reported.
  std::optional<Divergence> divergence;
  bool diverged() const { return divergence.has_value(); }
  std::string message;  // a cancelled fit: where it stopped, for the user
  // A callback stopped the training (EarlyStopping) after epochs.back(); not a cancel.
  bool stoppedEarly = false;
};

struct EvalResult {
  double loss = 0;
  double accuracy = 0;
  int count = 0;           // samples evaluated
  bool cancelled = false;  // stopped early: loss and accuracy are NaN, never partial figures
};

// How evaluate() runs: one inference forward pass per batch gives the loss, the accuracy and,
// if asked for, every sample's argmax class together.
struct EvalOptions {
  int batchSize = 256;
  std::vector<int>* predicted = nullptr;                // receives data.count classes; cleared if cancelled
  std::function<bool()> cancel;                         // asked before every batch; true stops the evaluation
  std::function<void(int done, int total)> onProgress;  // after every batch, in samples
  // When set: every batch's outputs (as FitOptions::onValidationOutput: rows firstRow.. of data).
  std::function<void(int firstRow, const Matrix& probabilities)> onOutput;
};

FitResult fit(Model& model, Optimizer& optimizer, const BatchSource& train, const FitOptions& options);
EvalResult evaluate(Model& model, const BatchSource& data, int batchSize = 32);
EvalResult evaluate(Model& model, const BatchSource& data, const EvalOptions& options);
// argmax class of every sample.
std::vector<int> predictClasses(Model& model, const BatchSource& data, int batchSize = 256);

// Uses n threads for Eigen and OpenMP (0: all cores).
void setThreadCount(int n);

}  // namespace dl
