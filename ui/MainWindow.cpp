// The main window: the training panel and the tabs in the centre, the builder and the drawing
// panel in docks; the wiring between them, the menus and the window's layout memory.

#include "MainWindow.h"

#include "AugmentationPreview.h"

#include "AppSettings.h"
#include "DatasetBrowser.h"
#include "DatasetLoader.h"
#include "DiagramPanel.h"
#include "DigitPanel.h"
#include "DownloadDialog.h"
#include "FittingScrollArea.h"
#include "GettingStarted.h"
#include "ModelBuilder.h"
#include "MyDigitsBar.h"
#include "MyDigitsStore.h"
#include "RecentFiles.h"
#include "ResultsView.h"
#include "TrainingCharts.h"
#include "TrainingController.h"
#include "TrainingPanel.h"
#include "WindowPrompts.h"

#include "data/DatasetDownloader.h"
#include "data/IdxReader.h"
#include "io/KerasExport.h"
#include "nn/ModelAnalysis.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSaveFile>
#include <QScreen>
#include <QScrollBar>
#include <QShowEvent>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QWindow>

#include <algorithm>
#include <cmath>

namespace dl {

namespace {

QString thousands(int64_t n) { return QString::fromStdString(withThousands(n)); }

QString dataText(const DatasetPair& data) {
  return MainWindow::tr("%1 · %2 train · %3 test")
      .arg(QString::fromStdString(data.name), thousands(data.train.count), thousands(data.test.count));
}

// A dataset choice as a person reads it: "my" is my digits; the others name themselves.
QString choiceText(const QString& choice) {
  return choice == QLatin1String("my") ? MainWindow::tr("my digits") : choice;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setObjectName(QStringLiteral("mainWindow"));
  setAcceptDrops(true);
  registerTrainingMetaTypes();
  m_controller = new TrainingController(this);
  m_loader = new DatasetLoader(this);
  m_myDigits = new MyDigitsStore(settings::myDigitsFolder(), this);
  buildLayout();
  setupRuns();  // before connectParts: a run's record has each epoch before a checkpoint saves it
  connectParts();
  setupInspect();
  createMenus();
  updateSpecViews();
  updateTitle();
  onRunningChanged(false);
  offerDownloadedDatasets();
  resetLayout();
  restoreLayout();
  loadDataset(QStringLiteral("embedded"));
}

MainWindow::~MainWindow() {
  m_controller->shutdown();  // before any view the worker's signals reach goes away
}

void MainWindow::buildLayout() {
  // Centre: the getting-started hint and the training settings above the tabs.
  auto* centre = new QWidget(this);
  centre->setObjectName(QStringLiteral("centre"));
  auto* centreLayout = new QVBoxLayout(centre);
  centreLayout->setContentsMargins(0, 0, 0, 0);
  centreLayout->setSpacing(0);
  m_hint = new GettingStartedHint(centre);
  connect(m_hint, &GettingStartedHint::moreRequested, this, &MainWindow::showGettingStarted);
  centreLayout->addWidget(m_hint);
  m_trainingPanel = new TrainingPanel(centre);
  centreLayout->addWidget(m_trainingPanel);
  m_tabs = new QTabWidget(centre);
  m_tabs->setObjectName(QStringLiteral("centreTabs"));
  m_tabs->setDocumentMode(true);
  m_charts = new TrainingCharts(m_tabs);
  m_tabs->addTab(m_charts, tr("Live charts"));
  m_diagram = new DiagramPanel;
  m_tabs->addTab(new FittingScrollArea(m_diagram, m_tabs), tr("Diagram"));
  m_results = new ResultsView;
  m_tabs->addTab(new FittingScrollArea(m_results, m_tabs), tr("Results"));
  m_dataBrowser = new DatasetBrowser;
  m_tabs->addTab(new FittingScrollArea(m_dataBrowser, m_tabs), tr("Data"));
  m_summary = new QPlainTextEdit(m_tabs);
  m_summary->setObjectName(QStringLiteral("summaryText"));
  m_summary->setAccessibleName(tr("Model summary"));
  m_summary->setReadOnly(true);
  m_summary->setLineWrapMode(QPlainTextEdit::NoWrap);
  m_summary->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  m_tabs->addTab(m_summary, tr("Summary"));
  const QStringList tabTips = {tr("Loss and accuracy while the model trains"),
                               tr("The model drawn as Keras's plot_model draws it"),
                               tr("Final loss and accuracy, the confusion matrix and the misclassified test digits"),
                               tr("The dataset's digits and class counts"), tr("The table model.summary() prints")};
  for (int i = 0; i < tabTips.size(); ++i) m_tabs->setTabToolTip(i, tabTips.at(i));
  centreLayout->addWidget(m_tabs, 1);
  m_tabs->installEventFilter(this);  // charts side by side when wide, stacked when narrow
  setCentralWidget(centre);

  // The builder and the drawing panel in docks: resizable, movable, closable (View brings them
  // back). The side docks take the full height.
  setCorner(Qt::TopLeftCorner, Qt::LeftDockWidgetArea);
  setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
  setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
  setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
  m_builder = new ModelBuilder;
  m_modelDock = new QDockWidget(tr("Model"), this);
  m_modelDock->setObjectName(QStringLiteral("modelDock"));
  // The builder scrolls vertically on a short screen but is never narrower than it can work.
  auto* builderScroll = new FittingScrollArea(m_builder, m_modelDock);
  builderScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  builderScroll->setMinimumWidth(m_builder->minimumSizeHint().width() +
                                 builderScroll->verticalScrollBar()->sizeHint().width());
  m_modelDock->setWidget(builderScroll);
  addDockWidget(Qt::LeftDockWidgetArea, m_modelDock);
  m_digitPanel = new DigitPanel;
  m_drawDock = new QDockWidget(tr("Draw a digit"), this);
  m_drawDock->setObjectName(QStringLiteral("drawDock"));
  // Not in a scroll area: the panel shares out whatever height it gets (its wrapped labels would
  // make a scroll area size it for its preferred height and scroll the probabilities away).
  m_drawDock->setWidget(m_digitPanel);
  addDockWidget(Qt::RightDockWidgetArea, m_drawDock);

  m_dataLabel = new QLabel(tr("Loading data…"), this);
  m_dataLabel->setObjectName(QStringLiteral("dataLabel"));
  statusBar()->addPermanentWidget(m_dataLabel);

  m_specTimer = new QTimer(this);
  m_specTimer->setSingleShot(true);
  m_specTimer->setInterval(80);
  connect(m_specTimer, &QTimer::timeout, this, &MainWindow::updateSpecViews);
}

void MainWindow::showGettingStarted() { GettingStartedHint::showSteps(this); }

void MainWindow::resetLayout() {
  (void)winId();  // the platform window exists, so its frame is known
  const QScreen* screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
  const QRect available = screen ? screen->availableGeometry() : QRect(0, 0, 1600, 1000);
  // At most 1600x1000, centred; keepOnScreen() makes the frame fit too.
  resize(std::min(1600, available.width()), std::min(1000, available.height()));
  move(available.center() - rect().center());
  keepOnScreen();
  // The docks get what their panels need at the least, a little more on a wide screen.
  const int modelWidth = std::clamp(width() * 23 / 100, 300, 420);
  const int drawWidth = std::clamp(width() * 20 / 100, 270, 380);
  m_modelDock->setFloating(false);
  m_drawDock->setFloating(false);
  m_modelDock->show();
  m_drawDock->show();
  resizeDocks({m_modelDock, m_drawDock}, {modelWidth, drawWidth}, Qt::Horizontal);
}

void MainWindow::keepOnScreen() {
  if (isMaximized() || isFullScreen()) return;
  // The screen the window lies on by its geometry (screen() may not have followed a move yet).
  const QScreen* screen = QGuiApplication::screenAt(geometry().center());
  if (!screen) screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
  if (!screen) return;
  const QRect available = screen->availableGeometry();
  const QMargins frame = windowHandle() ? windowHandle()->frameMargins() : QMargins();
  const QSize frameExtra(frame.left() + frame.right(), frame.top() + frame.bottom());
  const QSize fitted = size().boundedTo(available.size() - frameExtra);
  if (fitted != size()) resize(fitted);
  QRect outer(pos(), fitted + frameExtra);  // pos() is the frame's top-left
  outer.moveLeft(std::clamp(outer.left(), available.left(), available.right() + 1 - outer.width()));
  outer.moveTop(std::clamp(outer.top(), available.top(), available.bottom() + 1 - outer.height()));
  if (outer.topLeft() != pos()) move(outer.topLeft());
}

void MainWindow::restoreLayout() {
  QSettings s = settings::open();
  const QByteArray geometry = s.value(settings::kWindowGeometry).toByteArray();
  if (!geometry.isEmpty() && restoreGeometry(geometry)) keepOnScreen();  // the last screen may have been larger
  const QByteArray state = s.value(settings::kWindowState).toByteArray();
  if (!state.isEmpty()) restoreState(state);
  m_builder->restoreSplitterState(s.value(settings::kSplitterPrefix + QStringLiteral("builder")).toByteArray());
  const int tab = s.value(settings::kWindowTab, 0).toInt();
  if (tab >= 0 && tab < m_tabs->count()) m_tabs->setCurrentIndex(tab);
}

void MainWindow::showEvent(QShowEvent* event) {
  QMainWindow::showEvent(event);
  // A window manager may add a frame only now: the whole window must still fit.
  if (!event->spontaneous()) QTimer::singleShot(0, this, &MainWindow::keepOnScreen);
}

void MainWindow::saveLayout() const {
  QSettings s = settings::open();
  s.setValue(settings::kWindowGeometry, saveGeometry());
  s.setValue(settings::kWindowState, saveState());
  s.setValue(settings::kWindowTab, m_tabs->currentIndex());
  const QByteArray builderSplitter = m_builder->splitterState();
  if (builderSplitter.isEmpty())
    s.remove(settings::kSplitterPrefix + QStringLiteral("builder"));
  else
    s.setValue(settings::kSplitterPrefix + QStringLiteral("builder"), builderSplitter);
}

void MainWindow::connectParts() {
  // Builder <-> training panel.
  connect(m_builder, &ModelBuilder::specChanged, this, [this] {
    m_specTimer->start();
    if (!m_settingSpec) setModified(true);  // an edit of the architecture
    updateTitle();
    updateTrainActions();  // Evaluate needs weights that fit the architecture
  });
  connect(m_builder, &ModelBuilder::validityChanged, m_trainingPanel, &TrainingPanel::setModelValid);
  connect(m_builder, &ModelBuilder::trainingSpecLoaded, m_trainingPanel, &TrainingPanel::setTrainingSpec);
  connect(m_builder, &ModelBuilder::message, this,
          [this](const QString& text) { statusBar()->showMessage(text, 6000); });
  connect(m_builder, &ModelBuilder::presetRequested, this, &MainWindow::applyPreset);
  connect(m_digitPanel, &DigitPanel::trainForDrawingRequested, this, &MainWindow::trainForDrawing);
  connect(m_trainingPanel, &TrainingPanel::settingsChanged, this, [this](const TrainingSpec& training) {
    const bool changed = !(training == m_builder->spec().training);
    m_builder->setTrainingSpec(training);
    if (changed && !m_settingSpec) setModified(true);  // an edit of the training settings
    // Before any run the empty axes span the epochs that will be trained.
    if (!m_controller->isRunning() && m_doc.history().empty()) m_charts->reset(training.epochs, 1);
  });
  m_trainingPanel->setTrainingSpec(m_builder->spec().training);
  m_trainingPanel->setModelValid(m_builder->isValid());
  m_charts->reset(m_builder->spec().training.epochs, 1);

  // Training panel and results -> controller.
  connect(m_trainingPanel, &TrainingPanel::startRequested, this, &MainWindow::startTraining);
  connect(m_trainingPanel, &TrainingPanel::pauseRequested, m_controller, &TrainingController::pause);
  connect(m_trainingPanel, &TrainingPanel::resumeRequested, m_controller, &TrainingController::resume);
  connect(m_trainingPanel, &TrainingPanel::stopRequested, this, &MainWindow::stopTraining);
  connect(m_trainingPanel, &TrainingPanel::datasetRequested, this, &MainWindow::loadDataset);
  connect(m_trainingPanel, &TrainingPanel::controlsChanged, this, &MainWindow::updateTrainActions);
  connect(m_results, &ResultsView::evaluateRequested, this, &MainWindow::evaluateModel);
  const auto note = [this](const QString& text) { statusBar()->showMessage(text, 8000); };
  connect(m_diagram, &DiagramPanel::message, this, note);
  connect(m_charts, &TrainingCharts::message, this, note);

  // My digits: added in the drawing panel, browsed in the Data tab, a dataset of their own.
  m_digitPanel->myDigitsBar()->setStore(m_myDigits);
  m_dataBrowser->setMyDigits(m_myDigits);
  m_trainingPanel->addDatasetFolder(
      tr("My digits"), QStringLiteral("my"), false,
      tr("The digits you added with Add to my digits (%1)").arg(QDir::toNativeSeparators(settings::myDigitsFolder())));
  connect(m_myDigits, &MyDigitsStore::changed, this, &MainWindow::onMyDigitsChanged);
  connect(m_controller, &TrainingController::myDigitsEvaluated, m_charts, &TrainingCharts::addMyDigitsAccuracy);

  // Data.
  connect(m_loader, &DatasetLoader::loaded, this, &MainWindow::onDatasetLoaded);
  connect(m_loader, &DatasetLoader::failed, this, &MainWindow::onDatasetFailed);

  // Controller -> views.
  connect(m_controller, &TrainingController::runningChanged, this, &MainWindow::onRunningChanged);
  connect(m_controller, &TrainingController::pausedChanged, this, [this](bool paused) {
    if (m_controller->isRunning())
      m_trainingPanel->setState(paused ? TrainingPanel::State::Paused : TrainingPanel::State::Running);
    updateTrainActions();
    statusBar()->showMessage(
        paused ? tr("Paused. The drawing panel uses the weights learned so far.") : tr("Training resumed."), 4000);
  });
  connect(m_controller, &TrainingController::started, this, [this](int epochs, int steps, int rows) {
    m_trainingPanel->showStarted(epochs, steps, m_runInitialEpoch);
    const QString epochText = epochs == 1 ? tr("1 epoch") : tr("%1 epochs").arg(epochs);
    // A fine-tuning run says what it mixes instead.
    statusBar()->showMessage(
        m_runNote.isEmpty()
            ? tr("Training on %1 samples: %2 of %3 batches").arg(thousands(rows), epochText, QString::number(steps))
            : m_runNote);
  });
  connect(m_controller, &TrainingController::batchesProgressed, this, [this](const std::vector<BatchLog>& logs) {
    m_charts->addBatches(logs);
    m_doc.addBatches(logs);
    if (!logs.empty()) m_trainingPanel->showProgress(logs.back());
  });
  connect(m_controller, &TrainingController::epochFinished, this, &MainWindow::onEpochFinished);
  connect(m_controller, &TrainingController::epochFinished, m_trainingPanel, &TrainingPanel::showEpochMessages);
  connect(m_controller, &TrainingController::weightsSnapshot, this, &MainWindow::onWeightsSnapshot);
  connect(m_controller, &TrainingController::evaluating, this, [this](const QString& what) {
    m_trainingPanel->showEvaluating(what);
    statusBar()->showMessage(what);
  });
  connect(m_controller, &TrainingController::evaluationProgress, m_trainingPanel,
          &TrainingPanel::showEvaluationProgress);
  connect(m_controller, &TrainingController::finished, this, &MainWindow::onFinished);
  connect(m_controller, &TrainingController::evaluated, this, &MainWindow::onEvaluated);
  connect(m_controller, &TrainingController::failed, this, &MainWindow::onFailed);
}

bool MainWindow::isLoadingData() const { return m_loader->isLoading(); }

void MainWindow::loadDataset(const QString& choice) {
  m_trainingPanel->setDataReady(false);
  m_dataLabel->setText(tr("Loading %1…").arg(choiceText(choice)));
  m_loader->load(choice);
}

void MainWindow::onDatasetFailed(const QString& choice, const QString& error) {
  // Not exec(): the window (and a running training) keeps going while the message shows.
  showError(tr("Load data"), tr("Could not load %1:\n%2").arg(choiceText(choice), error),
            QStringLiteral("dataErrorBox"));
  if (m_data) {
    m_trainingPanel->setDatasetChoice(m_dataChoice);  // back to what is loaded
    m_dataLabel->setText(dataText(*m_data));
  } else {
    m_dataLabel->setText(tr("No data loaded"));
  }
  m_trainingPanel->setDataReady(m_data != nullptr && !m_controller->isRunning());
  updateTrainActions();
}

void MainWindow::onDatasetLoaded(const QString& choice, std::shared_ptr<const DatasetPair> data) {
  m_data = std::move(data);
  m_dataChoice = choice;
  m_dataLabel->setText(dataText(*m_data));
  m_dataBrowser->setDataset(m_data);
  {
    // Six training digits of different classes for the builder's augmentation preview.
    const Dataset& train = m_data->train;
    std::vector<float> pixels;
    std::vector<bool> seen(256, false);
    int count = 0;
    for (int i = 0; i < train.count && count < 6; ++i) {
      if (seen[train.labels[size_t(i)]]) continue;
      seen[train.labels[size_t(i)]] = true;
      pixels.insert(pixels.end(), train.image(i), train.image(i) + train.pixels());
      ++count;
    }
    m_builder->augmentationPreview()->setImages(std::move(pixels), count, train.rows, train.cols);
  }
  m_dataLabel->setToolTip(QString::fromStdString(m_data->source));
  m_digitPanel->setTestData(std::shared_ptr<const Dataset>(m_data, &m_data->test), m_data->classNames);
  m_trainingPanel->setDataReady(true);
  updateTrainActions();
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

void MainWindow::updateSpecViews() {
  const ModelSpec spec = m_builder->spec();
  m_diagram->setSpec(spec);
  m_summary->setPlainText(m_builder->isValid() ? QString::fromStdString(summaryText(spec))
                                               : tr("The model is invalid:\n%1").arg(m_builder->errorText()));
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
  saveLayout();
  if (m_controller->isRunning()) statusBar()->showMessage(tr("Stopping training…"));
  m_controller->shutdown();  // cancel, wake if paused, quit the thread, wait: within one batch
  QMainWindow::closeEvent(event);
}

}  // namespace dl
