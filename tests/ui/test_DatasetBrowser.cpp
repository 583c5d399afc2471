// Tests of the dataset browser (ui/DatasetBrowser.h): the counts it shows are the dataset's, the
// grid shows images of the class of its row, the split/sample controls work, and an empty or
// absent dataset shows nothing. Headless (offscreen platform); saves a screenshot to the temp folder.

#include "DatasetBrowser.h"
#include "QuietOffscreen.h"
#include "data/IdxReader.h"

#include <QComboBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>

#include <memory>

using namespace dl;

namespace {

// A small dataset: `labels` decide the classes; image i is a bright square whose size depends on i.
Dataset makeDataset(const std::vector<uint8_t>& labels) {
  Dataset d;
  d.count = int(labels.size());
  d.labels = labels;
  d.images.assign(size_t(d.count) * d.pixels(), 0.0f);
  for (int i = 0; i < d.count; ++i)
    for (int y = 8; y < 20; ++y)
      for (int x = 8; x < 20; ++x) d.images[size_t(i) * d.pixels() + y * 28 + x] = 1.0f;
  return d;
}

std::vector<int> countsOf(const Dataset& d) {
  std::vector<int> c(10, 0);
  for (uint8_t l : d.labels) ++c[l];
  return c;
}

// The numbers in a column of the counts table (the Total row last).
std::vector<qint64> column(QTableWidget* t, int col) {
  std::vector<qint64> v;
  for (int r = 0; r < t->rowCount(); ++r) v.push_back(t->item(r, col)->data(Qt::UserRole).toLongLong());
  return v;
}

int brightPixels(const QImage& img) {
  int n = 0;
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) n += qGray(img.pixel(x, y)) > 200;
  return n;
}

int blackPixels(const QImage& img) {
  int n = 0;
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) n += qGray(img.pixel(x, y)) < 10;
  return n;
}

}  // namespace

class TestDatasetBrowser : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    quietOffscreen();
    m_embedded = std::make_shared<const DatasetPair>(loadEmbeddedMnist());
  }

  void countsShownAreTheDatasets() {
    DatasetBrowser b;
    b.setDataset(m_embedded);
    auto* table = b.findChild<QTableWidget*>(QStringLiteral("classCounts"));
    QVERIFY(table);
    QCOMPARE(table->rowCount(), 11);  // ten classes and the total

    const std::vector<int> train = countsOf(m_embedded->train), test = countsOf(m_embedded->test);
    QCOMPARE(b.trainCounts(), train);
    QCOMPARE(b.testCounts(), test);
    const std::vector<qint64> shownTrain = column(table, 1), shownTest = column(table, 2);
    for (int c = 0; c < 10; ++c) {
      QCOMPARE(table->item(c, 0)->text(), QString::number(c));
      QCOMPARE(shownTrain[size_t(c)], qint64(train[size_t(c)]));
      QCOMPARE(shownTest[size_t(c)], qint64(test[size_t(c)]));
      QCOMPARE(table->item(c, 1)->text(), QLocale(QLocale::English).toString(train[size_t(c)]));
    }
    QCOMPARE(table->item(10, 0)->text(), QStringLiteral("Total"));
    QCOMPARE(shownTrain[10], qint64(8000));
    QCOMPARE(shownTest[10], qint64(2000));
    QCOMPARE(table->item(10, 1)->text(), QStringLiteral("8,000"));

    QCOMPARE(b.findChild<QLabel*>(QStringLiteral("datasetName"))->text(), QString::fromStdString(m_embedded->name));
    QVERIFY(b.findChild<QLabel*>(QStringLiteral("datasetSource"))->text().contains(QStringLiteral(":/data/mnist")));
    const QString summary = b.findChild<QLabel*>(QStringLiteral("datasetSummary"))->text();
    QVERIFY2(summary.contains(QStringLiteral("8,000 training")) && summary.contains(QStringLiteral("2,000 test")),
             qPrintable(summary));
  }

  void gridShowsImagesOfEachRowsClass() {
    DatasetBrowser b;
    b.resize(1200, 800);
    b.setDataset(m_embedded);
    b.show();
    QVERIFY(QTest::qWaitForWindowExposed(&b));

    const auto& rows = b.sampleIndices();
    QCOMPARE(int(rows.size()), 10);
    for (int c = 0; c < 10; ++c) {
      QCOMPARE(int(rows[size_t(c)].size()), b.samplesPerClass());
      for (int i : rows[size_t(c)]) QCOMPARE(int(m_embedded->train.labels[size_t(i)]), c);
    }
    // Real digits: black backgrounds and white ink, 120 tiles of 56x56.
    const QImage grid = b.sampleGridImage();
    QVERIFY(grid.width() >= 12 * 56 && grid.height() >= 10 * 56);
    const int black = blackPixels(grid), bright = brightPixels(grid);
    QVERIFY2(black > 120 * 56 * 56 / 2, qPrintable(QString::number(black)));
    QVERIFY2(bright > 120 * 100, qPrintable(QString::number(bright)));

    b.grab().save(QDir::temp().filePath(QStringLiteral("browser.png")));
  }

  void splitSamplesAndSeedControlTheGrid() {
    DatasetBrowser b;
    b.setDataset(m_embedded);
    b.setSeed(7);
    const auto first = b.sampleIndices();
    b.setSeed(7);
    QCOMPARE(b.sampleIndices(), first);                                        // same seed, same samples
    b.findChild<QPushButton*>(QStringLiteral("otherSamplesButton"))->click();  // "Show other samples"
    QVERIFY(b.sampleIndices() != first);

    b.findChild<QComboBox*>(QStringLiteral("splitBox"))->setCurrentIndex(1);  // the test set
    QCOMPARE(b.split(), DatasetBrowser::Split::Test);
    for (int c = 0; c < 10; ++c)
      for (int i : b.sampleIndices()[size_t(c)]) {
        QVERIFY(i < m_embedded->test.count);
        QCOMPARE(int(m_embedded->test.labels[size_t(i)]), c);
      }

    b.findChild<QSpinBox*>(QStringLiteral("samplesPerClassSpin"))->setValue(5);
    QCOMPARE(b.samplesPerClass(), 5);
    for (const auto& row : b.sampleIndices()) QCOMPARE(int(row.size()), 5);
  }

  void aRareClassShowsWhatThereIsAndNamesComeFromTheDataset() {
    DatasetPair pair;
    pair.name = "Tiny";
    pair.source = "/somewhere/tiny";
    pair.classNames = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                       "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    std::vector<uint8_t> labels;
    for (int c = 0; c < 10; ++c)
      for (int k = 0; k < (c == 3 ? 2 : c == 9 ? 0 : 20); ++k) labels.push_back(uint8_t(c));
    pair.train = makeDataset(labels);
    pair.test = makeDataset({0, 1, 2});
    DatasetBrowser b;
    b.setDataset(pair);  // the copying overload
    QCOMPARE(int(b.sampleIndices()[3].size()), 2);
    QCOMPARE(int(b.sampleIndices()[9].size()), 0);
    QCOMPARE(int(b.sampleIndices()[0].size()), 12);
    auto* table = b.findChild<QTableWidget*>(QStringLiteral("classCounts"));
    QCOMPARE(table->item(9, 0)->text(), QStringLiteral("Ankle boot"));
    QCOMPARE(column(table, 1)[3], qint64(2));
    QCOMPARE(column(table, 1)[9], qint64(0));
    QCOMPARE(column(table, 2)[10], qint64(3));
    QCOMPARE(b.findChild<QLabel*>(QStringLiteral("datasetSource"))->text(), QStringLiteral("Source: /somewhere/tiny"));
    b.resize(1100, 760);
    b.grab().save(QDir::temp().filePath(QStringLiteral("browser_rare.png")));
  }

  // At the Data tab's smallest usual size the class table shows every header and count whole,
  // inside the browser, and every control too. With DIGITLAB_SCREENSHOT_DIR set the picture is
  // saved there.
  void classTableIsReadableAt560x440() {
    DatasetBrowser b;
    b.setDataset(m_embedded);
    b.resize(560, 440);
    b.show();
    QVERIFY(QTest::qWaitForWindowExposed(&b));
    QCoreApplication::processEvents();
    const QString dir = qEnvironmentVariable("DIGITLAB_SCREENSHOT_DIR");
    if (!dir.isEmpty()) QVERIFY(b.grab().save(QDir(dir).filePath(QStringLiteral("dataset_560x440.png"))));
    QCOMPARE(b.size(), QSize(560, 440));  // not held larger by its minimum size

    auto* table = b.findChild<QTableWidget*>(QStringLiteral("classCounts"));
    QVERIFY(table && table->isVisible());
    const QRect tableRect(table->mapTo(&b, QPoint(0, 0)), table->size());
    QVERIFY2(b.rect().contains(tableRect), qPrintable(QStringLiteral("table at %1,%2 %3x%4")
                                                          .arg(tableRect.x())
                                                          .arg(tableRect.y())
                                                          .arg(tableRect.width())
                                                          .arg(tableRect.height())));
    QHeaderView* header = table->horizontalHeader();
    const QFontMetrics fm(header->font());
    for (int c = 0; c < table->columnCount(); ++c) {
      const QString text = table->horizontalHeaderItem(c)->text();
      QVERIFY2(header->sectionSize(c) >= fm.horizontalAdvance(text) + 6, qPrintable(text));
      for (int r = 0; r < table->rowCount(); ++r) {
        const QTableWidgetItem* item = table->item(r, c);
        QFont f = item->font();
        QVERIFY2(header->sectionSize(c) >= QFontMetrics(f).horizontalAdvance(item->text()) + 6,
                 qPrintable(item->text()));
      }
    }
    // Every row, the total included, in sight.
    const int last = table->rowCount() - 1;
    QVERIFY(last >= 10);
    QVERIFY(table->rowViewportPosition(last) + table->rowHeight(last) <= table->viewport()->height());
    QVERIFY(header->length() <= table->viewport()->width());
    // ... and in sight in its column.
    auto* column = b.findChild<QWidget*>(QStringLiteral("classCountsColumn"));
    QVERIFY(column);
    const QRect columnRect(column->mapTo(&b, QPoint(0, 0)), column->size());
    QVERIFY(columnRect.contains(tableRect));
    // The controls too.
    QList<QWidget*> controls{b.findChild<QComboBox*>(QStringLiteral("splitBox")),
                             b.findChild<QSpinBox*>(QStringLiteral("samplesPerClassSpin")),
                             b.findChild<QPushButton*>(QStringLiteral("otherSamplesButton"))};
    for (QWidget* w : controls) {
      QVERIFY(w);
      QVERIFY2(b.rect().contains(QRect(w->mapTo(&b, QPoint(0, 0)), w->size())), w->metaObject()->className());
      QVERIFY2(w->width() >= w->sizeHint().width(), w->metaObject()->className());
      QVERIFY2(!w->toolTip().isEmpty(), w->metaObject()->className());
    }
  }

  void noDatasetShowsNothing() {
    DatasetBrowser b;
    b.setDataset(m_embedded);
    b.setDataset(nullptr);
    QCOMPARE(b.findChild<QLabel*>(QStringLiteral("datasetName"))->text(), QStringLiteral("No dataset loaded"));
    QCOMPARE(b.findChild<QTableWidget*>(QStringLiteral("classCounts"))->rowCount(), 0);
    QVERIFY(b.sampleIndices().empty());
    QVERIFY(b.trainCounts().empty());
    QVERIFY(!b.findChild<QPushButton*>(QStringLiteral("otherSamplesButton"))->isEnabled());

    b.setDataset(DatasetPair{});  // empty counts as none
    QVERIFY(b.dataset() == nullptr);
    QVERIFY(b.sampleIndices().empty());
  }

 private:
  std::shared_ptr<const DatasetPair> m_embedded;
};

QTEST_MAIN(TestDatasetBrowser)
#include "test_DatasetBrowser.moc"
