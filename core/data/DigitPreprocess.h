#pragma once
// Turns a drawn or loaded picture of one digit into the 28x28 input a network trained on MNIST
// expects, the way MNIST itself was made (LeCun et al.): crop to the ink's bounding box, scale it
// with area averaging (anti-aliased grey levels) to fit a 20x20 box keeping its aspect ratio, and
// place it in a 28x28 field so that the ink's centre of mass lies at the field's centre.
//
// Pure function of its input (QtGui's QImage only; no QGuiApplication needed).
//
// Coordinates: pixel (x, y) covers [x, x+1) x [y, y+1), so its centre is (x + 0.5, y + 0.5) and the
// centre of the 28x28 field is (14, 14). The centre of mass is the ink-weighted mean of the pixel
// centres. The placement shift is a whole number of pixels (no resampling blur), so the centre of
// mass of the result lies within 0.5 px of (14, 14) on each axis, unless ink had to be clipped:
// like MNIST, pixels shifted outside the field are dropped (possible only for very lopsided ink).

#include <QImage>
#include <QTransform>

#include <array>

namespace dl {

// Which way round the picture is.
enum class InkPolarity {
  Auto,         // decide from the border: a light border means dark ink on light paper
  DarkOnLight,  // black ink on white paper (the drawing canvas)
  LightOnDark,  // white ink on black (MNIST's own convention)
};

struct DigitInput {
  static constexpr int kSide = 28;  // the field
  static constexpr int kBox = 20;   // the ink's bounding box is scaled to fit this square
  static constexpr int kPixels = kSide * kSide;

  // Row-major 28x28 grey levels in [0, 1], 1 = ink: exactly what goes into the network.
  std::array<float, kPixels> pixels{};
  // The same 28x28 as Format_Grayscale8, white ink on black (value * 255), for display.
  QImage image;
  // True when the picture has no ink at all: pixels are all zero and image is black.
  bool empty = true;
  // Where the source lies in the 28x28 field: maps a point of the source (a picture's pixel
  // coordinates for preprocessDigit, the plane's for digitFromInk, canvas units for
  // renderStrokes in data/Strokes.h) to field coordinates (pixel (x, y) covers [x, x+1)), so that
  // what is computed on the field (a saliency map) can be laid back over the drawing with its
  // inverse. Identity when empty.
  QTransform sourceToInput;
};

// Whether preprocessDigit() makes the strokes as heavy as MNIST's.
enum class StrokeNormalisation {
  Keep,     // the ink as drawn, only scaled (a heavy pen in a small drawing stays a heavy stroke)
  ToMnist,  // the strokes' width changed to MNIST's pen (MnistStrokeWidth::kPen in 28x28 pixels)
};

// The MNIST-style 28x28 input of a picture of any size and format. Transparent pixels count as
// background. A uniform background tint (scanned paper, a grey photo) is removed by taking the
// border's median level as "no ink", and the strongest ink is stretched to 1.
//
// With StrokeNormalisation::ToMnist (for digits; not for pictures of things, like Fashion-MNIST's)
// the ink is first scaled so its longer side is 80 pixels (4 per pixel of the 20x20 box), its
// mean stroke width is measured there (data/StrokeWeight.h: ink / skeleton length), and the
// strokes are eroded or dilated (anti-aliased, by a Euclidean distance transform) to the width
// that becomes MnistStrokeWidth::kPen once the changed ink is fitted into the 20x20 box. Ink
// with no strokes to speak of (a filled blob whose width is most of its extent) or whose
// skeleton the erosion would mostly eat away (a filled shape) gives exactly what Keep gives.
DigitInput preprocessDigit(const QImage& picture, InkPolarity polarity = InkPolarity::Auto,
                           StrokeNormalisation strokes = StrokeNormalisation::ToMnist);

// The same fit for ink that is already a plane (width x height, row-major, levels in [0, 1] with
// 1 = ink; anything else is clamped, NaN counts as 0): bounding box of the non-zero levels, 20x20
// fit, strongest level stretched to 1, centre of mass at the field's centre. No stroke change.
DigitInput digitFromInk(const float* ink, int width, int height);

// A 28x28 (or any rows x cols) grey image in [0, 1] (1 = ink) as Format_Grayscale8 with white ink
// on black, for display; values outside [0, 1] are clamped.
QImage digitImage(const float* pixels, int rows = DigitInput::kSide, int cols = DigitInput::kSide);

}  // namespace dl
