#pragma once
// The "Inside" tab: what each layer of the network makes of the digit on the canvas, as CNN
// Explainer draws it. On top an overview strip, from the 28x28 input through every layer's output
// (feature maps as small heat maps, dense outputs as a strip) to the class probabilities; below,
// the selected layer in full — its output for the current digit (every feature map or unit,
// values on hover) and its weights (Conv2D kernels, or the first Dense layer's 28x28 templates).
//
// It keeps a private dl::Model (like DigitPanel) built from setModel()'s spec and weights, so it
// always shows one consistent snapshot while a training thread runs: the window passes every
// weights snapshot (so the maps follow training, and the filters are seen forming at each epoch's
// end) and every new input. The work is done only while the tab is visible, once per event-loop
// turn however many inputs arrived meanwhile (a pen gives one per mouse move).
//
// Selecting a layer (a click on its column in the strip, a row in the builder, a box in the
// diagram) shows it below; layerSelected() tells the window so it can follow elsewhere.

#include "nn/Inspection.h"
#include "nn/ModelSpec.h"
#include "nn/Tensor.h"

#include <QStringList>
#include <QWidget>

#include <array>
#include <memory>
#include <vector>

class QLabel;
class QScrollArea;

namespace dl {

class InspectOverview;
class GridImageView;
class Model;

class InspectView : public QWidget {
  Q_OBJECT

 public:
  explicit InspectView(QWidget* parent = nullptr);
  ~InspectView() override;

  // Shows this architecture with these weights (Model::weights() order); the model is rebuilt only
  // when the architecture changed. An invalid spec or mismatched weights show why instead.
  void setModel(const ModelSpec& spec, const std::vector<Matrix>& weights);
  void clearModel();
  bool hasModel() const { return m_model != nullptr; }
  // The network's input now: 28x28 values in [0, 1] (DigitPanel::input()); `empty` when nothing
  // is drawn.
  void setInput(const float* pixels, int count, bool empty);
  void setClassNames(const QStringList& names);

  // The layer shown below (-1: none) and choosing it. selectLayer() does not emit layerSelected().
  int selectedLayer() const { return m_selected; }
  void selectLayer(int layer);

  // What is shown now (after the pending refresh, see refreshNow()): for tests.
  const std::vector<LayerOutput>& outputs() const { return m_outputs; }
  InspectOverview* overview() const { return m_overview; }
  GridImageView* activationView() const { return m_activations; }
  GridImageView* weightsView() const { return m_weights; }
  // Runs a pending refresh at once (what the next event-loop turn would do while visible).
  void refreshNow();

 signals:
  void layerSelected(int layer);

 protected:
  void showEvent(QShowEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void scheduleRefresh();
  void refreshOutputs();
  void showSelected();
  void showWeights();
  QString layerTitle(int layer) const;

  std::unique_ptr<Model> m_model;
  QString m_modelError;
  std::vector<float> m_input;
  bool m_inputEmpty = true;
  QStringList m_classNames;
  std::vector<LayerOutput> m_outputs;
  int m_selected = -1;
  bool m_dirty = false;         // outputs to recompute
  bool m_weightsDirty = false;  // weights picture to redraw
  bool m_refreshQueued = false;

  QLabel* m_status = nullptr;
  InspectOverview* m_overview = nullptr;
  QLabel* m_outputTitle = nullptr;
  QLabel* m_weightsTitle = nullptr;
  GridImageView* m_activations = nullptr;
  GridImageView* m_weights = nullptr;
  QScrollArea* m_outputArea = nullptr;
  QScrollArea* m_weightsArea = nullptr;
};

}  // namespace dl
