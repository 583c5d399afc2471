// SGD and Adam with Keras's update rules and defaults (see Optimizer.h).

#include "nn/Optimizer.h"

#include <cmath>

namespace dl {

namespace {

class Sgd : public Optimizer {
 public:
  explicit Sgd(const OptimizerSpec& s) : Optimizer(s) {}
  void step(const std::vector<ParamRef>& params) override {
    const float lr = float(m_spec.learningRate), mu = float(m_spec.momentum);
    if (mu != 0.0f && m_velocity.size() != params.size()) {
      m_velocity.clear();
      for (const ParamRef& p : params) m_velocity.push_back(Matrix::Zero(p.param->value.rows(), p.param->value.cols()));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      Param& p = *params[i].param;
      if (!p.trainable) continue;  // updated by its layer (moving statistics), never here
      if (mu == 0.0f) {
        p.value.noalias() -= lr * p.grad;
      } else {
        Matrix& m = m_velocity[i];
        m = mu * m - lr * p.grad;
        if (m_spec.nesterov)
          p.value += mu * m - lr * p.grad;
        else
          p.value += m;
      }
    }
    ++m_iterations;
  }

 private:
  std::vector<Matrix> m_velocity;
};

class Adam : public Optimizer {
 public:
  explicit Adam(const OptimizerSpec& s) : Optimizer(s) {}
  void step(const std::vector<ParamRef>& params) override {
    if (m_m.size() != params.size()) {
      m_m.clear();
      m_v.clear();
      for (const ParamRef& p : params) {
        m_m.push_back(Matrix::Zero(p.param->value.rows(), p.param->value.cols()));
        m_v.push_back(Matrix::Zero(p.param->value.rows(), p.param->value.cols()));
      }
    }
    const double t = double(m_iterations + 1);
    const float b1 = float(m_spec.beta1), b2 = float(m_spec.beta2), eps = float(m_spec.epsilon);
    const float alpha =
        float(m_spec.learningRate * std::sqrt(1.0 - std::pow(m_spec.beta2, t)) / (1.0 - std::pow(m_spec.beta1, t)));
    for (size_t i = 0; i < params.size(); ++i) {
      Param& p = *params[i].param;
      if (!p.trainable) continue;  // updated by its layer (moving statistics), never here
      float* w = p.value.data();
      const float* g = p.grad.data();
      float* m = m_m[i].data();
      float* v = m_v[i].data();
      const Eigen::Index n = p.value.size();
      // Large tensors (the CNN's 3.2M-weight dense kernel) are split across the cores.
#pragma omp parallel for simd schedule(static) if (n > 65536)
      for (Eigen::Index k = 0; k < n; ++k) {
        m[k] += (g[k] - m[k]) * (1.0f - b1);
        v[k] += (g[k] * g[k] - v[k]) * (1.0f - b2);
        w[k] -= alpha * m[k] / (std::sqrt(v[k]) + eps);
      }
    }
    ++m_iterations;
  }

 private:
  std::vector<Matrix> m_m, m_v;
};

}  // namespace

std::unique_ptr<Optimizer> Optimizer::create(const OptimizerSpec& spec) {
  if (!(spec.learningRate > 0) || !std::isfinite(spec.learningRate))
    throw SpecError("learning rate must be a positive number");
  if (spec.type == "sgd") {
    if (spec.momentum < 0 || spec.momentum >= 1) throw SpecError("SGD momentum must be in [0, 1)");
    return std::make_unique<Sgd>(spec);
  }
  if (spec.type == "adam") {
    if (spec.beta1 < 0 || spec.beta1 >= 1 || spec.beta2 < 0 || spec.beta2 >= 1)
      throw SpecError("Adam betas must be in [0, 1)");
    if (!(spec.epsilon > 0)) throw SpecError("Adam epsilon must be positive");
    return std::make_unique<Adam>(spec);
  }
  throw SpecError("unknown optimizer '" + spec.type + "' (expected sgd or adam)");
}

}  // namespace dl
