#pragma once
// DigitLab's model file (.dlm): one zip archive holding a trained model, laid out like a Keras 3
// .keras file, with the weights as NumPy .npy members:
//
//   config.json                  the architecture as Keras 3's model.to_json() writes it
//   training.json                optimizer, loss, batch size, epochs, validation split, seed
//   metadata.json                DigitLab version, dataset, date saved, training history per epoch
//                                and per batch, final train/test loss and accuracy
//   weights/<layer>/kernel.npy   float32 ('<f4', C order, NPY format 1.0) in Keras's shape:
//   weights/<layer>/bias.npy     Dense (in, units) / (units,); Conv2D (kh, kw, cin, cout) / (cout,)
//
// In Python, `numpy.load("model.dlm")` opens it as an NpzFile:
//   z = numpy.load("model.dlm"); z["weights/dense/kernel"].shape == (784, 200)
//   model.layers[0].set_weights([z["weights/dense/kernel"], z["weights/dense/bias"]])
// (JSON members are STORED/DEFLATED as well and come back as bytes: z["config.json"].)
//
// Saving writes through QSaveFile: a failed save leaves any previous file untouched. Loading reads
// everything in memory (nothing is extracted to disk) and checks it all: a zip archive, no member
// declared larger than it may be (JSON 64 MiB each, the weights at most 512 MiB in total) before it
// is inflated, CRCs, valid JSON and spec, every tensor present with the right .npy header, dtype
// and shape. Members DigitLab does not know are ignored. Errors throw ModelFileError naming the
// file and what is wrong.

#include "nn/Model.h"
#include "nn/ModelSpec.h"
#include "nn/Trainer.h"

#include <QString>

#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace dl {

class ModelFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// How a training went: what the training panel charts.
struct TrainingHistory {
  std::vector<EpochLog> epochs;      // one per completed epoch (val_* NaN when not validated)
  // Every optimizer step of every epoch, in order: that batch's own loss and accuracy.
  std::vector<float> batchLoss;
  std::vector<float> batchAccuracy;
  int batchesPerEpoch = 0;           // steps per epoch; 0 when unknown

  void addBatch(const BatchLog& b) {
    batchLoss.push_back(float(b.loss));
    batchAccuracy.push_back(float(b.accuracy));
    batchesPerEpoch = b.batchesPerEpoch;
  }
  void addEpoch(const EpochLog& e) { epochs.push_back(e); }
  bool empty() const { return epochs.empty() && batchLoss.empty(); }
};

struct ModelFileMetadata {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::string dataset;          // "MNIST (embedded, 10,000 digits)", "Fashion-MNIST", ...
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
};

struct ModelFileContents {
  ModelSpec spec;               // architecture (config.json) and training settings (training.json)
  std::vector<Matrix> weights;  // in Model::params() order, each shaped like its Param::value
  ModelFileMetadata metadata;
};

// Saves a model: its spec, its current weights and the metadata.
void saveModelFile(const QString& path, const Model& model, const ModelFileMetadata& metadata);
// The same from a spec and weights in Model::params() order (e.g. a training worker's snapshot).
// Throws ModelFileError if the weights do not fit the spec.
void saveModelFile(const QString& path, const ModelSpec& spec, const std::vector<Matrix>& weights,
                   const ModelFileMetadata& metadata);

// Loads and checks a whole model file.
ModelFileContents loadModelFile(const QString& path);
// Only the spec (config.json and training.json): cheap, for `--model file.dlm`.
ModelSpec readModelFileSpec(const QString& path);
// A Model built from the file's spec (seeded with its training seed) holding the file's weights.
std::unique_ptr<Model> buildModel(const ModelFileContents& contents);

// The NPY 1.0 encoding of a float32 tensor exactly as numpy.save writes it (header padded for
// growth and to 64 bytes), and back. fromNpy checks magic, version, dtype ('<f4'), order and that
// the shape is `expected`; the error names `where`.
std::string npyBytes(const float* data, const Shape& shape);
std::vector<float> floatsFromNpy(const std::string& bytes, const Shape& expected, const std::string& where);

}  // namespace dl
