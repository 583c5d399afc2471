#pragma once
// Shared helpers for the core tests: random batches, a finite-difference gradient check that
// returns its verdict (as dlib's test_layer does) so every layer runs the same check, and (opt-in)
// a count of heap allocations.

#include "nn/Layer.h"

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <memory>
#include <random>
#include <sstream>
#include <string>

// Heap allocation counting, for "no allocation per batch" tests. A test file that defines
// DL_TEST_COUNT_ALLOCATIONS before including this header (one file per test binary) replaces
// malloc/calloc/realloc with wrappers around glibc's that count calls (Eigen, operator new and Qt
// all allocate through them). Elsewhere allocationCount() stays 0 and
// allocationCountingWorks() says so, so such tests can skip themselves.
namespace dl::test {
inline std::atomic<long> g_allocations{0};
inline long allocationCount() { return g_allocations.load(std::memory_order_relaxed); }
}  // namespace dl::test

#if defined(DL_TEST_COUNT_ALLOCATIONS) && defined(__GLIBC__)
extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void* malloc(size_t n) {
  dl::test::g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(n);
}
void* calloc(size_t n, size_t size) {
  dl::test::g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(n, size);
}
void* realloc(void* p, size_t n) {
  dl::test::g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(p, n);
}
}
#endif

namespace dl::test {
// Whether allocationCount() sees allocations (glibc, and the test opted in).
inline bool allocationCountingWorks() {
  const long before = allocationCount();
  void* volatile p = std::malloc(64);
  std::free(p);
  return allocationCount() != before;
}
}  // namespace dl::test

namespace dl::test {

inline Matrix randomMatrix(Eigen::Index rows, Eigen::Index cols, uint64_t seed, float lo = -1, float hi = 1) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  Matrix m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = d(rng);
  return m;
}

struct GradCheck {
  bool ok = true;
  double worst = 0;    // worst relative error seen
  std::string detail;  // where it was seen
};

// Checks backward() of a built layer against central differences of L = sum(W .* forward(x)),
// for the input and every parameter. Uses double accumulation; relative error
// |a - n| / max(0.05, |a| + |n|) must stay under tol.
inline GradCheck checkLayerGradients(Layer& layer, Matrix x, bool training = false, double tol = 2e-2,
                                     float eps = 1e-3f) {
  GradCheck r;
  const Matrix y0 = layer.forward(x, training);
  const Matrix w = randomMatrix(y0.rows(), y0.cols(), 99);
  auto loss = [&](const Matrix& in) {
    const Matrix& y = layer.forward(in, training);
    return (y.cast<double>().array() * w.cast<double>().array()).sum();
  };
  layer.forward(x, training);
  Matrix dx;
  layer.backward(w, &dx);
  std::vector<Matrix> paramGrads;
  for (Param* p : layer.params()) paramGrads.push_back(p->grad);

  auto compare = [&](double analytic, double numeric, const std::string& where) {
    const double err = std::abs(analytic - numeric) / std::max(5e-2, std::abs(analytic) + std::abs(numeric));
    if (err > r.worst) {
      r.worst = err;
      std::ostringstream s;
      s << where << ": analytic " << analytic << " numeric " << numeric;
      r.detail = s.str();
    }
    if (err > tol) r.ok = false;
  };
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const float keep = x.data()[i];
    x.data()[i] = keep + eps;
    const double lp = loss(x);
    x.data()[i] = keep - eps;
    const double lm = loss(x);
    x.data()[i] = keep;
    compare(dx.data()[i], (lp - lm) / (2.0 * eps), "input[" + std::to_string(i) + "]");
  }
  std::vector<Param*> ps = layer.params();
  for (size_t k = 0; k < ps.size(); ++k) {
    Matrix& v = ps[k]->value;
    for (Eigen::Index i = 0; i < v.size(); ++i) {
      const float keep = v.data()[i];
      v.data()[i] = keep + eps;
      const double lp = loss(x);
      v.data()[i] = keep - eps;
      const double lm = loss(x);
      v.data()[i] = keep;
      compare(paramGrads[k].data()[i], (lp - lm) / (2.0 * eps), ps[k]->name + "[" + std::to_string(i) + "]");
    }
  }
  return r;
}

// For layers whose training-mode forward draws randomness (Dropout): the check above, for the
// input gradient, where every evaluation uses a FRESH layer from make() (same seed, so the same
// mask). The analytic gradient is that of one such layer.
inline GradCheck checkFreshLayerInputGradients(const std::function<std::unique_ptr<Layer>()>& make, Matrix x,
                                               bool training, double tol = 2e-2, float eps = 1e-3f) {
  GradCheck r;
  const Matrix y0 = make()->forward(x, training);
  const Matrix w = randomMatrix(y0.rows(), y0.cols(), 99);
  auto loss = [&](const Matrix& in) {
    const std::unique_ptr<Layer> layer = make();
    const Matrix& y = layer->forward(in, training);
    return (y.cast<double>().array() * w.cast<double>().array()).sum();
  };
  const std::unique_ptr<Layer> layer = make();
  layer->forward(x, training);
  Matrix dx;
  layer->backward(w, &dx);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const float keep = x.data()[i];
    x.data()[i] = keep + eps;
    const double lp = loss(x);
    x.data()[i] = keep - eps;
    const double lm = loss(x);
    x.data()[i] = keep;
    const double analytic = dx.data()[i], numeric = (lp - lm) / (2.0 * eps);
    const double err = std::abs(analytic - numeric) / std::max(5e-2, std::abs(analytic) + std::abs(numeric));
    if (err > r.worst) {
      r.worst = err;
      std::ostringstream s;
      s << "input[" << i << "]: analytic " << analytic << " numeric " << numeric;
      r.detail = s.str();
    }
    if (err > tol) r.ok = false;
  }
  return r;
}

}  // namespace dl::test
