#pragma once
// A scroll area that gives its page the viewport's size, or the page's minimum size where that is
// larger (then it scrolls). QScrollArea's widgetResizable mode sizes a page whose layout has
// height-for-width (any word-wrapped label) at its *preferred* height for the width, so a page that
// would fit at its minimum scrolls instead (the confusion matrix's last rows, say). This one never
// makes a page taller than the viewport unless the page cannot be that short.

#include <QScrollArea>

namespace dl {

class FittingScrollArea : public QScrollArea {
  Q_OBJECT

 public:
  explicit FittingScrollArea(QWidget* page, QWidget* parent = nullptr);

 protected:
  void resizeEvent(QResizeEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void fit();
};

}  // namespace dl
