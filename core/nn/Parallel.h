#pragma once
// How the core uses the cores. Eigen's own GEMM threading is off (setThreadCount sets it to 1):
// instead each layer splits its batch across OpenMP threads, and every thread runs serial GEMMs
// on its share. That keeps small products (the MLP at batch 32) free of threading overhead and
// lets large layers (the CNN's convolutions) use both cores on cache-sized pieces.

#include <algorithm>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace dl {

inline int maxThreads() {
#ifdef _OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}

// Multiply-adds below which a piece of work runs on one thread (a parallel region costs a few
// microseconds; the MLP's layers at batch 32 are ~5 million multiply-adds and run faster serial).
constexpr double kMinParallelWork = 2.0e7;

// Calls f(thread, begin, end) over [0, n) split into contiguous ranges, one per thread, in
// parallel when `work` (multiply-adds, roughly) is worth it. thread is in [0, maxThreads()).
template <class F>
void parallelRanges(int n, double work, F&& f) {
  const int threads = work >= kMinParallelWork ? std::min(n, maxThreads()) : 1;
  if (threads <= 1) {
    if (n > 0) f(0, 0, n);
    return;
  }
#ifdef _OPENMP
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int begin = int(int64_t(n) * t / nt), end = int(int64_t(n) * (t + 1) / nt);
    if (begin < end) f(t, begin, end);
  }
#else
  f(0, 0, n);
#endif
}

}  // namespace dl
