#pragma once
// Conv2D, NHWC (channels_last) like Keras, cross-correlation without kernel flip, 'valid' or
// 'same' padding (TensorFlow's rule: the odd extra row/column of padding goes bottom/right).
//
// Implemented as im2col + GEMM on chunks of a few samples, so the column buffer stays in cache;
// the batch is split across threads and each thread runs serial GEMMs on its chunks:
//
//   input  x : B rows of (H*W*C)              kernel K : (KH*KW*C) x F   (Keras (kh,kw,cin,cout))
//   cols     : (n*OH*OW) x (KH*KW*C)           per chunk of n samples: one row per output pixel,
//                                              holding its receptive field in (i, j, c) order
//   output y : (n*OH*OW) x F  ==  n rows of (OH*OW*F)   (the same memory, NHWC)
//
//   forward   y  = f(cols K + b)
//   backward  dK = sum over chunks cols^T dz,  db = colsum(dz),  dcols = dz K^T,  dx = col2im(dcols)
// The backward pass rebuilds each chunk's cols instead of keeping the whole batch's.

#include "nn/Activations.h"
#include "nn/Layer.h"

#include <vector>

namespace dl {

struct ConvGeometry {
  int inH = 0, inW = 0, inC = 0;
  int kH = 0, kW = 0, strideH = 1, strideW = 1;
  int padTop = 0, padLeft = 0;
  int outH = 0, outW = 0;
  int patch() const { return kH * kW * inC; }
  int outPixels() const { return outH * outW; }
  int inSize() const { return inH * inW * inC; }
  // Output size and padding as Keras/TensorFlow compute them.
  static ConvGeometry make(const Shape& in, int kH, int kW, int sH, int sW, bool same);
};

// cols (rows (b1-b0)*outPixels, patch columns) from samples [b0, b1) of x.
void im2col(const ConvGeometry& g, const float* x, int b0, int b1, float* cols);
// Adds cols back into samples [b0, b1) of dx (which the caller zeroed).
void col2im(const ConvGeometry& g, const float* cols, int b0, int b1, float* dx);

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
  struct ThreadBuffers {
    Matrix cols, dcols, dz, dK, db;
  };
  void ensureBuffers(int threads);

  LayerSpec m_spec;
  Activation m_activation;
  ConvGeometry m_geo;
  int m_chunk = 1;  // samples per im2col chunk
  Param m_kernel, m_bias;
  const Matrix* m_x = nullptr;
  Matrix m_y;
  std::vector<ThreadBuffers> m_buffers;
};

}  // namespace dl
