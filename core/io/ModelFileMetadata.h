#pragma once
// A model file's metadata.json: the DigitLab version, the dataset, the date saved, the training
// history per epoch and per batch, and the final train/test loss and accuracy. Written compactly
// (per-batch values as their shortest decimals, non-finite ones as null) and read back strictly by
// type: a wrong type is an error, a missing value a default. "runs" (train/RunRecord.h) lists the
// runs the window kept when the file was saved; files without it (older ones) read as no runs.

#include "train/RunRecord.h"
#include "train/TrainingHistory.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace dl {

struct ModelFileMetadata {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::string dataset;  // "MNIST (embedded, 10,000 digits)", "Fashion-MNIST", ...
  TrainingHistory history;
  // The tutorial's final model.evaluate figures; NaN when not computed.
  double trainLoss = kNaN;
  double trainAccuracy = kNaN;
  double testLoss = kNaN;
  double testAccuracy = kNaN;
  // ISO 8601 UTC ("2025-05-01T12:34:56Z"). saveModelFile writes the current time when empty.
  std::string dateSaved;
  // Read back from a file; saveModelFile always writes the running DigitLab's version.
  std::string digitlabVersion;
  // The runs kept when the file was saved (the Runs tab's), oldest first.
  std::vector<RunRecord> runs;
};

// metadata.json for a model of `parameters` parameters, with the running DigitLab's version and,
// when m.dateSaved is empty, the current time.
QJsonObject metadataToJson(const ModelFileMetadata& m, int64_t parameters);
// Parses and checks metadata.json (the member's bytes) of the file at `path`; throws
// ModelFileError naming the file.
ModelFileMetadata metadataFromJson(const QByteArray& bytes, const QString& path);

}  // namespace dl
