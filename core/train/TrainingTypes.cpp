// Step counting shared by the worker and the window, texts shared with the command line, and the
// meta-type registration.

#include "train/TrainingTypes.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <mutex>

namespace dl {

int trainingRows(const TrainRequest& request) {
  if (!request.data && !request.trainSource) return 0;
  const int count = request.trainSource ? request.trainSource->rowCount() : request.data->train.count;
  if (request.validation != ValidationMode::Split) return count;
  const double split = std::clamp(request.spec.training.validationSplit, 0.0, 1.0);
  return int(std::floor(count * (1.0 - split)));  // as dl::fit: the last rows validate
}

int stepsPerEpoch(const TrainRequest& request) {
  const int rows = trainingRows(request);
  const int batch = std::max(1, request.spec.training.batchSize);
  return (rows + batch - 1) / batch;
}

QString durationText(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
  if (seconds < 9.95) return QStringLiteral("%1 s").arg(seconds, 0, 'f', 1);
  const long s = std::lround(seconds);
  if (s < 60) return QStringLiteral("%1 s").arg(s);
  if (s < 3600) return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
  const long m = (s + 30) / 60;  // whole minutes, rounded
  return QStringLiteral("%1 h %2 min").arg(m / 60).arg(m % 60, 2, 10, QLatin1Char('0'));
}

QString divergenceText(const Divergence& d) {
  if (d.cause == Divergence::Cause::Weights)
    return QCoreApplication::translate("dl::TrainingWorker",
                                       "Training diverged: the weights became NaN or infinite in epoch %1.")
        .arg(d.epoch);
  const QString value =
      std::isnan(d.loss) ? QStringLiteral("NaN") : QCoreApplication::translate("dl::TrainingWorker", "infinite");
  return QCoreApplication::translate("dl::TrainingWorker",
                                     "Training diverged: the loss became %1 in epoch %2 at batch %3.")
      .arg(value)
      .arg(d.epoch)
      .arg(d.batch);
}

void registerTrainingMetaTypes() {
  static std::once_flag once;
  std::call_once(once, [] {
    qRegisterMetaType<TrainRequest>();
    qRegisterMetaType<EvaluateRequest>();
    qRegisterMetaType<TrainResult>();
    qRegisterMetaType<BatchLog>();
    qRegisterMetaType<EpochLog>();
    qRegisterMetaType<EpochPredictions>();
    qRegisterMetaType<LrRangeRequest>();
    qRegisterMetaType<LrRangeResult>();
    qRegisterMetaType<std::vector<LrRangePoint>>();
    qRegisterMetaType<ModelSpec>();
    qRegisterMetaType<TrainingSpec>();
    qRegisterMetaType<std::vector<BatchLog>>();
    qRegisterMetaType<std::vector<Matrix>>();
  });
}

}  // namespace dl
