// The Inside tab. See InspectView.h.

#include "InspectView.h"

#include "GridImageView.h"
#include "InspectOverview.h"
#include "inspect/InspectImages.h"
#include "nn/Layer.h"
#include "nn/Model.h"

#include <QEvent>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <exception>

namespace dl {

namespace {
constexpr int kGap = 2;        // between a picture's cells
constexpr int kMaxScale = 10;  // picture pixels per value, at most
constexpr int kMaxWeightCells = 64;

// The whole number of pixels per value that makes `across` cells of `values` values each (with
// gaps) fit `width`; at least 1.
int fitScale(int width, int across, int values) {
  across = std::max(1, across);
  const int room = width - (across - 1) * kGap;
  return std::clamp(room / std::max(1, across * values), 1, kMaxScale);
}
// The scale that fits `size` both ways (grid of columns x rows cells of w x h values); a short
// pane scrolls rather than shrinking the picture below 3 pixels per value.
int fitScale(QSize size, int columns, int rows, int w, int h) {
  const int byWidth = fitScale(size.width(), columns, w);
  const int byHeight = fitScale(size.height(), rows, h);
  return std::min(byWidth, std::max(byHeight, 3));
}

QString value(float v) { return QString::number(double(v), 'g', 4); }

QScrollArea* scrolling(QWidget* inner, QWidget* parent) {
  auto* area = new QScrollArea(parent);
  area->setWidget(inner);
  area->setWidgetResizable(true);
  area->setFrameShape(QFrame::NoFrame);
  return area;
}
}  // namespace

InspectView::InspectView(QWidget* parent) : QWidget(parent) {
  m_status = new QLabel(this);
  m_status->setObjectName(QStringLiteral("inspectStatus"));
  m_status->setWordWrap(true);
  m_overview = new InspectOverview(this);
  m_overview->setObjectName(QStringLiteral("inspectOverview"));
  auto* overviewArea = new QScrollArea(this);
  overviewArea->setWidget(m_overview);
  overviewArea->setWidgetResizable(true);
  overviewArea->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  overviewArea->setFrameShape(QFrame::StyledPanel);
  overviewArea->setMinimumHeight(InspectOverview().minimumSizeHint().height() + 20);

  m_outputTitle = new QLabel(this);
  m_outputTitle->setObjectName(QStringLiteral("inspectOutputTitle"));
  m_outputTitle->setWordWrap(true);
  m_weightsTitle = new QLabel(this);
  m_weightsTitle->setObjectName(QStringLiteral("inspectWeightsTitle"));
  m_weightsTitle->setWordWrap(true);
  m_activations = new GridImageView(this);
  m_activations->setObjectName(QStringLiteral("inspectActivations"));
  m_weights = new GridImageView(this);
  m_weights->setObjectName(QStringLiteral("inspectWeights"));
  auto* outputHover = new QLabel(this);
  outputHover->setObjectName(QStringLiteral("inspectOutputHover"));
  auto* weightsHover = new QLabel(this);
  weightsHover->setObjectName(QStringLiteral("inspectWeightsHover"));
  // One line each, always there, so that the pictures do not move under the mouse.
  for (QLabel* hover : {outputHover, weightsHover}) {
    hover->setFixedHeight(hover->fontMetrics().height());
    hover->setText(tr("Point at a cell to read its value"));
    hover->setForegroundRole(QPalette::PlaceholderText);
  }
  connect(m_activations, &GridImageView::hovered, outputHover, &QLabel::setText);
  connect(m_weights, &GridImageView::hovered, weightsHover, &QLabel::setText);

  auto column = [this](QLabel* title, QLabel* hover, GridImageView* view, QScrollArea** area) {
    auto* box = new QWidget(this);
    auto* v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(title);
    v->addWidget(hover);
    auto* inner = new QWidget;
    auto* iv = new QVBoxLayout(inner);
    iv->setContentsMargins(0, 0, 0, 0);
    iv->addWidget(view);
    iv->addStretch(1);
    *area = scrolling(inner, box);
    (*area)->viewport()->installEventFilter(this);  // pictures are drawn to fit its width
    v->addWidget(*area, 1);
    return box;
  };
  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(column(m_outputTitle, outputHover, m_activations, &m_outputArea));
  split->addWidget(column(m_weightsTitle, weightsHover, m_weights, &m_weightsArea));
  split->setChildrenCollapsible(false);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_status);
  layout->addWidget(overviewArea, 0);
  layout->addWidget(split, 1);

  connect(m_overview, &InspectOverview::layerClicked, this, [this](int layer) {
    selectLayer(layer);
    emit layerSelected(layer);
  });
  for (int i = 0; i < 10; ++i) m_classNames << QString::number(i);
  scheduleRefresh();
}

InspectView::~InspectView() = default;

void InspectView::setModel(const ModelSpec& spec, const std::vector<Matrix>& weights) {
  try {
    if (!m_model || m_model->spec().inputShape != spec.inputShape || m_model->spec().layers != spec.layers) {
      m_model.reset();
      m_model = std::make_unique<Model>(spec, 1);
      if (m_selected >= int(m_model->layers().size())) m_selected = -1;
    }
    m_model->setWeights(weights);
    m_modelError.clear();
  } catch (const std::exception& e) {
    m_model.reset();
    m_modelError = tr("This model cannot be shown: %1").arg(QString::fromStdString(e.what()));
  }
  m_weightsDirty = true;
  scheduleRefresh();
}

void InspectView::clearModel() {
  m_model.reset();
  m_modelError.clear();
  m_weightsDirty = true;
  scheduleRefresh();
}

void InspectView::setInput(const float* pixels, int count, bool empty) {
  m_input.assign(pixels, pixels + std::max(0, count));
  m_inputEmpty = empty;
  scheduleRefresh();
}

void InspectView::setClassNames(const QStringList& names) {
  m_classNames = names;
  scheduleRefresh();
}

void InspectView::selectLayer(int layer) {
  if (m_model && (layer < -1 || layer >= int(m_model->layers().size()))) layer = -1;
  if (layer == m_selected) return;
  m_selected = layer;
  m_overview->setSelected(layer);
  m_weightsDirty = true;
  showSelected();
  showWeights();
}

void InspectView::scheduleRefresh() {
  m_dirty = true;
  if (m_refreshQueued || !isVisible()) return;
  m_refreshQueued = true;
  QTimer::singleShot(0, this, [this] {
    m_refreshQueued = false;
    if (isVisible()) refreshNow();
  });
}

bool InspectView::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::Resize) {
    if (watched == m_outputArea->viewport()) showSelected();
    if (watched == m_weightsArea->viewport()) showWeights();
  }
  return QWidget::eventFilter(watched, event);
}

void InspectView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (m_dirty || m_weightsDirty) scheduleRefresh();
}

void InspectView::refreshNow() {
  if (m_dirty) refreshOutputs();
  if (m_weightsDirty) showWeights();
}

void InspectView::refreshOutputs() {
  m_dirty = false;
  m_outputs.clear();
  QString status;
  if (!m_model) {
    status = m_modelError.isEmpty() ? tr("Train or load a model to look inside it.") : m_modelError;
  } else if (m_model->inputSize() != int(m_input.size())) {
    status =
        tr("This model takes %1 inputs; the drawing gives %2 (28×28).").arg(m_model->inputSize()).arg(m_input.size());
  } else if (m_inputEmpty) {
    status = tr("Draw a digit (or show a test digit) to see what each layer makes of it.");
  } else {
    try {
      m_outputs = layerOutputs(*m_model, m_input.data());
    } catch (const std::exception& e) {
      status = QString::fromStdString(e.what());
    }
  }
  if (m_selected < 0 && m_model && !m_model->layers().empty()) {
    m_selected = 0;  // the first layer, so the page is never blank with a model
    m_weightsDirty = true;
  }
  m_status->setText(
      status.isEmpty()
          ? tr("The digit on the canvas, layer by layer. Click a layer to see all of its output and its weights.")
          : status);
  m_overview->setData(m_outputs.empty() ? std::vector<float>{} : m_input, m_outputs, m_classNames);
  m_overview->setSelected(m_selected);
  showSelected();
}

QString InspectView::layerTitle(int layer) const {
  if (!m_model || layer < 0 || layer >= int(m_model->layers().size())) return {};
  const Layer& l = *m_model->layers()[size_t(layer)];
  return tr("<b>%1</b> (%2)").arg(QString::fromStdString(l.name()).toHtmlEscaped(), QString::fromLatin1(l.className()));
}

void InspectView::showSelected() {
  if (m_selected < 0 || m_selected >= int(m_outputs.size())) {
    m_outputTitle->setText(m_model && m_selected >= 0 ? tr("%1 output").arg(layerTitle(m_selected)) : tr("Output"));
    m_activations->clear();
    m_activations->setEmptyText(m_model ? tr("Draw a digit to see this layer's output.") : QString());
    return;
  }
  const LayerOutput& out = m_outputs[size_t(m_selected)];
  const bool image = out.shape.size() == 3;
  const bool last = size_t(m_selected) + 1 == m_outputs.size();
  // Feature maps in an about square grid, a vector in rows of up to 32 cells, as large as the
  // pane's width allows.
  const QSize room = m_outputArea->viewport()->size() - QSize(4, 4);
  const int cells = image ? out.shape[2] : int(out.values.size());
  const int columns = image ? squareColumns(cells) : std::min(32, cells);
  const int rows = (cells + columns - 1) / std::max(1, columns);
  const int scale =
      image ? fitScale(room, columns, rows, out.shape[1], out.shape[0]) : fitScale(room, columns, rows, 1, 1);
  GridLayout grid;
  const QImage picture = activationImage(out, scale, columns, kGap, &grid);
  QString shape = QString::fromStdString(shapeToString(out.shape));
  m_outputTitle->setText(image && out.shape[2] > 1
                             ? tr("%1 output %2: %3 feature maps").arg(layerTitle(m_selected), shape).arg(out.shape[2])
                             : tr("%1 output %2").arg(layerTitle(m_selected), shape));
  const LayerOutput copy = out;
  const QStringList names = m_classNames;
  m_activations->setPicture(picture, grid, scale, [copy, image, last, names](int cell, int col, int row) -> QString {
    if (image) {
      const int h = copy.shape[0], w = copy.shape[1], c = copy.shape[2];
      if (row < 0 || col < 0 || row >= h || col >= w || cell >= c) return {};
      return QObject::tr("map %1, row %2, column %3: %4")
          .arg(cell)
          .arg(row)
          .arg(col)
          .arg(value(copy.values[(size_t(row) * w + col) * c + cell]));
    }
    if (cell < 0 || cell >= int(copy.values.size())) return {};
    const QString unit =
        last && cell < names.size() ? QObject::tr("class %1").arg(names[cell]) : QObject::tr("unit %1").arg(cell);
    return QObject::tr("%1: %2").arg(unit, value(copy.values[size_t(cell)]));
  });
}

void InspectView::showWeights() {
  m_weightsDirty = false;
  if (!m_model || m_selected < 0 || m_selected >= int(m_model->layers().size())) {
    m_weightsTitle->setText(tr("Weights"));
    m_weights->clear();
    return;
  }
  const Layer& layer = *m_model->layers()[size_t(m_selected)];
  // Conv2D kernels need nothing more; a Dense layer's templates are drawn only when it reads the
  // input image itself (only weightless, size-keeping layers before it: Flatten, Dropout, ...).
  Shape inputShape = m_model->spec().inputShape;
  for (int i = 0; i < m_selected; ++i) {
    const Layer& before = *m_model->layers()[size_t(i)];
    if (!before.params().empty() || shapeSize(before.outputShape()) != shapeSize(inputShape)) inputShape = {0};
  }
  // Drawn once to learn the grid, then again as large as the pane's width allows.
  GridLayout grid;
  QImage picture = weightsImage(layer, inputShape, 1, kMaxWeightCells, kGap, &grid);
  const int gridRows = (grid.cells + std::max(1, grid.columns) - 1) / std::max(1, grid.columns);
  const int scale = grid.columns > 0 ? fitScale(m_weightsArea->viewport()->size() - QSize(4, 4), grid.columns, gridRows,
                                                grid.cellWidth, grid.cellHeight)
                                     : 1;
  if (!picture.isNull() && scale > 1) picture = weightsImage(layer, inputShape, scale, kMaxWeightCells, kGap, &grid);
  if (picture.isNull()) {
    m_weightsTitle->setText(tr("%1 weights").arg(layerTitle(m_selected)));
    m_weights->clear();
    m_weights->setEmptyText(layer.params().empty() ? tr("This layer has no weights.")
                                                   : tr("No picture of this layer's weights (Conv2D kernels and "
                                                        "the first Dense layer of an MLP are drawn)."));
    return;
  }
  const Param* kernel = nullptr;
  for (const Param* p : layer.params())
    if (p->name == "kernel") kernel = p;
  if (!kernel) return;
  const Shape ks = kernel->kerasShape;
  const Matrix values = kernel->value;
  const bool conv = ks.size() == 4;
  if (conv) {
    m_weightsTitle->setText(tr("%1 kernels: %2×%3 × %4 input channels, %5 filters%6")
                                .arg(layerTitle(m_selected))
                                .arg(ks[0])
                                .arg(ks[1])
                                .arg(ks[2])
                                .arg(ks[3])
                                .arg(grid.cells >= ks[2] * ks[3] ? QString()
                                     : grid.cells <= ks[3] ? tr(" (input channel 0 shown, %1 filters)").arg(grid.cells)
                                                           : tr(" (the first %1 shown)").arg(grid.cells)));
  } else {
    m_weightsTitle->setText(tr("%1 templates: each unit's weights on the 28×28 input%2")
                                .arg(layerTitle(m_selected))
                                .arg(grid.cells < ks.back()
                                         ? tr(" (the first %1 of %2 units)").arg(grid.cells).arg(ks.back())
                                         : QString()));
  }
  const Shape in = inputShape;
  const int cells = grid.cells;
  m_weights->setPicture(picture, grid, scale, [values, ks, conv, cells, in](int cell, int col, int row) -> QString {
    if (conv) {
      // weightsImage: a row of nf filters per input channel shown, or with one channel shown the
      // filters alone in a square grid (cell = filter).
      const int kh = ks[0], kw = ks[1], cin = ks[2], cout = ks[3];
      const int nf = std::min(cout, cells);
      const bool oneChannel = cells <= nf;
      const int f = oneChannel ? cell : cell % nf;
      const int c = oneChannel ? 0 : cell / nf;
      if (f >= cout || c >= cin || row >= kh || col >= kw) return {};
      return QObject::tr("filter %1, input channel %2, (%3, %4): %5")
          .arg(f)
          .arg(c)
          .arg(row)
          .arg(col)
          .arg(value(values((row * kw + col) * cin + c, f)));
    }
    const int side = in.size() >= 2 ? in[1] : 28;
    const int index = row * side + col;
    if (cell >= values.cols() || index >= values.rows()) return {};
    return QObject::tr("unit %1, pixel (%2, %3): %4").arg(cell).arg(row).arg(col).arg(value(values(index, cell)));
  });
}

}  // namespace dl
