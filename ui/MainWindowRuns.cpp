// The main window's record of runs and the confusion drill-down's wiring: the Runs tab gets a
// RunRecord per run from the controller's reports (started, each epoch, my digits' accuracy, the
// end); the Results tab's matrix follows each epoch's validation predictions, its drill-down
// computes confidences with the document's weights, and a digit clicked there goes on the
// drawing canvas.

#include "MainWindow.h"

#include "DigitPanel.h"
#include "ResultsView.h"
#include "RunsView.h"
#include "TrainingController.h"

#include "data/DigitPreprocess.h"
#include "nn/Model.h"

#include <QDockWidget>
#include <QStatusBar>
#include <QTabWidget>

#include <functional>

namespace dl {

void MainWindow::setupRuns() {
  m_runsView = new RunsView(m_tabs);
  m_runsView->setObjectName(QStringLiteral("runsView"));
  const int tab = m_tabs->addTab(m_runsView, tr("Runs"));
  m_tabs->setTabToolTip(tab, tr("Every run since DigitLab started, side by side: curves, settings and results"));
  connect(m_runsView, &RunsView::message, this, [this](const QString& text) { statusBar()->showMessage(text, 8000); });

  // A run's record, from its start to its end. Evaluations (no training) are not runs.
  connect(m_controller, &TrainingController::started, this, [this](int, int, int) {
    if (m_controller->isEvaluationOnly()) return;
    m_activeRun = m_runsView->addOrUpdateRun(
        RunRecord::begin(m_runSpec, m_runData ? m_runData->name : std::string(), m_runInitialEpoch));
  });
  // Changes the run in progress (a copy goes back to the view, which redraws).
  const auto updateActive = [this](const std::function<void(RunRecord&)>& change) {
    if (m_activeRun < 0 || m_activeRun >= int(m_runsView->runs().size())) return;
    RunRecord run = m_runsView->runs()[size_t(m_activeRun)];
    change(run);
    m_runsView->addOrUpdateRun(run);
  };
  connect(m_controller, &TrainingController::myDigitsEvaluated, this, [updateActive](int epoch, double accuracy) {
    updateActive([&](RunRecord& run) { run.setMyDigitsAccuracy(epoch, accuracy); });
  });
  connect(m_controller, &TrainingController::epochFinished, this, [updateActive](const EpochLog& epoch) {
    updateActive([&](RunRecord& run) { run.epochs.push_back(epoch); });
  });
  connect(m_controller, &TrainingController::finished, this, [this, updateActive](const TrainResult& result) {
    updateActive([&](RunRecord& run) { run.finish(result); });
    m_activeRun = -1;
  });
  connect(m_controller, &TrainingController::failed, this, [this, updateActive](const QString& message) {
    updateActive([&](RunRecord& run) {
      run.ending = RunRecord::Ending::Failed;
      run.message = message.toStdString();
    });
    m_activeRun = -1;
  });

  // The Results tab: the validation matrix after each epoch, confidences for the final test
  // predictions, and a clicked digit on the canvas.
  connect(m_controller, &TrainingController::epochPredictions, this, [this](const EpochPredictions& predictions) {
    m_results->showEpochPredictions(predictions, m_runData ? m_runData : m_data);
  });
  m_results->setProbabilityFunction(
      [this](const std::vector<float>& images, int count) { return documentProbabilities(images, count); });
  connect(m_results, &ResultsView::message, this,
          [this](const QString& text) { statusBar()->showMessage(text, 8000); });
  connect(m_results, &ResultsView::digitChosen, this,
          [this](const QVector<float>& pixels, int trueClass, const QString& caption) {
            if (pixels.size() != DigitInput::kPixels) {
              statusBar()->showMessage(tr("Only 28×28 digits can go on the drawing canvas."), 6000);
              return;
            }
            m_drawDock->show();
            m_drawDock->raise();
            m_digitPanel->showDigit(pixels.constData(), trueClass, caption);
            statusBar()->showMessage(
                tr("%1 is on the drawing canvas: draw over it to see the answer change.").arg(caption), 8000);
          });
}

std::vector<float> MainWindow::documentProbabilities(const std::vector<float>& images, int count) const {
  if (!m_doc.hasWeights() || count <= 0) return {};
  try {
    Model model(m_doc.weightsSpec(), m_doc.weightsSpec().training.seed);
    model.setWeights(m_doc.weights());
    if (size_t(model.inputSize()) * size_t(count) != images.size()) return {};
    const Matrix p = model.predict(images.data(), count);
    return std::vector<float>(p.data(), p.data() + p.size());  // row-major: count x classes
  } catch (const std::exception&) {
    return {};  // weights that no longer fit: no confidences
  }
}

}  // namespace dl
