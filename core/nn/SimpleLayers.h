#pragma once
// The parameter-free layers: Dropout (inverted), Flatten, Activation.

#include "nn/Activations.h"
#include "nn/Layer.h"

#include <cstdint>

namespace dl {

// Keeps each value with probability 1-rate and scales kept values by 1/(1-rate) in training;
// the identity in inference (keras/src/layers/regularization/dropout.py).
class DropoutLayer : public Layer {
 public:
  DropoutLayer(double rate, uint64_t seed) : m_rate(float(rate)), m_state(seed ^ 0x9E3779B97F4A7C15ull) {}
  const char* className() const override { return "Dropout"; }
  void build(const Shape& inputShape, Rng&) override { m_shape = inputShape; }
  Shape outputShape() const override { return m_shape; }
  const Matrix& forward(const Matrix& x, bool training) override;
  void backward(const Matrix& dy, Matrix* dx) override;

 private:
  float m_rate;
  uint64_t m_state;
  Shape m_shape;
  bool m_active = false;  // last forward was in training mode with rate > 0
  const Matrix* m_x = nullptr;
  Matrix m_mask, m_y;
};

// Flattens (h, w, c) to (h*w*c) in C order; the batch layout is already flat, so this copies
// nothing in forward.
class FlattenLayer : public Layer {
 public:
  const char* className() const override { return "Flatten"; }
  void build(const Shape& inputShape, Rng&) override { m_size = int(shapeSize(inputShape)); }
  Shape outputShape() const override { return {m_size}; }
  const Matrix& forward(const Matrix& x, bool) override { return x; }
  void backward(const Matrix& dy, Matrix* dx) override {
    if (dx) *dx = dy;
  }

 private:
  int m_size = 0;
};

class ActivationLayer : public Layer {
 public:
  explicit ActivationLayer(const std::string& activation) : m_activation(activationFromName(activation)) {}
  const char* className() const override { return "Activation"; }
  void build(const Shape& inputShape, Rng&) override { m_shape = inputShape; }
  Shape outputShape() const override { return m_shape; }
  const Matrix& forward(const Matrix& x, bool) override {
    m_y = x;
    applyActivation(m_activation, m_y);
    return m_y;
  }
  void backward(const Matrix& dy, Matrix* dx) override {
    if (dx) activationBackward(m_activation, m_y, dy, *dx);
  }

 private:
  Activation m_activation;
  Shape m_shape;
  Matrix m_y;
};

}  // namespace dl
