#pragma once
// DigitLab's one window: the model builder on the left; in the centre the training settings and
// controls above tabs with the live charts, the model diagram, the results and the summary; the
// drawing panel on the right. It loads the embedded MNIST digits at start (in the background),
// keeps Train disabled while the model is invalid or data is loading (the Train menu's actions
// follow the panel's buttons), and wires the builder and the training panel to the
// TrainingController. While a run is active nothing that changes the model or the data can be used
// (the builder, undo/redo, presets, New/Open, loading an architecture, opening or downloading
// data). Closing during training stops the run (within one batch) before the window goes. Tabs:
// Live charts, Diagram, Results, Data (the dataset browser), Summary (model.summary() text).
//
// Model files: File > New / Open model… / Save model / Save model As… / Open recent read and write
// .dlm files (dl::saveModelFile / dl::loadModelFile) holding the builder's architecture, the
// weights of the latest training snapshot, the training history the charts got, the dataset's
// name and the final metrics. The title bar marks unsaved changes ("[*]": after training, an edit
// of the architecture or of the training settings); New, Open and closing ask first. The recent files live in
// <AppConfigLocation>/digitlab.ini (redirected by QStandardPaths' test mode). File > Download
// MNIST… / Fashion-MNIST… fetch the full datasets with a progress dialog and offer them in the
// training panel's dataset list.

#include "io/ModelFile.h"
#include "train/TrainingTypes.h"

#include <QMainWindow>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

class QAction;
class QLabel;
class QMenu;
class QPlainTextEdit;
class QProgressDialog;
class QTabWidget;
class QTimer;

namespace dl {

class DatasetBrowser;
class DatasetDownloader;
struct DownloadSpec;
class DiagramPanel;
class DigitPanel;
class ModelBuilder;
class ResultsView;
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
  DatasetBrowser* dataBrowser() const { return m_dataBrowser; }

  // The loaded dataset (null while the first load runs or after it failed).
  std::shared_ptr<const DatasetPair> dataset() const { return m_data; }
  bool isLoadingData() const { return m_loading > 0; }
  // Loads "embedded", "fashion" or a folder in the background; the current data stays usable
  // until the new one has arrived.
  void loadDataset(const QString& choice);

  // --- Model files (no dialogs: what the menu actions and the tests call) ---
  // Opens a .dlm: its spec goes to the builder (and the training panel), its weights to the drawing
  // panel, its history to the charts, its metrics to the results. On failure returns false with
  // *error naming the file and the problem, and changes nothing. Refused while training.
  bool openModel(const QString& path, QString* error = nullptr);
  // Saves the builder's model as a .dlm with the training settings the panel shows: the weights
  // of the latest training snapshot, the history, the dataset name and the final metrics - when
  // those weights still fit the architecture (same weight shapes in the same order: renaming a
  // layer or changing an activation keeps them). When nothing was trained, freshly initialised
  // weights without history. When trained weights no longer fit, the weights-mismatch prompt asks
  // whether to save the architecture with fresh weights (no history, no metrics) or not at all.
  // On success the file becomes the current file, joins the recent files and the window is
  // unmodified; on failure or cancel false with *error (the previous file intact).
  bool saveModelTo(const QString& path, QString* error = nullptr);
  // The file the window shows (empty: none yet).
  QString currentFile() const { return m_currentPath; }
  // Whether trained (or opened) weights are there to save, and what they are.
  bool hasWeights() const { return m_hasWeights; }
  const ModelSpec& weightsSpec() const { return m_weightsSpec; }
  const std::vector<Matrix>& weights() const { return m_weights; }
  const TrainingHistory& history() const { return m_history; }
  // Most recent first, at most kMaxRecentFiles; files that no longer exist are dropped.
  QStringList recentFiles() const;
  void clearRecentFiles();
  static constexpr int kMaxRecentFiles = 8;
  // <AppConfigLocation>/digitlab.ini
  static QString settingsPath();

  // What to do with unsaved changes before New, Open or closing. By default a message box asks;
  // tests (and embedders) may answer instead. `action` is "closing", "opening a model", ...
  enum class UnsavedChoice { Save, Discard, Cancel };
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

  // "Save a checkpoint after every epoch" (Train menu): when an epoch ends, saves to
  // currentFile() with that epoch's weights (the worker's snapshot sent just before the epoch's
  // end) and the history so far. Ticking it while the model has no file asks for one (unticked
  // again if none is given); without a file the epoch's status line says the checkpoint is missing.
  QAction* checkpointAction() const { return m_checkpointAction; }
  // The Train menu's Start (F5), Pause/Resume (F6), Stop (Shift+F5).
  QAction* startAction() const { return m_startAction; }
  QAction* pauseAction() const { return m_pauseAction; }
  QAction* stopAction() const { return m_stopAction; }
  QMenu* recentMenu() const { return m_recentMenu; }

  // --- Datasets ---
  // Downloads `spec` into `folder` with a progress dialog (Cancel stops it); on success the data
  // is offered in the training panel's dataset list, selected and loaded. Ignored while a download
  // runs. downloadDialog() is the dialog while it runs.
  void downloadDataset(const DownloadSpec& spec, const QString& folder);
  bool isDownloading() const;
  QProgressDialog* downloadDialog() const;

 public slots:
  void startTraining();
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

 protected:
  void closeEvent(QCloseEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void createMenus();
  void onDatasetLoaded(const QString& choice, std::shared_ptr<const DatasetPair> data, const QString& error);
  void onRunningChanged(bool running);
  void onEpochFinished(const EpochLog& epoch);
  void onFinished(const TrainResult& result);
  void onFailed(const QString& message);
  void onWeightsSnapshot(const ModelSpec& spec, const std::vector<Matrix>& weights);
  void updateTrainActions();
  void saveCheckpoint(QString* statusText);
  enum class SaveOutcome { Saved, Failed, Cancelled };
  // saveModelTo's work; mayAsk false (checkpoints): a weights mismatch fails instead of asking.
  SaveOutcome writeModel(const QString& path, QString* error, bool mayAsk);
  void updateSpecViews();
  void updateTitle();
  void showAbout();
  void setModified(bool modified);
  void addRecentFile(const QString& path);
  void rebuildRecentMenu();
  void showHistory(const TrainingHistory& history, int plannedEpochs);
  void offerDownloadedDatasets();
  void showError(const QString& title, const QString& text, const QString& objectName);

  ModelBuilder* m_builder = nullptr;
  TrainingPanel* m_trainingPanel = nullptr;
  TrainingController* m_controller = nullptr;
  TrainingCharts* m_charts = nullptr;
  DiagramPanel* m_diagram = nullptr;
  ResultsView* m_results = nullptr;
  DatasetBrowser* m_dataBrowser = nullptr;
  QPlainTextEdit* m_summary = nullptr;
  DigitPanel* m_digitPanel = nullptr;
  QTabWidget* m_tabs = nullptr;
  QLabel* m_dataLabel = nullptr;
  QTimer* m_specTimer = nullptr;  // coalesces diagram/summary updates while editing
  QAction* m_startAction = nullptr;
  QAction* m_pauseAction = nullptr;
  QAction* m_stopAction = nullptr;
  QAction* m_newAction = nullptr;
  QAction* m_openAction = nullptr;
  QAction* m_checkpointAction = nullptr;
  QMenu* m_recentMenu = nullptr;
  std::vector<QAction*> m_modelActions;  // change the model or the data: off during a run
  QPointer<DatasetDownloader> m_downloader;
  QPointer<QProgressDialog> m_downloadDialog;

  std::shared_ptr<const DatasetPair> m_data;
  QString m_dataChoice;  // what m_data was loaded from: "embedded", "fashion" or a folder
  ModelSpec m_runSpec;  // what the current/last run trains
  std::shared_ptr<const DatasetPair> m_runData;  // and on which data
  int m_loading = 0;    // loads in flight
  int m_loadGeneration = 0;
  Qt::Orientation m_chartsOrientation = Qt::Horizontal;

  // What Save writes: the latest weights (with the spec they belong to), the history, the metrics.
  ModelSpec m_weightsSpec;
  std::vector<Matrix> m_weights;
  bool m_hasWeights = false;
  TrainingHistory m_history;
  ModelFileMetadata m_metadata;  // dataset and final metrics (history kept in m_history)
  QString m_currentPath;
  bool m_snapshotThisEpoch = false;  // weights arrived since the last epoch's end (or the start)
  bool m_settingSpec = false;        // the window itself replaces the builder's spec: not an edit
  std::function<UnsavedChoice(const QString&)> m_unsavedPrompt;
  std::function<WeightsMismatchChoice(const QString&)> m_mismatchPrompt;
};

}  // namespace dl
