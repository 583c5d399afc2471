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
// During a run the matrix follows the validation data after each epoch (showEpochPredictions);
// its title says which data and which epoch it shows ("Validation, epoch 3" or "Test set,
// final"). Clicking a cell lists exactly the digits with that (true, predicted) pair in the
// gallery, most confident first (the probability of the predicted class, under each thumbnail);
// the final test predictions carry no probabilities, so they are computed for the clicked cell's
// digits with setProbabilityFunction's model. Clicking a listed (or misclassified) digit emits
// digitChosen (the window puts it on the drawing canvas). Clicking the cell again, or "All
// mistakes", goes back to the misclassified digits. The matrix exports as PNG and CSV.
//
// The counting lives in core (data/ConfusionMatrix.h), the samples behind it in
// ConfusionDrillDown. The matrix is a ConfusionMatrixView, the gallery a MisclassifiedGallery;
// this view composes them with the figures.

#include "ConfusionDrillDown.h"
#include "data/ConfusionMatrix.h"
#include "data/Dataset.h"
#include "train/TrainingTypes.h"

#include <QFont>
#include <QRect>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <memory>
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
  // The validation rows' predictions after an epoch (train/TrainingTypes.h), their labels and
  // images from `data` (the run's): the matrix and the gallery follow them, titled "Validation,
  // epoch N"; a listed cell stays listed with the new predictions. False (nothing changes) when
  // the rows or the probabilities do not fit `data`.
  bool showEpochPredictions(const EpochPredictions& predictions, std::shared_ptr<const DatasetPair> data);
  // Computes class probabilities for the final test predictions' drill-down (see
  // ConfusionDrillDown::ProbabilityFunction); empty: listed cells come in test-set order.
  void setProbabilityFunction(ConfusionDrillDown::ProbabilityFunction fn) { m_probabilityFn = std::move(fn); }
  // Back to the empty state: no figures, no matrix, no gallery.
  void clear();

  // What the matrix shows: "Validation, epoch 3", "Test set, final" or empty.
  QString sourceText() const { return m_sourceText; }
  // Lists the digits of cell (t, q) in the gallery (as a click on the cell does); (-1, -1) goes
  // back to the misclassified digits.
  void selectCell(int trueClass, int predictedClass);
  int selectedTrue() const { return m_selectedTrue; }
  int selectedPredicted() const { return m_selectedPredicted; }
  // The listed cell's dataset rows in gallery order, and their confidences (-1: unknown).
  std::vector<int> listedRows() const;
  std::vector<float> listedConfidences() const;
  // Gallery tile i's digit in this view's coordinates (empty if there is no tile i).
  QRect galleryImageRect(int i) const;
  // The matrix as a PNG (titled with sourceText(), 720 px wide) and as CSV (rows true class,
  // columns predicted, header "true/predicted,<names>"), through QSaveFile; false + *error.
  bool exportMatrixPng(const QString& path, QString* error = nullptr) const;
  bool exportMatrixCsv(const QString& path, QString* error = nullptr) const;

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
  // A gallery digit was clicked: its 28x28 pixels (rows*cols floats in [0, 1]), true class and a
  // caption naming it ("Test digit #123", "Validation digit (training row 54,321)").
  void digitChosen(const QVector<float>& pixels, int trueClass, const QString& caption);
  // For the status bar: what an export wrote, or why it failed.
  void message(const QString& text);

 private:
  void updateSummary();
  void updateEvaluateButton();
  // The matrix and the gallery from m_drill (after set or a new epoch).
  void showDrill();
  void showGallery();
  void onGalleryClicked(int i);
  void exportWithDialog(bool png);
  QString digitCaption(int row) const;

  ConfusionDrillDown m_drill;
  ConfusionDrillDown::ProbabilityFunction m_probabilityFn;
  std::vector<ConfusionDrillDown::Entry> m_listed;  // what the gallery shows, in order
  QStringList m_names;
  QString m_sourceText;
  bool m_validation = false;       // the matrix shows an epoch's validation rows
  bool m_fromTrainingSet = false;  // ... and they come from the training set (a split)
  int m_epoch = 0;
  int m_selectedTrue = -1;
  int m_selectedPredicted = -1;
  QLabel* m_matrixTitle = nullptr;
  QPushButton* m_allMistakesButton = nullptr;
  QPushButton* m_exportPngButton = nullptr;
  QPushButton* m_exportCsvButton = nullptr;

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
