// What a person sees of augmentation: the Digits preset in the builder, a click on one of its
// augmentation layers shows training digits as that layer and those before it transform them
// (the core's own layers in training mode), a click on the grid or on "Roll again" draws anew,
// and a layer of another kind hides the preview. And the drawing panel's "Train a model for
// drawing" in the main window: one click loads the Digits preset and starts training it.

#include "QuietOffscreen.h"
#include "WindowTesting.h"

#include "AugmentationPreview.h"
#include "DigitPanel.h"
#include "LayerListModel.h"
#include "ModelBuilder.h"
#include "TrainingController.h"

#include "nn/LayerRegistry.h"

#include <QLabel>
#include <QPushButton>
#include <QStandardPaths>
#include <QTest>
#include <QTreeView>

#include <cmath>
#include <memory>

using namespace dl;

namespace {

// Three 28x28 digits: a vertical bar, a horizontal bar and a ring.
std::vector<float> knownDigits() {
  std::vector<float> pixels(3 * 784, 0.0f);
  for (int y = 6; y < 22; ++y)
    for (int x = 13; x < 15; ++x) pixels[size_t(y * 28 + x)] = 1.0f;
  for (int y = 13; y < 15; ++y)
    for (int x = 6; x < 22; ++x) pixels[size_t(784 + y * 28 + x)] = 1.0f;
  for (int y = 0; y < 28; ++y)
    for (int x = 0; x < 28; ++x) {
      const double r = std::hypot(x + 0.5 - 14, y + 0.5 - 14);
      if (r > 6 && r < 8.5) pixels[size_t(2 * 784 + y * 28 + x)] = 1.0f;
    }
  return pixels;
}

// The grey level of the grid at 28x28 cell (column, row), pixel (x, y).
int cellPixel(const QImage& grid, int column, int row, int x, int y) {
  return qGray(grid.pixel(column * 30 + x, row * 30 + y));
}

// How many pixels of cell (column, row) differ from the same pixel of the original above it.
int changedPixels(const QImage& grid, int column, int row) {
  int changed = 0;
  for (int y = 0; y < 28; ++y)
    for (int x = 0; x < 28; ++x) changed += cellPixel(grid, column, row, x, y) != cellPixel(grid, column, 0, x, y);
  return changed;
}

}  // namespace

class TestAugmentationPreview : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    quietOffscreen();
  }
  void selectingAnAugmentationLayerShowsTransformedDigits();
  void aClickOnTheGridOrRollAgainDrawsAnew();
  void otherLayersHideItOrSayWhy();
  void augmentImagesIsTheLayersInTraining();
  void trainAModelForDrawingLoadsTheDigitsPresetAndTrains();

 private:
  void start();
  void clickRow(int row);
  AugmentationPreview* preview() const { return m_builder->augmentationPreview(); }

  std::unique_ptr<ModelBuilder> m_builder;
};

void TestAugmentationPreview::start() {
  m_builder = std::make_unique<ModelBuilder>();
  m_builder->resize(420, 900);
  m_builder->show();
  QVERIFY(QTest::qWaitForWindowExposed(m_builder.get()));
  m_builder->applyDigitsPreset();
  preview()->setImages(knownDigits(), 3, 28, 28);
}

void TestAugmentationPreview::clickRow(int row) {
  QTreeView* view = m_builder->layerView();
  view->scrollTo(m_builder->layerModel()->index(row, LayerListModel::NameColumn));
  const QRect rect = view->visualRect(m_builder->layerModel()->index(row, LayerListModel::NameColumn));
  QVERIFY(rect.isValid());
  QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
  QTRY_COMPARE(m_builder->currentLayer(), row);
}

void TestAugmentationPreview::selectingAnAugmentationLayerShowsTransformedDigits() {
  start();
  const ModelSpec spec = m_builder->spec();
  QCOMPARE(spec.layers[0].kind, LayerKind::RandomRotation);
  QVERIFY(layerKindInfo(spec.layers[2].kind).augmentation);
  QVERIFY(!layerKindInfo(spec.layers[3].kind).augmentation);
  clickRow(3);  // conv2d: no preview
  QVERIFY(!preview()->isVisible());

  clickRow(0);
  QTRY_VERIFY(preview()->isVisible());
  QCOMPARE(preview()->problem(), QString());
  const QImage grid = preview()->grid();
  QCOMPARE(grid.size(), QSize(3 * 30 - 2, (AugmentationPreview::kDraws + 1) * 30 - 2));
  // The top row is the digits as given.
  const std::vector<float> digits = knownDigits();
  for (int i = 0; i < 3; ++i)
    for (int y = 0; y < 28; ++y)
      for (int x = 0; x < 28; ++x)
        QCOMPARE(cellPixel(grid, i, 0, x, y), qRound(digits[size_t(i * 784 + y * 28 + x)] * 255));
  // Under the bars, rotations: every draw moves some pixels (RandomRotation 0.05 turns by up to
  // 18 degrees, and a bilinear turn of even a fraction of a degree greys a bar's edge).
  for (int d = 1; d <= AugmentationPreview::kDraws; ++d) {
    QVERIFY2(changedPixels(grid, 0, d) > 0, qPrintable(QStringLiteral("draw %1 of the vertical bar").arg(d)));
    QVERIFY2(changedPixels(grid, 1, d) > 0, qPrintable(QStringLiteral("draw %1 of the horizontal bar").arg(d)));
  }
  // The grid is on screen, scaled to the builder's width.
  auto* picture = preview()->findChild<QLabel*>(QStringLiteral("augmentationGrid"));
  QVERIFY(picture && picture->isVisible());
  QVERIFY(picture->pixmap().width() >= grid.width());

  // Rows 1 and 2 (translation, zoom) show the layers up to them, rotation included.
  clickRow(2);
  QTRY_VERIFY(preview()->isVisible());
  QCOMPARE(preview()->problem(), QString());
}

void TestAugmentationPreview::aClickOnTheGridOrRollAgainDrawsAnew() {
  start();
  clickRow(1);
  QTRY_VERIFY(preview()->isVisible());
  const QImage first = preview()->grid();
  const uint64_t seed = preview()->seed();
  auto* picture = preview()->findChild<QLabel*>(QStringLiteral("augmentationGrid"));
  QVERIFY(picture);
  QTest::mouseClick(preview(), Qt::LeftButton, {}, picture->geometry().center());
  QCOMPARE(preview()->seed(), seed + 1);
  const QImage second = preview()->grid();
  QVERIFY(second != first);
  auto* roll = preview()->findChild<QPushButton*>(QStringLiteral("augmentationRollButton"));
  QVERIFY(roll && roll->isVisible());
  QTest::mouseClick(roll, Qt::LeftButton);
  QCOMPARE(preview()->seed(), seed + 2);
  QVERIFY(preview()->grid() != second);
  // The originals stay where they were.
  QCOMPARE(preview()->grid().copy(0, 0, first.width(), 28), first.copy(0, 0, first.width(), 28));
}

void TestAugmentationPreview::otherLayersHideItOrSayWhy() {
  start();
  clickRow(0);
  QTRY_VERIFY(preview()->isVisible());
  clickRow(5);  // conv2d_1
  QTRY_VERIFY(!preview()->isVisible());

  // An augmentation layer after a Conv2D works on feature maps: the preview says so instead.
  ModelSpec spec = presetCnn();
  spec.layers.insert(spec.layers.begin() + 1, layerKindInfo(LayerKind::RandomZoom).newLayer());
  m_builder->setSpec(spec);
  clickRow(1);
  QTRY_VERIFY(preview()->isVisible());
  QVERIFY(preview()->grid().isNull());
  QVERIFY(preview()->problem().contains(QStringLiteral("placed first")));
}

void TestAugmentationPreview::augmentImagesIsTheLayersInTraining() {
  const ModelSpec spec = presetDigits();
  const std::vector<float> digits = knownDigits();
  // The same seed gives the same draw; another seed another.
  const std::vector<float> a = augmentImages(spec, 2, digits.data(), 3, 7);
  QCOMPARE(a, augmentImages(spec, 2, digits.data(), 3, 7));
  QVERIFY(a != augmentImages(spec, 2, digits.data(), 3, 8));
  QVERIFY(a != digits);
  // A translation alone by a whole pixel moves the bar without changing its ink.
  ModelSpec shift;
  shift.inputShape = {28, 28, 1};
  LayerSpec translation = layerKindInfo(LayerKind::RandomTranslation).newLayer();
  layerKindInfo(LayerKind::RandomTranslation).arg("height_factor")->set(translation, FactorRange{0, 0});
  layerKindInfo(LayerKind::RandomTranslation).arg("width_factor")->set(translation, FactorRange{1.0 / 28, 1.0 / 28});
  layerKindInfo(LayerKind::RandomTranslation).arg("interpolation")->set(translation, std::string("nearest"));
  shift.layers = {translation};
  const std::vector<float> moved = augmentImages(shift, 0, digits.data(), 1, 3);
  for (int y = 0; y < 28; ++y)
    for (int x = 0; x < 28; ++x) {
      const float expected = x >= 1 ? digits[size_t(y * 28 + x - 1)] : 0.0f;
      QCOMPARE(moved[size_t(y * 28 + x)], expected);
    }
  // Only augmentation layers at the start.
  QVERIFY_THROWS_EXCEPTION(SpecError, augmentImages(presetCnn(), 0, digits.data(), 1, 1));
  QCOMPARE(augmentationPrefixEnd(presetDigits(), 1), 1);
  QCOMPARE(augmentationPrefixEnd(presetDigits(), 3), -1);
  QCOMPARE(augmentationPrefixEnd(presetCnn(), 0), -1);
}

void TestAugmentationPreview::trainAModelForDrawingLoadsTheDigitsPresetAndTrains() {
  QString why;
  auto window = openTestWindow(&why);
  QVERIFY2(window, qPrintable(why));
  auto* button = window->findChild<QPushButton*>(QStringLiteral("trainForDrawingButton"));
  QVERIFY(button);
  QTRY_VERIFY(button->isVisible());  // no trained model yet
  QTest::mouseClick(button, Qt::LeftButton);
  QCOMPARE(window->findChild<ModelBuilder*>()->spec().name, presetDigits().name);
  QCOMPARE(window->findChild<ModelBuilder*>()->spec().layers, presetDigits().layers);
  QTRY_VERIFY(window->controller()->isRunning());
  QVERIFY(!button->isVisible());  // no second run while this one goes
  window->controller()->stop();
  QTRY_VERIFY_WITH_TIMEOUT(!window->controller()->isRunning(), 30000);
}

QTEST_MAIN(TestAugmentationPreview)
#include "test_AugmentationPreview.moc"
