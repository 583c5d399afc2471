// Google Benchmark of looking inside a model for one drawn digit (nn/Inspection.h), which the
// window reruns as the pen moves: every layer's output, and each saliency method, for the two
// tutorial presets and the Digits preset, one thread, against one plain forward (predict) of the
// same model in the same run. "Fast enough to follow the pen" means well under a 16 ms frame.
//   build/bench/bench_inspect

#include "nn/Inspection.h"
#include "nn/Model.h"
#include "nn/Trainer.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace {

// A smooth "0"-like ring of ink in a 28x28 field, values in [0, 1].
std::vector<float> ringDigit() {
  std::vector<float> x(784);
  for (int y = 0; y < 28; ++y)
    for (int c = 0; c < 28; ++c) {
      const double r = std::hypot((y - 13.5) / 1.3, c - 13.5);
      x[size_t(y * 28 + c)] = float(std::max(0.0, 1.0 - std::abs(r - 7.0) / 2.0));
    }
  return x;
}

enum class What { Forward, LayerOutputs, GradXInput, Occlusion, GradCam };

void run(benchmark::State& state, const dl::ModelSpec& spec, What what) {
  dl::setThreadCount(1);
  dl::Model model(spec, 1);
  const std::vector<float> x = ringDigit();
  for (auto _ : state) {
    switch (what) {
      case What::Forward: {
        const dl::Matrix p = model.predict(x.data(), 1);
        benchmark::DoNotOptimize(p.data());
        break;
      }
      case What::LayerOutputs: {
        const std::vector<dl::LayerOutput> outs = dl::layerOutputs(model, x.data());
        benchmark::DoNotOptimize(outs.data());
        break;
      }
      case What::GradXInput:
      case What::Occlusion:
      case What::GradCam: {
        const dl::SaliencyMethod m = what == What::GradXInput  ? dl::SaliencyMethod::GradientXInput
                                     : what == What::Occlusion ? dl::SaliencyMethod::Occlusion
                                                               : dl::SaliencyMethod::GradCam;
        const dl::SaliencyMap s = dl::saliency(model, x.data(), m);
        benchmark::DoNotOptimize(s.values.data());
        break;
      }
    }
  }
}

void registerAll() {
  const struct {
    const char* name;
    dl::ModelSpec spec;
  } models[] = {{"Mlp", dl::presetMlp()}, {"Cnn", dl::presetCnn()}, {"Digits", dl::presetDigits()}};
  const struct {
    const char* name;
    What what;
  } kinds[] = {{"Forward", What::Forward},
               {"LayerOutputs", What::LayerOutputs},
               {"GradXInput", What::GradXInput},
               {"Occlusion", What::Occlusion},
               {"GradCam", What::GradCam}};
  for (const auto& m : models)
    for (const auto& k : kinds) {
      const bool conv = std::any_of(m.spec.layers.begin(), m.spec.layers.end(),
                                    [](const dl::LayerSpec& l) { return l.kind == dl::LayerKind::Conv2D; });
      if (k.what == What::GradCam && !conv) continue;  // Grad-CAM needs a Conv2D layer
      const dl::ModelSpec spec = m.spec;
      const What what = k.what;
      benchmark::RegisterBenchmark((std::string("BM_") + m.name + "_" + k.name).c_str(), [spec,
                                                                                          what](benchmark::State& s) {
        run(s, spec, what);
      })->Unit(benchmark::kMillisecond);
    }
}

}  // namespace

int main(int argc, char** argv) {
  registerAll();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
