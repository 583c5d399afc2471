#pragma once
// A digit as strokes (vectors, as the drawing canvas keeps them) and how to turn them into the
// MNIST-style 28x28 input with MNIST's stroke weight, whatever pen and size they were drawn with:
// the strokes' bounding box (of their points) is scaled so that, drawn with the MNIST pen
// (MnistStrokeWidth::kPen pixels of the 28x28 field: anti-aliased, round caps and joins), the ink
// fits the 20x20 box keeping its aspect ratio; it is drawn at 8 times that resolution with QPainter
// and area-averaged down, then placed by its centre of mass as data/DigitPreprocess.h does.
//
// The canvas (ui/DrawingCanvas), the CLI tools (tools/drawn_digits) and the tests all go through
// renderStrokes(), so they make exactly the same 28x28. paintStrokes() draws the strokes as a
// picture instead, with a given pen on white paper, as the canvas shows them.

#include "data/DigitPreprocess.h"
#include "data/StrokeWeight.h"

#include <QImage>
#include <QList>
#include <QPolygonF>

namespace dl {

// One stroke per polyline (pen down to pen up), in any coordinates (the canvas uses 0..1 of its
// side, y down). A stroke of one point is a dot. Empty strokes are ignored.
using Strokes = QList<QPolygonF>;

// The MNIST-style 28x28 input of the strokes, drawn with a pen `pen` pixels of the 28x28 field
// wide (default: MNIST's; clamped to 0.5..10). No strokes (or no points): empty input.
// Non-finite points are ignored; points so far apart that their distance overflows give an empty
// input too.
DigitInput renderStrokes(const Strokes& strokes, double pen = MnistStrokeWidth::kPen);

// The strokes drawn as a picture: dark ink on white paper, side x side pixels, the points scaled
// by `scale` (canvas units to pixels: the canvas's side for 0..1 units), with an anti-aliased,
// round-capped pen `penWidth` pixels wide. This is what the canvas shows.
QImage paintStrokes(const Strokes& strokes, int side, double scale, double penWidth);

// The bounding box of the strokes' finite points (null if there are none).
QRectF strokesBounds(const Strokes& strokes);

}  // namespace dl
