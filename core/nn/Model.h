#pragma once
// A Sequential model built from a ModelSpec: owns its layers, runs batches forward and backward,
// computes the loss (softmax + categorical cross-entropy fused, numerically stable: the loss is
// computed from the logits, as Keras on TensorFlow does) and exposes its parameters.

#include "nn/Layer.h"
#include "nn/ModelSpec.h"

#include <memory>
#include <vector>

namespace dl {

// A named view of one parameter, for optimizers, snapshots and model files.
struct ParamRef {
  std::string layer;  // "dense_1"
  Param* param;
};

struct BatchResult {
  double loss = 0;  // mean over the batch
  int correct = 0;  // argmax(prediction) == label
};

class Model {
 public:
  // Builds every layer (throws SpecError with the analysis message if the spec is invalid).
  // seed fixes weight initialisation and dropout masks.
  explicit Model(const ModelSpec& spec, uint64_t seed = 1);
  ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  const ModelSpec& spec() const { return m_spec; }
  int inputSize() const { return m_inputSize; }
  int numClasses() const { return m_numClasses; }
  int64_t parameterCount() const;
  const std::vector<std::unique_ptr<Layer>>& layers() const { return m_layers; }

  // Class probabilities (rows sum to 1) of a batch x (rows = samples, inputSize columns).
  // Inference mode; the returned matrix lives until the next call.
  const Matrix& predictBatch(const Matrix& x);
  // Probabilities of n samples stored one after another (n * inputSize floats).
  Matrix predict(const float* x, int n, int batchSize = 256);

  // Forward in training mode, loss against integer labels, backward: fills every Param::grad.
  BatchResult trainBatch(const Matrix& x, const uint8_t* labels);
  // Loss and correct count of a batch in inference mode (no gradients), from one forward pass.
  // When predicted is not null it receives the argmax class of every row (x.rows() ints; the
  // first index on ties, as Keras's argmax).
  BatchResult evaluateBatch(const Matrix& x, const uint8_t* labels, int* predicted = nullptr);

  // For looking inside the model (nn/Inspection.h). forwardInference runs x forward in inference
  // mode and returns the logits (the last layer's output before the fused softmax, see
  // softmaxOutput()); afterwards layerOutput(i) is layer i's output batch (the last one: the
  // logits). Both stay valid until the next forward pass of any kind; x must outlive backwardFrom.
  const Matrix& forwardInference(const Matrix& x);
  const Matrix& layerOutput(size_t i) const { return *m_outputs[i]; }
  // Backward from dy = dS/d(output of layer `from`) (by default the last layer: dS/d(logits)) of
  // the last forwardInference batch, through layers from, from-1, ..., downTo, using each layer's
  // own backward. Overwrites those layers' Param::grad. Returns dS/d(input of layer downTo): the
  // gradient with respect to the model's input when downTo is 0. Afterwards
  // outputGradient(i), downTo <= i <= from, is dS/d(output of layer i).
  const Matrix& backwardFrom(const Matrix& dy, size_t from = size_t(-1), size_t downTo = 0);
  const Matrix& outputGradient(size_t i) const { return i + 1 == m_gradFrom ? m_dtop : m_dx[i + 1]; }
  // Whether the last activation is a softmax fused into the loss: the model's output is then
  // softmax(logits), and the logits are the scores before it.
  bool softmaxOutput() const { return m_softmaxOutput; }

  std::vector<ParamRef> params();
  // Copies of all parameter values, in params() order, and back (shapes must match).
  std::vector<Matrix> weights() const;
  void setWeights(const std::vector<Matrix>& weights);

 private:
  const Matrix& forward(const Matrix& x, bool training);  // returns logits

  ModelSpec m_spec;
  std::vector<std::unique_ptr<Layer>> m_layers;
  int m_inputSize = 0;
  int m_numClasses = 0;
  bool m_softmaxOutput = false;  // last activation is softmax: fused into the loss
  Matrix m_probs, m_dlogits;
  std::vector<Matrix> m_dx;              // gradient buffers between layers: m_dx[i] = dL/d(input of layer i)
  std::vector<const Matrix*> m_outputs;  // forwardInference: each layer's output
  Matrix m_dtop;                         // backwardFrom: the gradient it started from
  size_t m_gradFrom = 0;                 // backwardFrom: 1 + the layer it started at
};

}  // namespace dl
