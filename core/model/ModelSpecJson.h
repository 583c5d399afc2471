#pragma once
// ModelSpec <-> JSON.
//
// DigitLab's own spec format (what `digitlab train --model SPEC.json` takes and the model
// builder saves) uses Keras names and arguments:
//   {"name": "tutorial_mlp", "input_shape": [784],
//    "layers": [{"class_name": "Dense", "units": 200, "activation": "tanh",
//                "bias_initializer": "ones"},
//               {"class_name": "Dropout", "rate": 0.4}, ...],
//    "training": {"optimizer": {"class_name": "SGD", "learning_rate": 0.2},
//                 "loss": "categorical_crossentropy", "batch_size": 32, "epochs": 5,
//                 "validation": "split", "validation_split": 0.1, "seed": 1}}
// "training" may also hold "callbacks", Keras's EarlyStopping, ReduceLROnPlateau and
// ModelCheckpoint with their arguments (model/CallbacksJson.cpp); written only when one is on.
// "validation" is "none", "split" (the last validation_split of the training rows, which must then
// be above 0) or "test" (the test set; validation_split must be 0). Files without it (older ones)
// validate on the split when validation_split is above 0.
// Keras's own model.to_json() output (Keras 2 and 3 forms) is accepted as well: the InputLayer's
// batch_shape / batch_input_shape, or batch_input_shape / input_shape / input_dim on the first
// layer, give the input shape; a Keras 3 "compile_config" gives the optimizer and loss. Without
// any input shape, (28, 28, 1) is assumed when the first layer is a Conv2D or MaxPooling2D and
// (784) otherwise. A 2-D input shape (h, w) before a Flatten is read as (h, w, 1) (the same 784
// values).
//
// Nothing is silently dropped: an unknown layer class, activation, initializer or optimizer, an
// argument DigitLab cannot honour (dilation_rate != 1, groups != 1, channels_first, a
// regularizer or constraint, trainable=false, a dtype other than float32, ...) or an unknown
// argument that is not null is refused. Arguments that change nothing DigitLab computes are
// accepted and ignored: random seeds of initializers and Dropout, Keras 3's metrics, run_eagerly,
// jit_compile and steps_per_execution.
//
// Errors throw SpecError naming the source (file name), the layer and what is wrong, e.g.
//   "my.json: layer 2 'dense' (Dense): 'units' must be a whole number from 1 to 65536, not 1e+12"

#include "nn/ModelSpec.h"

#include <string>

namespace dl {

// Parses a spec from JSON text. `source` names where it came from, for error messages.
ModelSpec modelSpecFromJson(const std::string& json, const std::string& source = "model spec");
// Reads a spec file (DigitLab spec or Keras to_json output); at most 16 MiB.
ModelSpec readModelSpecFile(const std::string& path);
// DigitLab's spec format, indented. modelSpecFromJson(modelSpecToJson(s)) == s.
std::string modelSpecToJson(const ModelSpec& spec);

// The architecture as Keras 3's model.to_json() writes it (module/class_name/config, an
// InputLayer first, DTypePolicy dtypes, initializer objects, build_config), indented: what a
// .dlm file's config.json holds. Reading it back gives the spec with default training settings
// (layer names equal to Keras's automatic ones come back empty).
std::string modelSpecToKerasJson(const ModelSpec& spec);

// The "training" object of DigitLab's format alone (optimizer, loss, batch size, epochs,
// validation, validation split, seed), indented, and back: what a .dlm file's training.json holds.
std::string trainingSpecToJson(const TrainingSpec& training);
TrainingSpec trainingSpecFromJson(const std::string& json, const std::string& source = "training settings");

}  // namespace dl
