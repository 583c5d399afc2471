#pragma once
// BatchNormalization over the last axis (keras/src/layers/normalization/batch_normalization.py,
// axis=-1): per feature of a flat input (N, F), per channel of an image (N, H, W, C), statistics
// over every other axis.
//   training:  mean, var = the batch's mean and biased variance (ops.moments);
//              y = gamma * (x - mean) / sqrt(var + epsilon) + beta;
//              moving_mean = moving_mean * momentum + mean * (1 - momentum), the same for
//              moving_variance (both updated by forward, never by the optimizer)
//   inference: the same with moving_mean and moving_variance.
// Weights in Keras's order: gamma (if scale), beta (if center), moving_mean, moving_variance (the
// last two non-trainable). Backward in training mode goes through the batch statistics; in
// inference mode the statistics are constants for the input (their own gradients are written too,
// for completeness; the optimizer skips them).

#include "nn/Layer.h"

namespace dl {

struct BatchNormSettings {
  double momentum = 0.99, epsilon = 1e-3;
  bool center = true, scale = true;
  std::string betaInitializer = "zeros", gammaInitializer = "ones";
  std::string movingMeanInitializer = "zeros", movingVarianceInitializer = "ones";
};

class BatchNormLayer : public Layer {
 public:
  explicit BatchNormLayer(BatchNormSettings settings) : m_set(std::move(settings)) {}
  const char* className() const override { return "BatchNormalization"; }
  void build(const Shape& inputShape, Rng& rng) override;
  Shape outputShape() const override { return m_shape; }
  const Matrix& forward(const Matrix& x, bool training) override;
  void backward(const Matrix& dy, Matrix* dx) override;
  std::vector<Param*> params() override;
  std::vector<const Param*> params() const override;

  const Matrix& movingMean() const { return m_movingMean.value; }
  const Matrix& movingVariance() const { return m_movingVariance.value; }

 private:
  BatchNormSettings m_set;
  Shape m_shape;
  int m_channels = 0;
  Param m_gamma, m_beta, m_movingMean, m_movingVariance;
  bool m_training = false;  // the mode of the last forward pass
  const Matrix* m_x = nullptr;
  Matrix m_xhat, m_y;
  // Per channel: the mean and 1/sqrt(var + eps) the last forward used; sums for backward.
  Eigen::RowVectorXd m_mean, m_var;
  Eigen::RowVectorXf m_meanF, m_invStd, m_sumDy, m_sumDyXhat;
};

}  // namespace dl
