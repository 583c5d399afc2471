// The digit style templates. Angles are in degrees with y down: 0 right, 90 bottom, 180 left,
// 270 top; increasing angles go clockwise on the screen.

#include "DigitStyles.h"

#include <cmath>
#include <numbers>

namespace dl::drawn {
namespace {

// Points of an elliptic arc from angle a0 to a1 (either direction), about one per 6 degrees.
QPolygonF arc(double cx, double cy, double rx, double ry, double a0, double a1) {
  const int n = std::max(2, static_cast<int>(std::abs(a1 - a0) / 6.0) + 1);
  QPolygonF p;
  for (int i = 0; i <= n; ++i) {
    const double a = (a0 + (a1 - a0) * i / n) * std::numbers::pi / 180.0;
    p << QPointF(cx + rx * std::cos(a), cy + ry * std::sin(a));
  }
  return p;
}

QPolygonF pts(std::initializer_list<QPointF> points) { return QPolygonF(QList<QPointF>(points)); }

// Joins polylines into one stroke (the pen stays down).
QPolygonF join(std::initializer_list<QPolygonF> parts) {
  QPolygonF out;
  for (const QPolygonF& p : parts) out << p;
  return out;
}

std::vector<DigitStyle> makeStyles() {
  std::vector<DigitStyle> s;
  auto add = [&s](int digit, const char* name, Part part, Strokes strokes) {
    s.push_back({digit, QString::fromUtf8(name), part, std::move(strokes)});
  };
  using P = QPointF;

  // 0: an oval from the top, anticlockwise, ending a little past the start; or clockwise.
  add(0, "0 oval", Part::Both, {arc(0.5, 0.5, 0.3, 0.5, 270, -105)});
  add(0, "0 from the top right", Part::Both, {arc(0.5, 0.5, 0.33, 0.5, 305, -70)});
  add(0, "0 narrow clockwise", Part::Report, {arc(0.5, 0.5, 0.22, 0.5, 250, 615)});

  // 1: a stem; a flag and a stem; flag, stem and base.
  add(1, "1 stem", Part::Both, {pts({P(0.52, 0), P(0.5, 1)})});
  add(1, "1 flag", Part::Both, {pts({P(0.3, 0.22), P(0.52, 0), P(0.52, 1)})});
  add(1, "1 flag and base", Part::Both, {pts({P(0.32, 0.2), P(0.52, 0), P(0.52, 1)}), pts({P(0.3, 1), P(0.74, 1)})});
  add(1, "1 short flag", Part::Report, {pts({P(0.4, 0.1), P(0.5, 0), P(0.49, 1)})});

  // 2: a round top, a diagonal and a flat base; with a loop at the bottom; a wavy base.
  add(2, "2 plain", Part::Both, {join({arc(0.5, 0.28, 0.28, 0.28, 195, 390), pts({P(0.2, 1), P(0.82, 1)})})});
  add(2, "2 loop", Part::Both,
      {join({arc(0.5, 0.28, 0.28, 0.28, 200, 390), pts({P(0.3, 0.9), P(0.22, 0.97), P(0.2, 0.9), P(0.28, 0.85),
                                                        P(0.36, 0.93), P(0.45, 0.99), P(0.82, 0.98)})})});
  add(2, "2 wavy base", Part::Report,
      {join({arc(0.48, 0.27, 0.3, 0.27, 185, 380), pts({P(0.18, 0.97), P(0.35, 0.9), P(0.55, 0.98), P(0.8, 0.94)})})});

  // 3: two bumps; a flat top and one bump.
  add(3, "3 two bumps", Part::Both,
      {join({arc(0.48, 0.26, 0.25, 0.24, 200, 450), arc(0.48, 0.74, 0.28, 0.26, 270, 515)})});
  add(3, "3 flat top", Part::Both,
      {join({pts({P(0.25, 0), P(0.76, 0), P(0.42, 0.38)}), arc(0.48, 0.68, 0.3, 0.32, 255, 515)})});

  // 4: open (the diagonal does not meet the stem), closed (it does), print style, one stroke.
  add(4, "4 open", Part::Both, {pts({P(0.45, 0), P(0.15, 0.64), P(0.86, 0.64)}), pts({P(0.66, 0.22), P(0.66, 1)})});
  add(4, "4 closed", Part::Both, {pts({P(0.66, 0), P(0.14, 0.66), P(0.86, 0.66)}), pts({P(0.66, 0), P(0.66, 1)})});
  add(4, "4 upright open", Part::Both,
      {pts({P(0.22, 0), P(0.2, 0.56), P(0.82, 0.56)}), pts({P(0.68, 0.05), P(0.68, 1)})});
  add(4, "4 one stroke", Part::Report, {pts({P(0.68, 1), P(0.66, 0), P(0.12, 0.64), P(0.88, 0.64)})});

  // 5: stem and belly, then the top bar; or all in one stroke from the top bar.
  add(5, "5 bar last", Part::Both,
      {join({pts({P(0.3, 0.02), P(0.27, 0.44)}), arc(0.47, 0.69, 0.29, 0.29, 235, 500)}),
       pts({P(0.3, 0.02), P(0.78, 0)})});
  add(5, "5 one stroke", Part::Both,
      {join({pts({P(0.8, 0), P(0.3, 0.02), P(0.26, 0.44)}), arc(0.47, 0.69, 0.3, 0.29, 235, 505)})});

  // 6: a curved stem into a loop; a straight stem.
  add(6, "6 curved", Part::Both,
      {join({arc(0.66, 0.62, 0.42, 0.62, 272, 180), arc(0.5, 0.74, 0.26, 0.25, 180, -150)})});
  add(6, "6 straight stem", Part::Both,
      {join({pts({P(0.68, 0), P(0.26, 0.68)}), arc(0.5, 0.76, 0.25, 0.23, 170, -155)})});

  // 7: bar and stem; with a crossbar; with a hook and a curved stem; crossbar and curved stem.
  add(7, "7 plain", Part::Both, {pts({P(0.2, 0.02), P(0.8, 0.02), P(0.42, 1)})});
  add(7, "7 crossbar", Part::Both, {pts({P(0.2, 0.02), P(0.8, 0.02), P(0.42, 1)}), pts({P(0.36, 0.5), P(0.78, 0.48)})});
  add(7, "7 hook", Part::Both,
      {pts({P(0.18, 0.14), P(0.2, 0.02), P(0.8, 0.02), P(0.64, 0.36), P(0.52, 0.68), P(0.47, 1)})});
  add(7, "7 crossbar curved", Part::Report,
      {pts({P(0.2, 0.02), P(0.82, 0.03), P(0.65, 0.35), P(0.55, 0.7), P(0.52, 1)}), pts({P(0.4, 0.5), P(0.8, 0.5)})});

  // 8: one stroke (S down, back up); two stacked loops.
  add(8, "8 one stroke", Part::Both,
      {join({arc(0.5, 0.26, 0.22, 0.24, 320, 130), arc(0.5, 0.73, 0.28, 0.26, 255, 600),
             arc(0.5, 0.26, 0.22, 0.24, 40, -40)})});
  add(8, "8 two loops", Part::Report, {arc(0.5, 0.25, 0.21, 0.24, 90, -275), arc(0.5, 0.73, 0.27, 0.26, 270, -95)});

  // 9: a loop and a straight stem; a curved stem; a clockwise loop.
  add(9, "9 straight", Part::Both, {join({arc(0.45, 0.28, 0.26, 0.26, 355, -10), pts({P(0.71, 0.3), P(0.69, 1)})})});
  add(9, "9 curved", Part::Both,
      {join({arc(0.45, 0.28, 0.26, 0.26, 355, -10),
             pts({P(0.71, 0.3), P(0.7, 0.72), P(0.62, 0.94), P(0.46, 1), P(0.32, 0.92)})})});
  add(9, "9 clockwise", Part::Report, {join({arc(0.47, 0.27, 0.25, 0.27, 15, 372), pts({P(0.72, 0.3), P(0.6, 1)})})});
  return s;
}

}  // namespace

const std::vector<DigitStyle>& digitStyles() {
  static const std::vector<DigitStyle> styles = makeStyles();
  return styles;
}

std::vector<const DigitStyle*> stylesOf(int digit, Part part) {
  std::vector<const DigitStyle*> out;
  for (const DigitStyle& s : digitStyles())
    if (s.digit == digit && (static_cast<int>(s.part) & static_cast<int>(part))) out.push_back(&s);
  return out;
}

}  // namespace dl::drawn
