#pragma once
// Shape inference and validation of a ModelSpec, without building any layer: what the model
// builder shows live, what `digitlab summary` prints, what Model checks before training.

#include "nn/ModelSpec.h"

#include <string>
#include <vector>

namespace dl {

struct LayerInfo {
  std::string name;       // resolved name: "dense_1"
  std::string className;  // "Dense"
  Shape inputShape;
  Shape outputShape;               // empty when the layer (or one before it) is invalid
  int64_t params = 0;              // every weight, as Keras's Param # counts them
  int64_t nonTrainableParams = 0;  // of which non-trainable (BatchNormalization's moving statistics)
  std::string error;               // empty when valid; else why this layer cannot be built
};

struct ModelAnalysis {
  std::vector<LayerInfo> layers;
  int64_t totalParams = 0;
  int64_t nonTrainableParams = 0;  // part of totalParams
  int64_t trainableParams() const { return totalParams - nonTrainableParams; }
  int errorLayer = -1;  // index of the first invalid layer, -1 if none
  std::string error;    // "Layer 3 'conv2d_1' (Conv2D): kernel 5x5 is larger than ..."
  bool ok() const { return errorLayer < 0 && error.empty(); }
};

// Never throws: problems are reported in the result. Checks every size and name (positive
// units/filters/kernels/strides/pools, rate in [0, 1), known activations and initializers,
// kernels and pools that fit their input with valid padding, Conv2D/MaxPooling2D on 3-D input,
// Dense on 1-D input — Keras's Dense on a 3-D tensor acts on the last axis, which DigitLab does
// not support, so it asks for a Flatten; unique layer names usable as file names; at most 2^23
// values per sample in any layer), and that the model ends in 10 softmax units for the 10
// classes (an error on the last layer otherwise).
ModelAnalysis analyze(const ModelSpec& spec, int numClasses = 10);

// The table Keras's model.summary() prints (Keras 3 layout), e.g.
//   Model: "sequential"
//   ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┓
//   ┃ Layer (type)              ┃ Output Shape            ┃    Param # ┃
//   ...
//   Total params: 3,274,634 (12.49 MB)
std::string summaryText(const ModelSpec& spec);

// "3,274,634"
std::string withThousands(int64_t n);

}  // namespace dl
