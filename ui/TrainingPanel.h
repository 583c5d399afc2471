#pragma once
// The training settings and controls: optimizer (SGD: learning rate, momentum, Nesterov; Adam:
// learning rate, beta_1, beta_2), batch size, epochs, validation (none, a split of the training
// data, or the test set), seed, threads and the dataset; Start, Pause/Resume and Stop; a progress
// bar reading "Epoch 2/5 · batch 120/250 · 48,000 samples/s · 42 s left" (durations in
// dl::durationText's format; "Paused" instead of the time left while paused; "Stopped at epoch 2/5,
// batch 120/250" after a Stop, the bar left where the run stopped) and a line saying how the last
// run ended.
//
// A continued run (Keras's fit called again) numbers its epochs on from the earlier ones: its
// BatchLogs say "epoch 6 of 10". The bar measures this run only: showStarted() is told how many
// epochs came before, and the bar fills from 0 over epochs 6..10.
//
// "Callbac&ks…" (beside Stop) opens a small dialog with the CallbacksEditor: Keras's
// EarlyStopping, ReduceLROnPlateau and ModelCheckpoint, part of the TrainingSpec like every other
// setting here (edits emit settingsChanged). The button says how many are on. What the callbacks
// said during a run ("Epoch 7: early stopping", ...) is shown by showEpochMessages() and, at the
// end, in the message line's tooltip.
//
// Steering a run: while it trains (or is paused) the learning-rate box stays editable; a new
// value (Enter, leaving the box, or its arrows: never a half-typed one) is the document's setting
// (settingsChanged) and goes to the run (learningRateChanged), which uses it from its next batch.
// Step (beside Pause, enabled only while paused) trains one batch and pauses again. "Range test…"
// beside the learning rate asks for the learning-rate range test (enabled when Train is).
//
// The panel only asks: startRequested() etc. go to the window, which drives the
// TrainingController and reports back with setState() and the show*() calls.

#include "nn/ModelSpec.h"
#include "nn/Trainer.h"
#include "train/TrainingTypes.h"

#include <QString>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDialog;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QToolButton;
class QVBoxLayout;

namespace dl {

class CallbacksEditor;
class ScientificSpinBox;

class TrainingPanel : public QWidget {
  Q_OBJECT

 public:
  enum class State { Idle, Running, Paused, Stopping };

  explicit TrainingPanel(QWidget* parent = nullptr);

  // The settings as a TrainingSpec (validationSplit is 0 unless the validation is a split;
  // validateOnTestSet says "Test set").
  TrainingSpec trainingSpec() const;
  // Shows these settings (a preset's, a loaded file's); emits settingsChanged.
  void setTrainingSpec(const TrainingSpec& training);
  ValidationMode validationMode() const;
  void setValidationMode(ValidationMode mode);
  int threads() const;  // 0: all cores

  // The dataset choice: "embedded", "fashion" or a folder path.
  QString datasetChoice() const;
  // Selects a choice programmatically (adding a folder entry if needed); emits nothing.
  void setDatasetChoice(const QString& choice);
  // Offers a folder of MNIST-format files under a readable name ("MNIST (downloaded)"): adds an
  // entry (or renames the one for this folder) before "MNIST-format folder…" and, when `select`,
  // selects it. Emits nothing; the window loads the data itself. The entry's tooltip is `toolTip`,
  // or the folder's path when empty.
  void addDatasetFolder(const QString& name, const QString& folder, bool select = true, const QString& toolTip = {});
  // The entries as shown, and the choice behind each ("embedded", "fashion", a folder; the last
  // entry, "MNIST-format folder…", is left out).
  QStringList datasetNames() const;
  QStringList datasetChoices() const;

  // Start is enabled when the model is valid, data is loaded and nothing runs; Pause while a run
  // trains (not during the final evaluation); Stop while a run trains or evaluates (a second Stop,
  // in state Stopping, skips the evaluation). controlsChanged() follows every change, so that
  // menu actions can mirror the buttons.
  void setModelValid(bool valid);
  void setDataReady(bool ready);
  void setState(State state);
  State state() const { return m_state; }

  // Progress reports. A run trains `epochs` epochs of `stepsPerEpoch` batches after
  // `epochsBefore` epochs of earlier runs (continued training; 0 for a fresh model): its first
  // epoch is shown as "Epoch epochsBefore + 1/epochsBefore + epochs".
  void showStarted(int epochs, int stepsPerEpoch, int epochsBefore = 0);
  // A batch's log: log.epoch/log.epochs count all runs (6/10), the bar this run's share.
  void showProgress(const BatchLog& log);
  // An evaluation starts: a run's final one (Pause is not offered: it has no batches to pause
  // between; Stop skips it) or a stand-alone Evaluate (call setState(State::Running) first, so
  // that Stop cancels it, and setState(State::Idle) after). `what` is the bar's text, e.g.
  // "Evaluating on the test set…". Lasts until the state goes Idle or a run starts.
  void showEvaluating(const QString& what);
  // How far the evaluation is: `done` of `total` (samples or batches; shown as a percentage).
  // Drives the bar from 0 to full; ignored unless an evaluation is shown (showEvaluating).
  void showEvaluationProgress(int done, int total);
  bool isEvaluating() const { return m_evaluating; }
  // How a run ended: "Done" (bar full), "Stopped at epoch 2/5, batch 120/250" or "Diverged" (the
  // bar stays where the run got to). After a stand-alone evaluation (no showStarted before it):
  // "Evaluated" or "Evaluation cancelled".
  void showFinished(const TrainResult& result);
  void showMessage(const QString& text, bool isError = false);
  // An epoch's callback lines (EpochLog::callbackMessages, then its warnings), if it has any:
  // shown in the message line ("Epoch 5: ReduceLROnPlateau reducing learning rate to 0.005.").
  void showEpochMessages(const EpochLog& epoch);
  QPushButton* callbacksButton() const { return m_callbacksButton; }
  // The dialog and its editor, made on the button's first click (null before).
  CallbacksEditor* callbacksEditor() const { return m_callbacksEditor; }
  QDialog* callbacksDialog() const { return m_callbacksDialog; }
  // Forgets the last run (a new model): the bar reads "Ready" and the message line is empty.
  void clearRun();
  QString progressText() const;
  QString messageText() const;

  // Whether Start / Pause (or Resume) / Stop are enabled now: what the window's menu actions follow.
  bool canStart() const;
  bool canPause() const;
  bool canStop() const;
  QPushButton* startButton() const { return m_start; }
  QPushButton* pauseButton() const { return m_pause; }
  QPushButton* stopButton() const { return m_stop; }
  // Steering (see above).
  bool canStep() const;
  QPushButton* stepButton() const { return m_step; }
  QToolButton* findLearningRateButton() const { return m_findLearningRate; }
  // Shows `lr` in the learning-rate box as if typed there (settingsChanged; learningRateChanged
  // while a run trains). Not an undoable edit: none of the panel's edits are.
  void setLearningRate(double lr);
  // The bar's fill, 0..1 (what the person sees: a fraction of this run, or of the evaluation).
  double progressFraction() const;

 signals:
  void startRequested();
  void pauseRequested();
  void resumeRequested();
  void stopRequested();
  void stepRequested();
  void findLearningRateRequested();
  // While a run trains or is paused: the rate the person set for it.
  void learningRateChanged(double lr);
  void datasetRequested(const QString& choice);
  void settingsChanged(const dl::TrainingSpec& training);
  // The buttons' enabled state or text changed.
  void controlsChanged();

 private:
  // The constructor's steps, in this order (widgets are created in Tab order).
  void createOptimizerFields(QWidget* group);
  void createFitFields(QWidget* group);
  void createDataFields(QWidget* group);
  void layOutSettings(QGroupBox* group);
  void createControls(QVBoxLayout* layout);
  void connectSignals();

  void updateOptimizerRows();
  void updateButtons();
  void onDatasetActivated(int index);
  void emitSettingsChanged();
  void updateProgressBar();
  QString positionText() const;  // "Epoch 2/5 · batch 120/250"

  TrainingSpec m_base;  // fields the panel does not show (loss, epsilon) come from here
  State m_state = State::Idle;
  bool m_modelValid = false;
  bool m_dataReady = false;
  bool m_evaluating = false;
  int m_datasetIndex = 0;  // the last good choice, to return to when a folder dialog is cancelled
  // The run the bar shows (see showStarted/showProgress).
  bool m_runActive = false;  // showStarted() came, showFinished() not yet
  int m_epochs = 0;          // this run's epochs
  int m_epochsBefore = 0;    // epochs of earlier runs (continued training)
  int m_steps = 0;
  BatchLog m_lastLog;        // epoch 0: no batch yet
  double m_runFraction = 0;  // of this run's batches, 0..1
  QString m_evaluationText;
  double m_evaluationFraction = -1;  // < 0: no evaluation progress yet
  QString m_endText;                 // set by showFinished(): the bar's text until the next run

  QComboBox* m_optimizer = nullptr;
  ScientificSpinBox* m_learningRate = nullptr;
  QDoubleSpinBox* m_momentum = nullptr;
  QCheckBox* m_nesterov = nullptr;
  QDoubleSpinBox* m_beta1 = nullptr;
  QDoubleSpinBox* m_beta2 = nullptr;
  QLabel* m_firstExtraLabel = nullptr;   // "Momentum" or "beta_1"
  QLabel* m_secondExtraLabel = nullptr;  // "" (Nesterov) or "beta_2"
  QStackedWidget* m_firstExtra = nullptr;
  QStackedWidget* m_secondExtra = nullptr;
  QSpinBox* m_batchSize = nullptr;
  QSpinBox* m_epochsSpin = nullptr;
  QComboBox* m_validation = nullptr;
  QDoubleSpinBox* m_split = nullptr;
  QSpinBox* m_seed = nullptr;
  QSpinBox* m_threads = nullptr;
  QComboBox* m_dataset = nullptr;
  QPushButton* m_start = nullptr;
  QPushButton* m_pause = nullptr;
  QPushButton* m_stop = nullptr;
  QPushButton* m_step = nullptr;
  QToolButton* m_findLearningRate = nullptr;
  QProgressBar* m_progress = nullptr;
  QLabel* m_message = nullptr;
  // Keras's callbacks (see above).
  void createCallbacksButton();
  void createCallbacksDialog();
  void updateCallbacksButton();
  QPushButton* m_callbacksButton = nullptr;
  QDialog* m_callbacksDialog = nullptr;
  CallbacksEditor* m_callbacksEditor = nullptr;
};

}  // namespace dl
