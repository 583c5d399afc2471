// A scroll area whose page fills the viewport down to the page's minimum size.

#include "FittingScrollArea.h"

#include <QEvent>
#include <QScrollBar>

namespace dl {

FittingScrollArea::FittingScrollArea(QWidget* page, QWidget* parent) : QScrollArea(parent) {
  setFrameShape(QFrame::NoFrame);
  setWidgetResizable(false);
  setWidget(page);
  page->installEventFilter(this);  // its minimum size changes with its contents
  fit();
}

void FittingScrollArea::resizeEvent(QResizeEvent* event) {
  QScrollArea::resizeEvent(event);
  fit();
}

bool FittingScrollArea::eventFilter(QObject* watched, QEvent* event) {
  if (watched == widget() && event->type() == QEvent::LayoutRequest) fit();
  return QScrollArea::eventFilter(watched, event);
}

void FittingScrollArea::fit() {
  QWidget* page = widget();
  if (!page) return;
  const QSize minimum = page->minimumSizeHint().expandedTo(page->minimumSize());
  QSize size = maximumViewportSize().expandedTo(minimum);
  // A scroll bar in one direction takes room from the other.
  if (size.height() > maximumViewportSize().height()) size.rwidth() -= verticalScrollBar()->sizeHint().width();
  if (size.width() > maximumViewportSize().width()) size.rheight() -= horizontalScrollBar()->sizeHint().height();
  size = size.expandedTo(minimum);
  if (page->size() != size) page->resize(size);
}

}  // namespace dl
