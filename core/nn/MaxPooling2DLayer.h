#pragma once
// MaxPooling2D, NHWC. 'same' padding never selects a padded cell: the max is over the window's
// valid cells only (as TensorFlow and JAX do). Strides default to the pool size.
// Backward routes dy to the first window cell holding the maximum.

#include "nn/Conv2DLayer.h"
#include "nn/Layer.h"

#include <vector>

namespace dl {

class MaxPooling2DLayer : public Layer {
 public:
  explicit MaxPooling2DLayer(const LayerSpec& spec) : m_spec(spec) {}
  const char* className() const override { return "MaxPooling2D"; }
  void build(const Shape& inputShape, Rng& rng) override;
  Shape outputShape() const override { return {m_geo.outH, m_geo.outW, m_geo.inC}; }
  const Matrix& forward(const Matrix& x, bool training) override;
  void backward(const Matrix& dy, Matrix* dx) override;

 private:
  // Backward's per-thread masks over one output pixel's channels, allocated once (not per batch).
  struct Scratch {
    Eigen::ArrayXf pending, hit;
  };
  void ensureScratch(int threads);

  LayerSpec m_spec;
  ConvGeometry m_geo;  // kH/kW are the pool size
  const Matrix* m_x = nullptr;
  Matrix m_y;
  std::vector<Scratch> m_scratch;
};

}  // namespace dl
