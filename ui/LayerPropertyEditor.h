#pragma once
// The model builder's property editor: the arguments of the selected layer, only those its kind
// has (Dense: units, activation, use_bias, initializers; Conv2D: filters, kernel size, strides,
// padding, activation, ...), each with a sensible range. Every change is reported with
// layerEdited(); the builder makes it an undoable command and sends the result back through
// setLayer() (which emits nothing).

#include "nn/ModelSpec.h"

#include <QString>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace dl {

class LayerPropertyEditor : public QWidget {
  Q_OBJECT

 public:
  // Which argument changed (for merging successive edits of one argument into one undo step).
  enum Field {
    NameField, UnitsField, ActivationField, FiltersField, KernelField, StridesField, PaddingField,
    PoolField, RateField, UseBiasField, KernelInitializerField, BiasInitializerField, FieldCount
  };

  explicit LayerPropertyEditor(QWidget* parent = nullptr);

  // Shows a layer (autoName: the name Keras would give it, shown when it has none of its own).
  void setLayer(const LayerSpec& layer, const QString& autoName);
  // No layer selected: everything hidden but a hint.
  void clearLayer();
  bool hasLayer() const { return m_hasLayer; }
  const LayerSpec& layer() const { return m_layer; }

  static QString fieldName(Field field);

 signals:
  void layerEdited(const dl::LayerSpec& layer, dl::LayerPropertyEditor::Field field);

 private:
  void updateRows();
  void edit(Field field);

  LayerSpec m_layer;
  bool m_hasLayer = false;
  bool m_updating = false;

  QFormLayout* m_form = nullptr;
  QLabel* m_title = nullptr;
  QLabel* m_hint = nullptr;
  QLineEdit* m_name = nullptr;
  QSpinBox* m_units = nullptr;
  QComboBox* m_activation = nullptr;
  QSpinBox* m_filters = nullptr;
  QSpinBox* m_kernelH = nullptr;
  QSpinBox* m_kernelW = nullptr;
  QSpinBox* m_strideH = nullptr;
  QSpinBox* m_strideW = nullptr;
  QComboBox* m_padding = nullptr;
  QSpinBox* m_poolH = nullptr;
  QSpinBox* m_poolW = nullptr;
  QDoubleSpinBox* m_rate = nullptr;
  QCheckBox* m_useBias = nullptr;
  QComboBox* m_kernelInit = nullptr;
  QComboBox* m_biasInit = nullptr;
  QWidget* m_kernelRow = nullptr;
  QWidget* m_strideRow = nullptr;
  QWidget* m_poolRow = nullptr;
};

}  // namespace dl
