// The training thread's owner: starts runs by queued signal, relays reports, shuts down cleanly.

#include "TrainingController.h"

#include "io/ModelFile.h"
#include "train/TrainingWorker.h"

#include <QDir>
#include <QFileInfo>
#include <QThread>

#include <cmath>

namespace dl {

TrainingController::TrainingController(QObject* parent) : QObject(parent) {
  registerTrainingMetaTypes();
  m_thread = new QThread(this);
  m_thread->setObjectName(QStringLiteral("DigitLab training"));
  m_worker = new TrainingWorker;  // no parent: it moves to the thread
  // ModelCheckpoint's files (Keras's callbacks): a .dlm with the run's history, its folder created
  // as Keras does.
  m_worker->setModelSaver(
      [](const std::string& path, const Model& model, const TrainingHistory& history, const std::string& dataset) {
        ModelFileMetadata meta;
        meta.dataset = dataset;
        meta.history = history;
        const QString file = QString::fromStdString(path);
        QDir().mkpath(QFileInfo(file).absolutePath());
        saveModelFile(file, model, meta);
      });
  m_worker->moveToThread(m_thread);
  connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);

  connect(this, &TrainingController::startRequested, m_worker, &TrainingWorker::start);
  connect(this, &TrainingController::evaluationRequested, m_worker, &TrainingWorker::startEvaluation);
  connect(m_worker, &TrainingWorker::started, this, &TrainingController::started);
  connect(m_worker, &TrainingWorker::batchesProgressed, this, &TrainingController::batchesProgressed);
  connect(m_worker, &TrainingWorker::myDigitsEvaluated, this, &TrainingController::myDigitsEvaluated);
  connect(m_worker, &TrainingWorker::epochFinished, this, &TrainingController::epochFinished);
  connect(m_worker, &TrainingWorker::epochPredictions, this, &TrainingController::epochPredictions);
  connect(m_worker, &TrainingWorker::weightsSnapshot, this, &TrainingController::weightsSnapshot);
  connect(m_worker, &TrainingWorker::evaluating, this, [this](const QString& what) {
    m_evaluating = true;
    setPaused(false);  // the worker does not pause while evaluating (a late pause is dropped)
    emit evaluating(what);
  });
  connect(m_worker, &TrainingWorker::evaluationProgress, this, &TrainingController::evaluationProgress);
  connect(m_worker, &TrainingWorker::finished, this, [this](const TrainResult& result) {
    endRun();
    emit finished(result);
    clearActivity();
  });
  connect(m_worker, &TrainingWorker::evaluated, this, [this](const TrainResult& result) {
    endRun();
    emit evaluated(result);
    clearActivity();
  });
  connect(m_worker, &TrainingWorker::failed, this, [this](const QString& message) {
    endRun();
    emit failed(message);
    clearActivity();
  });
  connect(this, &TrainingController::rangeTestRequested, m_worker, &TrainingWorker::startRangeTest);
  connect(m_worker, &TrainingWorker::rangeTestProgressed, this, &TrainingController::rangeTestProgressed);
  connect(m_worker, &TrainingWorker::rangeTestFinished, this,
          [this](const LrRangeResult& result, const QString& error) {
            m_rangeTesting = false;
            emit rangeTestFinished(result, error);
          });
  m_thread->start();
}

TrainingController::~TrainingController() { shutdown(); }

QObject* TrainingController::workerObject() const { return m_worker; }

bool TrainingController::start(const TrainRequest& request) {
  if (m_running || m_shutDown || m_rangeTesting) return false;
  m_worker->prepare();  // here, not in the worker: a stop() right after start() must stick
  setPaused(false);
  m_evaluationOnly = false;
  m_evaluating = false;
  setRunning(true);
  emit startRequested(request);
  return true;
}

bool TrainingController::evaluate(const EvaluateRequest& request) {
  if (m_running || m_shutDown || m_rangeTesting) return false;
  m_worker->prepare();  // as start(): a stop() right after evaluate() cancels it
  setPaused(false);
  m_evaluationOnly = true;
  m_evaluating = true;
  setRunning(true);
  emit evaluationRequested(request);
  return true;
}

void TrainingController::pause() {
  if (!m_running || m_paused || m_evaluating) return;
  if (!m_worker->setPaused(true)) return;  // the worker has just begun its final evaluation
  setPaused(true);
}

void TrainingController::resume() {
  if (!m_paused) return;
  m_worker->setPaused(false);
  setPaused(false);
}

void TrainingController::stop() {
  if (!m_running) return;
  m_worker->requestStop();  // also wakes a paused worker
}

void TrainingController::setLearningRate(double lr) {
  if (m_running && !m_evaluationOnly && std::isfinite(lr) && lr > 0) m_worker->setLearningRate(lr);
}

bool TrainingController::step() {
  if (!m_running || !m_paused || m_evaluating) return false;
  return m_worker->stepOnce();
}

bool TrainingController::startRangeTest(const LrRangeRequest& request) {
  if (m_running || m_shutDown || m_rangeTesting) return false;
  m_worker->prepare();  // as start(): a stop right after it cancels the test
  m_rangeTesting = true;
  emit rangeTestRequested(request);
  return true;
}

void TrainingController::stopRangeTest() {
  if (m_rangeTesting) m_worker->requestStop();
}

void TrainingController::shutdown() {
  if (m_shutDown) return;
  m_shutDown = true;
  m_worker->shutdown();  // cancel + wake: fit returns before its next batch
  m_thread->quit();
  m_thread->wait();
  // m_worker was deleted when the thread finished (deleteLater on QThread::finished).
  m_worker = nullptr;
  m_running = false;
  m_paused = false;
  m_evaluationOnly = false;
  m_evaluating = false;
  m_rangeTesting = false;
}

void TrainingController::endRun() {
  setPaused(false);
  setRunning(false);
}

void TrainingController::clearActivity() {
  m_evaluationOnly = false;
  m_evaluating = false;
}

void TrainingController::setRunning(bool running) {
  if (m_running == running) return;
  m_running = running;
  emit runningChanged(running);
}

void TrainingController::setPaused(bool paused) {
  if (m_paused == paused) return;
  m_paused = paused;
  emit pausedChanged(paused);
}

}  // namespace dl
