// Max pooling over valid cells, with arg-max routing for the backward pass.

#include "nn/MaxPooling2DLayer.h"

#include <algorithm>
#include <limits>

namespace dl {

void MaxPooling2DLayer::build(const Shape& in, Rng&) {
  if (in.size() != 3) throw SpecError(name() + ": MaxPooling2D needs an input (height, width, channels)");
  const int sH = m_spec.strideH ? m_spec.strideH : m_spec.poolH;
  const int sW = m_spec.strideW ? m_spec.strideW : m_spec.poolW;
  m_geo = ConvGeometry::make(in, m_spec.poolH, m_spec.poolW, sH, sW, m_spec.padding == "same");
  if (m_geo.outH <= 0 || m_geo.outW <= 0) throw SpecError(name() + ": pool larger than input");
}

const Matrix& MaxPooling2DLayer::forward(const Matrix& x, bool) {
  const ConvGeometry& g = m_geo;
  const int batch = int(x.rows()), c = g.inC;
  const int inSize = g.inH * g.inW * c, outSize = g.outH * g.outW * c;
  m_y.resize(batch, outSize);
  m_argmax.resize(size_t(batch) * outSize);
#pragma omp parallel for schedule(static)
  for (int b = 0; b < batch; ++b) {
    const float* src = x.data() + Eigen::Index(b) * inSize;
    float* dst = m_y.data() + Eigen::Index(b) * outSize;
    int* arg = m_argmax.data() + size_t(b) * outSize;
    for (int oy = 0; oy < g.outH; ++oy) {
      const int y0 = std::max(0, oy * g.strideH - g.padTop);
      const int y1 = std::min(g.inH, oy * g.strideH - g.padTop + g.kH);
      for (int ox = 0; ox < g.outW; ++ox) {
        const int x0 = std::max(0, ox * g.strideW - g.padLeft);
        const int x1 = std::min(g.inW, ox * g.strideW - g.padLeft + g.kW);
        float* out = dst + (oy * g.outW + ox) * c;
        int* a = arg + (oy * g.outW + ox) * c;
        std::fill(out, out + c, -std::numeric_limits<float>::infinity());
        for (int k = 0; k < c; ++k) a[k] = (y0 * g.inW + x0) * c + k;
        for (int iy = y0; iy < y1; ++iy) {
          for (int ix = x0; ix < x1; ++ix) {
            const int base = (iy * g.inW + ix) * c;
            const float* v = src + base;
            for (int k = 0; k < c; ++k) {
              if (v[k] > out[k]) {
                out[k] = v[k];
                a[k] = base + k;
              }
            }
          }
        }
      }
    }
  }
  return m_y;
}

void MaxPooling2DLayer::backward(const Matrix& dy, Matrix* dx) {
  if (!dx) return;
  const ConvGeometry& g = m_geo;
  const int batch = int(dy.rows()), inSize = g.inH * g.inW * g.inC, outSize = int(dy.cols());
  dx->resize(batch, inSize);
  dx->setZero();
#pragma omp parallel for schedule(static)
  for (int b = 0; b < batch; ++b) {
    float* d = dx->data() + Eigen::Index(b) * inSize;
    const float* g2 = dy.data() + Eigen::Index(b) * outSize;
    const int* a = m_argmax.data() + size_t(b) * outSize;
    for (int i = 0; i < outSize; ++i) d[a[i]] += g2[i];
  }
}

}  // namespace dl
