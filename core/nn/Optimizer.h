#pragma once
// Optimizers with Keras's update rules (keras/src/optimizers/sgd.py, adam.py):
//  SGD:      w -= lr*g; with momentum m = mu*m - lr*g, w += m; Nesterov w += mu*m - lr*g.
//  Adam:     m += (g-m)(1-b1); v += (g^2-v)(1-b2); a = lr*sqrt(1-b2^t)/(1-b1^t);
//            w -= a*m/(sqrt(v)+eps)   (epsilon-hat form, eps = 1e-7 by default).
// State belongs to each parameter slot (index in the list passed to step), created on the
// first step.

#include "nn/Model.h"
#include "nn/ModelSpec.h"

#include <memory>
#include <vector>

namespace dl {

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // Applies one update from each trainable Param's grad to its value; non-trainable ones
  // (Param::trainable false: BatchNormalization's moving statistics) are left alone.
  virtual void step(const std::vector<ParamRef>& params) = 0;
  int64_t iterations() const { return m_iterations; }
  const OptimizerSpec& spec() const { return m_spec; }
  // The learning rate the next step() uses (Keras: optimizer.learning_rate, assignable between
  // steps, as ReduceLROnPlateau and a live change do). Callers keep it finite and > 0.
  double learningRate() const { return m_spec.learningRate; }
  void setLearningRate(double lr) { m_spec.learningRate = lr; }
  static std::unique_ptr<Optimizer> create(const OptimizerSpec& spec);  // throws SpecError

 protected:
  explicit Optimizer(const OptimizerSpec& spec) : m_spec(spec) {}
  OptimizerSpec m_spec;
  int64_t m_iterations = 0;
};

}  // namespace dl
