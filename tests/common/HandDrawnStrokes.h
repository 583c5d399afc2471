#pragma once
// Two hand-drawn digits as the canvas keeps them: one polyline per stroke, points in units of a
// unit square (x right, y down), as a mouse gives them (uneven spacing, a little wobble). Used by
// the stroke tests (core: data/Strokes.h, ui: DrawingCanvas) to draw the same digit small, large,
// with a thin and a heavy pen.

#include <QList>
#include <QPolygonF>

namespace dl::test {

// A "4": a diagonal and the bar in one stroke, then the stem.
inline QList<QPolygonF> handDrawnFour() {
  return {
      QPolygonF({{0.56, 0.05},
                 {0.5, 0.14},
                 {0.43, 0.25},
                 {0.36, 0.36},
                 {0.29, 0.47},
                 {0.23, 0.57},
                 {0.2, 0.63},
                 {0.3, 0.635},
                 {0.45, 0.63},
                 {0.6, 0.625},
                 {0.74, 0.62},
                 {0.82, 0.615}}),
      QPolygonF({{0.64, 0.3}, {0.645, 0.42}, {0.64, 0.55}, {0.635, 0.68}, {0.63, 0.8}, {0.63, 0.9}, {0.625, 0.97}}),
  };
}

// An "8" in one stroke: over the top to the left, down through the middle, round the bottom loop
// and back up to where it started.
inline QList<QPolygonF> handDrawnEight() {
  return {QPolygonF({{0.66, 0.12}, {0.6, 0.05},  {0.5, 0.03},  {0.39, 0.06}, {0.33, 0.14}, {0.35, 0.24},
                     {0.43, 0.33}, {0.55, 0.41}, {0.65, 0.5},  {0.7, 0.61},  {0.69, 0.73}, {0.62, 0.84},
                     {0.5, 0.89},  {0.38, 0.86}, {0.3, 0.77},  {0.3, 0.65},  {0.37, 0.54}, {0.48, 0.45},
                     {0.58, 0.37}, {0.65, 0.28}, {0.67, 0.19}, {0.65, 0.11}})};
}

// The strokes moved and scaled onto a canvas: a digit `size` (fraction of the side) tall with
// its top-left corner at `at` (canvas units).
inline QList<QPolygonF> placed(const QList<QPolygonF>& strokes, double size, QPointF at) {
  QList<QPolygonF> out;
  for (const QPolygonF& s : strokes) {
    QPolygonF p;
    for (QPointF q : s) p << at + q * size;
    out << p;
  }
  return out;
}

}  // namespace dl::test
