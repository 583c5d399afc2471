#pragma once
// The training log as the CSV table that the charts' "Export CSV…" writes: every batch with its
// running mean and smoothed value, and every epoch with its validation values.

#include "nn/Trainer.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace dl {

// A number as the CSV writes it: up to 12 significant digits (QString::number(v, 'g', 12), so
// "nan", "inf" and "-inf" for the non-finite ones).
QString csvNumber(double v);

// The table, header
//   step,epoch,batch,loss,accuracy,running_loss,running_accuracy,smoothed_loss,
//   smoothed_accuracy,val_loss,val_accuracy
// One row per batch (step = (epoch - 1) * perEpoch + batch, perEpoch the log's own
// batchesPerEpoch when set, else `batchesPerEpoch`; smoothed_* with strength `beta`, see
// curves::smoothed; val_* empty). After the last batch of each epoch, the epochs up to that one:
// step = epoch * batchesPerEpoch, batch, running_* and smoothed_* empty, loss/accuracy the epoch's
// values, val_* the validation values (empty when NaN). Epochs after the last batch's come at the
// end. UTF-8, lines end with "\n". Select epoch rows by their empty `batch` column.
QByteArray trainingCsv(const std::vector<BatchLog>& batches, const std::vector<EpochLog>& epochs, int batchesPerEpoch,
                       double beta);

}  // namespace dl
