#pragma once
// Owns the training thread and its TrainingWorker (the Controller of Qt's worker-object pattern)
// and is the GUI thread's only handle on them: start/evaluate/pause/resume/stop, and the worker's
// reports re-emitted in the GUI thread. One run or evaluation at a time; isRunning() is true
// during either (the window locks the model meanwhile).
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
  // While running: the activity is a stand-alone evaluate() (no training: no epochs, no
  // snapshots, ends with evaluated()). Still true in the runningChanged(false), evaluated() and
  // failed() that end it; false again once they have been delivered.
  bool isEvaluationOnly() const { return m_evaluationOnly; }
  // While running: an evaluation is in progress (a run's final evaluation, from its first
  // evaluating() on, or a stand-alone evaluate()); pause() is not offered then.
  bool isEvaluating() const { return m_evaluating; }
  // The training thread, and the worker living in it (null once shut down): for tests that check
  // that closing really ends both.
  QThread* trainingThread() const { return m_thread; }
  QObject* workerObject() const;

  // Starts a run (ignored while one is running; returns whether it started). A request with
  // initialWeights/initialEpoch continues an earlier run (see TrainRequest).
  bool start(const TrainRequest& request);
  // Scores request.weights on the test set (and the training set if asked for) without training
  // (ignored while a run or evaluation is in progress; returns whether it started). Reports
  // evaluating() per set, evaluationProgress(), then evaluated(), or failed() for a bad request
  // (no data, no weights, weights that do not fit the spec).
  bool evaluate(const dl::EvaluateRequest& request);
  // Pauses training after the batch in progress. A no-op during an evaluation (not offered there).
  void pause();
  void resume();
  // Stops the run within one batch; it still ends with finished() (cancelled = true). During the
  // final evaluation (after a completed run, or after a first Stop) it stops the evaluation
  // instead: finished() then has testEvaluated = false and no test figures. During evaluate() it
  // cancels within one batch: evaluated() has cancelled = true and no figures.
  void stop();
  // Steering a run (see TrainingWorker.h). setLearningRate: the run's optimizer uses `lr` from
  // its next batch on (ignored unless a run trains, or lr is not finite and > 0); the BatchLogs say
  // which rate each batch used. step(): while paused, trains exactly one batch and stays paused
  // (returns whether it did; false when not paused or during the final evaluation).
  void setLearningRate(double lr);
  bool step();
  // A learning-rate range test on the worker thread (nn/LrRangeTest.h): refused (false) while a
  // run, an evaluation or another test is in progress; start()/evaluate() are refused during
  // one. Reports rangeTestProgressed, then rangeTestFinished; stopRangeTest() ends it within one
  // batch (the result then has cancelled = true). It is not a "run": runningChanged stays quiet.
  bool startRangeTest(const dl::LrRangeRequest& request);
  void stopRangeTest();
  bool isRangeTesting() const { return m_rangeTesting; }
  // Stops any run and ends the thread; the controller cannot train afterwards. Called by the
  // destructor; safe to call twice.
  void shutdown();

 signals:
  void runningChanged(bool running);
  void pausedChanged(bool paused);
  // The worker's reports (see TrainingWorker.h), delivered in the GUI thread.
  void started(int epochs, int stepsPerEpoch, int trainingRows);
  void batchesProgressed(const std::vector<dl::BatchLog>& batches);
  // The run's accuracy on my digits after epoch `epoch` (requests with myDigits), just before its epochFinished.
  void myDigitsEvaluated(int epoch, double accuracy);
  void epochFinished(const dl::EpochLog& epoch);
  // The validation rows' probabilities after a validated epoch, just before its epochFinished.
  void epochPredictions(const dl::EpochPredictions& predictions);
  void weightsSnapshot(const dl::ModelSpec& spec, const std::vector<dl::Matrix>& weights);
  void evaluating(const QString& what);
  // Samples of the set named by the last evaluating() done so far, and the set's size: (0, size)
  // first, then throttled like batchesProgressed, and always (size, size) at its end.
  void evaluationProgress(int done, int total);
  void finished(const dl::TrainResult& result);
  // Ends an evaluate(): train*/test* figures, *Evaluated flags, predicted (test set), seconds,
  // message; or cancelled = true with no figures after stop().
  void evaluated(const dl::TrainResult& result);
  void failed(const QString& message);
  void rangeTestProgressed(const std::vector<dl::LrRangePoint>& points, int total);
  // isRangeTesting() is already false when this arrives.
  void rangeTestFinished(const dl::LrRangeResult& result, const QString& error);

  // Internal: queue TrainingWorker::start / startEvaluation in the worker thread.
  void startRequested(const dl::TrainRequest& request);
  void evaluationRequested(const dl::EvaluateRequest& request);
  void rangeTestRequested(const dl::LrRangeRequest& request);

 private:
  void setRunning(bool running);
  void setPaused(bool paused);
  // The run or evaluation ended (finished, evaluated or failed): not paused, not running; then
  // the result goes out and the activity flags are cleared.
  void endRun();
  void clearActivity();

  QThread* m_thread = nullptr;
  TrainingWorker* m_worker = nullptr;  // lives in m_thread; deleted when the thread finishes
  bool m_running = false;
  bool m_paused = false;
  bool m_evaluationOnly = false;
  bool m_evaluating = false;
  bool m_shutDown = false;
  bool m_rangeTesting = false;
};

}  // namespace dl
