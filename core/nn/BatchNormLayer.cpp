// BatchNormalization: batch statistics in training, moving statistics in inference (see
// BatchNormLayer.h). A batch row holds the sample's values in C order, channel fastest: value j
// of a row belongs to channel j % C.

#include "nn/BatchNormLayer.h"

#include "nn/Initializers.h"

#include <cmath>

namespace dl {

namespace {
Param weight(const char* name, int channels, bool trainable) {
  Param p;
  p.name = name;
  p.kerasShape = {channels};
  p.value = Matrix::Zero(1, channels);
  p.grad = Matrix::Zero(1, channels);
  p.trainable = trainable;
  return p;
}
}  // namespace

void BatchNormLayer::build(const Shape& inputShape, Rng& rng) {
  if (inputShape.empty()) throw SpecError("BatchNormalization needs an input with at least one axis");
  m_shape = inputShape;
  m_channels = inputShape.back();
  const int c = m_channels;
  m_gamma = weight("gamma", c, true);
  m_beta = weight("beta", c, true);
  m_movingMean = weight("moving_mean", c, false);
  m_movingVariance = weight("moving_variance", c, false);
  // Keras's compute_fans of a rank-1 shape (n,): fan_in = fan_out = n.
  initialize(m_gamma.value, m_set.gammaInitializer, c, c, rng);
  initialize(m_beta.value, m_set.betaInitializer, c, c, rng);
  initialize(m_movingMean.value, m_set.movingMeanInitializer, c, c, rng);
  initialize(m_movingVariance.value, m_set.movingVarianceInitializer, c, c, rng);
  if (!m_set.scale) m_gamma.value.setOnes();
  if (!m_set.center) m_beta.value.setZero();
}

std::vector<Param*> BatchNormLayer::params() {
  std::vector<Param*> out;
  if (m_set.scale) out.push_back(&m_gamma);
  if (m_set.center) out.push_back(&m_beta);
  out.push_back(&m_movingMean);
  out.push_back(&m_movingVariance);
  return out;
}

std::vector<const Param*> BatchNormLayer::params() const {
  std::vector<const Param*> out;
  for (Param* p : const_cast<BatchNormLayer*>(this)->params()) out.push_back(p);
  return out;
}

const Matrix& BatchNormLayer::forward(const Matrix& x, bool training) {
  const int c = m_channels;
  const Eigen::Index rows = x.rows(), groups = x.cols() / c;
  const double count = double(rows) * double(groups);
  m_x = &x;
  m_training = training;
  m_mean.resize(c);
  m_var.resize(c);
  if (training) {
    // Two passes in double: the mean, then the mean squared deviation (biased, as ops.moments).
    m_mean.setZero();
    for (Eigen::Index r = 0; r < rows; ++r) {
      const float* v = x.row(r).data();
      for (Eigen::Index g = 0; g < groups; ++g)
        for (int k = 0; k < c; ++k) m_mean[k] += v[g * c + k];
    }
    m_mean /= count;
    m_var.setZero();
    for (Eigen::Index r = 0; r < rows; ++r) {
      const float* v = x.row(r).data();
      for (Eigen::Index g = 0; g < groups; ++g)
        for (int k = 0; k < c; ++k) {
          const double d = v[g * c + k] - m_mean[k];
          m_var[k] += d * d;
        }
    }
    m_var /= count;
    const float mom = float(m_set.momentum);
    for (int k = 0; k < c; ++k) {
      m_movingMean.value(0, k) = m_movingMean.value(0, k) * mom + float(m_mean[k]) * (1.0f - mom);
      m_movingVariance.value(0, k) = m_movingVariance.value(0, k) * mom + float(m_var[k]) * (1.0f - mom);
    }
  } else {
    m_mean = m_movingMean.value.row(0).cast<double>();
    m_var = m_movingVariance.value.row(0).cast<double>();
  }
  m_meanF = m_mean.cast<float>();
  m_invStd.resize(c);
  for (int k = 0; k < c; ++k) m_invStd[k] = float(1.0 / std::sqrt(m_var[k] + m_set.epsilon));

  m_xhat.resize(rows, x.cols());
  m_y.resize(rows, x.cols());
  const float* gamma = m_gamma.value.data();
  const float* beta = m_beta.value.data();
  for (Eigen::Index r = 0; r < rows; ++r) {
    const float* v = x.row(r).data();
    float* h = m_xhat.row(r).data();
    float* y = m_y.row(r).data();
    for (Eigen::Index g = 0; g < groups; ++g)
      for (int k = 0; k < c; ++k) {
        const Eigen::Index j = g * c + k;
        h[j] = (v[j] - m_meanF[k]) * m_invStd[k];
        y[j] = gamma[k] * h[j] + beta[k];
      }
  }
  return m_y;
}

void BatchNormLayer::backward(const Matrix& dy, Matrix* dx) {
  const int c = m_channels;
  const Eigen::Index rows = dy.rows(), groups = dy.cols() / c;
  const float count = float(rows) * float(groups);
  m_sumDy.setZero(c);
  m_sumDyXhat.setZero(c);
  for (Eigen::Index r = 0; r < rows; ++r) {
    const float* g = dy.row(r).data();
    const float* h = m_xhat.row(r).data();
    for (Eigen::Index s = 0; s < groups; ++s)
      for (int k = 0; k < c; ++k) {
        m_sumDy[k] += g[s * c + k];
        m_sumDyXhat[k] += g[s * c + k] * h[s * c + k];
      }
  }
  const float* gamma = m_gamma.value.data();
  if (m_set.scale) m_gamma.grad.row(0) = m_sumDyXhat;
  if (m_set.center) m_beta.grad.row(0) = m_sumDy;
  m_movingMean.grad.setZero();
  m_movingVariance.grad.setZero();
  if (!m_training) {
    // y = gamma (x - mm) / sqrt(mv + eps) + beta: dL/dmm = -gamma s sum(dy),
    // dL/dmv = -gamma / 2 s^2 sum(dy xhat), s = 1 / sqrt(mv + eps).
    for (int k = 0; k < c; ++k) {
      m_movingMean.grad(0, k) = -gamma[k] * m_invStd[k] * m_sumDy[k];
      m_movingVariance.grad(0, k) = -0.5f * gamma[k] * m_invStd[k] * m_invStd[k] * m_sumDyXhat[k];
    }
  }
  if (!dx) return;
  dx->resize(rows, dy.cols());
  for (Eigen::Index r = 0; r < rows; ++r) {
    const float* g = dy.row(r).data();
    const float* h = m_xhat.row(r).data();
    float* d = dx->row(r).data();
    for (Eigen::Index s = 0; s < groups; ++s)
      for (int k = 0; k < c; ++k) {
        const Eigen::Index j = s * c + k;
        if (m_training) {
          // Through the batch statistics: s/M (M dy - sum(dy) - xhat sum(dy xhat)), times gamma.
          d[j] = gamma[k] * m_invStd[k] / count * (count * g[j] - m_sumDy[k] - h[j] * m_sumDyXhat[k]);
        } else {
          d[j] = gamma[k] * m_invStd[k] * g[j];
        }
      }
  }
}

}  // namespace dl
