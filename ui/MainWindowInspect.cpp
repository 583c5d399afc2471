// MainWindow's Inside tab: what each layer makes of the drawn digit, following the drawing panel's
// model (every weights snapshot reaches the panel, so the tab follows training) and input, and
// the layer selected in the builder or clicked in the diagram.

#include "MainWindow.h"

#include "DiagramPanel.h"
#include "DigitPanel.h"
#include "InspectView.h"
#include "ModelBuilder.h"
#include "nn/Model.h"

#include <QTabWidget>

#include <algorithm>

namespace dl {

void MainWindow::setupInspect() {
  m_inspect = new InspectView(m_tabs);
  m_inspect->setObjectName(QStringLiteral("inspectView"));
  const int at = std::min(3, int(m_tabs->count()));  // after Live charts, Diagram and Results
  m_tabs->insertTab(at, m_inspect, tr("Inside"));
  m_tabs->setTabToolTip(at, tr("Each layer's output for the digit on the canvas, and its weights"));

  auto followModel = [this] {
    if (const Model* model = m_digitPanel->model())
      m_inspect->setModel(model->spec(), model->weights());
    else
      m_inspect->clearModel();
  };
  connect(m_digitPanel, &DigitPanel::modelChanged, m_inspect, followModel);
  connect(m_digitPanel, &DigitPanel::predictionChanged, m_inspect, [this] {
    const DigitInput& input = m_digitPanel->currentDigit();
    m_inspect->setClassNames(m_digitPanel->classNames());
    m_inspect->setInput(input.pixels.data(), int(input.pixels.size()), input.empty);
  });
  // One selection for the builder, the diagram and the Inside tab.
  connect(m_builder, &ModelBuilder::currentLayerChanged, m_inspect, [this](int row) {
    if (row >= 0) m_inspect->selectLayer(row);
  });
  connect(m_inspect, &InspectView::layerSelected, m_builder, &ModelBuilder::selectLayer);
  connect(m_diagram, &DiagramPanel::layerClicked, m_builder, &ModelBuilder::selectLayer);
  followModel();
  const DigitInput& input = m_digitPanel->currentDigit();
  m_inspect->setInput(input.pixels.data(), int(input.pixels.size()), input.empty);
}

}  // namespace dl
