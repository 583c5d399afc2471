#pragma once
// Basic numeric types of the network core.
//
// A batch of activations is a row-major Matrix: one row per sample, the sample's values
// flattened in C order of its per-sample Shape. Images are NHWC like Keras (channels_last), so a
// (28, 28, 1) image and a (784) vector hold the same 784 floats in the same order, and Flatten
// is free. Parameters are kept in Keras's layouts: Dense kernel (in, units), Conv2D kernel
// (kh, kw, cin, cout) stored as a (kh*kw*cin) x cout matrix, biases as 1 x n.

#include <Eigen/Core>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace dl {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<Matrix>;
using ConstMatrixMap = Eigen::Map<const Matrix>;

// Per-sample shape, without the batch dimension: {784}, {28, 28, 1}, {14, 14, 32}.
using Shape = std::vector<int>;

inline int64_t shapeSize(const Shape& s) {
  int64_t n = 1;
  for (int d : s) n *= d;
  return n;
}

// "(None, 28, 28, 32)", as Keras prints output shapes.
std::string shapeToString(const Shape& s);

// An invalid model specification (impossible stack, unknown name, bad argument).
// The message names the layer and the problem.
class SpecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace dl
