#pragma once
// Runs one training at a time in a background thread (Qt's worker-object pattern, see the QThread
// documentation): a TrainingController moves the worker to a QThread it owns and calls start()
// through a queued signal. The worker builds its own Model and optimizer from the request, runs
// dl::fit, and reports by value through queued signals:
//
//   started               once, before the first batch
//   batchesProgressed     the batches since the last report, at most every progressIntervalMs
//                         (and always the last batch of an epoch, and before pausing)
//   weightsSnapshot       a consistent copy of all weights: at most every snapshotIntervalMs
//                         during an epoch, when pausing, at the end of EVERY epoch (just before
//                         its epochFinished) and once more before the final evaluation when
//                         batches were trained since the last one (a Stop mid-epoch). Never
//                         with NaN or infinite weights (a diverging run emits none then).
//   epochFinished         after each epoch (with validation figures if asked for)
//   evaluating            what the final evaluation is doing now
//   finished              always last, unless failed: final figures, test predictions, flags
//   failed                the request could not run (invalid spec, data/model mismatch, ...)
//
// Order, all emitted from the worker thread (so any connection, queued or direct, delivers them
// in this order), for a run of E epochs:
//   started
//   for each epoch e:  batchesProgressed* (the epoch's last batch included)
//                      weightsSnapshot(weights at the end of epoch e)   <- always, immediately
//                      epochFinished(e)                                    before epochFinished
//   weightsSnapshot(final weights, only after a Stop mid-epoch) evaluating* finished
// interleaved during epochs with throttled or pause snapshots. So the latest weightsSnapshot
// received before an epochFinished holds exactly that epoch's weights (the epoch's validation
// figures were computed with them): a checkpoint written on epochFinished from the latest
// snapshot is that epoch's model, and the latest one before finished() holds the final weights. Exceptions: a diverged
// run emits no further snapshot (its weights are NaN/inf) and no epochFinished for the epoch it
// diverged in; on shutdown no final snapshot is emitted.
//
// Control from any thread, while start() is running in the worker thread:
//   setPaused(true/false) the next batch callback blocks until resumed (or stopped)
//   requestStop()         fit stops before its next batch (or validation batch); weights learned
//                         so far are kept, the test set is still evaluated (not the training set)
//                         and the final weights snapshotted. A stop after fit has returned (a second
//                         Stop during the test-set evaluation, or the first after a completed
//                         run) interrupts the final evaluation within one batch; finished() then
//                         has NaN figures and trainEvaluated/testEvaluated false. (A second stop
//                         arriving while fit is still returning from the first merges with it.)
//   shutdown()            as requestStop, and skip all evaluation; the worker ignores any later
//                         start(). For closing the window.
// A controller calls prepare() (in its own thread) before queueing start(), so that a stop
// requested right after a start is never lost.

#include "train/TrainingTypes.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QWaitCondition>

#include <atomic>
#include <vector>

namespace dl {

class Model;

class TrainingWorker : public QObject {
  Q_OBJECT

 public:
  explicit TrainingWorker(QObject* parent = nullptr);

  // Thread-safe controls (see above).
  void prepare();
  void setPaused(bool paused);
  void requestStop();
  void shutdown();
  bool isPaused() const;

 public slots:
  // Runs the whole training synchronously in the calling (worker) thread.
  void start(const dl::TrainRequest& request);

 signals:
  void started(int epochs, int stepsPerEpoch, int trainingRows);
  void batchesProgressed(const std::vector<dl::BatchLog>& batches);
  void epochFinished(const dl::EpochLog& epoch);
  void weightsSnapshot(const dl::ModelSpec& spec, const std::vector<dl::Matrix>& weights);
  void evaluating(const QString& what);
  void finished(const dl::TrainResult& result);
  void failed(const QString& message);

 private:
  void run(const TrainRequest& request);
  // Called by dl::fit after each batch: coalesces progress, emits snapshots, blocks while paused.
  void onBatch(const BatchLog& log, Model& model);
  void flushProgress();
  // Emits the model's weights unless one of them is NaN or infinite; returns whether it did.
  bool emitSnapshot(Model& model);
  // Blocks while paused; returns the seconds spent paused.
  double waitWhilePaused();

  // Read by dl::fit before every batch; reset when fit returns cancelled, so that a second stop
  // can interrupt the final evaluation.
  std::atomic<bool> m_cancel = false;
  std::atomic<bool> m_shutdown = false;  // never reset: the controller is going away

  mutable QMutex m_pauseMutex;
  QWaitCondition m_resumed;
  bool m_paused = false;  // guarded by m_pauseMutex

  // State of the run in progress (worker thread only).
  ModelSpec m_runSpec;
  QElapsedTimer m_clock;
  std::vector<BatchLog> m_pending;
  int64_t m_lastProgressMs = 0;
  int64_t m_lastSnapshotMs = 0;
  int64_t m_batchesAtSnapshot = -1;  // m_batchesTrained when the last snapshot was emitted
  int m_progressIntervalMs = 40;
  int m_snapshotIntervalMs = 300;
  double m_pausedThisEpoch = 0;  // seconds, taken out of the logs' timing
  int64_t m_batchesTrained = 0;
};

}  // namespace dl
