// The main window's training flow: Train (continue or afresh), Evaluate, Pause, Stop, and the
// worker's reports reaching the document, the charts, the results and the drawing panel.

#include "MainWindow.h"

#include "DigitPanel.h"
#include "LrRangeDialog.h"
#include "ModelBuilder.h"
#include "MyDigitsStore.h"
#include "ResultsView.h"
#include "TrainingCharts.h"
#include "TrainingController.h"
#include "TrainingPanel.h"
#include "train/MixedSource.h"

#include <QAction>
#include <QFileInfo>
#include <QMenu>
#include <QStatusBar>
#include <QTabWidget>

#include <cmath>

namespace dl {

namespace {

// A dataset of the ten digits as 28x28 images: what my digits can join or be compared with.
bool isDigitsData(const DatasetPair& data) {
  for (size_t i = 0; i < data.classNames.size(); ++i)
    if (data.classNames[i] != std::to_string(i)) return false;
  return data.classNames.size() == 10 && data.train.rows == MyDigits::kSide && data.train.cols == MyDigits::kSide;
}

QString figure(double value, int decimals = 4) {
  return std::isnan(value) ? QStringLiteral("—") : QString::number(value, 'f', decimals);
}

}  // namespace

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

  // Keras's fit called again goes on from the current weights: offer that when they fit.
  bool continuing = false;
  if (m_doc.weightsFit(request.spec)) {
    const int trained = m_doc.trainedEpochs();
    const ContinueChoice choice = m_continuePrompt ? m_continuePrompt(trained)
                                                   : prompts::askContinue(this, trained, request.spec.training.epochs);
    if (choice == ContinueChoice::Cancel) return;
    continuing = choice == ContinueChoice::Continue;
  }

  m_runNote.clear();
  launchRun(request, continuing);
}

void MainWindow::launchRun(TrainRequest& request, bool continuing) {
  // Every run scores my digits after each epoch (the charts' "my digits" line) when there are some.
  // (Not on Fashion-MNIST or other images: a score on digits would mean nothing there.)
  if (!m_myDigits->isEmpty() && !m_myDigits->isBroken() && !request.myDigits && isDigitsData(*m_data))
    request.myDigits = m_myDigits->snapshot();
  m_runSpec = request.spec;
  m_runData = m_data;  // the results refer to this run's test set, whatever is loaded meanwhile
  m_snapshotThisEpoch = false;
  m_results->clear();
  m_runInitialEpoch = 0;
  if (continuing) {
    request.initialWeights = m_doc.weights();
    request.initialEpoch = m_doc.trainedEpochs();
    m_runInitialEpoch = request.initialEpoch;
    m_charts->extendTo(request.initialEpoch + request.spec.training.epochs, stepsPerEpoch(request));
  } else {
    m_charts->reset(request.spec.training.epochs, stepsPerEpoch(request));
  }
  // What Save writes from now on: this run's snapshots, history and metrics (appended when continuing).
  m_doc.beginRun(m_data->name, continuing);
  m_tabs->setCurrentWidget(m_charts);
  m_controller->start(request);
}

QString MainWindow::fineTuneRefusal() const {
  if (m_controller->isRunning()) return tr("Wait for the run to end.");
  if (m_myDigits->isBroken()) return m_myDigits->error();
  if (m_myDigits->isEmpty()) return QString::fromStdString(MyDigits::emptyMessage()) + QLatin1Char('.');
  if (!m_data || isLoadingData()) return tr("Wait for the data to load.");
  if (m_dataChoice == QLatin1String("my"))
    return tr("Fine-tuning adds my digits to a training set: choose an MNIST dataset first.");
  if (!isDigitsData(*m_data))
    return tr("Fine-tuning on my digits needs a dataset of 28x28 digits (MNIST), not %1.")
        .arg(QString::fromStdString(m_data->name));
  if (!m_builder->isValid()) return tr("The model is invalid.");
  if (!m_doc.weightsFit(m_builder->spec())) return tr("Train the model (or open a trained one) first.");
  return {};
}

void MainWindow::fineTuneOnMyDigits() {
  const QString refused = fineTuneRefusal();
  if (!refused.isEmpty()) {
    statusBar()->showMessage(tr("Cannot fine-tune: %1").arg(refused), 8000);
    return;
  }
  TrainRequest request;
  request.spec = m_builder->spec();
  request.spec.training = m_trainingPanel->trainingSpec();
  request.spec.training.epochs = kFineTuneEpochs;
  request.data = m_data;
  request.threads = m_trainingPanel->threads();
  // A split would validate on the source's last rows, which are my digits: the test set instead.
  request.validation =
      m_trainingPanel->validationMode() == ValidationMode::None ? ValidationMode::None : ValidationMode::TestSet;
  const auto base = std::shared_ptr<const Dataset>(m_data, &m_data->train);
  request.myDigits = m_myDigits->snapshot();
  const int repeats = fineTuneRepeats(base->count, request.myDigits->count);
  const auto mix = std::make_shared<const MixedSource>(base, request.myDigits, repeats);
  request.trainSource = mix;
  request.initialWeights = m_doc.weights();
  request.initialEpoch = m_doc.trainedEpochs();
  m_runNote = tr("Fine-tuning for %1 epochs on %2 training digits plus %3 of my digits, each %4 times (%5 % of each "
                 "epoch)")
                  .arg(kFineTuneEpochs)
                  .arg(base->count)
                  .arg(request.myDigits->count)
                  .arg(repeats)
                  .arg(mix->myShare() * 100, 0, 'f', 1);
  launchRun(request, true);
  statusBar()->showMessage(m_runNote);
}

void MainWindow::onMyDigitsChanged() {
  updateTrainActions();
  // "My digits" loaded as the dataset: the data follows the digits (unless they are all gone).
  if (m_dataChoice == QLatin1String("my") && !m_controller->isRunning() && !m_myDigits->isEmpty() &&
      !m_myDigits->isBroken())
    loadDataset(QStringLiteral("my"));
}

void MainWindow::evaluateModel() {
  if (m_controller->isRunning() || !m_data) return;
  const ModelSpec spec = m_builder->spec();
  if (!m_doc.weightsFit(spec)) {
    statusBar()->showMessage(tr("Nothing to evaluate: train the model or open a trained one first."), 6000);
    return;
  }
  EvaluateRequest request;
  request.spec = spec;
  request.spec.training = m_trainingPanel->trainingSpec();
  request.weights = m_doc.weights();
  request.data = m_data;
  request.threads = m_trainingPanel->threads();
  request.evaluateTrainSet = true;
  m_runData = m_data;
  m_results->setBusy(true);
  for (int i = 0; i < m_tabs->count(); ++i)  // the Results tab: the page holding the view
    if (m_tabs->widget(i)->isAncestorOf(m_results)) m_tabs->setCurrentIndex(i);
  m_controller->evaluate(request);
}

void MainWindow::pauseOrResumeTraining() {
  if (m_controller->isPaused())
    m_controller->resume();
  else
    m_controller->pause();
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
  if (!running) m_results->setBusy(false);
  updateTrainActions();
}

void MainWindow::updateTrainActions() {
  if (!m_startAction) return;  // before the menus exist
  m_startAction->setEnabled(m_trainingPanel->canStart());
  m_pauseAction->setEnabled(m_trainingPanel->canPause());
  m_stopAction->setEnabled(m_trainingPanel->canStop());
  m_pauseAction->setText(m_controller->isRunning() && m_controller->isPaused() ? tr("&Resume") : tr("&Pause"));
  QString whyNot;
  if (m_controller->isRunning())
    whyNot = tr("Wait for the run to end.");
  else if (!m_data)
    whyNot = tr("Wait for the data to load.");
  else if (!m_builder->isValid())
    whyNot = tr("The model is invalid.");
  else if (!m_doc.weightsFit(m_builder->spec()))
    whyNot = tr("Train the model (or open a trained one) first.");
  m_evaluateAction->setEnabled(whyNot.isEmpty());
  const QString fineTuneWhyNot = fineTuneRefusal();
  m_fineTuneAction->setEnabled(fineTuneWhyNot.isEmpty());
  m_fineTuneAction->setToolTip(fineTuneWhyNot.isEmpty() ? m_fineTuneAction->statusTip() : fineTuneWhyNot);
  m_results->setEvaluateEnabled(whyNot.isEmpty(), whyNot);
  m_digitPanel->setTrainingOffered(!m_controller->isRunning() && m_data);
  if (m_stepAction) m_stepAction->setEnabled(m_trainingPanel->canStep());
  if (m_findLearningRateAction) m_findLearningRateAction->setEnabled(m_trainingPanel->canStart());
}

// The drawing panel's "Train a model for drawing": the Digits preset (after the usual question
// about unsaved work), trained at once on the loaded data.
void MainWindow::trainForDrawing() {
  if (m_controller->isRunning() || !m_data) return;
  if (applyPreset(QStringLiteral("digits"))) startTraining();
}

void MainWindow::onEpochFinished(const EpochLog& e) {
  m_charts->addEpoch(e);
  m_doc.addEpoch(e);
  setModified(true);
  QString text =
      tr("Epoch %1/%2: loss %3, accuracy %4").arg(e.epoch).arg(e.epochs).arg(figure(e.loss)).arg(figure(e.accuracy));
  if (e.hasValidation()) text += tr(" · val_loss %1, val_accuracy %2").arg(figure(e.valLoss), figure(e.valAccuracy));
  text += tr(" · %1").arg(durationText(e.seconds));
  // The worker sends the epoch's final weights just before the epoch itself: the document's weights
  // are this epoch's end, its history holds exactly its batches.
  if (m_checkpointAction->isChecked()) saveCheckpoint(&text);
  m_snapshotThisEpoch = false;
  statusBar()->showMessage(text);
}

void MainWindow::saveCheckpoint(QString* statusText) {
  QString why;
  if (m_doc.path().isEmpty())
    why = tr("the model has no file yet (File > Save model as…)");
  else if (!m_doc.hasWeights() || !m_snapshotThisEpoch)
    why = tr("no weights of this epoch's end arrived");
  else if (writeModel(m_doc.path(), &why, false) == SaveOutcome::Saved) {
    statusText->append(tr(" · checkpoint saved to %1").arg(QFileInfo(m_doc.path()).fileName()));
    return;
  }
  statusText->append(tr(" · checkpoint NOT saved: %1").arg(why));
}

void MainWindow::showResultsFrom(const TrainResult& result) {
  // A set whose evaluation was stopped has no figures: the previous matrix and gallery would
  // describe other weights, so they go too.
  if (!result.testEvaluated) m_results->clear();
  m_results->setMetrics(result.trainLoss, result.trainAccuracy, result.testLoss, result.testAccuracy);
  if (m_runData && result.testEvaluated && !result.predicted.empty())
    m_results->setResults(m_runData->test, result.predicted, m_runData->classNames);
}

void MainWindow::onFinished(const TrainResult& result) {
  m_trainingPanel->showFinished(result);
  statusBar()->showMessage(result.message);
  if (result.batchesTrained > 0) setModified(true);
  if (result.diverged) return;
  m_doc.setFinalMetrics(result.trainLoss, result.trainAccuracy, result.testLoss, result.testAccuracy);
  showResultsFrom(result);
}

void MainWindow::onEvaluated(const TrainResult& result) {
  m_results->setBusy(false);
  m_trainingPanel->showFinished(result);
  statusBar()->showMessage(result.message, 10000);
  if (result.cancelled && !result.testEvaluated && !result.trainEvaluated) return;  // nothing new
  // Figures of the weights the document holds: saved with them.
  const ModelFileMetadata& old = m_doc.metadata();
  m_doc.setFinalMetrics(result.trainEvaluated ? result.trainLoss : old.trainLoss,
                        result.trainEvaluated ? result.trainAccuracy : old.trainAccuracy,
                        result.testEvaluated ? result.testLoss : old.testLoss,
                        result.testEvaluated ? result.testAccuracy : old.testAccuracy);
  const ModelFileMetadata& md = m_doc.metadata();
  m_results->setMetrics(md.trainLoss, md.trainAccuracy, md.testLoss, md.testAccuracy);
  if (m_runData && result.testEvaluated && !result.predicted.empty())
    m_results->setResults(m_runData->test, result.predicted, m_runData->classNames);
}

void MainWindow::onFailed(const QString& message) {
  m_results->setBusy(false);
  m_trainingPanel->showMessage(tr("Could not start: %1").arg(message), true);
  statusBar()->showMessage(message);
}

void MainWindow::onWeightsSnapshot(const ModelSpec& spec, const std::vector<Matrix>& weights) {
  m_digitPanel->setModel(spec, weights);
  m_doc.setWeights(spec, weights);
  m_snapshotThisEpoch = true;
}

// ---------------------------------------------------------------------------------------------
// Steering a run: a live learning rate, one step while paused, the learning-rate range test.

void MainWindow::connectSteering() {
  connect(m_trainingPanel, &TrainingPanel::learningRateChanged, this, [this](double lr) {
    if (!m_controller->isRunning()) return;
    m_controller->setLearningRate(lr);
    statusBar()->showMessage(tr("Learning rate %1 from the next batch on.").arg(QString::number(lr, 'g', 6)), 6000);
  });
  connect(m_trainingPanel, &TrainingPanel::stepRequested, this, &MainWindow::stepTraining);
  connect(m_trainingPanel, &TrainingPanel::findLearningRateRequested, this, &MainWindow::findLearningRate);
}

void MainWindow::stepTraining() {
  if (m_controller->step()) statusBar()->showMessage(tr("One batch, then paused again."), 4000);
}

void MainWindow::findLearningRate() {
  if (m_controller->isRunning() || m_controller->isRangeTesting()) return;
  QString refused;
  if (!m_builder->isValid())
    refused = tr("Cannot find a learning rate: the model is invalid (%1).").arg(m_builder->errorText());
  else if (!m_data || isLoadingData())
    refused = tr("Cannot find a learning rate: wait for the data to load.");
  if (!refused.isEmpty()) {
    statusBar()->showMessage(refused, 6000);
    return;
  }
  LrRangeRequest request;
  request.spec = m_builder->spec();
  request.spec.training = m_trainingPanel->trainingSpec();
  request.data = m_data;
  request.validation = m_trainingPanel->validationMode();
  request.threads = m_trainingPanel->threads();
  // From where Train would go on: the trained weights when they fit (a copy), else fresh ones.
  QString what;
  if (m_doc.weightsFit(request.spec)) {
    request.weights = m_doc.weights();
    what = tr("a copy of the trained weights");
  } else {
    what = tr("freshly initialised weights (seed %1)").arg(request.spec.training.seed);
  }
  auto* dialog = new LrRangeDialog(m_controller, request, what, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &LrRangeDialog::rateChosen, this, [this](double lr) {
    m_trainingPanel->setLearningRate(lr);
    statusBar()->showMessage(tr("Learning rate set to %1.").arg(QString::number(lr, 'g', 6)), 6000);
  });
  dialog->open();
  dialog->start();
}

}  // namespace dl
