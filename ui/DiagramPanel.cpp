// The live model diagram with plot_model's options and PNG/SVG export.

#include "DiagramPanel.h"

#include "diagram/ModelDiagram.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <cmath>

namespace dl {

DiagramPanel::DiagramPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  auto* options = new QHBoxLayout;
  m_shapes = new QCheckBox(tr("Shapes"), this);
  m_shapes->setObjectName(QStringLiteral("diagramShapes"));
  m_shapes->setChecked(true);
  m_names = new QCheckBox(tr("Names"), this);
  m_names->setChecked(true);
  m_activations = new QCheckBox(tr("Activations"), this);
  m_activations->setChecked(true);
  m_params = new QCheckBox(tr("Params"), this);
  m_params->setChecked(true);
  m_direction = new QComboBox(this);
  m_direction->addItem(tr("Top to bottom"), QStringLiteral("TB"));
  m_direction->addItem(tr("Left to right"), QStringLiteral("LR"));
  auto* exportButton = new QPushButton(tr("Export PNG/SVG…"), this);
  exportButton->setObjectName(QStringLiteral("diagramExport"));
  exportButton->setToolTip(tr("PNG at %1 dpi (as Keras 3's plot_model) or SVG").arg(kExportDpi));
  for (QWidget* w : std::initializer_list<QWidget*>{m_shapes, m_names, m_activations, m_params, m_direction})
    options->addWidget(w);
  options->addStretch(1);
  options->addWidget(exportButton);
  layout->addLayout(options);

  m_canvas = new QLabel(this);
  m_canvas->setObjectName(QStringLiteral("diagramCanvas"));
  m_canvas->setAlignment(Qt::AlignCenter);
  m_scroll = new QScrollArea(this);
  m_scroll->setWidget(m_canvas);
  m_scroll->setWidgetResizable(true);
  m_scroll->setBackgroundRole(QPalette::Base);
  layout->addWidget(m_scroll, 1);

  for (QCheckBox* c : {m_shapes, m_names, m_activations, m_params})
    connect(c, &QCheckBox::toggled, this, &DiagramPanel::redraw);
  connect(m_direction, &QComboBox::currentIndexChanged, this, &DiagramPanel::redraw);
  connect(exportButton, &QPushButton::clicked, this, &DiagramPanel::exportDiagram);
  redraw();
}

void DiagramPanel::setSpec(const ModelSpec& spec) {
  m_spec = spec;
  redraw();
}

DiagramOptions DiagramPanel::options() const {
  DiagramOptions o;
  o.showShapes = m_shapes->isChecked();
  o.showLayerNames = m_names->isChecked();
  o.showActivations = m_activations->isChecked();
  o.showParams = m_params->isChecked();
  RankDir dir = RankDir::TopToBottom;
  rankDirFromString(m_direction->currentData().toString(), &dir);
  o.rankdir = dir;
  return o;
}

void DiagramPanel::redraw() {
  if (m_spec.layers.empty()) {
    m_canvas->setPixmap(QPixmap());
    m_canvas->setText(tr("Add layers to see the model's diagram."));
    return;
  }
  // Rendered at the screen's pixel density, shown at its logical size: sharp on high-DPI screens.
  const qreal ratio = devicePixelRatioF();
  DiagramOptions o = options();
  o.dpi = int(std::lround(96 * ratio));
  QImage image = renderDiagram(m_spec, o);
  image.setDevicePixelRatio(ratio);
  m_canvas->setPixmap(QPixmap::fromImage(image));
}

bool DiagramPanel::saveTo(const QString& path, QString* error) const {
  DiagramOptions o = options();
  o.dpi = kExportDpi;
  return saveDiagram(m_spec, o, path, error);
}

void DiagramPanel::exportDiagram() {
  const QString name = QString::fromStdString(m_spec.name.empty() ? std::string("model") : m_spec.name);
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export diagram"),
      QStandardPaths::writableLocation(QStandardPaths::PicturesLocation) + QLatin1Char('/') + name + QStringLiteral(".png"),
      tr("PNG image (*.png);;SVG drawing (*.svg)"));
  if (path.isEmpty()) return;
  QString error;
  if (!saveTo(path, &error)) QMessageBox::warning(this, tr("Export diagram"), error);
}

}  // namespace dl
