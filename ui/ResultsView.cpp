// ResultsView: end-of-training figures, confusion-matrix heat-map and misclassified-digit gallery
// (see ResultsView.h). The two painted parts are private helper widgets of this file.

#include "ResultsView.h"

#include <QEvent>
#include <QFontMetrics>
#include <QGridLayout>
#include <QHelpEvent>
#include <QImage>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

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

// Keras's progress-bar format: 4 decimals, or scientific for tiny values.
QString formatLoss(double v) {
  if (!std::isfinite(v)) return QStringLiteral("—");
  return std::abs(v) > 1e-3 || v == 0 ? QString::number(v, 'f', 4) : QString::number(v, 'e', 4);
}

QString formatAccuracy(double v) {
  if (!std::isfinite(v)) return QStringLiteral("—");
  return QStringLiteral("%1 (%2)").arg(QString::number(v, 'f', 4), percent(v, 2));
}

QString caption(const QString& trueName, const QString& predictedName) {
  return ResultsView::tr("true %1 → pred %2").arg(trueName, predictedName);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The confusion-matrix heat-map. Cells are coloured by their share of the row (the true class):
// the diagonal in blue (recall), errors in red, scaled so that the largest error is full red and
// the square root brings out small ones. Recall per row on the right, precision per column below,
// overall accuracy in the corner.

class ResultsView::MatrixChart : public QWidget {
 public:
  explicit MatrixChart(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setMinimumSize(300, 280);
  }

  void setData(const ConfusionMatrix& cm, const QStringList& names) {
    m_cm = cm;
    m_names = names;
    update();
  }
  // What the chart says while it has no matrix.
  void setEmptyText(const QString& text) {
    m_emptyText = text;
    update();
  }
  const QString& emptyText() const { return m_emptyText; }
  QSize sizeHint() const override { return {480, 440}; }
  // Cell (t, q) in this widget's coordinates; empty without a matrix.
  QRect cellRect(int t, int q) const {
    if (m_cm.empty()) return {};
    const Layout l = layoutFor(font());
    return QRectF(l.grid.left() + q * l.cell, l.grid.top() + t * l.cell, l.cell, l.cell).toRect();
  }
  // The counts' font: as large as fits the widest count in a cell, never under kMinPointSize.
  QFont countFont() const { return countFontFor(layoutFor(font()).cell); }

  static constexpr double kMinPointSize = 8.0;

 protected:
  void paintEvent(QPaintEvent*) override;
  bool event(QEvent* e) override;

 private:
  struct Layout {
    QRectF grid;  // the 10x10 cells
    double cell = 0;
    bool verticalColumnLabels = false;
    int lineHeight = 0;
  };
  Layout layoutFor(const QFont& font) const;
  QFont countFontFor(double cell) const;
  QString toolTipAt(const QPointF& pos) const;

  ConfusionMatrix m_cm;
  QStringList m_names;
  QString m_emptyText;
};

namespace {

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

ResultsView::MatrixChart::Layout ResultsView::MatrixChart::layoutFor(const QFont& font) const {
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

QFont ResultsView::MatrixChart::countFontFor(double cell) const {
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

void ResultsView::MatrixChart::paintEvent(QPaintEvent*) {
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

QString ResultsView::MatrixChart::toolTipAt(const QPointF& pos) const {
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

bool ResultsView::MatrixChart::event(QEvent* e) {
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

// ---------------------------------------------------------------------------------------------
// The gallery: tiles of enlarged digits (as the network sees them: ink bright on black) with
// their caption, reflowed to the width (height for width, inside a scroll area).

class ResultsView::Gallery : public QWidget {
 public:
  struct Item {
    int index = 0;
    QImage image;
    QString caption;  // "true 7 → pred 1"
    QString trueName;
    QString predictedName;
  };

  explicit Gallery(QWidget* parent) : QWidget(parent) {
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, Qt::white);
    setPalette(pal);
  }

  void setItems(std::vector<Item> items, const QString& emptyText) {
    m_items = std::move(items);
    m_emptyText = emptyText;
    updateGeometry();
    update();
  }
  const std::vector<Item>& items() const { return m_items; }

  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int w) const override {
    if (m_items.empty()) return 60;
    const int columns = columnsFor(w);
    const int rows = (int(m_items.size()) + columns - 1) / columns;
    return rows * tileSize().height() + 2 * kMargin;
  }
  QSize sizeHint() const override {
    return {6 * tileSize().width() + 2 * kMargin, heightForWidth(6 * tileSize().width())};
  }
  QSize minimumSizeHint() const override { return {tileSize().width() + 2 * kMargin, 60}; }

 protected:
  void paintEvent(QPaintEvent*) override;
  bool event(QEvent* e) override;

 private:
  static constexpr int kMargin = 4;
  static constexpr int kImageSide = 84;  // 28 x 3

  QSize tileSize() const {
    const int line = QFontMetrics(font()).height();
    return {kImageSide + 14, kImageSide + 2 * line + 10};
  }
  int columnsFor(int w) const { return std::max(1, (w - 2 * kMargin) / tileSize().width()); }
  QRect tileRect(int i) const {  // the tiles are centred horizontally
    const int columns = columnsFor(width());
    const QSize t = tileSize();
    const int left = std::max(kMargin, (width() - columns * t.width()) / 2);
    return {left + (i % columns) * t.width(), kMargin + (i / columns) * t.height(), t.width(), t.height()};
  }

  std::vector<Item> m_items;
  QString m_emptyText;
};

void ResultsView::Gallery::paintEvent(QPaintEvent* event) {
  QPainter p(this);
  if (m_items.empty()) {
    p.setPen(kMutedInk);
    p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, m_emptyText);
    return;
  }
  const QFontMetrics fm(font());
  const int line = fm.height();
  for (int i = 0; i < int(m_items.size()); ++i) {
    const QRect tile = tileRect(i);
    if (!tile.intersects(event->rect())) continue;
    const Item& item = m_items[size_t(i)];
    const QRect imageRect(tile.left() + (tile.width() - kImageSide) / 2, tile.top() + 2, kImageSide, kImageSide);
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);  // crisp enlarged pixels
    p.drawImage(imageRect, item.image);
    p.setPen(QColor(200, 200, 200));
    p.drawRect(imageRect.adjusted(0, 0, -1, -1));
    const QRect textRect(tile.left(), imageRect.bottom() + 3, tile.width(), 2 * line);
    if (fm.horizontalAdvance(item.caption) <= tile.width() - 2) {
      p.setPen(kInk);
      p.drawText(QRect(textRect.left(), textRect.top(), textRect.width(), line), Qt::AlignCenter, item.caption);
    } else {  // long class names: two lines
      const QString first = tr("true %1").arg(item.trueName);
      const QString second = tr("→ pred %1").arg(item.predictedName);
      p.setPen(kInk);
      p.drawText(QRect(textRect.left(), textRect.top(), textRect.width(), line), Qt::AlignCenter,
                 fm.elidedText(first, Qt::ElideRight, tile.width() - 2));
      p.setPen(kRed.darker(120));
      p.drawText(QRect(textRect.left(), textRect.top() + line, textRect.width(), line), Qt::AlignCenter,
                 fm.elidedText(second, Qt::ElideRight, tile.width() - 2));
    }
  }
}

bool ResultsView::Gallery::event(QEvent* e) {
  if (e->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(e);
    for (int i = 0; i < int(m_items.size()); ++i) {
      if (tileRect(i).contains(help->pos())) {
        const Item& item = m_items[size_t(i)];
        QToolTip::showText(help->globalPos(),
                           tr("Test digit #%1\ntrue class %2, predicted %3")
                               .arg(QLocale().toString(item.index), item.trueName, item.predictedName),
                           this);
        return true;
      }
    }
    QToolTip::hideText();
    e->ignore();
    return true;
  }
  return QWidget::event(e);
}

// ---------------------------------------------------------------------------------------------
// ResultsView

ResultsView::ResultsView(QWidget* parent) : QWidget(parent) {
  QFont valueFont = font();
  valueFont.setBold(true);
  valueFont.setPointSizeF(valueFont.pointSizeF() * 1.15);
  auto valueLabel = [&]() {
    auto* label = new QLabel(this);
    label->setFont(valueFont);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
  };
  m_trainLoss = valueLabel();
  m_trainAccuracy = valueLabel();
  m_testLoss = valueLabel();
  m_testAccuracy = valueLabel();
  m_summary = new QLabel(this);
  m_summary->setWordWrap(true);

  auto* metrics = new QGridLayout;
  metrics->setHorizontalSpacing(18);
  metrics->addWidget(new QLabel(tr("loss"), this), 0, 1);
  metrics->addWidget(new QLabel(tr("accuracy"), this), 0, 2);
  metrics->addWidget(new QLabel(tr("Train"), this), 1, 0);
  metrics->addWidget(m_trainLoss, 1, 1);
  metrics->addWidget(m_trainAccuracy, 1, 2);
  metrics->addWidget(new QLabel(tr("Test"), this), 2, 0);
  metrics->addWidget(m_testLoss, 2, 1);
  metrics->addWidget(m_testAccuracy, 2, 2);
  metrics->addWidget(m_summary, 0, 3, 3, 1);
  metrics->setColumnStretch(3, 1);
  m_evaluateButton = new QPushButton(tr("Evaluate"), this);
  m_evaluateButton->setObjectName(QStringLiteral("evaluateButton"));
  metrics->addWidget(m_evaluateButton, 0, 4, 3, 1, Qt::AlignTop);
  connect(m_evaluateButton, &QPushButton::clicked, this, &ResultsView::evaluateRequested);
  m_trainLoss->setToolTip(tr("Mean cross-entropy loss on the training set"));
  m_trainAccuracy->setToolTip(tr("Share of the training set classified right"));
  m_testLoss->setToolTip(tr("Mean cross-entropy loss on the test set, which the model never trained on"));
  m_testAccuracy->setToolTip(tr("Share of the test set classified right: how well the model does on new digits"));

  QFont titleFont = font();
  titleFont.setBold(true);
  auto* matrixTitle = new QLabel(tr("Confusion matrix (test set)"), this);
  matrixTitle->setFont(titleFont);
  matrixTitle->setWordWrap(true);
  m_matrix = new MatrixChart(this);
  m_matrix->setObjectName(QStringLiteral("confusionMatrix"));
  m_matrix->setAccessibleName(tr("Confusion matrix"));
  m_matrix->setToolTip(tr("Rows: true class, columns: predicted class. Point at a cell for its count."));
  m_galleryTitle = new QLabel(this);
  m_galleryTitle->setObjectName(QStringLiteral("galleryTitle"));
  m_galleryTitle->setFont(titleFont);
  m_galleryTitle->setWordWrap(true);  // never cut in a narrow column
  m_gallery = new Gallery(this);
  m_gallery->setObjectName(QStringLiteral("misclassifiedGallery"));
  m_gallery->setAccessibleName(tr("Misclassified test digits"));
  m_galleryScroll = new QScrollArea(this);
  m_galleryScroll->setWidget(m_gallery);
  m_galleryScroll->setWidgetResizable(true);
  m_galleryScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  m_galleryScroll->setMinimumWidth(m_gallery->minimumSizeHint().width() + 24);

  auto* matrixColumn = new QVBoxLayout;
  matrixColumn->addWidget(matrixTitle);
  matrixColumn->addWidget(m_matrix, 1);
  auto* galleryColumn = new QVBoxLayout;
  galleryColumn->addWidget(m_galleryTitle);
  galleryColumn->addWidget(m_galleryScroll, 1);
  auto* panes = new QHBoxLayout;
  panes->addLayout(matrixColumn, 3);  // the matrix's cells and figures need the room more
  panes->addLayout(galleryColumn, 2);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(metrics);
  layout->addLayout(panes, 1);

  clear();
  updateEvaluateButton();
}

ResultsView::~ResultsView() = default;

void ResultsView::setMetrics(double trainLoss, double trainAccuracy, double testLoss, double testAccuracy) {
  m_trainLoss->setText(formatLoss(trainLoss));
  m_trainAccuracy->setText(formatAccuracy(trainAccuracy));
  m_testLoss->setText(formatLoss(testLoss));
  m_testAccuracy->setText(formatAccuracy(testAccuracy));
  m_hasMetrics = std::isfinite(trainLoss) || std::isfinite(trainAccuracy) || std::isfinite(testLoss) ||
                 std::isfinite(testAccuracy);
  updateSummary();
}

void ResultsView::setResults(const Dataset& test, const std::vector<int>& predicted,
                             const std::vector<std::string>& classNames) {
  QStringList names;
  if (classNames.size() >= size_t(kClasses)) {
    for (int c = 0; c < kClasses; ++c) names << QString::fromStdString(classNames[size_t(c)]);
  } else {
    for (int c = 0; c < kClasses; ++c) names << QString::number(c);
  }

  const int n = std::min(test.count, static_cast<int>(std::min(predicted.size(), test.labels.size())));
  m_evaluated = n;
  m_confusion = ConfusionMatrix::compute(std::vector<uint8_t>(test.labels.begin(), test.labels.begin() + n),
                                         std::vector<int>(predicted.begin(), predicted.begin() + n));
  m_misclassified = 0;
  std::vector<Gallery::Item> items;
  for (int i = 0; i < n; ++i) {
    const int truth = test.labels[size_t(i)];
    const int guess = predicted[size_t(i)];
    if (truth == guess) continue;
    ++m_misclassified;
    if (int(items.size()) >= kMaxGallery) continue;
    Gallery::Item item;
    item.index = i;
    item.trueName = names.value(truth, QString::number(truth));
    item.predictedName = names.value(guess, QString::number(guess));
    item.caption = caption(item.trueName, item.predictedName);
    item.image = QImage(test.cols, test.rows, QImage::Format_Grayscale8);
    const float* pixels = test.image(i);
    for (int y = 0; y < test.rows; ++y) {
      uchar* line = item.image.scanLine(y);
      for (int x = 0; x < test.cols; ++x)
        line[x] = uchar(std::lround(std::clamp(pixels[y * test.cols + x], 0.0f, 1.0f) * 255.0f));
    }
    items.push_back(std::move(item));
  }
  m_matrix->setData(m_confusion, names);
  m_gallery->setItems(std::move(items), tr("No misclassified digits: every test digit was recognised."));
  updateSummary();
}

void ResultsView::clear() {
  const double none = std::numeric_limits<double>::quiet_NaN();
  setMetrics(none, none, none, none);
  m_confusion = ConfusionMatrix();
  m_misclassified = 0;
  m_evaluated = 0;
  m_matrix->setData(m_confusion, {});
  m_gallery->setItems({}, {});
  updateSummary();
}

void ResultsView::setEvaluateEnabled(bool enabled, const QString& whyNot) {
  m_evaluateEnabled = enabled;
  m_evaluateWhyNot = whyNot;
  updateEvaluateButton();
}

void ResultsView::setBusy(bool busy) {
  m_busy = busy;
  updateEvaluateButton();
  updateSummary();
}

void ResultsView::updateEvaluateButton() {
  m_evaluateButton->setEnabled(m_evaluateEnabled && !m_busy);
  m_evaluateButton->setText(m_busy ? tr("Evaluating…") : tr("Evaluate"));
  QString tip =
      tr("Score the model's current weights on the test set: loss, accuracy, the confusion matrix and "
         "the misclassified digits");
  if (m_busy)
    tip = tr("Evaluating the model's current weights on the test set…");
  else if (!m_evaluateEnabled && !m_evaluateWhyNot.isEmpty())
    tip = tr("Evaluate is not available: %1").arg(m_evaluateWhyNot);
  m_evaluateButton->setToolTip(tip);
}

void ResultsView::updateSummary() {
  const QLocale locale;
  if (m_confusion.empty()) {
    // Figures alone (a model file opened with its metrics) are results too: the matrix and the
    // gallery wait for Evaluate.
    const QString evaluate = tr("Press Evaluate to see the confusion matrix and the misclassified digits.");
    if (m_busy)
      m_summary->setText(tr("Evaluating the current weights on the test set…"));
    else if (m_hasMetrics)
      m_summary->clear();
    else
      m_summary->setText(
          tr("No results yet: train the model (Train), or press Evaluate to score its current weights on the test "
             "set."));
    m_matrix->setEmptyText(m_hasMetrics ? evaluate
                                        : tr("The test set's confusion matrix appears here after training or "
                                             "Evaluate."));
    m_gallery->setItems({}, tr("Misclassified test digits appear here after training or Evaluate."));
    m_galleryTitle->setText(tr("Misclassified test digits"));
    return;
  }
  if (m_busy) {
    m_summary->setText(tr("Evaluating the current weights on the test set…"));
    return;
  }
  m_summary->setText(tr("%1 test samples: %2 right, %3 wrong (accuracy %4).")
                         .arg(locale.toString(m_evaluated), locale.toString(m_evaluated - m_misclassified),
                              locale.toString(m_misclassified), percent(m_confusion.accuracy(), 2)));
  const int shown = static_cast<int>(m_gallery->items().size());
  m_galleryTitle->setText(shown < m_misclassified
                              ? tr("Misclassified test digits (the first %1 of %2)")
                                    .arg(locale.toString(shown), locale.toString(m_misclassified))
                              : tr("Misclassified test digits (%1)").arg(locale.toString(m_misclassified)));
}

std::vector<int> ResultsView::galleryIndices() const {
  std::vector<int> out;
  for (const Gallery::Item& item : m_gallery->items()) out.push_back(item.index);
  return out;
}

QStringList ResultsView::galleryCaptions() const {
  QStringList out;
  for (const Gallery::Item& item : m_gallery->items()) out << item.caption;
  return out;
}

QString ResultsView::summaryText() const { return m_summary->text(); }

QString ResultsView::matrixPlaceholderText() const { return m_confusion.empty() ? m_matrix->emptyText() : QString(); }

QRect ResultsView::confusionCellRect(int trueClass, int predictedClass) const {
  const QRect cell = m_matrix->cellRect(trueClass, predictedClass);
  return cell.isEmpty() ? QRect() : cell.translated(m_matrix->mapTo(this, QPoint(0, 0)));
}

QFont ResultsView::confusionCountFont() const { return m_matrix->countFont(); }

QString ResultsView::metricText(bool test, bool accuracy) const {
  if (test) return accuracy ? m_testAccuracy->text() : m_testLoss->text();
  return accuracy ? m_trainAccuracy->text() : m_trainLoss->text();
}

}  // namespace dl
