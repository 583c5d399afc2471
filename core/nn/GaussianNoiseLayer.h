#pragma once
// GaussianNoise(stddev): adds N(0, stddev^2) noise to every value in training, the identity in
// inference (keras/src/layers/regularization/gaussian_noise.py). Its gradient is the identity in
// both modes. The noise follows the seed the factory gets (the run's seed); Keras's `seed`
// argument is accepted and ignored, as Dropout's.

#include "nn/Layer.h"

#include <cstdint>

namespace dl {

class GaussianNoiseLayer : public Layer {
 public:
  GaussianNoiseLayer(double stddev, uint64_t seed) : m_stddev(float(stddev)), m_state(seed ^ 0xE7037ED1A0B428DBull) {}
  const char* className() const override { return "GaussianNoise"; }
  void build(const Shape& inputShape, Rng&) override { m_shape = inputShape; }
  Shape outputShape() const override { return m_shape; }
  const Matrix& forward(const Matrix& x, bool training) override;
  void backward(const Matrix& dy, Matrix* dx) override {
    if (dx) *dx = dy;
  }

 private:
  float m_stddev;
  uint64_t m_state;
  Shape m_shape;
  Matrix m_y;
};

}  // namespace dl
