#pragma once
// DigitLab's one window: the model builder on the left; in the centre the training settings and
// controls above tabs with the live charts, the model diagram, the results and the summary; the
// drawing panel on the right. It loads the embedded MNIST digits at start (in the background),
// keeps Train disabled while the model is invalid or data is loading, and wires the builder and
// the training panel to the TrainingController. Closing during training stops the run (within one
// batch) before the window goes. Tabs: Live charts, Diagram, Results, Data (the dataset browser),
// Summary (model.summary() text).

#include "train/TrainingTypes.h"

#include <QMainWindow>
#include <QString>

#include <memory>

class QAction;
class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTimer;

namespace dl {

class DatasetBrowser;
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

 public slots:
  void startTraining();
  void pauseOrResumeTraining();
  void stopTraining();

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
  void updateSpecViews();
  void updateTitle();
  void showAbout();

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

  std::shared_ptr<const DatasetPair> m_data;
  QString m_dataChoice;  // what m_data was loaded from: "embedded", "fashion" or a folder
  ModelSpec m_runSpec;  // what the current/last run trains
  std::shared_ptr<const DatasetPair> m_runData;  // and on which data
  int m_loading = 0;    // loads in flight
  int m_loadGeneration = 0;
  Qt::Orientation m_chartsOrientation = Qt::Horizontal;
};

}  // namespace dl
