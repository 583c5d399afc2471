// The main window: builder | training + charts/diagram/results/summary | drawing panel.

#include "MainWindow.h"

#include "DatasetBrowser.h"
#include "DiagramPanel.h"
#include "DigitPanel.h"
#include "ModelBuilder.h"
#include "ResultsView.h"
#include "TrainingCharts.h"
#include "TrainingController.h"
#include "TrainingPanel.h"
#include "AppSettings.h"

#include "data/DatasetDownloader.h"
#include "data/IdxReader.h"
#include "io/KerasExport.h"
#include "io/ModelFile.h"
#include "nn/Model.h"
#include "nn/ModelAnalysis.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QPushButton>
#include <QSaveFile>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <exception>

namespace dl {

namespace {

// What a background dataset load hands back (exceptions do not cross QtConcurrent::run).
struct LoadOutcome {
  std::shared_ptr<const DatasetPair> data;
  QString error;
};

QString figure(double value, int decimals = 4) {
  return std::isnan(value) ? QStringLiteral("—") : QString::number(value, 'f', decimals);
}

QString thousands(int64_t n) {
  return QString::fromStdString(withThousands(n));
}

bool finite(double value) {
  return std::isfinite(value);
}

// Every file of `spec` in `folder`, by name.
bool hasAllFiles(const DownloadSpec& spec, const QString& folder) {
  if (spec.files.isEmpty()) return false;
  return std::all_of(spec.files.begin(), spec.files.end(),
                     [&](const DownloadFile& f) { return QFileInfo::exists(folder + QLatin1Char('/') + f.name); });
}

const QString kRecentFilesKey = QStringLiteral("recentFiles");
const QString kCheckpointKey = QStringLiteral("checkpointEveryEpoch");

QString dataText(const DatasetPair& data) {
  return MainWindow::tr("%1 · %2 train · %3 test")
      .arg(QString::fromStdString(data.name), thousands(data.train.count), thousands(data.test.count));
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setObjectName(QStringLiteral("mainWindow"));
  registerTrainingMetaTypes();
  m_controller = new TrainingController(this);

  // Left: the model builder.
  m_builder = new ModelBuilder(this);
  m_builder->setMinimumWidth(320);

  // Centre: training settings above the tabs.
  auto* centre = new QWidget(this);
  auto* centreLayout = new QVBoxLayout(centre);
  centreLayout->setContentsMargins(0, 0, 0, 0);
  centreLayout->setSpacing(0);
  m_trainingPanel = new TrainingPanel(centre);
  centreLayout->addWidget(m_trainingPanel);
  m_tabs = new QTabWidget(centre);
  m_tabs->setDocumentMode(true);
  m_charts = new TrainingCharts(m_tabs);
  m_tabs->addTab(m_charts, tr("Live charts"));
  // Pages wider than the centre may be scroll instead of widening the window past the screen.
  const auto scrolled = [this](QWidget* page) {
    auto* scroll = new QScrollArea(m_tabs);
    scroll->setWidget(page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    return scroll;
  };
  m_diagram = new DiagramPanel;
  m_tabs->addTab(scrolled(m_diagram), tr("Diagram"));
  m_results = new ResultsView;
  m_tabs->addTab(scrolled(m_results), tr("Results"));
  m_dataBrowser = new DatasetBrowser;
  m_tabs->addTab(scrolled(m_dataBrowser), tr("Data"));
  m_summary = new QPlainTextEdit(m_tabs);
  m_summary->setObjectName(QStringLiteral("summaryText"));
  m_summary->setReadOnly(true);
  m_summary->setLineWrapMode(QPlainTextEdit::NoWrap);
  m_summary->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  m_tabs->addTab(m_summary, tr("Summary"));
  centreLayout->addWidget(m_tabs, 1);
  m_tabs->installEventFilter(this);  // charts side by side when wide, stacked when narrow

  // Right: the drawing panel.
  m_digitPanel = new DigitPanel(this);

  auto* splitter = new QSplitter(Qt::Horizontal, this);
  splitter->setObjectName(QStringLiteral("mainSplitter"));
  splitter->addWidget(m_builder);
  splitter->addWidget(centre);
  splitter->addWidget(m_digitPanel);
  splitter->setStretchFactor(0, 0);
  splitter->setStretchFactor(1, 1);
  splitter->setStretchFactor(2, 0);
  splitter->setChildrenCollapsible(false);
  splitter->setSizes({380, 1000, 400});  // the drawing panel gets its minimum, the centre the rest
  setCentralWidget(splitter);

  m_dataLabel = new QLabel(tr("Loading data…"), this);
  statusBar()->addPermanentWidget(m_dataLabel);

  m_specTimer = new QTimer(this);
  m_specTimer->setSingleShot(true);
  m_specTimer->setInterval(80);
  connect(m_specTimer, &QTimer::timeout, this, &MainWindow::updateSpecViews);

  // Builder <-> training panel.
  connect(m_builder, &ModelBuilder::specChanged, this, [this] {
    m_specTimer->start();
    if (!m_settingSpec) setModified(true);  // an edit of the architecture
    updateTitle();
  });
  connect(m_builder, &ModelBuilder::validityChanged, m_trainingPanel, &TrainingPanel::setModelValid);
  connect(m_builder, &ModelBuilder::trainingSpecLoaded, m_trainingPanel, &TrainingPanel::setTrainingSpec);
  connect(m_builder, &ModelBuilder::message, this, [this](const QString& text) { statusBar()->showMessage(text, 6000); });
  connect(m_trainingPanel, &TrainingPanel::settingsChanged, this, [this](const TrainingSpec& training) {
    const bool changed = !(training == m_builder->spec().training);
    m_builder->setTrainingSpec(training);
    if (changed && !m_settingSpec) setModified(true);  // an edit of the training settings
  });
  m_trainingPanel->setTrainingSpec(m_builder->spec().training);
  m_trainingPanel->setModelValid(m_builder->isValid());

  // Training panel -> controller.
  connect(m_trainingPanel, &TrainingPanel::startRequested, this, &MainWindow::startTraining);
  connect(m_trainingPanel, &TrainingPanel::pauseRequested, m_controller, &TrainingController::pause);
  connect(m_trainingPanel, &TrainingPanel::resumeRequested, m_controller, &TrainingController::resume);
  connect(m_trainingPanel, &TrainingPanel::stopRequested, this, &MainWindow::stopTraining);
  connect(m_trainingPanel, &TrainingPanel::datasetRequested, this, &MainWindow::loadDataset);

  // Controller -> views.
  connect(m_controller, &TrainingController::runningChanged, this, &MainWindow::onRunningChanged);
  connect(m_controller, &TrainingController::pausedChanged, this, [this](bool paused) {
    if (m_controller->isRunning())
      m_trainingPanel->setState(paused ? TrainingPanel::State::Paused : TrainingPanel::State::Running);
    updateTrainActions();
    statusBar()->showMessage(paused ? tr("Paused. The drawing panel uses the weights learned so far.")
                                    : tr("Training resumed."),
                             4000);
  });
  connect(m_controller, &TrainingController::started, this, [this](int epochs, int steps, int rows) {
    m_trainingPanel->showStarted(epochs, steps);
    const QString epochText = epochs == 1 ? tr("1 epoch") : tr("%1 epochs").arg(epochs);
    statusBar()->showMessage(
        tr("Training on %1 samples: %2 of %3 batches").arg(thousands(rows), epochText, QString::number(steps)));
  });
  connect(m_controller, &TrainingController::batchesProgressed, this, [this](const std::vector<BatchLog>& logs) {
    m_charts->addBatches(logs);
    for (const BatchLog& b : logs) m_history.addBatch(b);
    if (!logs.empty()) m_trainingPanel->showProgress(logs.back());
  });
  connect(m_controller, &TrainingController::epochFinished, this, &MainWindow::onEpochFinished);
  connect(m_controller, &TrainingController::weightsSnapshot, this, &MainWindow::onWeightsSnapshot);
  connect(m_controller, &TrainingController::evaluating, this, [this](const QString& what) {
    m_trainingPanel->showEvaluating(what);
    statusBar()->showMessage(what);
  });
  connect(m_controller, &TrainingController::finished, this, &MainWindow::onFinished);
  connect(m_controller, &TrainingController::failed, this, &MainWindow::onFailed);

  createMenus();
  connect(m_trainingPanel, &TrainingPanel::controlsChanged, this, &MainWindow::updateTrainActions);
  updateSpecViews();
  updateTitle();
  onRunningChanged(false);
  offerDownloadedDatasets();

  const QRect screen = QApplication::primaryScreen() ? QApplication::primaryScreen()->availableGeometry() : QRect();
  resize(screen.isValid() ? QSize(std::min(1600, screen.width()), std::min(1000, screen.height())) : QSize(1600, 1000));

  loadDataset(QStringLiteral("embedded"));
}

MainWindow::~MainWindow() {
  m_controller->shutdown();  // before any view the worker's signals reach goes away
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  m_newAction = file->addAction(tr("&New model"), this, &MainWindow::newModel);
  m_newAction->setObjectName(QStringLiteral("newModelAction"));
  m_newAction->setShortcut(QKeySequence::New);
  m_openAction = file->addAction(tr("&Open model…"), this, &MainWindow::openModelDialog);
  m_openAction->setObjectName(QStringLiteral("openModelAction"));
  m_openAction->setShortcut(QKeySequence::Open);
  m_recentMenu = file->addMenu(tr("Open &recent"));
  m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
  connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
  rebuildRecentMenu();
  QAction* save = file->addAction(tr("&Save model"), this, &MainWindow::saveModel);
  save->setShortcut(QKeySequence::Save);
  QAction* saveAs = file->addAction(tr("Save model &as…"), this, &MainWindow::saveModelAs);
  saveAs->setShortcut(QKeySequence::SaveAs);
  file->addSeparator();
  // Actions that change the model or the data: disabled while a run is active.
  const auto modelAction = [this](QAction* action, const char* name) {
    action->setObjectName(QLatin1String(name));
    m_modelActions.push_back(action);
  };
  m_modelActions = {m_newAction, m_openAction};
  QAction* loadArchitecture =
      file->addAction(tr("&Load architecture (JSON)…"), m_builder, &ModelBuilder::loadArchitecture);
  modelAction(loadArchitecture, "loadArchitectureAction");
  file->addAction(tr("Save arc&hitecture (JSON)…"), m_builder, &ModelBuilder::saveArchitecture);
  file->addSeparator();
  QAction* openFolder = file->addAction(tr("Open MNIST-format &folder…"), this, [this] {
    if (m_controller->isRunning()) return;
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Folder with train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-… (optionally .gz)"));
    if (dir.isEmpty()) return;
    m_trainingPanel->setDatasetChoice(dir);
    loadDataset(dir);
  });
  modelAction(openFolder, "openFolderAction");
  QAction* mnist = file->addAction(tr("Download &MNIST…"), this, [this] {
    const DownloadSpec spec = DatasetDownloader::mnistSpec();
    downloadDataset(spec, DatasetDownloader::defaultFolder(spec));
  });
  modelAction(mnist, "downloadMnistAction");
  QAction* fashion = file->addAction(tr("Download &Fashion-MNIST…"), this, [this] {
    const DownloadSpec spec = DatasetDownloader::fashionSpec();
    downloadDataset(spec, DatasetDownloader::defaultFolder(spec));
  });
  modelAction(fashion, "downloadFashionAction");
  file->addAction(tr("Export &diagram…"), m_diagram, &DiagramPanel::exportDiagram);
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  // The builder's own undo/redo actions: off while the builder is disabled (during a run).
  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  edit->addAction(m_builder->undoAction());
  edit->addAction(m_builder->redoAction());

  QMenu* model = menuBar()->addMenu(tr("&Model"));
  modelAction(model->addAction(tr("Tutorial &MLP"), m_builder, &ModelBuilder::applyMlpPreset), "mlpPresetAction");
  modelAction(model->addAction(tr("Tutorial &CNN"), m_builder, &ModelBuilder::applyCnnPreset), "cnnPresetAction");
  model->addSeparator();
  model->addAction(tr("Copy as &Keras code"), this, [this] {
    QString error;
    const QString code = kerasCode(&error);
    if (code.isEmpty()) {
      QMessageBox::warning(this, tr("Keras code"), error);
      return;
    }
    QGuiApplication::clipboard()->setText(code);
    statusBar()->showMessage(tr("Keras code copied to the clipboard."), 5000);
  });
  model->addAction(tr("Save as Keras &code…"), this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save as Keras code"), QStringLiteral("model.py"),
                                                      tr("Python script (*.py)"));
    if (path.isEmpty()) return;
    QString error;
    if (!saveKerasCode(path, &error)) QMessageBox::warning(this, tr("Save as Keras code"), error);
  });

  QMenu* train = menuBar()->addMenu(tr("&Train"));
  // Enabled exactly when the training panel's buttons are (updateTrainActions).
  m_startAction = train->addAction(tr("&Start"), this, &MainWindow::startTraining);
  m_startAction->setObjectName(QStringLiteral("startAction"));
  m_startAction->setShortcut(QKeySequence(Qt::Key_F5));
  m_pauseAction = train->addAction(tr("&Pause"), this, &MainWindow::pauseOrResumeTraining);
  m_pauseAction->setObjectName(QStringLiteral("pauseAction"));
  m_pauseAction->setShortcut(QKeySequence(Qt::Key_F6));
  m_stopAction = train->addAction(tr("S&top"), this, &MainWindow::stopTraining);
  m_stopAction->setObjectName(QStringLiteral("stopAction"));
  m_stopAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
  train->addSeparator();
  m_checkpointAction = train->addAction(tr("Save a &checkpoint after every epoch"));
  m_checkpointAction->setObjectName(QStringLiteral("checkpointAction"));
  m_checkpointAction->setCheckable(true);
  m_checkpointAction->setToolTip(tr("Saves the model to its file after every epoch"));
  m_checkpointAction->setChecked(QSettings(settingsPath(), QSettings::IniFormat).value(kCheckpointKey, false).toBool());
  connect(m_checkpointAction, &QAction::toggled, this, [this](bool on) {
    if (on && m_currentPath.isEmpty()) {
      // Checkpoints go to the model's file: without one they could never be written.
      statusBar()->showMessage(tr("Checkpoints are saved to the model's file: choose one."));
      if (!saveModelAs()) {
        const QSignalBlocker block(m_checkpointAction);
        m_checkpointAction->setChecked(false);
        on = false;
        statusBar()->showMessage(
            tr("Checkpoints are off: they need a model file (File > Save model as…, then tick them again)."), 10000);
      }
    }
    QSettings(settingsPath(), QSettings::IniFormat).setValue(kCheckpointKey, on);
  });

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About DigitLab"), this, &MainWindow::showAbout);
}

void MainWindow::loadDataset(const QString& choice) {
  const int generation = ++m_loadGeneration;
  ++m_loading;
  m_trainingPanel->setDataReady(false);
  m_dataLabel->setText(tr("Loading %1…").arg(choice));
  auto* watcher = new QFutureWatcher<LoadOutcome>(this);
  connect(watcher, &QFutureWatcher<LoadOutcome>::finished, this, [this, watcher, generation, choice] {
    const LoadOutcome outcome = watcher->result();
    watcher->deleteLater();
    --m_loading;
    if (generation != m_loadGeneration) return;  // a newer choice superseded this one
    onDatasetLoaded(choice, outcome.data, outcome.error);
  });
  const std::string spec = choice.toStdString();
  watcher->setFuture(QtConcurrent::run([spec] {
    LoadOutcome outcome;
    try {
      outcome.data = std::make_shared<const DatasetPair>(dl::loadDataset(spec));
    } catch (const std::exception& e) {
      outcome.error = QString::fromUtf8(e.what());
    }
    return outcome;
  }));
}

void MainWindow::onDatasetLoaded(const QString& choice, std::shared_ptr<const DatasetPair> data, const QString& error) {
  if (!data) {
    // Not exec(): the window (and a running training) keeps going while the message shows.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Load data"), tr("Could not load %1:\n%2").arg(choice, error),
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("dataErrorBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    if (m_data) {
      m_trainingPanel->setDatasetChoice(m_dataChoice);  // back to what is loaded
      m_dataLabel->setText(dataText(*m_data));
    } else {
      m_dataLabel->setText(tr("No data loaded"));
    }
    m_trainingPanel->setDataReady(m_data != nullptr && !m_controller->isRunning());
    return;
  }
  m_data = std::move(data);
  m_dataChoice = choice;
  m_dataLabel->setText(dataText(*m_data));
  m_dataBrowser->setDataset(m_data);
  m_dataLabel->setToolTip(QString::fromStdString(m_data->source));
  m_digitPanel->setTestData(std::shared_ptr<const Dataset>(m_data, &m_data->test), m_data->classNames);
  m_trainingPanel->setDataReady(true);
  statusBar()->showMessage(tr("Loaded %1.").arg(QString::fromStdString(m_data->name)), 5000);
}

QString MainWindow::kerasCode(QString* error) const {
  ModelSpec spec = m_builder->spec();
  spec.training = m_trainingPanel->trainingSpec();
  try {
    KerasScriptOptions options;
    options.fashionMnist = m_data && m_data->name.find("Fashion") != std::string::npos;
    return QString::fromStdString(kerasScript(spec, options));
  } catch (const std::exception& e) {
    if (error) *error = tr("The model cannot be written as Keras code: %1").arg(QString::fromUtf8(e.what()));
    return {};
  }
}

bool MainWindow::saveKerasCode(const QString& path, QString* error) const {
  const QString code = kerasCode(error);
  if (code.isEmpty()) return false;
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Text) || file.write(code.toUtf8()) < 0 || !file.commit()) {
    if (error) *error = tr("%1: cannot write the file (%2)").arg(path, file.errorString());
    return false;
  }
  return true;
}

void MainWindow::startTraining() {
  if (m_controller->isRunning()) return;
  // What the panel's Train button checks (the menu's Start is disabled then too).
  QString refused;
  if (!m_builder->isValid())
    refused = tr("Cannot train: the model is invalid (%1).").arg(m_builder->errorText());
  else if (isLoadingData())
    refused = tr("Cannot train while the data is loading.");
  else if (!m_data)
    refused = tr("Cannot train: no data is loaded.");
  if (!refused.isEmpty()) {
    statusBar()->showMessage(refused, 6000);
    return;
  }
  TrainRequest request;
  request.spec = m_builder->spec();
  request.spec.training = m_trainingPanel->trainingSpec();
  request.data = m_data;
  request.validation = m_trainingPanel->validationMode();
  request.threads = m_trainingPanel->threads();
  m_runSpec = request.spec;
  m_runData = m_data;  // the results refer to this run's test set, whatever is loaded meanwhile
  // What Save writes from now on: this run's snapshots, history and metrics.
  m_history = TrainingHistory{};
  m_metadata = ModelFileMetadata{};
  m_metadata.dataset = m_data->name;
  m_weights.clear();
  m_hasWeights = false;
  m_snapshotThisEpoch = false;
  m_results->clear();
  m_charts->reset(request.spec.training.epochs, stepsPerEpoch(request));
  m_tabs->setCurrentWidget(m_charts);
  m_controller->start(request);
}

void MainWindow::pauseOrResumeTraining() {
  if (m_controller->isPaused()) m_controller->resume();
  else m_controller->pause();
}

void MainWindow::stopTraining() {
  if (!m_controller->isRunning()) return;
  // A second Stop during the final evaluation skips what is left of it.
  const bool evaluating = m_trainingPanel->isEvaluating();
  m_controller->stop();
  m_trainingPanel->setState(TrainingPanel::State::Stopping);
  statusBar()->showMessage(evaluating ? tr("Skipping the evaluation…") : tr("Stopping after the current batch…"));
}

void MainWindow::onRunningChanged(bool running) {
  m_trainingPanel->setState(running ? TrainingPanel::State::Running : TrainingPanel::State::Idle);
  m_trainingPanel->setDataReady(m_data != nullptr && !isLoadingData());
  // The run trains a copy, but changing the model or the data meanwhile would confuse: the builder
  // (with its undo/redo actions) and every action that changes either are off.
  m_builder->setEnabled(!running);
  for (QAction* action : m_modelActions) action->setEnabled(!running);
  m_recentMenu->setEnabled(!running);
  updateTrainActions();
}

void MainWindow::updateTrainActions() {
  if (!m_startAction) return;  // before the menus exist
  m_startAction->setEnabled(m_trainingPanel->canStart());
  m_pauseAction->setEnabled(m_trainingPanel->canPause());
  m_stopAction->setEnabled(m_trainingPanel->canStop());
  m_pauseAction->setText(m_controller->isRunning() && m_controller->isPaused() ? tr("&Resume") : tr("&Pause"));
}

void MainWindow::onEpochFinished(const EpochLog& e) {
  m_charts->addEpoch(e);
  m_history.addEpoch(e);
  setModified(true);
  QString text = tr("Epoch %1/%2: loss %3, accuracy %4").arg(e.epoch).arg(e.epochs).arg(figure(e.loss)).arg(figure(e.accuracy));
  if (e.hasValidation()) text += tr(" · val_loss %1, val_accuracy %2").arg(figure(e.valLoss), figure(e.valAccuracy));
  text += tr(" · %1 s").arg(e.seconds, 0, 'f', 1);
  // The worker sends the epoch's final weights just before the epoch itself: m_weights are this
  // epoch's end, m_history holds exactly its batches.
  if (m_checkpointAction->isChecked()) saveCheckpoint(&text);
  m_snapshotThisEpoch = false;
  statusBar()->showMessage(text);
}

void MainWindow::saveCheckpoint(QString* statusText) {
  QString why;
  if (m_currentPath.isEmpty())
    why = tr("the model has no file yet (File > Save model as…)");
  else if (!m_hasWeights || !m_snapshotThisEpoch)
    why = tr("no weights of this epoch's end arrived");
  else if (writeModel(m_currentPath, &why, false) == SaveOutcome::Saved) {
    statusText->append(tr(" · checkpoint saved to %1").arg(QFileInfo(m_currentPath).fileName()));
    return;
  }
  statusText->append(tr(" · checkpoint NOT saved: %1").arg(why));
}

void MainWindow::onFinished(const TrainResult& result) {
  m_trainingPanel->showFinished(result);
  statusBar()->showMessage(result.message);
  if (result.batchesTrained > 0) setModified(true);
  if (result.diverged) return;
  m_metadata.trainLoss = result.trainLoss;
  m_metadata.trainAccuracy = result.trainAccuracy;
  m_metadata.testLoss = result.testLoss;
  m_metadata.testAccuracy = result.testAccuracy;
  // The tutorial's closing figures, the confusion matrix and the misclassified digits.
  // A run whose final evaluation was stopped has no test figures: the previous run's matrix and
  // gallery would describe other weights, so they go too.
  if (!result.testEvaluated) m_results->clear();
  m_results->setMetrics(result.trainLoss, result.trainAccuracy, result.testLoss, result.testAccuracy);
  if (m_runData && result.testEvaluated && !result.predicted.empty())
    m_results->setResults(m_runData->test, result.predicted, m_runData->classNames);
}

void MainWindow::onFailed(const QString& message) {
  m_trainingPanel->showMessage(tr("Training could not start: %1").arg(message), true);
  statusBar()->showMessage(message);
}

void MainWindow::updateSpecViews() {
  const ModelSpec spec = m_builder->spec();
  m_diagram->setSpec(spec);
  m_summary->setPlainText(m_builder->isValid() ? QString::fromStdString(summaryText(spec))
                                               : tr("The model is invalid:\n%1").arg(m_builder->errorText()));
}

void MainWindow::onWeightsSnapshot(const ModelSpec& spec, const std::vector<Matrix>& weights) {
  m_digitPanel->setModel(spec, weights);
  m_weightsSpec = spec;
  m_weights = weights;
  m_hasWeights = true;
  m_snapshotThisEpoch = true;
}

void MainWindow::updateTitle() {
  // "[*]" is where Qt shows the unsaved-changes mark (setWindowModified).
  QString name;
  if (!m_currentPath.isEmpty()) name = QFileInfo(m_currentPath).fileName();
  else name = QString::fromStdString(m_builder->spec().name);
  setWindowTitle(name.isEmpty() ? tr("DigitLab[*]") : tr("%1[*] — DigitLab").arg(name));
}

void MainWindow::setModified(bool modified) {
  setWindowModified(modified);
}

QString MainWindow::settingsPath() {
  return settings::path();
}

QStringList MainWindow::recentFiles() const {
  QSettings settings(settingsPath(), QSettings::IniFormat);
  const QStringList stored = settings.value(kRecentFilesKey).toStringList();
  QStringList files;
  for (const QString& f : stored)
    if (QFileInfo::exists(f) && !files.contains(f) && files.size() < kMaxRecentFiles) files << f;
  if (files != stored) settings.setValue(kRecentFilesKey, files);  // missing files are dropped
  return files;
}

void MainWindow::clearRecentFiles() {
  QSettings(settingsPath(), QSettings::IniFormat).remove(kRecentFilesKey);
  rebuildRecentMenu();
}

void MainWindow::addRecentFile(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  QStringList files = recentFiles();
  files.removeAll(absolute);
  files.prepend(absolute);
  while (files.size() > kMaxRecentFiles) files.removeLast();
  QSettings(settingsPath(), QSettings::IniFormat).setValue(kRecentFilesKey, files);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  m_recentMenu->clear();
  const QStringList files = recentFiles();
  for (int i = 0; i < files.size(); ++i) {
    const QString& path = files.at(i);
    const QString label = tr("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName().replace(QLatin1Char('&'), QLatin1String("&&")));
    QAction* action = m_recentMenu->addAction(label, this, [this, path] {
      if (!maybeSaveChanges(tr("opening a model"))) return;
      QString error;
      if (!openModel(path, &error)) showError(tr("Open model"), error, QStringLiteral("modelErrorBox"));
    });
    action->setToolTip(QDir::toNativeSeparators(path));
    action->setStatusTip(QDir::toNativeSeparators(path));
  }
  if (files.isEmpty()) {
    m_recentMenu->addAction(tr("No recent files"))->setEnabled(false);
  } else {
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("&Clear list"), this, &MainWindow::clearRecentFiles);
  }
}

void MainWindow::showError(const QString& title, const QString& text, const QString& objectName) {
  // Not exec(): the window (and a running training) keeps going while the message shows.
  auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
  box->setObjectName(objectName);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

bool MainWindow::maybeSaveChanges(const QString& action) {
  if (!isWindowModified()) return true;
  UnsavedChoice choice = UnsavedChoice::Cancel;
  if (m_unsavedPrompt) {
    choice = m_unsavedPrompt(action);
  } else {
    const QString name = m_currentPath.isEmpty() ? tr("the model") : QFileInfo(m_currentPath).fileName();
    QMessageBox box(QMessageBox::Warning, tr("Unsaved changes"),
                    tr("Save the changes to %1 before %2?").arg(name, action),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setInformativeText(tr("The architecture or the trained weights have changed since the model was last saved."));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
      case QMessageBox::Save: choice = UnsavedChoice::Save; break;
      case QMessageBox::Discard: choice = UnsavedChoice::Discard; break;
      default: choice = UnsavedChoice::Cancel; break;
    }
  }
  if (choice == UnsavedChoice::Cancel) return false;
  if (choice == UnsavedChoice::Discard) return true;
  return saveModel();
}

void MainWindow::newModel() {
  if (m_controller->isRunning() || !maybeSaveChanges(tr("starting a new model"))) return;
  m_settingSpec = true;
  m_builder->setSpec(presetMlp(), tr("New model"));
  m_settingSpec = false;
  m_weights.clear();
  m_hasWeights = false;
  m_weightsSpec = ModelSpec{};
  m_history = TrainingHistory{};
  m_metadata = ModelFileMetadata{};
  m_digitPanel->clearModel();
  m_results->clear();
  m_charts->reset(m_builder->spec().training.epochs, 1);
  m_currentPath.clear();
  setModified(false);
  updateTitle();
}

void MainWindow::openModelDialog() {
  if (m_controller->isRunning() || !maybeSaveChanges(tr("opening a model"))) return;
  const QString start = m_currentPath.isEmpty() ? QString() : QFileInfo(m_currentPath).absolutePath();
  const QString path = QFileDialog::getOpenFileName(this, tr("Open model"), start, tr("DigitLab model (*.dlm);;All files (*)"));
  if (path.isEmpty()) return;
  QString error;
  if (!openModel(path, &error)) showError(tr("Open model"), error, QStringLiteral("modelErrorBox"));
}

bool MainWindow::saveModel() {
  if (m_currentPath.isEmpty()) return saveModelAs();
  QString error;
  const SaveOutcome outcome = writeModel(m_currentPath, &error, true);
  if (outcome == SaveOutcome::Failed) showError(tr("Save model"), error, QStringLiteral("modelErrorBox"));
  return outcome == SaveOutcome::Saved;
}

bool MainWindow::saveModelAs() {
  QString suggested = m_currentPath;
  if (suggested.isEmpty()) {
    const std::string name = m_builder->spec().name;
    suggested = QDir::home().filePath(QString::fromStdString(name.empty() ? std::string("model") : name) + QStringLiteral(".dlm"));
  }
  QString path = QFileDialog::getSaveFileName(this, tr("Save model"), suggested, tr("DigitLab model (*.dlm);;All files (*)"));
  if (path.isEmpty()) return false;
  if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".dlm");
  QString error;
  const SaveOutcome outcome = writeModel(path, &error, true);
  if (outcome == SaveOutcome::Failed) showError(tr("Save model"), error, QStringLiteral("modelErrorBox"));
  return outcome == SaveOutcome::Saved;
}

bool MainWindow::saveModelTo(const QString& path, QString* error) {
  return writeModel(path, error, true) == SaveOutcome::Saved;
}

MainWindow::SaveOutcome MainWindow::writeModel(const QString& path, QString* error, bool mayAsk) {
  const auto fail = [&](const QString& why) {
    if (error) *error = why;
    return SaveOutcome::Failed;
  };
  if (path.isEmpty()) return fail(tr("No file name given."));
  const QString where = QDir::toNativeSeparators(path);
  if (!m_builder->isValid()) return fail(tr("%1: the model is invalid: %2").arg(where, m_builder->errorText()));
  // The architecture as built, with the settings the panel shows (edited after a training or an
  // opened file, they are what the user wants kept; the history records what was trained).
  ModelSpec spec = m_builder->spec();
  spec.training = m_trainingPanel->trainingSpec();
  try {
    Model model(spec, spec.training.seed);
    // The trained weights fit when every tensor has the shape this architecture gives it, in order:
    // renaming a layer, say, keeps them.
    bool fits = false;
    if (m_hasWeights) {
      try {
        model.setWeights(m_weights);
        fits = true;
      } catch (const std::exception&) {
      }
    }
    if (m_hasWeights && !fits) {
      const QString lost = tr("%1: the trained weights no longer fit the architecture (layers were added, removed "
                              "or resized since the training)")
                               .arg(where);
      if (!mayAsk) return fail(lost);
      WeightsMismatchChoice choice = WeightsMismatchChoice::Cancel;
      if (m_mismatchPrompt) {
        choice = m_mismatchPrompt(path);
      } else {
        QMessageBox box(QMessageBox::Warning, tr("Save model"),
                        tr("The trained weights no longer fit the architecture."), QMessageBox::Cancel, this);
        box.setObjectName(QStringLiteral("weightsMismatchBox"));
        box.setInformativeText(
            tr("Layers were added, removed or resized since the model was trained. Save the "
               "architecture with freshly initialised weights, without the training history "
               "and results? (Cancel, then undo the changes, to save the trained model.)"));
        QPushButton* save = box.addButton(tr("Save &without trained weights"), QMessageBox::AcceptRole);
        box.setDefaultButton(QMessageBox::Cancel);
        box.exec();
        if (box.clickedButton() == save) choice = WeightsMismatchChoice::SaveWithoutWeights;
      }
      if (choice == WeightsMismatchChoice::Cancel) {
        if (error) *error = lost + tr(": not saved.");
        return SaveOutcome::Cancelled;
      }
    }
    if (fits) {
      // The trained model: its weights, history and metrics.
      ModelFileMetadata metadata = m_metadata;
      metadata.history = m_history;
      saveModelFile(path, model, metadata);
    } else {
      // Nothing trained for this architecture: freshly initialised weights, no history.
      ModelFileMetadata fresh;
      fresh.dataset = m_data ? m_data->name : std::string();
      saveModelFile(path, model, fresh);
    }
  } catch (const std::exception& e) {
    QString why = QString::fromUtf8(e.what());
    if (!why.contains(path)) why = tr("%1: %2").arg(where, why);
    return fail(why);
  }
  m_currentPath = QFileInfo(path).absoluteFilePath();
  addRecentFile(m_currentPath);
  setModified(false);
  updateTitle();
  statusBar()->showMessage(tr("Saved %1.").arg(QDir::toNativeSeparators(m_currentPath)), 5000);
  return SaveOutcome::Saved;
}

bool MainWindow::openModel(const QString& path, QString* error) {
  const auto fail = [&](const QString& why) {
    if (error) *error = why;
    return false;
  };
  if (m_controller->isRunning()) return fail(tr("%1: stop the training before opening a model.").arg(path));
  ModelFileContents contents;
  try {
    contents = loadModelFile(path);
    // The drawing panel must be able to use the weights: check that before changing anything.
    (void)buildModel(contents);
  } catch (const std::exception& e) {
    QString why = QString::fromUtf8(e.what());
    if (!why.contains(path)) why = tr("%1: %2").arg(QDir::toNativeSeparators(path), why);
    return fail(why);
  }

  m_settingSpec = true;
  m_builder->setSpec(contents.spec, tr("Open %1").arg(QFileInfo(path).fileName()));
  m_settingSpec = false;
  m_trainingPanel->setTrainingSpec(contents.spec.training);

  m_weightsSpec = contents.spec;
  m_weights = std::move(contents.weights);
  m_hasWeights = true;
  m_digitPanel->setModel(m_weightsSpec, m_weights);

  m_history = contents.metadata.history;
  m_metadata = contents.metadata;
  m_metadata.history = TrainingHistory{};
  showHistory(m_history, contents.spec.training.epochs);

  m_results->clear();
  const ModelFileMetadata& md = contents.metadata;
  if (finite(md.trainLoss) || finite(md.trainAccuracy) || finite(md.testLoss) || finite(md.testAccuracy))
    m_results->setMetrics(md.trainLoss, md.trainAccuracy, md.testLoss, md.testAccuracy);

  m_currentPath = QFileInfo(path).absoluteFilePath();
  addRecentFile(m_currentPath);
  setModified(false);
  updateTitle();
  updateSpecViews();
  statusBar()->showMessage(tr("Opened %1.").arg(QDir::toNativeSeparators(m_currentPath)), 5000);
  return true;
}

void MainWindow::showHistory(const TrainingHistory& history, int plannedEpochs) {
  const int bpe = history.batchesPerEpoch;
  const size_t batches = std::min(history.batchLoss.size(), history.batchAccuracy.size());
  const int epochs = std::max({1, plannedEpochs, int(history.epochs.size())});
  m_charts->reset(epochs, std::max(1, bpe));
  if (history.empty()) return;
  // Batches only when they split into whole epochs of batchesPerEpoch (what a run records).
  const bool useBatches = bpe > 0 && batches > 0;
  size_t next = 0;
  const auto addEpochBatches = [&](int epoch) {
    if (!useBatches) return;
    std::vector<BatchLog> logs;
    double lossSum = 0, accSum = 0;
    for (int b = 1; b <= bpe && next < batches; ++b, ++next) {
      BatchLog log;
      log.epoch = epoch;
      log.epochs = epochs;
      log.batch = b;
      log.batchesPerEpoch = bpe;
      log.loss = history.batchLoss[next];
      log.accuracy = history.batchAccuracy[next];
      lossSum += log.loss;
      accSum += log.accuracy;
      log.runningLoss = lossSum / b;
      log.runningAccuracy = accSum / b;
      logs.push_back(log);
    }
    if (!logs.empty()) m_charts->addBatches(logs);
  };
  int epoch = 0;
  for (const EpochLog& e : history.epochs) {
    epoch = e.epoch > 0 ? e.epoch : epoch + 1;
    addEpochBatches(epoch);
    m_charts->addEpoch(e);
  }
  while (useBatches && next < batches) addEpochBatches(++epoch);  // a stopped run's last partial epoch
  m_charts->refreshNow();
}

QProgressDialog* MainWindow::downloadDialog() const {
  return m_downloadDialog.data();
}

bool MainWindow::isDownloading() const {
  return m_downloader && m_downloader->isRunning();
}

void MainWindow::downloadDataset(const DownloadSpec& spec, const QString& folder) {
  if (isDownloading()) return;
  auto* downloader = new DatasetDownloader(this);
  m_downloader = downloader;
  const int files = std::max<int>(1, int(spec.files.size()));
  auto* dialog = new QProgressDialog(tr("Downloading %1…").arg(spec.displayName), tr("Cancel"), 0, files * 1000, this);
  m_downloadDialog = dialog;
  dialog->setObjectName(QStringLiteral("downloadDialog"));
  dialog->setWindowTitle(tr("Download %1").arg(spec.displayName));
  // Not modal: a modal QProgressDialog runs processEvents() inside setValue(), re-entering the
  // downloader's slots; the window stays usable meanwhile (training on the loaded data, say).
  dialog->setWindowModality(Qt::NonModal);
  dialog->setAutoClose(false);
  dialog->setAutoReset(false);
  dialog->setMinimumDuration(0);
  dialog->setValue(0);
  auto done = std::make_shared<int>(0);
  auto cancelled = std::make_shared<bool>(false);

  connect(downloader, &DatasetDownloader::progress, dialog,
          [dialog, done, files](const QString& file, qint64 received, qint64 total) {
            const int part = total > 0 ? int(std::min<qint64>(999, received * 1000 / total)) : 0;
            dialog->setValue(std::min(files * 1000, *done * 1000 + part));
            const QString amount = total > 0 ? tr("%1 of %2 MB").arg(received / 1e6, 0, 'f', 1).arg(total / 1e6, 0, 'f', 1)
                                             : tr("%1 MB").arg(received / 1e6, 0, 'f', 1);
            dialog->setLabelText(tr("%1 (file %2 of %3): %4").arg(file).arg(*done + 1).arg(files).arg(amount));
          });
  connect(downloader, &DatasetDownloader::fileFinished, dialog, [dialog, done, files] {
    ++*done;
    dialog->setValue(std::min(files * 1000, *done * 1000));
  });
  connect(downloader, &DatasetDownloader::message, this, [this](const QString& text) { statusBar()->showMessage(text, 6000); });
  connect(dialog, &QProgressDialog::canceled, downloader, [downloader, cancelled] {
    if (!downloader->isRunning()) return;  // closing the dialog after the end
    *cancelled = true;
    downloader->cancel();  // finished(false, ...) follows before cancel() returns
  });
  connect(downloader, &DatasetDownloader::finished, this,
          [this, downloader, dialog, cancelled, spec](bool ok, const QString& message) {
            const QString where = downloader->folder();
            downloader->deleteLater();
            dialog->hide();
            dialog->deleteLater();
            if (!ok) {
              if (*cancelled) statusBar()->showMessage(tr("Download of %1 cancelled.").arg(spec.displayName), 5000);
              else showError(tr("Download %1").arg(spec.displayName), message, QStringLiteral("downloadErrorBox"));
              return;
            }
            statusBar()->showMessage(message, 8000);
            const QString system = QString::fromStdString(fashionMnistFolder());
            if (spec.id == QLatin1String("fashion") && !system.isEmpty() &&
                QFileInfo(where).canonicalFilePath() == QFileInfo(system).canonicalFilePath() &&
                m_trainingPanel->datasetChoices().contains(QStringLiteral("fashion"))) {
              m_trainingPanel->setDatasetChoice(QStringLiteral("fashion"));
              loadDataset(QStringLiteral("fashion"));
              return;
            }
            m_trainingPanel->addDatasetFolder(tr("%1 (downloaded)").arg(spec.displayName), where);
            loadDataset(where);
          });

  if (!downloader->start(spec, folder)) {
    dialog->deleteLater();
    downloader->deleteLater();
    return;
  }
  dialog->show();
}

void MainWindow::offerDownloadedDatasets() {
  const DownloadSpec mnist = DatasetDownloader::mnistSpec();
  const QString mnistFolder = DatasetDownloader::defaultFolder(mnist);
  if (hasAllFiles(mnist, mnistFolder))
    m_trainingPanel->addDatasetFolder(tr("MNIST (downloaded)"), mnistFolder, false);
  // A downloaded Fashion-MNIST is already the panel's "Fashion-MNIST" entry when fashionMnistFolder()
  // finds it; otherwise offer it here.
  const DownloadSpec fashion = DatasetDownloader::fashionSpec();
  const QString fashionFolder = DatasetDownloader::defaultFolder(fashion);
  if (fashionMnistFolder().empty() && hasAllFiles(fashion, fashionFolder))
    m_trainingPanel->addDatasetFolder(tr("Fashion-MNIST (downloaded)"), fashionFolder, false);
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About DigitLab"),
                     tr("<h3>DigitLab %1</h3><p>Build a neural network from layers, watch it learn MNIST live, "
                        "draw a digit and see what the network thinks of it: the Keras handwritten-digits "
                        "tutorial as a native program.</p>")
                         .arg(QStringLiteral(DIGITLAB_VERSION)));
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
  if (watched == m_tabs && event->type() == QEvent::Resize) {
    const QSize size = m_tabs->size();
    const Qt::Orientation wanted = size.width() > size.height() * 1.25 ? Qt::Horizontal : Qt::Vertical;
    if (wanted != m_chartsOrientation) {
      m_chartsOrientation = wanted;
      m_charts->setOrientation(wanted);
    }
  }
  return QMainWindow::eventFilter(watched, event);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!maybeSaveChanges(tr("closing"))) {
    event->ignore();
    return;
  }
  if (m_controller->isRunning()) statusBar()->showMessage(tr("Stopping training…"));
  m_controller->shutdown();  // cancel, wake if paused, quit the thread, wait: within one batch
  QMainWindow::closeEvent(event);
}

}  // namespace dl
