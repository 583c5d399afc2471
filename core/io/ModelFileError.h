#pragma once
// The one error every part of the model file (zip container, .npy tensors, metadata) throws.

#include <QString>

#include <stdexcept>
#include <string>

namespace dl {

class ModelFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws ModelFileError("<path>: <what>").
[[noreturn]] inline void failModelFile(const QString& path, const std::string& what) {
  throw ModelFileError(path.toStdString() + ": " + what);
}

}  // namespace dl
