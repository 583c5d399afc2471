// Conv2D by im2col + GEMM (see the header for the layout).

#include "nn/Conv2DLayer.h"

#include "nn/Initializers.h"

#include <algorithm>
#include <cstring>

namespace dl {

ConvGeometry ConvGeometry::make(const Shape& in, int kH, int kW, int sH, int sW, bool same) {
  ConvGeometry g;
  g.inH = in[0];
  g.inW = in[1];
  g.inC = in[2];
  g.kH = kH;
  g.kW = kW;
  g.strideH = sH;
  g.strideW = sW;
  if (same) {
    g.outH = (g.inH + sH - 1) / sH;
    g.outW = (g.inW + sW - 1) / sW;
    g.padTop = std::max(0, (g.outH - 1) * sH + kH - g.inH) / 2;
    g.padLeft = std::max(0, (g.outW - 1) * sW + kW - g.inW) / 2;
  } else {
    g.outH = (g.inH - kH) / sH + 1;
    g.outW = (g.inW - kW) / sW + 1;
  }
  return g;
}

void Conv2DLayer::build(const Shape& in, Rng& rng) {
  if (in.size() != 3) throw SpecError(name() + ": Conv2D needs an input (height, width, channels)");
  m_geo = ConvGeometry::make(in, m_spec.kernelH, m_spec.kernelW, m_spec.strideH, m_spec.strideW,
                             m_spec.padding == "same");
  if (m_geo.outH <= 0 || m_geo.outW <= 0) throw SpecError(name() + ": kernel larger than input");
  const int f = m_spec.filters, patch = m_geo.patch();
  m_kernel = {"kernel", {m_spec.kernelH, m_spec.kernelW, in[2], f}, Matrix(patch, f), Matrix::Zero(patch, f)};
  initialize(m_kernel.value, m_spec.kernelInitializer, patch, m_spec.kernelH * m_spec.kernelW * f, rng);
  if (m_spec.useBias) {
    m_bias = {"bias", {f}, Matrix(1, f), Matrix::Zero(1, f)};
    initialize(m_bias.value, m_spec.biasInitializer, f, f, rng);
  }
}

void Conv2DLayer::im2col(const Matrix& x) {
  const ConvGeometry& g = m_geo;
  const int batch = int(x.rows()), patch = g.patch(), inSize = g.inH * g.inW * g.inC;
  m_cols.resize(Eigen::Index(batch) * g.outPixels(), patch);
#pragma omp parallel for schedule(static)
  for (int b = 0; b < batch; ++b) {
    const float* src = x.data() + Eigen::Index(b) * inSize;
    float* dst = m_cols.data() + Eigen::Index(b) * g.outPixels() * patch;
    for (int oy = 0; oy < g.outH; ++oy) {
      for (int ox = 0; ox < g.outW; ++ox) {
        for (int i = 0; i < g.kH; ++i) {
          const int iy = oy * g.strideH + i - g.padTop;
          float* row = dst + i * g.kW * g.inC;
          if (iy < 0 || iy >= g.inH) {
            std::memset(row, 0, sizeof(float) * g.kW * g.inC);
            continue;
          }
          const int ix0 = ox * g.strideW - g.padLeft;
          const int jLo = std::max(0, -ix0), jHi = std::min(g.kW, g.inW - ix0);
          if (jLo > 0) std::memset(row, 0, sizeof(float) * jLo * g.inC);
          if (jHi > jLo)
            std::memcpy(row + jLo * g.inC, src + (Eigen::Index(iy) * g.inW + ix0 + jLo) * g.inC,
                        sizeof(float) * (jHi - jLo) * g.inC);
          if (jHi < g.kW) std::memset(row + std::max(jHi, 0) * g.inC, 0, sizeof(float) * (g.kW - std::max(jHi, 0)) * g.inC);
        }
        dst += patch;
      }
    }
  }
}

void Conv2DLayer::col2im(Matrix& dx) const {
  const ConvGeometry& g = m_geo;
  const int batch = int(dx.rows()), patch = g.patch(), inSize = g.inH * g.inW * g.inC;
  dx.setZero();
#pragma omp parallel for schedule(static)
  for (int b = 0; b < batch; ++b) {
    float* dst = dx.data() + Eigen::Index(b) * inSize;
    const float* src = m_dcols.data() + Eigen::Index(b) * g.outPixels() * patch;
    for (int oy = 0; oy < g.outH; ++oy) {
      for (int ox = 0; ox < g.outW; ++ox) {
        for (int i = 0; i < g.kH; ++i) {
          const int iy = oy * g.strideH + i - g.padTop;
          if (iy < 0 || iy >= g.inH) continue;
          const int ix0 = ox * g.strideW - g.padLeft;
          const int jLo = std::max(0, -ix0), jHi = std::min(g.kW, g.inW - ix0);
          const float* row = src + (i * g.kW + jLo) * g.inC;
          float* out = dst + (Eigen::Index(iy) * g.inW + ix0 + jLo) * g.inC;
          const int n = (jHi - jLo) * g.inC;
          for (int k = 0; k < n; ++k) out[k] += row[k];
        }
        src += patch;
      }
    }
  }
}

const Matrix& Conv2DLayer::forward(const Matrix& x, bool) {
  const int batch = int(x.rows()), f = m_spec.filters;
  im2col(x);
  m_y.resize(batch, Eigen::Index(m_geo.outPixels()) * f);
  MatrixMap y(m_y.data(), Eigen::Index(batch) * m_geo.outPixels(), f);
  y.noalias() = m_cols * m_kernel.value;
  if (m_spec.useBias) y.rowwise() += m_bias.value.row(0);
  applyActivation(m_activation, m_y);
  return m_y;
}

void Conv2DLayer::backward(const Matrix& dy, Matrix* dx) {
  const int batch = int(dy.rows()), f = m_spec.filters;
  const Eigen::Index rows = Eigen::Index(batch) * m_geo.outPixels();
  const Matrix* dzp = &dy;
  if (m_activation != Activation::Linear) {
    activationBackward(m_activation, m_y, dy, m_dz);
    dzp = &m_dz;
  }
  ConstMatrixMap dz(dzp->data(), rows, f);
  m_kernel.grad.noalias() = m_cols.transpose() * dz;
  if (m_spec.useBias) m_bias.grad = dz.colwise().sum();
  if (dx) {
    m_dcols.resize(rows, m_geo.patch());
    m_dcols.noalias() = dz * m_kernel.value.transpose();
    dx->resize(batch, Eigen::Index(m_geo.inH) * m_geo.inW * m_geo.inC);
    col2im(*dx);
  }
}

std::vector<Param*> Conv2DLayer::params() {
  if (m_spec.useBias) return {&m_kernel, &m_bias};
  return {&m_kernel};
}

std::vector<const Param*> Conv2DLayer::params() const {
  if (m_spec.useBias) return {&m_kernel, &m_bias};
  return {&m_kernel};
}

}  // namespace dl
