#pragma once
// How a training went, epoch by epoch and batch by batch: what the training panel charts, what a
// model file keeps (io/ModelFile.h) and what `digitlab train --save` records.

#include "nn/Trainer.h"

#include <vector>

namespace dl {

struct TrainingHistory {
  std::vector<EpochLog> epochs;  // one per completed epoch (val_* NaN when not validated)
  // Every optimizer step of every epoch, in order: that batch's own loss and accuracy.
  std::vector<float> batchLoss;
  std::vector<float> batchAccuracy;
  int batchesPerEpoch = 0;  // steps per epoch; 0 when unknown

  void addBatch(const BatchLog& b) {
    batchLoss.push_back(float(b.loss));
    batchAccuracy.push_back(float(b.accuracy));
    batchesPerEpoch = b.batchesPerEpoch;
  }
  void addEpoch(const EpochLog& e) { epochs.push_back(e); }
  bool empty() const { return epochs.empty() && batchLoss.empty(); }
};

}  // namespace dl
