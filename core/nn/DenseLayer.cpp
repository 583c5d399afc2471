// Dense layer: one GEMM per batch forward, two backward (dW = x^T dz, dx = dz W^T).

#include "nn/DenseLayer.h"

#include "nn/Initializers.h"
#include "nn/Parallel.h"

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

// Threads split the units (forward) and the input features (backward), so each reads only its
// share of the kernel: for the CNN's 3136x1024 kernel (12.8 MB) the passes are memory-bound.
const Matrix& DenseLayer::forward(const Matrix& x, bool) {
  m_x = &x;
  const int batch = int(x.rows()), in = int(m_kernel.value.rows()), units = m_spec.units;
  m_y.resize(batch, units);
  parallelRanges(units, double(batch) * in * units, [&](int, int u0, int u1) {
    auto y = m_y.middleCols(u0, u1 - u0);
    y.noalias() = x * m_kernel.value.middleCols(u0, u1 - u0);
    if (m_spec.useBias) y.rowwise() += m_bias.value.row(0).segment(u0, u1 - u0);
  });
  applyActivation(m_activation, m_y);
  return m_y;
}

void DenseLayer::backward(const Matrix& dy, Matrix* dx) {
  const int batch = int(dy.rows()), in = int(m_kernel.value.rows()), units = m_spec.units;
  const Matrix* dz = &dy;
  if (m_activation != Activation::Linear) {
    m_dz.resize(batch, units);
    activationBackward(m_activation, m_y, dy, m_dz);
    dz = &m_dz;
  }
  if (dx) dx->resize(batch, in);
  // Per thread, input features [r0, r1): dW[r0:r1] = x[:, r0:r1]^T dz and dx[:, r0:r1] = dz W[r0:r1]^T.
  parallelRanges(in, double(batch) * in * units * (dx ? 2 : 1), [&](int, int r0, int r1) {
    rowBlock(m_kernel.grad, r0, r1).noalias() = m_x->middleCols(r0, r1 - r0).transpose() * *dz;
    if (dx) dx->middleCols(r0, r1 - r0).noalias() = *dz * rowBlock(m_kernel.value, r0, r1).transpose();
  });
  if (m_spec.useBias) m_bias.grad = dz->colwise().sum();
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
