#pragma once
// An in-memory image classification dataset: grey images as floats in [0, 1], row-major,
// one image after another (sample i starts at images[i * rows * cols]), labels 0..classes-1.
// It is a BatchSource: fit and evaluate (nn/) read its rows through that interface.

#include "nn/BatchSource.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace dl {

struct Dataset : BatchSource {
  std::vector<float> images;    // count * rows * cols values in [0, 1]
  std::vector<uint8_t> labels;  // count labels
  int count = 0;
  int rows = 28;
  int cols = 28;

  int pixels() const { return rows * cols; }
  const float* image(int i) const { return images.data() + static_cast<size_t>(i) * pixels(); }
  bool empty() const { return count == 0; }

  // BatchSource: a row is an image's pixels.
  int rowCount() const override { return count; }
  int featureSize() const override { return pixels(); }
  void gatherRows(const int* rows, int n, Matrix& x, uint8_t* out) const override {
    const int size = pixels();
    for (int i = 0; i < n; ++i) {
      std::copy_n(image(rows[i]), size, x.data() + Eigen::Index(i) * size);
      out[i] = labels[size_t(rows[i])];
    }
  }
  void copyRows(int first, int n, Matrix& x, uint8_t* out) const override {
    std::copy_n(image(first), size_t(n) * size_t(pixels()), x.data());
    std::copy_n(labels.data() + first, n, out);
  }
};

// A train/test pair as the four MNIST IDX files give it.
struct DatasetPair {
  std::string name;    // "MNIST (embedded, 10,000 digits)", "Fashion-MNIST", a folder path...
  std::string source;  // where it was read from
  Dataset train;
  Dataset test;
  std::vector<std::string> classNames;  // 10 names: "0".."9", or Fashion-MNIST's
};

}  // namespace dl
