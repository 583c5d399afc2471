// The live model diagram with plot_model's options, the export dpi, and PNG/SVG export.

#include "DiagramPanel.h"

#include "AppSettings.h"
#include "diagram/ModelDiagram.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImageReader>
#include <QImageWriter>
#include <QLabel>
#include <QMessageBox>
#include <QMouseEvent>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace dl {

namespace {

// The suffix a name filter asks for: "SVG drawing (*.svg)" -> "svg"; empty if none.
QString filterSuffix(const QString& nameFilter) {
  static const QRegularExpression pattern(QStringLiteral("\\*\\.([A-Za-z0-9]+)"));
  const QRegularExpressionMatch m = pattern.match(nameFilter);
  return m.hasMatch() ? m.captured(1).toLower() : QString();
}

}  // namespace

DiagramPanel::DiagramPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  m_shapes = new QCheckBox(tr("Shapes"), this);
  m_shapes->setObjectName(QStringLiteral("diagramShapes"));
  m_shapes->setChecked(true);
  m_names = new QCheckBox(tr("Names"), this);
  m_names->setObjectName(QStringLiteral("diagramNames"));
  m_names->setChecked(true);
  m_activations = new QCheckBox(tr("Activations"), this);
  m_activations->setObjectName(QStringLiteral("diagramActivations"));
  m_activations->setChecked(true);
  m_params = new QCheckBox(tr("Params"), this);
  m_params->setObjectName(QStringLiteral("diagramParams"));
  m_params->setChecked(true);
  m_direction = new QComboBox(this);
  m_direction->setObjectName(QStringLiteral("diagramDirection"));
  m_direction->addItem(tr("Top to bottom"), QStringLiteral("TB"));
  m_direction->addItem(tr("Left to right"), QStringLiteral("LR"));
  m_shapes->setToolTip(tr("Show each layer's input and output shapes"));
  m_names->setToolTip(tr("Show each layer's name beside its type"));
  m_activations->setToolTip(tr("Show each layer's activation function"));
  m_params->setToolTip(tr("Show each layer's number of trainable parameters"));
  m_direction->setToolTip(tr("Draw the layers from top to bottom or from left to right"));
  auto* dpiLabel = new QLabel(tr("PNG dpi:"), this);
  m_dpi = new QSpinBox(this);
  m_dpi->setObjectName(QStringLiteral("diagramDpi"));
  m_dpi->setRange(kMinExportDpi, kMaxExportDpi);
  m_dpi->setValue(kDefaultExportDpi);
  m_dpi->setToolTip(tr("Resolution of an exported PNG (Keras 3's plot_model uses %1; 96 is one pixel per screen "
                       "pixel). An SVG is vector and the same at any dpi.")
                        .arg(kDefaultExportDpi));
  dpiLabel->setBuddy(m_dpi);
  auto* exportButton = new QPushButton(tr("Export PNG/SVG…"), this);
  exportButton->setObjectName(QStringLiteral("diagramExport"));
  exportButton->setToolTip(tr("Save the diagram as a PNG (at the dpi set beside) or an SVG"));
  // Two rows: what the boxes show; then the direction, the export dpi and Export.
  auto* show = new QHBoxLayout;
  show->addWidget(new QLabel(tr("Show:"), this));
  for (QWidget* w : std::initializer_list<QWidget*>{m_shapes, m_names, m_activations, m_params}) show->addWidget(w);
  show->addStretch(1);
  auto* output = new QHBoxLayout;
  output->addWidget(m_direction);
  output->addStretch(1);
  output->addWidget(dpiLabel);
  output->addWidget(m_dpi);
  output->addWidget(exportButton);
  layout->addLayout(show);
  layout->addLayout(output);

  m_canvas = new QLabel(this);
  m_canvas->setObjectName(QStringLiteral("diagramCanvas"));
  m_canvas->setAlignment(Qt::AlignCenter);
  m_canvas->setMouseTracking(true);
  m_canvas->installEventFilter(this);
  m_canvas->setToolTip(tr("Click a layer to select it in the builder and look inside it (Inside tab)"));
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
  o.dpi = m_dpi->value();
  return o;
}

int DiagramPanel::exportDpi() const { return m_dpi->value(); }

void DiagramPanel::setExportDpi(int dpi) { m_dpi->setValue(dpi); }

void DiagramPanel::redraw() {
  if (m_spec.layers.empty()) {
    m_renderedRatio = 0;
    m_layout = DiagramLayout();
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
  DiagramOptions logical = o;
  logical.dpi = 96;
  m_layout = layoutDiagram(m_spec, logical);
  m_canvas->setPixmap(QPixmap::fromImage(image));
  m_renderedRatio = ratio;
}

int DiagramPanel::layerAt(QPoint pos) const {
  const QPixmap pixmap = m_canvas->pixmap();
  if (pixmap.isNull()) return -1;
  const QSizeF shown = QSizeF(pixmap.size()) / pixmap.devicePixelRatio();
  // The label centres its picture.
  const QPointF origin((m_canvas->width() - shown.width()) / 2, (m_canvas->height() - shown.height()) / 2);
  const QPointF at = QPointF(pos) - origin;
  for (const DiagramBox& box : m_layout.boxes)
    if (box.rect.contains(at)) return box.layer;
  return -1;
}

bool DiagramPanel::eventFilter(QObject* watched, QEvent* event) {
  if (watched == m_canvas && event->type() == QEvent::MouseButtonPress) {
    auto* e = static_cast<QMouseEvent*>(event);
    const int layer = e->button() == Qt::LeftButton ? layerAt(e->position().toPoint()) : -1;
    if (layer >= 0) {
      emit layerClicked(layer);
      return true;
    }
  } else if (watched == m_canvas && event->type() == QEvent::MouseMove) {
    auto* e = static_cast<QMouseEvent*>(event);
    m_canvas->setCursor(layerAt(e->position().toPoint()) >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
  }
  return QWidget::eventFilter(watched, event);
}

void DiagramPanel::followDevicePixelRatio() {
  if (m_renderedRatio > 0 && !qFuzzyCompare(m_renderedRatio, devicePixelRatioF())) redraw();
}

bool DiagramPanel::event(QEvent* event) {
  const bool handled = QWidget::event(event);
  switch (event->type()) {
    // Qt sends ScreenChangeInternal to every widget of a window that moved to another screen;
    // Qt 6.6 adds DevicePixelRatioChange for a ratio that changes on the same screen.
    case QEvent::ScreenChangeInternal:
#if QT_VERSION >= QT_VERSION_CHECK(6, 6, 0)
    case QEvent::DevicePixelRatioChange:
#endif
    case QEvent::Show:  // first shown on a screen other than the one it was made for
      followDevicePixelRatio();
      break;
    default:
      break;
  }
  return handled;
}

bool DiagramPanel::saveTo(const QString& path, QString* error) const {
  return saveDiagram(m_spec, options(), path, error);
}

QString DiagramPanel::withFilterSuffix(const QString& path, const QString& nameFilter) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix == QLatin1String("svg") ||
      (!suffix.isEmpty() && QImageWriter::supportedImageFormats().contains(suffix.toLatin1())))
    return path;
  const QString wanted = filterSuffix(nameFilter);
  if (wanted.isEmpty()) return path;
  return path.endsWith(QLatin1Char('.')) ? path + wanted : path + QLatin1Char('.') + wanted;
}

void DiagramPanel::exportDiagram() {
  const QString png = tr("PNG image (*.png)");
  const QString svg = tr("SVG drawing (*.svg)");
  const QString name = QString::fromStdString(m_spec.name.empty() ? std::string("model") : m_spec.name);
  QFileDialog dialog(this, tr("Export diagram"), settings::inLastFolder(name + QStringLiteral(".png")),
                     png + QStringLiteral(";;") + svg);
  dialog.setObjectName(QStringLiteral("diagramExportDialog"));
  dialog.setAcceptMode(QFileDialog::AcceptSave);
  // A name typed without a suffix gets the selected filter's, before the dialog checks for an
  // existing file; withFilterSuffix() does the same for dialogs that ignore the default suffix.
  dialog.setDefaultSuffix(filterSuffix(png));
  connect(&dialog, &QFileDialog::filterSelected, &dialog,
          [&dialog](const QString& filter) { dialog.setDefaultSuffix(filterSuffix(filter)); });
  if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty()) return;
  const QString path = withFilterSuffix(dialog.selectedFiles().constFirst(), dialog.selectedNameFilter());
  settings::rememberFolder(path);
  QString error;
  if (!saveTo(path, &error)) {
    QMessageBox::warning(this, tr("Export diagram"), error);
    return;
  }
  const QSize size = QImageReader(path).size();
  if (QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0 || !size.isValid())
    emit message(tr("Wrote %1 (SVG drawing)").arg(QDir::toNativeSeparators(path)));
  else
    emit message(tr("Wrote %1 (%2x%3 px, %4 dpi)")
                     .arg(QDir::toNativeSeparators(path))
                     .arg(size.width())
                     .arg(size.height())
                     .arg(exportDpi()));
}

}  // namespace dl
