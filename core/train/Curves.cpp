// Curve maths of the training charts (see Curves.h).

#include "Curves.h"

#include <algorithm>
#include <cmath>

namespace dl::curves {

std::vector<double> smoothed(const std::vector<double>& values, double beta) {
  std::vector<double> out(values.size());
  double s = 0;
  double betaPower = 1;  // beta^t
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double x = values[i];
    if (!std::isfinite(x)) {
      out[i] = x;
      continue;
    }
    s = beta * s + (1 - beta) * x;
    betaPower *= beta;
    const double correction = 1 - betaPower;
    out[i] = correction > 0 ? s / correction : x;
  }
  return out;
}

std::vector<double> runningMean(const std::vector<double>& values) {
  std::vector<double> out(values.size());
  double sum = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    sum += values[i];
    out[i] = sum / double(i + 1);
  }
  return out;
}

std::vector<std::size_t> decimationIndices(const std::vector<double>& ys, int maxPoints) {
  const std::size_t cap = std::size_t(std::max(maxPoints, 4));
  const std::size_t n = ys.size();
  std::vector<std::size_t> out;
  if (n <= cap) {
    out.resize(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = i;
    return out;
  }
  out.reserve(cap);
  out.push_back(0);
  const std::size_t interior = n - 2;  // ys[1 .. n-2]
  const std::size_t buckets = (cap - 2) / 2;
  for (std::size_t b = 0; b < buckets; ++b) {
    const std::size_t begin = 1 + b * interior / buckets;
    const std::size_t end = 1 + (b + 1) * interior / buckets;
    if (begin >= end) continue;
    std::size_t iMin = begin, iMax = begin;
    for (std::size_t i = begin + 1; i < end; ++i) {
      if (ys[i] < ys[iMin]) iMin = i;
      if (ys[i] > ys[iMax]) iMax = i;
    }
    out.push_back(std::min(iMin, iMax));
    if (iMin != iMax) out.push_back(std::max(iMin, iMax));
  }
  out.push_back(n - 1);
  return out;
}

}  // namespace dl::curves
