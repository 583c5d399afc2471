// ResultsView: end-of-training figures beside the confusion-matrix heat-map
// (ConfusionMatrixView) and the misclassified-digit gallery (MisclassifiedGallery); see
// ResultsView.h.

#include "ResultsView.h"

#include "ConfusionMatrixView.h"
#include "MisclassifiedGallery.h"

#include <QGridLayout>
#include <QImage>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace dl {

namespace {

constexpr int kClasses = ConfusionMatrix::kClasses;

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
  m_matrix = new ConfusionMatrixView(this);
  m_matrix->setObjectName(QStringLiteral("confusionMatrix"));
  m_matrix->setAccessibleName(tr("Confusion matrix"));
  m_matrix->setToolTip(tr("Rows: true class, columns: predicted class. Point at a cell for its count."));
  m_galleryTitle = new QLabel(this);
  m_galleryTitle->setObjectName(QStringLiteral("galleryTitle"));
  m_galleryTitle->setFont(titleFont);
  m_galleryTitle->setWordWrap(true);  // never cut in a narrow column
  m_gallery = new MisclassifiedGallery(this);
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
  std::vector<MisclassifiedGallery::Item> items;
  for (int i = 0; i < n; ++i) {
    const int truth = test.labels[size_t(i)];
    const int guess = predicted[size_t(i)];
    if (truth == guess) continue;
    ++m_misclassified;
    if (int(items.size()) >= kMaxGallery) continue;
    MisclassifiedGallery::Item item;
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
  for (const MisclassifiedGallery::Item& item : m_gallery->items()) out.push_back(item.index);
  return out;
}

QStringList ResultsView::galleryCaptions() const {
  QStringList out;
  for (const MisclassifiedGallery::Item& item : m_gallery->items()) out << item.caption;
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
