// Conv2D by chunked im2col + GEMM (see the header for the layout).

#include "nn/Conv2DLayer.h"

#include "nn/Initializers.h"
#include "nn/Parallel.h"

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

void im2col(const ConvGeometry& g, const float* x, int b0, int b1, float* dst) {
  const int patch = g.patch(), rowLen = g.kW * g.inC;
  for (int b = b0; b < b1; ++b) {
    const float* src = x + int64_t(b) * g.inSize();
    for (int oy = 0; oy < g.outH; ++oy) {
      for (int ox = 0; ox < g.outW; ++ox) {
        const int ix0 = ox * g.strideW - g.padLeft;
        const int jLo = std::max(0, -ix0), jHi = std::min(g.kW, g.inW - ix0);
        for (int i = 0; i < g.kH; ++i) {
          const int iy = oy * g.strideH + i - g.padTop;
          float* row = dst + i * rowLen;
          if (iy < 0 || iy >= g.inH || jHi <= jLo) {
            std::memset(row, 0, sizeof(float) * rowLen);
            continue;
          }
          if (jLo > 0) std::memset(row, 0, sizeof(float) * jLo * g.inC);
          std::memcpy(row + jLo * g.inC, src + (int64_t(iy) * g.inW + ix0 + jLo) * g.inC,
                      sizeof(float) * (jHi - jLo) * g.inC);
          if (jHi < g.kW) std::memset(row + jHi * g.inC, 0, sizeof(float) * (g.kW - jHi) * g.inC);
        }
        dst += patch;
      }
    }
  }
}

void col2im(const ConvGeometry& g, const float* src, int b0, int b1, float* dx) {
  const int patch = g.patch();
  for (int b = b0; b < b1; ++b) {
    float* dst = dx + int64_t(b) * g.inSize();
    for (int oy = 0; oy < g.outH; ++oy) {
      for (int ox = 0; ox < g.outW; ++ox) {
        const int ix0 = ox * g.strideW - g.padLeft;
        const int jLo = std::max(0, -ix0), jHi = std::min(g.kW, g.inW - ix0);
        for (int i = 0; i < g.kH && jHi > jLo; ++i) {
          const int iy = oy * g.strideH + i - g.padTop;
          if (iy < 0 || iy >= g.inH) continue;
          const float* row = src + (i * g.kW + jLo) * g.inC;
          float* out = dst + (int64_t(iy) * g.inW + ix0 + jLo) * g.inC;
          const int n = (jHi - jLo) * g.inC;
          for (int k = 0; k < n; ++k) out[k] += row[k];
        }
        src += patch;
      }
    }
  }
}

void Conv2DLayer::build(const Shape& in, Rng& rng) {
  if (in.size() != 3) throw SpecError(name() + ": Conv2D needs an input (height, width, channels)");
  m_geo =
      ConvGeometry::make(in, m_spec.kernelH, m_spec.kernelW, m_spec.strideH, m_spec.strideW, m_spec.padding == "same");
  if (m_geo.outH <= 0 || m_geo.outW <= 0) throw SpecError(name() + ": kernel larger than input");
  // About a thousand output pixels per chunk: big enough for an efficient GEMM, small enough
  // for its column buffer (~3 MB for the tutorial's second convolution) to stay in cache.
  m_chunk = std::max(1, 1024 / m_geo.outPixels());
  const int f = m_spec.filters, patch = m_geo.patch();
  m_kernel = {"kernel", {m_spec.kernelH, m_spec.kernelW, in[2], f}, Matrix(patch, f), Matrix::Zero(patch, f)};
  initialize(m_kernel.value, m_spec.kernelInitializer, patch, m_spec.kernelH * m_spec.kernelW * f, rng);
  if (m_spec.useBias) {
    m_bias = {"bias", {f}, Matrix(1, f), Matrix::Zero(1, f)};
    initialize(m_bias.value, m_spec.biasInitializer, f, f, rng);
  }
}

void Conv2DLayer::ensureBuffers(int threads) {
  if (int(m_buffers.size()) >= threads) return;
  m_buffers.resize(size_t(threads));
  const Eigen::Index rows = Eigen::Index(m_chunk) * m_geo.outPixels();
  for (ThreadBuffers& t : m_buffers) {
    t.cols.resize(rows, m_geo.patch());
    t.dcols.resize(rows, m_geo.patch());
    t.dz.resize(rows, m_spec.filters);
    t.dK.resize(m_geo.patch(), m_spec.filters);
    t.db.resize(1, m_spec.filters);
  }
}

const Matrix& Conv2DLayer::forward(const Matrix& x, bool) {
  m_x = &x;
  const int batch = int(x.rows()), f = m_spec.filters, pixels = m_geo.outPixels();
  m_y.resize(batch, Eigen::Index(pixels) * f);
  ensureBuffers(maxThreads());
  const double work = double(batch) * pixels * m_geo.patch() * f;
  parallelRanges(batch, work, [&](int t, int b0, int b1) {
    Matrix& cols = m_buffers[size_t(t)].cols;
    for (int c = b0; c < b1; c += m_chunk) {
      const int n = std::min(m_chunk, b1 - c);
      const Eigen::Index rows = Eigen::Index(n) * pixels;
      im2col(m_geo, x.data(), c, c + n, cols.data());
      MatrixMap y(m_y.data() + Eigen::Index(c) * pixels * f, rows, f);
      y.noalias() = cols.topRows(rows) * m_kernel.value;
      if (m_spec.useBias) y.rowwise() += m_bias.value.row(0);
      applyActivation(m_activation, y);
    }
  });
  return m_y;
}

void Conv2DLayer::backward(const Matrix& dy, Matrix* dx) {
  const int batch = int(dy.rows()), f = m_spec.filters, pixels = m_geo.outPixels();
  ensureBuffers(maxThreads());
  for (ThreadBuffers& t : m_buffers) {
    t.dK.setZero();
    t.db.setZero();
  }
  if (dx) {
    dx->resize(batch, m_geo.inSize());
    dx->setZero();
  }
  const double work = double(batch) * pixels * m_geo.patch() * f * (dx ? 2 : 1);
  parallelRanges(batch, work, [&](int t, int b0, int b1) {
    ThreadBuffers& buf = m_buffers[size_t(t)];
    for (int c = b0; c < b1; c += m_chunk) {
      const int n = std::min(m_chunk, b1 - c);
      const Eigen::Index rows = Eigen::Index(n) * pixels, offset = Eigen::Index(c) * pixels * f;
      const float* dzData = dy.data() + offset;
      if (m_activation != Activation::Linear) {
        activationBackward(m_activation, ConstMatrixMap(m_y.data() + offset, rows, f), ConstMatrixMap(dzData, rows, f),
                           MatrixMap(buf.dz.data(), rows, f));
        dzData = buf.dz.data();
      }
      ConstMatrixMap dz(dzData, rows, f);
      im2col(m_geo, m_x->data(), c, c + n, buf.cols.data());
      buf.dK.noalias() += buf.cols.topRows(rows).transpose() * dz;
      if (m_spec.useBias) buf.db += dz.colwise().sum();
      if (dx) {
        buf.dcols.topRows(rows).noalias() = dz * m_kernel.value.transpose();
        col2im(m_geo, buf.dcols.data(), c, c + n, dx->data());
      }
    }
  });
  m_kernel.grad.setZero();
  if (m_spec.useBias) m_bias.grad.setZero();
  for (const ThreadBuffers& t : m_buffers) {
    m_kernel.grad += t.dK;
    if (m_spec.useBias) m_bias.grad += t.db;
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
