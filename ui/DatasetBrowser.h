#pragma once
// The dataset browser: what the network will learn from. Shows the dataset's name and source, its
// size, a grid of sample images (one row per class, N random samples of that class from the
// training or the test set, as MNIST stores them: white ink on black) and, per class, how many
// training and test images there are (a table, and bars of each class's share of its split, so an
// unbalanced dataset shows at a glance).
//
// Usage (this API is what the main window relies on; keep it stable):
//   browser->setDataset(pair);           // std::shared_ptr<const DatasetPair>; shared, not copied
//   browser->setDataset(nullptr);        // nothing loaded: "No dataset loaded"
//   browser->setMyDigits(store);         // adds the "Dataset: Loaded dataset | My digits" choice:
//                                        // my digits as thumbnails to relabel and delete (MyDigitsView)
// The browser only reads the dataset; it never changes it.

#include "data/Dataset.h"

#include <QImage>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <memory>
#include <vector>

class QComboBox;
class QStackedWidget;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace dl {

class MyDigitsStore;
class MyDigitsView;

class DatasetBrowser : public QWidget {
  Q_OBJECT

 public:
  enum class Split { Train, Test };

  explicit DatasetBrowser(QWidget* parent = nullptr);
  ~DatasetBrowser() override;

  // Shows this dataset (nullptr or an empty pair: nothing loaded). Draws new random samples.
  void setDataset(std::shared_ptr<const DatasetPair> data);
  // The same for a pair the caller keeps: the browser takes a copy.
  void setDataset(const DatasetPair& data);
  std::shared_ptr<const DatasetPair> dataset() const { return m_data; }

  // Which split the samples come from (default Train). Draws new samples.
  void setSplit(Split split);
  Split split() const { return m_split; }
  // Samples per class row, 1..40 (default 12). Draws new samples.
  void setSamplesPerClass(int n);
  int samplesPerClass() const { return m_samplesPerClass; }
  // Seed of the random sample choice: the same seed, dataset and split show the same samples.
  void setSeed(uint64_t seed);

  // Indices into the shown split's images, one list per class (row) in class order; a class with
  // fewer images than samplesPerClass() has fewer. Empty without a dataset.
  const std::vector<std::vector<int>>& sampleIndices() const { return m_samples; }
  // Images per class in the training and the test set (what the table shows), classes in order.
  const std::vector<int>& trainCounts() const { return m_trainCounts; }
  const std::vector<int>& testCounts() const { return m_testCounts; }
  // The sample grid as painted now (device-independent pixels, devicePixelRatio 1).
  QImage sampleGridImage() const;

  // The person's own digits (null: no "My digits" choice, the loaded dataset only).
  void setMyDigits(MyDigitsStore* store);
  // Shows my digits (true) or the loaded dataset (false), as the "Dataset" choice does.
  void showMyDigits(bool show);
  bool isShowingMyDigits() const;
  MyDigitsView* myDigitsView() const { return m_myDigitsView; }
  QComboBox* viewChoice() const { return m_viewChoice; }

 public slots:
  // Draws other random samples (a new seed).
  void showOtherSamples();

 private:
  class SampleGrid;
  class CountBars;

  void updateAll();
  void updateHeader();
  void updateCounts();
  void drawSamples();
  const Dataset* shownSplit() const;
  int classCount() const;

  std::shared_ptr<const DatasetPair> m_data;
  Split m_split = Split::Train;
  int m_samplesPerClass = 12;
  uint64_t m_seed = 1;
  std::vector<std::vector<int>> m_samples;
  std::vector<int> m_trainCounts;
  std::vector<int> m_testCounts;

  QLabel* m_title = nullptr;
  QLabel* m_source = nullptr;
  QLabel* m_summary = nullptr;
  QComboBox* m_splitBox = nullptr;
  QSpinBox* m_perClassBox = nullptr;
  QPushButton* m_otherButton = nullptr;
  SampleGrid* m_grid = nullptr;
  QTableWidget* m_table = nullptr;
  CountBars* m_bars = nullptr;
  QWidget* m_choiceRow = nullptr;
  QComboBox* m_viewChoice = nullptr;
  QStackedWidget* m_pages = nullptr;
  MyDigitsView* m_myDigitsView = nullptr;
};

}  // namespace dl
