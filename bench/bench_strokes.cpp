// Google Benchmark of the two paths to the 28x28 (docs/preprocessing.md), both run in the GUI
// thread on every mouse move or picture: the canvas's strokes drawn with the MNIST pen
// (renderStrokes), and a picture fitted with and without stroke-width normalisation.
//   build/bench/bench_strokes

#include "data/DigitPreprocess.h"
#include "data/Strokes.h"

#include <benchmark/benchmark.h>

#include <cmath>

namespace {

// An "8" in one stroke with `points` mouse positions, in canvas units.
dl::Strokes eight(int points) {
  QPolygonF p;
  for (int i = 0; i < points; ++i) {
    const double t = 2 * 3.14159265358979 * i / (points - 1);
    p << QPointF(0.5 + 0.25 * std::sin(2 * t), 0.5 + 0.4 * std::cos(t));  // a figure of eight
  }
  return {p};
}

void BM_RenderStrokes(benchmark::State& state) {
  const dl::Strokes s = eight(int(state.range(0)));
  for (auto _ : state) {
    const dl::DigitInput d = dl::renderStrokes(s);
    benchmark::DoNotOptimize(d.pixels.data());
  }
}

void BM_PreprocessPicture(benchmark::State& state) {
  const int side = int(state.range(0));
  const auto mode = state.range(1) ? dl::StrokeNormalisation::ToMnist : dl::StrokeNormalisation::Keep;
  const QImage picture = dl::paintStrokes(eight(200), side, side, side / 14.0);
  for (auto _ : state) {
    const dl::DigitInput d = dl::preprocessDigit(picture, dl::InkPolarity::DarkOnLight, mode);
    benchmark::DoNotOptimize(d.pixels.data());
  }
}

}  // namespace

BENCHMARK(BM_RenderStrokes)->Arg(50)->Arg(500)->Arg(5000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PreprocessPicture)
    ->Args({280, 0})
    ->Args({280, 1})
    ->Args({1120, 0})
    ->Args({1120, 1})
    ->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
