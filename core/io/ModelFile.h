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
//
// The parts have their own files: io/ZipArchive (the container and its limits), io/Npy (the
// tensors), io/ModelFileMetadata (metadata.json); train/TrainingHistory is what the history holds.

#include "io/ModelFileError.h"
#include "io/ModelFileMetadata.h"
#include "io/Npy.h"
#include "nn/Model.h"
#include "nn/ModelSpec.h"
#include "train/TrainingHistory.h"

#include <QString>

#include <memory>
#include <vector>

namespace dl {

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

}  // namespace dl
