#include "AugmentationPreview.h"

#include "data/DigitPreprocess.h"
#include "nn/Layer.h"
#include "nn/LayerRegistry.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>
#include <tuple>
#include <utility>

namespace dl {

namespace {
constexpr int kGap = 2;  // pixels between cells of the grid, in grid pixels
}

int augmentationPrefixEnd(const ModelSpec& spec, int row) {
  if (row < 0 || row >= int(spec.layers.size())) return -1;
  for (int i = 0; i <= row; ++i)
    if (!layerKindInfo(spec.layers[size_t(i)].kind).augmentation) return -1;
  return row;
}

std::vector<float> augmentImages(const ModelSpec& spec, int last, const float* images, int n, uint64_t seed) {
  if (last < 0 || last >= int(spec.layers.size())) throw SpecError("no augmentation layer selected");
  Rng rng(seed);
  Shape shape = spec.inputShape;
  const int64_t size = shapeSize(shape);
  Matrix x = ConstMatrixMap(images, n, Eigen::Index(size));
  std::vector<std::unique_ptr<Layer>> layers;
  for (int i = 0; i <= last; ++i) {
    const LayerSpec& l = spec.layers[size_t(i)];
    if (!layerKindInfo(l.kind).augmentation)
      throw SpecError(std::string(layerKindName(l.kind)) + " is not an augmentation layer");
    auto layer = makeLayer(l, seed + uint64_t(i) * 0x9E3779B97F4A7C15ull);
    layer->build(shape, rng);
    shape = layer->outputShape();
    x = layer->forward(x, true);
  }
  return std::vector<float>(x.data(), x.data() + x.size());
}

AugmentationPreview::AugmentationPreview(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("augmentationPreview"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 6, 0, 0);
  auto* top = new QHBoxLayout;
  m_title = new QLabel(tr("What training sees"), this);
  m_title->setToolTip(
      tr("Training digits as the data holds them (top row) and, under each, three draws of the "
         "augmentation layers up to the selected one, as they transform the digits while training. "
         "Evaluation and prediction see the digits unchanged."));
  m_roll = new QPushButton(tr("Roll again"), this);
  m_roll->setObjectName(QStringLiteral("augmentationRollButton"));
  m_roll->setToolTip(tr("Draw new random transforms"));
  top->addWidget(m_title, 1);
  top->addWidget(m_roll);
  layout->addLayout(top);
  m_picture = new QLabel(this);
  m_picture->setObjectName(QStringLiteral("augmentationGrid"));
  m_picture->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  m_picture->setCursor(Qt::PointingHandCursor);
  m_picture->setToolTip(tr("Click for new random transforms"));
  // Its width follows the panel (the grid is scaled to it), never the other way round.
  m_picture->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
  layout->addWidget(m_picture);
  m_problem = new QLabel(this);
  m_problem->setWordWrap(true);
  m_problem->hide();
  layout->addWidget(m_problem);
  connect(m_roll, &QPushButton::clicked, this, &AugmentationPreview::reroll);
  hide();
}

void AugmentationPreview::setImages(std::vector<float> pixels, int count, int rows, int cols) {
  m_pixels = std::move(pixels);
  m_count = count;
  m_rows = rows;
  m_cols = cols;
  render();
}

void AugmentationPreview::setModel(const ModelSpec& spec, int selectedRow) {
  m_spec = spec;
  m_last = augmentationPrefixEnd(spec, selectedRow);
  m_afterOtherLayers = m_last < 0 && selectedRow >= 0 && selectedRow < int(spec.layers.size()) &&
                       layerKindInfo(spec.layers[size_t(selectedRow)].kind).augmentation;
  setVisible(m_last >= 0 || m_afterOtherLayers);
  render();
}

QString AugmentationPreview::problem() const { return m_problem->isVisibleTo(this) ? m_problem->text() : QString(); }

void AugmentationPreview::reroll() {
  ++m_seed;
  render();
}

void AugmentationPreview::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton && m_picture->geometry().contains(event->position().toPoint())) {
    reroll();
    event->accept();
    return;
  }
  QWidget::mousePressEvent(event);
}

// As many digits as fit the width at the largest whole scale (up to 3x) that still shows four of
// them, or 1x.
std::pair<int, int> AugmentationPreview::fit(int available) const {
  const int cell = m_cols + kGap;
  for (int scale = 3; scale >= 2; --scale)
    if (available >= 4 * cell * scale) return {std::min(m_count, available / (cell * scale)), scale};
  return {std::clamp(available / cell, 1, std::max(1, m_count)), 1};
}

void AugmentationPreview::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  if (fit(width()) != std::make_pair(m_shown, m_scale)) render();
}

void AugmentationPreview::render() {
  m_grid = QImage();
  m_problem->hide();
  if (m_afterOtherLayers) {
    m_picture->clear();
    m_picture->setFixedHeight(0);
    m_problem->setText(
        tr("The preview shows augmentation layers placed first, on the digits as they come in; "
           "this one works on the output of the layers before it."));
    m_problem->show();
    return;
  }
  if (m_last < 0 || m_count <= 0) {
    m_picture->clear();
    m_picture->setFixedHeight(0);
    if (m_last >= 0) {
      m_problem->setText(tr("The training digits show here once the data has loaded."));
      m_problem->show();
    }
    return;
  }
  const int pixels = m_rows * m_cols;
  if (shapeSize(m_spec.inputShape) != pixels) {
    m_picture->clear();
    m_picture->setFixedHeight(0);
    m_problem->setText(tr("The augmentation layers need an image input of the data's size."));
    m_problem->show();
    return;
  }
  std::tie(m_shown, m_scale) = fit(width());
  m_shown = std::min(m_shown, m_count);
  std::vector<std::vector<float>> draws;
  try {
    for (int d = 0; d < kDraws; ++d)
      draws.push_back(augmentImages(m_spec, m_last, m_pixels.data(), m_shown, m_seed * 131 + uint64_t(d)));
  } catch (const std::exception& e) {
    m_picture->clear();
    m_picture->setFixedHeight(0);
    m_problem->setText(QString::fromStdString(e.what()));
    m_problem->show();
    return;
  }
  const int w = m_shown * (m_cols + kGap) - kGap, h = (kDraws + 1) * (m_rows + kGap) - kGap;
  m_grid = QImage(w, h, QImage::Format_Grayscale8);
  m_grid.fill(QColor(128, 128, 128));
  QPainter painter(&m_grid);
  for (int i = 0; i < m_shown; ++i) {
    const int x = i * (m_cols + kGap);
    painter.drawImage(x, 0, digitImage(m_pixels.data() + size_t(i) * size_t(pixels), m_rows, m_cols));
    for (int d = 0; d < kDraws; ++d)
      painter.drawImage(x, (d + 1) * (m_rows + kGap),
                        digitImage(draws[size_t(d)].data() + size_t(i) * size_t(pixels), m_rows, m_cols));
  }
  painter.end();
  showGrid();
}

// The grid scaled by a whole factor (sharp pixels).
void AugmentationPreview::showGrid() {
  if (m_grid.isNull()) return;
  const QImage scaled = m_grid.scaled(m_grid.size() * m_scale, Qt::IgnoreAspectRatio, Qt::FastTransformation);
  m_picture->setFixedHeight(scaled.height());
  m_picture->setPixmap(QPixmap::fromImage(scaled));
}

}  // namespace dl
