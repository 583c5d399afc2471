// The training worker's steering: a live learning-rate change, one step while paused, the
// validation predictions of each epoch and the learning-rate range test (see TrainingWorker.h).

#include "train/TrainingWorker.h"

#include "nn/LrRangeTest.h"
#include "nn/Optimizer.h"

#include <QMutexLocker>

#include <algorithm>
#include <cmath>

namespace dl {

void TrainingWorker::setLearningRate(double learningRate) {
  if (std::isfinite(learningRate) && learningRate > 0) m_requestedLearningRate.store(learningRate);
}

bool TrainingWorker::stepOnce() {
  QMutexLocker lock(&m_pauseMutex);
  if (!m_paused || m_evaluatingPhase) return false;
  ++m_stepsRequested;
  m_resumed.wakeAll();
  return true;
}

void TrainingWorker::addSteering(const TrainRequest& request, FitOptions& options) {
  // A live change takes hold before the next batch (fit reads the rate after this hook).
  options.beforeBatch = [this](Optimizer& optimizer) {
    const double lr = m_requestedLearningRate.exchange(std::numeric_limits<double>::quiet_NaN());
    if (!std::isnan(lr)) optimizer.setLearningRate(lr);
  };

  // The validation rows' outputs, from fit's own validation passes.
  m_predictions = EpochPredictions{};
  m_predictedRows = -1;
  const DatasetPair& data = *request.data;
  if (options.validation) {  // the test set
    m_predictions.source = EpochPredictions::Source::Test;
    m_predictions.firstRow = 0;
    m_predictions.count = options.validation->rowCount();
  } else if (options.validationSplit > 0 && !request.trainSource) {
    m_predictions.source = EpochPredictions::Source::Train;
    m_predictions.firstRow = trainingRows(request);
    m_predictions.count = data.train.count - m_predictions.firstRow;
  }
  if (m_predictions.count <= 0) return;
  m_predictedRows = 0;
  options.onValidationOutput = [this](int firstRow, const Matrix& outputs) {
    const int classes = int(outputs.cols()), rows = int(outputs.rows());
    const int offset = firstRow - m_predictions.firstRow;
    if (offset == 0) m_predictedRows = 0;  // a new epoch's validation begins
    if (m_predictions.classes != classes) {
      m_predictions.classes = classes;
      m_predictions.probabilities.assign(size_t(m_predictions.count) * size_t(classes), 0.f);
    }
    if (offset < 0 || offset + rows > m_predictions.count) return;  // never: fit validates these rows
    float* out = m_predictions.probabilities.data() + size_t(offset) * size_t(classes);
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < classes; ++c) out[size_t(r) * size_t(classes) + size_t(c)] = outputs(r, c);
    m_predictedRows = offset + rows;
  };
}

void TrainingWorker::emitEpochPredictions(const EpochLog& epoch) {
  if (m_predictedRows != m_predictions.count || !epoch.hasValidation() || epoch.validationCancelled) return;
  m_predictions.epoch = epoch.epoch;
  emit epochPredictions(m_predictions);
  m_predictedRows = 0;
}

void TrainingWorker::startRangeTest(const LrRangeRequest& request) {
  if (m_shutdown.load()) return;
  try {
    runRangeTest(request);
  } catch (const std::exception& e) {
    emit rangeTestFinished(LrRangeResult{}, QString::fromUtf8(e.what()));
  }
}

void TrainingWorker::runRangeTest(const LrRangeRequest& request) {
  if (!request.data || request.data->train.empty())
    throw std::runtime_error(tr("No training data is loaded.").toStdString());
  m_clock.start();
  setThreadCount(request.threads);
  const TrainingSpec& training = request.spec.training;
  LrRangeOptions options;
  options.minLr = request.minLr;
  options.maxLr = request.maxLr;
  options.steps = request.steps;
  options.batchSize = training.batchSize;
  options.seed = training.seed;
  options.cancel = &m_cancel;
  if (request.validation == ValidationMode::Split) {
    TrainRequest asRun;
    asRun.spec = request.spec;
    asRun.data = request.data;
    asRun.validation = ValidationMode::Split;
    options.rows = std::max(1, trainingRows(asRun));
  }
  std::vector<LrRangePoint> pending;
  int64_t lastReport = 0;
  const int interval = std::max(1, request.progressIntervalMs);
  options.onPoint = [&](const LrRangePoint& point, int done, int total) {
    pending.push_back(point);
    const int64_t now = m_clock.elapsed();
    if (done < total && now - lastReport < interval) return;
    lastReport = now;
    emit rangeTestProgressed(pending, total);
    pending.clear();
  };
  const LrRangeResult result = lrRangeTest(request.spec, request.weights, request.data->train, options);
  if (!pending.empty()) emit rangeTestProgressed(pending, result.plannedSteps);
  emit rangeTestFinished(result, QString());
}

}  // namespace dl
