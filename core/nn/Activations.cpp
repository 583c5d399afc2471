// Activations and their derivatives (Keras names: linear, relu, tanh, sigmoid, softmax).

#include "nn/Activations.h"

#include <cmath>

namespace dl {

Activation activationFromName(const std::string& name) {
  if (name == "linear") return Activation::Linear;
  if (name == "relu") return Activation::Relu;
  if (name == "tanh") return Activation::Tanh;
  if (name == "sigmoid") return Activation::Sigmoid;
  if (name == "softmax") return Activation::Softmax;
  throw SpecError("unknown activation '" + name + "'");
}

void softmaxRows(const Matrix& z, Matrix& p) {
  p.resize(z.rows(), z.cols());
  for (Eigen::Index r = 0; r < z.rows(); ++r) {
    const float m = z.row(r).maxCoeff();
    p.row(r) = (z.row(r).array() - m).exp();
    p.row(r) /= p.row(r).sum();
  }
}

void applyActivation(Activation a, MatrixMap y) {
  auto v = y.array();
  switch (a) {
    case Activation::Linear:
      return;
    case Activation::Relu:
      v = v.max(0.0f);
      return;
    case Activation::Tanh:
      v = v.tanh();
      return;
    case Activation::Sigmoid:
      v = v.logistic();
      return;
    case Activation::Softmax: {
      for (Eigen::Index r = 0; r < y.rows(); ++r) {
        const float m = y.row(r).maxCoeff();
        y.row(r) = (y.row(r).array() - m).exp();
        y.row(r) /= y.row(r).sum();
      }
      return;
    }
  }
}

void activationBackward(Activation a, ConstMatrixMap y, ConstMatrixMap dy, MatrixMap dz) {
  switch (a) {
    case Activation::Linear:
      if (dz.data() != dy.data()) dz = dy;
      return;
    case Activation::Relu:
      dz.array() = (y.array() > 0.0f).select(dy.array(), 0.0f);
      return;
    case Activation::Tanh:
      dz.array() = dy.array() * (1.0f - y.array().square());
      return;
    case Activation::Sigmoid:
      dz.array() = dy.array() * y.array() * (1.0f - y.array());
      return;
    case Activation::Softmax: {
      // dz_i = y_i * (dy_i - sum_j dy_j y_j), per row.
      for (Eigen::Index r = 0; r < y.rows(); ++r) {
        const float dot = dy.row(r).dot(y.row(r));
        dz.row(r).array() = y.row(r).array() * (dy.row(r).array() - dot);
      }
      return;
    }
  }
}

}  // namespace dl
