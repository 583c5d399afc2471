// The main window's model files and datasets: New, presets, Open, Save, the command line's and
// drops' files, the unsaved-changes question, recent files and downloads. The rules of what a
// save writes live in ModelDocument; here they meet the dialogs and the views.

#include "MainWindow.h"

#include "AppSettings.h"
#include "DigitPanel.h"
#include "DownloadDialog.h"
#include "ModelBuilder.h"
#include "RecentFiles.h"
#include "ResultsView.h"
#include "RunsView.h"
#include "TrainingCharts.h"
#include "TrainingController.h"
#include "TrainingPanel.h"

#include "data/DatasetDownloader.h"
#include "data/IdxReader.h"

#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QTimer>

#include <algorithm>

namespace dl {

namespace {

// Every file of `spec` in `folder`, by name.
bool hasAllFiles(const DownloadSpec& spec, const QString& folder) {
  if (spec.files.isEmpty()) return false;
  return std::all_of(spec.files.begin(), spec.files.end(),
                     [&](const DownloadFile& f) { return QFileInfo::exists(folder + QLatin1Char('/') + f.name); });
}

// What the command line and drops open: model files and architectures.
bool isModelPath(const QString& path) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  return suffix == QLatin1String("dlm") || suffix == QLatin1String("json");
}

// An empty model: the tutorial's input and training settings, no layers yet.
ModelSpec emptyModel() {
  ModelSpec spec = presetMlp();
  spec.name = "model";
  spec.layers.clear();
  return spec;
}

}  // namespace

void MainWindow::updateTitle() {
  // "[*]" is where Qt shows the unsaved-changes mark (setWindowModified).
  QString name;
  if (!m_doc.path().isEmpty())
    name = QFileInfo(m_doc.path()).fileName();
  else
    name = QString::fromStdString(m_builder->spec().name);
  setWindowTitle(name.isEmpty() ? tr("DigitLab[*]") : tr("%1[*] — DigitLab").arg(name));
}

void MainWindow::setModified(bool modified) {
  m_doc.setModified(modified);
  setWindowModified(modified);
}

QString MainWindow::settingsPath() { return settings::path(); }

QStringList MainWindow::recentFiles() const { return m_recent->files(); }

void MainWindow::clearRecentFiles() { m_recent->clear(); }

void MainWindow::showError(const QString& title, const QString& text, const QString& objectName) {
  // Not exec(): the window (and a running training) keeps going while the message shows.
  auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
  box->setObjectName(objectName);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

bool MainWindow::maybeSaveChanges(const QString& action) {
  if (!isWindowModified()) return true;
  const QString name = m_doc.path().isEmpty() ? tr("the model") : QFileInfo(m_doc.path()).fileName();
  const UnsavedChoice choice = m_unsavedPrompt ? m_unsavedPrompt(action) : prompts::askUnsaved(this, name, action);
  if (choice == UnsavedChoice::Cancel) return false;
  if (choice == UnsavedChoice::Discard) return true;
  return saveModel();
}

void MainWindow::clearRun() {
  m_doc.reset();
  m_digitPanel->clearModel();
  m_results->clear();
  m_charts->reset(m_builder->spec().training.epochs, 1);
  m_trainingPanel->clearRun();
  statusBar()->clearMessage();
}

void MainWindow::replaceSpec(const ModelSpec& spec, const QString& undoText) {
  m_settingSpec = true;
  m_builder->setSpec(spec, undoText);
  m_settingSpec = false;
}

void MainWindow::newModel() {
  if (m_controller->isRunning() || !maybeSaveChanges(tr("starting a new model"))) return;
  replaceSpec(emptyModel(), tr("New model"));
  clearRun();
  setModified(false);
  updateTitle();
  updateTrainActions();
  statusBar()->showMessage(
      tr("New model: add layers from the palette (double-click, Enter or drag), or pick a preset."), 8000);
}

bool MainWindow::applyPreset(const QString& id) {
  if (m_controller->isRunning() || !maybeSaveChanges(tr("loading a preset"))) return false;
  clearRun();  // first: the builder's note on the preset then stays in the status bar
  m_settingSpec = true;
  if (id == QLatin1String("cnn"))
    m_builder->applyCnnPreset();
  else if (id == QLatin1String("digits"))
    m_builder->applyDigitsPreset();
  else
    m_builder->applyMlpPreset();
  m_settingSpec = false;
  m_charts->reset(m_builder->spec().training.epochs, 1);  // the preset's epochs
  setModified(false);                                     // a preset loaded and not edited is nothing to save
  updateTitle();
  updateTrainActions();
  return true;
}

void MainWindow::openModelDialog() {
  if (m_controller->isRunning() || !maybeSaveChanges(tr("opening a model"))) return;
  const QString start = m_doc.path().isEmpty() ? settings::lastFolder() : QFileInfo(m_doc.path()).absolutePath();
  const QString path =
      QFileDialog::getOpenFileName(this, tr("Open model"), start, tr("DigitLab model (*.dlm);;All files (*)"));
  if (path.isEmpty()) return;
  QString error;
  if (!openModel(path, &error)) showError(tr("Open model"), error, QStringLiteral("modelErrorBox"));
}

bool MainWindow::saveModel() {
  if (m_doc.path().isEmpty()) return saveModelAs();
  QString error;
  const SaveOutcome outcome = writeModel(m_doc.path(), &error, true);
  if (outcome == SaveOutcome::Failed) showError(tr("Save model"), error, QStringLiteral("modelErrorBox"));
  return outcome == SaveOutcome::Saved;
}

bool MainWindow::saveModelAs() {
  QString suggested = m_doc.path();
  if (suggested.isEmpty()) {
    const std::string name = m_builder->spec().name;
    suggested = settings::inLastFolder(QString::fromStdString(name.empty() ? std::string("model") : name) +
                                       QStringLiteral(".dlm"));
  }
  QString path =
      QFileDialog::getSaveFileName(this, tr("Save model"), suggested, tr("DigitLab model (*.dlm);;All files (*)"));
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
  const QString where = QDir::toNativeSeparators(path);
  if (!m_builder->isValid()) {
    if (error) *error = tr("%1: the model is invalid: %2").arg(where, m_builder->errorText());
    return SaveOutcome::Failed;
  }
  // The architecture as built, with the settings the panel shows (edited after a training or an
  // opened file, they are what the user wants kept; the history records what was trained).
  ModelSpec spec = m_builder->spec();
  spec.training = m_trainingPanel->trainingSpec();
  const std::string dataset = m_data ? m_data->name : std::string();
  m_doc.setRuns(m_runsView->runs());  // every run kept so far goes with the model
  ModelDocument::SaveResult result = m_doc.save(path, spec, false, dataset, error);
  if (result == ModelDocument::SaveResult::WeightsDoNotFit) {
    if (!mayAsk) return SaveOutcome::Failed;
    const WeightsMismatchChoice choice =
        m_mismatchPrompt ? m_mismatchPrompt(path)
                         : (prompts::askSaveWithoutWeights(this) ? WeightsMismatchChoice::SaveWithoutWeights
                                                                 : WeightsMismatchChoice::Cancel);
    if (choice == WeightsMismatchChoice::Cancel) {
      if (error) *error += tr(": not saved.");
      return SaveOutcome::Cancelled;
    }
    result = m_doc.save(path, spec, true, dataset, error);
  }
  if (result != ModelDocument::SaveResult::Saved) return SaveOutcome::Failed;
  m_recent->add(m_doc.path());
  settings::rememberFolder(m_doc.path());
  setModified(false);
  updateTitle();
  statusBar()->showMessage(tr("Saved %1.").arg(QDir::toNativeSeparators(m_doc.path())), 8000);
  return SaveOutcome::Saved;
}

bool MainWindow::openModel(const QString& path, QString* error) {
  if (m_controller->isRunning()) {
    if (error) *error = tr("%1: stop the training before opening a model.").arg(path);
    return false;
  }
  ModelDocument opened;
  ModelSpec spec;
  if (!opened.open(path, &spec, error)) return false;

  replaceSpec(spec, tr("Open %1").arg(QFileInfo(path).fileName()));
  m_trainingPanel->setTrainingSpec(spec.training);
  clearRun();
  m_doc = std::move(opened);
  m_digitPanel->setModel(m_doc.weightsSpec(), m_doc.weights());
  m_charts->showHistory(m_doc.history(), spec.training.epochs);
  const ModelFileMetadata& md = m_doc.metadata();
  if (m_doc.hasFinalMetrics()) m_results->setMetrics(md.trainLoss, md.trainAccuracy, md.testLoss, md.testAccuracy);
  m_runsView->addRuns(md.runs, m_doc.path());  // the file's runs join the Runs tab (once each)

  m_recent->add(m_doc.path());
  settings::rememberFolder(m_doc.path());
  setModified(false);
  updateTitle();
  updateSpecViews();
  updateTrainActions();
  statusBar()->showMessage(tr("Opened %1.").arg(QDir::toNativeSeparators(m_doc.path())), 5000);
  return true;
}

bool MainWindow::openPath(const QString& path) {
  if (m_controller->isRunning()) {
    statusBar()->showMessage(tr("Stop the training before opening %1.").arg(QFileInfo(path).fileName()), 6000);
    return false;
  }
  if (!maybeSaveChanges(tr("opening %1").arg(QFileInfo(path).fileName()))) return false;
  QString error;
  if (QFileInfo(path).suffix().compare(QLatin1String("json"), Qt::CaseInsensitive) == 0) {
    // An architecture: the layers and settings, no weights.
    if (!m_builder->loadFromFile(path, &error)) {
      if (!error.contains(path)) error = tr("%1: %2").arg(QDir::toNativeSeparators(path), error);
      showError(tr("Open architecture"), error, QStringLiteral("modelErrorBox"));
      return false;
    }
    clearRun();
    setModified(true);  // an architecture not yet saved as a model
    updateTitle();
    updateTrainActions();
    settings::rememberFolder(path);
    statusBar()->showMessage(tr("Imported the architecture %1 (no weights: press Train).")
                                 .arg(QDir::toNativeSeparators(QFileInfo(path).absoluteFilePath())),
                             8000);
    return true;
  }
  if (!openModel(path, &error)) {
    showError(tr("Open model"), error, QStringLiteral("modelErrorBox"));
    return false;
  }
  return true;
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.size() == 1 && urls.first().isLocalFile() && isModelPath(urls.first().toLocalFile()) &&
      !m_controller->isRunning())
    event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.size() != 1 || !urls.first().isLocalFile() || !isModelPath(urls.first().toLocalFile())) return;
  event->acceptProposedAction();
  const QString path = urls.first().toLocalFile();
  // Not inside the drop: a prompt or an error box would block the drag source.
  QTimer::singleShot(0, this, [this, path] { openPath(path); });
}

QProgressDialog* MainWindow::downloadDialog() const { return m_download ? m_download->dialog() : nullptr; }

bool MainWindow::isDownloading() const { return m_download && m_download->isRunning(); }

void MainWindow::downloadFromMenu(const DownloadSpec& spec) {
  if (isDownloading()) return;
  const QString folder = DatasetDownloader::defaultFolder(spec);
  if (!DownloadDialog::confirm(this, spec, folder)) return;
  downloadDataset(spec, folder);
}

void MainWindow::downloadDataset(const DownloadSpec& spec, const QString& folder) {
  if (isDownloading()) return;
  auto* download = new DownloadDialog(spec, this);
  m_download = download;
  connect(download, &DownloadDialog::message, this,
          [this](const QString& text) { statusBar()->showMessage(text, 6000); });
  connect(download, &DownloadDialog::finished, this,
          [this, spec](bool ok, bool cancelled, const QString& message, const QString& where) {
            if (!ok) {
              if (cancelled)
                statusBar()->showMessage(tr("Download of %1 cancelled.").arg(spec.displayName), 5000);
              else
                showError(tr("Download %1").arg(spec.displayName), message, QStringLiteral("downloadErrorBox"));
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
  download->start(folder);
}

void MainWindow::offerDownloadedDatasets() {
  const DownloadSpec mnist = DatasetDownloader::mnistSpec();
  const QString mnistFolder = DatasetDownloader::defaultFolder(mnist);
  if (hasAllFiles(mnist, mnistFolder)) m_trainingPanel->addDatasetFolder(tr("MNIST (downloaded)"), mnistFolder, false);
  // A downloaded Fashion-MNIST is already the panel's "Fashion-MNIST" entry when fashionMnistFolder()
  // finds it; otherwise offer it here.
  const DownloadSpec fashion = DatasetDownloader::fashionSpec();
  const QString fashionFolder = DatasetDownloader::defaultFolder(fashion);
  if (fashionMnistFolder().empty() && hasAllFiles(fashion, fashionFolder))
    m_trainingPanel->addDatasetFolder(tr("Fashion-MNIST (downloaded)"), fashionFolder, false);
}

}  // namespace dl
