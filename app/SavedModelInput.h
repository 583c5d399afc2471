#pragma once
// What the commands that use a saved model share: recognising a model file argument, the --data
// a model was trained on, and reading a picture of a digit into the model's 28x28 input exactly
// as `digitlab predict` does (MNIST-style preprocessing, data/DigitPreprocess.h).

#include "data/DigitPreprocess.h"

#include <QString>

#include <string>

namespace dl {

// A saved model: a .dlm path, or any existing file but a .json (a spec or a Keras architecture;
// the app's Save As keeps a suffix the user typed); loadModelFile() then says what is wrong with a
// file that is not one.
bool isModelFile(const QString& path);

// The --data a model was trained on, from its metadata's dataset name ("fashion", "mnist", "my",
// a folder, or "embedded"): what `evaluate` uses when no --data is given.
QString trainedDataArgument(const std::string& dataset);

// Reads the picture at path and preprocesses it for a model trained on `dataset` (its metadata's
// name): digits get MNIST's stroke width whatever pen drew them; Fashion-MNIST's pictures are not
// strokes. Returns false with *error set ("cannot read the picture (...)") when it cannot be read.
bool readDigitPicture(const QString& path, const std::string& dataset, DigitInput* input, QString* error);

}  // namespace dl
