#pragma once
// The value types a training run is described and reported with: what the GUI thread sends to
// the TrainingWorker (TrainRequest, EvaluateRequest) and what comes back across the thread boundary (BatchLog,
// EpochLog, weight snapshots, TrainResult). All are registered with Qt's meta-type system so that
// queued signals can carry them by value; registerTrainingMetaTypes() does it once per process.

#include "data/Dataset.h"
#include "nn/ModelSpec.h"
#include "nn/Tensor.h"
#include "nn/Trainer.h"

#include <QMetaType>
#include <QString>

#include <limits>
#include <memory>
#include <vector>

namespace dl {

// What the model is validated on at the end of each epoch.
enum class ValidationMode {
  None,     // no validation
  Split,    // the last `spec.training.validationSplit` of the training rows (Keras's split)
  TestSet,  // the test set (Keras's validation_data=(x_test, y_test))
};

struct TrainRequest {
  ModelSpec spec;  // architecture and training settings (optimizer, batch, epochs, split, seed)
  // The data, shared read-only: nobody writes to a DatasetPair once it is loaded, so the worker
  // and the GUI can hold the same one without copying 200 MB of full MNIST.
  std::shared_ptr<const DatasetPair> data;
  ValidationMode validation = ValidationMode::None;
  int threads = 0;               // dl::setThreadCount (0: all cores)
  int progressIntervalMs = 40;   // batchesProgressed at most this often (plus each epoch's end)
  int snapshotIntervalMs = 300;  // weightsSnapshot at most this often during an epoch (plus at
                                 // each epoch's end, on pausing and at the end)
  bool evaluateTrainSet = true;  // the tutorial's model.evaluate(x_train, y_train) at the end
  // Continue training (Keras: fit called again goes on from the model's current weights). Empty:
  // fresh weights from spec.training.seed. Otherwise the model's weights in Model::weights()
  // order; a mismatch with the spec fails the run. The optimizer starts afresh either way (Adam's
  // moments, momentum): DigitLab keeps no optimizer state between runs.
  std::vector<Matrix> initialWeights;
  // Keras's fit(initial_epoch=...): the epochs already trained. The run trains
  // spec.training.epochs epochs numbered initialEpoch+1 .. initialEpoch+spec.training.epochs, and
  // every BatchLog/EpochLog carries those numbers (epochs = initialEpoch + spec.training.epochs),
  // so that charts can append to the earlier run's.
  int initialEpoch = 0;
  // Trains on this instead of data->train when set (fine-tuning: MNIST plus my digits, a
  // MixedSource); data->test stays the test set and the final evaluation scores data->train.
  // Shared read-only, like data. Validation should then be None or TestSet: a split would take
  // the source's last rows.
  std::shared_ptr<const BatchSource> trainSource;
  // My digits: when not empty and of the training images' size, scored in inference mode at the
  // end of every epoch and reported by myDigitsEvaluated just before that epoch's epochFinished.
  // Shared read-only.
  std::shared_ptr<const Dataset> myDigits;
};

// Scores given weights without training (Keras's model.evaluate): the test set, and the training
// set if asked, in the same one pass per batch as a run's final evaluation.
struct EvaluateRequest {
  ModelSpec spec;
  std::vector<Matrix> weights;  // Model::weights() order; a mismatch with spec fails
  std::shared_ptr<const DatasetPair> data;
  int threads = 0;                // dl::setThreadCount (0: all cores)
  int progressIntervalMs = 40;    // evaluationProgress at most this often (plus each set's end)
  bool evaluateTrainSet = false;  // also model.evaluate(x_train, y_train), before the test set
};

struct TrainResult {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  // The tutorial's final figures (model.evaluate on train and test). A set's figures are either
  // complete or absent: NaN, with its *Evaluated flag false, when that evaluation was not run
  // (after a Stop the training set is skipped; nothing is evaluated after a divergence or on
  // shutdown) or was interrupted (a Stop during the final evaluation). Never partial figures.
  double trainLoss = kNaN;
  double trainAccuracy = kNaN;
  double testLoss = kNaN;
  double testAccuracy = kNaN;
  bool trainEvaluated = false;
  bool testEvaluated = false;
  std::vector<int> predicted;    // argmax class of every test sample; empty unless testEvaluated
  std::vector<EpochLog> epochs;  // this run's completed epochs (numbered from initialEpoch + 1)
  int64_t batchesTrained = 0;    // optimizer steps taken in this run
  double seconds = 0;            // wall time of the whole run (training and evaluation), pauses excluded
  bool cancelled = false;        // stopped by the user; the weights learned so far are kept (an
                                 // evaluation: stopped before its end, no figures at all)
  bool diverged = false;         // the loss became NaN/infinite; training stopped
  QString message;               // one line for the user: how the run ended
};

// The network's answers on the validation rows after one epoch (the weights of that epoch's end),
// for the confusion matrix that refreshes during a run and its drill-down. Sent by
// TrainingWorker::epochPredictions just before the epoch's epochFinished, for every epoch that was
// validated (not one whose validation a Stop interrupted).
struct EpochPredictions {
  enum class Source { Train, Test };
  int epoch = 0;                 // numbered as EpochLog::epoch
  Source source = Source::Test;  // the set the validation rows come from: the test set
                                 // (ValidationMode::TestSet) or the training set (Split)
  int firstRow = 0;              // the validation rows are firstRow .. firstRow + count - 1
  int count = 0;                 // of that set
  int classes = 0;
  std::vector<float> probabilities;  // count x classes, row-major: the model's output per row
};

// Training steps per epoch for this request: ceil(rows used for training / batch size).
int stepsPerEpoch(const TrainRequest& request);
// Rows of the training set used for training (the rest is the validation split).
int trainingRows(const TrainRequest& request);

// A duration as DigitLab shows it everywhere (status line, progress bar, messages): "0.6 s" and
// "8.8 s" under ten seconds, "42 s" under a minute, "1 min 05 s" under an hour, then "1 h 02 min".
// Negative or non-finite values read as "0.0 s".
QString durationText(double seconds);

// Where a fit diverged, one sentence for the user: "Training diverged: the loss became NaN in epoch 1
// at batch 3." or "Training diverged: the weights became NaN or infinite in epoch 2." The advice
// is the caller's (it knows the learning rate and how its user changes it).
QString divergenceText(const Divergence& divergence);

// Registers every type above (and the vectors the signals carry) for queued connections.
// Idempotent and thread-safe.
void registerTrainingMetaTypes();

}  // namespace dl

Q_DECLARE_METATYPE(dl::TrainRequest)
Q_DECLARE_METATYPE(dl::EvaluateRequest)
Q_DECLARE_METATYPE(dl::TrainResult)
Q_DECLARE_METATYPE(dl::BatchLog)
Q_DECLARE_METATYPE(dl::EpochLog)
Q_DECLARE_METATYPE(dl::EpochPredictions)
Q_DECLARE_METATYPE(dl::ModelSpec)
Q_DECLARE_METATYPE(dl::TrainingSpec)
Q_DECLARE_METATYPE(std::vector<dl::BatchLog>)
Q_DECLARE_METATYPE(std::vector<dl::Matrix>)
