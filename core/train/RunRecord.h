#pragma once
// One training run as the Runs tab keeps it and a model file saves it (metadata.json "runs"): its
// settings (the whole ModelSpec: architecture and training settings, and the dataset), its curves
// (one EpochLog per completed epoch, plus the accuracy on my digits per epoch when the run scored
// them), the final model.evaluate figures, when it started, how long it took and how it ended.
//
//   RunRecord r = RunRecord::begin(spec, "MNIST", initialEpoch);   // a new id, started = now
//   r.epochs.push_back(epochLog); r.myDigitsAccuracy.push_back(acc); // per epoch
//   r.finish(result);                                               // figures, seconds, ending
//   QJsonObject o = runRecordToJson(r);
//   RunRecord back = runRecordFromJson(o, "runs[0]");  // throws RunRecordError("runs[0].…: …")
//
// The JSON is read strictly by type, like metadata.json (io/ModelFileMetadata.cpp): a wrong type
// or an unknown ending is an error naming the member, a missing optional value its default, a
// missing id or spec an error. Non-finite numbers are written as null (absent) and read as NaN.

#include "nn/ModelSpec.h"
#include "nn/Trainer.h"

#include <QByteArray>
#include <QJsonObject>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace dl {

struct TrainResult;

class RunRecordError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunRecord {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  enum class Ending { Running, Completed, Stopped, Diverged, Failed };

  std::string id;       // unique ("{uuid}"): a run read back from several files is listed once
  std::string started;  // ISO 8601 UTC, "2026-12-02T15:04:05Z"
  double seconds = 0;   // wall time (pauses excluded), as TrainResult::seconds
  Ending ending = Ending::Running;
  std::string message;  // how it ended, one line (TrainResult::message)
  std::string dataset;  // DatasetPair::name
  ModelSpec spec;       // architecture and training settings the run trained with
  int64_t parameters = 0;
  int initialEpoch = 0;                  // a continued run: epochs trained before it
  std::vector<EpochLog> epochs;          // completed epochs, numbered from initialEpoch + 1
  std::vector<double> myDigitsAccuracy;  // per epoch (NaN: not scored); empty when never scored
  double trainLoss = kNaN;
  double trainAccuracy = kNaN;
  double testLoss = kNaN;
  double testAccuracy = kNaN;
  // Not saved: the file the run was read from (empty: trained in this session).
  std::string sourceFile;

  // A run starting now: a fresh id, `started` the current UTC time, parameters from the spec.
  static RunRecord begin(const ModelSpec& spec, const std::string& dataset, int initialEpoch);
  // Records the run's end: final figures (NaN when not evaluated), seconds, message and the ending
  // (cancelled: Stopped, diverged: Diverged, else Completed).
  void finish(const TrainResult& result);
  // The accuracy on my digits after `epoch` (numbered as EpochLog::epoch): kept in step with epochs.
  void setMyDigitsAccuracy(int epoch, double accuracy);
  // The last epoch's value of a curve ("loss", "accuracy", "val_loss", "val_accuracy",
  // "my_digits_accuracy"); NaN when there is none.
  double lastValue(const std::string& metric) const;
  // One value per epoch of `metric` (as lastValue's names); NaN where absent.
  std::vector<double> curve(const std::string& metric) const;
};

// "completed", "stopped", "diverged", "failed", "running"
std::string runEndingName(RunRecord::Ending ending);
// The architecture in one line: "Conv2D 32 5×5 · MaxPooling2D · Flatten · Dense 128 · Dropout 0.3 · Dense 10"
std::string architectureSummary(const ModelSpec& spec);

// The runs' numbers as CSV, one row per run and epoch (a run without epochs: one row with the epoch
// columns empty), header
//   run,started,dataset,architecture,optimizer,learning_rate,batch_size,epochs,parameters,seconds,
//   ending,test_loss,test_accuracy,epoch,loss,accuracy,val_loss,val_accuracy,my_digits_accuracy
// `labels[i]` names run i ("Run 2"); NaN cells are empty; text with a comma or quote is quoted.
// UTF-8, lines end with "\n".
QByteArray runsCsv(const std::vector<RunRecord>& runs, const std::vector<std::string>& labels);

QJsonObject runRecordToJson(const RunRecord& run);
// `at` names the object in messages ("runs[2]"). Throws RunRecordError.
RunRecord runRecordFromJson(const QJsonObject& o, const std::string& at);

}  // namespace dl
