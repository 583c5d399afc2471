#pragma once
// What a newcomer is told: a short hint bar for the top of the window (the three steps, "More…"
// and "Got it", which hides it for good: settings key hints/gettingStarted) and the fuller steps
// of Help > Getting started.

#include <QFrame>

namespace dl {

class GettingStartedHint : public QFrame {
  Q_OBJECT

 public:
  explicit GettingStartedHint(QWidget* parent = nullptr);
  // Whether the hint was dismissed for good.
  static bool dismissed();

  // Help > Getting started: a non-modal box ("gettingStartedBox") with the steps.
  static void showSteps(QWidget* parent);

 signals:
  void moreRequested();
};

}  // namespace dl
