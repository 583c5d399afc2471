#pragma once
// A spin box for values that span decades, such as learning rates: shows 0.2, 1e-04, 1e+06
// ('g' format, no trailing zeros) and steps along 1-2-5 (0.001, 0.002, 0.005, 0.01, ...).

#include <QDoubleSpinBox>

namespace dl {

class ScientificSpinBox : public QDoubleSpinBox {
  Q_OBJECT

 public:
  explicit ScientificSpinBox(QWidget* parent = nullptr);

  QString textFromValue(double value) const override;
  double valueFromText(const QString& text) const override;
  QValidator::State validate(QString& text, int& pos) const override;
  void stepBy(int steps) override;
  QSize sizeHint() const override;

  // The next value of the 1-2-5 sequence above (up) or below (down) `value`.
  static double nextStep(double value, bool up);
};

}  // namespace dl
