// Google Benchmark of the live "draw a digit" path, which runs in the GUI thread on every mouse
// move: preprocessing a canvas picture into the 28x28 input, and one single-sample prediction of
// each tutorial preset. Both must stay far below a 16 ms frame.
//   build/bench/bench_predict

#include "data/DigitPreprocess.h"
#include "nn/Model.h"
#include "nn/Trainer.h"

#include <benchmark/benchmark.h>

#include <QPainter>

namespace {

// A "3" drawn on a white side x side canvas with the canvas's pen (side / 14).
QImage drawnThree(int side) {
  QImage img(side, side, QImage::Format_RGB32);
  img.fill(Qt::white);
  QPainter p(&img);
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(QPen(Qt::black, side / 14.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
  QPolygonF pts({{0.3, 0.22},
                 {0.55, 0.16},
                 {0.7, 0.27},
                 {0.62, 0.42},
                 {0.45, 0.48},
                 {0.66, 0.56},
                 {0.7, 0.72},
                 {0.55, 0.84},
                 {0.3, 0.8}});
  for (QPointF& q : pts) q *= side;
  p.drawPolyline(pts);
  return img;
}

void BM_Preprocess(benchmark::State& state) {
  const QImage img = drawnThree(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    const dl::DigitInput d = dl::preprocessDigit(img, dl::InkPolarity::DarkOnLight);
    benchmark::DoNotOptimize(d.pixels.data());
  }
}

void predictOne(benchmark::State& state, const dl::ModelSpec& spec) {
  dl::setThreadCount(1);
  dl::Model model(spec, 1);
  const dl::DigitInput d = dl::preprocessDigit(drawnThree(280));
  for (auto _ : state) {
    const dl::Matrix p = model.predict(d.pixels.data(), 1);
    benchmark::DoNotOptimize(p.data());
  }
}

void BM_PredictMlp(benchmark::State& s) { predictOne(s, dl::presetMlp()); }
void BM_PredictCnn(benchmark::State& s) { predictOne(s, dl::presetCnn()); }

}  // namespace

// 280: the canvas at its minimum size; 560 and 1120: larger or high-DPI canvases.
BENCHMARK(BM_Preprocess)->Arg(280)->Arg(560)->Arg(1120)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PredictMlp)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PredictCnn)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
