#pragma once
// A simulated hand drawing a digit style on the canvas: slant, width and height, rotation, wobble,
// stroke ends that overshoot or stop short, strokes placed a little off, the digit's size and
// place on the canvas, the mouse's sampling (a point every few pixels, at whole pixels), and the
// pen the canvas would paint with. Deterministic from the random generator it is given.

#include "DigitStyles.h"

#include <cstdint>

namespace dl::drawn {

// A small, portable random generator (SplitMix64): the same numbers on every platform and
// standard library, so the stored check set can be regenerated anywhere.
class Random {
 public:
  explicit Random(uint64_t seed) : m_state(seed) {}
  uint64_t next();
  double uniform(double lo, double hi);  // [lo, hi)
  int below(int n);                      // 0..n-1

 private:
  uint64_t m_state;
};

// How varied the hands are.
struct HandRanges {
  double slant = 0.35;      // shear of the top against the bottom, from -slant/3 to slant
  double rotation = 8;      // degrees either way
  double widthScale = 0.3;  // width times 1 +- this
  double wobble = 0.018;    // largest sideways wander of a stroke, in digit heights
  double overshoot = 0.06;  // stroke ends extended by up to this (or cut by half of it)
  double strokeShift = 0.03;
};

// The ranges of the "tune" and "report" parts: the report's hands are more varied.
HandRanges tuneHands();
HandRanges reportHands();

// One digit as drawn on the canvas.
struct Drawing {
  Strokes strokes;         // in canvas units (0..1 of the side), at whole pixels, as the canvas keeps them
  int canvasSide = 280;    // pixels
  double penWidth = 20;    // pixels: what a raster of the drawing is painted with
  double digitHeight = 0;  // fraction of the canvas side
};

Drawing drawLikeAHand(const DigitStyle& style, const HandRanges& ranges, Random& random);

}  // namespace dl::drawn
