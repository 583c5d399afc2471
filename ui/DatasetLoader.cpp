// Background dataset loading with QtConcurrent; exceptions do not cross threads, so they travel
// back as text.

#include "DatasetLoader.h"

#include "data/IdxReader.h"
#include "data/MyDigits.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace dl {

namespace {

struct LoadOutcome {
  std::shared_ptr<const DatasetPair> data;
  QString error;
};

}  // namespace

DatasetLoader::DatasetLoader(QObject* parent) : QObject(parent) {}

void DatasetLoader::load(const QString& choice) {
  const int generation = ++m_generation;
  ++m_inFlight;
  auto* watcher = new QFutureWatcher<LoadOutcome>(this);
  connect(watcher, &QFutureWatcher<LoadOutcome>::finished, this, [this, watcher, generation, choice] {
    const LoadOutcome outcome = watcher->result();
    watcher->deleteLater();
    --m_inFlight;
    if (generation != m_generation) return;  // a newer choice superseded this one
    if (outcome.data)
      emit loaded(choice, outcome.data);
    else
      emit failed(choice, outcome.error);
  });
  const std::string spec = choice.toStdString();
  watcher->setFuture(QtConcurrent::run([spec] {
    LoadOutcome outcome;
    try {
      outcome.data = std::make_shared<const DatasetPair>(dl::loadDatasetOrMyDigits(spec));
    } catch (const std::exception& e) {
      outcome.error = QString::fromUtf8(e.what());
    }
    return outcome;
  }));
}

}  // namespace dl
