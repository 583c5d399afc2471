#pragma once
// How heavy the strokes of a digit are, and how to make them as heavy as MNIST's.
//
// The measure (used by the tests, the docs and the raster path's normalisation): the mean stroke
// width in pixels,
//
//     strokeWidth = (sum of the ink levels) / (length of the ink's skeleton)
//
// where the skeleton is the Zhang-Suen thinning of the pixels whose level is at least half the
// strongest, and its length counts each 4-neighbour link between skeleton pixels as 1 and each
// diagonal link (one not already joined through a 4-neighbour) as sqrt(2). A line of width w and
// length L has ink w * L and a skeleton about L long, so the measure is about w, whatever the
// line's direction. Measured on the 28x28 inputs of the embedded MNIST digits (10,000 real
// digits; see docs/preprocessing.md and tests/core/test_Strokes.cpp) it has the percentiles
// below.
//
// Planes are row-major float levels in [0, 1], 1 = ink.

#include <vector>

namespace dl {

// MNIST's distribution of strokeWidth() on the 28x28 inputs (embedded digits, train and test),
// and the pen (its width in pixels of the 28x28 field) that draws strokes of MNIST's median
// weight: data/Strokes.h draws with it, and preprocessDigit() normalises pictures to it.
struct MnistStrokeWidth {
  static constexpr double kPen = 2.35;
  static constexpr double kP10 = 1.73;
  static constexpr double kMedian = 2.47;
  static constexpr double kP90 = 3.83;
};

// The ink (sum of the levels) and the skeleton length of a plane (see above).
struct StrokeMeasure {
  double ink = 0;
  double length = 0;
  double width() const { return length > 0 ? ink / length : 0; }
};
StrokeMeasure measureStrokes(const float* plane, int width, int height);

// The mean stroke width of a plane (see above); 0 for a plane without ink.
double strokeWidth(const float* plane, int width, int height);

// The skeleton of a binary plane (non-zero = ink) by Zhang-Suen thinning: 1 on the skeleton.
std::vector<unsigned char> skeleton(const std::vector<unsigned char>& mask, int width, int height);

// The length of a skeleton (see above).
double skeletonLength(const std::vector<unsigned char>& skel, int width, int height);

// Signed Euclidean distance of each pixel centre to the edge of the mask's ink: positive inside
// the ink (d - 0.5 where d is the distance to the nearest background pixel centre), negative
// outside (0.5 - the distance to the nearest ink pixel centre). Exact (Felzenszwalb-Huttenlocher).
std::vector<float> signedDistance(const std::vector<unsigned char>& mask, int width, int height);

// Makes the strokes of a plane `delta` pixels wider (delta > 0: a dilation by delta / 2 on each
// side) or narrower (delta < 0: an erosion), in place, with anti-aliased edges: the ink is
// thresholded at half the strongest level, and each pixel becomes clamp(signed distance +
// delta / 2 + 0.5, 0, 1). Leave room around the ink for a dilation: ink never grows off the plane.
void changeStrokeWidth(std::vector<float>& plane, int width, int height, double delta);

}  // namespace dl
