// The model builder panel: palette, layer stack with live shapes, property editor, undo, presets.

#include "ModelBuilder.h"

#include "nn/LayerRegistry.h"

#include "AppSettings.h"
#include "AugmentationPreview.h"
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
#include <QMouseEvent>
#include <QPainter>
#include <QSaveFile>
#include <QScrollArea>
#include <QShortcut>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTextLayout>
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
// Lines the problem text may take; the rest is elided (the whole text is its tooltip).
constexpr int kErrorLines = 3;

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

QString thousands(int64_t n) { return QString::fromStdString(withThousands(n)); }

QToolButton* toolButton(const QString& text, const QString& tip, QWidget* parent) {
  auto* b = new QToolButton(parent);
  b->setText(text);
  b->setToolTip(tip);
  b->setAutoRaise(false);
  return b;
}

// The layer stack's view: says how to begin while it has no rows, and a click below the rows
// clears the selection (the palette then appends at the end, the editor shows its hint).
class LayerStackView : public QTreeView {
 public:
  LayerStackView(const QString& placeholder, QWidget* parent) : QTreeView(parent), m_placeholder(placeholder) {}

 protected:
  void paintEvent(QPaintEvent* event) override {
    QTreeView::paintEvent(event);
    if (!model() || model()->rowCount() > 0) return;
    QPainter painter(viewport());
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(viewport()->rect().adjusted(10, 10, -10, -10), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
  }

  void mousePressEvent(QMouseEvent* event) override {
    if (event->button() == Qt::LeftButton && !indexAt(event->position().toPoint()).isValid() && selectionModel())
      selectionModel()->clear();
    QTreeView::mousePressEvent(event);
  }

 private:
  QString m_placeholder;
};

}  // namespace

// Shows the stack's rows as they fit the width: "name (Type)" on one line; the name and
// "(Type)" on two lines; or also the parameter count under the output shape, with the Param #
// column hidden (about 300 px). The model's data stays as Keras's summary has it.
class LayerStackDelegate : public QStyledItemDelegate {
 public:
  enum Arrangement { OneLine, TwoLineNames, ParamsUnderShape };
  using QStyledItemDelegate::QStyledItemDelegate;

  Arrangement arrangement() const { return m_arrangement; }
  void setArrangement(Arrangement arrangement) { m_arrangement = arrangement; }

  // "max_pooling2d_1 (MaxPooling2D)" -> "max_pooling2d_1" and "(MaxPooling2D)" on lines of their own
  static QString twoLineName(QString name) {
    const qsizetype open = name.lastIndexOf(QStringLiteral(" ("));
    if (open > 0) name[open] = QChar::LineSeparator;
    return name;
  }
  static QString paramsLine(const QString& params) {
    return params == QLatin1String("?") ? QStringLiteral("? params") : ModelBuilder::tr("%1 params").arg(params);
  }

 protected:
  void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override {
    QStyledItemDelegate::initStyleOption(option, index);
    if (m_arrangement == OneLine) return;
    if (index.column() == LayerListModel::NameColumn) {
      option->text = twoLineName(option->text);
    } else if (index.column() == LayerListModel::ShapeColumn && m_arrangement == ParamsUnderShape) {
      option->text +=
          QChar::LineSeparator + paramsLine(index.siblingAtColumn(LayerListModel::ParamsColumn).data().toString());
    }
  }

 private:
  Arrangement m_arrangement = OneLine;
};

ModelBuilder::ModelBuilder(QWidget* parent) : QWidget(parent) {
  createUndo();
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addLayout(createTopRow());
  layout->addLayout(createInputRow());
  createPalette(layout);
  // The stack, its buttons and its status above, the property editor below: a splitter between
  // them, each side scrolling when short.
  m_splitter = new QSplitter(Qt::Vertical, this);
  m_splitter->setObjectName(QStringLiteral("builderSplitter"));
  m_splitter->setChildrenCollapsible(false);
  auto* stackPane = new QWidget(m_splitter);
  auto* stackLayout = new QVBoxLayout(stackPane);
  stackLayout->setContentsMargins(0, 0, 0, 0);

  layout->addWidget(m_splitter, 1);
  stackLayout->addWidget(createStack(), 1);
  stackLayout->addLayout(createRowButtons());
  stackLayout->addWidget(createStatus(stackPane));
  m_splitter->addWidget(stackPane);
  createEditor();

  const ModelSpec initial = presetMlp();
  m_spec.training = initial.training;
  applyArchitecture(initial, 0);
  m_valid = m_analysis.ok();
}

// Undo and redo: our own actions rather than QUndoStack::createUndoAction's.
void ModelBuilder::createUndo() {
  m_undo = new QUndoStack(this);
  // QUndoStack::createUndoAction's would re-enable themselves
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
}

// Presets (the window applies them) and undo/redo.
QHBoxLayout* ModelBuilder::createTopRow() {
  auto* top = new QHBoxLayout;
  top->setSpacing(2);  // three presets and undo/redo fit a 300-pixel dock
  auto* mlp = toolButton(tr("Tutorial MLP"),
                         tr("Start from the tutorial's multilayer perceptron: Dense layers on the flat image, "
                            "178,110 parameters"),
                         this);
  mlp->setObjectName(QStringLiteral("mlpPresetButton"));
  auto* cnn = toolButton(tr("Tutorial CNN"),
                         tr("Start from the tutorial's convolutional network: Conv2D and MaxPooling2D layers, "
                            "3,274,634 parameters"),
                         this);
  cnn->setObjectName(QStringLiteral("cnnPresetButton"));
  auto* digits = toolButton(tr("Digits"),
                            tr("Start from a network made for reading drawn digits: augmentation layers that "
                               "rotate, shift and zoom the training digits, then a small CNN"),
                            this);
  digits->setObjectName(QStringLiteral("digitsPresetButton"));
  auto* undo = new QToolButton(this);
  undo->setObjectName(QStringLiteral("undoButton"));
  undo->setDefaultAction(m_undoAction);
  undo->setToolButtonStyle(Qt::ToolButtonIconOnly);
  auto* redo = new QToolButton(this);
  redo->setObjectName(QStringLiteral("redoButton"));
  redo->setDefaultAction(m_redoAction);
  redo->setToolButtonStyle(Qt::ToolButtonIconOnly);
  top->addWidget(mlp);
  top->addWidget(cnn);
  top->addWidget(digits);
  top->addStretch(1);
  top->addWidget(undo);
  top->addWidget(redo);
  connect(mlp, &QToolButton::clicked, this, [this] { emit presetRequested(QStringLiteral("mlp")); });
  connect(cnn, &QToolButton::clicked, this, [this] { emit presetRequested(QStringLiteral("cnn")); });
  connect(digits, &QToolButton::clicked, this, [this] { emit presetRequested(QStringLiteral("digits")); });

  return top;
}

// The input shape: flat or image.
QHBoxLayout* ModelBuilder::createInputRow() {
  auto* inputRow = new QHBoxLayout;
  auto* inputLabel = new QLabel(tr("&Input"), this);
  m_inputShape = new QComboBox(this);
  m_inputShape->setObjectName(QStringLiteral("inputShapeCombo"));
  m_inputShape->addItem(tr("(784) flat"));
  m_inputShape->addItem(tr("(28, 28, 1) image"));
  m_inputShape->setToolTip(
      tr("The shape of one sample entering the first layer: Dense layers take the flat "
         "vector of 784 pixels; Conv2D and MaxPooling2D need the 28×28 image"));
  m_inputShape->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  inputLabel->setToolTip(m_inputShape->toolTip());
  inputLabel->setBuddy(m_inputShape);
  inputRow->addWidget(inputLabel);
  inputRow->addWidget(m_inputShape, 1);
  connect(m_inputShape, &QComboBox::activated, this, [this](int index) {
    if (index == 0)
      setInputShape(kFlatInput);
    else if (index == 1)
      setInputShape(kImageInput);
  });

  return inputRow;
}

// The palette of layer kinds and its caption.
void ModelBuilder::createPalette(QVBoxLayout* layout) {
  auto* paletteLabel = new QLabel(tr("Add a layer: double-click, Enter or drag"), this);
  paletteLabel->setToolTip(
      tr("Double-click a layer type (or select it and press Enter or Space) to add it after "
         "the selected layer; drag it to put it anywhere in the stack"));
  paletteLabel->setWordWrap(true);
  m_palette = new LayerPalette(this);
  paletteLabel->setBuddy(m_palette);
  layout->addWidget(paletteLabel);
  layout->addWidget(m_palette);
  connect(m_palette, &LayerPalette::kindActivated, this, &ModelBuilder::addLayer);
}

// The layer stack: the view over LayerListModel, drag and drop, selection.
QWidget* ModelBuilder::createStack() {
  m_model = new LayerListModel(this);
  m_view = new LayerStackView(tr("No layers yet.\n\nAdd layers from the palette: double-click, press Enter or "
                                 "drag — or pick a preset above."),
                              this);
  m_view->setObjectName(QStringLiteral("layerView"));
  m_view->setAccessibleName(tr("Layer stack"));
  m_view->setAccessibleDescription(
      tr("The model's layers from input to output, with output shapes and "
         "parameter counts"));
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
  m_delegate = new LayerStackDelegate(m_view);
  m_view->setItemDelegate(m_delegate);
  m_view->viewport()->installEventFilter(this);  // fits the columns to its width
  m_view->header()->setStretchLastSection(false);
  m_view->header()->setSectionResizeMode(LayerListModel::NameColumn, QHeaderView::Stretch);
  m_view->header()->setSectionResizeMode(LayerListModel::ShapeColumn, QHeaderView::ResizeToContents);
  m_view->header()->setSectionResizeMode(LayerListModel::ParamsColumn, QHeaderView::ResizeToContents);
  m_view->setMinimumHeight(110);
  // The current row changes before the selection on a mouse press: follow both.
  connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ModelBuilder::onSelectionChanged);
  connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ModelBuilder::onSelectionChanged);
  connect(m_model, &LayerListModel::moveRequested, this, [this](int from, int before) {
    // Applied after the drop event has finished with the view and its model.
    QMetaObject::invokeMethod(
        this, [this, from, before] { moveLayer(from, before > from ? before - 1 : before); }, Qt::QueuedConnection);
  });
  connect(m_model, &LayerListModel::insertRequested, this, [this](LayerKind kind, int before) {
    QMetaObject::invokeMethod(
        this, [this, kind, before] { insertLayer(kind, before); }, Qt::QueuedConnection);
  });

  return m_view;
}

// Up, Down, Duplicate, Delete and their shortcuts.
QHBoxLayout* ModelBuilder::createRowButtons() {
  auto* rowButtons = new QHBoxLayout;
  m_upButton = toolButton(tr("Up"), tr("Move the selected layer up (Alt+Up)"), this);
  m_upButton->setObjectName(QStringLiteral("upButton"));
  m_upButton->setIcon(style()->standardIcon(QStyle::SP_ArrowUp));
  m_downButton = toolButton(tr("Down"), tr("Move the selected layer down (Alt+Down)"), this);
  m_downButton->setObjectName(QStringLiteral("downButton"));
  m_downButton->setIcon(style()->standardIcon(QStyle::SP_ArrowDown));
  m_duplicateButton = toolButton(tr("Duplicate"), tr("Insert a copy of the selected layer below it (Ctrl+D)"), this);
  m_duplicateButton->setObjectName(QStringLiteral("duplicateButton"));
  m_deleteButton = toolButton(tr("Delete"), tr("Delete the selected layer (Del)"), this);
  m_deleteButton->setObjectName(QStringLiteral("deleteButton"));
  for (QToolButton* b : {m_upButton, m_downButton}) b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  rowButtons->addWidget(m_upButton);
  rowButtons->addWidget(m_downButton);
  rowButtons->addStretch(1);
  rowButtons->addWidget(m_duplicateButton);
  rowButtons->addWidget(m_deleteButton);
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

  return rowButtons;
}

// The totals, or the problem, in a box of fixed height: nothing moves when it changes.
QWidget* ModelBuilder::createStatus(QWidget* parent) {
  const int line = fontMetrics().lineSpacing();
  auto* status = new QWidget(parent);
  status->setObjectName(QStringLiteral("statusBox"));
  status->setFixedHeight(kErrorLines * line + 4);
  auto* statusLayout = new QVBoxLayout(status);
  statusLayout->setContentsMargins(0, 2, 0, 2);
  statusLayout->setSpacing(0);
  m_totals = new QLabel(status);
  m_totals->setObjectName(QStringLiteral("totalsLabel"));
  m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_totals->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  m_totals->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  m_totals->setToolTip(
      tr("Parameters the model learns, and their memory as 32-bit floats (as Keras's "
         "model.summary() counts them)"));
  statusLayout->addWidget(m_totals);
  m_error = new QLabel(status);
  m_error->setObjectName(QStringLiteral("errorLabel"));
  m_error->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_error->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  m_error->installEventFilter(this);  // re-fits the text when its width changes
  statusLayout->addWidget(m_error);
  return status;
}

// The property editor below the splitter's handle, scrolling when the splitter leaves it little room.
void ModelBuilder::createEditor() {
  const int line = fontMetrics().lineSpacing();
  auto* group = new QGroupBox(tr("Layer arguments"), m_splitter);
  group->setObjectName(QStringLiteral("propertyGroup"));
  auto* groupLayout = new QVBoxLayout(group);
  groupLayout->setContentsMargins(2, 2, 2, 2);
  auto* scroll = new QScrollArea(group);
  scroll->setObjectName(QStringLiteral("propertyScroll"));
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidgetResizable(true);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  // The editor, and under it what the selected augmentation layer does to training digits.
  auto* page = new QWidget(scroll);
  auto* pageLayout = new QVBoxLayout(page);
  pageLayout->setContentsMargins(4, 4, 4, 4);
  m_editor = new LayerPropertyEditor(page);
  pageLayout->addWidget(m_editor);
  m_preview = new AugmentationPreview(page);
  pageLayout->addWidget(m_preview);
  pageLayout->addStretch(1);
  scroll->setWidget(page);
  scroll->setMinimumHeight(3 * line);
  groupLayout->addWidget(scroll);
  m_splitter->addWidget(group);
  m_splitter->setStretchFactor(0, 1);
  m_splitter->setStretchFactor(1, 0);
  m_splitter->installEventFilter(this);  // shares its height out until the person drags the handle
  connect(m_splitter, &QSplitter::splitterMoved, this, [this] { m_splitterMoved = true; });
  connect(m_editor, &LayerPropertyEditor::layerEdited, this,
          [this](const LayerSpec& layer, LayerPropertyEditor::Field field) { onLayerEdited(layer, int(field)); });
  connect(m_editor, &LayerPropertyEditor::editingSessionEnded, this, &ModelBuilder::endEditSession);
}

ModelBuilder::~ModelBuilder() = default;

ModelSpec ModelBuilder::spec() const { return m_spec; }

void ModelBuilder::setSpec(const ModelSpec& spec, const QString& text) {
  push(spec, spec.layers.empty() ? -1 : 0, text.isEmpty() ? tr("Replace the model") : text, -1, true);
}

void ModelBuilder::setTrainingSpec(const TrainingSpec& training) { m_spec.training = training; }

QString ModelBuilder::errorText() const {
  if (m_spec.layers.empty() && m_analysis.error == "the model has no layers")
    return tr("the model has no layers yet: add layers from the palette or pick a preset");
  return QString::fromStdString(m_analysis.error);
}

QString ModelBuilder::totalsText() const {
  if (m_spec.layers.empty()) return tr("Total params: 0 (no layers yet)");
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
    selection->setCurrentIndex(m_model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(m_model->index(row, 0));
  }
  onSelectionChanged();
}

LayerSpec ModelBuilder::defaultLayer(LayerKind kind) { return layerKindInfo(kind).newLayer(); }

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

void ModelBuilder::applyDigitsPreset() {
  const ModelSpec digits = presetDigits();
  setSpec(digits, tr("Digits"));
  emit message(tr("Digits: %1 parameters; augmentation, Adam %2, batch %3, %4 epochs.")
                   .arg(thousands(m_analysis.totalParams))
                   .arg(digits.training.optimizer.learningRate)
                   .arg(digits.training.batchSize)
                   .arg(digits.training.epochs));
}

void ModelBuilder::saveArchitecture() {
  const QString name = QString::fromStdString(m_spec.name.empty() ? std::string("model") : m_spec.name);
  const QString path = QFileDialog::getSaveFileName(this, tr("Export architecture"),
                                                    settings::inLastFolder(name + QStringLiteral(".json")),
                                                    tr("DigitLab model spec (*.json)"));
  if (path.isEmpty()) return;
  settings::rememberFolder(path);
  QString error;
  if (!saveToFile(path, &error)) {
    QMessageBox::warning(this, tr("Export architecture"), error);
    return;
  }
  emit message(tr("Wrote %1").arg(QDir::toNativeSeparators(path)));
}

void ModelBuilder::loadArchitecture() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Import architecture"), settings::lastFolder(),
                                                    tr("Model specs (*.json);;All files (*)"));
  if (path.isEmpty()) return;
  settings::rememberFolder(path);
  QString error;
  if (!loadFromFile(path, &error)) {
    QMessageBox::warning(this, tr("Import architecture"), error);
    return;
  }
  emit message(tr("Imported %1").arg(QDir::toNativeSeparators(path)));
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
                    (m_analysis.ok()
                         ? tr("Trainable: %1 · Non-trainable: %2")
                               .arg(thousands(m_analysis.trainableParams()), thousands(m_analysis.nonTrainableParams))
                         : QString()));
  m_totals->setVisible(m_analysis.ok());
  m_errorFull = m_spec.layers.empty() ? tr("Nothing to train yet: a model needs layers, ending in a Dense "
                                           "layer of 10 units with the softmax activation.")
                                      : errorText();
  // An empty model is a beginning, not a mistake: guidance in the normal colour.
  m_error->setStyleSheet(m_spec.layers.empty() ? QString() : QStringLiteral("QLabel { color: #b01010; }"));
  updateErrorLabel();
  m_error->setVisible(!m_analysis.ok());
  fitStackColumns();
  selectLayer(selectRow);
  m_preview->setModel(m_spec, currentLayer());  // also when the selection stays: an argument changed

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
  m_preview->setModel(m_spec, row);
  updateActions();
  emit currentLayerChanged(row);
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
  const QString what = LayerPropertyEditor::fieldName(layer.kind, LayerPropertyEditor::Field(field));
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
  const QString undoKeys = m_undoAction->shortcut().toString(QKeySequence::NativeText);
  const QString redoKeys = m_redoAction->shortcut().toString(QKeySequence::NativeText);
  m_undoAction->setToolTip(undo.isEmpty() ? tr("Undo (%1): nothing to undo").arg(undoKeys)
                                          : tr("Undo %1 (%2)").arg(undo, undoKeys));
  m_redoAction->setToolTip(redo.isEmpty() ? tr("Redo (%1): nothing to redo").arg(redoKeys)
                                          : tr("Redo %1 (%2)").arg(redo, redoKeys));
}

bool ModelBuilder::eventFilter(QObject* watched, QEvent* event) {
  if (watched == m_error && event->type() == QEvent::Resize) updateErrorLabel();
  if (watched == m_splitter && event->type() == QEvent::Resize && !m_splitterMoved)
    QMetaObject::invokeMethod(this, &ModelBuilder::shareSplitter, Qt::QueuedConnection);
  if (watched == m_view->viewport() && event->type() == QEvent::Resize)
    QMetaObject::invokeMethod(this, &ModelBuilder::fitStackColumns, Qt::QueuedConnection);
  return QWidget::eventFilter(watched, event);
}

QByteArray ModelBuilder::splitterState() const { return m_splitterMoved ? m_splitter->saveState() : QByteArray(); }

void ModelBuilder::restoreSplitterState(const QByteArray& state) {
  if (!state.isEmpty() && m_splitter->restoreState(state)) m_splitterMoved = true;
}

void ModelBuilder::shareSplitter() {
  if (m_splitterMoved) return;
  // The editor wants the height of its longest form (Conv2D: ten rows) but takes at most 45% of
  // the height; the stack, its buttons and the totals get the rest.
  QSpinBox probe;
  const int wanted = 11 * (probe.sizeHint().height() + 6) + 2 * fontMetrics().lineSpacing();
  const int total = m_splitter->height() - m_splitter->handleWidth();
  const int stackMinimum = m_splitter->widget(0)->minimumSizeHint().height();
  int editor = std::min(wanted, std::max(total * 45 / 100, m_splitter->widget(1)->minimumSizeHint().height()));
  editor = std::max(0, std::min(editor, total - stackMinimum));
  const QList<int> sizes{total - editor, editor};
  if (m_splitter->sizes() != sizes) m_splitter->setSizes(sizes);
}

void ModelBuilder::fitStackColumns() {
  // The widest text of each column as the view shows it, in each arrangement.
  const QFontMetrics metrics(m_view->font());
  const int margins = 2 * (m_view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_view) + 1) + 6;
  const int icon = 12 + 6;  // the category swatch and its gap
  int nameOneLine = 0, nameTwoLines = 0, shape = 0, params = 0, shapeAndParams = 0;
  for (int row = 0; row < m_model->rowCount(); ++row) {
    const QString name = m_model->index(row, LayerListModel::NameColumn).data().toString();
    nameOneLine = std::max(nameOneLine, metrics.horizontalAdvance(name));
    for (const QString& part : LayerStackDelegate::twoLineName(name).split(QChar::LineSeparator))
      nameTwoLines = std::max(nameTwoLines, metrics.horizontalAdvance(part));
    const QString shapeText = m_model->index(row, LayerListModel::ShapeColumn).data().toString();
    const QString paramsText = m_model->index(row, LayerListModel::ParamsColumn).data().toString();
    shape = std::max(shape, metrics.horizontalAdvance(shapeText));
    params = std::max(params, metrics.horizontalAdvance(paramsText));
    shapeAndParams = std::max(shapeAndParams, metrics.horizontalAdvance(LayerStackDelegate::paramsLine(paramsText)));
  }
  QHeaderView* header = m_view->header();
  shape = std::max(shape + margins, header->sectionSizeHint(LayerListModel::ShapeColumn));
  params = std::max(params + margins, header->sectionSizeHint(LayerListModel::ParamsColumn));
  shapeAndParams = std::max(shape, shapeAndParams + margins);
  const int width = m_view->viewport()->width();
  LayerStackDelegate::Arrangement arrangement = LayerStackDelegate::OneLine;
  if (nameOneLine + icon + margins + shape + params > width) arrangement = LayerStackDelegate::TwoLineNames;
  if (arrangement == LayerStackDelegate::TwoLineNames && nameTwoLines + icon + margins + shape + params > width)
    arrangement = LayerStackDelegate::ParamsUnderShape;
  if (arrangement == m_delegate->arrangement()) return;
  m_delegate->setArrangement(arrangement);
  m_view->setColumnHidden(LayerListModel::ParamsColumn, arrangement == LayerStackDelegate::ParamsUnderShape);
  m_view->doItemsLayout();  // new row heights and column widths
  header->resizeSections(QHeaderView::ResizeToContents);
  header->setSectionResizeMode(LayerListModel::NameColumn, QHeaderView::Stretch);
}

void ModelBuilder::updateErrorLabel() {
  // Wrapped here rather than by the label, so that the text can be cut at the last line that fits.
  const int width = m_error->contentsRect().width();
  QStringList lines;
  if (width > 0 && !m_errorFull.isEmpty()) {
    const QFontMetrics metrics(m_error->font());
    QTextLayout text(m_errorFull, m_error->font());
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);  // a long layer name breaks too
    text.setTextOption(option);
    text.beginLayout();
    for (QTextLine line = text.createLine(); line.isValid(); line = text.createLine()) {
      line.setLineWidth(width);
      if (lines.size() + 1 == kErrorLines) {
        lines << metrics.elidedText(m_errorFull.mid(line.textStart()).trimmed(), Qt::ElideRight, width);
        break;
      }
      lines << m_errorFull.mid(line.textStart(), line.textLength()).trimmed();
    }
    text.endLayout();
  }
  m_error->setText(lines.join(QLatin1Char('\n')));
  m_error->setToolTip(m_errorFull);
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
