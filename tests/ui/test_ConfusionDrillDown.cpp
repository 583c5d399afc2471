// Tests of the Results tab's confusion drill-down (ui/ResultsView.h, ui/ConfusionDrillDown.h):
// a real click on a cell lists exactly the digits with that (true, predicted) pair, most
// confident first; the final test predictions get their confidences on demand, for the clicked
// cell's digits only; the matrix follows each epoch's validation predictions and says which data
// and epoch it shows; a click on a listed digit puts it on the drawing canvas (the panel's input
// is that image, the prediction follows, and drawing over it changes the answer); the CSV and PNG
// exports; and the same through the main window's wiring.

#include "QuietOffscreen.h"
#include "WindowTesting.h"

#include "ConfusionMatrixView.h"
#include "DigitPanel.h"
#include "DrawingCanvas.h"
#include "MainWindow.h"
#include "MisclassifiedGallery.h"
#include "ResultsView.h"
#include "TrainingController.h"

#include "nn/Model.h"

#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLocale>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace dl;

namespace {

// n 28x28 samples with the given labels; sample i has a 5x5 block of ink whose place depends on
// i (so every image differs) and pixel 300 = mark[i] (default 0.5).
Dataset makeSet(const std::vector<uint8_t>& labels, const std::vector<float>& mark = {}) {
  Dataset d;
  d.count = int(labels.size());
  d.labels = labels;
  d.images.assign(size_t(d.count) * d.pixels(), 0.0f);
  for (int i = 0; i < d.count; ++i) {
    float* p = d.images.data() + size_t(i) * d.pixels();
    const int y0 = 4 + (i % 4) * 5, x0 = 4 + (i / 4 % 4) * 5;
    for (int y = 0; y < 5; ++y)
      for (int x = 0; x < 5; ++x) p[(y0 + y) * 28 + x0 + x] = 1.0f;
    p[300] = size_t(i) < mark.size() ? mark[size_t(i)] : 0.5f;
  }
  return d;
}

std::vector<std::string> digitNames() {
  std::vector<std::string> names;
  for (int c = 0; c < 10; ++c) names.push_back(std::to_string(c));
  return names;
}

// Validation rows 8..19 of the training set (a split), with these classes and confidences:
//   row        8    9   10   11   12   13   14   15   16   17   18   19
//   true       7    7    1    7    7    2    7    7    3    7    1    7
//   predicted  1    7    1    1    7    2    1    7    3    1    7    7
//   confidence .55 .90 .80 .95 .60 .70 .42 .88 .99 .61 .50 .77
const std::vector<uint8_t> kValTrue = {7, 7, 1, 7, 7, 2, 7, 7, 3, 7, 1, 7};
const std::vector<int> kValPred = {1, 7, 1, 1, 7, 2, 1, 7, 3, 1, 7, 7};
const std::vector<float> kValConf = {.55f, .90f, .80f, .95f, .60f, .70f, .42f, .88f, .99f, .61f, .50f, .77f};

std::shared_ptr<const DatasetPair> splitData() {
  auto pair = std::make_shared<DatasetPair>();
  std::vector<uint8_t> labels = {7, 1, 7, 1, 7, 2, 7, 3};  // training rows 0..7: never listed
  labels.insert(labels.end(), kValTrue.begin(), kValTrue.end());
  pair->train = makeSet(labels);
  pair->test = makeSet({0, 1});
  pair->classNames = digitNames();
  pair->name = "tiny";
  return pair;
}

EpochPredictions predictionsFor(int epoch, const std::vector<int>& predicted, const std::vector<float>& confidence) {
  EpochPredictions p;
  p.epoch = epoch;
  p.source = EpochPredictions::Source::Train;
  p.firstRow = 8;
  p.count = int(predicted.size());
  p.classes = 10;
  p.probabilities.assign(size_t(p.count) * 10, 0.0f);
  for (int i = 0; i < p.count; ++i)
    for (int c = 0; c < 10; ++c)
      p.probabilities[size_t(i) * 10 + size_t(c)] =
          c == predicted[size_t(i)] ? confidence[size_t(i)] : (1.0f - confidence[size_t(i)]) / 9.0f;
  return p;
}

ConfusionMatrixView* matrixOf(ResultsView& view) {
  return view.findChild<ConfusionMatrixView*>(QStringLiteral("confusionMatrix"));
}
MisclassifiedGallery* galleryOf(ResultsView& view) {
  return view.findChild<MisclassifiedGallery*>(QStringLiteral("misclassifiedGallery"));
}

void clickCell(ResultsView& view, int t, int q) {
  ConfusionMatrixView* matrix = matrixOf(view);
  QTest::mouseClick(matrix, Qt::LeftButton, {}, matrix->cellRect(t, q).center());
}

QString percentText(double fraction) { return QLocale().toString(100.0 * fraction, 'f', 1) + QStringLiteral(" %"); }

}  // namespace

class TestConfusionDrillDown : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    quietOffscreen();
  }
  void clickedCellListsExactlyItsDigitsMostConfidentFirst();
  void finalTestPredictionsGetConfidencesOnDemandForTheCellOnly();
  void matrixFollowsEachEpochAndSaysWhatItShows();
  void clickedDigitGoesOnTheCanvasAndDrawingOverItChangesTheAnswer();
  void exportsCsvAndPng();
  void windowWiresEpochPredictionsAndTheCanvas();
};

void TestConfusionDrillDown::clickedCellListsExactlyItsDigitsMostConfidentFirst() {
  ResultsView view;
  view.resize(1000, 640);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  QVERIFY(view.showEpochPredictions(predictionsFor(3, kValPred, kValConf), splitData()));
  QCOMPARE(view.confusionMatrix().count(7, 1), 4);

  clickCell(view, 7, 1);
  QCOMPARE(view.selectedTrue(), 7);
  QCOMPARE(view.selectedPredicted(), 1);
  // True 7 predicted 1: rows 8 (.55), 11 (.95), 14 (.42), 17 (.61), by confidence.
  QCOMPARE(view.listedRows(), (std::vector<int>{11, 17, 8, 14}));
  const std::vector<float> conf = view.listedConfidences();
  QCOMPARE(conf.size(), size_t(4));
  QVERIFY(std::abs(conf[0] - 0.95f) < 1e-6f && std::abs(conf[3] - 0.42f) < 1e-6f);
  QCOMPARE(galleryOf(view)->items().size(), size_t(4));
  QCOMPARE(galleryOf(view)->items()[0].caption, percentText(0.95));
  QCOMPARE(galleryOf(view)->items()[0].index, 11);
  QVERIFY(view.findChild<QLabel*>(QStringLiteral("galleryTitle"))
              ->text()
              .contains(QStringLiteral("True 7 predicted as 1")));

  // Another cell: the diagonal, and a cell of one.
  clickCell(view, 7, 7);
  QCOMPARE(view.listedRows(), (std::vector<int>{9, 15, 19, 12}));
  clickCell(view, 1, 7);
  QCOMPARE(view.listedRows(), (std::vector<int>{18}));
  // An empty cell lists nothing; clicking the selected cell again goes back to the mistakes.
  clickCell(view, 0, 5);
  QVERIFY(view.listedRows().empty());
  clickCell(view, 0, 5);
  QCOMPARE(view.selectedTrue(), -1);
  QCOMPARE(view.listedRows(), (std::vector<int>{8, 11, 14, 17, 18}));  // the misclassified, in row order
  // A press on one cell released on another is no click.
  ConfusionMatrixView* matrix = matrixOf(view);
  QTest::mousePress(matrix, Qt::LeftButton, {}, matrix->cellRect(7, 1).center());
  QTest::mouseRelease(matrix, Qt::LeftButton, {}, matrix->cellRect(2, 2).center());
  QCOMPARE(view.selectedTrue(), -1);
}

void TestConfusionDrillDown::finalTestPredictionsGetConfidencesOnDemandForTheCellOnly() {
  // Test digits 0..5, true {4,4,4,9,4,9}, predicted {9,4,9,9,9,4}; the "model" says P(9) = pixel 300.
  const Dataset test = makeSet({4, 4, 4, 9, 4, 9}, {0.6f, 0.1f, 0.9f, 0.8f, 0.7f, 0.3f});
  const std::vector<int> predicted = {9, 4, 9, 9, 9, 4};
  int calls = 0, images = 0;
  ResultsView view;
  view.resize(1000, 640);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  view.setResults(test, predicted, digitNames());
  QCOMPARE(view.sourceText(), QStringLiteral("Test set, final"));

  // Without a model: the cell's digits in test order, confidence unknown.
  clickCell(view, 4, 9);
  QCOMPARE(view.listedRows(), (std::vector<int>{0, 2, 4}));
  QCOMPARE(view.listedConfidences(), (std::vector<float>{-1, -1, -1}));
  QVERIFY(view.findChild<QLabel*>(QStringLiteral("galleryTitle"))->text().contains(QStringLiteral("unknown")));
  view.selectCell(-1, -1);

  view.setProbabilityFunction([&](const std::vector<float>& x, int count) {
    ++calls;
    images += count;
    std::vector<float> p(size_t(count) * 10, 0.0f);
    for (int i = 0; i < count; ++i) {
      const float p9 = x[size_t(i) * 784 + 300];
      p[size_t(i) * 10 + 9] = p9;
      p[size_t(i) * 10 + 4] = 1 - p9;
    }
    return p;
  });
  clickCell(view, 4, 9);
  QCOMPARE(view.listedRows(), (std::vector<int>{2, 4, 0}));  // .9, .7, .6
  QCOMPARE(view.listedConfidences(), (std::vector<float>{0.9f, 0.7f, 0.6f}));
  QCOMPARE(calls, 1);
  QCOMPARE(images, 3);  // only the clicked cell's digits
  // Listed again: kept, not computed again.
  clickCell(view, 4, 9);
  clickCell(view, 4, 9);
  QCOMPARE(images, 3);
  // True 9 predicted as 4: one digit, its P(4) = 1 - 0.3.
  clickCell(view, 9, 4);
  QCOMPARE(view.listedRows(), (std::vector<int>{5}));
  QVERIFY(std::abs(view.listedConfidences()[0] - 0.7f) < 1e-6f);
  QCOMPARE(images, 4);
}

void TestConfusionDrillDown::matrixFollowsEachEpochAndSaysWhatItShows() {
  ResultsView view;
  view.resize(1000, 640);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  const auto data = splitData();
  auto* title = view.findChild<QLabel*>(QStringLiteral("matrixTitle"));
  QVERIFY(view.showEpochPredictions(predictionsFor(1, kValPred, kValConf), data));
  QCOMPARE(view.sourceText(), QStringLiteral("Validation, epoch 1"));
  QVERIFY(title->text().contains(QStringLiteral("Validation, epoch 1")));
  QVERIFY(view.summaryText().startsWith(QStringLiteral("Validation after epoch 1: 12 samples")));
  clickCell(view, 7, 1);
  QCOMPARE(view.listedRows().size(), size_t(4));

  // Epoch 2: every 7 right now; the listed cell stays listed, with the new (empty) list.
  std::vector<int> better = kValPred;
  for (size_t i = 0; i < better.size(); ++i) better[i] = kValTrue[i];
  QVERIFY(view.showEpochPredictions(predictionsFor(2, better, kValConf), data));
  QCOMPARE(view.sourceText(), QStringLiteral("Validation, epoch 2"));
  QCOMPARE(view.confusionMatrix().count(7, 1), 0);
  QCOMPARE(view.confusionMatrix().count(7, 7), 8);
  QCOMPARE(view.confusionMatrix().total(), 12);
  QCOMPARE(view.selectedTrue(), 7);
  QVERIFY(view.listedRows().empty());

  // Predictions that do not fit the data change nothing.
  EpochPredictions bad = predictionsFor(3, kValPred, kValConf);
  bad.firstRow = 15;  // 15 + 12 rows > 20
  QVERIFY(!view.showEpochPredictions(bad, data));
  bad = predictionsFor(3, kValPred, kValConf);
  bad.probabilities.pop_back();
  QVERIFY(!view.showEpochPredictions(bad, data));
  QCOMPARE(view.sourceText(), QStringLiteral("Validation, epoch 2"));

  // The final test predictions replace them, and say so.
  view.setResults(makeSet({3, 3}), {3, 5}, digitNames());
  QCOMPARE(view.sourceText(), QStringLiteral("Test set, final"));
  QVERIFY(title->text().contains(QStringLiteral("Test set, final")));
  view.clear();
  QVERIFY(view.sourceText().isEmpty());
  QCOMPARE(view.selectedTrue(), -1);
}

void TestConfusionDrillDown::clickedDigitGoesOnTheCanvasAndDrawingOverItChangesTheAnswer() {
  const auto data = splitData();
  ResultsView view;
  view.resize(1000, 640);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  DigitPanel panel;
  panel.resize(320, 700);
  panel.show();
  QVERIFY(QTest::qWaitForWindowExposed(&panel));
  Model model(presetMlp(), 5);
  panel.setModel(presetMlp(), model.weights());
  connect(&view, &ResultsView::digitChosen, &panel,
          [&](const QVector<float>& pixels, int truth, const QString& caption) {
            panel.showDigit(pixels.constData(), truth, caption);
          });
  QVERIFY(view.showEpochPredictions(predictionsFor(3, kValPred, kValConf), data));
  clickCell(view, 7, 1);
  QSignalSpy predictions(&panel, &DigitPanel::predictionChanged);
  MisclassifiedGallery* gallery = galleryOf(view);
  QTest::mouseClick(gallery, Qt::LeftButton, {}, gallery->imageRect(1).center());  // row 17
  QCOMPARE(predictions.count(), 1);

  const float* image = data->train.image(17);
  const auto& shown = panel.currentDigit().pixels;
  QVERIFY(std::equal(shown.begin(), shown.end(), image));
  // The prediction is the model's on exactly that image.
  const Matrix p = model.predict(image, 1);
  int top = 0;
  for (int c = 1; c < 10; ++c)
    if (p(0, c) > p(0, top)) top = c;
  QCOMPARE(panel.predictedClass(), top);
  QVERIFY(std::abs(panel.probabilities().at(top) - p(0, top)) < 1e-6f);
  auto* truth = panel.findChild<QLabel*>(QStringLiteral("trueLabel"));
  QVERIFY(truth->isVisible());
  QVERIFY2(truth->text().contains(QStringLiteral("training row 17")) &&
               truth->text().contains(QStringLiteral("true label: 7")),
           qPrintable(truth->text()));

  // Drawing over it: the input changes and a new prediction comes.
  DrawingCanvas* canvas = panel.canvas();
  QVERIFY(canvas->hasPicture());
  const int w = canvas->width(), h = canvas->height();
  QTest::mousePress(canvas, Qt::LeftButton, {}, QPoint(w / 4, h / 4));
  for (int i = 1; i <= 10; ++i) QTest::mouseMove(canvas, QPoint(w / 4 + i * w / 20, h / 4 + i * h / 20));
  QTest::mouseRelease(canvas, Qt::LeftButton, {}, QPoint(3 * w / 4, 3 * h / 4));
  QVERIFY(predictions.count() > 1);
  QVERIFY(canvas->hasPicture() && canvas->strokeCount() == 1);  // drawn over, not replaced
  const auto& after = panel.currentDigit().pixels;
  QVERIFY(!std::equal(after.begin(), after.end(), image));
  const Matrix q = model.predict(after.data(), 1);
  QVERIFY(std::abs(panel.probabilities().at(0) - q(0, 0)) < 1e-6f);  // follows the new input
  QVERIFY(!truth->isVisible());                                      // no longer that digit
}

void TestConfusionDrillDown::exportsCsvAndPng() {
  ResultsView view;
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  QString error;
  QVERIFY(!view.exportMatrixCsv(dir.filePath(QStringLiteral("none.csv")), &error));
  QVERIFY(error.contains(QStringLiteral("no confusion matrix")));
  view.setResults(makeSet({0, 0, 1, 9, 9, 9}), {0, 1, 1, 9, 9, 4}, digitNames());
  const QString csvPath = dir.filePath(QStringLiteral("m.csv"));
  QVERIFY2(view.exportMatrixCsv(csvPath, &error), qPrintable(error));
  QFile csv(csvPath);
  QVERIFY(csv.open(QIODevice::ReadOnly));
  const QList<QByteArray> lines = csv.readAll().split('\n');
  QCOMPARE(lines.size(), 12);  // header, 10 rows, and the empty piece after the last line break
  QCOMPARE(lines[0], QByteArray("true/predicted,0,1,2,3,4,5,6,7,8,9"));
  QCOMPARE(lines[1], QByteArray("0,1,1,0,0,0,0,0,0,0,0"));
  QCOMPARE(lines[2], QByteArray("1,0,1,0,0,0,0,0,0,0,0"));
  QCOMPARE(lines[10], QByteArray("9,0,0,0,0,1,0,0,0,0,2"));
  const QString pngPath = dir.filePath(QStringLiteral("m.png"));
  QVERIFY2(view.exportMatrixPng(pngPath, &error), qPrintable(error));
  const QImage png(pngPath);
  QCOMPARE(png.width(), 720);
  QVERIFY(png.height() > 660);
  // The matrix is painted: the (9, 9) cell's blue is somewhere in the picture.
  bool blue = false;
  for (int y = 0; y < png.height() && !blue; y += 2)
    for (int x = 0; x < png.width() && !blue; x += 2) {
      const QColor c = png.pixelColor(x, y);
      blue = c.blue() > 150 && c.red() < 100;
    }
  QVERIFY(blue);
  QVERIFY(!view.exportMatrixCsv(dir.filePath(QStringLiteral("missing/folder/m.csv")), &error));
  QVERIFY(error.contains(QStringLiteral("missing/folder")));
}

void TestConfusionDrillDown::windowWiresEpochPredictionsAndTheCanvas() {
  QString why;
  auto window = openTestWindow(&why);
  QVERIFY2(window, qPrintable(why));
  const auto data = window->dataset();
  QVERIFY(data && data->test.count == 2000);
  // Epoch 4's validation on the test set: everything right but the first three 3s, taken for 8s.
  EpochPredictions p;
  p.epoch = 4;
  p.source = EpochPredictions::Source::Test;
  p.firstRow = 0;
  p.count = data->test.count;
  p.classes = 10;
  p.probabilities.assign(size_t(p.count) * 10, 0.0f);
  std::vector<int> threes;
  for (int i = 0; i < p.count; ++i) {
    int predicted = data->test.labels[size_t(i)];
    if (predicted == 3 && threes.size() < 3) {
      threes.push_back(i);
      predicted = 8;
    }
    p.probabilities[size_t(i) * 10 + size_t(predicted)] = 1.0f - 0.1f * float(threes.size());
    p.probabilities[size_t(i) * 10 + size_t((predicted + 1) % 10)] = 0.1f * float(threes.size());
  }
  emit window->controller()->epochPredictions(p);
  ResultsView* results = window->results();
  QCOMPARE(results->sourceText(), QStringLiteral("Validation, epoch 4"));
  QCOMPARE(results->confusionMatrix().count(3, 8), 3);

  for (int i = 0; i < window->tabs()->count(); ++i)
    if (window->tabs()->widget(i)->isAncestorOf(results)) window->tabs()->setCurrentIndex(i);
  QTRY_VERIFY(results->isVisible());
  clickCell(*results, 3, 8);
  // Confidences .9, .8, .7 in the order the 3s come: the first 3 is the most confident.
  QCOMPARE(results->listedRows(), (std::vector<int>{threes[0], threes[1], threes[2]}));
  MisclassifiedGallery* gallery = galleryOf(*results);
  QTest::mouseClick(gallery, Qt::LeftButton, {}, gallery->imageRect(2).center());
  const float* image = data->test.image(threes[2]);
  const auto& shown = window->digitPanel()->currentDigit().pixels;
  QVERIFY(std::equal(shown.begin(), shown.end(), image));
  QVERIFY(window->digitPanel()
              ->findChild<QLabel*>(QStringLiteral("trueLabel"))
              ->text()
              .contains(QStringLiteral("true label: 3")));
}

QTEST_MAIN(TestConfusionDrillDown)
#include "test_ConfusionDrillDown.moc"
