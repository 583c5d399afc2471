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
//                 "loss": "categorical_crossentropy", "batch_size": 32, "epochs": 5}}
// Keras's own model.to_json() output (Keras 2 and 3 forms) is accepted as well.
//
// Errors throw SpecError naming the source (file name), the layer and what is wrong.

#include "nn/ModelSpec.h"

#include <string>

namespace dl {

// Parses a spec from JSON text. `source` names where it came from, for error messages.
ModelSpec modelSpecFromJson(const std::string& json, const std::string& source = "model spec");
// Reads a spec file (DigitLab spec or Keras to_json output).
ModelSpec readModelSpecFile(const std::string& path);
// DigitLab's spec format, indented.
std::string modelSpecToJson(const ModelSpec& spec);

// "mlp" / "cnn" presets, or a spec file, or (once model files exist) a .dlm file's spec.
ModelSpec resolveModelArgument(const std::string& arg);

}  // namespace dl
