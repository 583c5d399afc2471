// ConfusionMatrixView: the heat-map's layout, painting and tooltips (see ConfusionMatrixView.h).

#include "ConfusionMatrixView.h"

#include <QEvent>
#include <QFontMetrics>
#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace dl {

namespace {

constexpr int kClasses = ConfusionMatrix::kClasses;
const QColor kBlue(31, 119, 180);
const QColor kRed(214, 39, 40);
const QColor kInk(40, 40, 40);
const QColor kMutedInk(150, 150, 150);

QColor mix(const QColor& a, const QColor& b, double t) {
  t = std::clamp(t, 0.0, 1.0);
  return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                          float(a.greenF() + (b.greenF() - a.greenF()) * t),
                          float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

bool isDark(const QColor& c) { return 0.299 * c.redF() + 0.587 * c.greenF() + 0.114 * c.blueF() < 0.55; }

QString percent(double fraction, int decimals = 1) {
  if (!std::isfinite(fraction)) return QStringLiteral("—");
  return QString::number(100.0 * fraction, 'f', decimals) + QStringLiteral("%");
}

// Draws `text` centred in `r`, squeezed horizontally if it is wider than `r` (a 4-digit count in
// a small cell stays whole and at a readable height rather than being cut).
void drawFitted(QPainter& p, const QRectF& r, const QString& text) {
  const double w = p.fontMetrics().horizontalAdvance(text);
  if (w <= r.width() - 2 || w <= 0) {
    p.drawText(r, Qt::AlignCenter, text);
    return;
  }
  const double sx = (r.width() - 2) / w;
  p.save();
  p.translate(r.center().x(), r.top());
  p.scale(sx, 1);
  p.drawText(QRectF(-w / 2 - 1, 0, w + 2, r.height()), Qt::AlignCenter, text);
  p.restore();
}

}  // namespace

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setMouseTracking(true);  // the pointing hand over cells
  setMinimumSize(300, 280);
}

void ConfusionMatrixView::setData(const ConfusionMatrix& cm, const QStringList& names) {
  m_cm = cm;
  m_names = names;
  update();
}

void ConfusionMatrixView::setSelectedCell(int t, int q) {
  const bool valid = t >= 0 && t < kClasses && q >= 0 && q < kClasses;
  m_selectedTrue = valid ? t : -1;
  m_selectedPredicted = valid ? q : -1;
  update();
}

bool ConfusionMatrixView::cellAt(const QPointF& pos, int* t, int* q) const {
  if (m_cm.empty()) return false;
  const Layout l = layoutFor(font());
  const int column = int(std::floor((pos.x() - l.grid.left()) / l.cell));
  const int row = int(std::floor((pos.y() - l.grid.top()) / l.cell));
  if (row < 0 || row >= kClasses || column < 0 || column >= kClasses) return false;
  *t = row;
  *q = column;
  return true;
}

void ConfusionMatrixView::mousePressEvent(QMouseEvent* e) {
  int t = 0, q = 0;
  m_pressedCell = e->button() == Qt::LeftButton && cellAt(e->position(), &t, &q) ? t * kClasses + q : -1;
  QWidget::mousePressEvent(e);
}

void ConfusionMatrixView::mouseReleaseEvent(QMouseEvent* e) {
  int t = 0, q = 0;
  const int pressed = m_pressedCell;
  m_pressedCell = -1;
  if (e->button() == Qt::LeftButton && cellAt(e->position(), &t, &q) && t * kClasses + q == pressed)
    emit cellClicked(t, q);
  QWidget::mouseReleaseEvent(e);
}

void ConfusionMatrixView::mouseMoveEvent(QMouseEvent* e) {
  int t = 0, q = 0;
  setCursor(cellAt(e->position(), &t, &q) ? Qt::PointingHandCursor : Qt::ArrowCursor);
  QWidget::mouseMoveEvent(e);
}

void ConfusionMatrixView::setEmptyText(const QString& text) {
  m_emptyText = text;
  update();
}

QRect ConfusionMatrixView::cellRect(int t, int q) const {
  if (m_cm.empty()) return {};
  const Layout l = layoutFor(font());
  return QRectF(l.grid.left() + q * l.cell, l.grid.top() + t * l.cell, l.cell, l.cell).toRect();
}

QFont ConfusionMatrixView::countFont() const { return countFontFor(layoutFor(font()).cell); }

ConfusionMatrixView::Layout ConfusionMatrixView::layoutFor(const QFont& font) const {
  const QFontMetrics fm(font);
  const int pad = 6;
  Layout l;
  l.lineHeight = fm.height();
  // The row names only: "precision" is written under its row, so short names (digits) leave the
  // width to the cells.
  int nameWidth = fm.horizontalAdvance(QStringLiteral("0"));
  for (const QString& n : m_names) nameWidth = std::max(nameWidth, fm.horizontalAdvance(n));
  const int recallWidth =
      std::max(fm.horizontalAdvance(tr("recall")), fm.horizontalAdvance(QStringLiteral("100.0%"))) + pad;
  const double left = l.lineHeight + pad + nameWidth + pad;
  const double right = recallWidth + pad;
  const double bottom = 2 * l.lineHeight + pad;  // the precision row and its name
  double top = l.lineHeight + pad + l.lineHeight + 2;
  auto cellFor = [&](double topMargin) {
    return std::floor(std::min((width() - left - right) / kClasses, (height() - topMargin - bottom) / kClasses));
  };
  l.cell = cellFor(top);
  int widest = 0;
  for (const QString& n : m_names) widest = std::max(widest, fm.horizontalAdvance(n));
  if (widest > l.cell - 4) {  // long class names (Fashion-MNIST): write them upwards
    l.verticalColumnLabels = true;
    top = l.lineHeight + pad + widest + pad;
    l.cell = cellFor(top);
  }
  l.cell = std::max(l.cell, 8.0);
  const double gridWidth = l.cell * kClasses;
  const double spare = std::max(0.0, width() - left - right - gridWidth);
  l.grid = QRectF(left + spare / 2, top, gridWidth, l.cell * kClasses);
  return l;
}

QFont ConfusionMatrixView::countFontFor(double cell) const {
  // About a third of the cell high, down to kMinPointSize while the widest count does not fit
  // (below that, drawFitted() squeezes it).
  QFont f = font();
  const double pointsPerPixel = 72.0 / std::max(1, logicalDpiY());
  double points = std::max(kMinPointSize, cell * 0.36 * pointsPerPixel);
  f.setPointSizeF(points);
  const QString widest = QString::number(std::max(1, m_cm.maxCount()));
  while (points > kMinPointSize && QFontMetrics(f).horizontalAdvance(widest) > cell - 4) {
    points = std::max(kMinPointSize, points - 0.5);
    f.setPointSizeF(points);
  }
  return f;
}

void ConfusionMatrixView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), Qt::white);
  p.setRenderHint(QPainter::Antialiasing, false);
  p.setRenderHint(QPainter::TextAntialiasing, true);
  if (m_cm.empty()) {
    p.setPen(kMutedInk);
    p.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
    return;
  }
  const QFont baseFont = font();
  const Layout l = layoutFor(baseFont);
  const QRectF& g = l.grid;
  const double c = l.cell;

  // Colour scale for errors: the largest share of a row that went to one wrong class.
  double maxErrorShare = 0;
  for (int t = 0; t < kClasses; ++t) {
    const int rowTotal = m_cm.rowTotal(t);
    for (int q = 0; q < kClasses; ++q)
      if (q != t && rowTotal > 0) maxErrorShare = std::max(maxErrorShare, double(m_cm.count(t, q)) / rowTotal);
  }

  const QFont countFont = countFontFor(c);

  for (int t = 0; t < kClasses; ++t) {
    const int rowTotal = m_cm.rowTotal(t);
    for (int q = 0; q < kClasses; ++q) {
      const int n = m_cm.count(t, q);
      const QRectF cellRect(g.left() + q * c, g.top() + t * c, c, c);
      QColor fill(246, 246, 246);
      if (n > 0 && rowTotal > 0) {
        const double share = double(n) / rowTotal;
        if (t == q)
          fill = mix(Qt::white, kBlue, 0.15 + 0.85 * share);
        else
          fill = mix(Qt::white, kRed, 0.12 + 0.88 * std::sqrt(share / std::max(maxErrorShare, 1e-12)));
      }
      p.fillRect(cellRect, fill);
      p.setPen(QPen(Qt::white, 1));
      p.drawRect(cellRect);
      p.setFont(countFont);
      p.setPen(n == 0 ? QColor(200, 200, 200) : isDark(fill) ? Qt::white : kInk);
      drawFitted(p, cellRect, QString::number(n));
    }
  }

  if (m_selectedTrue >= 0) {  // the cell whose digits are listed
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(QPen(kInk, 3));
    p.setBrush(Qt::NoBrush);
    p.drawRect(
        QRectF(g.left() + m_selectedPredicted * c, g.top() + m_selectedTrue * c, c, c).adjusted(1.5, 1.5, -1.5, -1.5));
    p.setRenderHint(QPainter::Antialiasing, false);
  }

  QFont labelFont = baseFont;
  p.setFont(labelFont);
  const QFontMetrics fm(labelFont);
  const int pad = 6;
  // Row labels (true class) and recall per row.
  for (int t = 0; t < kClasses; ++t) {
    const QRectF row(0, g.top() + t * c, g.left() - pad, c);
    p.setPen(kInk);
    p.drawText(row, Qt::AlignRight | Qt::AlignVCenter, m_names.value(t));
    const QRectF recall(g.right() + pad, g.top() + t * c, width() - g.right() - pad, c);
    p.setPen(kBlue.darker(130));
    p.drawText(recall, Qt::AlignLeft | Qt::AlignVCenter, percent(m_cm.recall(t)));
  }
  // Column labels (predicted class), upright or written upwards.
  p.setPen(kInk);
  const double labelBottom = g.top() - 2;
  for (int q = 0; q < kClasses; ++q) {
    const QString name = m_names.value(q);
    if (!l.verticalColumnLabels) {
      p.drawText(QRectF(g.left() + q * c, labelBottom - l.lineHeight, c, l.lineHeight), Qt::AlignCenter, name);
    } else {
      p.save();
      p.translate(g.left() + q * c + c / 2 + fm.ascent() / 2.0 - 1, labelBottom - 2);
      p.rotate(-90);
      p.drawText(QPointF(0, 0), name);
      p.restore();
    }
  }
  p.setPen(kBlue.darker(130));
  p.drawText(QRectF(g.right() + pad, labelBottom - l.lineHeight, width() - g.right() - pad, l.lineHeight),
             Qt::AlignLeft | Qt::AlignVCenter, tr("recall"));
  // Precision per column (its name under the row), overall accuracy in the corner. The figures
  // keep a readable size: with narrow cells they lose the decimal, then the "%" (the name then
  // says "precision %").
  p.setPen(kMutedInk);
  QFont smallFont = labelFont;
  smallFont.setPointSizeF(std::max(kMinPointSize, labelFont.pointSizeF() * 0.9));
  p.setFont(smallFont);
  const QFontMetrics sfm(smallFont);
  int decimals = 1;
  bool percentSign = true;
  if (sfm.horizontalAdvance(QStringLiteral("100.0%")) > c - 2) decimals = 0;
  if (decimals == 0 && sfm.horizontalAdvance(QStringLiteral("100%")) > c - 2) percentSign = false;
  for (int q = 0; q < kClasses; ++q) {
    QString text = percent(m_cm.precision(q), decimals);
    if (!percentSign) text.chop(1);
    drawFitted(p, QRectF(g.left() + q * c, g.bottom() + 2, c, l.lineHeight + 2), text);
  }
  p.setFont(labelFont);
  p.drawText(QRectF(g.left(), g.bottom() + 2 + l.lineHeight + 2, g.width(), l.lineHeight), Qt::AlignCenter,
             percentSign ? tr("precision") : tr("precision %"));
  QFont boldFont = labelFont;
  boldFont.setBold(true);
  p.setFont(boldFont);
  p.setPen(kInk);
  p.drawText(QRectF(g.right() + pad, g.bottom() + 2, width() - g.right() - pad, l.lineHeight + 2),
             Qt::AlignLeft | Qt::AlignVCenter, percent(m_cm.accuracy()));

  // Axis titles.
  p.setFont(boldFont);
  const double titleTop = l.verticalColumnLabels ? 0 : labelBottom - 2 * l.lineHeight - 2;
  p.drawText(QRectF(g.left(), std::max(0.0, titleTop), g.width(), l.lineHeight), Qt::AlignCenter,
             tr("predicted class"));
  p.save();
  p.translate(fm.ascent(), g.center().y());
  p.rotate(-90);
  p.drawText(QRectF(-g.height() / 2, -fm.ascent(), g.height(), l.lineHeight), Qt::AlignCenter, tr("true class"));
  p.restore();
}

QString ConfusionMatrixView::toolTipAt(const QPointF& pos) const {
  if (m_cm.empty()) return {};
  const Layout l = layoutFor(font());
  const QRectF& g = l.grid;
  const int q = int(std::floor((pos.x() - g.left()) / l.cell));
  const int t = int(std::floor((pos.y() - g.top()) / l.cell));
  const QLocale locale;
  const bool inRows = t >= 0 && t < kClasses;
  const bool inColumns = q >= 0 && q < kClasses;
  if (inRows && inColumns) {
    const int n = m_cm.count(t, q);
    const int rowTotal = m_cm.rowTotal(t);
    const QString share = rowTotal > 0 ? percent(double(n) / rowTotal) : QStringLiteral("—");
    if (t == q)
      return tr("True %1, predicted %1: %2 of %3 (%4)")
          .arg(m_names.value(t), locale.toString(n), locale.toString(rowTotal), share);
    return tr("True %1, predicted %2: %3 of the %4 true %1 (%5)")
        .arg(m_names.value(t), m_names.value(q), locale.toString(n), locale.toString(rowTotal), share);
  }
  if (inRows && pos.x() > g.right())
    return tr("Recall of %1: %2 of %3 true %1 predicted as %1")
        .arg(m_names.value(t), locale.toString(m_cm.count(t, t)), locale.toString(m_cm.rowTotal(t)));
  if (inColumns && pos.y() > g.bottom())
    return tr("Precision of %1: %2 of %3 predictions of %1 were right")
        .arg(m_names.value(q), locale.toString(m_cm.count(q, q)), locale.toString(m_cm.columnTotal(q)));
  if (pos.x() > g.right() && pos.y() > g.bottom())
    return tr("Accuracy: %1 of %2 right").arg(locale.toString(m_cm.correct()), locale.toString(m_cm.total()));
  return {};
}

bool ConfusionMatrixView::event(QEvent* e) {
  if (e->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(e);
    const QString text = toolTipAt(help->pos());
    if (text.isEmpty()) {
      QToolTip::hideText();
      e->ignore();
    } else {
      QToolTip::showText(help->globalPos(), text, this);
    }
    return true;
  }
  return QWidget::event(e);
}

}  // namespace dl
