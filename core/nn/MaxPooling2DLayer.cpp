// Max pooling over valid cells. Forward keeps only the maxima; backward finds, for each output,
// the first window cell (in row-major order) holding that maximum and routes the gradient there
// (the same choice a stored arg-max with a strict '>' scan makes).

#include "nn/MaxPooling2DLayer.h"

#include "nn/Parallel.h"

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

namespace {
// The window of output (oy, ox), clipped to the input: rows [y0, y1), columns [x0, x1).
struct Window {
  int y0, y1, x0, x1;
};
inline Window windowOf(const ConvGeometry& g, int oy, int ox) {
  const int top = oy * g.strideH - g.padTop, left = ox * g.strideW - g.padLeft;
  return {std::max(0, top), std::min(g.inH, top + g.kH), std::max(0, left), std::min(g.inW, left + g.kW)};
}
}  // namespace

const Matrix& MaxPooling2DLayer::forward(const Matrix& x, bool) {
  m_x = &x;
  const ConvGeometry& g = m_geo;
  const int batch = int(x.rows()), c = g.inC, inSize = g.inSize(), outSize = g.outH * g.outW * c;
  m_y.resize(batch, outSize);
  parallelRanges(batch, double(batch) * inSize * 4, [&](int, int b0, int b1) {
    for (int b = b0; b < b1; ++b) {
      const float* src = x.data() + Eigen::Index(b) * inSize;
      float* dst = m_y.data() + Eigen::Index(b) * outSize;
      for (int oy = 0; oy < g.outH; ++oy) {
        for (int ox = 0; ox < g.outW; ++ox) {
          const Window w = windowOf(g, oy, ox);
          Eigen::Map<Eigen::ArrayXf> out(dst + (oy * g.outW + ox) * c, c);
          out.setConstant(-std::numeric_limits<float>::infinity());
          for (int iy = w.y0; iy < w.y1; ++iy)
            for (int ix = w.x0; ix < w.x1; ++ix)
              out = out.max(Eigen::Map<const Eigen::ArrayXf>(src + (iy * g.inW + ix) * c, c));
        }
      }
    }
  });
  return m_y;
}

void MaxPooling2DLayer::ensureScratch(int threads) {
  if (int(m_scratch.size()) >= threads) return;
  m_scratch.resize(size_t(threads));
  for (Scratch& s : m_scratch) {
    s.pending.resize(m_geo.inC);
    s.hit.resize(m_geo.inC);
  }
}

void MaxPooling2DLayer::backward(const Matrix& dy, Matrix* dx) {
  if (!dx) return;
  const ConvGeometry& g = m_geo;
  const int batch = int(dy.rows()), c = g.inC, inSize = g.inSize(), outSize = int(dy.cols());
  dx->resize(batch, inSize);
  dx->setZero();
  ensureScratch(maxThreads());
  parallelRanges(batch, double(batch) * inSize * 4, [&](int t, int b0, int b1) {
    using Arr = Eigen::Map<Eigen::ArrayXf>;
    using ConstArr = Eigen::Map<const Eigen::ArrayXf>;
    // pending: 1 while the output's gradient is not routed yet.
    Eigen::ArrayXf& pending = m_scratch[size_t(t)].pending;
    Eigen::ArrayXf& hit = m_scratch[size_t(t)].hit;
    for (int b = b0; b < b1; ++b) {
      const float* src = m_x->data() + Eigen::Index(b) * inSize;
      const float* y = m_y.data() + Eigen::Index(b) * outSize;
      const float* g2 = dy.data() + Eigen::Index(b) * outSize;
      float* d = dx->data() + Eigen::Index(b) * inSize;
      for (int oy = 0; oy < g.outH; ++oy) {
        for (int ox = 0; ox < g.outW; ++ox) {
          const Window w = windowOf(g, oy, ox);
          const int o = (oy * g.outW + ox) * c;
          ConstArr yo(y + o, c), go(g2 + o, c);
          pending.setOnes();
          // Branch-free over channels: random data would mispredict a per-element branch.
          for (int iy = w.y0; iy < w.y1; ++iy) {
            for (int ix = w.x0; ix < w.x1; ++ix) {
              const int i = (iy * g.inW + ix) * c;
              hit = (ConstArr(src + i, c) == yo).cast<float>() * pending;
              Arr(d + i, c) += hit * go;
              pending -= hit;
            }
          }
        }
      }
    }
  });
}

}  // namespace dl
