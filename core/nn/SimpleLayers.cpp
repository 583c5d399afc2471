// Dropout's random mask (splitmix64: fast, seedable, good enough for masks).

#include "nn/SimpleLayers.h"
#include "nn/SplitMix.h"

namespace dl {

const Matrix& DropoutLayer::forward(const Matrix& x, bool training) {
  m_x = &x;
  m_active = training && m_rate > 0.0f;
  if (!m_active) return x;
  const float scale = 1.0f / (1.0f - m_rate);
  // keep where u >= rate, u uniform in [0, 1) with 24 random bits; two draws per 64-bit number.
  const uint32_t threshold = uint32_t(double(m_rate) * double(1u << 24));
  m_mask.resize(x.rows(), x.cols());
  float* mask = m_mask.data();
  const Eigen::Index n = m_mask.size();
  Eigen::Index i = 0;
  for (; i + 1 < n; i += 2) {
    uint64_t r = splitmix64(m_state);
    mask[i] = (uint32_t(r) >> 8) >= threshold ? scale : 0.0f;
    mask[i + 1] = (uint32_t(r >> 32) >> 8) >= threshold ? scale : 0.0f;
  }
  if (i < n) mask[i] = (uint32_t(splitmix64(m_state)) >> 8) >= threshold ? scale : 0.0f;
  m_y.resize(x.rows(), x.cols());
  m_y.array() = x.array() * m_mask.array();
  return m_y;
}

void DropoutLayer::backward(const Matrix& dy, Matrix* dx) {
  if (!dx) return;
  if (!m_active) {
    *dx = dy;
    return;
  }
  dx->resize(dy.rows(), dy.cols());
  dx->array() = dy.array() * m_mask.array();
}

}  // namespace dl
