// The main window's questions.

#include "WindowPrompts.h"

#include <QCoreApplication>
#include <QMessageBox>
#include <QPushButton>

namespace dl::prompts {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("MainWindow", text); }

}  // namespace

Unsaved askUnsaved(QWidget* parent, const QString& name, const QString& action) {
  QMessageBox box(QMessageBox::Warning, tr("Unsaved changes"),
                  tr("Save the changes to %1 before %2?").arg(name, action),
                  QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, parent);
  box.setObjectName(QStringLiteral("unsavedChangesBox"));
  box.setInformativeText(tr("The architecture or the trained weights have changed since the model was last saved."));
  box.setDefaultButton(QMessageBox::Save);
  switch (box.exec()) {
    case QMessageBox::Save:
      return Unsaved::Save;
    case QMessageBox::Discard:
      return Unsaved::Discard;
    default:
      return Unsaved::Cancel;
  }
}

bool askSaveWithoutWeights(QWidget* parent) {
  QMessageBox box(QMessageBox::Warning, tr("Save model"), tr("The trained weights no longer fit the architecture."),
                  QMessageBox::Cancel, parent);
  box.setObjectName(QStringLiteral("weightsMismatchBox"));
  box.setInformativeText(
      tr("Layers were added, removed or resized since the model was trained. Save the architecture with freshly "
         "initialised weights, without the training history and results? (Cancel, then undo the changes, to save "
         "the trained model.)"));
  QPushButton* save = box.addButton(tr("Save &without trained weights"), QMessageBox::AcceptRole);
  box.setDefaultButton(QMessageBox::Cancel);
  box.exec();
  return box.clickedButton() == save;
}

Continue askContinue(QWidget* parent, int trainedEpochs, int epochs) {
  QMessageBox box(QMessageBox::Question, tr("Train"), tr("The model has trained weights."), QMessageBox::Cancel,
                  parent);
  box.setObjectName(QStringLiteral("continueTrainingBox"));
  box.setInformativeText(
      trainedEpochs > 0 ? tr("Continue from them (epochs %1–%2; the charts go on), or start again from fresh weights?")
                              .arg(trainedEpochs + 1)
                              .arg(trainedEpochs + epochs)
                        : tr("Continue training from them, or start again from fresh weights?"));
  QPushButton* more = box.addButton(tr("&Continue training"), QMessageBox::AcceptRole);
  QPushButton* afresh = box.addButton(tr("Start &afresh"), QMessageBox::DestructiveRole);
  box.setDefaultButton(more);
  box.exec();
  if (box.clickedButton() == more) return Continue::Continue;
  if (box.clickedButton() == afresh) return Continue::Afresh;
  return Continue::Cancel;
}

}  // namespace dl::prompts
