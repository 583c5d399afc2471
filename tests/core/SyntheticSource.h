#pragma once
// A tiny, learnable problem for nn/-only tests: `count` rows of `features` values in [-1, 1]
// (seeded), labelled with the argmax of their first `classes` values (DigitLab models end with 10 classes), kept as a
// Matrix (a BatchSource that is not a Dataset), and a softmax regression model for it.

#include "TestSupport.h"

#include "nn/BatchSource.h"
#include "nn/ModelSpec.h"

#include <algorithm>
#include <vector>

namespace dl::test {

class SyntheticSource : public BatchSource {
 public:
  SyntheticSource(int count, int features, int classes, uint64_t seed)
      : m_x(randomMatrix(count, features, seed)), m_y(size_t(count)) {
    for (int i = 0; i < count; ++i) {
      Eigen::Index best = 0;
      m_x.row(i).head(classes).maxCoeff(&best);
      m_y[size_t(i)] = uint8_t(best);
    }
  }
  int rowCount() const override { return int(m_x.rows()); }
  int featureSize() const override { return int(m_x.cols()); }
  void gatherRows(const int* rows, int n, Matrix& x, uint8_t* labels) const override {
    for (int i = 0; i < n; ++i) {
      x.row(i) = m_x.row(rows[i]);
      labels[i] = m_y[size_t(rows[i])];
    }
  }
  void copyRows(int first, int n, Matrix& x, uint8_t* labels) const override {
    x.topRows(n) = m_x.middleRows(first, n);
    std::copy_n(m_y.data() + first, n, labels);
  }
  const Matrix& x() const { return m_x; }

 private:
  Matrix m_x;
  std::vector<uint8_t> m_y;
};

// Dense(classes, softmax) on `features` inputs, plain SGD at `lr`.
inline ModelSpec softmaxRegression(int features, int classes, double lr) {
  ModelSpec s;
  s.name = "softmax_regression";
  s.inputShape = {features};
  LayerSpec out;
  out.kind = LayerKind::Dense;
  out.units = classes;
  out.activation = "softmax";
  s.layers = {out};
  s.training.optimizer.type = "sgd";
  s.training.optimizer.learningRate = lr;
  s.training.batchSize = 32;
  s.training.epochs = 1;
  return s;
}

}  // namespace dl::test
