#pragma once
// The layer interface: what every layer of a Sequential model does.
//
// A layer is built for one per-sample input shape (build), then works on batches:
//  - forward(x, training) computes the output batch from x (rows = samples) into its own buffer
//    and keeps what backward needs. training=false must be deterministic (Dropout = identity).
//  - backward(dy, dx) takes dL/d(output) of the last forward batch, stores dL/d(params) in the
//    gradient slots (overwriting, not accumulating) and, when dx is not null, writes dL/d(input).
//    The caller passes dx = nullptr for the first layer (no input gradient is needed there).
// Buffers are resized only when the batch size changes: no allocation per batch in steady state.

#include "nn/ModelSpec.h"
#include "nn/Tensor.h"

#include <memory>
#include <random>
#include <string>
#include <vector>

namespace dl {

using Rng = std::mt19937_64;

// One weight tensor: value and gradient share a shape; kerasShape is the tensor's shape in
// Keras's layout ((in, units), (kh, kw, cin, cout), (n,)), whose C-order flattening is the
// matrix's row-major storage.
//
// A non-trainable weight (BatchNormalization's moving_mean and moving_variance, Keras's
// trainable=False variables) is part of the model like any other: listed by params(), saved in
// model files and snapshots, counted as "Non-trainable params"; but the layer updates it itself in
// its training forward pass and the optimizers never touch it (its grad is not an update).
struct Param {
  std::string name;  // "kernel", "bias", "gamma", "moving_mean", ...
  Shape kerasShape;
  Matrix value;
  Matrix grad;
  bool trainable = true;
};

class Layer {
 public:
  virtual ~Layer() = default;

  const std::string& name() const { return m_name; }
  void setName(std::string name) { m_name = std::move(name); }
  virtual const char* className() const = 0;

  // Prepare for inputs of the given per-sample shape; create and initialise parameters.
  // Throws SpecError naming the problem if the shape does not fit.
  virtual void build(const Shape& inputShape, Rng& rng) = 0;
  virtual Shape outputShape() const = 0;

  virtual const Matrix& forward(const Matrix& x, bool training) = 0;
  virtual void backward(const Matrix& dy, Matrix* dx) = 0;

  // Every weight, in Keras's layer.weights order (trainable or not).
  virtual std::vector<Param*> params() { return {}; }
  virtual std::vector<const Param*> params() const { return {}; }

 private:
  std::string m_name;
};

// Creates the layer a spec describes (not yet built). rng seeds layers that draw randomness
// during training (Dropout).
std::unique_ptr<Layer> makeLayer(const LayerSpec& spec, uint64_t seed);

}  // namespace dl
