// The main window's menus: File, Edit, Model, Train, View, Help. Every action has a shortcut or
// a mnemonic, and a status tip; those that change the model or the data join m_modelActions, which
// are off while a run is active.

#include "MainWindow.h"

#include "AppSettings.h"
#include "DiagramPanel.h"
#include "DigitPanel.h"
#include "ModelBuilder.h"
#include "MyDigitsBar.h"
#include "RecentFiles.h"
#include "TrainingController.h"
#include "TrainingPanel.h"

#include "data/DatasetDownloader.h"
#include "train/MixedSource.h"

#include <QAction>
#include <QClipboard>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QGuiApplication>
#include <QKeySequence>
#include <QMenuBar>
#include <QMessageBox>
#include <QSignalBlocker>
#include <QStatusBar>
#include <QTabWidget>

namespace dl {

void MainWindow::createMenus() {
  createFileMenu();
  // The builder's own undo/redo actions: off while the builder is disabled (during a run).
  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  edit->addAction(m_builder->undoAction());
  edit->addAction(m_builder->redoAction());
  createModelMenu();
  createTrainMenu();
  createViewMenu();
  QMenu* help = menuBar()->addMenu(tr("&Help"));
  QAction* started = help->addAction(tr("&Getting started"), this, &MainWindow::showGettingStarted);
  started->setObjectName(QStringLiteral("gettingStartedAction"));
  started->setShortcut(QKeySequence::HelpContents);
  help->addAction(tr("&About DigitLab"), this, &MainWindow::showAbout);
}

QAction* MainWindow::modelAction(QAction* action, const char* name, const QString& tip) {
  action->setObjectName(QLatin1String(name));
  action->setStatusTip(tip);
  action->setToolTip(tip);
  m_modelActions.push_back(action);
  return action;
}

void MainWindow::createFileMenu() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  modelAction(file->addAction(tr("&New model"), this, &MainWindow::newModel), "newModelAction",
              tr("An empty model: the input, then the layers you add"))
      ->setShortcut(QKeySequence::New);
  modelAction(file->addAction(tr("&Open model…"), this, &MainWindow::openModelDialog), "openModelAction",
              tr("Open a trained model (.dlm)"))
      ->setShortcut(QKeySequence::Open);
  m_recentMenu = file->addMenu(tr("Open &recent"));
  m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
  m_recent = new RecentFiles(m_recentMenu, this);
  connect(m_recent, &RecentFiles::openRequested, this, [this](const QString& path) {
    if (!maybeSaveChanges(tr("opening a model"))) return;
    QString error;
    if (!openModel(path, &error)) showError(tr("Open model"), error, QStringLiteral("modelErrorBox"));
  });
  QAction* save = file->addAction(tr("&Save model"), this, &MainWindow::saveModel);
  save->setObjectName(QStringLiteral("saveModelAction"));
  save->setShortcut(QKeySequence::Save);
  save->setStatusTip(tr("Save the model with its trained weights, history and results (.dlm)"));
  QAction* saveAs = file->addAction(tr("Save model &as…"), this, &MainWindow::saveModelAs);
  saveAs->setObjectName(QStringLiteral("saveModelAsAction"));
  saveAs->setShortcut(QKeySequence::SaveAs);
  file->addSeparator();
  modelAction(file->addAction(tr("&Import architecture (JSON)…"), m_builder, &ModelBuilder::loadArchitecture),
              "importArchitectureAction",
              tr("Replace the layers with a DigitLab spec or Keras's model.to_json() (no weights)"));
  QAction* exportArchitecture =
      file->addAction(tr("&Export architecture (JSON)…"), m_builder, &ModelBuilder::saveArchitecture);
  exportArchitecture->setObjectName(QStringLiteral("exportArchitectureAction"));
  exportArchitecture->setStatusTip(
      tr("Write only the layers and training settings as JSON (no weights: Save model keeps those)"));
  QAction* exportDiagram = file->addAction(tr("Export &diagram…"), m_diagram, &DiagramPanel::exportDiagram);
  exportDiagram->setObjectName(QStringLiteral("exportDiagramAction"));
  exportDiagram->setStatusTip(tr("The plot_model diagram as PNG or SVG"));
  file->addSeparator();
  modelAction(file->addAction(tr("Open MNIST-format &folder…"), this,
                              [this] {
                                if (m_controller->isRunning()) return;
                                const QString dir = QFileDialog::getExistingDirectory(
                                    this,
                                    tr("Folder with train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-… "
                                       "(optionally .gz)"),
                                    settings::lastFolder());
                                if (dir.isEmpty()) return;
                                settings::rememberFolder(dir);
                                m_trainingPanel->setDatasetChoice(dir);
                                loadDataset(dir);
                              }),
              "openFolderAction", tr("Train on the four MNIST files in a folder of your own"));
  modelAction(
      file->addAction(tr("Download &MNIST…"), this, [this] { downloadFromMenu(DatasetDownloader::mnistSpec()); }),
      "downloadMnistAction", tr("The full MNIST: 60,000 training and 10,000 test digits (11.6 MB)"));
  modelAction(file->addAction(tr("Download &Fashion-MNIST…"), this,
                              [this] { downloadFromMenu(DatasetDownloader::fashionSpec()); }),
              "downloadFashionAction", tr("Fashion-MNIST: 70,000 pictures of clothes in MNIST's format (30.9 MB)"));
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);
}

void MainWindow::createModelMenu() {
  QMenu* model = menuBar()->addMenu(tr("&Model"));
  modelAction(model->addAction(tr("Tutorial &MLP"), this, [this] { applyPreset(QStringLiteral("mlp")); }),
              "mlpPresetAction", tr("The tutorial's MLP: Dense 200 tanh, Dropout 0.4, Dense 10 softmax; SGD 0.2"));
  modelAction(model->addAction(tr("Tutorial &CNN"), this, [this] { applyPreset(QStringLiteral("cnn")); }),
              "cnnPresetAction", tr("The tutorial's CNN: two Conv2D + MaxPooling2D, Dense 1024, Dropout; Adam 1e-4"));
  modelAction(model->addAction(tr("&Digits (for drawing)"), this, [this] { applyPreset(QStringLiteral("digits")); }),
              "digitsPresetAction",
              tr("A network for reading drawn digits: random rotation, shift and zoom while training, then a small "
                 "CNN; Adam 1e-3"));
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
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save as Keras code"), settings::inLastFolder(QStringLiteral("model.py")), tr("Python script (*.py)"));
    if (path.isEmpty()) return;
    QString error;
    if (!saveKerasCode(path, &error)) {
      QMessageBox::warning(this, tr("Save as Keras code"), error);
      return;
    }
    settings::rememberFolder(path);
    statusBar()->showMessage(tr("Wrote %1.").arg(QDir::toNativeSeparators(path)), 8000);
  });
}

void MainWindow::createTrainMenu() {
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
  m_evaluateAction = train->addAction(tr("&Evaluate"), this, &MainWindow::evaluateModel);
  m_evaluateAction->setObjectName(QStringLiteral("evaluateAction"));
  m_evaluateAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  m_evaluateAction->setStatusTip(tr("Score the current weights on the test set and the training set"));
  m_fineTuneAction = train->addAction(tr("&Fine-tune on my digits"), this, &MainWindow::fineTuneOnMyDigits);
  m_fineTuneAction->setObjectName(QStringLiteral("fineTuneAction"));
  m_fineTuneAction->setStatusTip(
      tr("Continue training the current model for %1 epochs on the training data plus your own digits, yours "
         "repeated to make about %2 % of each epoch")
          .arg(kFineTuneEpochs)
          .arg(int(kMyDigitsShare * 100)));
  m_digitPanel->myDigitsBar()->setFineTuneAction(m_fineTuneAction);
  // Steering: one batch while paused, the learning-rate range test.
  m_stepAction = train->addAction(tr("Step &one batch"), this, &MainWindow::stepTraining);
  m_stepAction->setObjectName(QStringLiteral("stepAction"));
  m_stepAction->setShortcut(QKeySequence(Qt::Key_F7));
  m_stepAction->setStatusTip(tr("While paused: train one batch and pause again"));
  m_findLearningRateAction = train->addAction(tr("Find &learning rate…"), this, &MainWindow::findLearningRate);
  m_findLearningRateAction->setObjectName(QStringLiteral("findLearningRateAction"));
  m_findLearningRateAction->setStatusTip(
      tr("A learning-rate range test on a copy of the weights: the loss against the rate, and a suggestion"));
  connectSteering();
  train->addSeparator();
  m_checkpointAction = train->addAction(tr("Save a &checkpoint after every epoch"));
  m_checkpointAction->setObjectName(QStringLiteral("checkpointAction"));
  m_checkpointAction->setCheckable(true);
  m_checkpointAction->setToolTip(tr("Saves the model to its file after every epoch"));
  m_checkpointAction->setChecked(settings::open().value(settings::kCheckpointEveryEpoch, false).toBool());
  connect(m_checkpointAction, &QAction::toggled, this, [this](bool on) {
    if (on && m_doc.path().isEmpty()) {
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
    settings::open().setValue(settings::kCheckpointEveryEpoch, on);
  });
}

// The docks, the tabs and the layout, all from the keyboard.
void MainWindow::createViewMenu() {
  QMenu* view = menuBar()->addMenu(tr("Vie&w"));
  QAction* modelToggle = m_modelDock->toggleViewAction();
  modelToggle->setText(tr("&Model builder"));
  modelToggle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
  view->addAction(modelToggle);
  QAction* drawToggle = m_drawDock->toggleViewAction();
  drawToggle->setText(tr("&Drawing panel"));
  drawToggle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
  view->addAction(drawToggle);
  view->addSeparator();
  for (int i = 0; i < m_tabs->count(); ++i) {
    QAction* tab = view->addAction(m_tabs->tabText(i), this, [this, i] {
      m_tabs->setCurrentIndex(i);
      m_tabs->currentWidget()->setFocus();
    });
    tab->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
  }
  view->addSeparator();
  view->addAction(tr("&Reset layout"), this, &MainWindow::resetLayout)
      ->setObjectName(QStringLiteral("resetLayoutAction"));
}

}  // namespace dl
