#pragma once
// Where fit and evaluate take their rows from: a numbered set of samples, each a row of
// featureSize() floats and a class label. nn/ trains on anything that implements it; data/'s
// Dataset is one (so nn/ needs nothing of data/).
//
//   requires  0 <= every row < rowCount(); x has at least n rows and featureSize() columns;
//             labels points to room for n values
//   ensures   x's first n rows and labels[0..n) hold the asked rows, in the asked order; nothing
//             else of x is written, and nothing is allocated

#include "nn/Tensor.h"

#include <cstdint>

namespace dl {

class BatchSource {
 public:
  virtual ~BatchSource() = default;

  virtual int rowCount() const = 0;
  virtual int featureSize() const = 0;
  // Rows rows[0], ..., rows[n-1] (a shuffled batch).
  virtual void gatherRows(const int* rows, int n, Matrix& x, uint8_t* labels) const = 0;
  // Rows first, ..., first + n - 1 (an evaluation batch).
  virtual void copyRows(int first, int n, Matrix& x, uint8_t* labels) const = 0;

 protected:
  BatchSource() = default;
  BatchSource(const BatchSource&) = default;
  BatchSource& operator=(const BatchSource&) = default;
};

}  // namespace dl
