// The multi-threaded paths (nn/Parallel.h) compute what the serial ones do: the tutorial CNN's
// layers at batch 64 are large enough to be split across threads; compare with one thread. And
// they really ran on two threads: see the omp_get_thread_num() below.

#include "TestSupport.h"

#include "nn/Model.h"
#include "nn/Trainer.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <mutex>
#include <set>
#include <thread>

using namespace dl;

namespace {

// The threads that asked for their share of a layer's work (see omp_get_thread_num below).
struct ThreadLog {
  std::mutex mutex;
  std::set<std::thread::id> threads;
  std::set<int> numbers;  // OpenMP thread numbers
  void clear() {
    const std::lock_guard lock(mutex);
    threads.clear();
    numbers.clear();
  }
};

ThreadLog& threadLog() {
  static ThreadLog log;
  return log;
}

}  // namespace

// parallelRanges (nn/Parallel.h), through which every layer splits its batch or units, asks each
// thread of its parallel region for its number with omp_get_thread_num(); nothing else in the
// core does. This definition in the test program comes before the OpenMP runtime's (the linker
// binds the core's calls to it), notes which thread asked, and answers with the runtime's own.
extern "C" int omp_get_thread_num() {
  using Function = int (*)();
  static const Function runtime = reinterpret_cast<Function>(dlsym(RTLD_NEXT, "omp_get_thread_num"));
  const int number = runtime ? runtime() : 0;
  ThreadLog& log = threadLog();
  const std::lock_guard lock(log.mutex);
  log.threads.insert(std::this_thread::get_id());
  log.numbers.insert(number);
  return number;
}

namespace {

struct StepResult {
  double loss;
  Matrix probs;
  std::vector<Matrix> grads;
};

StepResult step(int threads, const ModelSpec& spec, const Matrix& x, const std::vector<uint8_t>& y) {
  setThreadCount(threads);
  threadLog().clear();
  Model model(spec, 9);
  StepResult r;
  r.loss = model.trainBatch(x, y.data()).loss;
  for (const ParamRef& p : model.params()) r.grads.push_back(p.param->grad);
  r.probs = model.predictBatch(x);
  return r;
}

void expectSame(const ModelSpec& spec, int batch) {
  const Matrix x = test::randomMatrix(batch, 784, 21, 0, 1);
  std::vector<uint8_t> y(static_cast<size_t>(batch));
  for (int i = 0; i < batch; ++i) y[size_t(i)] = uint8_t(i % 10);
  const StepResult one = step(1, spec, x, y);
  // One thread: no parallel region, so nobody asked for a share.
  EXPECT_TRUE(threadLog().threads.empty());
  const StepResult two = step(2, spec, x, y);
  // Two threads: the layers' work was split, and both halves ran, on two different threads.
  EXPECT_EQ(threadLog().numbers, (std::set<int>{0, 1}));
  EXPECT_EQ(threadLog().threads.size(), 2u);
  EXPECT_NEAR(one.loss, two.loss, 1e-5);
  EXPECT_TRUE(one.probs.isApprox(two.probs, 1e-5f));
  ASSERT_EQ(one.grads.size(), two.grads.size());
  for (size_t i = 0; i < one.grads.size(); ++i) {
    const float scale = std::max(1e-6f, one.grads[i].cwiseAbs().maxCoeff());
    EXPECT_LT((one.grads[i] - two.grads[i]).cwiseAbs().maxCoeff() / scale, 1e-4f) << "parameter " << i;
  }
}

ModelSpec withoutDropout(ModelSpec s) {
  for (LayerSpec& l : s.layers)
    if (l.kind == LayerKind::Dropout) l.rate = 0;  // masks depend on nothing but the seed; keep it simple
  return s;
}

}  // namespace

TEST(ParallelLayers, CnnStepIsTheSameOnOneAndTwoThreads) { expectSame(withoutDropout(presetCnn()), 64); }
TEST(ParallelLayers, OddBatchSplitsCorrectly) { expectSame(withoutDropout(presetCnn()), 37); }
TEST(ParallelLayers, WideMlpIsTheSameOnOneAndTwoThreads) {
  ModelSpec s = withoutDropout(presetMlp());
  s.layers[0].units = 2048;  // large enough to be split
  expectSame(s, 128);
}
