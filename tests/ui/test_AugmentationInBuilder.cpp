// An augmentation layer as a user adds and edits it: RandomRotation double-clicked in the palette
// (real clicks) after the first layer of the tutorial CNN, its factor's bounds typed with real
// keys into the property editor; the spec follows, Keras's single-float form included. And a
// BatchNormalization's moving statistics in the builder's totals as non-trainable parameters.

#include "QuietOffscreen.h"

#include "LayerListModel.h"
#include "LayerPalette.h"
#include "LayerPropertyEditor.h"
#include "ModelBuilder.h"

#include "nn/LayerRegistry.h"

#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QStandardPaths>
#include <QTest>
#include <QTreeView>
#include <QUndoStack>

#include <memory>

using namespace dl;

class TestAugmentationInBuilder : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    quietOffscreen();
  }
  void randomRotationAddedFromThePaletteTakesATypedFactor();
  void zoomWidthFactorStartsAsTheHeightsAndTakesItsOwnRange();
  void batchNormalizationsMovingStatisticsShowAsNonTrainable();

 private:
  void start();
  void clickRow(int row);
  void doubleClickPalette(LayerKind kind);
  QDoubleSpinBox* spin(const char* name) const;
  // Clicks into the spin box, selects its text, types `text` and presses Enter.
  void type(QDoubleSpinBox* spin, const QString& text);
  FactorRange rangeAt(int row, const char* key) const;

  std::unique_ptr<ModelBuilder> m_builder;
};

void TestAugmentationInBuilder::start() {
  m_builder = std::make_unique<ModelBuilder>();
  m_builder->resize(460, 900);
  m_builder->show();
  QVERIFY(QTest::qWaitForWindowExposed(m_builder.get()));
  m_builder->activateWindow();
  QVERIFY(QTest::qWaitForWindowActive(m_builder.get()));
  m_builder->applyCnnPreset();
}

void TestAugmentationInBuilder::clickRow(int row) {
  QTreeView* view = m_builder->layerView();
  const QRect rect = view->visualRect(m_builder->layerModel()->index(row, LayerListModel::NameColumn));
  QVERIFY(rect.isValid());
  QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
}

void TestAugmentationInBuilder::doubleClickPalette(LayerKind kind) {
  LayerPalette* palette = m_builder->palette();
  QListWidgetItem* item = palette->item(palette->rowOf(kind));
  QVERIFY(item);
  const QPoint centre = palette->visualItemRect(item).center();
  QVERIFY(palette->viewport()->rect().contains(centre));
  QTest::mouseClick(palette->viewport(), Qt::LeftButton, {}, centre);
  QTest::mouseDClick(palette->viewport(), Qt::LeftButton, {}, centre);
}

QDoubleSpinBox* TestAugmentationInBuilder::spin(const char* name) const {
  auto* s = m_builder->propertyEditor()->findChild<QDoubleSpinBox*>(QLatin1String(name));
  return s && s->isVisible() ? s : nullptr;
}

void TestAugmentationInBuilder::type(QDoubleSpinBox* spin, const QString& text) {
  QVERIFY(spin);
  QTest::mouseClick(spin->findChild<QLineEdit*>(), Qt::LeftButton);
  QTRY_VERIFY(spin->hasFocus());
  QTest::keyClick(spin, Qt::Key_A, Qt::ControlModifier);
  QTest::keyClicks(spin, text);
  QTest::keyClick(spin, Qt::Key_Return);
}

FactorRange TestAugmentationInBuilder::rangeAt(int row, const char* key) const {
  const LayerSpec l = m_builder->spec().layers[size_t(row)];  // spec() is a copy
  return std::get<FactorRange>(layerKindInfo(l.kind).arg(key)->get(l));
}

void TestAugmentationInBuilder::randomRotationAddedFromThePaletteTakesATypedFactor() {
  start();
  const size_t before = m_builder->spec().layers.size();
  clickRow(0);
  doubleClickPalette(LayerKind::RandomRotation);
  QCOMPARE(m_builder->spec().layers.size(), before + 1);
  QCOMPARE(m_builder->spec().layers[1].kind, LayerKind::RandomRotation);
  QVERIFY(m_builder->isValid());
  QCOMPARE(m_builder->layerModel()->index(1, LayerListModel::ShapeColumn).data().toString(),
           QStringLiteral("(None, 28, 28, 32)"));
  QTRY_COMPARE(m_builder->propertyEditor()->layer().kind, LayerKind::RandomRotation);

  // The new layer's factor shows as its two bounds.
  QDoubleSpinBox* lower = spin("factorLowerSpin");
  QDoubleSpinBox* upper = spin("factorUpperSpin");
  QVERIFY(lower && upper);
  QCOMPARE(lower->value(), -0.05);
  QCOMPARE(upper->value(), 0.05);

  type(upper, QStringLiteral("0.2"));
  QCOMPARE(rangeAt(1, "factor"), (FactorRange{-0.05, 0.2}));
  type(lower, QStringLiteral("-0.3"));
  QCOMPARE(rangeAt(1, "factor"), (FactorRange{-0.3, 0.2}));
  // A lower bound above the upper one is sorted, as Keras sorts (lower, upper).
  type(lower, QStringLiteral("0.5"));
  QCOMPARE(rangeAt(1, "factor"), (FactorRange{0.2, 0.5}));
  QCOMPARE(lower->value(), 0.2);
  QCOMPARE(upper->value(), 0.5);
  // The symmetric range is Keras's single float.
  type(lower, QStringLiteral("-0.5"));
  QCOMPARE(rangeAt(1, "factor"), (FactorRange{-0.5, 0.5}));
  QCOMPARE(QString::fromStdString(
               layerKindInfo(LayerKind::RandomRotation).kerasCall(m_builder->spec().layers[1], "random_rotation")),
           QStringLiteral("layers.RandomRotation(0.5, fill_mode=\"constant\", name=\"random_rotation\")"));
  // Each typed value was one undo step.
  m_builder->undoStack()->undo();
  QCOMPARE(rangeAt(1, "factor"), (FactorRange{0.2, 0.5}));
}

void TestAugmentationInBuilder::zoomWidthFactorStartsAsTheHeightsAndTakesItsOwnRange() {
  start();
  clickRow(0);
  doubleClickPalette(LayerKind::RandomZoom);
  QCOMPARE(m_builder->spec().layers[1].kind, LayerKind::RandomZoom);
  QTRY_COMPARE(m_builder->propertyEditor()->layer().kind, LayerKind::RandomZoom);
  QDoubleSpinBox* lower = spin("widthFactorLowerSpin");
  QVERIFY(lower);
  QCOMPARE(lower->text(), QStringLiteral("height"));  // None: the height's zoom
  QCOMPARE(rangeAt(1, "width_factor"), kAutomaticRange);
  // One arrow step up leaves "height": a single number f is (-f, f).
  QTest::mouseClick(lower->findChild<QLineEdit*>(), Qt::LeftButton);
  QTRY_VERIFY(lower->hasFocus());
  QTest::keyClick(lower, Qt::Key_Up);
  QCOMPARE(rangeAt(1, "width_factor"), (FactorRange{-1.0, 1.0}));
  type(spin("widthFactorUpperSpin"), QStringLiteral("0.25"));
  type(lower, QStringLiteral("-0.1"));
  QCOMPARE(rangeAt(1, "width_factor"), (FactorRange{-0.1, 0.25}));
  const QString shots = qEnvironmentVariable("DIGITLAB_SHOTS");  // set: the grab is saved there
  if (!shots.isEmpty()) QVERIFY(m_builder->grab().save(shots + QStringLiteral("/builder-random-zoom.png")));
}

void TestAugmentationInBuilder::batchNormalizationsMovingStatisticsShowAsNonTrainable() {
  start();
  clickRow(0);  // conv2d: 32 channels
  doubleClickPalette(LayerKind::BatchNormalization);
  QCOMPARE(m_builder->spec().layers[1].kind, LayerKind::BatchNormalization);
  QCOMPARE(m_builder->layerModel()->index(1, LayerListModel::ParamsColumn).data().toString(), QStringLiteral("128"));
  auto* totals = m_builder->findChild<QLabel*>(QStringLiteral("totalsLabel"));
  QVERIFY(totals);
  // 3,274,634 + 4 x 32, of which moving_mean and moving_variance (2 x 32) are non-trainable.
  QVERIFY2(totals->text().contains(QLatin1String("Total params: 3,274,762")), qPrintable(totals->text()));
  QVERIFY2(totals->text().contains(QStringLiteral("Trainable: 3,274,698 · Non-trainable: 64")),
           qPrintable(totals->text()));
}

QTEST_MAIN(TestAugmentationInBuilder)
#include "test_AugmentationInBuilder.moc"
