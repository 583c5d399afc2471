#pragma once
// The drawn-digits check set: digits of every style drawn by simulated hands, turned into 28x28
// inputs the way the app turns a drawing into one, and written as MNIST IDX files.

#include "Hand.h"

#include "data/DigitPreprocess.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace dl::drawn {

// How a drawing becomes the 28x28.
enum class InputPath {
  Canvas,        // the canvas today: its strokes through renderStrokes() (data/Strokes.h)
  OldCanvas,     // the canvas before strokes: its picture, pen 1/14 of its side, through preprocessDigit(Keep)
  RasterKeep,    // a picture of the drawing with the hand's pen through preprocessDigit(Keep)
  RasterToMnist  // a picture of the drawing through preprocessDigit(ToMnist), as predict does
};

struct DrawnDigit {
  int label = 0;
  QString style;
  Drawing drawing;
  DigitInput input;
};

// perClass digits of each class 0-9 (classes interleaved: 0, 1, ..., 9, 0, 1, ...), styles and
// hands drawn from `seed` and the part's ranges.
std::vector<DrawnDigit> makeDigits(Part part, uint64_t seed, int perClass, InputPath path);

// The 28x28 of one drawing along a path.
DigitInput inputOf(const Drawing& drawing, InputPath path);

// Writes the digits as a complete MNIST folder: t10k-{images-idx3,labels-idx1}-ubyte.gz, and the
// same digits as train-*.gz (so that `--data DIR` reads the folder; `evaluate` uses t10k).
// Gzip without a time stamp: the same digits give the same bytes. Throws std::runtime_error.
void writeMnistFolder(const std::vector<DrawnDigit>& digits, const QString& dir);

// A contact sheet: the 28x28 inputs (white on black) enlarged `zoom` times in rows of `columns`.
QImage contactSheet(const std::vector<DrawnDigit>& digits, int columns, int zoom);

// The fixed seeds of the stored parts.
constexpr uint64_t kTuneSeed = 20261202;
constexpr uint64_t kReportSeed = 91120262;
constexpr int kPerClass = 40;

}  // namespace dl::drawn
