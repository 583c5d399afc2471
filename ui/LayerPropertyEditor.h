#pragma once
// The model builder's property editor: the arguments of the selected layer, one row per argument
// its kind lists in the layer registry (nn/LayerRegistry.h, LayerKindInfo::args), in that order,
// each edited by a widget chosen by its ArgType (Int: a spin box; IntPair: two; Number: a decimal
// spin box; Bool: a check box; Choice, Activation, Initializer: a combo box) with the registry's
// range, so that it accepts what the spec validation accepts (sizes up to 65,536, rate below 1).
// A nullable argument offers its automatic value (MaxPooling2D's strides: "pool"). Values are read
// with LayerArg::get and written with LayerArg::set: a new kind needs no change here.
//
// Every change is reported with layerEdited(): the shown layer with only the changed argument
// replaced (a value the editor could not show exactly is never written back); the builder makes it
// an undoable command and sends the result back through setLayer() (which emits nothing). Spin
// boxes report typed values when Enter is pressed or focus leaves, not per keystroke; the arrows
// report every step.
//
// A name another layer already has (its own or its automatic one) is refused: the field goes back
// to the layer's name and a message below it says why.

#include "nn/ModelSpec.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <vector>

class QFormLayout;
class QLabel;
class QLineEdit;

namespace dl {

struct LayerArg;

class LayerPropertyEditor : public QWidget {
  Q_OBJECT

 public:
  // Which argument changed (for merging successive edits of one argument into one undo step):
  // its index in the kind's LayerKindInfo::args, or NameField.
  enum Field : int { NameField = -2 };

  explicit LayerPropertyEditor(QWidget* parent = nullptr);
  ~LayerPropertyEditor() override;

  // Shows a layer (autoName: the name Keras would give it, shown when it has none of its own;
  // otherNames: the resolved names of the other layers, which this one may not take).
  void setLayer(const LayerSpec& layer, const QString& autoName, const QStringList& otherNames = {});
  // No layer selected: everything hidden but a hint.
  void clearLayer();
  bool hasLayer() const { return m_hasLayer; }
  const LayerSpec& layer() const { return m_layer; }

  // The argument's Keras name ("units", "kernel_size"), or "name".
  static QString fieldName(LayerKind kind, Field field);
  // The message shown under the name after a refused name (empty: none).
  QString nameError() const;

 signals:
  void layerEdited(const dl::LayerSpec& layer, dl::LayerPropertyEditor::Field field);
  // The user finished one edit (Enter, or focus left a field): later changes are a new edit.
  void editingSessionEnded();

 private:
  struct Row;  // the widgets of one argument key (shared by the kinds that have it)

  void addRows();
  Row* rowFor(const LayerArg& arg) const;
  void placeRows();
  void showValues();
  void updateEnabled();
  void editArg(Row* row, int part);
  template <typename Apply>
  void edit(Field field, Apply apply);
  void editName();
  void showNameError(const QString& text);

  LayerSpec m_layer;
  QStringList m_otherNames;
  bool m_hasLayer = false;
  bool m_updating = false;
  // The kind whose rows are in the form (placeRows), or none.
  bool m_placed = false;
  LayerKind m_placedKind = LayerKind::Dense;

  QFormLayout* m_form = nullptr;
  QLabel* m_title = nullptr;
  QLabel* m_hint = nullptr;
  QLineEdit* m_name = nullptr;
  QLabel* m_nameError = nullptr;
  std::vector<std::unique_ptr<Row>> m_rows;
};

}  // namespace dl
