#pragma once
// What the command line's --model (and a model argument) names: the "mlp" / "cnn" presets, a spec
// file (*.json: DigitLab's or Keras's model.to_json()) or a .dlm model file's spec. Throws
// dl::SpecError naming the argument when it is none of these or cannot be read.

#include "nn/ModelSpec.h"

#include <string>

namespace dl {

ModelSpec resolveModelArgument(const std::string& arg);

}  // namespace dl
