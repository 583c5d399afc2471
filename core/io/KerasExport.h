#pragma once
// A model as a runnable Python script in the Keras tutorial's style: load MNIST with
// keras.datasets, reshape and scale to [0, 1], one-hot labels with to_categorical, a
// keras.Sequential stating every layer with its arguments and DigitLab's layer names, compile
// with the optimizer, fit with the batch size, epochs and validation split, evaluate on the train
// and test sets and print the figures as `digitlab train` does. Works with Keras 3 and with
// TensorFlow 2's tf.keras.
//
// Given a .dlm file, the script can load the weights DigitLab trained (numpy reads the .dlm zip;
// layer names match its weights/<layer>/ members) and evaluate them instead of training.

#include "nn/ModelSpec.h"

#include <string>

namespace dl {

struct KerasScriptOptions {
  // A .dlm file whose weights the script loads instead of training ("" : train from scratch).
  std::string weightsFile;
  // keras.datasets.fashion_mnist instead of mnist.
  bool fashionMnist = false;
};

// Throws SpecError if the spec is invalid (analyze()) or does not take 28x28 images.
std::string kerasScript(const ModelSpec& spec, const KerasScriptOptions& options = {});

}  // namespace dl
