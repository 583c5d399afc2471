// Tests of the results view (ui/ResultsView.h): the confusion matrix of a known prediction
// vector, a gallery of exactly the misclassified test digits (captions, order, the cap), the
// metric labels, clear(). Headless; also renders the view with the embedded test digits (to
// $DIGITLAB_SCREENSHOT_DIR when set, which is how docs/results_view.png is made).

#include "QuietOffscreen.h"
#include "ResultsView.h"

#include "ConfusionMatrixView.h"
#include "MisclassifiedGallery.h"
#include "data/IdxReader.h"

#include <QDir>
#include <QFontInfo>
#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace dl;

namespace {

// n tiny 28x28 samples; sample i has label labels[i] and a distinct grey level.
Dataset tinySet(const std::vector<uint8_t>& labels) {
  Dataset d;
  d.count = static_cast<int>(labels.size());
  d.labels = labels;
  d.images.assign(size_t(d.count) * d.pixels(), 0.0f);
  for (int i = 0; i < d.count; ++i)
    for (int k = 0; k < 50; ++k) d.images[size_t(i) * d.pixels() + 300 + size_t(k)] = 1.0f;
  return d;
}

// Real test digits with plausible mistakes (4 ↔ 9, 7 → 1, 3 ↔ 5, ...), as after a short run.
std::vector<int> plausiblePredictions(const Dataset& test) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(0, 1);
  const int confusedWith[10] = {6, 7, 7, 5, 9, 3, 0, 1, 3, 4};
  std::vector<int> predicted(size_t(test.count));
  for (int i = 0; i < test.count; ++i) {
    const int truth = test.labels[size_t(i)];
    const double r = u(rng);
    predicted[size_t(i)] = r < 0.025 ? confusedWith[truth] : r < 0.035 ? int(rng() % 10) : truth;
  }
  return predicted;
}

std::vector<std::string> digitNames() {
  std::vector<std::string> names;
  for (int c = 0; c < 10; ++c) names.push_back(std::to_string(c));
  return names;
}

}  // namespace

class TestResultsView : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { quietOffscreen(); }
  void confusionMatrixCountsAKnownPredictionVector();
  void galleryShowsExactlyTheMisclassifiedInTestOrder();
  void galleryStopsAtTheCapButCountsEveryMistake();
  void classNamesLabelTheCaptions();
  void metricsAreShownLikeKerasAndNaNAsADash();
  void clearEmptiesEverything();
  void rendersWithRealDigits();
  void evaluateButtonAsksForAnEvaluation();
  void disabledEvaluateSaysWhy();
  void busyDisablesEvaluateAndSaysSo();
  void emptyViewNamesOnlyActionsThatExist();
  void figuresWithoutAMatrixAskForEvaluate();
  void matrixIsReadableAtTheDefaultSizes();
  void everyControlHasATooltip();
};

void TestResultsView::evaluateButtonAsksForAnEvaluation() {
  ResultsView view;
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  auto* button = view.findChild<QPushButton*>(QStringLiteral("evaluateButton"));
  QVERIFY(button && button->isVisible() && button->isEnabled());
  QSignalSpy spy(&view, &ResultsView::evaluateRequested);
  QTest::mouseClick(button, Qt::LeftButton);
  QCOMPARE(spy.count(), 1);
}

void TestResultsView::disabledEvaluateSaysWhy() {
  ResultsView view;
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  auto* button = view.findChild<QPushButton*>(QStringLiteral("evaluateButton"));
  QSignalSpy spy(&view, &ResultsView::evaluateRequested);
  view.setEvaluateEnabled(false, QStringLiteral("Load a dataset first"));
  QVERIFY(!button->isEnabled());
  QVERIFY(button->toolTip().contains(QStringLiteral("Load a dataset first")));
  QTest::mouseClick(button, Qt::LeftButton);
  QCOMPARE(spy.count(), 0);
  view.setEvaluateEnabled(true);
  QVERIFY(button->isEnabled());
  QVERIFY(!button->toolTip().contains(QStringLiteral("Load a dataset first")));
  QTest::mouseClick(button, Qt::LeftButton);
  QCOMPARE(spy.count(), 1);
}

void TestResultsView::busyDisablesEvaluateAndSaysSo() {
  ResultsView view;
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  auto* button = view.findChild<QPushButton*>(QStringLiteral("evaluateButton"));
  QSignalSpy spy(&view, &ResultsView::evaluateRequested);
  view.setBusy(true);
  QVERIFY(view.isBusy());
  QVERIFY(!button->isEnabled());
  QVERIFY(button->text().startsWith(QStringLiteral("Evaluating")));
  QVERIFY(view.summaryText().contains(QStringLiteral("Evaluating")));
  QTest::mouseClick(button, Qt::LeftButton);
  QCOMPARE(spy.count(), 0);
  view.setMetrics(0.1, 0.9, 0.2, 0.8);
  view.setResults(tinySet({1, 2, 3}), {1, 3, 3}, digitNames());
  view.setBusy(false);
  QVERIFY(button->isEnabled());
  QCOMPARE(button->text(), QStringLiteral("Evaluate"));
  QVERIFY(view.summaryText().contains(QStringLiteral("3 test samples")));
  // Busy ends on a disabled Evaluate: it stays disabled.
  view.setEvaluateEnabled(false, QStringLiteral("no model"));
  view.setBusy(true);
  view.setBusy(false);
  QVERIFY(!button->isEnabled());
}

void TestResultsView::emptyViewNamesOnlyActionsThatExist() {
  ResultsView view;
  QCOMPARE(
      view.summaryText(),
      QStringLiteral(
          "No results yet: train the model (Train), or press Evaluate to score its current weights on the test set."));
  QVERIFY(view.matrixPlaceholderText().contains(QStringLiteral("Evaluate")));
  // The actions named are the window's Train and this view's Evaluate button; no other.
  for (const QString& text : {view.summaryText(), view.matrixPlaceholderText()}) {
    QVERIFY2(!text.contains(QStringLiteral("load one")), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("evaluate it")), qPrintable(text));
  }
  QCOMPARE(view.findChild<QPushButton*>(QStringLiteral("evaluateButton"))->text(), QStringLiteral("Evaluate"));
}

// A model file opened with its figures but no confusion matrix: the figures show, and nothing
// says "No results yet" beside them.
void TestResultsView::figuresWithoutAMatrixAskForEvaluate() {
  ResultsView view;
  view.setMetrics(0.0712, 0.9785, 0.1010, 0.9690);
  QVERIFY(view.hasMetrics());
  QVERIFY(!view.hasResults());
  QCOMPARE(view.metricText(true, true), QStringLiteral("0.9690 (96.90%)"));
  QVERIFY2(!view.summaryText().contains(QStringLiteral("No results")), qPrintable(view.summaryText()));
  QCOMPARE(view.matrixPlaceholderText(),
           QStringLiteral("Press Evaluate to see the confusion matrix and the misclassified digits."));
  // Evaluated: the matrix replaces the request.
  view.setResults(tinySet({1, 2, 3}), {1, 3, 3}, digitNames());
  QVERIFY(view.matrixPlaceholderText().isEmpty());
  view.clear();
  QVERIFY(!view.hasMetrics());
  QVERIFY(view.summaryText().startsWith(QStringLiteral("No results yet")));
}

// At the Results tab's usual sizes, with the embedded test set: every count cell at least 24 px,
// counts at least 8 pt, the matrix (with its precision row and recall column) inside the view and
// the gallery's title whole. With DIGITLAB_SCREENSHOT_DIR set the pictures are saved there.
void TestResultsView::matrixIsReadableAtTheDefaultSizes() {
  const DatasetPair pair = loadEmbeddedMnist();
  const std::vector<int> predicted = plausiblePredictions(pair.test);
  const QString dir = qEnvironmentVariable("DIGITLAB_SCREENSHOT_DIR");
  for (const QSize size : {QSize(640, 440), QSize(900, 650)}) {
    ResultsView view;
    view.resize(size);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setMetrics(0.0712, 0.9785, 0.1010, 0.9690);
    view.setResults(pair.test, predicted, pair.classNames);
    QVERIFY(view.misclassifiedCount() > ResultsView::kMaxGallery);  // the long title
    QCoreApplication::processEvents();
    const QString at = QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
    const QRect first = view.confusionCellRect(0, 0);
    const QRect last = view.confusionCellRect(9, 9);
    QVERIFY2(first.width() >= 24 && first.height() >= 24,
             qPrintable(at + QStringLiteral(": cell %1").arg(first.width())));
    // The precision row under the last row and the recall column right of the last column.
    const QRect precision = last.translated(0, last.height());
    const QRect recall = last.translated(last.width(), 0)
                             .adjusted(0, 0, QFontMetrics(view.font()).horizontalAdvance(QStringLiteral("100.0%")), 0);
    QVERIFY2(view.rect().contains(precision) && view.rect().contains(recall), qPrintable(at));
    QVERIFY(view.rect().contains(first));
    QVERIFY2(QFontInfo(view.confusionCountFont()).pointSizeF() >= 8.0,
             qPrintable(at + QStringLiteral(": %1 pt").arg(QFontInfo(view.confusionCountFont()).pointSizeF())));
    auto* title = view.findChild<QLabel*>(QStringLiteral("galleryTitle"));
    QVERIFY(title && title->text().contains(QStringLiteral("of")));
    QVERIFY2(title->height() >= title->heightForWidth(title->width()), qPrintable(at));
    QVERIFY(view.rect().contains(QRect(title->mapTo(&view, QPoint(0, 0)), title->size())));
    if (!dir.isEmpty()) QVERIFY(view.grab().save(QDir(dir).filePath(QStringLiteral("results_%1.png").arg(at))));
    // And a model opened with figures only.
    view.clear();
    view.setMetrics(0.0712, 0.9785, 0.1010, 0.9690);
    QCoreApplication::processEvents();
    if (!dir.isEmpty())
      QVERIFY(view.grab().save(QDir(dir).filePath(QStringLiteral("results_%1_figures_only.png").arg(at))));
  }
}

void TestResultsView::everyControlHasATooltip() {
  ResultsView view;
  view.setEvaluateEnabled(true);
  for (QPushButton* b : view.findChildren<QPushButton*>()) QVERIFY2(!b->toolTip().isEmpty(), qPrintable(b->text()));
  QVERIFY(!view.findChild<QWidget*>(QStringLiteral("confusionMatrix"))->toolTip().isEmpty());
}

void TestResultsView::confusionMatrixCountsAKnownPredictionVector() {
  ResultsView view;
  const Dataset test = tinySet({0, 0, 0, 1, 1, 2, 2, 2, 2, 9});
  const std::vector<int> predicted = {0, 0, 1, 1, 1, 2, 2, 7, 7, 9};
  view.setResults(test, predicted, digitNames());
  QVERIFY(view.hasResults());
  const ConfusionMatrix& cm = view.confusionMatrix();
  QCOMPARE(cm.total(), 10);
  QCOMPARE(cm.count(0, 0), 2);
  QCOMPARE(cm.count(0, 1), 1);
  QCOMPARE(cm.count(2, 7), 2);
  QCOMPARE(cm.count(9, 9), 1);
  QCOMPARE(cm.correct(), 7);
  QCOMPARE(view.misclassifiedCount(), 3);
}

void TestResultsView::galleryShowsExactlyTheMisclassifiedInTestOrder() {
  ResultsView view;
  const Dataset test = tinySet({0, 0, 0, 1, 1, 2, 2, 2, 2, 9});
  const std::vector<int> predicted = {0, 0, 1, 1, 1, 2, 2, 7, 7, 9};
  view.setResults(test, predicted, digitNames());
  QCOMPARE(view.galleryIndices(), (std::vector<int>{2, 7, 8}));
  QCOMPARE(view.galleryCaptions(), (QStringList{QStringLiteral("true 0 → pred 1"), QStringLiteral("true 2 → pred 7"),
                                                QStringLiteral("true 2 → pred 7")}));

  // All right: an empty gallery.
  view.setResults(test, std::vector<int>(test.labels.begin(), test.labels.end()), digitNames());
  QVERIFY(view.galleryIndices().empty());
  QCOMPARE(view.misclassifiedCount(), 0);

  // More predictions than samples: the extra ones are ignored.
  std::vector<int> longer = predicted;
  longer.push_back(3);
  view.setResults(test, longer, digitNames());
  QCOMPARE(view.confusionMatrix().total(), 10);
  QCOMPARE(view.galleryIndices(), (std::vector<int>{2, 7, 8}));
}

void TestResultsView::galleryStopsAtTheCapButCountsEveryMistake() {
  std::vector<uint8_t> labels(200);
  std::vector<int> predicted(200);
  std::vector<int> wrong;
  for (int i = 0; i < 200; ++i) {
    labels[size_t(i)] = uint8_t(i % 10);
    predicted[size_t(i)] = i % 3 == 0 ? (i + 1) % 10 : i % 10;  // every third is wrong
    if (i % 3 == 0) wrong.push_back(i);
  }
  ResultsView view;
  view.setResults(tinySet(labels), predicted, digitNames());
  QCOMPARE(view.misclassifiedCount(), int(wrong.size()));
  QVERIFY(int(wrong.size()) > ResultsView::kMaxGallery);
  const std::vector<int> shown = view.galleryIndices();
  QCOMPARE(int(shown.size()), ResultsView::kMaxGallery);
  QCOMPARE(shown, std::vector<int>(wrong.begin(), wrong.begin() + ResultsView::kMaxGallery));
}

void TestResultsView::classNamesLabelTheCaptions() {
  const std::vector<std::string> fashion = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                            "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  ResultsView view;
  view.setResults(tinySet({9, 7, 5}), {7, 7, 9}, fashion);
  QCOMPARE(view.galleryCaptions(), (QStringList{QStringLiteral("true Ankle boot → pred Sneaker"),
                                                QStringLiteral("true Sandal → pred Ankle boot")}));
  // Fewer than 10 names: digits.
  view.setResults(tinySet({9}), {4}, {});
  QCOMPARE(view.galleryCaptions(), QStringList{QStringLiteral("true 9 → pred 4")});
}

void TestResultsView::metricsAreShownLikeKerasAndNaNAsADash() {
  ResultsView view;
  view.setMetrics(0.07123, 0.97851, 0.0893, 0.9721);
  QCOMPARE(view.metricText(false, false), QStringLiteral("0.0712"));
  QVERIFY(view.metricText(false, true).startsWith(QStringLiteral("0.9785")));
  QCOMPARE(view.metricText(true, false), QStringLiteral("0.0893"));
  QCOMPARE(view.metricText(true, true), QStringLiteral("0.9721 (97.21%)"));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  view.setMetrics(nan, nan, 0.5, nan);
  QCOMPARE(view.metricText(false, false), QStringLiteral("—"));
  QCOMPARE(view.metricText(true, false), QStringLiteral("0.5000"));
}

void TestResultsView::clearEmptiesEverything() {
  ResultsView view;
  view.setMetrics(0.1, 0.9, 0.2, 0.8);
  view.setResults(tinySet({1, 2, 3}), {1, 3, 3}, digitNames());
  QVERIFY(view.hasResults());
  view.clear();
  QVERIFY(!view.hasResults());
  QCOMPARE(view.confusionMatrix().total(), 0);
  QCOMPARE(view.misclassifiedCount(), 0);
  QVERIFY(view.galleryIndices().empty());
  QCOMPARE(view.metricText(true, true), QStringLiteral("—"));
}

// Real test digits with plausible mistakes (4 ↔ 9, 7 → 1, 3 ↔ 5, ...), as after a short run.
void TestResultsView::rendersWithRealDigits() {
  QTemporaryDir tmp;
  const QString outDir = qEnvironmentVariable("DIGITLAB_SCREENSHOT_DIR", tmp.path());
  const DatasetPair pair = loadEmbeddedMnist();
  const Dataset& test = pair.test;
  QVERIFY(test.count > 0);
  const std::vector<int> predicted = plausiblePredictions(test);
  ResultsView view;
  view.resize(1100, 620);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  view.setMetrics(0.0712, 0.9785, 0.1010, 0.9690);
  view.setResults(test, predicted, pair.classNames);
  QVERIFY(view.misclassifiedCount() > 0);
  QCoreApplication::processEvents();  // let the layouts take the new label texts
  const QImage shot = view.grab().toImage();
  QVERIFY(!shot.isNull());
  QVERIFY(shot.save(outDir + QStringLiteral("/results_view.png")));

  // The first gallery tile shows the first misclassified digit, pixel for pixel: each of its
  // 28 x 28 grey levels fills a 3 x 3 block.
  auto* gallery = view.findChild<MisclassifiedGallery*>(QStringLiteral("misclassifiedGallery"));
  QVERIFY(gallery);
  const QImage tiles = gallery->grab().toImage();
  QCOMPARE(tiles.devicePixelRatio(), 1.0);
  const QRect image = gallery->imageRect(0);
  const int scale = MisclassifiedGallery::kImageSide / test.cols;
  const float* digit = test.image(view.galleryIndices().front());
  int inked = 0;
  for (int y = 0; y < test.rows; ++y)
    for (int x = 0; x < test.cols; ++x) {
      const int expected = int(std::lround(std::clamp(digit[y * test.cols + x], 0.0f, 1.0f) * 255.0f));
      // The block's centre (the frame drawn over the image's edge is one pixel wide).
      const QRgb shown = tiles.pixel(image.left() + x * scale + 1, image.top() + y * scale + 1);
      QVERIFY2(
          std::abs(qGray(shown) - expected) <= 1,
          qPrintable(QStringLiteral("pixel (%1, %2): %3, expected %4").arg(x).arg(y).arg(qGray(shown)).arg(expected)));
      inked += expected > 128;
    }
  QVERIFY(inked > 20);  // a real digit, not a blank tile

  // The matrix: diagonal cells blue, cells with errors red, empty cells light grey (sampled just
  // inside each cell's corner, away from its count).
  auto cellColour = [&](int t, int q) {
    const QRect cell = view.confusionCellRect(t, q);
    return QColor(shot.pixel(cell.topLeft() + QPoint(3, 3)));
  };
  const ConfusionMatrix& cm = view.confusionMatrix();
  int redCells = 0, emptyCells = 0;
  for (int t = 0; t < ConfusionMatrix::kClasses; ++t) {
    const QColor diagonal = cellColour(t, t);
    QVERIFY2(diagonal.blue() > diagonal.red() + 60, qPrintable(diagonal.name()));
    for (int q = 0; q < ConfusionMatrix::kClasses; ++q) {
      if (q == t) continue;
      const QColor c = cellColour(t, q);
      if (cm.count(t, q) > 0) {
        QVERIFY2(c.red() > c.blue() + 10, qPrintable(QStringLiteral("(%1, %2) %3").arg(t).arg(q).arg(c.name())));
        ++redCells;
      } else {
        QCOMPARE(c, QColor(246, 246, 246));
        ++emptyCells;
      }
    }
  }
  QVERIFY(redCells > 0 && emptyCells > 0);

  // Long class names (Fashion-MNIST's) and an empty view render too.
  view.setResults(
      test, predicted,
      {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"});
  QCoreApplication::processEvents();
  QVERIFY(view.grab().save(outDir + QStringLiteral("/results_view_fashion.png")));
  view.clear();
  QCoreApplication::processEvents();
  QVERIFY(view.grab().save(outDir + QStringLiteral("/results_view_empty.png")));
}

QTEST_MAIN(TestResultsView)
#include "test_ResultsView.moc"
