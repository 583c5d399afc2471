// The dataset browser: header, sample grid (one row per class), per-class counts as a table and
// as share bars. See DatasetBrowser.h.

#include "DatasetBrowser.h"

#include "MyDigitsView.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHelpEvent>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollArea>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStyle>
#include <QTableWidget>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <random>

namespace dl {
namespace {

constexpr int kDefaultClasses = 10;
const QColor kTrainColor(0x4c, 0x78, 0xa8);  // blue
const QColor kTestColor(0xf5, 0x85, 0x18);   // orange

QString number(qint64 n) { return QLocale(QLocale::English).toString(n); }

// One sample as MNIST stores it: 0 black background, 255 white ink.
QImage sampleImage(const Dataset& d, int index) {
  QImage img(d.cols, d.rows, QImage::Format_Grayscale8);
  const float* px = d.image(index);
  for (int y = 0; y < d.rows; ++y) {
    uchar* line = img.scanLine(y);
    for (int x = 0; x < d.cols; ++x) line[x] = uchar(std::lround(std::clamp(px[y * d.cols + x], 0.0f, 1.0f) * 255.0f));
  }
  return img;
}

std::vector<int> countPerClass(const Dataset& d, int classes) {
  std::vector<int> counts(size_t(classes), 0);
  for (int i = 0; i < d.count; ++i)
    if (d.labels[size_t(i)] < classes) ++counts[d.labels[size_t(i)]];
  return counts;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The samples: a row per class, its name on the left, then its tiles enlarged by a whole factor
// with nearest-neighbour scaling (pixels stay crisp squares). A tooltip names the image under the mouse.
class DatasetBrowser::SampleGrid : public QWidget {
 public:
  explicit SampleGrid(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("sampleGrid"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
  }

  void setContent(const QStringList& names, std::vector<std::vector<QImage>> tiles,
                  std::vector<std::vector<int>> indices, const QString& splitName, int columns) {
    m_names = names;
    m_tiles = std::move(tiles);
    m_indices = std::move(indices);
    m_splitName = splitName;
    m_columns = columns;
    m_side = 56;
    for (const auto& row : m_tiles)
      if (!row.empty()) {
        const int big = std::max(row.front().width(), row.front().height());
        m_side = big * std::max(1, 56 / std::max(1, big));
        break;
      }
    updateGeometry();
    update();
  }

  QSize sizeHint() const override {
    if (m_tiles.empty()) return {480, 200};
    return {kMargin * 2 + labelWidth() + m_columns * (m_side + kGap),
            kMargin * 2 + int(m_tiles.size()) * (m_side + kGap) - kGap};
  }
  QSize minimumSizeHint() const override { return sizeHint(); }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    if (m_tiles.empty()) {
      p.setPen(palette().color(QPalette::PlaceholderText));
      p.drawText(rect(), Qt::AlignCenter, tr("No dataset loaded"));
      return;
    }
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    const int labelW = labelWidth();
    for (size_t row = 0; row < m_tiles.size(); ++row) {
      const int y = kMargin + int(row) * (m_side + kGap);
      p.setPen(palette().color(QPalette::WindowText));
      p.drawText(QRect(kMargin, y, labelW - kLabelGap, m_side), Qt::AlignRight | Qt::AlignVCenter,
                 row < size_t(m_names.size()) ? m_names[int(row)] : QString::number(row));
      if (m_tiles[row].empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(QRect(kMargin + labelW, y, m_columns * (m_side + kGap), m_side), Qt::AlignLeft | Qt::AlignVCenter,
                   tr("no %1 images of this class").arg(m_splitName));
        continue;
      }
      for (size_t col = 0; col < m_tiles[row].size(); ++col)
        p.drawImage(tileRect(int(row), int(col)), m_tiles[row][col]);
    }
  }

  bool event(QEvent* e) override {
    if (e->type() == QEvent::ToolTip) {
      const auto* help = static_cast<QHelpEvent*>(e);
      for (size_t row = 0; row < m_tiles.size(); ++row)
        for (size_t col = 0; col < m_tiles[row].size(); ++col)
          if (tileRect(int(row), int(col)).contains(help->pos())) {
            QToolTip::showText(
                help->globalPos(),
                tr("%1 image #%2, class %3").arg(m_splitName).arg(m_indices[row][col]).arg(m_names.value(int(row))),
                this);
            return true;
          }
      QToolTip::hideText();
      e->ignore();
      return true;
    }
    return QWidget::event(e);
  }

 private:
  static constexpr int kMargin = 6;
  static constexpr int kGap = 4;
  static constexpr int kLabelGap = 10;

  int labelWidth() const {
    int w = 0;
    for (const QString& n : m_names) w = std::max(w, fontMetrics().horizontalAdvance(n));
    return w + kLabelGap;
  }
  QRect tileRect(int row, int col) const {
    return {kMargin + labelWidth() + col * (m_side + kGap), kMargin + row * (m_side + kGap), m_side, m_side};
  }

  QStringList m_names;
  std::vector<std::vector<QImage>> m_tiles;
  std::vector<std::vector<int>> m_indices;
  QString m_splitName;
  int m_columns = 0;
  int m_side = 56;
};

// ---------------------------------------------------------------------------------------------
// Each class's share of the training and of the test set as two bars, scaled to the largest
// share, so a class the dataset has too few of stands out.
class DatasetBrowser::CountBars : public QWidget {
 public:
  explicit CountBars(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("classShareBars"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
  }

  void setData(const QStringList& names, const std::vector<int>& train, const std::vector<int>& test) {
    m_names = names;
    m_train = train;
    m_test = test;
    updateGeometry();
    update();
  }

  QSize sizeHint() const override { return {300, kLegend + int(m_names.size()) * (2 * kBar + kRowGap) + 4}; }
  QSize minimumSizeHint() const override { return {220, sizeHint().height()}; }

 protected:
  void paintEvent(QPaintEvent*) override {
    if (m_names.isEmpty()) return;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    const QFontMetrics fm = fontMetrics();
    const qint64 trainTotal = std::max<qint64>(1, sum(m_train));
    const qint64 testTotal = std::max<qint64>(1, sum(m_test));
    double top = 0;
    for (int c = 0; c < m_names.size(); ++c)
      top = std::max({top, share(m_train, c, trainTotal), share(m_test, c, testTotal)});
    if (top <= 0) top = 1;

    // Legend.
    int x = 0;
    for (const auto& [color, text] :
         {std::pair{kTrainColor, tr("training set")}, std::pair{kTestColor, tr("test set")}}) {
      p.fillRect(QRect(x, (kLegend - 10) / 2 - 2, 10, 10), color);
      p.setPen(palette().color(QPalette::WindowText));
      p.drawText(QRect(x + 14, 0, 200, kLegend - 4), Qt::AlignLeft | Qt::AlignVCenter, text);
      x += 14 + fm.horizontalAdvance(text) + 16;
    }

    int labelW = 0;
    for (const QString& n : m_names) labelW = std::max(labelW, fm.horizontalAdvance(n));
    labelW += 8;
    const int percentW = fm.horizontalAdvance(QStringLiteral("100.0%")) + 6;
    const int barMax = std::max(10, width() - labelW - percentW);
    for (int c = 0; c < m_names.size(); ++c) {
      const int y = kLegend + c * (2 * kBar + kRowGap);
      p.setPen(palette().color(QPalette::WindowText));
      p.drawText(QRect(0, y, labelW - 8, 2 * kBar), Qt::AlignRight | Qt::AlignVCenter, m_names[c]);
      const double shares[2] = {share(m_train, c, trainTotal), share(m_test, c, testTotal)};
      for (int s = 0; s < 2; ++s) {
        const int w = int(std::lround(barMax * shares[s] / top));
        const QRect bar(labelW, y + s * kBar, w, kBar - 1);
        p.fillRect(bar, s == 0 ? kTrainColor : kTestColor);
        p.setPen(palette().color(QPalette::PlaceholderText));
        QFont small = font();
        if (small.pointSizeF() > 0) small.setPointSizeF(small.pointSizeF() * 0.85);
        p.setFont(small);
        p.drawText(QRect(bar.right() + 4, bar.top(), percentW, kBar), Qt::AlignLeft | Qt::AlignVCenter,
                   QString::number(shares[s] * 100, 'f', 1) + QLatin1Char('%'));
        p.setFont(font());
      }
    }
  }

 private:
  static constexpr int kBar = 12;
  static constexpr int kRowGap = 6;
  static constexpr int kLegend = 22;

  static qint64 sum(const std::vector<int>& v) {
    qint64 s = 0;
    for (int n : v) s += n;
    return s;
  }
  static double share(const std::vector<int>& v, int c, qint64 total) {
    return c < int(v.size()) ? double(v[size_t(c)]) / double(total) : 0.0;
  }

  QStringList m_names;
  std::vector<int> m_train;
  std::vector<int> m_test;
};

// ---------------------------------------------------------------------------------------------

DatasetBrowser::DatasetBrowser(QWidget* parent) : QWidget(parent) {
  m_title = new QLabel(this);
  m_title->setObjectName(QStringLiteral("datasetName"));
  QFont titleFont = m_title->font();
  titleFont.setBold(true);
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
  m_title->setFont(titleFont);
  m_source = new QLabel(this);
  m_source->setObjectName(QStringLiteral("datasetSource"));
  m_source->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_source->setWordWrap(true);
  m_summary = new QLabel(this);
  m_summary->setObjectName(QStringLiteral("datasetSummary"));
  m_summary->setWordWrap(true);  // a narrow tab wraps it rather than cutting it

  m_splitBox = new QComboBox(this);
  m_splitBox->setObjectName(QStringLiteral("splitBox"));
  m_splitBox->addItem(tr("training set"));
  m_splitBox->addItem(tr("test set"));
  m_perClassBox = new QSpinBox(this);
  m_perClassBox->setObjectName(QStringLiteral("samplesPerClassSpin"));
  m_perClassBox->setRange(1, 40);
  m_perClassBox->setValue(m_samplesPerClass);
  m_perClassBox->setToolTip(tr("How many images of each class to show"));
  m_splitBox->setToolTip(
      tr("Show images from the training set (what the network learns from) or the test set "
         "(what it is scored on)"));
  m_otherButton = new QPushButton(tr("Show other samples"), this);
  m_otherButton->setObjectName(QStringLiteral("otherSamplesButton"));
  m_otherButton->setToolTip(tr("Draw other random images of each class"));

  m_grid = new SampleGrid(this);
  auto* gridScroll = new QScrollArea(this);
  gridScroll->setWidget(m_grid);
  gridScroll->setWidgetResizable(true);
  gridScroll->setFrameShape(QFrame::NoFrame);

  m_table = new QTableWidget(this);
  m_table->setObjectName(QStringLiteral("classCounts"));
  m_table->setColumnCount(3);
  m_table->setHorizontalHeaderLabels({tr("Class"), tr("Training"), tr("Test")});
  m_table->verticalHeader()->hide();
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setSelectionMode(QAbstractItemView::NoSelection);
  m_table->setFocusPolicy(Qt::NoFocus);
  m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  m_table->setWordWrap(false);
  m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
  m_bars = new CountBars(this);

  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel(tr("Show"), this));
  controls->addWidget(m_perClassBox);
  controls->addWidget(new QLabel(tr("images per class from the"), this));
  controls->addWidget(m_splitBox);
  controls->addSpacing(12);
  controls->addWidget(m_otherButton);
  controls->addStretch(1);

  auto* countsTitle = new QLabel(tr("Images per class"), this);
  QFont bold = countsTitle->font();
  bold.setBold(true);
  countsTitle->setFont(bold);
  // The counts column keeps a modest width; the grid gets the rest (and scrolls when short of it).
  // The table comes first, whole; the share bars below it scroll when the tab is short.
  auto* side = new QWidget;
  auto* right = new QVBoxLayout(side);
  right->setContentsMargins(0, 0, 0, 0);
  right->addWidget(countsTitle);
  right->addWidget(m_table);
  right->addSpacing(8);
  right->addWidget(m_bars);
  right->addStretch(1);
  auto* sideScroll = new QScrollArea(this);
  sideScroll->setObjectName(QStringLiteral("classCountsColumn"));
  sideScroll->setWidget(side);
  sideScroll->setWidgetResizable(true);
  sideScroll->setFrameShape(QFrame::NoFrame);
  sideScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  const int scrollBar = sideScroll->style()->pixelMetric(QStyle::PM_ScrollBarExtent);
  sideScroll->setFixedWidth(250 + scrollBar);

  auto* body = new QHBoxLayout;
  body->addWidget(gridScroll, 1);
  body->addSpacing(12);
  body->addWidget(sideScroll);

  // What the tab shows: the loaded dataset, or "My digits" (once the window gives the store).
  m_viewChoice = new QComboBox(this);
  m_viewChoice->setObjectName(QStringLiteral("dataViewChoice"));
  m_viewChoice->addItem(tr("Loaded dataset"));
  m_viewChoice->addItem(tr("My digits"));
  m_viewChoice->setToolTip(tr("The dataset loaded for training, or the digits you added from the drawing panel"));
  m_myDigitsView = new MyDigitsView(this);
  auto* loadedPage = new QWidget(this);
  m_pages = new QStackedWidget(this);
  m_pages->addWidget(loadedPage);
  m_pages->addWidget(m_myDigitsView);
  m_choiceRow = new QWidget(this);
  auto* choiceRow = new QHBoxLayout(m_choiceRow);
  choiceRow->setContentsMargins(0, 0, 0, 0);
  choiceRow->addWidget(new QLabel(tr("Dataset:"), m_choiceRow));
  choiceRow->addWidget(m_viewChoice);
  choiceRow->addStretch(1);
  m_choiceRow->hide();
  auto* outer = new QVBoxLayout(this);
  outer->addWidget(m_choiceRow);
  outer->addWidget(m_pages, 1);

  auto* layout = new QVBoxLayout(loadedPage);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_title);
  layout->addWidget(m_source);
  layout->addWidget(m_summary);
  layout->addSpacing(6);
  layout->addLayout(controls);  // across the whole width: it fits a narrow tab on one row
  layout->addLayout(body, 1);

  connect(m_splitBox, &QComboBox::currentIndexChanged, this,
          [this](int index) { setSplit(index == 1 ? Split::Test : Split::Train); });
  connect(m_perClassBox, &QSpinBox::valueChanged, this, [this](int n) { setSamplesPerClass(n); });
  connect(m_otherButton, &QPushButton::clicked, this, &DatasetBrowser::showOtherSamples);
  connect(m_viewChoice, &QComboBox::currentIndexChanged, this, [this](int index) { showMyDigits(index == 1); });

  updateAll();
}

DatasetBrowser::~DatasetBrowser() = default;

void DatasetBrowser::setDataset(std::shared_ptr<const DatasetPair> data) {
  m_data = std::move(data);
  updateAll();
}

void DatasetBrowser::setDataset(const DatasetPair& data) { setDataset(std::make_shared<const DatasetPair>(data)); }

void DatasetBrowser::setSplit(Split split) {
  if (split == m_split) return;
  m_split = split;
  const QSignalBlocker block(m_splitBox);
  m_splitBox->setCurrentIndex(split == Split::Test ? 1 : 0);
  drawSamples();
}

void DatasetBrowser::setSamplesPerClass(int n) {
  n = std::clamp(n, 1, 40);
  if (n == m_samplesPerClass) return;
  m_samplesPerClass = n;
  const QSignalBlocker block(m_perClassBox);
  m_perClassBox->setValue(n);
  drawSamples();
}

void DatasetBrowser::setSeed(uint64_t seed) {
  m_seed = seed;
  drawSamples();
}

void DatasetBrowser::showOtherSamples() { setSeed(QRandomGenerator::global()->generate64()); }

QImage DatasetBrowser::sampleGridImage() const {
  QImage img(m_grid->size(), QImage::Format_ARGB32_Premultiplied);
  img.fill(palette().color(QPalette::Window));
  m_grid->render(&img);
  return img;
}

const Dataset* DatasetBrowser::shownSplit() const {
  if (!m_data) return nullptr;
  return m_split == Split::Test ? &m_data->test : &m_data->train;
}

int DatasetBrowser::classCount() const {
  if (!m_data) return 0;
  return m_data->classNames.empty() ? kDefaultClasses : int(m_data->classNames.size());
}

void DatasetBrowser::updateAll() {
  if (m_data && m_data->train.empty() && m_data->test.empty()) m_data.reset();
  updateHeader();
  updateCounts();
  drawSamples();
  m_splitBox->setEnabled(m_data != nullptr);
  m_perClassBox->setEnabled(m_data != nullptr);
  m_otherButton->setEnabled(m_data != nullptr);
}

void DatasetBrowser::updateHeader() {
  if (!m_data) {
    m_title->setText(tr("No dataset loaded"));
    m_source->clear();
    m_summary->clear();
    return;
  }
  m_title->setText(QString::fromStdString(m_data->name));
  const QString source = QString::fromStdString(m_data->source);
  m_source->setText(source.startsWith(QLatin1String(":/")) ? tr("Source: built into DigitLab (%1)").arg(source)
                                                           : tr("Source: %1").arg(source));
  const Dataset& any = m_data->train.empty() ? m_data->test : m_data->train;
  m_summary->setText(tr("%1 training images · %2 test images · %3×%4 pixels, greyscale · %5 classes")
                         .arg(number(m_data->train.count), number(m_data->test.count))
                         .arg(any.cols)
                         .arg(any.rows)
                         .arg(classCount()));
}

void DatasetBrowser::updateCounts() {
  const int classes = classCount();
  m_trainCounts = m_data ? countPerClass(m_data->train, classes) : std::vector<int>();
  m_testCounts = m_data ? countPerClass(m_data->test, classes) : std::vector<int>();

  QStringList names;
  for (int c = 0; c < classes; ++c)
    names << (size_t(c) < m_data->classNames.size() ? QString::fromStdString(m_data->classNames[size_t(c)])
                                                    : QString::number(c));

  m_table->clearContents();
  m_table->setRowCount(classes > 0 ? classes + 1 : 0);
  auto setRow = [this](int row, const QString& name, qint64 train, qint64 test, bool total) {
    auto* nameItem = new QTableWidgetItem(name);
    auto* trainItem = new QTableWidgetItem(number(train));
    auto* testItem = new QTableWidgetItem(number(test));
    trainItem->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    testItem->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    trainItem->setData(Qt::UserRole, train);
    testItem->setData(Qt::UserRole, test);
    if (total) {
      QFont bold = m_table->font();
      bold.setBold(true);
      for (QTableWidgetItem* item : {nameItem, trainItem, testItem}) item->setFont(bold);
    }
    m_table->setItem(row, 0, nameItem);
    m_table->setItem(row, 1, trainItem);
    m_table->setItem(row, 2, testItem);
  };
  qint64 trainSum = 0, testSum = 0;
  for (int c = 0; c < classes; ++c) {
    setRow(c, names[c], m_trainCounts[size_t(c)], m_testCounts[size_t(c)], false);
    trainSum += m_trainCounts[size_t(c)];
    testSum += m_testCounts[size_t(c)];
  }
  if (classes > 0) setRow(classes, tr("Total"), trainSum, testSum, true);
  m_table->resizeColumnsToContents();
  m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  int height = m_table->horizontalHeader()->height() + 2 * m_table->frameWidth();
  for (int r = 0; r < m_table->rowCount(); ++r) height += m_table->rowHeight(r);
  m_table->setFixedHeight(height);

  m_bars->setData(names, m_trainCounts, m_testCounts);
  m_bars->setVisible(classes > 0);
}

void DatasetBrowser::drawSamples() {
  m_samples.clear();
  const Dataset* d = shownSplit();
  const int classes = classCount();
  QStringList names;
  std::vector<std::vector<QImage>> tiles;
  if (d) {
    std::vector<std::vector<int>> byClass(static_cast<size_t>(classes));
    for (int i = 0; i < d->count; ++i)
      if (d->labels[size_t(i)] < classes) byClass[d->labels[size_t(i)]].push_back(i);
    std::mt19937_64 rng(m_seed * 2 + (m_split == Split::Test ? 1 : 0));
    for (int c = 0; c < classes; ++c) {
      std::vector<int> chosen;
      std::sample(byClass[size_t(c)].begin(), byClass[size_t(c)].end(), std::back_inserter(chosen), m_samplesPerClass,
                  rng);
      std::vector<QImage> row;
      for (int i : chosen) row.push_back(sampleImage(*d, i));
      tiles.push_back(std::move(row));
      m_samples.push_back(std::move(chosen));
      names << (size_t(c) < m_data->classNames.size() ? QString::fromStdString(m_data->classNames[size_t(c)])
                                                      : QString::number(c));
    }
  }
  m_grid->setContent(names, std::move(tiles), m_samples, m_split == Split::Test ? tr("test") : tr("training"),
                     m_samplesPerClass);
}

void DatasetBrowser::setMyDigits(MyDigitsStore* store) {
  m_myDigitsView->setStore(store);
  m_choiceRow->setVisible(store != nullptr);
  if (!store) showMyDigits(false);
}

void DatasetBrowser::showMyDigits(bool show) {
  m_viewChoice->setCurrentIndex(show ? 1 : 0);
  m_pages->setCurrentIndex(show ? 1 : 0);
}

bool DatasetBrowser::isShowingMyDigits() const { return m_pages->currentIndex() == 1; }

}  // namespace dl
