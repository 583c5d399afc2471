#pragma once
// Runs one training, or one evaluation, at a time in a background thread (Qt's worker-object
// pattern, see the QThread documentation): a TrainingController moves the worker to a QThread it
// owns and calls start() or startEvaluation() through a queued signal. The worker builds its own
// Model and optimizer from the request, runs dl::fit / dl::evaluate, and reports by value through
// queued signals:
//
//   started               once, before the first batch: the epochs THIS run trains (a continued
//                         run's logs are numbered from request.initialEpoch + 1), steps per
//                         epoch, training rows
//   batchesProgressed     the batches since the last report, at most every progressIntervalMs
//                         (and always the last batch of an epoch, and before pausing)
//   weightsSnapshot       a consistent copy of all weights: at most every snapshotIntervalMs
//                         during an epoch, when pausing, at the end of EVERY epoch (just before
//                         its epochFinished) and once more before the final evaluation when
//                         batches were trained since the last one (a Stop mid-epoch). Never
//                         with NaN or infinite weights (a diverging run emits none then).
//   myDigitsEvaluated     after each epoch when the request has my digits (not empty): the
//                         epoch's number and the accuracy on them (inference mode), just before
//                         that epoch's epochFinished (not when a Stop was asked meanwhile)
//   epochFinished         after each epoch (with validation figures if asked for)
//   evaluating            which set the final evaluation (or a stand-alone evaluation) scores now
//   evaluationProgress    samples of that set done / its size: (0, size) right after evaluating,
//                         then at most every progressIntervalMs and always at the set's end
//   finished              always last after start(), unless failed: final figures, test
//                         predictions, flags
//   evaluated             always last after startEvaluation(), unless failed
//   failed                the request could not run (invalid spec, data/model or weights/spec
//                         mismatch, no data, ...)
//
// Order, all emitted from the worker thread (so any connection, queued or direct, delivers them
// in this order), for a run of E epochs:
//   started
//   for each epoch e:  batchesProgressed* (the epoch's last batch included)
//                      weightsSnapshot(weights at the end of epoch e)   <- always, immediately
//                      epochFinished(e)                                    before epochFinished
//   weightsSnapshot(final weights, only after a Stop mid-epoch) (evaluating evaluationProgress*)*
//   finished
// interleaved during epochs with throttled or pause snapshots. So the latest weightsSnapshot
// received before an epochFinished holds exactly that epoch's weights (the epoch's validation
// figures were computed with them): a checkpoint written on epochFinished from the latest
// snapshot is that epoch's model, and the latest one before finished() holds the final weights.
// Exceptions: a diverged run emits no further snapshot (its weights are NaN/inf) and no
// epochFinished for the epoch it diverged in; on shutdown no final snapshot is emitted.
// A stand-alone evaluation emits (evaluating evaluationProgress*)* evaluated: the training set
// first if asked for, then the test set, as a run's final evaluation (the same code).
//
// Continuing a run (Keras: fit called again goes on from the current weights): a TrainRequest with
// initialWeights starts from them instead of a fresh initialisation, and with initialEpoch numbers
// its epochs after the earlier run's. The optimizer starts afresh (Adam's moments, SGD momentum):
// DigitLab keeps no optimizer state across runs, so a continued Adam run is not bit-identical to
// one uninterrupted run.
//
// Keras's callbacks (request.spec.training.callbacks, nn/Callbacks.h) run inside fit at each
// epoch's end, before that epoch's weightsSnapshot and epochFinished: the EpochLog carries their
// lines (EpochLog::callbackMessages, callbackWarnings), the learning rate they left and whether
// EarlyStopping ended the run. With restore_best_weights the run's last snapshot holds the best
// epoch's weights (Keras 3 restores them at every training end). ModelCheckpoint writes its file
// from the worker thread through the ModelSaver its owner set (the TrainingController's writes a
// .dlm with io/ModelFile's saveModelFile: train/ may not include io/, which includes train/): the
// epoch's model, this run's history and the dataset's name. A failed save, or no saver, is a
// warning in that epoch's log and the run goes on. finished()'s message ends with the training end's lines ("Epoch 7:
// early stopping · Restoring model weights from the end of the best epoch: 4.").
//
// Times exclude pauses: each epoch's seconds, the batch logs' elapsed time and throughput, and
// TrainResult::seconds (and so the "Trained N epochs in X" message).
//
// Control from any thread, while start() or startEvaluation() is running in the worker thread:
//   setPaused(true/false) the next batch callback blocks until resumed (or stopped). Pausing is
//                         not offered during an evaluation (a run's final one or a stand-alone
//                         one): setPaused(true) then returns false and changes nothing, and
//                         entering the final evaluation drops a pause that could not take hold.
//   requestStop()         fit stops before its next batch (or validation batch); weights learned
//                         so far are kept, the test set is still evaluated (not the training set)
//                         and the final weights snapshotted. A stop after fit has returned (a second
//                         Stop during the test-set evaluation, or the first after a completed
//                         run) interrupts the final evaluation within one batch; finished() then
//                         has NaN figures and trainEvaluated/testEvaluated false. (A second stop
//                         arriving while fit is still returning from the first merges with it.)
//                         During a stand-alone evaluation it ends it within one batch: evaluated()
//                         then has cancelled = true, both flags false and no figures at all.
//   shutdown()            as requestStop, and skip all evaluation; the worker ignores any later
//                         start() or startEvaluation(). For closing the window.
// A controller calls prepare() (in its own thread) before queueing start() or startEvaluation(),
// so that a stop requested right after a start is never lost.
//
// Steering a run (TrainingWorkerSteering.cpp), also thread-safe:
//   setLearningRate(lr)   the optimizer uses lr from the next batch on (Keras: assigning
//                         optimizer.learning_rate between steps); the latest call before a batch
//                         wins. Every BatchLog says which rate its update used, so a change shows
//                         in the batch logs from exactly that batch. prepare() forgets a pending one.
//   stepOnce()            while paused: train exactly one more batch (reported like any batch:
//                         progress flushed, snapshot on pausing again), then stay paused. Each
//                         call is one batch. Returns false (and does nothing) unless paused during
//                         training. A run paused after an epoch's last batch ends that epoch
//                         (validation, epochFinished) before the stepped batch, the next epoch's
//                         first; a step after the run's last batch lets the run finish.
//   epochPredictions      (signal) after each validated epoch, just before its epochFinished: the
//                         validation rows' outputs collected during that validation's own forward
//                         passes (no second pass). Split: source Train, rows from trainingRows();
//                         TestSet: source Test, rows from 0. Not with a trainSource and a Split
//                         (its rows are the mix's), not for an epoch whose validation a Stop cut.
//   startRangeTest(r)     (slot) the learning-rate range test (nn/LrRangeTest.h) on a copy of the
//                         request's weights: rangeTestProgressed (new points, coalesced), then
//                         rangeTestFinished (the result, and an error text when it could not run).
//                         requestStop()/shutdown() end it within one batch (cancelled = true).

#include "nn/Callbacks.h"
#include "train/TrainingHistory.h"
#include "train/TrainingTypes.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QWaitCondition>

#include <atomic>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

namespace dl {

class Model;

class TrainingWorker : public QObject {
  Q_OBJECT

 public:
  explicit TrainingWorker(QObject* parent = nullptr);

  // Thread-safe controls (see above).
  void prepare();
  // Returns whether the worker is now in the asked state: false for a pause asked during an
  // evaluation (not offered there).
  bool setPaused(bool paused);
  void requestStop();
  void shutdown();
  bool isPaused() const;
  // Writes a model file for ModelCheckpoint (see above); throws on failure. Set before the worker
  // moves to its thread.
  using ModelSaver = std::function<void(const std::string& path, const Model& model, const TrainingHistory& history,
                                        const std::string& dataset)>;
  void setModelSaver(ModelSaver saver) { m_modelSaver = std::move(saver); }
  // Steering (see above).
  void setLearningRate(double learningRate);
  bool stepOnce();

 public slots:
  // Runs the whole training synchronously in the calling (worker) thread.
  void start(const dl::TrainRequest& request);
  // Scores the request's weights (no training) synchronously in the calling (worker) thread.
  void startEvaluation(const dl::EvaluateRequest& request);
  // Runs a learning-rate range test synchronously in the calling (worker) thread.
  void startRangeTest(const dl::LrRangeRequest& request);

 signals:
  void started(int epochs, int stepsPerEpoch, int trainingRows);
  void batchesProgressed(const std::vector<dl::BatchLog>& batches);
  void myDigitsEvaluated(int epoch, double accuracy);
  void epochFinished(const dl::EpochLog& epoch);
  // After each validated epoch, just before its epochFinished (see dl::EpochPredictions).
  void epochPredictions(const dl::EpochPredictions& predictions);
  void weightsSnapshot(const dl::ModelSpec& spec, const std::vector<dl::Matrix>& weights);
  void evaluating(const QString& what);
  void evaluationProgress(int done, int total);
  void finished(const dl::TrainResult& result);
  void evaluated(const dl::TrainResult& result);
  void failed(const QString& message);
  // The range test's points since the last report (in sweep order) and the planned total.
  void rangeTestProgressed(const std::vector<dl::LrRangePoint>& points, int total);
  // Always last after startRangeTest: error is empty unless the request could not run.
  void rangeTestFinished(const dl::LrRangeResult& result, const QString& error);

 private:
  // A training run in named steps: check the request and reset the run's state, build fit's
  // options (callbacks into onBatch/onEpoch), fit, then finishRun's final snapshot, evaluation
  // and message.
  void run(const TrainRequest& request);
  void beginRun(const TrainRequest& request);
  FitOptions fitOptions(const TrainRequest& request, Model& model);
  TrainResult finishRun(const TrainRequest& request, const FitResult& fitResult, Model& model);
  void runEvaluation(const EvaluateRequest& request);
  // Enters the evaluation phase (no pausing) and scores the training set (if trainSet) and the
  // test set, one forward pass per batch, filling result's figures, flags and predicted. Returns
  // whether a Stop or shutdown interrupted it (the interrupted set's figures stay NaN).
  bool evaluateSets(Model& model, const DatasetPair& data, bool trainSet, TrainResult& result);
  // Seconds since the run began, time spent paused excluded.
  double activeSeconds() const;
  // Called by dl::fit after each batch: coalesces progress, emits snapshots, blocks while paused.
  void onBatch(const BatchLog& log, Model& model);
  // Called by dl::fit after each epoch: its last progress, its weights, then epochFinished.
  void onEpoch(const EpochLog& log, Model& model);
  void flushProgress();
  // Emits the model's weights unless one of them is NaN or infinite; returns whether it did.
  bool emitSnapshot(Model& model);
  // Blocks while paused; returns the seconds spent paused.
  double waitWhilePaused();

  // Steering (TrainingWorkerSteering.cpp): fit's beforeBatch and validation-output hooks into
  // options, and what the run's epochPredictions need; the epoch's predictions before its end.
  void addSteering(const TrainRequest& request, FitOptions& options);
  void emitEpochPredictions(const EpochLog& epoch);
  void runRangeTest(const LrRangeRequest& request);

  // Read by dl::fit before every batch; reset when fit returns cancelled, so that a second stop
  // can interrupt the final evaluation.
  std::atomic<bool> m_cancel = false;
  std::atomic<bool> m_shutdown = false;  // never reset: the controller is going away

  mutable QMutex m_pauseMutex;
  QWaitCondition m_resumed;
  bool m_paused = false;           // guarded by m_pauseMutex
  bool m_evaluatingPhase = false;  // guarded by m_pauseMutex: pausing is not offered
  int m_stepsRequested = 0;        // guarded by m_pauseMutex: stepOnce() calls not yet taken
  // NaN: no change asked; else the rate the next batch uses.
  std::atomic<double> m_requestedLearningRate = std::numeric_limits<double>::quiet_NaN();
  EpochPredictions m_predictions;  // the epoch's validation outputs as they come (worker thread)
  int m_predictedRows = 0;         // rows of m_predictions filled this epoch; -1: not collected

  // State of the run in progress (worker thread only).
  ModelSpec m_runSpec;
  std::shared_ptr<const Dataset> m_myDigits;  // scored after each epoch; null: none
  QElapsedTimer m_clock;
  std::vector<BatchLog> m_pending;
  int64_t m_lastProgressMs = 0;
  int64_t m_lastSnapshotMs = 0;
  int64_t m_batchesAtSnapshot = -1;  // m_batchesTrained when the last snapshot was emitted
  int m_progressIntervalMs = 40;
  int m_snapshotIntervalMs = 300;
  double m_pausedThisEpoch = 0;  // seconds, taken out of the logs' timing
  double m_pausedTotal = 0;      // seconds, taken out of the result's
  int64_t m_batchesTrained = 0;
  // Keras's callbacks of the run in progress (see above) and what ModelCheckpoint saves with.
  std::vector<std::unique_ptr<Callback>> m_callbacks;
  TrainingHistory m_history;
  std::string m_datasetName;
  std::vector<std::string> m_checkpointWarnings;  // this epoch's failed saves, for its log
  ModelSaver m_modelSaver;
};

}  // namespace dl
