// The multi-threaded paths (nn/Parallel.h) compute what the serial ones do: the tutorial CNN's
// layers at batch 64 are large enough to be split across threads; compare with one thread.

#include "TestSupport.h"

#include "nn/Model.h"
#include "nn/Trainer.h"

#include <gtest/gtest.h>

using namespace dl;

namespace {

struct StepResult {
  double loss;
  Matrix probs;
  std::vector<Matrix> grads;
};

StepResult step(int threads, const ModelSpec& spec, const Matrix& x, const std::vector<uint8_t>& y) {
  setThreadCount(threads);
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
  const StepResult one = step(1, spec, x, y), two = step(2, spec, x, y);
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
