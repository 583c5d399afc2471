#pragma once
// Conv2D, NHWC (channels_last) like Keras, cross-correlation without kernel flip, 'valid' or
// 'same' padding (TensorFlow's rule: the odd extra row/column of padding goes bottom/right).
//
// Implemented as im2col + one GEMM for the whole batch:
//
//   input  x : B rows of (H*W*C)              kernel K : (KH*KW*C) x F   (Keras (kh,kw,cin,cout))
//   cols     : (B*OH*OW) x (KH*KW*C)           one row per output pixel, its receptive field
//   output y : (B*OH*OW) x F  ==  B rows of (OH*OW*F)   (the same memory, NHWC)
//
//   forward   y  = f(cols K + b)
//   backward  dK = cols^T dz,  db = colsum(dz),  dcols = dz K^T,  dx = col2im(dcols)

#include "nn/Activations.h"
#include "nn/Layer.h"

namespace dl {

struct ConvGeometry {
  int inH = 0, inW = 0, inC = 0;
  int kH = 0, kW = 0, strideH = 1, strideW = 1;
  int padTop = 0, padLeft = 0;
  int outH = 0, outW = 0;
  int patch() const { return kH * kW * inC; }
  int outPixels() const { return outH * outW; }
  // Output size and padding as Keras/TensorFlow compute them.
  static ConvGeometry make(const Shape& in, int kH, int kW, int sH, int sW, bool same);
};

class Conv2DLayer : public Layer {
 public:
  explicit Conv2DLayer(const LayerSpec& spec) : m_spec(spec), m_activation(activationFromName(spec.activation)) {}
  const char* className() const override { return "Conv2D"; }
  void build(const Shape& inputShape, Rng& rng) override;
  Shape outputShape() const override { return {m_geo.outH, m_geo.outW, m_spec.filters}; }
  const Matrix& forward(const Matrix& x, bool training) override;
  void backward(const Matrix& dy, Matrix* dx) override;
  std::vector<Param*> params() override;
  std::vector<const Param*> params() const override;

 private:
  void im2col(const Matrix& x);
  void col2im(Matrix& dx) const;

  LayerSpec m_spec;
  Activation m_activation;
  ConvGeometry m_geo;
  Param m_kernel, m_bias;
  Matrix m_cols, m_dcols, m_y, m_dz;
};

}  // namespace dl
