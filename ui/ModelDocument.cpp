// The window's model document: weights, history, metrics, file and the save/open rules.

#include "ModelDocument.h"

#include "nn/Model.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <cmath>
#include <exception>

namespace dl {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("ModelDocument", text); }

// An exception's text, prefixed with the file when it does not name it already.
QString problem(const QString& path, const std::exception& e) {
  QString why = QString::fromUtf8(e.what());
  if (!why.contains(path)) why = tr("%1: %2").arg(QDir::toNativeSeparators(path), why);
  return why;
}

}  // namespace

bool ModelDocument::hasFinalMetrics() const {
  const ModelFileMetadata& m = m_metadata;
  return std::isfinite(m.trainLoss) || std::isfinite(m.trainAccuracy) || std::isfinite(m.testLoss) ||
         std::isfinite(m.testAccuracy);
}

void ModelDocument::setPath(const QString& path) {
  m_path = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
}

void ModelDocument::reset() { *this = ModelDocument{}; }

void ModelDocument::beginRun(const std::string& dataset, bool continuing) {
  if (!continuing) {
    m_weights.clear();
    m_weightsSpec = ModelSpec{};
    m_hasWeights = false;
    m_lastFit.reset();
    m_history = TrainingHistory{};
  }
  m_metadata = ModelFileMetadata{};
  m_metadata.dataset = dataset;
}

void ModelDocument::addBatches(const std::vector<BatchLog>& batches) {
  for (const BatchLog& b : batches) m_history.addBatch(b);
}

void ModelDocument::addEpoch(const EpochLog& epoch) { m_history.addEpoch(epoch); }

void ModelDocument::setWeights(const ModelSpec& spec, const std::vector<Matrix>& weights) {
  m_weightsSpec = spec;
  m_weights = weights;
  m_hasWeights = true;
  m_lastFit.reset();
}

void ModelDocument::setFinalMetrics(double trainLoss, double trainAccuracy, double testLoss, double testAccuracy) {
  m_metadata.trainLoss = trainLoss;
  m_metadata.trainAccuracy = trainAccuracy;
  m_metadata.testLoss = testLoss;
  m_metadata.testAccuracy = testAccuracy;
}

bool ModelDocument::weightsFit(const ModelSpec& spec) const {
  if (!m_hasWeights) return false;
  if (m_lastFit && m_lastFit->inputShape == spec.inputShape && m_lastFit->layers == spec.layers) return m_lastFit->fits;
  bool fits = false;
  try {
    Model model(spec, spec.training.seed);
    model.setWeights(m_weights);
    fits = true;
  } catch (const std::exception&) {
  }
  m_lastFit = FitAnswer{spec.inputShape, spec.layers, fits};
  return fits;
}

bool ModelDocument::open(const QString& path, ModelSpec* spec, QString* error) {
  ModelFileContents contents;
  try {
    contents = loadModelFile(path);
    (void)buildModel(contents);  // the drawing panel must be able to use the weights
  } catch (const std::exception& e) {
    if (error) *error = problem(path, e);
    return false;
  }
  if (spec) *spec = contents.spec;
  m_weightsSpec = contents.spec;
  m_weights = std::move(contents.weights);
  m_hasWeights = true;
  m_lastFit.reset();
  m_history = std::move(contents.metadata.history);
  m_metadata = std::move(contents.metadata);
  m_metadata.history = TrainingHistory{};
  setPath(path);
  m_modified = false;
  return true;
}

ModelDocument::SaveResult ModelDocument::save(const QString& path, const ModelSpec& spec, bool freshWeightsIfMismatch,
                                              const std::string& dataset, QString* error) {
  const auto fail = [&](const QString& why, SaveResult result = SaveResult::Failed) {
    if (error) *error = why;
    return result;
  };
  if (path.isEmpty()) return fail(tr("No file name given."));
  try {
    Model model(spec, spec.training.seed);
    bool fits = false;
    if (m_hasWeights) {
      try {
        model.setWeights(m_weights);
        fits = true;
      } catch (const std::exception&) {
      }
    }
    if (m_hasWeights && !fits && !freshWeightsIfMismatch)
      return fail(tr("%1: the trained weights no longer fit the architecture (layers were added, removed or resized "
                     "since the training)")
                      .arg(QDir::toNativeSeparators(path)),
                  SaveResult::WeightsDoNotFit);
    if (fits) {
      ModelFileMetadata metadata = m_metadata;
      metadata.history = m_history;
      saveModelFile(path, model, metadata);
    } else {
      // Nothing trained for this architecture: freshly initialised weights, no history.
      ModelFileMetadata fresh;
      fresh.dataset = dataset;
      fresh.runs = m_metadata.runs;
      saveModelFile(path, model, fresh);
    }
  } catch (const std::exception& e) {
    return fail(problem(path, e));
  }
  setPath(path);
  m_modified = false;
  return SaveResult::Saved;
}

}  // namespace dl
