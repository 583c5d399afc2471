// The selected layer's arguments, as a form whose rows follow the layer kind.

#include "LayerPropertyEditor.h"

#include "nn/LayerRegistry.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace dl {

namespace {

QSpinBox* makeSpin(int min, int max, QWidget* parent) {
  auto* spin = new QSpinBox(parent);
  spin->setRange(min, max);
  spin->setAccelerated(true);
  spin->setKeyboardTracking(false);  // typing "300" is one change, not 3, 30, 300
  return spin;
}

QComboBox* makeNameCombo(const std::vector<std::string>& names, QWidget* parent) {
  auto* combo = new QComboBox(parent);
  for (const std::string& n : names) combo->addItem(QString::fromStdString(n));
  return combo;
}

// Two spin boxes side by side: "5 × 5".
QWidget* pairRow(QSpinBox* a, QSpinBox* b, QWidget* parent) {
  auto* row = new QWidget(parent);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(a, 1);
  layout->addWidget(new QLabel(QStringLiteral("×"), row));
  layout->addWidget(b, 1);
  return row;
}

void setComboText(QComboBox* combo, const std::string& text) {
  const QString t = QString::fromStdString(text);
  int i = combo->findText(t);
  if (i < 0) {  // not one of ours (from a file): show it anyway
    combo->addItem(t);
    i = combo->count() - 1;
  }
  combo->setCurrentIndex(i);
}

}  // namespace

LayerPropertyEditor::LayerPropertyEditor(QWidget* parent) : QWidget(parent) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  m_title = new QLabel(this);
  m_title->setObjectName(QStringLiteral("propertyTitle"));
  QFont bold = m_title->font();
  bold.setBold(true);
  m_title->setFont(bold);
  outer->addWidget(m_title);
  m_hint = new QLabel(tr("Select a layer to edit its arguments."), this);
  m_hint->setWordWrap(true);
  m_hint->setEnabled(false);
  outer->addWidget(m_hint);

  m_form = new QFormLayout;
  m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  m_form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
  outer->addLayout(m_form);
  outer->addStretch(1);

  m_name = new QLineEdit(this);
  m_name->setObjectName(QStringLiteral("nameEdit"));
  m_name->setClearButtonEnabled(true);
  m_name->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[A-Za-z0-9_.\\-]*")), m_name));
  m_name->setToolTip(tr("The layer's name; empty for Keras's automatic name"));
  m_nameError = new QLabel(this);
  m_nameError->setObjectName(QStringLiteral("nameErrorLabel"));
  m_nameError->setWordWrap(true);
  m_nameError->setStyleSheet(QStringLiteral("QLabel { color: #b01010; }"));
  m_units = makeSpin(1, kMaxDim, this);
  m_units->setObjectName(QStringLiteral("unitsSpin"));
  m_units->setToolTip(tr("units: dimensionality of the output"));
  m_activation = makeNameCombo(activationNames(), this);
  m_activation->setObjectName(QStringLiteral("activationCombo"));
  m_activation->setToolTip(
      tr("activation: the function applied to the output (softmax on the last layer turns "
         "it into class probabilities)"));
  m_filters = makeSpin(1, kMaxDim, this);
  m_filters->setObjectName(QStringLiteral("filtersSpin"));
  m_filters->setToolTip(tr("filters: number of output channels"));
  m_kernelH = makeSpin(1, kMaxDim, this);
  m_kernelH->setObjectName(QStringLiteral("kernelHSpin"));
  m_kernelW = makeSpin(1, kMaxDim, this);
  m_kernelW->setObjectName(QStringLiteral("kernelWSpin"));
  m_kernelH->setToolTip(tr("kernel_size: height of the convolution window"));
  m_kernelW->setToolTip(tr("kernel_size: width of the convolution window"));
  m_kernelRow = pairRow(m_kernelH, m_kernelW, this);
  m_kernelRow->setToolTip(tr("kernel_size: height × width of the convolution window"));
  m_strideH = makeSpin(0, kMaxDim, this);
  m_strideH->setObjectName(QStringLiteral("strideHSpin"));
  m_strideW = makeSpin(0, kMaxDim, this);
  m_strideW->setObjectName(QStringLiteral("strideWSpin"));
  m_strideRow = pairRow(m_strideH, m_strideW, this);
  m_strideH->setToolTip(tr("strides: vertical step of the window"));
  m_strideW->setToolTip(tr("strides: horizontal step of the window"));
  m_padding = new QComboBox(this);
  m_padding->setObjectName(QStringLiteral("paddingCombo"));
  m_padding->addItems({QStringLiteral("valid"), QStringLiteral("same")});
  m_padding->setToolTip(tr("valid: no padding; same: pad so that the output has the input's size (stride 1)"));
  m_poolH = makeSpin(1, kMaxDim, this);
  m_poolH->setObjectName(QStringLiteral("poolHSpin"));
  m_poolW = makeSpin(1, kMaxDim, this);
  m_poolW->setObjectName(QStringLiteral("poolWSpin"));
  m_poolH->setToolTip(tr("pool_size: height of the pooling window"));
  m_poolW->setToolTip(tr("pool_size: width of the pooling window"));
  m_poolRow = pairRow(m_poolH, m_poolW, this);
  m_poolRow->setToolTip(tr("pool_size: height × width of the pooling window"));
  m_rate = new QDoubleSpinBox(this);
  m_rate->setObjectName(QStringLiteral("rateSpin"));
  m_rate->setRange(0.0, 0.99);  // validation: below 1
  m_rate->setKeyboardTracking(false);
  m_rate->setSingleStep(0.05);
  m_rate->setDecimals(2);
  m_rate->setToolTip(tr("rate: fraction of the inputs dropped during training"));
  m_useBias = new QCheckBox(tr("use_bias"), this);
  m_useBias->setObjectName(QStringLiteral("useBiasCheck"));
  m_useBias->setToolTip(tr("use_bias: add a learned bias to each output"));
  m_kernelInit = makeNameCombo(initializerNames(), this);
  m_kernelInit->setObjectName(QStringLiteral("kernelInitCombo"));
  m_kernelInit->setToolTip(tr("kernel_initializer: how the weights start before training"));
  m_biasInit = makeNameCombo(initializerNames(), this);
  m_biasInit->setObjectName(QStringLiteral("biasInitCombo"));
  m_biasInit->setToolTip(tr("bias_initializer: how the biases start before training"));

  m_form->addRow(tr("name"), m_name);
  m_form->addRow(tr("units"), m_units);
  m_form->addRow(tr("filters"), m_filters);
  m_form->addRow(tr("kernel_size"), m_kernelRow);
  m_form->addRow(tr("pool_size"), m_poolRow);
  m_form->addRow(tr("strides"), m_strideRow);
  m_form->addRow(tr("padding"), m_padding);
  m_form->addRow(tr("rate"), m_rate);
  m_form->addRow(tr("activation"), m_activation);
  m_form->addRow(QString(), m_useBias);
  m_form->addRow(tr("kernel_init"), m_kernelInit);
  m_form->addRow(tr("bias_init"), m_biasInit);
  // Last: a refused name's message appears below every field, so nothing moves while typing.
  m_form->addRow(QString(), m_nameError);
  m_form->labelForField(m_kernelInit)->setToolTip(tr("kernel_initializer"));
  m_form->labelForField(m_biasInit)->setToolTip(tr("bias_initializer"));

  connect(m_name, &QLineEdit::editingFinished, this, &LayerPropertyEditor::editName);
  const auto spinEdit = [this](QSpinBox* spin, Field field, int LayerSpec::*member) {
    connect(spin, &QSpinBox::valueChanged, this,
            [this, field, member](int v) { edit(field, [&](LayerSpec& l) { l.*member = v; }); });
    connect(spin, &QSpinBox::editingFinished, this, &LayerPropertyEditor::editingSessionEnded);
  };
  spinEdit(m_units, UnitsField, &LayerSpec::units);
  spinEdit(m_filters, FiltersField, &LayerSpec::filters);
  spinEdit(m_kernelH, KernelField, &LayerSpec::kernelH);
  spinEdit(m_kernelW, KernelField, &LayerSpec::kernelW);
  spinEdit(m_strideH, StridesField, &LayerSpec::strideH);
  spinEdit(m_strideW, StridesField, &LayerSpec::strideW);
  spinEdit(m_poolH, PoolField, &LayerSpec::poolH);
  spinEdit(m_poolW, PoolField, &LayerSpec::poolW);
  connect(m_rate, &QDoubleSpinBox::valueChanged, this,
          [this](double v) { edit(RateField, [&](LayerSpec& l) { l.rate = v; }); });
  connect(m_rate, &QDoubleSpinBox::editingFinished, this, &LayerPropertyEditor::editingSessionEnded);
  const auto comboEdit = [this](QComboBox* combo, Field field, std::string LayerSpec::*member) {
    connect(combo, &QComboBox::currentIndexChanged, this, [this, combo, field, member] {
      const std::string text = combo->currentText().toStdString();
      edit(field, [&](LayerSpec& l) { l.*member = text; });
    });
  };
  comboEdit(m_activation, ActivationField, &LayerSpec::activation);
  comboEdit(m_padding, PaddingField, &LayerSpec::padding);
  comboEdit(m_kernelInit, KernelInitializerField, &LayerSpec::kernelInitializer);
  comboEdit(m_biasInit, BiasInitializerField, &LayerSpec::biasInitializer);
  connect(m_useBias, &QCheckBox::toggled, this,
          [this](bool on) { edit(UseBiasField, [&](LayerSpec& l) { l.useBias = on; }); });
  // Focus entering or leaving a field ends an edit: a later change of the same field is a new
  // undo step.
  connect(qApp, &QApplication::focusChanged, this, [this](QWidget* old, QWidget* now) {
    if (old != now && ((old && isAncestorOf(old)) || (now && isAncestorOf(now)))) emit editingSessionEnded();
  });

  clearLayer();
}

QString LayerPropertyEditor::fieldName(Field field) {
  switch (field) {
    case NameField: return QStringLiteral("name");
    case UnitsField: return QStringLiteral("units");
    case ActivationField: return QStringLiteral("activation");
    case FiltersField: return QStringLiteral("filters");
    case KernelField: return QStringLiteral("kernel_size");
    case StridesField: return QStringLiteral("strides");
    case PaddingField: return QStringLiteral("padding");
    case PoolField: return QStringLiteral("pool_size");
    case RateField: return QStringLiteral("rate");
    case UseBiasField: return QStringLiteral("use_bias");
    case KernelInitializerField: return QStringLiteral("kernel_initializer");
    case BiasInitializerField: return QStringLiteral("bias_initializer");
    case FieldCount: break;
  }
  return {};
}

QString LayerPropertyEditor::nameError() const { return m_nameError->text(); }

void LayerPropertyEditor::setLayer(const LayerSpec& layer, const QString& autoName, const QStringList& otherNames) {
  m_updating = true;
  m_layer = layer;
  m_otherNames = otherNames;
  m_hasLayer = true;
  showNameError(QString());
  m_title->setText(tr("%1 (%2)").arg(layer.name.empty() ? autoName : QString::fromStdString(layer.name),
                                     QString::fromLatin1(layerKindName(layer.kind))));
  if (m_name->text() != QString::fromStdString(layer.name) || !m_name->hasFocus())
    m_name->setText(QString::fromStdString(layer.name));
  m_name->setPlaceholderText(autoName);
  m_units->setValue(layer.units);
  setComboText(m_activation, layer.activation);
  m_filters->setValue(layer.filters);
  m_kernelH->setValue(layer.kernelH);
  m_kernelW->setValue(layer.kernelW);
  m_poolH->setValue(layer.poolH);
  m_poolW->setValue(layer.poolW);
  updateRows();  // stride ranges depend on the kind
  m_strideH->setValue(layer.strideH);
  m_strideW->setValue(layer.strideW);
  setComboText(m_padding, layer.padding);
  m_rate->setValue(layer.rate);
  m_useBias->setChecked(layer.useBias);
  setComboText(m_kernelInit, layer.kernelInitializer);
  setComboText(m_biasInit, layer.biasInitializer);
  m_biasInit->setEnabled(layer.useBias);
  m_updating = false;
}

void LayerPropertyEditor::clearLayer() {
  m_hasLayer = false;
  m_title->clear();
  m_nameError->clear();
  updateRows();
}

void LayerPropertyEditor::updateRows() {
  const LayerKindInfo& kind = layerKindInfo(m_layer.kind);
  const bool any = m_hasLayer;
  // A row shows when the selected layer's kind has its argument (nn/LayerRegistry.h).
  const auto has = [&](const char* key) { return any && kind.arg(key) != nullptr; };
  m_hint->setVisible(!any);
  m_title->setVisible(any);
  m_form->setRowVisible(m_name, any);
  m_form->setRowVisible(m_nameError, any && !m_nameError->text().isEmpty());
  m_form->setRowVisible(m_units, has("units"));
  m_form->setRowVisible(m_filters, has("filters"));
  m_form->setRowVisible(m_kernelRow, has("kernel_size"));
  m_form->setRowVisible(m_poolRow, has("pool_size"));
  m_form->setRowVisible(m_strideRow, has("strides"));
  m_form->setRowVisible(m_padding, has("padding"));
  m_form->setRowVisible(m_rate, has("rate"));
  m_form->setRowVisible(m_activation, has("activation"));
  m_form->setRowVisible(m_useBias, has("use_bias"));
  m_form->setRowVisible(m_kernelInit, has("kernel_initializer"));
  m_form->setRowVisible(m_biasInit, has("bias_initializer"));

  // Automatic strides (MaxPooling2D's default: the pool size, Keras's strides=None) show as 0.
  const LayerArg* strides = any ? kind.arg("strides") : nullptr;
  const bool automatic = strides && strides->nullable;
  for (QSpinBox* s : {m_strideH, m_strideW}) {
    s->setMinimum(automatic ? 0 : 1);
    s->setSpecialValueText(automatic ? tr("pool") : QString());
  }
  m_strideRow->setToolTip(automatic ? tr("strides: step of the window; \"pool\" = the pool size (Keras's default)")
                                    : tr("strides: step of the window"));
}

template <typename Apply>
void LayerPropertyEditor::edit(Field field, Apply apply) {
  if (m_updating || !m_hasLayer) return;
  // Only the changed argument: the others keep the layer's values even where a widget shows them
  // rounded or limited.
  LayerSpec l = m_layer;
  apply(l);
  if (l == m_layer) return;
  m_layer = l;
  m_biasInit->setEnabled(l.useBias);
  emit layerEdited(l, field);
}

void LayerPropertyEditor::editName() {
  if (m_updating || !m_hasLayer) return;
  const QString name = m_name->text().trimmed();
  if (name.toStdString() == m_layer.name) return;
  if (!name.isEmpty() && m_otherNames.contains(name)) {
    // Keras refuses two layers of one name, and so would loading and saving: keep the old one.
    {
      const QSignalBlocker block(m_name);
      m_name->setText(QString::fromStdString(m_layer.name));
    }
    showNameError(tr("Another layer is already called '%1': the name was not changed.").arg(name));
    return;
  }
  showNameError(QString());
  edit(NameField, [&](LayerSpec& l) { l.name = name.toStdString(); });
  emit editingSessionEnded();
}

void LayerPropertyEditor::showNameError(const QString& text) {
  m_nameError->setText(text);
  m_form->setRowVisible(m_nameError, m_hasLayer && !text.isEmpty());
}

}  // namespace dl
