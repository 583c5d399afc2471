#pragma once
// Dense: y = f(x W + b) with W of shape (in, units) as in Keras (keras/src/layers/core/dense.py).

#include "nn/Activations.h"
#include "nn/Layer.h"

namespace dl {

class DenseLayer : public Layer {
 public:
  explicit DenseLayer(const LayerSpec& spec) : m_spec(spec), m_activation(activationFromName(spec.activation)) {}
  const char* className() const override { return "Dense"; }
  void build(const Shape& inputShape, Rng& rng) override;
  Shape outputShape() const override { return {m_spec.units}; }
  const Matrix& forward(const Matrix& x, bool training) override;
  void backward(const Matrix& dy, Matrix* dx) override;
  std::vector<Param*> params() override;
  std::vector<const Param*> params() const override;

 private:
  LayerSpec m_spec;
  Activation m_activation;
  Param m_kernel, m_bias;
  const Matrix* m_x = nullptr;
  Matrix m_y, m_dz;
};

}  // namespace dl
