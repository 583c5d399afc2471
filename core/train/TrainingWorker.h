#pragma once
// Runs one training at a time in a background thread (Qt's worker-object pattern, see the QThread
// documentation): a TrainingController moves the worker to a QThread it owns and calls start()
// through a queued signal. The worker builds its own Model and optimizer from the request, runs
// dl::fit, and reports by value through queued signals:
//
//   started               once, before the first batch
//   batchesProgressed     the batches since the last report, at most every progressIntervalMs
//                         (and always the last batch of an epoch, and before pausing)
//   epochFinished         after each epoch (with validation figures if asked for)
//   weightsSnapshot       a consistent copy of all weights, at most every snapshotIntervalMs,
//                         when pausing and at the end (not after a divergence: those are NaN)
//   evaluating            what the final evaluation is doing now
//   finished              always last, unless failed: final figures, test predictions, flags
//   failed                the request could not run (invalid spec, data/model mismatch, ...)
//
// Control from any thread, while start() is running in the worker thread:
//   setPaused(true/false) the next batch callback blocks until resumed (or stopped)
//   requestStop()         fit stops before its next batch; weights learned so far are kept,
//                         the test set is still evaluated and the final snapshot emitted
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
  void emitSnapshot(Model& model);
  // Blocks while paused; returns the seconds spent paused.
  double waitWhilePaused();
  // Loss/accuracy (and optionally the predicted classes) in chunks, giving up when abort() says
  // so. Returns false if it gave up.
  template <typename Abort>
  bool evaluateInChunks(Model& model, const Dataset& data, Abort abort, double* loss, double* accuracy,
                        std::vector<int>* predicted);

  std::atomic<bool> m_cancel = false;    // read by dl::fit before every batch
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
  int m_progressIntervalMs = 40;
  int m_snapshotIntervalMs = 300;
  double m_pausedThisEpoch = 0;  // seconds, taken out of the logs' timing
  int64_t m_batchesTrained = 0;
};

}  // namespace dl
