// ResultsView: end-of-training figures beside the confusion-matrix heat-map
// (ConfusionMatrixView) and the misclassified-digit gallery (MisclassifiedGallery); see
// ResultsView.h.

#include "ResultsView.h"

#include "ConfusionMatrixView.h"
#include "MisclassifiedGallery.h"

#include <QGridLayout>
#include <QGuiApplication>
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

QImage digitThumbnail(const float* pixels, int rows, int cols) {
  QImage image(cols, rows, QImage::Format_Grayscale8);
  for (int y = 0; y < rows; ++y) {
    uchar* line = image.scanLine(y);
    for (int x = 0; x < cols; ++x) line[x] = uchar(std::lround(std::clamp(pixels[y * cols + x], 0.0f, 1.0f) * 255.0f));
  }
  return image;
}

QStringList namesFor(const std::vector<std::string>& classNames) {
  QStringList names;
  for (int c = 0; c < kClasses; ++c)
    names << (classNames.size() >= size_t(kClasses) ? QString::fromStdString(classNames[size_t(c)])
                                                    : QString::number(c));
  return names;
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
  m_matrixTitle = new QLabel(this);
  m_matrixTitle->setObjectName(QStringLiteral("matrixTitle"));
  m_matrixTitle->setFont(titleFont);
  m_matrixTitle->setWordWrap(true);
  m_exportPngButton = new QPushButton(tr("PNG…"), this);
  m_exportPngButton->setObjectName(QStringLiteral("exportMatrixPng"));
  m_exportPngButton->setToolTip(tr("Save the confusion matrix as a PNG image"));
  m_exportCsvButton = new QPushButton(tr("CSV…"), this);
  m_exportCsvButton->setObjectName(QStringLiteral("exportMatrixCsv"));
  m_exportCsvButton->setToolTip(tr("Save the counts as CSV: one row per true class, one column per predicted class"));
  connect(m_exportPngButton, &QPushButton::clicked, this, [this] { exportWithDialog(true); });
  connect(m_exportCsvButton, &QPushButton::clicked, this, [this] { exportWithDialog(false); });
  m_allMistakesButton = new QPushButton(tr("All mistakes"), this);
  m_allMistakesButton->setObjectName(QStringLiteral("allMistakesButton"));
  m_allMistakesButton->setToolTip(tr("Show the misclassified digits again instead of one cell's"));
  connect(m_allMistakesButton, &QPushButton::clicked, this, [this] { selectCell(-1, -1); });
  m_matrix = new ConfusionMatrixView(this);
  m_matrix->setObjectName(QStringLiteral("confusionMatrix"));
  m_matrix->setAccessibleName(tr("Confusion matrix"));
  connect(m_matrix, &ConfusionMatrixView::cellClicked, this, [this](int t, int q) {
    if (t == m_selectedTrue && q == m_selectedPredicted)
      selectCell(-1, -1);  // a second click goes back to the mistakes
    else
      selectCell(t, q);
  });
  m_galleryTitle = new QLabel(this);
  m_galleryTitle->setObjectName(QStringLiteral("galleryTitle"));
  m_galleryTitle->setFont(titleFont);
  m_galleryTitle->setWordWrap(true);  // never cut in a narrow column
  m_gallery = new MisclassifiedGallery(this);
  m_gallery->setObjectName(QStringLiteral("misclassifiedGallery"));
  m_gallery->setAccessibleName(tr("Misclassified test digits"));
  connect(m_gallery, &MisclassifiedGallery::itemClicked, this, &ResultsView::onGalleryClicked);
  m_galleryScroll = new QScrollArea(this);
  m_galleryScroll->setWidget(m_gallery);
  m_galleryScroll->setWidgetResizable(true);
  m_galleryScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  m_galleryScroll->setMinimumWidth(m_gallery->minimumSizeHint().width() + 24);

  auto* matrixHeader = new QHBoxLayout;
  matrixHeader->addWidget(m_matrixTitle, 1);
  matrixHeader->addWidget(m_exportPngButton);
  matrixHeader->addWidget(m_exportCsvButton);
  auto* matrixColumn = new QVBoxLayout;
  matrixColumn->addLayout(matrixHeader);
  matrixColumn->addWidget(m_matrix, 1);
  auto* galleryHeader = new QHBoxLayout;
  galleryHeader->addWidget(m_galleryTitle, 1);
  galleryHeader->addWidget(m_allMistakesButton, 0, Qt::AlignTop);
  auto* galleryColumn = new QVBoxLayout;
  galleryColumn->addLayout(galleryHeader);
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
  m_names = namesFor(classNames);
  const int n = std::min(test.count, static_cast<int>(std::min(predicted.size(), test.labels.size())));
  // A copy of the test set: the drill-down shows its digits (and computes their probabilities)
  // whatever data the window loads later.
  auto images = std::make_shared<Dataset>(test);
  std::vector<int> rows(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) rows[size_t(i)] = i;
  m_drill.set(std::move(images), std::move(rows), std::vector<int>(predicted.begin(), predicted.begin() + n), {},
              kClasses);
  m_validation = false;
  m_fromTrainingSet = false;
  m_epoch = 0;
  m_sourceText = tr("Test set, final");
  showDrill();
}

bool ResultsView::showEpochPredictions(const EpochPredictions& p, std::shared_ptr<const DatasetPair> data) {
  if (!data || p.classes <= 0 || p.count <= 0 || p.firstRow < 0) return false;
  const Dataset& set = p.source == EpochPredictions::Source::Train ? data->train : data->test;
  if (int64_t(p.firstRow) + p.count > set.count || int64_t(set.labels.size()) < int64_t(p.firstRow) + p.count ||
      p.probabilities.size() != size_t(p.count) * size_t(p.classes))
    return false;
  std::vector<int> rows(size_t(p.count)), predicted(size_t(p.count));
  for (int i = 0; i < p.count; ++i) {
    rows[size_t(i)] = p.firstRow + i;
    const auto first = p.probabilities.begin() + std::ptrdiff_t(size_t(i) * size_t(p.classes));
    predicted[size_t(i)] = int(std::max_element(first, first + p.classes) - first);
  }
  m_names = namesFor(data->classNames);
  // The run's data, shared (no copy): the aliasing constructor keeps the pair alive.
  m_drill.set(std::shared_ptr<const Dataset>(data, &set), std::move(rows), std::move(predicted), p.probabilities,
              p.classes);
  m_validation = true;
  m_fromTrainingSet = p.source == EpochPredictions::Source::Train;
  m_epoch = p.epoch;
  m_sourceText = tr("Validation, epoch %1").arg(p.epoch);
  showDrill();
  return true;
}

void ResultsView::showDrill() {
  m_confusion = m_drill.matrix();
  m_evaluated = m_confusion.total();
  m_misclassified = m_confusion.total() - m_confusion.correct();
  m_matrix->setData(m_confusion, m_names);
  if (m_confusion.empty()) m_selectedTrue = m_selectedPredicted = -1;
  m_matrix->setSelectedCell(m_selectedTrue, m_selectedPredicted);
  showGallery();
  updateSummary();
}

QString ResultsView::digitCaption(int row) const {
  const QLocale locale;
  if (m_validation && m_fromTrainingSet) return tr("Validation digit (training row %1)").arg(locale.toString(row));
  return tr("Test digit #%1").arg(locale.toString(row));
}

void ResultsView::showGallery() {
  m_listed.clear();
  std::vector<MisclassifiedGallery::Item> items;
  const Dataset* d = m_drill.dataset();
  const QLocale locale;
  const auto itemFor = [&](const ConfusionDrillDown::Entry& e) {
    MisclassifiedGallery::Item item;
    const int truth = m_drill.trueClass(e.sample);
    const int guess = m_drill.predictedClass(e.sample);
    item.index = e.row;
    item.trueName = m_names.value(truth, QString::number(truth));
    item.predictedName = m_names.value(guess, QString::number(guess));
    item.image = digitThumbnail(m_drill.image(e.sample), d->rows, d->cols);
    const QString sure =
        e.confidence >= 0 ? tr("%1 % sure").arg(locale.toString(100.0 * e.confidence, 'f', 1)) : QString();
    item.toolTip = tr("%1\ntrue class %2, predicted %3").arg(digitCaption(e.row), item.trueName, item.predictedName);
    if (!sure.isEmpty()) item.toolTip += tr(" (%1)").arg(sure);
    item.toolTip += tr("\nClick to put it on the drawing canvas");
    return item;
  };
  if (m_selectedTrue >= 0 && !m_drill.empty()) {
    bool known = false;
    m_listed =
        m_drill.cell(m_selectedTrue, m_selectedPredicted,
                     m_drill.hasProbabilities() ? ConfusionDrillDown::ProbabilityFunction() : m_probabilityFn, &known);
    for (const ConfusionDrillDown::Entry& e : m_listed) {
      MisclassifiedGallery::Item item = itemFor(e);
      item.caption = known ? QStringLiteral("%1 %").arg(locale.toString(100.0 * e.confidence, 'f', 1))
                           : QStringLiteral("#%1").arg(locale.toString(e.row));
      items.push_back(std::move(item));
    }
    m_gallery->setItems(std::move(items), tr("No digits in this cell."));
    const QString t = m_names.value(m_selectedTrue), q = m_names.value(m_selectedPredicted);
    const QString which = m_selectedTrue == m_selectedPredicted ? tr("True %1 predicted as %1").arg(t)
                                                                : tr("True %1 predicted as %2").arg(t, q);
    m_galleryTitle->setText(
        known ? tr("%1: %2 digits, most confident first").arg(which, locale.toString(int(m_listed.size())))
              : tr("%1: %2 digits (confidence unknown: no model)").arg(which, locale.toString(int(m_listed.size()))));
    m_allMistakesButton->setVisible(true);
    return;
  }
  for (int i = 0; i < m_drill.count() && int(m_listed.size()) < kMaxGallery; ++i) {
    const int truth = m_drill.trueClass(i);
    const int guess = m_drill.predictedClass(i);
    if (truth == guess) continue;
    ConfusionDrillDown::Entry e{i, m_drill.row(i), -1.0f};
    m_listed.push_back(e);
    MisclassifiedGallery::Item item = itemFor(e);
    item.caption = caption(item.trueName, item.predictedName);
    items.push_back(std::move(item));
  }
  m_gallery->setItems(std::move(items), m_validation
                                            ? tr("No misclassified digits: every validation digit was recognised.")
                                            : tr("No misclassified digits: every test digit was recognised."));
  m_allMistakesButton->setVisible(false);
}

void ResultsView::selectCell(int trueClass, int predictedClass) {
  const bool valid = trueClass >= 0 && trueClass < kClasses && predictedClass >= 0 && predictedClass < kClasses &&
                     !m_confusion.empty();
  m_selectedTrue = valid ? trueClass : -1;
  m_selectedPredicted = valid ? predictedClass : -1;
  m_matrix->setSelectedCell(m_selectedTrue, m_selectedPredicted);
  if (valid && !m_drill.hasProbabilities() && m_probabilityFn) QGuiApplication::setOverrideCursor(Qt::WaitCursor);
  showGallery();
  if (valid && !m_drill.hasProbabilities() && m_probabilityFn) QGuiApplication::restoreOverrideCursor();
  updateSummary();
}

std::vector<int> ResultsView::listedRows() const {
  std::vector<int> out;
  for (const ConfusionDrillDown::Entry& e : m_listed) out.push_back(e.row);
  return out;
}

std::vector<float> ResultsView::listedConfidences() const {
  std::vector<float> out;
  for (const ConfusionDrillDown::Entry& e : m_listed) out.push_back(e.confidence);
  return out;
}

QRect ResultsView::galleryImageRect(int i) const {
  if (i < 0 || i >= int(m_gallery->items().size())) return {};
  return m_gallery->imageRect(i).translated(m_gallery->mapTo(this, QPoint(0, 0)));
}

void ResultsView::onGalleryClicked(int i) {
  if (i < 0 || i >= int(m_listed.size()) || !m_drill.dataset()) return;
  const ConfusionDrillDown::Entry& e = m_listed[size_t(i)];
  const float* pixels = m_drill.image(e.sample);
  const int n = m_drill.dataset()->pixels();
  emit digitChosen(QVector<float>(pixels, pixels + n), m_drill.trueClass(e.sample), digitCaption(e.row));
}

void ResultsView::clear() {
  const double none = std::numeric_limits<double>::quiet_NaN();
  setMetrics(none, none, none, none);
  m_confusion = ConfusionMatrix();
  m_misclassified = 0;
  m_evaluated = 0;
  m_drill.clear();
  m_listed.clear();
  m_sourceText.clear();
  m_validation = false;
  m_selectedTrue = m_selectedPredicted = -1;
  m_matrix->setSelectedCell(-1, -1);
  m_matrix->setData(m_confusion, {});
  m_gallery->setItems({}, {});
  m_allMistakesButton->setVisible(false);
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
  m_matrixTitle->setText(m_sourceText.isEmpty() ? tr("Confusion matrix")
                                                : tr("Confusion matrix — %1").arg(m_sourceText));
  m_matrixTitle->setToolTip(
      m_validation ? (m_fromTrainingSet ? tr("After epoch %1, on the validation rows: the last part of the training "
                                             "set, which the run holds back from training")
                                              .arg(m_epoch)
                                        : tr("After epoch %1, on the test set (the run validates on it)").arg(m_epoch))
                   : tr("The final predictions on the test set"));
  m_exportPngButton->setEnabled(!m_confusion.empty());
  m_exportCsvButton->setEnabled(!m_confusion.empty());
  m_matrix->setToolTip(
      tr("Rows: true class, columns: predicted class. Point at a cell for its count; click it to list its digits."));
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
    m_allMistakesButton->setVisible(false);
    return;
  }
  if (m_busy) {
    m_summary->setText(tr("Evaluating the current weights on the test set…"));
    return;
  }
  const QString counts = tr("%1 right, %2 wrong (accuracy %3).")
                             .arg(locale.toString(m_evaluated - m_misclassified), locale.toString(m_misclassified),
                                  percent(m_confusion.accuracy(), 2));
  m_summary->setText(m_validation ? tr("Validation after epoch %1: %2 samples, %3")
                                        .arg(locale.toString(m_epoch), locale.toString(m_evaluated), counts)
                                  : tr("%1 test samples: %2").arg(locale.toString(m_evaluated), counts));
  if (m_selectedTrue >= 0) return;  // showGallery() titled the cell's list
  const int shown = static_cast<int>(m_gallery->items().size());
  const QString what = m_validation ? tr("Misclassified validation digits") : tr("Misclassified test digits");
  m_galleryTitle->setText(
      shown < m_misclassified
          ? tr("%1 (the first %2 of %3)").arg(what, locale.toString(shown), locale.toString(m_misclassified))
          : tr("%1 (%2)").arg(what, locale.toString(m_misclassified)));
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
