#pragma once
// The "Diagram" tab: the model drawn as Keras's plot_model draws it (core/diagram/ModelDiagram.h),
// redrawn live as the model is edited, with the plot_model options as controls (show shapes,
// layer names, activations, parameter counts; top-to-bottom or left-to-right), the dpi of an
// exported PNG, and Export to PNG or SVG. The controls sit in two rows (what to show; direction,
// dpi and Export), so they fit a 560 px wide tab.
//
// On screen the diagram is rendered at the screen's pixel density (96 dpi × devicePixelRatio) and
// shown at its logical size, so it is sharp on high-DPI screens; it is rendered again when the
// window moves to a screen with another ratio.

#include "diagram/ModelDiagram.h"
#include "nn/ModelSpec.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QScrollArea;
class QSpinBox;

namespace dl {

class DiagramPanel : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kDefaultExportDpi = 200;  // Keras 3's plot_model default
  static constexpr int kMinExportDpi = 72;
  static constexpr int kMaxExportDpi = 600;

  explicit DiagramPanel(QWidget* parent = nullptr);

  void setSpec(const ModelSpec& spec);
  const ModelSpec& spec() const { return m_spec; }
  // The options the controls show (dpi: the export dpi).
  DiagramOptions options() const;
  // The export dpi (the spin box's value).
  int exportDpi() const;
  void setExportDpi(int dpi);
  // Writes the diagram with the current options; the format follows the suffix: a PNG (or other
  // raster format) at the export dpi, or an SVG (vector, the same at any dpi).
  bool saveTo(const QString& path, QString* error = nullptr) const;
  // The file an export writes when the user typed `path` with the name filter `nameFilter`
  // ("SVG drawing (*.svg)") selected: `path` itself when it ends in a format DiagramPanel writes,
  // else `path` with the filter's suffix appended ("foo" -> "foo.svg").
  static QString withFilterSuffix(const QString& path, const QString& nameFilter);

  // The layer whose box is at `pos` in the diagram canvas's coordinates (the QLabel named
  // "diagramCanvas"), or -1.
  int layerAt(QPoint pos) const;

 public slots:
  // Asks for a file name (PNG or SVG; the dialog starts in settings::lastFolder(), which then
  // remembers the folder), then saveTo(), then message() says what was written.
  void exportDiagram();

 signals:
  // A click on a layer's box: its index in spec().layers (the window selects it in the builder
  // and the Inside tab follows).
  void layerClicked(int layer);
  // For the status bar: "Wrote /path/x.png (1234x567 px, 200 dpi)" after an export.
  void message(const QString& text);

 protected:
  bool event(QEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void redraw();
  // Renders again if the screen's pixel density is not the one the picture was rendered at.
  void followDevicePixelRatio();

  ModelSpec m_spec;
  DiagramLayout m_layout;     // of the picture shown, in its logical pixels (for clicks)
  qreal m_renderedRatio = 0;  // devicePixelRatio of the shown picture (0: none shown)
  QCheckBox* m_shapes = nullptr;
  QCheckBox* m_names = nullptr;
  QCheckBox* m_activations = nullptr;
  QCheckBox* m_params = nullptr;
  QComboBox* m_direction = nullptr;
  QSpinBox* m_dpi = nullptr;
  QScrollArea* m_scroll = nullptr;
  QLabel* m_canvas = nullptr;
};

}  // namespace dl
