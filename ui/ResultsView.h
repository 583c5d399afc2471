#pragma once
// The end-of-training results: what the tutorial prints after fit (train and test loss and
// accuracy), plus the 10x10 confusion matrix of the test set (rows: true class, columns:
// predicted; a heat-map with counts, per-class recall on the right and precision below, a
// tooltip per cell) and a gallery of misclassified test digits, each captioned
// "true 7 → pred 1" (the first kMaxGallery of them in test-set order, tooltip with the index).
//
// Usage (the main window relies on this API; keep it stable):
//   results->setMetrics(trainLoss, trainAccuracy, testLoss, testAccuracy);  // NaN shows "—"
//   results->setResults(pair.test, predictClasses(model, pair.test), pair.classNames);
//   results->clear();                                                       // a new run starts
//   connect(results, &ResultsView::evaluateRequested, ...);   // the Evaluate button
//   results->setEvaluateEnabled(false, tr("Load a dataset first"));         // why, as its tooltip
//   results->setBusy(true); ... results->setBusy(false);                    // while evaluating
//
// What an empty view says names only actions that exist (Train, Evaluate); figures without a
// confusion matrix (a model file opened with its metrics) show with "Press Evaluate to see the
// confusion matrix and the misclassified digits." where the matrix goes.
//
// The counting lives in core (data/ConfusionMatrix.h). The matrix is a ConfusionMatrixView, the
// gallery a MisclassifiedGallery; this view composes them with the figures.

#include "data/ConfusionMatrix.h"
#include "data/Dataset.h"

#include <QFont>
#include <QRect>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <string>
#include <vector>

class QLabel;
class QPushButton;
class QScrollArea;

namespace dl {

class ConfusionMatrixView;
class MisclassifiedGallery;

class ResultsView : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kMaxGallery = 60;

  explicit ResultsView(QWidget* parent = nullptr);
  ~ResultsView() override;

  // The four figures of model.evaluate on the training and the test data. Non-finite values
  // (e.g. not evaluated) show as "—".
  void setMetrics(double trainLoss, double trainAccuracy, double testLoss, double testAccuracy);
  // The test set and the predicted class of each of its samples (predicted[i] for
  // test.image(i); only the first min(test.count, predicted.size()) are used). classNames gives
  // the 10 names shown on the axes and captions ("0".."9" when it has fewer than 10). The view
  // keeps copies of what it shows, not references.
  void setResults(const Dataset& test, const std::vector<int>& predicted, const std::vector<std::string>& classNames);
  // Back to the empty state: no figures, no matrix, no gallery.
  void clear();

  // Whether Evaluate can run now; `whyNot` (shown as the button's tooltip while it is disabled)
  // says what is missing, e.g. "Load a dataset first".
  void setEvaluateEnabled(bool enabled, const QString& whyNot = {});
  // While an evaluation runs: Evaluate is disabled and reads "Evaluating…", the summary says so.
  void setBusy(bool busy);
  bool isBusy() const { return m_busy; }

  bool hasResults() const { return !m_confusion.empty(); }
  // Any of the four figures is shown (finite).
  bool hasMetrics() const { return m_hasMetrics; }
  const ConfusionMatrix& confusionMatrix() const { return m_confusion; }
  int misclassifiedCount() const { return m_misclassified; }
  // The test-set indices shown in the gallery, in order, and their captions.
  std::vector<int> galleryIndices() const;
  QStringList galleryCaptions() const;
  // The label texts, for tests: train/test loss and accuracy as shown.
  QString metricText(bool test, bool accuracy) const;
  // The summary line beside the figures, and what the matrix area says while it has no matrix.
  QString summaryText() const;
  QString matrixPlaceholderText() const;
  // Confusion-matrix cell (true class, predicted class) in this view's coordinates (empty
  // without results), and the font its count is written in: for layout checks.
  QRect confusionCellRect(int trueClass, int predictedClass) const;
  QFont confusionCountFont() const;

 signals:
  // The Evaluate button was pressed: score the current weights on the test set.
  void evaluateRequested();

 private:
  void updateSummary();
  void updateEvaluateButton();

  ConfusionMatrix m_confusion;
  int m_misclassified = 0;
  int m_evaluated = 0;
  bool m_hasMetrics = false;
  bool m_busy = false;
  bool m_evaluateEnabled = true;
  QString m_evaluateWhyNot;
  QPushButton* m_evaluateButton = nullptr;
  QLabel* m_trainLoss = nullptr;
  QLabel* m_trainAccuracy = nullptr;
  QLabel* m_testLoss = nullptr;
  QLabel* m_testAccuracy = nullptr;
  QLabel* m_summary = nullptr;
  QLabel* m_galleryTitle = nullptr;
  ConfusionMatrixView* m_matrix = nullptr;
  MisclassifiedGallery* m_gallery = nullptr;
  QScrollArea* m_galleryScroll = nullptr;
};

}  // namespace dl
