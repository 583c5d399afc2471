#pragma once
// The "Diagram" tab: the model drawn as Keras's plot_model draws it (core/diagram/ModelDiagram.h),
// redrawn live as the model is edited, with the plot_model options as controls (show shapes,
// layer names, activations, parameter counts; top-to-bottom or left-to-right) and Export to PNG
// or SVG.

#include "diagram/ModelDiagram.h"
#include "nn/ModelSpec.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QScrollArea;

namespace dl {

class DiagramPanel : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kExportDpi = 200;

  explicit DiagramPanel(QWidget* parent = nullptr);

  void setSpec(const ModelSpec& spec);
  const ModelSpec& spec() const { return m_spec; }
  // The options the controls show.
  DiagramOptions options() const;
  // Writes the diagram with the current options (at kExportDpi); the format follows the suffix (.png or .svg).
  bool saveTo(const QString& path, QString* error = nullptr) const;

 public slots:
  // Asks for a file name, then saveTo().
  void exportDiagram();

 private:
  void redraw();

  ModelSpec m_spec;
  QCheckBox* m_shapes = nullptr;
  QCheckBox* m_names = nullptr;
  QCheckBox* m_activations = nullptr;
  QCheckBox* m_params = nullptr;
  QComboBox* m_direction = nullptr;
  QScrollArea* m_scroll = nullptr;
  QLabel* m_canvas = nullptr;
};

}  // namespace dl
