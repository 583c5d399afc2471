// The model builder as a user drives it: layers added from the palette by double-click, edited in
// the property editor, reordered by drag-and-drop and buttons, undone and redone; an impossible
// stack is marked on the guilty layer and turns the builder invalid; the tutorial presets have
// the tutorial's parameter totals; Save/Load round-trips a spec. Rows are selected with real mouse
// clicks, layers added and deleted with real keys; the panel reads in full at 300 px.

#include "QuietOffscreen.h"

#include "AppSettings.h"
#include "LayerListModel.h"
#include "LayerPalette.h"
#include "LayerPropertyEditor.h"
#include "ModelBuilder.h"

#include "model/ModelSpecJson.h"
#include "nn/LayerRegistry.h"

#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QSet>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QUndoStack>

#include <memory>

using namespace dl;

class TestModelBuilder : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void cleanup();

  void startsWithTheTutorialMlp();
  void presetsHaveTheTutorialParameterTotals();
  void doubleClickInPaletteAddsLayerAfterSelection();
  void propertyEditorEditsChangeShapesAndMergeIntoOneUndoStep();
  void dragAndDropReordersAndInsertsLayers();
  void deleteDuplicateAndMoveButtonsAreUndoable();
  void conv2dAfterFlattenIsInvalidAndNamesTheLayer();
  void denseOnImageInputIsInvalidAndUndoRestoresValidity();
  void inputShapeChoiceIsUndoable();
  void saveAndLoadRoundTripTheSpec();

  // Undo steps and the training settings that come with a whole model.
  void undoingAPresetOrALoadRestoresItsTrainingSettings();
  void separateEditsOfOneArgumentAreSeparateUndoSteps();
  void undoAndRedoAreOffWhileTheBuilderIsDisabled();
  // The property editor.
  void typingAValueIsOneChangeOnEnter();
  void editingOneArgumentNeverClampsAnother();
  void everyRegistryArgumentHasOneEditorThatReadsAndWritesIt();
  void aNameAnotherLayerHasIsRefusedWithAMessage();
  // Drag-and-drop through the views, and the keyboard.
  void paletteEntryDroppedOnTheLayerViewInsertsThere();
  void rowDraggedWithinTheLayerViewMovesOnce();
  void keyboardAddsDuplicatesMovesAndDeletesLayers();

  // Issue 8: the builder as a newcomer meets it.
  void clickingALayerRowWithTheMouseSelectsIt();
  void enterOrSpaceOnThePaletteAndDeleteOnTheStackWork();
  void tabReachesEveryButtonAndEveryControlHasATooltip();
  void namesReadInFullAt300And380Pixels();
  void aHalfBuiltStackMarksOnlyTheBreakingLayer();
  void anInvalidValueNeverMovesThePropertyEditor();
  void presetButtonsOnlyAskForThePreset();
  void anEmptyModelShowsHowToBegin();
  void exportAndImportStartInTheLastFolderAndSayWhatHappened();

 private:
  QString shapeAt(int row) const;
  QString paramsAt(int row) const;
  void doubleClickPalette(LayerKind kind);
  // Sends a drag's enter/move/drop to the layer view's viewport at `pos`, as a drag would; returns
  // whether the view accepted the drop as a move (the case in which a dragging view removes the
  // source row itself).
  bool dropOnLayerView(const QMimeData* data, QPoint pos, Qt::DropActions actions);
  QSpinBox* spin(const char* name) const;
  void activate();
  // A left click on the layer stack's row (its centre), or at a point of its viewport.
  void clickRow(int row);
  void clickStack(QPoint pos);
  QToolButton* button(const char* name) const;

  std::unique_ptr<ModelBuilder> m_builder;
};

void TestModelBuilder::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  quietOffscreen();
}

void TestModelBuilder::init() {
  m_builder = std::make_unique<ModelBuilder>();
  m_builder->resize(460, 900);
  m_builder->show();
  QVERIFY(QTest::qWaitForWindowExposed(m_builder.get()));
}

void TestModelBuilder::cleanup() { m_builder.reset(); }

QString TestModelBuilder::shapeAt(int row) const {
  return m_builder->layerModel()->index(row, LayerListModel::ShapeColumn).data().toString();
}

QString TestModelBuilder::paramsAt(int row) const {
  return m_builder->layerModel()->index(row, LayerListModel::ParamsColumn).data().toString();
}

void TestModelBuilder::doubleClickPalette(LayerKind kind) {
  LayerPalette* palette = m_builder->palette();
  QListWidgetItem* item = palette->item(palette->rowOf(kind));
  QVERIFY(item);
  const QPoint centre = palette->visualItemRect(item).center();
  // As a real double-click arrives: the first click, then the double-click event.
  QTest::mouseClick(palette->viewport(), Qt::LeftButton, {}, centre);
  QTest::mouseDClick(palette->viewport(), Qt::LeftButton, {}, centre);
}

void TestModelBuilder::startsWithTheTutorialMlp() {
  QCOMPARE(m_builder->spec().layers, presetMlp().layers);
  QVERIFY(m_builder->isValid());
  QVERIFY(!m_builder->undoStack()->canUndo());
  QCOMPARE(m_builder->layerModel()->rowCount(), 5);
  QCOMPARE(m_builder->layerModel()->index(0, 0).data().toString(), QStringLiteral("dense (Dense)"));
  QCOMPARE(m_builder->layerModel()->index(2, 0).data().toString(), QStringLiteral("dense_1 (Dense)"));
  QCOMPARE(shapeAt(0), QStringLiteral("(None, 200)"));
  QCOMPARE(paramsAt(0), QStringLiteral("157,000"));
}

void TestModelBuilder::presetsHaveTheTutorialParameterTotals() {
  QSignalSpy training(m_builder.get(), &ModelBuilder::trainingSpecLoaded);
  m_builder->applyCnnPreset();
  QCOMPARE(m_builder->analysis().totalParams, int64_t(3274634));
  QVERIFY(m_builder->totalsText().contains(QLatin1String("3,274,634")));
  QVERIFY(m_builder->findChild<QLabel*>(QStringLiteral("totalsLabel"))->text().contains(QLatin1String("3,274,634")));
  QCOMPARE(shapeAt(4), QStringLiteral("(None, 3136)"));  // flatten of 7x7x64
  QCOMPARE(paramsAt(5), QStringLiteral("3,212,288"));
  QCOMPARE(training.count(), 1);
  const auto cnnTraining = training.last().at(0).value<TrainingSpec>();
  QCOMPARE(cnnTraining.optimizer.type, std::string("adam"));
  QCOMPARE(cnnTraining.batchSize, 64);
  QCOMPARE(cnnTraining.epochs, 1);

  m_builder->applyMlpPreset();
  QCOMPARE(m_builder->analysis().totalParams, int64_t(178110));
  QVERIFY(m_builder->totalsText().contains(QLatin1String("178,110")));
  QCOMPARE(m_builder->spec().inputShape, (Shape{784}));
  const auto mlpTraining = training.last().at(0).value<TrainingSpec>();
  QCOMPARE(mlpTraining.optimizer.learningRate, 0.2);
  QCOMPARE(mlpTraining.batchSize, 32);
  QCOMPARE(mlpTraining.epochs, 5);

  // Presets are undoable steps like any other.
  m_builder->undoStack()->undo();
  QCOMPARE(m_builder->analysis().totalParams, int64_t(3274634));
}

void TestModelBuilder::doubleClickInPaletteAddsLayerAfterSelection() {
  QSignalSpy changed(m_builder.get(), &ModelBuilder::specChanged);
  m_builder->selectLayer(1);  // the first Dropout
  doubleClickPalette(LayerKind::Dense);
  QTRY_COMPARE(m_builder->spec().layers.size(), size_t(6));
  QVERIFY(changed.count() >= 1);
  const LayerSpec added = m_builder->spec().layers[2];
  QCOMPARE(added.kind, LayerKind::Dense);
  QCOMPARE(added.units, 64);
  QCOMPARE(m_builder->currentLayer(), 2);  // the new layer is selected
  QCOMPARE(shapeAt(2), QStringLiteral("(None, 64)"));
  QCOMPARE(paramsAt(2), QStringLiteral("12,864"));  // 200*64 + 64
  QCOMPARE(shapeAt(3), QStringLiteral("(None, 100)"));
  QCOMPARE(paramsAt(3), QStringLiteral("6,500"));  // the next Dense now sees 64 inputs: 64*100 + 100
  QCOMPARE(m_builder->layerModel()->index(2, 0).data().toString(), QStringLiteral("dense_1 (Dense)"));
  QVERIFY(m_builder->isValid());

  // Nothing selected: the new layer goes to the end.
  m_builder->selectLayer(-1);
  doubleClickPalette(LayerKind::Dropout);
  QTRY_COMPARE(m_builder->spec().layers.size(), size_t(7));
  QCOMPARE(m_builder->spec().layers.back().kind, LayerKind::Dropout);

  m_builder->undoStack()->undo();
  m_builder->undoStack()->undo();
  QCOMPARE(m_builder->spec().layers, presetMlp().layers);
  m_builder->undoStack()->redo();
  QCOMPARE(m_builder->spec().layers.size(), size_t(6));
}

void TestModelBuilder::propertyEditorEditsChangeShapesAndMergeIntoOneUndoStep() {
  m_builder->selectLayer(0);
  auto* units = m_builder->propertyEditor()->findChild<QSpinBox*>(QStringLiteral("unitsSpin"));
  QVERIFY(units);
  QVERIFY(units->isVisible());
  QCOMPARE(units->value(), 200);
  QVERIFY(!m_builder->propertyEditor()->findChild<QSpinBox*>(QStringLiteral("filtersSpin"))->isVisible());

  // Typed digit by digit: 3, 30, 300: one undo step.
  for (int v : {3, 30, 300}) units->setValue(v);
  QCOMPARE(m_builder->spec().layers[0].units, 300);
  QCOMPARE(shapeAt(0), QStringLiteral("(None, 300)"));
  QCOMPARE(paramsAt(0), QStringLiteral("235,500"));  // 784*300 + 300
  QCOMPARE(paramsAt(2), QStringLiteral("30,100"));   // 300*100 + 100
  QCOMPARE(m_builder->undoStack()->count(), 1);

  auto* activation = m_builder->propertyEditor()->findChild<QComboBox*>(QStringLiteral("activationCombo"));
  activation->setCurrentText(QStringLiteral("relu"));
  QCOMPARE(m_builder->spec().layers[0].activation, std::string("relu"));
  QCOMPARE(m_builder->undoStack()->count(), 2);

  m_builder->undoStack()->undo();
  QCOMPARE(m_builder->spec().layers[0].activation, std::string("tanh"));
  QCOMPARE(activation->currentText(), QStringLiteral("tanh"));  // the editor follows
  m_builder->undoStack()->undo();
  QCOMPARE(m_builder->spec().layers[0].units, 200);
  QCOMPARE(units->value(), 200);
  QCOMPARE(shapeAt(0), QStringLiteral("(None, 200)"));

  // Dropout shows only its rate.
  m_builder->selectLayer(1);
  QVERIFY(!units->isVisible());
  auto* rate = m_builder->propertyEditor()->findChild<QDoubleSpinBox*>(QStringLiteral("rateSpin"));
  QVERIFY(rate->isVisible());
  rate->setValue(0.25);
  QCOMPARE(m_builder->spec().layers[1].rate, 0.25);
}

void TestModelBuilder::dragAndDropReordersAndInsertsLayers() {
  LayerListModel* model = m_builder->layerModel();
  // Drag the last Dense (row 4) to the top: drop before row 0.
  std::unique_ptr<QMimeData> rowData(model->mimeData({model->index(4, 0)}));
  QVERIFY(rowData);
  model->dropMimeData(rowData.get(), Qt::MoveAction, 0, 0, {});
  QTRY_COMPARE(m_builder->spec().layers[0].units, 10);
  QCOMPARE(m_builder->spec().layers.size(), size_t(5));
  QCOMPARE(shapeAt(0), QStringLiteral("(None, 10)"));
  QVERIFY(!m_builder->isValid());  // now it ends in a Dropout

  // Drag a row down: from row 0 to the end (drop after the last row).
  rowData.reset(model->mimeData({model->index(0, 0)}));
  model->dropMimeData(rowData.get(), Qt::MoveAction, model->rowCount(), 0, {});
  QTRY_COMPARE(m_builder->spec().layers, presetMlp().layers);
  QVERIFY(m_builder->isValid());

  // A palette entry dropped between rows 1 and 2.
  QMimeData kind;
  kind.setData(LayerListModel::kindMimeType(), "Activation");
  model->dropMimeData(&kind, Qt::CopyAction, 2, 0, {});
  QTRY_COMPARE(m_builder->spec().layers.size(), size_t(6));
  QCOMPARE(m_builder->spec().layers[2].kind, LayerKind::Activation);
  QCOMPARE(shapeAt(2), QStringLiteral("(None, 200)"));

  m_builder->undoStack()->undo();
  m_builder->undoStack()->undo();
  m_builder->undoStack()->undo();
  QCOMPARE(m_builder->spec().layers, presetMlp().layers);
}

void TestModelBuilder::deleteDuplicateAndMoveButtonsAreUndoable() {
  m_builder->duplicateLayer(0);
  QCOMPARE(m_builder->spec().layers.size(), size_t(6));
  QCOMPARE(m_builder->spec().layers[1], m_builder->spec().layers[0]);
  QCOMPARE(m_builder->currentLayer(), 1);
  QCOMPARE(shapeAt(1), QStringLiteral("(None, 200)"));
  QCOMPARE(paramsAt(1), QStringLiteral("40,200"));  // 200*200 + 200

  m_builder->removeLayer(1);
  QCOMPARE(m_builder->spec().layers, presetMlp().layers);

  m_builder->moveLayer(1, 2);  // Dropout below the second Dense
  QCOMPARE(m_builder->spec().layers[1].kind, LayerKind::Dense);
  QCOMPARE(m_builder->spec().layers[2].kind, LayerKind::Dropout);
  QCOMPARE(m_builder->currentLayer(), 2);
  QCOMPARE(shapeAt(2), QStringLiteral("(None, 100)"));

  // Ctrl+Z in the window undoes (through the builder's action).
  m_builder->activateWindow();
  m_builder->layerView()->setFocus();
  QTest::keyClick(m_builder->layerView(), Qt::Key_Z, Qt::ControlModifier);
  QCOMPARE(m_builder->spec().layers, presetMlp().layers);
  QTest::keyClick(m_builder->layerView(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
  QCOMPARE(m_builder->spec().layers[2].kind, LayerKind::Dropout);
  m_builder->undoStack()->undo();

  // Delete key on the list.
  m_builder->selectLayer(3);
  QTest::keyClick(m_builder->layerView(), Qt::Key_Delete);
  QCOMPARE(m_builder->spec().layers.size(), size_t(4));
  m_builder->undoStack()->undo();
  m_builder->undoStack()->undo();
  m_builder->undoStack()->undo();
  QCOMPARE(m_builder->spec().layers, presetMlp().layers);
  QVERIFY(!m_builder->undoStack()->canUndo());
}

void TestModelBuilder::conv2dAfterFlattenIsInvalidAndNamesTheLayer() {
  m_builder->applyCnnPreset();
  QVERIFY(m_builder->isValid());
  QSignalSpy validity(m_builder.get(), &ModelBuilder::validityChanged);
  m_builder->selectLayer(4);  // flatten
  doubleClickPalette(LayerKind::Conv2D);
  QTRY_COMPARE(validity.count(), 1);
  QCOMPARE(validity.at(0).at(0).toBool(), false);
  QVERIFY(!m_builder->isValid());
  QCOMPARE(m_builder->analysis().errorLayer, 5);
  QVERIFY2(m_builder->errorText().contains(QLatin1String("conv2d_2")), qPrintable(m_builder->errorText()));
  auto* error = m_builder->findChild<QLabel*>(QStringLiteral("errorLabel"));
  QVERIFY(error->isVisible());
  // The line wraps the text itself (and would elide what does not fit); the whole text is its tooltip.
  QCOMPARE(error->text().replace(QLatin1Char('\n'), QLatin1Char(' ')), m_builder->errorText());
  QCOMPARE(error->toolTip(), m_builder->errorText());

  // The row is red, says why in its tooltip; the rows after it are not checked.
  const QModelIndex bad = m_builder->layerModel()->index(5, 0);
  QCOMPARE(bad.data(Qt::ForegroundRole).value<QColor>(), QColor(0xb0, 0x10, 0x10));
  QVERIFY(!bad.data(Qt::ToolTipRole).toString().isEmpty());
  QVERIFY(!bad.data(LayerListModel::ErrorRole).toString().isEmpty());
  QCOMPARE(m_builder->layerModel()->index(5, LayerListModel::ShapeColumn).data().toString(), QStringLiteral("error"));
  QCOMPARE(paramsAt(6), QStringLiteral("?"));
  QVERIFY(m_builder->totalsText().contains(QLatin1String("?")));

  m_builder->undoStack()->undo();
  QCOMPARE(validity.count(), 2);
  QCOMPARE(validity.at(1).at(0).toBool(), true);
  QVERIFY(m_builder->errorText().isEmpty());
  QVERIFY(!error->isVisible());
}

void TestModelBuilder::denseOnImageInputIsInvalidAndUndoRestoresValidity() {
  QSignalSpy validity(m_builder.get(), &ModelBuilder::validityChanged);
  m_builder->setInputShape({28, 28, 1});  // the MLP's first Dense now sees an image
  QCOMPARE(validity.count(), 1);
  QCOMPARE(validity.at(0).at(0).toBool(), false);
  QCOMPARE(m_builder->analysis().errorLayer, 0);
  QVERIFY2(m_builder->errorText().contains(QLatin1String("dense")), qPrintable(m_builder->errorText()));
  QVERIFY(!m_builder->layerModel()->index(0, 0).data(Qt::ToolTipRole).toString().isEmpty());

  // A Flatten in front fixes it.
  m_builder->insertLayer(LayerKind::Flatten, 0);
  QVERIFY(m_builder->isValid());
  QCOMPARE(validity.count(), 2);
  QCOMPARE(shapeAt(0), QStringLiteral("(None, 784)"));
  QCOMPARE(m_builder->analysis().totalParams, int64_t(178110));

  m_builder->undoStack()->undo();
  QVERIFY(!m_builder->isValid());
  m_builder->undoStack()->undo();
  QVERIFY(m_builder->isValid());
  QCOMPARE(validity.count(), 4);
}

void TestModelBuilder::inputShapeChoiceIsUndoable() {
  auto* combo = m_builder->findChild<QComboBox*>(QStringLiteral("inputShapeCombo"));
  QVERIFY(combo);
  QCOMPARE(combo->currentIndex(), 0);
  m_builder->applyCnnPreset();
  QCOMPARE(combo->currentIndex(), 1);
  m_builder->setInputShape({784});
  QCOMPARE(m_builder->spec().inputShape, (Shape{784}));
  QVERIFY(!m_builder->isValid());  // Conv2D on a flat input
  QCOMPARE(m_builder->analysis().errorLayer, 0);
  QCOMPARE(combo->currentIndex(), 0);
  m_builder->undoStack()->undo();
  QCOMPARE(m_builder->spec().inputShape, (Shape{28, 28, 1}));
  QCOMPARE(combo->currentIndex(), 1);
  QVERIFY(m_builder->isValid());
}

void TestModelBuilder::saveAndLoadRoundTripTheSpec() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString path = dir.filePath(QStringLiteral("cnn.json"));
  m_builder->applyCnnPreset();
  TrainingSpec training = presetCnn().training;
  training.epochs = 3;
  m_builder->setTrainingSpec(training);
  QString error;
  QVERIFY2(m_builder->saveToFile(path, &error), qPrintable(error));
  QCOMPARE(readModelSpecFile(path.toStdString()).layers, presetCnn().layers);

  m_builder->applyMlpPreset();
  QSignalSpy trainingLoaded(m_builder.get(), &ModelBuilder::trainingSpecLoaded);
  QVERIFY2(m_builder->loadFromFile(path, &error), qPrintable(error));
  QCOMPARE(m_builder->spec().layers, presetCnn().layers);
  QCOMPARE(m_builder->spec().inputShape, presetCnn().inputShape);
  QCOMPARE(trainingLoaded.count(), 1);
  QCOMPARE(trainingLoaded.at(0).at(0).value<TrainingSpec>().epochs, 3);
  QCOMPARE(m_builder->analysis().totalParams, int64_t(3274634));

  QVERIFY(!m_builder->loadFromFile(dir.filePath(QStringLiteral("missing.json")), &error));
  QVERIFY(!error.isEmpty());
  QCOMPARE(m_builder->spec().layers, presetCnn().layers);  // unchanged
}

// A missing widget fails the test (in every build type) and gets a stand-in, so that the calling
// line does not crash before the failure is reported.
QSpinBox* TestModelBuilder::spin(const char* name) const {
  if (auto* s = m_builder->propertyEditor()->findChild<QSpinBox*>(QLatin1String(name))) return s;
  QTest::qFail(qPrintable(QStringLiteral("the property editor has no spin box %1").arg(QLatin1String(name))), __FILE__,
               __LINE__);
  static QSpinBox* const standIn = new QSpinBox;
  return standIn;
}

void TestModelBuilder::activate() {
  m_builder->activateWindow();
  QVERIFY(QTest::qWaitForWindowActive(m_builder.get()));
}

bool TestModelBuilder::dropOnLayerView(const QMimeData* data, QPoint pos, Qt::DropActions actions) {
  QWidget* viewport = m_builder->layerView()->viewport();
  QDragEnterEvent enter(pos, actions, data, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(viewport, &enter);
  QDragMoveEvent move(pos, actions, data, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(viewport, &move);
  if (!move.isAccepted()) qWarning("the layer view refused the drag");
  QDropEvent drop(QPointF(pos), actions, data, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(viewport, &drop);
  return drop.isAccepted() && drop.dropAction() == Qt::MoveAction;
}

void TestModelBuilder::undoingAPresetOrALoadRestoresItsTrainingSettings() {
  TrainingSpec mine = presetMlp().training;
  mine.epochs = 7;
  mine.optimizer.learningRate = 0.05;
  mine.validateOnTestSet = true;
  m_builder->setTrainingSpec(mine);
  QSignalSpy loaded(m_builder.get(), &ModelBuilder::trainingSpecLoaded);

  m_builder->applyCnnPreset();
  QCOMPARE(m_builder->spec().training, presetCnn().training);
  m_builder->undoStack()->undo();
  QCOMPARE(m_builder->spec().layers, presetMlp().layers);
  QCOMPARE(m_builder->spec().training, mine);                 // the settings from before the preset
  QCOMPARE(loaded.last().at(0).value<TrainingSpec>(), mine);  // and the panel is told
  m_builder->undoStack()->redo();
  QCOMPARE(m_builder->spec().training, presetCnn().training);
  QCOMPARE(loaded.last().at(0).value<TrainingSpec>(), presetCnn().training);

  // Undoing a layer edit leaves the settings alone.
  TrainingSpec edited = presetCnn().training;
  edited.batchSize = 128;
  m_builder->setTrainingSpec(edited);
  loaded.clear();
  m_builder->removeLayer(6);
  m_builder->undoStack()->undo();
  QCOMPARE(m_builder->spec().training, edited);
  QCOMPARE(loaded.count(), 0);

  // A loaded file's settings go the same way.
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("mlp.json"));
  ModelSpec file = presetMlp();
  file.training.epochs = 11;
  {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(modelSpecToJson(file).c_str());
  }
  QString error;
  QVERIFY2(m_builder->loadFromFile(path, &error), qPrintable(error));
  QCOMPARE(m_builder->spec().training.epochs, 11);
  m_builder->undoStack()->undo();
  QCOMPARE(m_builder->spec().training, edited);
  QCOMPARE(m_builder->spec().layers, presetCnn().layers);
}

void TestModelBuilder::separateEditsOfOneArgumentAreSeparateUndoSteps() {
  activate();
  QUndoStack* undo = m_builder->undoStack();
  m_builder->selectLayer(0);
  QSpinBox* units = spin("unitsSpin");
  // Steps of one session (an arrow held down) are one undo step.
  units->setValue(300);
  units->setValue(301);
  QCOMPARE(undo->count(), 1);
  QVERIFY2(undo->undoText().startsWith(QLatin1String("Change units of")), qPrintable(undo->undoText()));

  // Another layer selected and this one again: a new edit of the same argument.
  m_builder->selectLayer(2);
  m_builder->selectLayer(0);
  units->setValue(400);
  QCOMPARE(undo->count(), 2);
  units->setValue(410);
  QCOMPARE(undo->count(), 2);

  // Focus leaving the field ends the edit.
  units->setFocus();
  QTRY_VERIFY(units->hasFocus());
  m_builder->layerView()->setFocus();
  QTRY_VERIFY(!units->hasFocus());
  units->setValue(420);
  QCOMPARE(undo->count(), 3);

  // Values typed and committed with Enter, one after the other: one step each.
  units->setFocus();
  for (const char* typed : {"430", "440"}) {
    units->selectAll();
    QTest::keyClicks(units, QLatin1String(typed));
    QTest::keyClick(units, Qt::Key_Return);
  }
  QCOMPARE(m_builder->spec().layers[0].units, 440);
  QCOMPARE(undo->count(), 5);
  undo->undo();
  QCOMPARE(m_builder->spec().layers[0].units, 430);

  // After an undo, a change of the same argument does not fold into an older step.
  units->setValue(450);
  undo->undo();
  QCOMPARE(m_builder->spec().layers[0].units, 430);
  undo->undo();
  QCOMPARE(m_builder->spec().layers[0].units, 420);
  undo->undo();
  QCOMPARE(m_builder->spec().layers[0].units, 410);
  undo->undo();
  QCOMPARE(m_builder->spec().layers[0].units, 301);
  undo->undo();
  QCOMPARE(m_builder->spec().layers[0].units, 200);
}

void TestModelBuilder::undoAndRedoAreOffWhileTheBuilderIsDisabled() {
  activate();
  m_builder->removeLayer(1);
  m_builder->removeLayer(1);
  m_builder->undoStack()->undo();
  QVERIFY(m_builder->undoAction()->isEnabled());
  QVERIFY(m_builder->redoAction()->isEnabled());
  const ModelSpec before = m_builder->spec();
  m_builder->setEnabled(false);
  QVERIFY(!m_builder->undoAction()->isEnabled());
  QVERIFY(!m_builder->redoAction()->isEnabled());
  m_builder->undoAction()->trigger();  // (the main window's test presses Ctrl+Z as well)
  m_builder->redoAction()->trigger();
  QCOMPARE(m_builder->spec(), before);
  m_builder->setEnabled(true);
  QVERIFY(m_builder->undoAction()->isEnabled());
  QVERIFY(m_builder->redoAction()->isEnabled());
  m_builder->undoAction()->trigger();
  QCOMPARE(m_builder->spec().layers, presetMlp().layers);
}

void TestModelBuilder::typingAValueIsOneChangeOnEnter() {
  activate();
  m_builder->selectLayer(0);
  QSpinBox* units = spin("unitsSpin");
  units->setFocus();
  units->selectAll();
  QTest::keyClicks(units, QStringLiteral("10"));
  // Nothing yet: no Dense of 1 unit on the way to 10.
  QCOMPARE(m_builder->spec().layers[0].units, 200);
  QCOMPARE(m_builder->undoStack()->count(), 0);
  QTest::keyClick(units, Qt::Key_Return);
  QCOMPARE(m_builder->spec().layers[0].units, 10);
  QCOMPARE(m_builder->undoStack()->count(), 1);
  m_builder->undoStack()->undo();
  QCOMPARE(m_builder->spec().layers[0].units, 200);
}

void TestModelBuilder::editingOneArgumentNeverClampsAnother() {
  // Values a file may hold that the validation accepts, beyond what the editor used to allow.
  ModelSpec s = presetCnn();
  s.layers[0].filters = 5000;
  s.layers[2].kernelH = 80;
  s.layers[6].rate = 0.97;
  m_builder->setSpec(s);

  m_builder->selectLayer(0);
  QCOMPARE(spin("filtersSpin")->value(), 5000);
  spin("kernelWSpin")->setValue(3);
  QCOMPARE(m_builder->spec().layers[0].filters, 5000);
  QCOMPARE(m_builder->spec().layers[0].kernelH, 5);
  QCOMPARE(m_builder->spec().layers[0].kernelW, 3);

  m_builder->selectLayer(2);
  spin("filtersSpin")->setValue(65);
  QCOMPARE(m_builder->spec().layers[2].kernelH, 80);
  QCOMPARE(m_builder->spec().layers[2].filters, 65);
  QCOMPARE(spin("filtersSpin")->maximum(), 65536);
  QCOMPARE(spin("kernelHSpin")->maximum(), 65536);

  m_builder->selectLayer(6);  // Dropout 0.97: its name edited
  auto* name = m_builder->propertyEditor()->findChild<QLineEdit*>(QStringLiteral("nameEdit"));
  name->setText(QStringLiteral("drop"));
  emit name->editingFinished();
  QCOMPARE(m_builder->spec().layers[6].name, std::string("drop"));
  QCOMPARE(m_builder->spec().layers[6].rate, 0.97);
  auto* rate = m_builder->propertyEditor()->findChild<QDoubleSpinBox*>(QStringLiteral("rateSpin"));
  QCOMPARE(rate->maximum(), 0.99);
  rate->setValue(0.99);
  QCOMPARE(m_builder->spec().layers[6].rate, 0.99);
  QCOMPARE(m_builder->spec().layers[6].name, std::string("drop"));
}

// The editor's rows are the registry's: for every kind, each argument of LayerKindInfo::args has one
// row of enabled widgets (two spin boxes for a pair), in the registry's order, showing what
// LayerArg::get reads; a key pressed on each changes exactly that argument, as LayerArg::set
// writes it, reported with the argument's index as the field, and undo restores it.
void TestModelBuilder::everyRegistryArgumentHasOneEditorThatReadsAndWritesIt() {
  activate();
  ModelSpec s = presetMlp();
  s.layers.clear();
  for (const LayerKindInfo& kind : layerKinds()) s.layers.push_back(kind.newLayer());
  m_builder->setSpec(s);
  LayerPropertyEditor* editor = m_builder->propertyEditor();
  auto* form = editor->findChild<QFormLayout*>();
  QVERIFY(form);
  QList<int> fields;
  connect(editor, &LayerPropertyEditor::layerEdited, this,
          [&](const LayerSpec&, LayerPropertyEditor::Field f) { fields << int(f); });
  const auto isEditor = [](QWidget* w) {
    return qobject_cast<QAbstractSpinBox*>(w) || qobject_cast<QCheckBox*>(w) || qobject_cast<QComboBox*>(w);
  };

  for (int row = 0; row < int(s.layers.size()); ++row) {
    const LayerKindInfo& kind = layerKindInfo(s.layers[size_t(row)].kind);
    const QString kindName = QString::fromStdString(kind.className);
    m_builder->selectLayer(row);
    QApplication::processEvents();

    // The form's shown fields, top to bottom: the name, then one per argument.
    QList<QWidget*> shown;
    for (int r = 0; r < form->rowCount(); ++r) {
      QLayoutItem* item = form->itemAt(r, QFormLayout::FieldRole);
      if (item && item->widget() && item->widget()->isVisible() && !qobject_cast<QLabel*>(item->widget()))
        shown << item->widget();
    }
    QVERIFY2(shown.size() == int(kind.args.size()) + 1, qPrintable(kindName));
    QCOMPARE(shown.first()->objectName(), QStringLiteral("nameEdit"));
    int expectedEditors = 0;
    for (size_t j = 0; j < kind.args.size(); ++j) {
      const LayerArg& arg = kind.args[j];
      const QString what = kindName + QLatin1Char(' ') + QString::fromStdString(arg.key);
      QWidget* field = shown[int(j) + 1];
      QList<QWidget*> widgets;
      if (isEditor(field)) widgets << field;
      for (QWidget* w : field->findChildren<QWidget*>())
        if (isEditor(w) && !isEditor(w->parentWidget())) widgets << w;
      QCOMPARE(widgets.size(), arg.type == ArgType::IntPair || arg.type == ArgType::Range ? 2 : 1);
      expectedEditors += int(widgets.size());
      QVERIFY2(!field->toolTip().isEmpty() || !widgets.first()->toolTip().isEmpty(), qPrintable(what));

      // The value shown is the one get() reads, in the widget its type asks for.
      const auto widgetValue = [&]() -> ArgValue {
        switch (arg.type) {
          case ArgType::Int:
            return qobject_cast<QSpinBox*>(widgets[0])->value();
          case ArgType::IntPair:
            return std::make_pair(qobject_cast<QSpinBox*>(widgets[0])->value(),
                                  qobject_cast<QSpinBox*>(widgets[1])->value());
          case ArgType::Number:
            return qobject_cast<QDoubleSpinBox*>(widgets[0])->value();
          case ArgType::Range: {
            auto* lower = qobject_cast<QDoubleSpinBox*>(widgets[0]);
            auto* upper = qobject_cast<QDoubleSpinBox*>(widgets[1]);
            if (arg.nullable && lower->value() == lower->minimum()) return kAutomaticRange;  // "height"
            return FactorRange{lower->value(), upper->value()};
          }
          case ArgType::Bool:
            return qobject_cast<QCheckBox*>(widgets[0])->isChecked();
          default:
            return qobject_cast<QComboBox*>(widgets[0])->currentData().toString().toStdString();
        }
      };
      for (QWidget* w : widgets) {
        QVERIFY2(w->isEnabled(), qPrintable(what));
        const bool typed = arg.type == ArgType::Int || arg.type == ArgType::IntPair;
        const bool right = typed ? qobject_cast<QSpinBox*>(w) != nullptr
                           : arg.type == ArgType::Number || arg.type == ArgType::Range
                               ? qobject_cast<QDoubleSpinBox*>(w) != nullptr
                           : arg.type == ArgType::Bool ? qobject_cast<QCheckBox*>(w) != nullptr
                                                       : qobject_cast<QComboBox*>(w) != nullptr;
        QVERIFY2(right, qPrintable(what + QLatin1Char(' ') + w->metaObject()->className()));
      }
      QVERIFY2(widgetValue() == arg.get(m_builder->spec().layers[size_t(row)]), qPrintable(what));

      // A real key on each widget: the argument changes through set(), nothing else does.
      for (QWidget* w : widgets) {
        const LayerSpec before = m_builder->spec().layers[size_t(row)];
        const int steps = m_builder->undoStack()->index();
        w->setFocus();
        QTRY_VERIFY2(w->hasFocus(), qPrintable(what));
        Qt::Key key = Qt::Key_Up;
        if (auto* spin = qobject_cast<QSpinBox*>(w); spin && spin->value() == spin->maximum()) key = Qt::Key_Down;
        if (auto* spin = qobject_cast<QDoubleSpinBox*>(w); spin && spin->value() == spin->maximum()) key = Qt::Key_Down;
        if (auto* combo = qobject_cast<QComboBox*>(w))
          key = combo->currentIndex() + 1 < combo->count() ? Qt::Key_Down : Qt::Key_Up;
        if (qobject_cast<QCheckBox*>(w)) key = Qt::Key_Space;
        fields.clear();
        QTest::keyClick(w, key);
        const LayerSpec after = m_builder->spec().layers[size_t(row)];
        QVERIFY2(!(after == before), qPrintable(what));
        LayerSpec expected = before;
        arg.set(expected, widgetValue());
        QVERIFY2(after == expected, qPrintable(what));
        QVERIFY2(arg.get(after) == widgetValue(), qPrintable(what));
        QCOMPARE(fields, QList<int>{int(j)});
        QCOMPARE(m_builder->undoStack()->index(), steps + 1);  // one undo step
        m_builder->undoStack()->undo();
        QVERIFY2(m_builder->spec().layers[size_t(row)] == before, qPrintable(what));
        QVERIFY2(widgetValue() == arg.get(before), qPrintable(what));  // the editor follows
      }
    }
    // No other editing widget shows (the name's line edit aside).
    int editors = 0;
    for (QWidget* w : editor->findChildren<QWidget*>())
      if (isEditor(w) && !isEditor(w->parentWidget()) && w->isVisible()) ++editors;
    QVERIFY2(editors == expectedEditors, qPrintable(kindName));
  }
}

void TestModelBuilder::aNameAnotherLayerHasIsRefusedWithAMessage() {
  activate();
  LayerPropertyEditor* editor = m_builder->propertyEditor();
  auto* name = editor->findChild<QLineEdit*>(QStringLiteral("nameEdit"));
  auto* message = editor->findChild<QLabel*>(QStringLiteral("nameErrorLabel"));
  QVERIFY(name && message);
  m_builder->selectLayer(2);  // dense_1
  QVERIFY(!message->isVisible());
  auto* units = editor->findChild<QWidget*>(QStringLiteral("unitsSpin"));
  const QPoint unitsAt = units->mapTo(editor, QPoint(0, 0));
  // Another layer's own name, and another layer's automatic name.
  for (const char* taken : {"dense", "dropout"}) {
    name->setFocus();
    name->selectAll();
    QTest::keyClicks(name, QLatin1String(taken));
    QTest::keyClick(name, Qt::Key_Return);
    QCOMPARE(m_builder->spec().layers[2].name, std::string());
    QCOMPARE(name->text(), QString());  // back to the layer's name (automatic)
    QVERIFY(message->isVisible());
    QApplication::processEvents();
    QCOMPARE(units->mapTo(editor, QPoint(0, 0)), unitsAt);  // the message moved no field
    QVERIFY2(message->text().contains(QLatin1String(taken)), qPrintable(message->text()));
    QCOMPARE(editor->nameError(), message->text());
  }
  QCOMPARE(m_builder->undoStack()->count(), 0);
  QVERIFY(m_builder->isValid());

  // A free name is taken, and the message goes.
  name->selectAll();
  QTest::keyClicks(name, QStringLiteral("hidden"));
  QTest::keyClick(name, Qt::Key_Return);
  QCOMPARE(m_builder->spec().layers[2].name, std::string("hidden"));
  QVERIFY(!message->isVisible());
  // Its own automatic name is no conflict; "dense_1" is now free as well.
  m_builder->selectLayer(0);
  name->setFocus();
  name->selectAll();
  QTest::keyClicks(name, QStringLiteral("dense_1"));
  QTest::keyClick(name, Qt::Key_Return);
  QCOMPARE(m_builder->spec().layers[0].name, std::string("dense_1"));
  QVERIFY(m_builder->isValid());
}

void TestModelBuilder::paletteEntryDroppedOnTheLayerViewInsertsThere() {
  LayerPalette* palette = m_builder->palette();
  QTreeView* view = m_builder->layerView();
  LayerListModel* model = m_builder->layerModel();
  // What a drag from the palette carries: the palette's own mime data for its entry.
  const QModelIndex entry = palette->model()->index(palette->rowOf(LayerKind::Activation), 0);
  std::unique_ptr<QMimeData> data(palette->model()->mimeData({entry}));
  QVERIFY(data);
  QVERIFY(data->hasFormat(LayerListModel::kindMimeType()));

  // On the upper edge of row 2: between rows 1 and 2.
  const QRect row2 = view->visualRect(model->index(2, 0));
  QVERIFY(!dropOnLayerView(data.get(), QPoint(row2.center().x(), row2.top() + 1), Qt::CopyAction));
  QTRY_COMPARE(m_builder->spec().layers.size(), size_t(6));
  QCOMPARE(m_builder->spec().layers[2].kind, LayerKind::Activation);
  QCOMPARE(shapeAt(2), QStringLiteral("(None, 200)"));
  QCOMPARE(m_builder->currentLayer(), 2);

  // On the lower half of the last row: after it.
  const QRect last = view->visualRect(model->index(5, 0));
  data.reset(palette->model()->mimeData({palette->model()->index(palette->rowOf(LayerKind::Dropout), 0)}));
  dropOnLayerView(data.get(), QPoint(last.center().x(), last.bottom() - 1), Qt::CopyAction);
  QTRY_COMPARE(m_builder->spec().layers.size(), size_t(7));
  QCOMPARE(m_builder->spec().layers[6].kind, LayerKind::Dropout);

  // On the empty area below the rows: at the end.
  const int below = view->visualRect(model->index(6, 0)).bottom() + 10;
  QVERIFY(below < view->viewport()->height());
  data.reset(palette->model()->mimeData({palette->model()->index(palette->rowOf(LayerKind::Flatten), 0)}));
  dropOnLayerView(data.get(), QPoint(20, below), Qt::CopyAction);
  QTRY_COMPARE(m_builder->spec().layers.size(), size_t(8));
  QCOMPARE(m_builder->spec().layers[7].kind, LayerKind::Flatten);

  for (int i = 0; i < 3; ++i) m_builder->undoStack()->undo();
  QCOMPARE(m_builder->spec().layers, presetMlp().layers);
}

void TestModelBuilder::rowDraggedWithinTheLayerViewMovesOnce() {
  QTreeView* view = m_builder->layerView();
  LayerListModel* model = m_builder->layerModel();
  // What the view's own drag carries: the model's mime data for the selected row (every column).
  m_builder->selectLayer(4);
  const QModelIndexList dragged = view->selectionModel()->selectedIndexes();
  QVERIFY(!dragged.isEmpty());
  std::unique_ptr<QMimeData> data(model->mimeData(dragged));
  QVERIFY(data);

  const QRect row0 = view->visualRect(model->index(0, 0));
  const bool viewWouldRemove =
      dropOnLayerView(data.get(), QPoint(row0.center().x(), row0.top() + 1), Qt::MoveAction | Qt::CopyAction);
  // A drag that ends as an accepted move makes the source view delete the dragged rows as well:
  // the builder moved the layer already, so the drop must not end that way.
  QVERIFY(!viewWouldRemove);
  QTRY_COMPARE(m_builder->spec().layers[0].units, 10);
  QCOMPARE(m_builder->spec().layers.size(), size_t(5));
  QCOMPARE(model->rowCount(), 5);
  QCOMPARE(m_builder->undoStack()->count(), 1);
  QCOMPARE(m_builder->currentLayer(), 0);

  // And down again: dropped on the lower edge of the last row.
  data.reset(model->mimeData({model->index(0, 0)}));
  const QRect last = view->visualRect(model->index(4, 0));
  QVERIFY(!dropOnLayerView(data.get(), QPoint(last.center().x(), last.bottom() - 1), Qt::MoveAction));
  QTRY_COMPARE(m_builder->spec().layers, presetMlp().layers);
  QCOMPARE(m_builder->undoStack()->count(), 2);
}

void TestModelBuilder::keyboardAddsDuplicatesMovesAndDeletesLayers() {
  activate();
  // Enter (either key) on a palette entry adds it after the selected layer.
  m_builder->selectLayer(0);
  LayerPalette* palette = m_builder->palette();
  palette->setFocus();
  palette->setCurrentRow(palette->rowOf(LayerKind::Activation));
  QTest::keyClick(palette, Qt::Key_Return);
  QCOMPARE(m_builder->spec().layers.size(), size_t(6));
  QCOMPARE(m_builder->spec().layers[1].kind, LayerKind::Activation);
  QCOMPARE(m_builder->currentLayer(), 1);
  palette->setCurrentRow(palette->rowOf(LayerKind::Dropout));
  QTest::keyClick(palette, Qt::Key_Enter, Qt::KeypadModifier);
  QCOMPARE(m_builder->spec().layers.size(), size_t(7));
  QCOMPARE(m_builder->spec().layers[2].kind, LayerKind::Dropout);

  // In the layer list: Ctrl+D duplicates, Alt+Up/Down move, Delete removes.
  QTreeView* view = m_builder->layerView();
  view->setFocus();
  m_builder->selectLayer(0);
  QTest::keyClick(view, Qt::Key_D, Qt::ControlModifier);
  QCOMPARE(m_builder->spec().layers.size(), size_t(8));
  QCOMPARE(m_builder->spec().layers[1].units, 200);
  QCOMPARE(m_builder->currentLayer(), 1);
  m_builder->selectLayer(2);  // the Activation
  QTest::keyClick(view, Qt::Key_Down, Qt::AltModifier);
  QCOMPARE(m_builder->currentLayer(), 3);
  QCOMPARE(m_builder->spec().layers[3].kind, LayerKind::Activation);
  QCOMPARE(m_builder->spec().layers[2].kind, LayerKind::Dropout);
  QTest::keyClick(view, Qt::Key_Up, Qt::AltModifier);
  QTest::keyClick(view, Qt::Key_Up, Qt::AltModifier);
  QCOMPARE(m_builder->currentLayer(), 1);
  QCOMPARE(m_builder->spec().layers[1].kind, LayerKind::Activation);
  QCOMPARE(m_builder->spec().layers[2].units, 200);
  QTest::keyClick(view, Qt::Key_Delete);
  QCOMPARE(m_builder->spec().layers.size(), size_t(7));

  while (m_builder->undoStack()->canUndo()) m_builder->undoStack()->undo();
  QCOMPARE(m_builder->spec().layers, presetMlp().layers);
}

void TestModelBuilder::clickRow(int row) {
  QTreeView* view = m_builder->layerView();
  const QRect rect = view->visualRect(m_builder->layerModel()->index(row, LayerListModel::NameColumn));
  QVERIFY2(rect.isValid() && view->viewport()->rect().contains(rect.center()), "the row is not on screen");
  clickStack(rect.center());
}

void TestModelBuilder::clickStack(QPoint pos) {
  QTest::mouseClick(m_builder->layerView()->viewport(), Qt::LeftButton, {}, pos);
}

QToolButton* TestModelBuilder::button(const char* name) const {
  if (auto* b = m_builder->findChild<QToolButton*>(QLatin1String(name))) return b;
  QTest::qFail(qPrintable(QStringLiteral("the builder has no button %1").arg(QLatin1String(name))), __FILE__, __LINE__);
  static QToolButton* const standIn = new QToolButton;
  return standIn;
}

void TestModelBuilder::clickingALayerRowWithTheMouseSelectsIt() {
  activate();
  LayerPropertyEditor* editor = m_builder->propertyEditor();
  auto* title = editor->findChild<QLabel*>(QStringLiteral("propertyTitle"));
  m_builder->selectLayer(-1);
  QVERIFY(!editor->hasLayer());
  QVERIFY(!button("deleteButton")->isEnabled());

  // A click on the second Dense (row 2): the editor shows it, every row button works.
  clickRow(2);
  QCOMPARE(m_builder->currentLayer(), 2);
  QVERIFY(editor->hasLayer());
  QVERIFY(title->isVisible());
  QCOMPARE(title->text(), QStringLiteral("dense_1 (Dense)"));
  QVERIFY(spin("unitsSpin")->isVisible());
  QCOMPARE(spin("unitsSpin")->value(), 100);
  for (const char* name : {"upButton", "downButton", "duplicateButton", "deleteButton"})
    QVERIFY2(button(name)->isEnabled(), name);

  // A click on another row: the Dropout, then the last Dense (nothing below it to move past).
  clickRow(1);
  QCOMPARE(m_builder->currentLayer(), 1);
  QCOMPARE(editor->layer().kind, LayerKind::Dropout);
  QVERIFY(!spin("unitsSpin")->isVisible());
  clickRow(4);
  QCOMPARE(m_builder->currentLayer(), 4);
  QCOMPARE(title->text(), QStringLiteral("dense_2 (Dense)"));
  QCOMPARE(spin("unitsSpin")->value(), 10);
  QVERIFY(button("upButton")->isEnabled());
  QVERIFY(!button("downButton")->isEnabled());

  // The button acts on the clicked row.
  QTest::mouseClick(button("upButton"), Qt::LeftButton);
  QCOMPARE(m_builder->spec().layers[3].units, 10);
  QCOMPARE(m_builder->currentLayer(), 3);
  m_builder->undoStack()->undo();

  // A click on the empty space below the rows: nothing selected, the editor says so.
  QTreeView* view = m_builder->layerView();
  const int below = view->visualRect(m_builder->layerModel()->index(4, 0)).bottom() + 12;
  QVERIFY(below < view->viewport()->height());
  clickStack(QPoint(30, below));
  QCOMPARE(m_builder->currentLayer(), -1);
  QVERIFY(!editor->hasLayer());
  QVERIFY(!title->isVisible());
  for (const char* name : {"upButton", "downButton", "duplicateButton", "deleteButton"})
    QVERIFY2(!button(name)->isEnabled(), name);
  // ... and the palette then appends at the end.
  doubleClickPalette(LayerKind::Dropout);
  QTRY_COMPARE(m_builder->spec().layers.size(), size_t(6));
  QCOMPARE(m_builder->spec().layers.back().kind, LayerKind::Dropout);
  QCOMPARE(m_builder->currentLayer(), 5);
}

void TestModelBuilder::enterOrSpaceOnThePaletteAndDeleteOnTheStackWork() {
  activate();
  LayerPalette* palette = m_builder->palette();
  QCOMPARE(palette->accessibleName(), QStringLiteral("Layer palette"));
  QCOMPARE(m_builder->layerView()->accessibleName(), QStringLiteral("Layer stack"));

  // Space on the Flatten entry (reached with an arrow key), after the row picked with the mouse.
  clickRow(0);
  palette->setFocus();
  QTRY_VERIFY(palette->hasFocus());
  palette->setCurrentRow(palette->rowOf(LayerKind::MaxPooling2D));
  QTest::keyClick(palette, Qt::Key_Right);
  QCOMPARE(palette->currentRow(), palette->rowOf(LayerKind::Flatten));
  QTest::keyClick(palette, Qt::Key_Space);
  QCOMPARE(m_builder->spec().layers.size(), size_t(6));
  QCOMPARE(m_builder->spec().layers[1].kind, LayerKind::Flatten);
  QCOMPARE(m_builder->currentLayer(), 1);
  // Enter adds too.
  QTest::keyClick(palette, Qt::Key_Return);
  QCOMPARE(m_builder->spec().layers.size(), size_t(7));
  QCOMPARE(m_builder->spec().layers[2].kind, LayerKind::Flatten);

  // Delete on the stack deletes the row clicked last.
  clickRow(2);
  QVERIFY(m_builder->layerView()->hasFocus());
  QTest::keyClick(m_builder->layerView(), Qt::Key_Delete);
  QCOMPARE(m_builder->spec().layers.size(), size_t(6));
  clickRow(1);
  QTest::keyClick(m_builder->layerView(), Qt::Key_Delete);
  QCOMPARE(m_builder->spec().layers, presetMlp().layers);
  QVERIFY(m_builder->isValid());
}

void TestModelBuilder::tabReachesEveryButtonAndEveryControlHasATooltip() {
  activate();
  m_builder->applyCnnPreset();
  m_builder->removeLayer(7);
  m_builder->undoStack()->undo();  // undo and redo enabled too
  clickRow(2);                     // a middle row: every row button enabled

  QWidget* first = button("mlpPresetButton");
  first->setFocus();
  QTRY_VERIFY(first->hasFocus());
  QSet<QWidget*> reached{first};
  for (int i = 0; i < 80; ++i) {
    QWidget* focused = QApplication::focusWidget();
    QVERIFY(focused);
    QTest::keyClick(focused, Qt::Key_Tab);
    reached.insert(QApplication::focusWidget());
  }
  for (QToolButton* b : m_builder->findChildren<QToolButton*>()) {
    if (!b->isVisible()) continue;
    QVERIFY2(b->isEnabled(), qPrintable(b->objectName()));
    QVERIFY2(reached.contains(b), qPrintable(QStringLiteral("Tab never reaches ") + b->objectName() + b->text()));
    QVERIFY2(!b->toolTip().isEmpty(), qPrintable(b->objectName()));
  }
  QVERIFY(reached.contains(m_builder->palette()));
  QVERIFY(reached.contains(m_builder->layerView()));
  QVERIFY(reached.contains(m_builder->findChild<QComboBox*>(QStringLiteral("inputShapeCombo"))));

  // Tooltips: every control of the builder and of the editor for each kind, every palette entry.
  for (int row : {0, 1, 3, 4, 6}) {  // Conv2D, MaxPooling2D, Dropout, Flatten... and Dense
    m_builder->selectLayer(row);
    for (QWidget* w : m_builder->findChildren<QWidget*>()) {
      const bool control = qobject_cast<QAbstractButton*>(w) || qobject_cast<QComboBox*>(w) ||
                           qobject_cast<QAbstractSpinBox*>(w) || qobject_cast<QLineEdit*>(w) ||
                           qobject_cast<QAbstractItemView*>(w);
      QWidget* parent = w->parentWidget();
      const bool part = qobject_cast<QAbstractItemView*>(parent) || qobject_cast<QAbstractSpinBox*>(parent) ||
                        qobject_cast<QComboBox*>(parent);  // a header, a spin box's line edit
      if (!control || part || !w->isVisible()) continue;
      if (w == m_builder->layerView()) continue;  // its rows have tooltips (checked below)
      QVERIFY2(!w->toolTip().isEmpty(), qPrintable(w->objectName() + QLatin1Char(' ') + w->metaObject()->className()));
    }
  }
  LayerPalette* palette = m_builder->palette();
  for (int i = 0; i < palette->count(); ++i)
    QVERIFY2(palette->item(i)->toolTip().size() > 30, qPrintable(palette->item(i)->text()));
  for (int row = 0; row < m_builder->layerModel()->rowCount(); ++row)
    QVERIFY(!m_builder->layerModel()->index(row, 0).data(Qt::ToolTipRole).toString().isEmpty());
}

void TestModelBuilder::namesReadInFullAt300And380Pixels() {
  const QString shots = qEnvironmentVariable("DIGITLAB_SHOTS");  // set: the grabs are saved there
  m_builder->applyCnnPreset();
  for (const QSize size : {QSize(300, 700), QSize(380, 900)}) {
    m_builder->resize(size);
    QTest::qWait(50);
    m_builder->selectLayer(2);
    if (!shots.isEmpty())
      QVERIFY(m_builder->grab().save(
          QStringLiteral("%1/builder-cnn-%2x%3.png").arg(shots).arg(size.width()).arg(size.height())));

    // The palette: every name in full inside its entry.
    LayerPalette* palette = m_builder->palette();
    QVERIFY(palette->viewport()->rect().contains(palette->visualItemRect(palette->item(palette->count() - 1))));
    for (int i = 0; i < palette->count(); ++i) {
      const QRect rect = palette->visualItemRect(palette->item(i));
      const int needed = palette->fontMetrics().horizontalAdvance(palette->item(i)->text()) + 16 + 8;
      QVERIFY2(rect.width() >= needed, qPrintable(QStringLiteral("%1 at %2 px: %3 < %4")
                                                      .arg(palette->item(i)->text())
                                                      .arg(size.width())
                                                      .arg(rect.width())
                                                      .arg(needed)));
    }

    // The stack: no horizontal scrolling, every cell's text fits its column: "name (Type)" on one
    // line, or name and type on two; the parameter count in its column or under the shape.
    QTreeView* view = m_builder->layerView();
    QVERIFY(view->header()->length() <= view->viewport()->width());
    LayerListModel* model = m_builder->layerModel();
    const QFontMetrics metrics(view->font());
    const bool twoLines = view->visualRect(model->index(0, 0)).height() >= 2 * metrics.lineSpacing();
    const bool paramsUnderShape = view->isColumnHidden(LayerListModel::ParamsColumn);
    QVERIFY(!paramsUnderShape || twoLines);
    const auto fits = [&](int column, const QString& text, int icon) {
      const int needed = metrics.horizontalAdvance(text) + icon + 6;
      QVERIFY2(view->columnWidth(column) >= needed, qPrintable(QStringLiteral("'%1' at %2 px: %3 < %4")
                                                                   .arg(text)
                                                                   .arg(size.width())
                                                                   .arg(view->columnWidth(column))
                                                                   .arg(needed)));
    };
    for (int row = 0; row < model->rowCount(); ++row) {
      const QString name = model->index(row, LayerListModel::NameColumn).data().toString();
      const qsizetype open = name.lastIndexOf(QLatin1String(" ("));
      if (twoLines) {
        fits(LayerListModel::NameColumn, name.left(open), 12 + 4);
        fits(LayerListModel::NameColumn, name.mid(open + 1), 12 + 4);
      } else {
        fits(LayerListModel::NameColumn, name, 12 + 4);
      }
      fits(LayerListModel::ShapeColumn, model->index(row, LayerListModel::ShapeColumn).data().toString(), 0);
      const QString params = model->index(row, LayerListModel::ParamsColumn).data().toString();
      if (paramsUnderShape)
        fits(LayerListModel::ShapeColumn, QStringLiteral("%1 params").arg(params), 0);
      else
        fits(LayerListModel::ParamsColumn, params, 0);
    }
    // The stack shows a few rows at least, and the property editor its first fields.
    QVERIFY(view->viewport()->height() >= 3 * view->visualRect(model->index(0, 0)).height());
    QVERIFY(m_builder->propertyEditor()->visibleRegion().boundingRect().height() >= 4 * metrics.lineSpacing());
  }
}

void TestModelBuilder::aHalfBuiltStackMarksOnlyTheBreakingLayer() {
  activate();
  // The MLP without its last layer: every layer is fine, the stack just does not end in 10
  // classes yet. Only the last row is marked, and it keeps its shape.
  clickRow(4);
  QTest::keyClick(m_builder->layerView(), Qt::Key_Delete);
  QCOMPARE(m_builder->spec().layers.size(), size_t(4));
  QVERIFY(!m_builder->isValid());
  LayerListModel* model = m_builder->layerModel();
  QCOMPARE(m_builder->analysis().errorLayer, 3);
  QCOMPARE(shapeAt(0), QStringLiteral("(None, 200)"));
  QCOMPARE(paramsAt(0), QStringLiteral("157,000"));
  QCOMPARE(shapeAt(2), QStringLiteral("(None, 100)"));
  QCOMPARE(paramsAt(2), QStringLiteral("20,100"));
  QCOMPARE(shapeAt(3), QStringLiteral("(None, 100)"));
  QCOMPARE(paramsAt(3), QStringLiteral("0"));
  for (int row = 0; row < 3; ++row) {
    QVERIFY(!model->index(row, 0).data(Qt::ForegroundRole).isValid());
    QVERIFY(model->index(row, 0).data(LayerListModel::ErrorRole).toString().isEmpty());
  }
  QCOMPARE(model->index(3, 0).data(Qt::ForegroundRole).value<QColor>(), QColor(0xb0, 0x10, 0x10));
  QVERIFY(model->index(3, 0).data(Qt::ToolTipRole).toString().contains(QLatin1String("must end with 10 outputs")));

  // A layer that breaks in the middle of the CNN: the layers before it keep shapes and counts,
  // the breaking one says "error", the ones after it are not checked.
  ModelSpec s = presetCnn();
  s.layers[2].kernelH = s.layers[2].kernelW = 20;
  s.layers[2].padding = "valid";
  m_builder->setSpec(s);
  QCOMPARE(m_builder->analysis().errorLayer, 2);
  QCOMPARE(shapeAt(0), QString::fromStdString(shapeToString(analyze(presetCnn()).layers[0].outputShape)));
  QCOMPARE(paramsAt(0), QStringLiteral("832"));
  QCOMPARE(shapeAt(1), QString::fromStdString(shapeToString(analyze(presetCnn()).layers[1].outputShape)));
  QCOMPARE(paramsAt(1), QStringLiteral("0"));
  QCOMPARE(shapeAt(2), QStringLiteral("error"));
  QCOMPARE(shapeAt(3), QStringLiteral("?"));
  QCOMPARE(paramsAt(3), QStringLiteral("?"));
  QVERIFY(!model->index(1, 0).data(Qt::ForegroundRole).isValid());
  QCOMPARE(model->index(3, 0).data(Qt::ForegroundRole).value<QColor>(), QColor(0x90, 0x90, 0x90));
}

void TestModelBuilder::anInvalidValueNeverMovesThePropertyEditor() {
  activate();
  ModelSpec cnn = presetCnn();
  cnn.layers[2].padding = "valid";  // so that a kernel can be too large for its input
  m_builder->setSpec(cnn);
  QVERIFY(m_builder->isValid());
  clickRow(2);  // conv2d_1 on a 14x14 input
  QSpinBox* kernel = spin("kernelHSpin");
  QVERIFY(kernel->isVisible());
  auto* group = m_builder->findChild<QGroupBox*>(QStringLiteral("propertyGroup"));
  auto* error = m_builder->findChild<QLabel*>(QStringLiteral("errorLabel"));
  QVERIFY(group && error);
  QApplication::processEvents();  // the layout settled
  const QRect groupBefore = group->geometry();
  const QPoint kernelBefore = kernel->mapTo(m_builder.get(), QPoint(0, 0));
  const QRect viewBefore = m_builder->layerView()->geometry();
  QVERIFY(!error->isVisible());

  for (const char* typed : {"20", "99", "3"}) {  // invalid, invalid with a longer message, valid again
    kernel->setFocus();
    kernel->selectAll();
    QTest::keyClicks(kernel, QLatin1String(typed));
    QTest::keyClick(kernel, Qt::Key_Return);
    QCOMPARE(m_builder->spec().layers[2].kernelH, QByteArray(typed).toInt());
    QCOMPARE(m_builder->isValid(), QByteArray(typed) == "3");
    QCOMPARE(error->isVisible(), !m_builder->isValid());
    QApplication::processEvents();
    QCOMPARE(group->geometry(), groupBefore);
    QCOMPARE(kernel->mapTo(m_builder.get(), QPoint(0, 0)), kernelBefore);
    QCOMPARE(m_builder->layerView()->geometry(), viewBefore);
  }

  // A long problem at 300 px still takes its fixed box: elided, the whole text as tooltip.
  m_builder->resize(300, 800);
  QTRY_COMPARE(m_builder->width(), 300);
  QApplication::processEvents();
  auto* status = m_builder->findChild<QWidget*>(QStringLiteral("statusBox"));
  QVERIFY(status);
  const int statusHeight = status->height();
  const QPoint groupAt = group->mapTo(m_builder.get(), QPoint(0, 0));
  ModelSpec s = presetMlp();
  s.layers[2].name = "a_rather_long_layer_name_that_someone_typed_in_the_name_field";
  s.layers[4].name = s.layers[2].name;
  m_builder->setSpec(s);
  QVERIFY(!m_builder->isValid());
  QApplication::processEvents();
  QCOMPARE(status->height(), statusHeight);
  QCOMPARE(group->mapTo(m_builder.get(), QPoint(0, 0)), groupAt);
  QCOMPARE(error->toolTip(), m_builder->errorText());
  QVERIFY(error->text().count(QLatin1Char('\n')) <= 2);
  for (const QString& line : error->text().split(QLatin1Char('\n')))
    QVERIFY2(error->fontMetrics().horizontalAdvance(line) <= error->contentsRect().width(), qPrintable(line));
}

void TestModelBuilder::presetButtonsOnlyAskForThePreset() {
  QSignalSpy requested(m_builder.get(), &ModelBuilder::presetRequested);
  m_builder->removeLayer(1);  // some work of the person's
  const ModelSpec before = m_builder->spec();
  QTest::mouseClick(button("cnnPresetButton"), Qt::LeftButton);
  QCOMPARE(requested.count(), 1);
  QCOMPARE(requested.at(0).at(0).toString(), QStringLiteral("cnn"));
  QCOMPARE(m_builder->spec(), before);  // the window decides
  QTest::mouseClick(button("mlpPresetButton"), Qt::LeftButton);
  QCOMPARE(requested.count(), 2);
  QCOMPARE(requested.at(1).at(0).toString(), QStringLiteral("mlp"));
  QCOMPARE(m_builder->spec(), before);

  // No Save…/Load… buttons in the builder: the window's File menu exports and imports.
  for (QAbstractButton* b : m_builder->findChildren<QAbstractButton*>())
    QVERIFY2(!b->text().contains(QLatin1String("Save")) && !b->text().contains(QLatin1String("Load")),
             qPrintable(b->text()));
}

void TestModelBuilder::anEmptyModelShowsHowToBegin() {
  activate();
  ModelSpec empty;
  empty.name = "model";
  empty.inputShape = {784};
  m_builder->setSpec(empty, QStringLiteral("New model"));
  QCOMPARE(m_builder->layerModel()->rowCount(), 0);
  QVERIFY(!m_builder->isValid());  // Train waits
  QVERIFY2(m_builder->errorText().contains(QLatin1String("add layers from the palette")),
           qPrintable(m_builder->errorText()));
  QVERIFY(m_builder->totalsText().contains(QLatin1String("no layers yet")));
  auto* error = m_builder->findChild<QLabel*>(QStringLiteral("errorLabel"));
  QVERIFY(error->isVisible());
  QVERIFY(error->styleSheet().isEmpty());  // guidance, not red
  QVERIFY(!error->text().contains(QLatin1String("invalid")));
  QVERIFY(!m_builder->propertyEditor()->hasLayer());

  // The stack's placeholder is painted: the empty viewport holds text, not just its background.
  QTreeView* view = m_builder->layerView();
  const QImage image = view->viewport()->grab().toImage();
  const QRgb background = image.pixel(2, 2);
  int textPixels = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) textPixels += image.pixel(x, y) != background;
  QVERIFY2(textPixels > 200, qPrintable(QString::number(textPixels)));
  if (const QString shots = qEnvironmentVariable("DIGITLAB_SHOTS"); !shots.isEmpty()) {
    m_builder->resize(300, 700);
    QTest::qWait(50);
    m_builder->grab().save(shots + QStringLiteral("/builder-empty-300x700.png"));
  }

  // The first layer from the palette: the placeholder goes, the stack is still incomplete (red).
  doubleClickPalette(LayerKind::Dense);
  QTRY_COMPARE(m_builder->layerModel()->rowCount(), 1);
  QCOMPARE(shapeAt(0), QStringLiteral("(None, 64)"));
  QVERIFY(!m_builder->isValid());
  QVERIFY(!error->styleSheet().isEmpty());
  QVERIFY(m_builder->errorText().contains(QLatin1String("must end with 10 outputs")));
  m_builder->undoStack()->undo();
  QCOMPARE(m_builder->layerModel()->rowCount(), 0);
}

void TestModelBuilder::exportAndImportStartInTheLastFolderAndSayWhatHappened() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  QDir(dir.path()).mkdir(QStringLiteral("specs"));
  const QString folder = dir.filePath(QStringLiteral("specs"));
  settings::rememberFolder(folder + QStringLiteral("/x.dlm"));
  QCOMPARE(settings::lastFolder(), folder);
  QSignalSpy messages(m_builder.get(), &ModelBuilder::message);
  const QString exported = dir.filePath(QStringLiteral("cnn.json"));  // another folder than the last

  // The dialog answers as a person would: checks where it starts, picks a file, accepts.
  QString startedIn;
  const auto answer = [&](const QString& file) {
    QTimer::singleShot(0, this, [&startedIn, file] {
      auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
      QVERIFY(dialog);
      startedIn = dialog->directory().absolutePath();
      dialog->selectFile(file);
      static_cast<QDialog*>(dialog)->accept();  // QFileDialog::accept: as the Save/Open button
    });
  };

  m_builder->applyCnnPreset();
  answer(exported);
  m_builder->saveArchitecture();
  QCOMPARE(startedIn, folder);
  QVERIFY(QFile::exists(exported));
  QCOMPARE(readModelSpecFile(exported.toStdString()).layers, presetCnn().layers);
  QCOMPARE(messages.last().at(0).toString(), QStringLiteral("Wrote %1").arg(QDir::toNativeSeparators(exported)));
  QCOMPARE(settings::lastFolder(), dir.path());  // remembered

  m_builder->applyMlpPreset();
  answer(exported);
  m_builder->loadArchitecture();
  QCOMPARE(startedIn, dir.path());
  QCOMPARE(m_builder->spec().layers, presetCnn().layers);
  QCOMPARE(messages.last().at(0).toString(), QStringLiteral("Imported %1").arg(QDir::toNativeSeparators(exported)));
}

QTEST_MAIN(TestModelBuilder)
#include "test_ModelBuilder.moc"
