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

#include "data/IdxReader.h"
#include "nn/ModelAnalysis.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QScreen>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

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
    updateTitle();
  });
  connect(m_builder, &ModelBuilder::validityChanged, m_trainingPanel, &TrainingPanel::setModelValid);
  connect(m_builder, &ModelBuilder::trainingSpecLoaded, m_trainingPanel, &TrainingPanel::setTrainingSpec);
  connect(m_builder, &ModelBuilder::message, this, [this](const QString& text) { statusBar()->showMessage(text, 6000); });
  connect(m_trainingPanel, &TrainingPanel::settingsChanged, m_builder, &ModelBuilder::setTrainingSpec);
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
    m_pauseAction->setText(paused ? tr("&Resume") : tr("&Pause"));
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
    if (!logs.empty()) m_trainingPanel->showProgress(logs.back());
  });
  connect(m_controller, &TrainingController::epochFinished, this, &MainWindow::onEpochFinished);
  connect(m_controller, &TrainingController::weightsSnapshot, m_digitPanel, &DigitPanel::setModel);
  connect(m_controller, &TrainingController::evaluating, this, [this](const QString& what) {
    m_trainingPanel->showEvaluating(what);
    statusBar()->showMessage(what);
  });
  connect(m_controller, &TrainingController::finished, this, &MainWindow::onFinished);
  connect(m_controller, &TrainingController::failed, this, &MainWindow::onFailed);

  createMenus();
  updateSpecViews();
  updateTitle();
  onRunningChanged(false);

  const QRect screen = QApplication::primaryScreen() ? QApplication::primaryScreen()->availableGeometry() : QRect();
  resize(screen.isValid() ? QSize(std::min(1600, screen.width()), std::min(1000, screen.height())) : QSize(1600, 1000));

  loadDataset(QStringLiteral("embedded"));
}

MainWindow::~MainWindow() {
  m_controller->shutdown();  // before any view the worker's signals reach goes away
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* load = file->addAction(tr("&Load architecture…"), m_builder, &ModelBuilder::loadArchitecture);
  load->setShortcut(QKeySequence::Open);
  QAction* save = file->addAction(tr("&Save architecture…"), m_builder, &ModelBuilder::saveArchitecture);
  save->setShortcut(QKeySequence::Save);
  file->addSeparator();
  file->addAction(tr("Open MNIST-format &folder…"), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Folder with train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-… (optionally .gz)"));
    if (dir.isEmpty()) return;
    m_trainingPanel->setDatasetChoice(dir);
    loadDataset(dir);
  });
  file->addAction(tr("Export &diagram…"), m_diagram, &DiagramPanel::exportDiagram);
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  edit->addAction(m_builder->undoAction());
  edit->addAction(m_builder->redoAction());

  QMenu* model = menuBar()->addMenu(tr("&Model"));
  model->addAction(tr("Tutorial &MLP"), m_builder, &ModelBuilder::applyMlpPreset);
  model->addAction(tr("Tutorial &CNN"), m_builder, &ModelBuilder::applyCnnPreset);

  QMenu* train = menuBar()->addMenu(tr("&Train"));
  m_startAction = train->addAction(tr("&Start"), this, &MainWindow::startTraining);
  m_startAction->setShortcut(QKeySequence(Qt::Key_F5));
  m_pauseAction = train->addAction(tr("&Pause"), this, &MainWindow::pauseOrResumeTraining);
  m_pauseAction->setShortcut(QKeySequence(Qt::Key_F6));
  m_stopAction = train->addAction(tr("S&top"), this, &MainWindow::stopTraining);
  m_stopAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));

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

void MainWindow::startTraining() {
  if (m_controller->isRunning() || !m_data || !m_builder->isValid()) return;
  TrainRequest request;
  request.spec = m_builder->spec();
  request.spec.training = m_trainingPanel->trainingSpec();
  request.data = m_data;
  request.validation = m_trainingPanel->validationMode();
  request.threads = m_trainingPanel->threads();
  m_runSpec = request.spec;
  m_runData = m_data;  // the results refer to this run's test set, whatever is loaded meanwhile
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
  m_controller->stop();
  m_trainingPanel->setState(TrainingPanel::State::Stopping);
  statusBar()->showMessage(tr("Stopping after the current batch…"));
}

void MainWindow::onRunningChanged(bool running) {
  m_trainingPanel->setState(running ? TrainingPanel::State::Running : TrainingPanel::State::Idle);
  m_trainingPanel->setDataReady(m_data != nullptr && !isLoadingData());
  m_builder->setEnabled(!running);  // the run trains a copy, but editing it meanwhile would confuse
  m_startAction->setEnabled(!running);
  m_pauseAction->setEnabled(running);
  m_stopAction->setEnabled(running);
  if (!running) m_pauseAction->setText(tr("&Pause"));
}

void MainWindow::onEpochFinished(const EpochLog& e) {
  m_charts->addEpoch(e);
  QString text = tr("Epoch %1/%2: loss %3, accuracy %4").arg(e.epoch).arg(e.epochs).arg(figure(e.loss)).arg(figure(e.accuracy));
  if (e.hasValidation()) text += tr(" · val_loss %1, val_accuracy %2").arg(figure(e.valLoss), figure(e.valAccuracy));
  text += tr(" · %1 s").arg(e.seconds, 0, 'f', 1);
  statusBar()->showMessage(text);
}

void MainWindow::onFinished(const TrainResult& result) {
  m_trainingPanel->showFinished(result);
  statusBar()->showMessage(result.message);
  if (result.diverged) return;
  // The tutorial's closing figures, the confusion matrix and the misclassified digits.
  m_results->setMetrics(result.trainLoss, result.trainAccuracy, result.testLoss, result.testAccuracy);
  if (m_runData && !result.predicted.empty())
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

void MainWindow::updateTitle() {
  const std::string& name = m_builder->spec().name;
  setWindowTitle(name.empty() ? tr("DigitLab") : tr("%1 — DigitLab").arg(QString::fromStdString(name)));
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
  if (m_controller->isRunning()) statusBar()->showMessage(tr("Stopping training…"));
  m_controller->shutdown();  // cancel, wake if paused, quit the thread, wait: within one batch
  QMainWindow::closeEvent(event);
}

}  // namespace dl
