#pragma once
// Loads datasets in the background for the window: load("embedded" | "fashion" | "mnist" | "my" |
// a folder; "my" is the person's own digits, as train and test set, dl::loadDatasetOrMyDigits) reads the files on a
// pool thread (dl::loadDataset) and reports in the GUI thread. A newer load supersedes an older one still in flight:
// only the newest choice is reported.

#include "data/Dataset.h"

#include <QObject>
#include <QString>

#include <memory>

namespace dl {

class DatasetLoader : public QObject {
  Q_OBJECT

 public:
  explicit DatasetLoader(QObject* parent = nullptr);

  void load(const QString& choice);
  bool isLoading() const { return m_inFlight > 0; }

 signals:
  void loaded(const QString& choice, std::shared_ptr<const dl::DatasetPair> data);
  // `error` names the file and what is wrong with it.
  void failed(const QString& choice, const QString& error);

 private:
  int m_inFlight = 0;
  int m_generation = 0;
};

}  // namespace dl
