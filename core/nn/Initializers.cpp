// Weight initialisation with Keras's VarianceScaling rules.

#include "nn/Initializers.h"

#include <cmath>

namespace dl {

namespace {

void uniform(Matrix& w, double limit, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> d(-limit, limit);
  for (Eigen::Index i = 0; i < w.size(); ++i) w.data()[i] = float(d(rng));
}

void normal(Matrix& w, double stddev, bool truncated, std::mt19937_64& rng) {
  std::normal_distribution<double> d(0.0, stddev);
  for (Eigen::Index i = 0; i < w.size(); ++i) {
    double v = d(rng);
    while (truncated && std::abs(v) > 2.0 * stddev) v = d(rng);
    w.data()[i] = float(v);
  }
}

constexpr double kTruncatedCorrection = 0.87962566103423978;  // sd of N(0,1) cut at ±2

}  // namespace

void initialize(Matrix& w, const std::string& name, int fanIn, int fanOut, std::mt19937_64& rng) {
  const double fi = std::max(1, fanIn), fo = std::max(1, fanOut), avg = (fi + fo) / 2.0;
  if (name == "zeros")
    w.setZero();
  else if (name == "ones")
    w.setOnes();
  else if (name == "glorot_uniform")
    uniform(w, std::sqrt(3.0 / avg), rng);
  else if (name == "glorot_normal")
    normal(w, std::sqrt(1.0 / avg) / kTruncatedCorrection, true, rng);
  else if (name == "he_uniform")
    uniform(w, std::sqrt(6.0 / fi), rng);
  else if (name == "he_normal")
    normal(w, std::sqrt(2.0 / fi) / kTruncatedCorrection, true, rng);
  else if (name == "lecun_uniform")
    uniform(w, std::sqrt(3.0 / fi), rng);
  else if (name == "lecun_normal")
    normal(w, std::sqrt(1.0 / fi) / kTruncatedCorrection, true, rng);
  else if (name == "random_normal")
    normal(w, 0.05, false, rng);
  else if (name == "random_uniform")
    uniform(w, 0.05, rng);
  else
    throw SpecError("unknown initializer '" + name + "'");
}

}  // namespace dl
