// Sequential model: builds layers from a spec, runs batches, fuses softmax with cross-entropy.
//
// The last layer's softmax is not applied inside the layer: the model keeps its logits z and
// computes p = softmax(z), loss = logsumexp(z) - z[label] and dL/dz = (p - onehot)/B, as Keras on
// TensorFlow does (softmax_cross_entropy_with_logits; KERAS_SEMANTICS §5). No clipping needed.

#include "nn/Model.h"

#include "nn/Activations.h"
#include "nn/ModelAnalysis.h"

#include <cmath>

namespace dl {

Model::Model(const ModelSpec& spec, uint64_t seed) : m_spec(spec) {
  Eigen::setNbThreads(1);  // layers split batches across threads themselves (nn/Parallel.h)
  const ModelAnalysis analysis = analyze(spec);
  if (!analysis.ok()) throw SpecError(analysis.error);
  const std::vector<std::string> names = layerNames(spec);
  Rng rng(seed);
  Shape shape = spec.inputShape;
  m_inputSize = int(shapeSize(shape));
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    LayerSpec ls = spec.layers[i];
    if (i + 1 == spec.layers.size() && ls.activation == "softmax" &&
        (ls.kind == LayerKind::Dense || ls.kind == LayerKind::Activation)) {
      ls.activation = "linear";  // fused into the loss
      m_softmaxOutput = true;
    }
    auto layer = makeLayer(ls, seed * 7919 + i + 1);
    layer->setName(names[i]);
    layer->build(shape, rng);
    shape = layer->outputShape();
    m_layers.push_back(std::move(layer));
  }
  m_numClasses = int(shapeSize(shape));
  m_dx.resize(m_layers.size());
  m_outputs.resize(m_layers.size());
}

Model::~Model() = default;

int64_t Model::parameterCount() const {
  int64_t n = 0;
  for (const auto& l : m_layers)
    for (const Param* p : l->params()) n += p->value.size();
  return n;
}

const Matrix& Model::forward(const Matrix& x, bool training) {
  const Matrix* cur = &x;
  for (auto& layer : m_layers) cur = &layer->forward(*cur, training);
  return *cur;
}

const Matrix& Model::predictBatch(const Matrix& x) {
  const Matrix& z = forward(x, false);
  if (m_softmaxOutput) {
    softmaxRows(z, m_probs);
  } else {
    m_probs = z;
  }
  return m_probs;
}

Matrix Model::predict(const float* x, int n, int batchSize) {
  Matrix out(n, m_numClasses);
  Matrix batch;
  for (int start = 0; start < n; start += batchSize) {
    const int b = std::min(batchSize, n - start);
    batch = ConstMatrixMap(x + Eigen::Index(start) * m_inputSize, b, m_inputSize);
    out.middleRows(start, b) = predictBatch(batch);
  }
  return out;
}

namespace {
// Loss and accuracy of logits z against labels; optionally dL/dz into dz and the argmax of every
// row into predicted.
BatchResult crossEntropy(const Matrix& z, const uint8_t* labels, Matrix* dz, int* predicted = nullptr) {
  const Eigen::Index b = z.rows(), c = z.cols();
  BatchResult r;
  double total = 0;
  if (dz) dz->resize(b, c);
  for (Eigen::Index i = 0; i < b; ++i) {
    Eigen::Index argmax = 0;
    const float m = z.row(i).maxCoeff(&argmax);
    const int label = labels[i];
    if (argmax == label) ++r.correct;
    if (predicted) predicted[i] = int(argmax);
    if (dz) {
      dz->row(i) = (z.row(i).array() - m).exp();
      const float sum = dz->row(i).sum();
      total += std::log(double(sum)) + m - z(i, label);
      dz->row(i) *= 1.0f / (sum * float(b));
      (*dz)(i, label) -= 1.0f / float(b);
    } else {
      const double sum = (z.row(i).array() - m).exp().cast<double>().sum();
      total += std::log(sum) + m - z(i, label);
    }
  }
  r.loss = total / double(b);
  return r;
}
}  // namespace

BatchResult Model::trainBatch(const Matrix& x, const uint8_t* labels) {
  const Matrix& z = forward(x, true);
  BatchResult r = crossEntropy(z, labels, &m_dlogits);
  const Matrix* grad = &m_dlogits;
  for (size_t i = m_layers.size(); i-- > 0;) {
    m_layers[i]->backward(*grad, i > 0 ? &m_dx[i] : nullptr);
    grad = &m_dx[i];
  }
  return r;
}

const Matrix& Model::forwardInference(const Matrix& x) {
  const Matrix* cur = &x;
  for (size_t i = 0; i < m_layers.size(); ++i) {
    cur = &m_layers[i]->forward(*cur, false);
    m_outputs[i] = cur;  // a layer that passes its input through (Dropout) returns it: still valid
  }
  m_gradFrom = 0;
  return *cur;
}

const Matrix& Model::backwardFrom(const Matrix& dy, size_t from, size_t downTo) {
  if (from >= m_layers.size()) from = m_layers.size() - 1;
  if (downTo > from) throw SpecError("backwardFrom: downTo must not come after from");
  m_dtop = dy;
  m_gradFrom = from + 1;
  const Matrix* grad = &m_dtop;
  for (size_t i = from + 1; i-- > downTo;) {
    m_layers[i]->backward(*grad, &m_dx[i]);
    grad = &m_dx[i];
  }
  return *grad;
}

BatchResult Model::evaluateBatch(const Matrix& x, const uint8_t* labels, int* predicted) {
  return crossEntropy(forward(x, false), labels, nullptr, predicted);
}

std::vector<ParamRef> Model::params() {
  std::vector<ParamRef> out;
  for (auto& l : m_layers)
    for (Param* p : l->params()) out.push_back({l->name(), p});
  return out;
}

std::vector<Matrix> Model::weights() const {
  std::vector<Matrix> out;
  for (const auto& l : m_layers)
    for (const Param* p : l->params()) out.push_back(p->value);
  return out;
}

void Model::setWeights(const std::vector<Matrix>& weights) {
  std::vector<ParamRef> ps = params();
  if (ps.size() != weights.size())
    throw SpecError("expected " + std::to_string(ps.size()) + " weight tensors, got " + std::to_string(weights.size()));
  for (size_t i = 0; i < ps.size(); ++i) {
    if (ps[i].param->value.rows() != weights[i].rows() || ps[i].param->value.cols() != weights[i].cols())
      throw SpecError(ps[i].layer + "/" + ps[i].param->name + ": weight tensor has the wrong shape");
  }
  for (size_t i = 0; i < ps.size(); ++i) ps[i].param->value = weights[i];
}

}  // namespace dl
