// A decade-spanning spin box: 'g' formatting and 1-2-5 steps.

#include "ScientificSpinBox.h"

#include <QFontMetrics>

#include <algorithm>
#include <cmath>

namespace dl {

ScientificSpinBox::ScientificSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
  setDecimals(12);  // never rounds what is typed; textFromValue decides what is shown
  // Learning rates: the range model files and `train --lr` accept, so that opening a file never
  // changes its rate (anything far outside 1e-6..1 trains badly, and the user sees it at once).
  setRange(1e-12, 1e6);
  setKeyboardTracking(false);
  setCorrectionMode(QAbstractSpinBox::CorrectToNearestValue);
}

QString ScientificSpinBox::textFromValue(double value) const { return QString::number(value, 'g', 6); }

double ScientificSpinBox::valueFromText(const QString& text) const { return text.trimmed().toDouble(); }

QValidator::State ScientificSpinBox::validate(QString& text, int&) const {
  const QString t = text.trimmed();
  if (t.isEmpty()) return QValidator::Intermediate;
  bool ok = false;
  const double v = t.toDouble(&ok);
  if (ok) return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
  // Something that can still become a number: "1e", "1e-", "0.", "-".
  static const QString partial = QStringLiteral("0123456789.eE+-");
  for (QChar c : t)
    if (!partial.contains(c)) return QValidator::Invalid;
  return QValidator::Intermediate;
}

double ScientificSpinBox::nextStep(double value, bool up) {
  if (!(value > 0)) return 1e-7;  // stepBy clamps to the range
  const double decade = std::pow(10.0, std::floor(std::log10(value)));
  const double m = value / decade;  // in [1, 10)
  static const double kSteps[] = {1, 2, 5, 10};
  const double eps = 1e-9;
  if (up) {
    for (double s : kSteps)
      if (s > m + eps) return s * decade;
    return 20 * decade;
  }
  for (int i = 3; i >= 0; --i)
    if (kSteps[i] < m - eps) return kSteps[i] * decade;
  return 0.5 * decade;
}

void ScientificSpinBox::stepBy(int steps) {
  double v = value();
  for (int i = 0; i < std::abs(steps); ++i) v = nextStep(v, steps > 0);
  setValue(std::clamp(v, minimum(), maximum()));
  selectAll();
}

QSize ScientificSpinBox::sizeHint() const {
  QSize s = QDoubleSpinBox::sizeHint();  // sized for 12 decimals: far too wide
  s.setWidth(fontMetrics().horizontalAdvance(QStringLiteral("0.000001")) + 48);
  return s;
}

}  // namespace dl
