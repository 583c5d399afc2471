// The model builder panel: palette, layer stack with live shapes, property editor, undo, presets.

#include "ModelBuilder.h"

#include "LayerListModel.h"
#include "LayerPalette.h"
#include "LayerPropertyEditor.h"
#include "SpecChangeCommand.h"

#include "model/ModelSpecJson.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QSaveFile>
#include <QShortcut>
#include <QSignalBlocker>
#include <QStandardPaths>
#include <QStyle>
#include <QToolButton>
#include <QTreeView>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>

namespace dl {

namespace {

const Shape kFlatInput{784};
const Shape kImageInput{28, 28, 1};

// Keras's readable_memory_size: 1024-based, two decimals.
QString memorySize(int64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB"};
  double size = double(bytes);
  int unit = 0;
  while (size >= 1024 && unit < 3) {
    size /= 1024;
    ++unit;
  }
  return QStringLiteral("%1 %2").arg(size, 0, 'f', 2).arg(QLatin1String(units[unit]));
}

QString thousands(int64_t n) {
  return QString::fromStdString(withThousands(n));
}

QToolButton* toolButton(const QString& text, const QString& tip, QWidget* parent) {
  auto* b = new QToolButton(parent);
  b->setText(text);
  b->setToolTip(tip);
  b->setAutoRaise(false);
  return b;
}

}  // namespace

ModelBuilder::ModelBuilder(QWidget* parent) : QWidget(parent) {
  m_undo = new QUndoStack(this);
  // Our own actions rather than QUndoStack::createUndoAction's, which re-enable themselves
  // whenever the stack can undo: these are also off while the builder is disabled.
  m_undoAction = new QAction(style()->standardIcon(QStyle::SP_ArrowBack), tr("&Undo"), this);
  m_undoAction->setObjectName(QStringLiteral("undoAction"));
  m_undoAction->setShortcuts({QKeySequence(QKeySequence::Undo)});
  m_redoAction = new QAction(style()->standardIcon(QStyle::SP_ArrowForward), tr("&Redo"), this);
  m_redoAction->setObjectName(QStringLiteral("redoAction"));
  m_redoAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
  connect(m_undoAction, &QAction::triggered, this, [this] {
    if (isEnabled()) m_undo->undo();
  });
  connect(m_redoAction, &QAction::triggered, this, [this] {
    if (isEnabled()) m_undo->redo();
  });
  connect(m_undo, &QUndoStack::canUndoChanged, this, &ModelBuilder::updateUndoActions);
  connect(m_undo, &QUndoStack::canRedoChanged, this, &ModelBuilder::updateUndoActions);
  connect(m_undo, &QUndoStack::undoTextChanged, this, &ModelBuilder::updateUndoActions);
  connect(m_undo, &QUndoStack::redoTextChanged, this, &ModelBuilder::updateUndoActions);
  // Undo/redo (not a push) ends a property-editing session.
  connect(m_undo, &QUndoStack::indexChanged, this, [this] {
    if (!m_pushing) endEditSession();
  });
  updateUndoActions();
  addAction(m_undoAction);
  addAction(m_redoAction);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);

  // Presets, files, undo.
  auto* top = new QHBoxLayout;
  auto* mlp = toolButton(tr("Tutorial MLP"), tr("The tutorial's multilayer perceptron (178,110 parameters)"), this);
  mlp->setObjectName(QStringLiteral("mlpPresetButton"));
  auto* cnn = toolButton(tr("Tutorial CNN"), tr("The tutorial's convolutional network (3,274,634 parameters)"), this);
  cnn->setObjectName(QStringLiteral("cnnPresetButton"));
  auto* load = toolButton(tr("Load…"), tr("Load an architecture (DigitLab spec or Keras model JSON)"), this);
  auto* save = toolButton(tr("Save…"), tr("Save the architecture and training settings as a DigitLab spec"), this);
  auto* undo = new QToolButton(this);
  undo->setDefaultAction(m_undoAction);
  undo->setToolButtonStyle(Qt::ToolButtonIconOnly);
  auto* redo = new QToolButton(this);
  redo->setDefaultAction(m_redoAction);
  redo->setToolButtonStyle(Qt::ToolButtonIconOnly);
  top->addWidget(mlp);
  top->addWidget(cnn);
  top->addStretch(1);
  top->addWidget(undo);
  top->addWidget(redo);
  layout->addLayout(top);
  connect(mlp, &QToolButton::clicked, this, &ModelBuilder::applyMlpPreset);
  connect(cnn, &QToolButton::clicked, this, &ModelBuilder::applyCnnPreset);
  connect(load, &QToolButton::clicked, this, &ModelBuilder::loadArchitecture);
  connect(save, &QToolButton::clicked, this, &ModelBuilder::saveArchitecture);

  // Input shape.
  auto* inputRow = new QHBoxLayout;
  auto* inputLabel = new QLabel(tr("Input"), this);
  m_inputShape = new QComboBox(this);
  m_inputShape->setObjectName(QStringLiteral("inputShapeCombo"));
  m_inputShape->addItem(tr("(784) flat"));
  m_inputShape->addItem(tr("(28, 28, 1) image"));
  m_inputShape->setToolTip(tr("Dense layers take the flat vector; Conv2D and MaxPooling2D need the image"));
  inputLabel->setBuddy(m_inputShape);
  inputRow->addWidget(inputLabel);
  inputRow->addWidget(m_inputShape, 1);
  inputRow->addWidget(load);
  inputRow->addWidget(save);
  layout->addLayout(inputRow);
  connect(m_inputShape, &QComboBox::activated, this, [this](int index) {
    if (index == 0) setInputShape(kFlatInput);
    else if (index == 1) setInputShape(kImageInput);
  });

  // Palette.
  auto* paletteLabel = new QLabel(tr("Layers — double-click or drag into the model"), this);
  m_palette = new LayerPalette(this);
  layout->addWidget(paletteLabel);
  layout->addWidget(m_palette);
  connect(m_palette, &LayerPalette::kindActivated, this, &ModelBuilder::addLayer);

  // The stack.
  m_model = new LayerListModel(this);
  m_view = new QTreeView(this);
  m_view->setObjectName(QStringLiteral("layerView"));
  m_view->setModel(m_model);
  m_view->setRootIsDecorated(false);
  m_view->setUniformRowHeights(true);
  m_view->setAlternatingRowColors(true);
  m_view->setSelectionMode(QAbstractItemView::SingleSelection);
  m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_view->setDragEnabled(true);
  m_view->setAcceptDrops(true);
  m_view->setDropIndicatorShown(true);
  m_view->setDragDropMode(QAbstractItemView::DragDrop);
  m_view->setDefaultDropAction(Qt::MoveAction);
  m_view->setDragDropOverwriteMode(false);
  m_view->setAllColumnsShowFocus(true);
  m_view->header()->setStretchLastSection(false);
  m_view->header()->setSectionResizeMode(LayerListModel::NameColumn, QHeaderView::Stretch);
  m_view->header()->setSectionResizeMode(LayerListModel::ShapeColumn, QHeaderView::ResizeToContents);
  m_view->header()->setSectionResizeMode(LayerListModel::ParamsColumn, QHeaderView::ResizeToContents);
  m_view->setToolTip(QString());
  m_view->setMinimumHeight(140);
  layout->addWidget(m_view, 1);
  connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ModelBuilder::onSelectionChanged);
  connect(m_model, &LayerListModel::moveRequested, this, [this](int from, int before) {
    // Applied after the drop event has finished with the view and its model.
    QMetaObject::invokeMethod(this, [this, from, before] { moveLayer(from, before > from ? before - 1 : before); },
                              Qt::QueuedConnection);
  });
  connect(m_model, &LayerListModel::insertRequested, this, [this](LayerKind kind, int before) {
    QMetaObject::invokeMethod(this, [this, kind, before] { insertLayer(kind, before); }, Qt::QueuedConnection);
  });

  auto* rowButtons = new QHBoxLayout;
  m_upButton = toolButton(tr("Up"), tr("Move the layer up (Alt+Up)"), this);
  m_upButton->setIcon(style()->standardIcon(QStyle::SP_ArrowUp));
  m_downButton = toolButton(tr("Down"), tr("Move the layer down (Alt+Down)"), this);
  m_downButton->setIcon(style()->standardIcon(QStyle::SP_ArrowDown));
  m_duplicateButton = toolButton(tr("Duplicate"), tr("Duplicate the layer (Ctrl+D)"), this);
  m_deleteButton = toolButton(tr("Delete"), tr("Delete the layer (Del)"), this);
  for (QToolButton* b : {m_upButton, m_downButton}) b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  rowButtons->addWidget(m_upButton);
  rowButtons->addWidget(m_downButton);
  rowButtons->addStretch(1);
  rowButtons->addWidget(m_duplicateButton);
  rowButtons->addWidget(m_deleteButton);
  layout->addLayout(rowButtons);
  connect(m_upButton, &QToolButton::clicked, this, [this] { moveLayer(currentLayer(), currentLayer() - 1); });
  connect(m_downButton, &QToolButton::clicked, this, [this] { moveLayer(currentLayer(), currentLayer() + 1); });
  connect(m_duplicateButton, &QToolButton::clicked, this, [this] { duplicateLayer(currentLayer()); });
  connect(m_deleteButton, &QToolButton::clicked, this, [this] { removeLayer(currentLayer()); });
  const auto shortcut = [this](QKeySequence keys, auto slot) {
    auto* s = new QShortcut(keys, m_view, slot);
    s->setContext(Qt::WidgetWithChildrenShortcut);
  };
  shortcut(QKeySequence(QKeySequence::Delete), [this] { removeLayer(currentLayer()); });
  shortcut(QKeySequence(Qt::CTRL | Qt::Key_D), [this] { duplicateLayer(currentLayer()); });
  shortcut(QKeySequence(Qt::ALT | Qt::Key_Up), [this] { moveLayer(currentLayer(), currentLayer() - 1); });
  shortcut(QKeySequence(Qt::ALT | Qt::Key_Down), [this] { moveLayer(currentLayer(), currentLayer() + 1); });

  m_totals = new QLabel(this);
  m_totals->setObjectName(QStringLiteral("totalsLabel"));
  m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_totals);
  m_error = new QLabel(this);
  m_error->setObjectName(QStringLiteral("errorLabel"));
  m_error->setWordWrap(true);
  m_error->setStyleSheet(QStringLiteral("QLabel { color: #b01010; }"));
  m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_error);

  // Property editor.
  auto* group = new QGroupBox(tr("Layer arguments"), this);
  auto* groupLayout = new QVBoxLayout(group);
  m_editor = new LayerPropertyEditor(group);
  groupLayout->addWidget(m_editor);
  layout->addWidget(group, 1);
  connect(m_editor, &LayerPropertyEditor::layerEdited, this,
          [this](const LayerSpec& layer, LayerPropertyEditor::Field field) { onLayerEdited(layer, int(field)); });
  connect(m_editor, &LayerPropertyEditor::editingSessionEnded, this, &ModelBuilder::endEditSession);

  const ModelSpec initial = presetMlp();
  m_spec.training = initial.training;
  applyArchitecture(initial, 0);
  m_valid = m_analysis.ok();
}

ModelBuilder::~ModelBuilder() = default;

ModelSpec ModelBuilder::spec() const {
  return m_spec;
}

void ModelBuilder::setSpec(const ModelSpec& spec, const QString& text) {
  push(spec, spec.layers.empty() ? -1 : 0, text.isEmpty() ? tr("Replace the model") : text, -1, true);
}

void ModelBuilder::setTrainingSpec(const TrainingSpec& training) {
  m_spec.training = training;
}

QString ModelBuilder::errorText() const {
  return QString::fromStdString(m_analysis.error);
}

QString ModelBuilder::totalsText() const {
  if (!m_analysis.ok()) return tr("Total params: ? (the model is invalid)");
  return tr("Total params: %1 (%2)").arg(thousands(m_analysis.totalParams), memorySize(m_analysis.totalParams * 4));
}

int ModelBuilder::currentLayer() const {
  const QModelIndex current = m_view->selectionModel()->currentIndex();
  return current.isValid() && m_view->selectionModel()->isRowSelected(current.row(), {}) ? current.row() : -1;
}

void ModelBuilder::selectLayer(int row) {
  QItemSelectionModel* selection = m_view->selectionModel();
  if (row < 0 || row >= m_model->rowCount()) {
    selection->clear();
  } else {
    selection->setCurrentIndex(m_model->index(row, 0),
                               QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(m_model->index(row, 0));
  }
  onSelectionChanged();
}

LayerSpec ModelBuilder::defaultLayer(LayerKind kind) {
  LayerSpec l;
  l.kind = kind;
  switch (kind) {
    case LayerKind::Dense:
      l.units = 64;
      l.activation = "relu";
      break;
    case LayerKind::Dropout:
      l.rate = 0.25;
      break;
    case LayerKind::Conv2D:
      l.filters = 32;
      l.kernelH = l.kernelW = 3;
      l.strideH = l.strideW = 1;
      l.padding = "valid";
      l.activation = "relu";
      break;
    case LayerKind::MaxPooling2D:
      l.poolH = l.poolW = 2;
      l.strideH = l.strideW = 0;  // the pool size
      l.padding = "valid";
      break;
    case LayerKind::Flatten:
      break;
    case LayerKind::Activation:
      l.activation = "relu";
      break;
  }
  return l;
}

void ModelBuilder::addLayer(LayerKind kind) {
  const int row = currentLayer();
  insertLayer(kind, row >= 0 ? row + 1 : int(m_spec.layers.size()));
}

void ModelBuilder::insertLayer(LayerKind kind, int before) {
  if (before < 0 || before > int(m_spec.layers.size())) return;
  ModelSpec after = m_spec;
  after.layers.insert(after.layers.begin() + before, defaultLayer(kind));
  push(after, before, tr("Add %1").arg(QString::fromLatin1(layerKindName(kind))));
}

void ModelBuilder::removeLayer(int row) {
  if (row < 0 || row >= int(m_spec.layers.size())) return;
  const QString label = layerLabel(row);
  ModelSpec after = m_spec;
  after.layers.erase(after.layers.begin() + row);
  push(after, std::min(row, int(after.layers.size()) - 1), tr("Delete %1").arg(label));
}

void ModelBuilder::duplicateLayer(int row) {
  if (row < 0 || row >= int(m_spec.layers.size())) return;
  ModelSpec after = m_spec;
  LayerSpec copy = after.layers[size_t(row)];
  copy.name.clear();  // names must be unique: the copy takes an automatic one
  after.layers.insert(after.layers.begin() + row + 1, copy);
  push(after, row + 1, tr("Duplicate %1").arg(layerLabel(row)));
}

void ModelBuilder::moveLayer(int from, int to) {
  const int n = int(m_spec.layers.size());
  if (from < 0 || from >= n || to < 0 || to >= n || from == to) return;
  const QString label = layerLabel(from);
  ModelSpec after = m_spec;
  const LayerSpec moved = after.layers[size_t(from)];
  after.layers.erase(after.layers.begin() + from);
  after.layers.insert(after.layers.begin() + to, moved);
  push(after, to, tr("Move %1").arg(label));
}

void ModelBuilder::setLayer(int row, const LayerSpec& layer) {
  if (row < 0 || row >= int(m_spec.layers.size()) || m_spec.layers[size_t(row)] == layer) return;
  ModelSpec after = m_spec;
  after.layers[size_t(row)] = layer;
  push(after, row, tr("Edit %1").arg(layerLabel(row)));
}

void ModelBuilder::setInputShape(const Shape& shape) {
  if (shape == m_spec.inputShape || shape.empty()) return;
  ModelSpec after = m_spec;
  after.inputShape = shape;
  QStringList dims;
  for (int d : shape) dims << QString::number(d);
  push(after, currentLayer(), tr("Set input shape (%1)").arg(dims.join(QStringLiteral(", "))));
}

bool ModelBuilder::saveToFile(const QString& path, QString* error) const {
  QSaveFile file(path);
  const std::string json = modelSpecToJson(spec());
  if (!file.open(QIODevice::WriteOnly) || file.write(json.data(), qint64(json.size())) != qint64(json.size()) ||
      !file.commit()) {
    if (error) *error = tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    return false;
  }
  return true;
}

bool ModelBuilder::loadFromFile(const QString& path, QString* error) {
  try {
    const ModelSpec loaded = readModelSpecFile(path.toStdString());
    setSpec(loaded, tr("Load %1").arg(QFileInfo(path).fileName()));
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
}

void ModelBuilder::applyMlpPreset() {
  setSpec(presetMlp(), tr("Tutorial MLP"));
  emit message(tr("Tutorial MLP: 178,110 parameters; SGD 0.2, batch 32, 5 epochs."));
}

void ModelBuilder::applyCnnPreset() {
  setSpec(presetCnn(), tr("Tutorial CNN"));
  emit message(tr("Tutorial CNN: 3,274,634 parameters; Adam 1e-4, batch 64, 1 epoch."));
}

void ModelBuilder::saveArchitecture() {
  const QString dir = m_lastDir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) : m_lastDir;
  const QString name = QString::fromStdString(m_spec.name.empty() ? std::string("model") : m_spec.name);
  const QString path = QFileDialog::getSaveFileName(this, tr("Save architecture"), dir + QLatin1Char('/') + name +
                                                    QStringLiteral(".json"), tr("DigitLab model spec (*.json)"));
  if (path.isEmpty()) return;
  m_lastDir = QFileInfo(path).absolutePath();
  QString error;
  if (!saveToFile(path, &error)) {
    QMessageBox::warning(this, tr("Save architecture"), error);
    return;
  }
  emit message(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
}

void ModelBuilder::loadArchitecture() {
  const QString dir = m_lastDir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) : m_lastDir;
  const QString path = QFileDialog::getOpenFileName(this, tr("Load architecture"), dir,
                                                    tr("Model specs (*.json);;All files (*)"));
  if (path.isEmpty()) return;
  m_lastDir = QFileInfo(path).absolutePath();
  QString error;
  if (!loadFromFile(path, &error)) {
    QMessageBox::warning(this, tr("Load architecture"), error);
    return;
  }
  emit message(tr("Loaded %1").arg(QDir::toNativeSeparators(path)));
}

void ModelBuilder::applyArchitecture(const ModelSpec& architecture, int selectRow, bool withTraining) {
  m_spec.name = architecture.name;
  m_spec.inputShape = architecture.inputShape;
  m_spec.layers = architecture.layers;
  m_analysis = analyze(m_spec);
  m_model->setSpec(m_spec, m_analysis);

  {
    QSignalBlocker block(m_inputShape);
    while (m_inputShape->count() > 2) m_inputShape->removeItem(2);
    if (m_spec.inputShape == kFlatInput) {
      m_inputShape->setCurrentIndex(0);
    } else if (m_spec.inputShape == kImageInput) {
      m_inputShape->setCurrentIndex(1);
    } else {
      m_inputShape->addItem(QString::fromStdString(shapeToString(m_spec.inputShape)));
      m_inputShape->setCurrentIndex(2);
    }
  }
  m_totals->setText(totalsText() + QLatin1Char('\n') +
                    (m_analysis.ok() ? tr("Trainable: %1 · Non-trainable: 0").arg(thousands(m_analysis.totalParams))
                                     : QString()));
  m_error->setText(errorText());
  m_error->setVisible(!m_analysis.ok());
  selectLayer(selectRow);

  if (withTraining) m_spec.training = architecture.training;
  emit specChanged(spec());
  if (m_valid != m_analysis.ok()) {
    m_valid = m_analysis.ok();
    emit validityChanged(m_valid);
  }
  if (withTraining) emit trainingSpecLoaded(m_spec.training);
}

void ModelBuilder::push(const ModelSpec& after, int rowAfter, const QString& text, int mergeKey, bool withTraining) {
  if (after.inputShape == m_spec.inputShape && after.layers == m_spec.layers && after.name == m_spec.name &&
      (!withTraining || after.training == m_spec.training))
    return;
  if (mergeKey < 0) endEditSession();  // any other command ends a property-editing session
  m_pushing = true;
  m_undo->push(new SpecChangeCommand(this, m_spec, after, currentLayer(), rowAfter, text, mergeKey, withTraining));
  m_pushing = false;
}

void ModelBuilder::onSelectionChanged() {
  const int row = currentLayer();
  if (row != m_editRow) endEditSession();
  if (row >= 0 && row < int(m_spec.layers.size())) {
    const std::vector<std::string> names = layerNames(m_spec);
    QStringList others;
    for (size_t i = 0; i < names.size(); ++i)
      if (int(i) != row) others << QString::fromStdString(names[i]);
    m_editor->setLayer(m_spec.layers[size_t(row)], QString::fromStdString(names[size_t(row)]), others);
  } else {
    m_editor->clearLayer();
  }
  updateActions();
}

void ModelBuilder::onLayerEdited(const LayerSpec& layer, int field) {
  const int row = currentLayer();
  if (row < 0 || row >= int(m_spec.layers.size())) return;
  if (row != m_editRow || field != m_editField) {
    endEditSession();
    m_editRow = row;
    m_editField = field;
  }
  ModelSpec after = m_spec;
  after.layers[size_t(row)] = layer;
  const QString what = LayerPropertyEditor::fieldName(LayerPropertyEditor::Field(field));
  push(after, row, tr("Change %1 of %2").arg(what, layerLabel(row)), m_editSession);
}

void ModelBuilder::endEditSession() {
  ++m_editSession;  // a key no earlier command has
  m_editRow = -1;
  m_editField = -1;
}

void ModelBuilder::updateUndoActions() {
  const bool on = isEnabled();
  m_undoAction->setEnabled(on && m_undo->canUndo());
  m_redoAction->setEnabled(on && m_undo->canRedo());
  const QString undo = m_undo->undoText(), redo = m_undo->redoText();
  m_undoAction->setText(undo.isEmpty() ? tr("&Undo") : tr("&Undo %1").arg(undo));
  m_redoAction->setText(redo.isEmpty() ? tr("&Redo") : tr("&Redo %1").arg(redo));
}

void ModelBuilder::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::EnabledChange) updateUndoActions();
}

void ModelBuilder::updateActions() {
  const int row = currentLayer();
  const int n = int(m_spec.layers.size());
  m_upButton->setEnabled(row > 0);
  m_downButton->setEnabled(row >= 0 && row + 1 < n);
  m_duplicateButton->setEnabled(row >= 0);
  m_deleteButton->setEnabled(row >= 0);
}

QString ModelBuilder::layerLabel(int row) const {
  const std::vector<std::string> names = layerNames(m_spec);
  return row >= 0 && row < int(names.size()) ? QString::fromStdString(names[size_t(row)]) : QString();
}

}  // namespace dl
