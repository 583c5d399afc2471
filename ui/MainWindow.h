#pragma once
// DigitLab's one window. The centre holds the training settings and controls above the tabs (Live
// charts, Diagram, Results, Data, Summary); the model builder and the drawing panel are dock
// widgets ("modelDock" on the left, "drawDock" on the right) that can be resized, moved, floated,
// closed and brought back (View menu), so that the window fits any screen from 1280x720 up: it
// never opens larger than the screen's available area, and remembers its geometry, its docks and
// its last tab (AppSettings). A first start shows a short getting-started hint above the tabs
// (dismissed for good by its button; Help > Getting started shows the steps again).
//
// The window wires parts that know nothing of each other: the builder and the training panel to
// the TrainingController (queued signals to the worker thread), the worker's reports to the
// charts, the drawing panel and the results, and the model document (ModelDocument: weights,
// history, metrics, file, the save/open rules) to the File menu. It loads the embedded MNIST
// digits at start (DatasetLoader, in the background) and keeps Train disabled while the model is
// invalid or data is loading (the Train menu's actions follow the panel's buttons). While a run or
// an evaluation is active nothing that changes the model or the data can be used. Closing during
// training stops the run (within one batch) before the window goes.
//
// Train: a model with trained weights that fit the architecture is either continued (Keras's fit
// called again: from the current weights, epochs numbered on, the charts append) or trained
// afresh; a prompt asks. Train > Evaluate scores the current weights on the test set (and the
// training set) without training, filling the results.
//
// Files: File > New (an empty model: the input only) / Open / Save / Save as / Open recent for .dlm
// files; Import / Export architecture (JSON); a .dlm or a spec/Keras .json given on the command
// line or dropped on the window is opened. Every file dialog starts in the last used folder and the
// status bar says what was written.
//
// MainWindow.cpp holds the layout and the wiring, MainWindowTraining.cpp the training flow,
// MainWindowFiles.cpp the files, presets and downloads, MainWindowMenus.cpp the menus.

#include "ModelDocument.h"
#include "WindowPrompts.h"
#include "train/TrainingTypes.h"

#include <QMainWindow>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

class QAction;
class QDockWidget;
class QFrame;
class QLabel;
class QMenu;
class QPlainTextEdit;
class QProgressDialog;
class QTabWidget;
class QTimer;

namespace dl {

class DatasetBrowser;
class InspectView;
class DatasetLoader;
class DiagramPanel;
class DigitPanel;
class DownloadDialog;
class GettingStartedHint;
struct DownloadSpec;
class ModelBuilder;
class MyDigitsStore;
class RecentFiles;
class ResultsView;
class RunsView;
class TrainingCharts;
class TrainingController;
class TrainingPanel;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  ModelBuilder* builder() const { return m_builder; }
  TrainingPanel* trainingPanel() const { return m_trainingPanel; }
  TrainingController* controller() const { return m_controller; }
  TrainingCharts* charts() const { return m_charts; }
  DigitPanel* digitPanel() const { return m_digitPanel; }
  QTabWidget* tabs() const { return m_tabs; }
  ResultsView* results() const { return m_results; }
  DiagramPanel* diagram() const { return m_diagram; }
  InspectView* inspectView() const { return m_inspect; }
  DatasetBrowser* dataBrowser() const { return m_dataBrowser; }
  // The person's own digits (<AppDataLocation>/my-digits), shared by the drawing panel, the Data tab and training.
  MyDigitsStore* myDigits() const { return m_myDigits; }
  QDockWidget* modelDock() const { return m_modelDock; }
  QDockWidget* drawDock() const { return m_drawDock; }
  // The getting-started hint above the tabs (hidden once dismissed).
  GettingStartedHint* gettingStartedHint() const { return m_hint; }

  // The loaded dataset (null while the first load runs or after it failed).
  std::shared_ptr<const DatasetPair> dataset() const { return m_data; }
  bool isLoadingData() const;
  // Loads "embedded", "fashion" or a folder in the background; the current data stays usable
  // until the new one has arrived.
  void loadDataset(const QString& choice);

  // --- Model files (no dialogs: what the menu actions and the tests call) ---
  // Opens a .dlm: its spec goes to the builder (and the training panel), its weights to the drawing
  // panel, its history to the charts, its metrics to the results; the last run's status goes. On
  // failure returns false with *error naming the file and the problem, and changes nothing.
  // Refused while training.
  bool openModel(const QString& path, QString* error = nullptr);
  // What the command line and a drop open: a .dlm as openModel, a .json as an architecture (a
  // DigitLab spec or Keras's model.to_json()). Asks about unsaved changes first; errors in a box.
  bool openPath(const QString& path);
  // Saves the builder's model as a .dlm with the training settings the panel shows (see
  // ModelDocument::save). When trained weights no longer fit, the weights-mismatch prompt asks
  // whether to save the architecture with fresh weights or not at all. On success the file becomes
  // the current file, joins the recent files and the window is unmodified; on failure or cancel
  // false with *error (the previous file intact).
  bool saveModelTo(const QString& path, QString* error = nullptr);
  // The file the window shows (empty: none yet).
  QString currentFile() const { return m_doc.path(); }
  const ModelDocument& document() const { return m_doc; }
  // Whether trained (or opened) weights are there to save, and what they are.
  bool hasWeights() const { return m_doc.hasWeights(); }
  const ModelSpec& weightsSpec() const { return m_doc.weightsSpec(); }
  const std::vector<Matrix>& weights() const { return m_doc.weights(); }
  const TrainingHistory& history() const { return m_doc.history(); }
  // Most recent first, at most kMaxRecentFiles; files that no longer exist are dropped.
  QStringList recentFiles() const;
  void clearRecentFiles();
  static constexpr int kMaxRecentFiles = 8;
  // <AppConfigLocation>/digitlab.ini
  static QString settingsPath();

  // What to do with unsaved changes before New, Open, a preset or closing. By default a message
  // box asks; tests (and embedders) may answer instead. `action` is "closing", "opening a model"...
  using UnsavedChoice = prompts::Unsaved;  // Save, Discard, Cancel
  void setUnsavedChangesPrompt(std::function<UnsavedChoice(const QString& action)> prompt) {
    m_unsavedPrompt = std::move(prompt);
  }
  // Asks (if modified) and saves if told to; false: the caller must not go on.
  bool maybeSaveChanges(const QString& action);

  // What to do when saving trained weights that no longer fit the architecture. By default a
  // message box ("weightsMismatchBox") asks; tests may answer instead. `path`: the file.
  enum class WeightsMismatchChoice { SaveWithoutWeights, Cancel };
  void setWeightsMismatchPrompt(std::function<WeightsMismatchChoice(const QString& path)> prompt) {
    m_mismatchPrompt = std::move(prompt);
  }

  // What Train does when the model has trained weights that fit its architecture: continue from
  // them (epochs numbered on from `trainedEpochs`) or start afresh. By default a message box
  // ("continueTrainingBox") asks; tests may answer instead.
  using ContinueChoice = prompts::Continue;  // Continue, Afresh, Cancel
  void setContinuePrompt(std::function<ContinueChoice(int trainedEpochs)> prompt) {
    m_continuePrompt = std::move(prompt);
  }

  // "Save a checkpoint after every epoch" (Train menu): when an epoch ends, saves to
  // currentFile() with that epoch's weights (the worker's snapshot sent just before the epoch's
  // end) and the history so far. Ticking it while the model has no file asks for one (unticked
  // again if none is given); without a file the epoch's status line says the checkpoint is missing.
  QAction* checkpointAction() const { return m_checkpointAction; }
  // The Train menu's Start (F5), Pause/Resume (F6), Stop (Shift+F5), Evaluate (Ctrl+E).
  QAction* startAction() const { return m_startAction; }
  QAction* pauseAction() const { return m_pauseAction; }
  QAction* stopAction() const { return m_stopAction; }
  QAction* evaluateAction() const { return m_evaluateAction; }
  // Train > Fine-tune on my digits: enabled with trained weights, a digits dataset and my digits.
  QAction* fineTuneAction() const { return m_fineTuneAction; }
  QMenu* recentMenu() const { return m_recentMenu; }

  // --- Datasets ---
  // Downloads `spec` into `folder` with a progress dialog (Cancel stops it); on success the data
  // is offered in the training panel's dataset list, selected and loaded. Ignored while a download
  // runs. downloadDialog() is the dialog while it runs. (The menu's Download actions ask first.)
  void downloadDataset(const DownloadSpec& spec, const QString& folder);
  bool isDownloading() const;
  QProgressDialog* downloadDialog() const;

  // Sizes the window to its screen's available area (at most 1600x1000) and the docks to it, as
  // on a first start; restoreLayout() brings back what the last session saved, kept on screen.
  void resetLayout();

 public slots:
  void startTraining();
  void trainForDrawing();
  // Scores the current weights on the test set and the training set (Train > Evaluate).
  void evaluateModel();
  // Continues training the current weights for kFineTuneEpochs epochs on the loaded training set
  // plus my digits, each repeated (fineTuneRepeats) to make about 15 % of an epoch; validation on
  // the test set when the panel asks for a split (a split would take my digits' rows).
  void fineTuneOnMyDigits();
  // The current model and training settings as a runnable Keras script (empty + *error if not).
  QString kerasCode(QString* error = nullptr) const;
  bool saveKerasCode(const QString& path, QString* error) const;
  void pauseOrResumeTraining();
  void stopTraining();
  // The File menu's model actions (with dialogs and message boxes).
  void newModel();
  void openModelDialog();
  bool saveModel();
  bool saveModelAs();
  // Model > Tutorial MLP / CNN and the builder's preset buttons: "mlp" or "cnn".
  bool applyPreset(const QString& id);  // false: the person kept their unsaved work
  void showGettingStarted();

 protected:
  void closeEvent(QCloseEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void showEvent(QShowEvent* event) override;

 private:
  void buildLayout();
  void connectParts();
  void createMenus();
  void createFileMenu();
  void createModelMenu();
  void createTrainMenu();
  void createViewMenu();
  // An action that changes the model or the data (off while a run is active), named for tests.
  QAction* modelAction(QAction* action, const char* name, const QString& tip);
  void restoreLayout();
  // Shrinks and moves the window so that it, frame included, lies within its screen's available area.
  void keepOnScreen();
  void saveLayout() const;
  void onDatasetLoaded(const QString& choice, std::shared_ptr<const DatasetPair> data);
  void onDatasetFailed(const QString& choice, const QString& error);
  void onRunningChanged(bool running);
  void onEpochFinished(const EpochLog& epoch);
  void onFinished(const TrainResult& result);
  void onEvaluated(const TrainResult& result);
  void onFailed(const QString& message);
  void onWeightsSnapshot(const ModelSpec& spec, const std::vector<Matrix>& weights);
  void updateTrainActions();
  // Why Fine-tune on my digits cannot run now (empty: it can).
  QString fineTuneRefusal() const;
  void onMyDigitsChanged();
  // Starts a run built by startTraining or fineTuneOnMyDigits: charts, document, controller.
  void launchRun(TrainRequest& request, bool continuing);
  void saveCheckpoint(QString* statusText);
  // A new model (New, a preset, Open): the last run's charts, results, drawing model and status go.
  void clearRun();
  void replaceSpec(const ModelSpec& spec, const QString& undoText);
  enum class SaveOutcome { Saved, Failed, Cancelled };
  // saveModelTo's work; mayAsk false (checkpoints): a weights mismatch fails instead of asking.
  SaveOutcome writeModel(const QString& path, QString* error, bool mayAsk);
  void downloadFromMenu(const DownloadSpec& spec);
  void updateSpecViews();
  void updateTitle();
  void showAbout();
  void setModified(bool modified);
  void offerDownloadedDatasets();
  void showError(const QString& title, const QString& text, const QString& objectName);
  void showResultsFrom(const TrainResult& result);
  // The Inside tab (MainWindowInspect.cpp): follows the drawing panel's model and input, and the
  // layer selected in the builder or clicked in the diagram.
  void setupInspect();

  ModelBuilder* m_builder = nullptr;
  TrainingPanel* m_trainingPanel = nullptr;
  TrainingController* m_controller = nullptr;
  TrainingCharts* m_charts = nullptr;
  DiagramPanel* m_diagram = nullptr;
  ResultsView* m_results = nullptr;
  DatasetBrowser* m_dataBrowser = nullptr;
  QPlainTextEdit* m_summary = nullptr;
  InspectView* m_inspect = nullptr;
  DigitPanel* m_digitPanel = nullptr;
  QTabWidget* m_tabs = nullptr;
  QDockWidget* m_modelDock = nullptr;
  QDockWidget* m_drawDock = nullptr;
  GettingStartedHint* m_hint = nullptr;
  QLabel* m_dataLabel = nullptr;
  QTimer* m_specTimer = nullptr;  // coalesces diagram/summary updates while editing
  QAction* m_startAction = nullptr;
  QAction* m_pauseAction = nullptr;
  QAction* m_stopAction = nullptr;
  QAction* m_evaluateAction = nullptr;
  QAction* m_fineTuneAction = nullptr;
  MyDigitsStore* m_myDigits = nullptr;
  QAction* m_checkpointAction = nullptr;
  QMenu* m_recentMenu = nullptr;
  RecentFiles* m_recent = nullptr;
  std::vector<QAction*> m_modelActions;  // change the model or the data: off during a run
  DatasetLoader* m_loader = nullptr;
  QPointer<DownloadDialog> m_download;

  std::shared_ptr<const DatasetPair> m_data;
  QString m_dataChoice;                          // what m_data was loaded from: "embedded", "fashion" or a folder
  ModelSpec m_runSpec;                           // what the current/last run trains
  int m_runInitialEpoch = 0;                     // epochs trained before it (a continued run)
  QString m_runNote;                             // the status line of its start (fine-tuning: the mix)
  std::shared_ptr<const DatasetPair> m_runData;  // and on which data
  Qt::Orientation m_chartsOrientation = Qt::Horizontal;

  ModelDocument m_doc;
  bool m_snapshotThisEpoch = false;  // weights arrived since the last epoch's end (or the start)
  bool m_settingSpec = false;        // the window itself replaces the builder's spec: not an edit
  std::function<UnsavedChoice(const QString&)> m_unsavedPrompt;
  std::function<WeightsMismatchChoice(const QString&)> m_mismatchPrompt;
  std::function<ContinueChoice(int)> m_continuePrompt;

  // --- Steering a run (MainWindowTraining.cpp; wired by createTrainMenu) ---
 public:
  // Train > Step one batch (F7) and the panel's Step: while paused, one batch, then paused again.
  QAction* stepAction() const { return m_stepAction; }
  // Train > Find learning rate… and the panel's Range test…: the range-test dialog (LrRangeDialog,
  // window-modal, not blocking) on a copy of the current weights when they fit the model, else
  // on freshly initialised ones; its "Use this rate" sets the training panel's learning rate.
  QAction* findLearningRateAction() const { return m_findLearningRateAction; }
  void stepTraining();
  void findLearningRate();

 private:
  // The panel's live learning rate, Step and Range test… to the controller and the dialog.
  void connectSteering();
  QAction* m_stepAction = nullptr;
  QAction* m_findLearningRateAction = nullptr;

  // --- Runs side by side and the confusion drill-down (MainWindowRuns.cpp) ---
 public:
  // The Runs tab: every run since the start, and those of opened model files.
  RunsView* runsView() const { return m_runsView; }

 private:
  // Adds the Runs tab and records each run from the controller's reports; wires the Results
  // tab's per-epoch matrix, its confidences (the document's weights) and its digits to the canvas.
  void setupRuns();
  // Class probabilities of `count` 28x28 images with the document's weights (empty: none).
  std::vector<float> documentProbabilities(const std::vector<float>& images, int count) const;
  RunsView* m_runsView = nullptr;
  int m_activeRun = -1;  // the runs view's row of the run in progress (-1: none)
};

}  // namespace dl
