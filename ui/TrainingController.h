#pragma once
// Owns the training thread and its TrainingWorker (the Controller of Qt's worker-object pattern)
// and is the GUI thread's only handle on them: start/pause/resume/stop, and the worker's reports
// re-emitted in the GUI thread. One run at a time.
//
// Destroying the controller (closing the window mid-run) stops cleanly: it sets the cancel flag,
// wakes a paused worker, quits the thread's event loop and waits for it. dl::fit checks the flag
// before every batch and the final evaluation checks it between chunks, so this takes at most
// one batch.

#include "train/TrainingTypes.h"

#include <QObject>
#include <QString>

#include <vector>

class QThread;

namespace dl {

class TrainingWorker;

class TrainingController : public QObject {
  Q_OBJECT

 public:
  explicit TrainingController(QObject* parent = nullptr);
  ~TrainingController() override;

  bool isRunning() const { return m_running; }
  bool isPaused() const { return m_paused; }
  // The training thread, and the worker living in it (null once shut down): for tests that check
  // that closing really ends both.
  QThread* trainingThread() const { return m_thread; }
  QObject* workerObject() const;

  // Starts a run (ignored while one is running; returns whether it started).
  bool start(const TrainRequest& request);
  void pause();
  void resume();
  // Stops the run within one batch; it still ends with finished() (cancelled = true). During the
  // final evaluation (after a completed run, or after a first Stop) it stops the evaluation
  // instead: finished() then has testEvaluated = false and no test figures.
  void stop();
  // Stops any run and ends the thread; the controller cannot train afterwards. Called by the
  // destructor; safe to call twice.
  void shutdown();

 signals:
  void runningChanged(bool running);
  void pausedChanged(bool paused);
  // The worker's reports (see TrainingWorker.h), delivered in the GUI thread.
  void started(int epochs, int stepsPerEpoch, int trainingRows);
  void batchesProgressed(const std::vector<dl::BatchLog>& batches);
  void epochFinished(const dl::EpochLog& epoch);
  void weightsSnapshot(const dl::ModelSpec& spec, const std::vector<dl::Matrix>& weights);
  void evaluating(const QString& what);
  void finished(const dl::TrainResult& result);
  void failed(const QString& message);

  // Internal: queues TrainingWorker::start in the worker thread.
  void startRequested(const dl::TrainRequest& request);

 private:
  void setRunning(bool running);
  void setPaused(bool paused);

  QThread* m_thread = nullptr;
  TrainingWorker* m_worker = nullptr;  // lives in m_thread; deleted when the thread finishes
  bool m_running = false;
  bool m_paused = false;
  bool m_shutDown = false;
};

}  // namespace dl
