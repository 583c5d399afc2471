#pragma once
// The model builder: a Sequential model put together from layers, as the Keras tutorial writes it
// with model.add(...), and shown as model.summary() shows it.
//
//  - a palette of layer kinds: double-click, Enter or Space adds after the selected layer (at the
//    end when none is: a click below the rows clears the selection), drag drops anywhere;
//  - the layer stack (LayerListModel): name (ClassName), output shape, parameter count, totals
//    below; reorder by drag, Delete, Duplicate, Move up/down. Rows read in full down to 300 px
//    (name and type on two lines, then the parameter count under the shape);
//  - the input shape: (784) flat or (28, 28, 1) image;
//  - a property editor for the selected layer;
//  - live validation with dl::analyze(): the first layer that cannot be built is red with the
//    reason, and validityChanged() tells the window whether it may train;
//  - the tutorial's two models as presets: the builder's buttons only ask for one
//    (presetRequested), the window decides (unsaved work) and calls applyMlpPreset()/applyCnnPreset()/
//    applyDigitsPreset() (augmentation and a small CNN, for reading drawn digits);
//  - export/import of the architecture as a DigitLab spec (saveArchitecture()/loadArchitecture(),
//    offered by the window's File menu).
//
// An empty stack (File > New) shows how to begin instead of an error; the model is invalid until
// it has layers. The problem of an invalid stack sits in a line of fixed height above the
// property editor (elided, the whole text in its tooltip), so the editor never moves while the
// person types.
//
// Every change of the architecture goes through the undo stack (undoStack(), Ctrl+Z /
// Ctrl+Shift+Z); the undo/redo actions are disabled while the builder is (during a training run).
// Edits of one argument merge into one undo step only within one editing session: a change of
// field or layer, focus entering or leaving the field, Enter, undo/redo or any other command
// starts a new one.
// The training settings travel with the spec (for presets and files) but are not edited here:
// setTrainingSpec() keeps them current, trainingSpecLoaded() hands a preset's or a file's
// settings to whoever edits them - also when undo/redo goes back to or past such a replacement.

#include "nn/ModelAnalysis.h"
#include "nn/ModelSpec.h"
#include "train/TrainingTypes.h"

#include <QString>
#include <QWidget>

class QAction;
class QComboBox;
class QHBoxLayout;
class QVBoxLayout;
class QLabel;
class QSplitter;
class QModelIndex;
class QToolButton;
class QTreeView;
class QUndoStack;

namespace dl {

class LayerListModel;
class LayerStackDelegate;
class LayerPalette;
class AugmentationPreview;
class LayerPropertyEditor;
class SpecChangeCommand;

class ModelBuilder : public QWidget {
  Q_OBJECT

 public:
  explicit ModelBuilder(QWidget* parent = nullptr);
  ~ModelBuilder() override;

  // The model as built (layers, input shape) with the current training settings.
  ModelSpec spec() const;
  // Replaces the architecture and the training settings as one undoable step ("text" names it in
  // the undo history), emitting trainingSpecLoaded; undoing it brings both back.
  void setSpec(const ModelSpec& spec, const QString& text = {});
  // Keeps the training part of spec() current (not an undoable edit; emits nothing).
  void setTrainingSpec(const TrainingSpec& training);

  const ModelAnalysis& analysis() const { return m_analysis; }
  bool isValid() const { return m_analysis.ok(); }
  // The analysis's message when invalid ("Layer 3 'conv2d_1' (Conv2D): ..."), guidance when the
  // model has no layers yet, else empty.
  QString errorText() const;
  // "Total params: 178,110 (695.74 KB)"
  QString totalsText() const;

  QUndoStack* undoStack() const { return m_undo; }
  // Undo/Redo actions (Ctrl+Z, Ctrl+Shift+Z): the window puts these same actions in its menu.
  QAction* undoAction() const { return m_undoAction; }
  QAction* redoAction() const { return m_redoAction; }
  LayerPalette* palette() const { return m_palette; }
  QTreeView* layerView() const { return m_view; }
  // The stack/editor splitter as the person left it (empty while they never dragged its handle, so
  // that the builder keeps sharing the height out), and bringing it back in a later session.
  QByteArray splitterState() const;
  void restoreSplitterState(const QByteArray& state);
  LayerListModel* layerModel() const { return m_model; }
  LayerPropertyEditor* propertyEditor() const { return m_editor; }
  // Under the property editor while an augmentation layer is selected; the window gives it a few
  // training digits (setImages) whenever data loads.
  AugmentationPreview* augmentationPreview() const { return m_preview; }

  // The selected layer (-1: none) and selecting one (-1 clears the selection).
  int currentLayer() const;
  void selectLayer(int row);

  // Editing operations (each one undoable step). `row`/`before` out of range: nothing happens.
  void addLayer(LayerKind kind);                 // after the selected layer, else at the end
  void insertLayer(LayerKind kind, int before);  // a new layer with sensible arguments
  void removeLayer(int row);
  void duplicateLayer(int row);
  void moveLayer(int from, int to);  // to: its index afterwards
  void setLayer(int row, const LayerSpec& layer);
  void setInputShape(const Shape& shape);

  // A new layer of this kind as the builder adds it (Dense 64 relu, Conv2D 32 3x3 relu, ...).
  static LayerSpec defaultLayer(LayerKind kind);

  // Export/import as a DigitLab spec JSON file. On failure: false and *error says why.
  bool saveToFile(const QString& path, QString* error = nullptr) const;
  bool loadFromFile(const QString& path, QString* error = nullptr);

 public slots:
  void applyMlpPreset();
  void applyCnnPreset();
  void applyDigitsPreset();
  // File > Export/Import architecture (JSON)…: a file dialog starting in settings::lastFolder()
  // (remembered); problems in a message box, success as message() ("Wrote …", "Imported …").
  void saveArchitecture();
  void loadArchitecture();

 signals:
  // After every change of the architecture (also by undo/redo).
  void specChanged(const dl::ModelSpec& spec);
  // When the stack turns valid or invalid.
  void validityChanged(bool valid);
  // A preset or a loaded file brought training settings with it (or undo/redo restored them).
  void trainingSpecLoaded(const dl::TrainingSpec& training);
  // For the status bar.
  void message(const QString& text);
  // The builder's preset buttons: "mlp" or "cnn". Nothing is applied: the window asks about
  // unsaved work, then calls applyMlpPreset()/applyCnnPreset()/applyDigitsPreset().
  void presetRequested(const QString& id);
  // The selected layer changed (-1: none), by a click, a key or selectLayer().
  void currentLayerChanged(int row);

 private:
  friend class SpecChangeCommand;
  // The constructor's steps, top to bottom.
  void createUndo();
  QHBoxLayout* createTopRow();
  QHBoxLayout* createInputRow();
  void createPalette(QVBoxLayout* layout);
  QWidget* createStack();
  QHBoxLayout* createRowButtons();
  QWidget* createStatus(QWidget* parent);
  void createEditor();
  // Shows this architecture and selects `row`; withTraining: takes over its training settings
  // too (emitting trainingSpecLoaded), else keeps the current ones.
  void applyArchitecture(const ModelSpec& spec, int selectRow, bool withTraining = false);
  void push(const ModelSpec& after, int rowAfter, const QString& text, int mergeKey = -1, bool withTraining = false);
  void onSelectionChanged();
  void onLayerEdited(const LayerSpec& layer, int field);
  // The next property edit starts a new undo step.
  void endEditSession();
  void updateActions();
  void updateUndoActions();

 protected:
  void changeEvent(QEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  QString layerLabel(int row) const;
  // Fits the problem text into the error line's fixed height.
  void updateErrorLabel();
  // Arranges the stack's rows to fit its width: every name and shape in full.
  void fitStackColumns();
  // Shares the splitter's height between the stack and the property editor.
  void shareSplitter();

  ModelSpec m_spec;
  ModelAnalysis m_analysis;
  bool m_valid = false;

  QUndoStack* m_undo = nullptr;
  QAction* m_undoAction = nullptr;
  QAction* m_redoAction = nullptr;
  LayerPalette* m_palette = nullptr;
  LayerListModel* m_model = nullptr;
  QTreeView* m_view = nullptr;
  LayerStackDelegate* m_delegate = nullptr;
  QSplitter* m_splitter = nullptr;
  bool m_splitterMoved = false;  // the person dragged the handle: their sizes stay
  LayerPropertyEditor* m_editor = nullptr;
  AugmentationPreview* m_preview = nullptr;
  QComboBox* m_inputShape = nullptr;
  QLabel* m_totals = nullptr;
  QLabel* m_error = nullptr;
  QString m_errorFull;  // the error line's whole text
  QToolButton* m_deleteButton = nullptr;
  QToolButton* m_duplicateButton = nullptr;
  QToolButton* m_upButton = nullptr;
  QToolButton* m_downButton = nullptr;

  // The property-editing session: edits of m_editField of m_editRow merge under m_editSession.
  int m_editSession = 0;
  int m_editRow = -1;
  int m_editField = -1;
  bool m_pushing = false;
};

}  // namespace dl
