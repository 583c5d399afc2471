// A simulated hand: see Hand.h.

#include "Hand.h"

#include <QTransform>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace dl::drawn {

uint64_t Random::next() {
  uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double Random::uniform(double lo, double hi) { return lo + (hi - lo) * (next() >> 11) * 0x1.0p-53; }

int Random::below(int n) { return n <= 1 ? 0 : static_cast<int>(next() % static_cast<uint64_t>(n)); }

HandRanges tuneHands() { return HandRanges{}; }

HandRanges reportHands() {
  HandRanges r;
  r.slant = 0.45;
  r.rotation = 12;
  r.widthScale = 0.35;
  r.wobble = 0.025;
  r.overshoot = 0.08;
  r.strokeShift = 0.04;
  return r;
}

namespace {

double length(QPointF v) { return std::hypot(v.x(), v.y()); }

// The polyline's points every `step` along it (its first and last points kept), with the arc
// length of each.
QPolygonF resample(const QPolygonF& line, double step, std::vector<double>* at = nullptr) {
  QPolygonF out{line.first()};
  if (at) *at = {0.0};
  double carried = 0, walked = 0;
  for (qsizetype i = 1; i < line.size(); ++i) {
    const QPointF a = line[i - 1], b = line[i];
    const double seg = length(b - a);
    if (seg <= 0) continue;
    double t = step - carried;
    while (t <= seg) {
      out << a + (b - a) * (t / seg);
      if (at) at->push_back(walked + t);
      t += step;
    }
    carried = seg - (t - step);
    walked += seg;
  }
  if (out.last() != line.last()) {
    out << line.last();
    if (at) at->push_back(walked);
  }
  return out;
}

// The stroke's ends moved along its direction: extended by e (> 0) or cut by -e (< 0).
QPolygonF overshoot(QPolygonF line, double e0, double e1) {
  if (line.size() < 2) return line;
  auto extend = [](QPointF end, QPointF inner, double e) {
    const QPointF d = end - inner;
    const double len = length(d);
    if (len <= 1e-9) return end;
    return end + d * (std::max(e, -0.8 * len) / len);
  };
  line.first() = extend(line.first(), line[1], e0);
  line.last() = extend(line.last(), line[line.size() - 2], e1);
  return line;
}

// Sideways wander: each point moved along the stroke's normal by a smooth sum of two sines.
QPolygonF wobble(const QPolygonF& line, double amplitude, Random& random) {
  if (line.size() < 2 || amplitude <= 0) return line;
  std::vector<double> at;
  const QPolygonF dense = resample(line, 0.01, &at);
  const double f1 = random.uniform(0.4, 1.5), f2 = random.uniform(1.5, 4);
  const double p1 = random.uniform(0, 2 * std::numbers::pi), p2 = random.uniform(0, 2 * std::numbers::pi);
  const double w2 = random.uniform(0, 0.5);
  QPolygonF out;
  for (qsizetype i = 0; i < dense.size(); ++i) {
    const QPointF d = dense[std::min(i + 1, dense.size() - 1)] - dense[std::max<qsizetype>(i - 1, 0)];
    const double len = length(d);
    const QPointF normal = len > 0 ? QPointF(-d.y() / len, d.x() / len) : QPointF();
    const double t = at[size_t(i)] * 2 * std::numbers::pi;
    const double shift = amplitude * ((1 - w2) * std::sin(f1 * t + p1) + w2 * std::sin(f2 * t + p2));
    out << dense[i] + normal * shift;
  }
  return out;
}

}  // namespace

Drawing drawLikeAHand(const DigitStyle& style, const HandRanges& r, Random& random) {
  const double slant = random.uniform(-r.slant / 3, r.slant);
  const double rotation = random.uniform(-r.rotation, r.rotation);
  const double widthScale = 1 + random.uniform(-r.widthScale, r.widthScale);
  const double wander = random.uniform(0, r.wobble);
  QTransform shape;
  shape.translate(0.5, 0.5);
  shape.rotate(rotation);
  shape.shear(-slant, 0);  // x' = x - slant * y: y grows downwards, so the top leans right
  shape.scale(widthScale, 1);
  shape.translate(-0.5, -0.5);

  Strokes shaped;
  for (qsizetype k = 0; k < style.strokes.size(); ++k) {
    QPolygonF s = style.strokes[k];
    if (s.isEmpty()) continue;
    if (k > 0)
      s.translate(random.uniform(-r.strokeShift, r.strokeShift), random.uniform(-r.strokeShift, r.strokeShift));
    s = overshoot(s, random.uniform(-r.overshoot / 2, r.overshoot), random.uniform(-r.overshoot / 2, r.overshoot));
    s = wobble(s, wander, random);
    shaped << shape.map(s);
  }

  // On the canvas: a size, a place, then the mouse's sampling at whole pixels.
  Drawing d;
  const int sides[] = {200, 280, 400};
  d.canvasSide = sides[random.below(3)];
  d.penWidth = d.canvasSide / 14.0 * random.uniform(0.35, 1.6);
  const QRectF bounds = strokesBounds(shaped);
  d.digitHeight = random.uniform(0.22, 0.85);
  const double scale = d.digitHeight / std::max({bounds.height(), bounds.width() * 0.9, 1e-6});
  const double w = bounds.width() * scale, h = bounds.height() * scale;
  const double margin = 0.04;
  const double x0 = random.uniform(margin, std::max(margin, 1 - margin - w));
  const double y0 = random.uniform(margin, std::max(margin, 1 - margin - h));
  const double side = d.canvasSide;
  const double step = random.uniform(1.5, 8);  // pixels between mouse events
  for (const QPolygonF& s : shaped) {
    QPolygonF px;
    for (QPointF p : s)
      px << QPointF((x0 + (p.x() - bounds.left()) * scale) * side, (y0 + (p.y() - bounds.top()) * scale) * side);
    const QPolygonF sampled = px.size() > 1 ? resample(px, step) : px;
    QPolygonF mouse;
    for (QPointF p : sampled) {
      const QPointF q(std::clamp(std::round(p.x()), 0.0, side - 1), std::clamp(std::round(p.y()), 0.0, side - 1));
      if (mouse.isEmpty() || mouse.last() != q) mouse << q;
    }
    for (QPointF& p : mouse) p /= side;
    d.strokes << mouse;
  }
  return d;
}

}  // namespace dl::drawn
