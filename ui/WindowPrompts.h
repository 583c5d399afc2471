#pragma once
// The questions the main window asks before it goes on, as message boxes (each with an objectName
// tests can find): unsaved changes, trained weights that no longer fit, continue or start afresh.

#include <QString>

class QWidget;

namespace dl::prompts {

enum class Unsaved { Save, Discard, Cancel };
// "Save the changes to NAME before ACTION?" ("unsavedChangesBox").
Unsaved askUnsaved(QWidget* parent, const QString& name, const QString& action);

// Trained weights no longer fit the architecture: true to save fresh weights ("weightsMismatchBox").
bool askSaveWithoutWeights(QWidget* parent);

enum class Continue { Continue, Afresh, Cancel };
// The model has trained weights: go on from them or start afresh ("continueTrainingBox").
// trainedEpochs: epochs behind those weights; epochs: how many this run adds.
Continue askContinue(QWidget* parent, int trainedEpochs, int epochs);

}  // namespace dl::prompts
