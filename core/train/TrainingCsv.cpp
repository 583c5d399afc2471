// The training log as CSV (see TrainingCsv.h).

#include "TrainingCsv.h"

#include "Curves.h"

#include <QStringList>

#include <cmath>
#include <limits>

namespace dl {

QString csvNumber(double v) { return QString::number(v, 'g', 12); }

QByteArray trainingCsv(const std::vector<BatchLog>& batches, const std::vector<EpochLog>& epochs, int batchesPerEpoch,
                       double beta) {
  const size_t n = batches.size();
  std::vector<double> loss(n), accuracy(n);
  for (size_t i = 0; i < n; ++i) {
    loss[i] = batches[i].loss;
    accuracy[i] = batches[i].accuracy;
  }
  const std::vector<double> smoothLoss = curves::smoothed(loss, beta);
  const std::vector<double> smoothAccuracy = curves::smoothed(accuracy, beta);

  QByteArray out;
  out.reserve(static_cast<qsizetype>(n + epochs.size() + 1) * 96);
  out +=
      "step,epoch,batch,loss,accuracy,running_loss,running_accuracy,smoothed_loss,smoothed_accuracy,"
      "val_loss,val_accuracy\n";
  auto optional = [](double v) { return std::isnan(v) ? QString() : csvNumber(v); };
  size_t nextEpoch = 0;
  auto writeEpochsUpTo = [&](int epoch) {
    for (; nextEpoch < epochs.size() && epochs[nextEpoch].epoch <= epoch; ++nextEpoch) {
      const EpochLog& e = epochs[nextEpoch];
      const QStringList row = {QString::number(qint64(e.epoch) * batchesPerEpoch),
                               QString::number(e.epoch),
                               QString(),
                               csvNumber(e.loss),
                               csvNumber(e.accuracy),
                               QString(),
                               QString(),
                               QString(),
                               QString(),
                               optional(e.valLoss),
                               optional(e.valAccuracy)};
      out += row.join(QLatin1Char(',')).toUtf8() + '\n';
    }
  };
  for (size_t i = 0; i < n; ++i) {
    const BatchLog& b = batches[i];
    const int perEpoch = b.batchesPerEpoch > 0 ? b.batchesPerEpoch : batchesPerEpoch;
    const QStringList row = {QString::number(qint64(b.epoch - 1) * perEpoch + b.batch),
                             QString::number(b.epoch),
                             QString::number(b.batch),
                             csvNumber(b.loss),
                             csvNumber(b.accuracy),
                             csvNumber(b.runningLoss),
                             csvNumber(b.runningAccuracy),
                             csvNumber(smoothLoss[i]),
                             csvNumber(smoothAccuracy[i]),
                             QString(),
                             QString()};
    out += row.join(QLatin1Char(',')).toUtf8() + '\n';
    if (i + 1 == n || batches[i + 1].epoch != b.epoch) writeEpochsUpTo(b.epoch);
  }
  writeEpochsUpTo(std::numeric_limits<int>::max());
  return out;
}

}  // namespace dl
