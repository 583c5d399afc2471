#pragma once
// What the Results tab's confusion matrix was counted from, kept so that a cell can list its
// digits: the dataset the images come from, each sample's row in it, its true class (the dataset's
// label) and predicted class, and the network's class probabilities per sample when they are known
// (after an epoch the worker sends them; for the final test predictions, TrainResult::predicted
// has none, so they are computed on demand for the listed cell's samples only, and kept).
//
//   drill.set(testSet, rows, predicted, {}, 10);              // final test predictions
//   drill.set(trainSet, rows, predicted, probabilities, 10);  // an epoch's validation rows
//   drill.matrix();                                           // the confusion matrix of the samples
//   auto cell = drill.cell(7, 1, probabilityFunction);        // every sample with truth 7 and
//                                                             // prediction 1, most confident first
//
// No widgets: the ResultsView shows it, tests check it directly.

#include "data/ConfusionMatrix.h"
#include "data/Dataset.h"

#include <functional>
#include <memory>
#include <vector>

namespace dl {

class ConfusionDrillDown {
 public:
  // Class probabilities of `count` images (each rows*cols floats, back to back, as a Dataset holds
  // them): count x classes values, row-major; empty when no model can give them.
  using ProbabilityFunction = std::function<std::vector<float>(const std::vector<float>& images, int count)>;

  struct Entry {
    int sample = 0;            // index among the samples given to set()
    int row = 0;               // the sample's row in the dataset
    float confidence = -1.0f;  // probability of the predicted class; -1 when unknown
  };

  // rows[i] is sample i's row in *images (rows out of range, and any sample past the shortest of
  // rows/predicted, are dropped); probabilities: rows.size() x classes values, or empty (unknown).
  void set(std::shared_ptr<const Dataset> images, std::vector<int> rows, std::vector<int> predicted,
           std::vector<float> probabilities, int classes);
  void clear();
  bool empty() const { return m_rows.empty(); }

  int count() const { return int(m_rows.size()); }
  int row(int sample) const { return m_rows[size_t(sample)]; }
  int trueClass(int sample) const;
  int predictedClass(int sample) const { return m_predicted[size_t(sample)]; }
  const float* image(int sample) const { return m_images->image(m_rows[size_t(sample)]); }
  const Dataset* dataset() const { return m_images.get(); }
  ConfusionMatrix matrix() const;
  // Whether every sample's probabilities came with the predictions (else cell() computes them).
  bool hasProbabilities() const { return m_given; }

  // Every sample with true class t predicted as q, by confidence (the probability of q), highest
  // first, ties in row order. Missing probabilities of these samples are computed with `fn` (in
  // chunks) and kept; when fn is empty or gives nothing, the entries keep confidence -1 and come
  // in row order, and *haveConfidence (when given) is false.
  std::vector<Entry> cell(int t, int q, const ProbabilityFunction& fn, bool* haveConfidence = nullptr);

 private:
  std::shared_ptr<const Dataset> m_images;
  std::vector<int> m_rows;
  std::vector<int> m_predicted;
  std::vector<float> m_probabilities;  // count x m_classes; NaN where not known yet
  int m_classes = 0;
  bool m_given = false;
};

}  // namespace dl
