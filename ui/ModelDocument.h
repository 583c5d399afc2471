#pragma once
// The model the window shows, as a document: the trained weights (with the spec they belong to),
// the training history the charts got, the dataset and final metrics, the file it lives in and
// whether it has unsaved changes. The rules of saving and opening live here, testable without a
// window; the architecture itself is the builder's (it is passed in when saving).
//
// Saving writes `spec` with the trained weights when they still fit it (every tensor has the shape
// this architecture gives it, in the same order: renaming a layer or changing an activation keeps
// them), with the history and the metrics; when nothing was trained, freshly initialised weights
// and no history. When trained weights no longer fit, save() refuses (WeightsDoNotFit) unless told
// that fresh weights are wanted; then it writes no history and no metrics either, since the
// architecture did not produce them.

#include "io/ModelFile.h"
#include "nn/ModelSpec.h"
#include "nn/Tensor.h"
#include "nn/Trainer.h"

#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace dl {

class ModelDocument {
 public:
  bool hasWeights() const { return m_hasWeights; }
  const ModelSpec& weightsSpec() const { return m_weightsSpec; }
  const std::vector<Matrix>& weights() const { return m_weights; }
  const TrainingHistory& history() const { return m_history; }
  // The dataset and the final metrics (the history is history()).
  const ModelFileMetadata& metadata() const { return m_metadata; }
  bool hasFinalMetrics() const;
  // Epochs trained so far (what a continued run numbers on from).
  int trainedEpochs() const { return int(m_history.epochs.size()); }

  QString path() const { return m_path; }
  void setPath(const QString& path);
  bool isModified() const { return m_modified; }
  void setModified(bool modified) { m_modified = modified; }

  // Nothing trained, no file, unmodified (New, a preset).
  void reset();
  // A run starts on `dataset`. Afresh, the weights, history and metrics of the last run go; a
  // continued run keeps its weights and history and appends to them (metrics go: they described
  // the weights before).
  void beginRun(const std::string& dataset, bool continuing);
  void addBatches(const std::vector<BatchLog>& batches);
  void addEpoch(const EpochLog& epoch);
  // The latest weights of a run (or of an evaluation's model).
  void setWeights(const ModelSpec& spec, const std::vector<Matrix>& weights);
  // The tutorial's final figures; NaN: not computed.
  void setFinalMetrics(double trainLoss, double trainAccuracy, double testLoss, double testAccuracy);
  // The runs a save writes (metadata.json "runs"), with or without trained weights.
  void setRuns(std::vector<RunRecord> runs) { m_metadata.runs = std::move(runs); }

  // Whether the trained weights fit `spec`'s architecture (false when there are none). Building a
  // model to check costs tens of milliseconds for the CNN, and the window asks after every edit:
  // the answer is kept for the last architecture asked about until the weights change.
  bool weightsFit(const ModelSpec& spec) const;

  // Loads and checks the whole file, and that a model can be built from it. On failure returns
  // false with *error naming the file and the problem, and changes nothing. On success the
  // document holds the file (unmodified) and *spec is its architecture and training settings.
  bool open(const QString& path, ModelSpec* spec, QString* error);

  enum class SaveResult { Saved, Failed, WeightsDoNotFit };
  // Writes `spec` to `path` (see the header comment). freshWeightsIfMismatch: when trained weights
  // no longer fit, save the architecture with fresh weights instead of refusing. `dataset`: what a
  // model without trained weights records. On success the file is the document's, unmodified;
  // otherwise nothing changes (a failed write leaves any previous file intact) and *error says why.
  SaveResult save(const QString& path, const ModelSpec& spec, bool freshWeightsIfMismatch, const std::string& dataset,
                  QString* error);

 private:
  ModelSpec m_weightsSpec;
  std::vector<Matrix> m_weights;
  bool m_hasWeights = false;
  TrainingHistory m_history;
  ModelFileMetadata m_metadata;  // dataset and final metrics; its history stays empty
  QString m_path;
  bool m_modified = false;
  // weightsFit's last question (input shape and layers) and answer; reset when the weights change.
  struct FitAnswer {
    Shape inputShape;
    std::vector<LayerSpec> layers;
    bool fits = false;
  };
  mutable std::optional<FitAnswer> m_lastFit;
};

}  // namespace dl
