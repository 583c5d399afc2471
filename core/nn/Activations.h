#pragma once
// Element-wise activations applied in place on a batch (or a block of its rows), and their
// backward passes written in terms of the activation's OUTPUT y (so no pre-activation copy is
// kept). softmax acts on each row.

#include "nn/Tensor.h"

#include <string>

namespace dl {

enum class Activation { Linear, Relu, Tanh, Sigmoid, Softmax };

Activation activationFromName(const std::string& name);  // throws SpecError

// y = f(y), in place, on `rows` rows of `cols` values.
void applyActivation(Activation a, MatrixMap y);
inline void applyActivation(Activation a, Matrix& y) { applyActivation(a, MatrixMap(y.data(), y.rows(), y.cols())); }

// dz = dy * f'(.) given y = f(z); all of the same shape. dz may alias dy.
void activationBackward(Activation a, ConstMatrixMap y, ConstMatrixMap dy, MatrixMap dz);
inline void activationBackward(Activation a, const Matrix& y, const Matrix& dy, Matrix& dz) {
  dz.resize(dy.rows(), dy.cols());
  activationBackward(a, ConstMatrixMap(y.data(), y.rows(), y.cols()), ConstMatrixMap(dy.data(), dy.rows(), dy.cols()),
                     MatrixMap(dz.data(), dz.rows(), dz.cols()));
}

// Row-wise numerically stable softmax of z into p.
void softmaxRows(const Matrix& z, Matrix& p);

// The rows [begin, end) of a row-major matrix, as a map.
inline MatrixMap rowBlock(Matrix& m, Eigen::Index begin, Eigen::Index end) {
  return MatrixMap(m.data() + begin * m.cols(), end - begin, m.cols());
}
inline ConstMatrixMap rowBlock(const Matrix& m, Eigen::Index begin, Eigen::Index end) {
  return ConstMatrixMap(m.data() + begin * m.cols(), end - begin, m.cols());
}

}  // namespace dl
