// Google Benchmark of the augmentation and normalization layers on a training batch of 64
// 28x28x1 images, each against one Dense(10) forward of the same batch in the same run (the
// ratio is what BENCHMARKS.md reports: this machine is too noisy for absolute times).
//   build/bench/bench_layers --benchmark_min_time=1
// Forward in training mode (the draws and the resampling), then backward with an input gradient
// (what a layer anywhere but first costs).

#include "nn/LayerRegistry.h"
#include "nn/Parallel.h"
#include "nn/Trainer.h"

#include <benchmark/benchmark.h>

#include <random>

namespace {

constexpr int kBatch = 64;

dl::Matrix images() {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<float> u(0, 1);
  dl::Matrix x(kBatch, 784);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = u(rng);
  return x;
}

std::unique_ptr<dl::Layer> built(const dl::LayerSpec& spec, const dl::Shape& in) {
  auto layer = dl::makeLayer(spec, 7);
  dl::Rng rng(1);
  layer->build(in, rng);
  return layer;
}

void run(benchmark::State& state, const dl::LayerSpec& spec, const dl::Shape& in, bool backward) {
  dl::setThreadCount(1);
  auto layer = built(spec, in);
  const dl::Matrix x = images();
  dl::Matrix dx;
  const dl::Matrix& y0 = layer->forward(x, true);
  const dl::Matrix dy = dl::Matrix::Constant(y0.rows(), y0.cols(), 0.01f);
  for (auto _ : state) {
    const dl::Matrix& y = layer->forward(x, true);
    benchmark::DoNotOptimize(y.data());
    if (backward) {
      layer->backward(dy, &dx);
      benchmark::DoNotOptimize(dx.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

dl::LayerSpec newLayer(dl::LayerKind kind) { return dl::layerKindInfo(kind).newLayer(); }

void BM_Dense10Forward(benchmark::State& s) {
  dl::LayerSpec dense = newLayer(dl::LayerKind::Dense);
  dense.units = 10;
  dense.activation = "linear";
  run(s, dense, {784}, false);
}
void BM_RandomRotation(benchmark::State& s) {
  run(s, newLayer(dl::LayerKind::RandomRotation), {28, 28, 1}, s.range(0));
}
void BM_RandomTranslation(benchmark::State& s) {
  run(s, newLayer(dl::LayerKind::RandomTranslation), {28, 28, 1}, s.range(0));
}
void BM_RandomZoom(benchmark::State& s) { run(s, newLayer(dl::LayerKind::RandomZoom), {28, 28, 1}, s.range(0)); }
void BM_GaussianNoise(benchmark::State& s) { run(s, newLayer(dl::LayerKind::GaussianNoise), {28, 28, 1}, s.range(0)); }
void BM_BatchNormalization(benchmark::State& s) {
  run(s, newLayer(dl::LayerKind::BatchNormalization), {28, 28, 1}, s.range(0));
}

}  // namespace

// Arg 0: training forward only; 1: forward and backward.
BENCHMARK(BM_Dense10Forward)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RandomRotation)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RandomTranslation)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RandomZoom)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GaussianNoise)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_BatchNormalization)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
