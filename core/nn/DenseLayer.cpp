// Dense layer: one GEMM per batch forward, two backward (dW = x^T dz, dx = dz W^T).

#include "nn/DenseLayer.h"

#include "nn/Initializers.h"

namespace dl {

void DenseLayer::build(const Shape& inputShape, Rng& rng) {
  if (inputShape.size() != 1) throw SpecError(name() + ": Dense needs a flat input; add a Flatten layer");
  const int in = inputShape[0], units = m_spec.units;
  m_kernel = {"kernel", {in, units}, Matrix(in, units), Matrix::Zero(in, units)};
  initialize(m_kernel.value, m_spec.kernelInitializer, in, units, rng);
  if (m_spec.useBias) {
    m_bias = {"bias", {units}, Matrix(1, units), Matrix::Zero(1, units)};
    initialize(m_bias.value, m_spec.biasInitializer, units, units, rng);
  }
}

const Matrix& DenseLayer::forward(const Matrix& x, bool) {
  m_x = &x;
  m_y.resize(x.rows(), m_spec.units);
  m_y.noalias() = x * m_kernel.value;
  if (m_spec.useBias) m_y.rowwise() += m_bias.value.row(0);
  applyActivation(m_activation, m_y);
  return m_y;
}

void DenseLayer::backward(const Matrix& dy, Matrix* dx) {
  const Matrix* dz = &dy;
  if (m_activation != Activation::Linear) {
    activationBackward(m_activation, m_y, dy, m_dz);
    dz = &m_dz;
  }
  m_kernel.grad.noalias() = m_x->transpose() * *dz;
  if (m_spec.useBias) m_bias.grad = dz->colwise().sum();
  if (dx) {
    dx->resize(dz->rows(), m_kernel.value.rows());
    dx->noalias() = *dz * m_kernel.value.transpose();
  }
}

std::vector<Param*> DenseLayer::params() {
  if (m_spec.useBias) return {&m_kernel, &m_bias};
  return {&m_kernel};
}

std::vector<const Param*> DenseLayer::params() const {
  if (m_spec.useBias) return {&m_kernel, &m_bias};
  return {&m_kernel};
}

}  // namespace dl
