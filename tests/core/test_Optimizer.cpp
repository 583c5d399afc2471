// Optimizers against hand-computed Keras updates (keras/src/optimizers/sgd.py, adam.py).

#include "nn/Optimizer.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace dl;

namespace {

struct OneParam {
  Param p{"kernel", {2}, Matrix(1, 2), Matrix(1, 2)};
  std::vector<ParamRef> refs() { return {{"dense", &p}}; }
};

OptimizerSpec sgd(double lr, double momentum = 0, bool nesterov = false) {
  OptimizerSpec s;
  s.type = "sgd";
  s.learningRate = lr;
  s.momentum = momentum;
  s.nesterov = nesterov;
  return s;
}

}  // namespace

TEST(Sgd, PlainStep) {
  OneParam w;
  w.p.value << 1.0f, -2.0f;
  w.p.grad << 0.5f, -1.0f;
  auto opt = Optimizer::create(sgd(0.1));
  opt->step(w.refs());
  EXPECT_FLOAT_EQ(w.p.value(0, 0), 0.95f);
  EXPECT_FLOAT_EQ(w.p.value(0, 1), -1.9f);
  EXPECT_EQ(opt->iterations(), 1);
}

TEST(Sgd, MomentumTwoSteps) {
  // m1 = -lr g = -0.05; w1 = 0.95. m2 = 0.9(-0.05) - 0.05 = -0.095; w2 = 0.855.
  OneParam w;
  w.p.value << 1.0f, 0.0f;
  w.p.grad << 0.5f, 0.0f;
  auto opt = Optimizer::create(sgd(0.1, 0.9));
  opt->step(w.refs());
  EXPECT_FLOAT_EQ(w.p.value(0, 0), 0.95f);
  opt->step(w.refs());
  EXPECT_FLOAT_EQ(w.p.value(0, 0), 0.855f);
}

TEST(Sgd, NesterovTwoSteps) {
  // step 1: m = -0.05; w += 0.9 m - lr g = -0.045 - 0.05 -> 0.905
  // step 2: m = 0.9(-0.05) - 0.05 = -0.095; w += 0.9(-0.095) - 0.05 = -0.1355 -> 0.7695
  OneParam w;
  w.p.value << 1.0f, 0.0f;
  w.p.grad << 0.5f, 0.0f;
  auto opt = Optimizer::create(sgd(0.1, 0.9, true));
  opt->step(w.refs());
  EXPECT_FLOAT_EQ(w.p.value(0, 0), 0.905f);
  opt->step(w.refs());
  EXPECT_NEAR(w.p.value(0, 0), 0.7695f, 1e-6);
}

TEST(Adam, TwoStepsAsKerasComputes) {
  OptimizerSpec s;
  s.type = "adam";
  s.learningRate = 0.01;
  OneParam w;
  w.p.value << 1.0f, 1.0f;
  w.p.grad << 0.2f, -3.0f;
  auto opt = Optimizer::create(s);
  // Reference in double, Keras's formulas with epsilon 1e-7 outside the bias correction.
  double ref[2] = {1.0, 1.0}, m[2] = {0, 0}, v[2] = {0, 0};
  const double g[2] = {0.2, -3.0};
  for (int t = 1; t <= 2; ++t) {
    opt->step(w.refs());
    const double alpha = 0.01 * std::sqrt(1 - std::pow(0.999, t)) / (1 - std::pow(0.9, t));
    for (int i = 0; i < 2; ++i) {
      m[i] += (g[i] - m[i]) * (1 - 0.9);
      v[i] += (g[i] * g[i] - v[i]) * (1 - 0.999);
      ref[i] -= alpha * m[i] / (std::sqrt(v[i]) + 1e-7);
      EXPECT_NEAR(w.p.value(0, i), ref[i], 1e-6) << "t=" << t << " i=" << i;
    }
  }
  // With gradients far above epsilon every step moves a weight by ~lr against its gradient's sign.
  EXPECT_NEAR(w.p.value(0, 0), 1.0 - 2 * 0.01, 1e-5);
  EXPECT_NEAR(w.p.value(0, 1), 1.0 + 2 * 0.01, 1e-5);
}

TEST(Adam, DefaultsAreKeras) {
  // keras/src/optimizers/adam.py: beta_1=0.9, beta_2=0.999, epsilon=1e-7 (not PyTorch's 1e-8).
  const OptimizerSpec s;
  EXPECT_EQ(s.beta1, 0.9);
  EXPECT_EQ(s.beta2, 0.999);
  EXPECT_EQ(s.epsilon, 1e-7);
}

TEST(Adam, EpsilonHatWhenGradientsAreTiny) {
  // Gradients of ~1e-7 make sqrt(v) (~3e-9 after one step) far smaller than epsilon, so the step
  // size is set by epsilon and where it is added. Keras adds epsilon to the UNcorrected sqrt(v):
  //   alpha_t = lr sqrt(1 - b2^t) / (1 - b1^t);  w -= alpha_t m / (sqrt(v) + eps)
  // Hand-computed (lr 1e-3, defaults, w0 = 0, g = 1e-7, 2e-7, -1e-7), step 1:
  //   m = 1e-8, v = 1e-17, sqrt(v) = 3.1623e-9, alpha = 1e-3 * sqrt(0.001) / 0.1 = 3.1623e-4
  //   w = -3.1623e-4 * 1e-8 / (3.1623e-9 + 1e-7) = -3.0653e-5
  // Other conventions give far larger steps after three updates:
  //   Keras form with eps 1e-8            -8.2333e-4
  //   PyTorch form (eps on corrected sqrt(v_hat)), eps 1e-8: -2.2092e-3;  eps 1e-7: -1.3374e-3
  OptimizerSpec s;
  s.type = "adam";
  s.learningRate = 1e-3;
  OneParam w;
  w.p.value << 0.0f, 0.0f;  // from 0, float keeps full relative precision of the small steps
  auto opt = Optimizer::create(s);
  const float grads[3] = {1e-7f, 2e-7f, -1e-7f};
  const double expected[3] = {-3.065343003171552e-05, -9.43889492903678e-05, -0.0001245755784577681};
  for (int t = 0; t < 3; ++t) {
    w.p.grad << grads[t], -grads[t];
    opt->step(w.refs());
    EXPECT_NEAR(w.p.value(0, 0), expected[t], 1e-5 * std::abs(expected[t])) << "t=" << t + 1;
    EXPECT_NEAR(w.p.value(0, 1), -expected[t], 1e-5 * std::abs(expected[t])) << "t=" << t + 1;
  }
}

TEST(Optimizer, RejectsBadSettings) {
  EXPECT_THROW(Optimizer::create(sgd(0)), SpecError);
  EXPECT_THROW(Optimizer::create(sgd(-1)), SpecError);
  EXPECT_THROW(Optimizer::create(sgd(0.1, 1.5)), SpecError);
  OptimizerSpec s;
  s.type = "rmsprop";
  EXPECT_THROW(Optimizer::create(s), SpecError);
}
