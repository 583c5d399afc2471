// Tests of the callbacks editor (ui/CallbacksEditor.h) and its place in the training panel: real
// clicks on the check boxes and typed values change the CallbacksSpec the panel's settingsChanged
// carries, a spec set from outside (a loaded model) shows without emitting, the button counts the
// callbacks on, and an epoch's callback lines reach the message line. Headless.

#include "CallbacksEditor.h"
#include "TrainingPanel.h"

#include "QuietOffscreen.h"

#include <QAbstractSpinBox>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace dl;

namespace {

// A real click in the middle of a check box's indicator.
void clickCheck(QCheckBox* box) {
  QVERIFY(box && box->isVisible() && box->isEnabled());
  QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
}

void typeInto(QSpinBox* box, const QString& text) {
  box->setFocus();
  box->selectAll();
  QTest::keyClicks(box, text);
  QTest::keyClick(box, Qt::Key_Return);
}

}  // namespace

class TestCallbacksEditor : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { quietOffscreen(); }
  void clicksOnTheCheckBoxesChangeThePanelsSpec();
  void aLoadedSpecShowsWithoutEmittingAndRoundTrips();
  void fieldsAreOnlyEditableWhileTheirCallbackIsOn();
  void everyFieldHasAKerasTooltip();
  void epochMessagesReachTheMessageLine();
};

void TestCallbacksEditor::clicksOnTheCheckBoxesChangeThePanelsSpec() {
  TrainingPanel panel;
  panel.show();
  QVERIFY(QTest::qWaitForWindowExposed(&panel));
  QCOMPARE(panel.callbacksButton()->text(), QStringLiteral("Callbac&ks…"));
  QVERIFY(!panel.callbacksEditor());
  QTest::mouseClick(panel.callbacksButton(), Qt::LeftButton);
  QDialog* dialog = panel.callbacksDialog();
  QVERIFY(dialog);
  QVERIFY(QTest::qWaitForWindowExposed(dialog));
  CallbacksEditor* editor = panel.callbacksEditor();
  QSignalSpy spy(&panel, &TrainingPanel::settingsChanged);

  clickCheck(editor->findChild<QCheckBox*>(QStringLiteral("earlyStoppingCheck")));
  QCOMPARE(spy.count(), 1);
  TrainingSpec t = spy.last().first().value<TrainingSpec>();
  QVERIFY(t.callbacks.earlyStopping.enabled);
  QCOMPARE(t.callbacks.earlyStopping.patience, 0);  // Keras's defaults
  QCOMPARE(t.callbacks.earlyStopping.monitor, std::string("val_loss"));
  QVERIFY(panel.trainingSpec().callbacks.earlyStopping.enabled);
  QCOMPARE(panel.callbacksButton()->text(), QStringLiteral("Callbac&ks (1)…"));

  typeInto(editor->findChild<QSpinBox*>(QStringLiteral("esPatience")), QStringLiteral("3"));
  QCOMPARE(panel.trainingSpec().callbacks.earlyStopping.patience, 3);
  QVERIFY(dialog->isVisible());  // Enter took the value and left the dialog open
  clickCheck(editor->findChild<QCheckBox*>(QStringLiteral("esRestore")));
  QVERIFY(panel.trainingSpec().callbacks.earlyStopping.restoreBestWeights);

  clickCheck(editor->findChild<QCheckBox*>(QStringLiteral("reduceLrCheck")));
  t = spy.last().first().value<TrainingSpec>();
  QVERIFY(t.callbacks.reduceLrOnPlateau.enabled);
  QCOMPARE(t.callbacks.reduceLrOnPlateau.patience, 10);
  QCOMPARE(t.callbacks.reduceLrOnPlateau.factor, 0.1);
  auto* monitor = editor->findChild<QComboBox*>(QStringLiteral("rlMonitor"));
  monitor->setCurrentIndex(monitor->findText(QStringLiteral("val_accuracy")));
  QCOMPARE(panel.trainingSpec().callbacks.reduceLrOnPlateau.monitor, std::string("val_accuracy"));

  clickCheck(editor->findChild<QCheckBox*>(QStringLiteral("checkpointCheck")));
  auto* path = editor->findChild<QLineEdit*>(QStringLiteral("mcPath"));
  path->setFocus();
  QTest::keyClicks(path, QStringLiteral("/tmp/best.dlm"));
  QTest::keyClick(path, Qt::Key_Return);
  clickCheck(editor->findChild<QCheckBox*>(QStringLiteral("mcBestOnly")));
  t = panel.trainingSpec();
  QCOMPARE(t.callbacks.modelCheckpoint.filepath, std::string("/tmp/best.dlm"));
  QVERIFY(t.callbacks.modelCheckpoint.saveBestOnly);
  QCOMPARE(panel.callbacksButton()->text(), QStringLiteral("Callbac&ks (3)…"));
  QVERIFY(callbacksProblem(t.callbacks).empty());

  // Unticking turns it off and keeps the other settings of the spec.
  clickCheck(editor->findChild<QCheckBox*>(QStringLiteral("earlyStoppingCheck")));
  t = panel.trainingSpec();
  QVERIFY(!t.callbacks.earlyStopping.enabled);
  QVERIFY(t.callbacks.reduceLrOnPlateau.enabled);
  QCOMPARE(panel.callbacksButton()->text(), QStringLiteral("Callbac&ks (2)…"));
  QVERIFY(dialog->grab().save(QDir::tempPath() + QStringLiteral("/digitlab_callbacks_dialog.png")));
}

void TestCallbacksEditor::aLoadedSpecShowsWithoutEmittingAndRoundTrips() {
  CallbacksEditor editor;
  QSignalSpy spy(&editor, &CallbacksEditor::callbacksChanged);
  CallbacksSpec c;
  c.earlyStopping.enabled = true;
  c.earlyStopping.monitor = "val_accuracy";
  c.earlyStopping.mode = "max";
  c.earlyStopping.patience = 4;
  c.earlyStopping.minDelta = 0.001;
  c.earlyStopping.hasBaseline = true;
  c.earlyStopping.baseline = 0.9;
  c.earlyStopping.startFromEpoch = 2;
  c.reduceLrOnPlateau.enabled = true;
  c.reduceLrOnPlateau.factor = 0.5;
  c.reduceLrOnPlateau.cooldown = 1;
  c.reduceLrOnPlateau.minLr = 1e-5;
  c.modelCheckpoint.filepath = "m.dlm";  // off, its path kept
  editor.setCallbacks(c);
  QCOMPARE(spy.count(), 0);
  QVERIFY(editor.callbacks() == c);

  // The panel shows a loaded spec's callbacks in its button and, once opened, in the editor.
  TrainingPanel panel;
  TrainingSpec t = presetMlp().training;
  t.callbacks = c;
  panel.setTrainingSpec(t);
  QCOMPARE(panel.callbacksButton()->text(), QStringLiteral("Callbac&ks (2)…"));
  QVERIFY(panel.trainingSpec().callbacks == c);
  QTest::mouseClick(panel.callbacksButton(), Qt::LeftButton);
  QVERIFY(panel.callbacksEditor()->callbacks() == c);
  t.callbacks = CallbacksSpec{};
  panel.setTrainingSpec(t);  // an undo, another model: the open editor follows
  QVERIFY(!panel.callbacksEditor()->callbacks().any());
}

void TestCallbacksEditor::fieldsAreOnlyEditableWhileTheirCallbackIsOn() {
  CallbacksEditor editor;
  editor.show();
  QVERIFY(QTest::qWaitForWindowExposed(&editor));
  auto* patience = editor.findChild<QSpinBox*>(QStringLiteral("esPatience"));
  QVERIFY(!patience->isEnabled());
  clickCheck(editor.findChild<QCheckBox*>(QStringLiteral("earlyStoppingCheck")));
  QVERIFY(patience->isEnabled());
  QVERIFY(!editor.findChild<QSpinBox*>(QStringLiteral("rlCooldown"))->isEnabled());
  QVERIFY(!editor.findChild<QLineEdit*>(QStringLiteral("mcPath"))->isEnabled());
}

void TestCallbacksEditor::everyFieldHasAKerasTooltip() {
  CallbacksEditor editor;
  int fields = 0;
  for (QWidget* w : editor.findChildren<QWidget*>()) {
    // (A spin box's own line edit is part of the box.)
    if (w->objectName().isEmpty() || qobject_cast<QAbstractSpinBox*>(w->parentWidget())) continue;
    if (!(qobject_cast<QCheckBox*>(w) || qobject_cast<QComboBox*>(w) || qobject_cast<QAbstractSpinBox*>(w) ||
          qobject_cast<QLineEdit*>(w)))
      continue;
    ++fields;
    QVERIFY2(!w->toolTip().isEmpty(), qPrintable(w->objectName()));
  }
  QCOMPARE(fields, 22);  // 3 check boxes; 8 EarlyStopping, 7 ReduceLROnPlateau and 4 ModelCheckpoint fields
  QVERIFY(editor.findChild<QSpinBox*>(QStringLiteral("rlCooldown"))->toolTip().startsWith(QStringLiteral("cooldown:")));
}

void TestCallbacksEditor::epochMessagesReachTheMessageLine() {
  TrainingPanel panel;
  EpochLog e;
  e.callbackMessages = {"Epoch 5: ReduceLROnPlateau reducing learning rate to 0.005."};
  panel.showEpochMessages(e);
  QCOMPARE(panel.messageText(), QStringLiteral("Epoch 5: ReduceLROnPlateau reducing learning rate to 0.005."));
  EpochLog quiet;
  panel.showEpochMessages(quiet);  // nothing to say: the line stays
  QCOMPARE(panel.messageText(), QStringLiteral("Epoch 5: ReduceLROnPlateau reducing learning rate to 0.005."));

  TrainResult result;
  result.message = QStringLiteral("Trained 3 epochs in 1.0 s. Epoch 3: early stopping");
  EpochLog last;
  last.callbackMessages = {"Epoch 3: early stopping"};
  result.epochs = {e, last};
  panel.showFinished(result);
  QCOMPARE(panel.messageText(), result.message);
  auto* label = panel.findChild<QLabel*>(QStringLiteral("trainingMessage"));
  QVERIFY(label->toolTip().contains(QStringLiteral("Epoch 5: ReduceLROnPlateau")));
  QVERIFY(label->toolTip().contains(QStringLiteral("Epoch 3: early stopping")));
}

QTEST_MAIN(TestCallbacksEditor)
#include "test_CallbacksEditor.moc"
