#pragma once
// Pictures of what nn/Inspection.h computes, drawn the same way in the window and by
// `digitlab inspect`: feature maps as a grid of small heat maps, a dense output as a strip,
// Conv2D kernels and first-layer Dense templates as grids, saliency as an overlay on the input.
//
// Colours: activations use a sequential map (black -> yellow, as CNN Explainer's), scaled per
// picture to [min, max] of what it shows (a picture of all zeros is black); weights and signed
// saliency use a diverging map (blue < 0, white = 0, red > 0) scaled by the largest |value|.
// Every picture is a QImage::Format_RGB32 (or ARGB32 for overlays), one cell pixel per value
// times `scale`, cells separated by `gap` background pixels.

#include "nn/Inspection.h"
#include "nn/Layer.h"

#include <QColor>
#include <QImage>
#include <QRect>

#include <vector>

namespace dl {

struct GridLayout {
  int cells = 0;      // how many cells are drawn
  int columns = 0;    // cells per row
  int cellWidth = 0;  // pixels of one cell (values x scale)
  int cellHeight = 0;
  int gap = 0;
  // Where cell i lies in the picture.
  QRect cellRect(int i) const;
};

// Columns of an about square grid of `cells` cells (ceil of the square root, at least 1).
int squareColumns(int cells);

// The sequential and diverging colour maps (t in [0, 1]; v in [-1, 1]).
QRgb sequentialColor(float t);
QRgb divergingColor(float v);

// A layer's output as a picture: a (h, w, c) output as c heat maps of h x w in a grid of `columns`
// (0: about square); a (n) output as a strip of n cells (wrapped at `columns` when not 0).
// `layout`, when not null, receives where each cell (channel or unit) is, for hover and clicks.
QImage activationImage(const LayerOutput& output, int scale = 4, int columns = 0, int gap = 2,
                       GridLayout* layout = nullptr);

// A layer's weights as a picture, or a null QImage for a layer without a picture of its weights:
//  - Conv2D: one kh x kw cell per (input channel, filter); rows are input channels, columns the
//    filters; at most maxCells cells (filters first). When one input channel is shown, the filters
//    fill an about square grid instead (cell i: filter i).
//  - Dense whose input is an image of inputShape (the first Dense of an MLP, after Flatten or on a
//    (784) input of a 28x28 model): one 28 x 28 template per unit (its kernel column), the first
//    maxCells units.
QImage weightsImage(const Layer& layer, const Shape& inputShape, int scale = 4, int maxCells = 64, int gap = 2,
                    GridLayout* layout = nullptr);

// The input image (height x width values in [0, 1], shown grey) scaled up by `scale` with the
// saliency map drawn over it: diverging colours for signed maps, a heat map for Grad-CAM, with the
// given opacity (0..1) at the strongest values and transparent at 0.
QImage saliencyOverlay(const float* input, const SaliencyMap& map, int scale = 8, double opacity = 0.6);
// Drawn as: the input's ink faded to grey (1 -> #8c8c8c) on white; signed maps in the diverging
// map's end colours (red > 0, blue < 0) with strength sqrt(|v| / max |v|) (the maps are spiky);
// Grad-CAM with strength v / max, coloured along the sequential ramp read backwards from pale
// yellow (weak) to red-brown (strongest), which reads on white paper. Colour = mix(underneath,
// tint, opacity x strength).
//
// The map alone, same colours, transparent where 0: what the drawing canvas lays over its strokes.
QImage saliencyLayer(const SaliencyMap& map, double opacity = 0.6);

}  // namespace dl
