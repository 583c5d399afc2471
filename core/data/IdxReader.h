#pragma once
// Reader for the MNIST IDX format (http://yann.lecun.com/exdb/mnist/): big-endian header
// 0x00 0x00 <type 0x08 = ubyte> <ndims>, then ndims 32-bit sizes, then the bytes.
// Images: magic 0x00000803 (count, rows, cols); labels: magic 0x00000801 (count).
// Files may be raw or gzip-compressed (detected from content, not the name).
//
// Requires nothing of the file: every defect (missing file, not gzip though named .gz, bad magic,
// truncated data, trailing garbage, huge declared sizes, image/label count mismatch, label > 9)
// throws dl::DataError whose message names the file and the defect. Memory is only allocated
// after the header has been checked against the real (decompressed) length.

#include "data/Dataset.h"

#include <stdexcept>
#include <string>

namespace dl {

class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads an images file and a labels file into one Dataset. Paths may be Qt resource paths
// (":/data/mnist/...") as well as files on disk.
Dataset readIdxPair(const std::string& imagesPath, const std::string& labelsPath);

// Loads the four standard files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each raw or with .gz) from a folder.
DatasetPair loadMnistFolder(const std::string& dir);

// The 10,000-digit dataset compiled into the binary (8,000 train / 2,000 test).
DatasetPair loadEmbeddedMnist();

// Where Debian's dataset-fashion-mnist installs its files; empty if not installed.
std::string fashionMnistFolder();

// Resolves a --data argument: "embedded" (or empty), "fashion", "mnist" (the user's downloaded
// copy, when present), or a folder path. Throws DataError with a helpful message otherwise.
DatasetPair loadDataset(const std::string& spec);

}  // namespace dl
