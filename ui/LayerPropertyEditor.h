#pragma once
// The model builder's property editor: the arguments of the selected layer, only those its kind
// has (Dense: units, activation, use_bias, initializers; Conv2D: filters, kernel size, strides,
// padding, activation, ...), each accepting what the spec validation accepts (sizes up to 65,536,
// rate below 1). Every change is reported with layerEdited(): the shown layer with only the
// changed argument replaced (a value the editor could not show exactly is never written back);
// the builder makes it an undoable command and sends the result back through setLayer() (which
// emits nothing). Spin boxes report typed values when Enter is pressed or focus leaves, not per
// keystroke; the arrows report every step.
//
// A name another layer already has (its own or its automatic one) is refused: the field goes back
// to the layer's name and a message below it says why.

#include "nn/ModelSpec.h"

#include <QString>
#include <QStringList>
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

  // Shows a layer (autoName: the name Keras would give it, shown when it has none of its own;
  // otherNames: the resolved names of the other layers, which this one may not take).
  void setLayer(const LayerSpec& layer, const QString& autoName, const QStringList& otherNames = {});
  // No layer selected: everything hidden but a hint.
  void clearLayer();
  bool hasLayer() const { return m_hasLayer; }
  const LayerSpec& layer() const { return m_layer; }

  static QString fieldName(Field field);
  // The message shown under the name after a refused name (empty: none).
  QString nameError() const;

 signals:
  void layerEdited(const dl::LayerSpec& layer, dl::LayerPropertyEditor::Field field);
  // The user finished one edit (Enter, or focus left a field): later changes are a new edit.
  void editingSessionEnded();

 private:
  void updateRows();
  template <typename Apply>
  void edit(Field field, Apply apply);
  void editName();
  void showNameError(const QString& text);

  LayerSpec m_layer;
  QStringList m_otherNames;
  bool m_hasLayer = false;
  bool m_updating = false;

  QFormLayout* m_form = nullptr;
  QLabel* m_title = nullptr;
  QLabel* m_hint = nullptr;
  QLineEdit* m_name = nullptr;
  QLabel* m_nameError = nullptr;
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
