// Google Benchmark of one training step (forward, backward, optimizer) of each tutorial preset
// at its batch size, on random inputs: the core's hot path without data loading.
//   build/bench/bench_train_step --benchmark_min_time=2

#include "nn/Model.h"
#include "nn/Optimizer.h"
#include "nn/Trainer.h"

#include <benchmark/benchmark.h>

#include <random>

namespace {

void trainStep(benchmark::State& state, const dl::ModelSpec& spec) {
  dl::setThreadCount(int(state.range(0)));
  dl::Model model(spec, 1);
  auto opt = dl::Optimizer::create(spec.training.optimizer);
  const int batch = spec.training.batchSize;
  dl::Matrix x(batch, model.inputSize());
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(0, 1);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = u(rng);
  std::vector<uint8_t> y(static_cast<size_t>(batch));
  for (auto& l : y) l = uint8_t(rng() % 10);
  const auto params = model.params();
  for (auto _ : state) {
    const dl::BatchResult r = model.trainBatch(x, y.data());
    opt->step(params);
    benchmark::DoNotOptimize(r.loss);
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

void BM_MlpStep(benchmark::State& s) { trainStep(s, dl::presetMlp()); }
void BM_CnnStep(benchmark::State& s) { trainStep(s, dl::presetCnn()); }

}  // namespace

BENCHMARK(BM_MlpStep)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_CnnStep)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
