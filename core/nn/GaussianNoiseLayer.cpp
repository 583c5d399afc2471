// GaussianNoise's noise: standard normals by the Box-Muller transform from splitmix64 draws.

#include "nn/GaussianNoiseLayer.h"
#include "nn/SplitMix.h"

#include <cmath>
#include <numbers>

namespace dl {

const Matrix& GaussianNoiseLayer::forward(const Matrix& x, bool training) {
  if (!training || m_stddev == 0.0f) return x;
  m_y.resize(x.rows(), x.cols());
  const float* in = x.data();
  float* out = m_y.data();
  const Eigen::Index n = x.size();
  constexpr double kTwoPi = 2.0 * std::numbers::pi;
  // Two normals per pair of 32-bit uniforms: u1 in (0, 1] (log never sees 0), u2 in [0, 1).
  for (Eigen::Index i = 0; i < n; i += 2) {
    const uint64_t r = splitmix64(m_state);
    const double u1 = (double(uint32_t(r >> 32)) + 1.0) * 0x1.0p-32;
    const double u2 = double(uint32_t(r)) * 0x1.0p-32;
    const double radius = std::sqrt(-2.0 * std::log(u1)) * m_stddev;
    out[i] = in[i] + float(radius * std::cos(kTwoPi * u2));
    if (i + 1 < n) out[i + 1] = in[i + 1] + float(radius * std::sin(kTwoPi * u2));
  }
  return m_y;
}

}  // namespace dl
