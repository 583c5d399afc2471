// The training callbacks' editor (see CallbacksEditor.h).

#include "CallbacksEditor.h"

#include "ScientificSpinBox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace dl {

namespace {

QComboBox* choices(const std::vector<std::string>& names, const QString& objectName, const QString& tip,
                   QWidget* parent) {
  auto* box = new QComboBox(parent);
  box->setObjectName(objectName);
  for (const std::string& n : names) box->addItem(QString::fromStdString(n));
  box->setToolTip(tip);
  return box;
}

QSpinBox* count(const QString& objectName, const QString& tip, QWidget* parent) {
  auto* box = new QSpinBox(parent);
  box->setObjectName(objectName);
  box->setRange(0, kMaxCallbackCount);
  box->setToolTip(tip);
  return box;
}

// A number spanning decades (min_delta, factor, min_lr), shown as Keras writes it.
QDoubleSpinBox* decades(double lo, double hi, const QString& objectName, const QString& tip, QWidget* parent) {
  auto* box = new ScientificSpinBox(parent);
  box->setRange(lo, hi);
  box->setObjectName(objectName);
  box->setToolTip(tip);
  return box;
}

void select(QComboBox* box, const std::string& text) {
  box->setCurrentIndex(std::max(0, box->findText(QString::fromStdString(text))));
}

std::string selected(const QComboBox* box) { return box->currentText().toStdString(); }

QWidget* fieldsWidget(QWidget* parent, QFormLayout** form) {
  auto* w = new QWidget(parent);
  *form = new QFormLayout(w);
  (*form)->setContentsMargins(22, 0, 0, 6);  // indented under the callback's check box
  (*form)->setVerticalSpacing(3);
  return w;
}

}  // namespace

CallbacksEditor::CallbacksEditor(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->setSpacing(2);
  m_es = new QCheckBox(tr("EarlyStopping"), this);
  m_es->setObjectName(QStringLiteral("earlyStoppingCheck"));
  m_es->setToolTip(
      tr("keras.callbacks.EarlyStopping: stop training when the monitored quantity has stopped "
         "improving for `patience` epochs"));
  layout->addWidget(m_es);
  layout->addWidget(createEarlyStopping());
  m_rl = new QCheckBox(tr("ReduceLROnPlateau"), this);
  m_rl->setObjectName(QStringLiteral("reduceLrCheck"));
  m_rl->setToolTip(
      tr("keras.callbacks.ReduceLROnPlateau: multiply the learning rate by `factor` when the "
         "monitored quantity has stopped improving for `patience` epochs"));
  layout->addWidget(m_rl);
  layout->addWidget(createReduceLr());
  m_mc = new QCheckBox(tr("ModelCheckpoint"), this);
  m_mc->setObjectName(QStringLiteral("checkpointCheck"));
  m_mc->setToolTip(
      tr("keras.callbacks.ModelCheckpoint: save the model to `filepath` (a .dlm file) after every "
         "epoch, or only after the best ones"));
  layout->addWidget(m_mc);
  layout->addWidget(createCheckpoint());
  layout->addStretch(1);

  for (QCheckBox* c : {m_es, m_esHasBaseline, m_esRestore, m_rl, m_mc, m_mcBestOnly})
    connect(c, &QCheckBox::toggled, this, &CallbacksEditor::edited);
  for (QComboBox* c : {m_esMonitor, m_esMode, m_rlMonitor, m_rlMode, m_mcMonitor, m_mcMode})
    connect(c, &QComboBox::currentIndexChanged, this, &CallbacksEditor::edited);
  for (QSpinBox* s : {m_esPatience, m_esStartFrom, m_rlPatience, m_rlCooldown})
    connect(s, &QSpinBox::valueChanged, this, &CallbacksEditor::edited);
  for (QDoubleSpinBox* s : {m_esMinDelta, m_esBaseline, m_rlFactor, m_rlMinDelta, m_rlMinLr})
    connect(s, &QDoubleSpinBox::valueChanged, this, &CallbacksEditor::edited);
  connect(m_mcPath, &QLineEdit::editingFinished, this, &CallbacksEditor::edited);
  connect(m_mcBrowse, &QToolButton::clicked, this, &CallbacksEditor::browseCheckpoint);
  setCallbacks(CallbacksSpec{});
}

QWidget* CallbacksEditor::createEarlyStopping() {
  QFormLayout* form = nullptr;
  m_esFields = fieldsWidget(this, &form);
  const auto& monitors = callbackMonitors();
  m_esMonitor =
      choices(monitors, QStringLiteral("esMonitor"), tr("monitor: the quantity watched after each epoch"), m_esFields);
  m_esMinDelta = decades(0, 1e6, QStringLiteral("esMinDelta"),
                         tr("min_delta: a change smaller than this does not count as an improvement"), m_esFields);
  m_esPatience =
      count(QStringLiteral("esPatience"), tr("patience: epochs without improvement before stopping"), m_esFields);
  m_esMode = choices(callbackModes(), QStringLiteral("esMode"),
                     tr("mode: min (lower is better), max, or auto (max for accuracies, min for losses)"), m_esFields);
  m_esHasBaseline = new QCheckBox(m_esFields);
  m_esHasBaseline->setObjectName(QStringLiteral("esHasBaseline"));
  m_esHasBaseline->setToolTip(tr("baseline: stop unless the model improves on this value (None when unticked)"));
  m_esBaseline = new QDoubleSpinBox(m_esFields);
  m_esBaseline->setObjectName(QStringLiteral("esBaseline"));
  m_esBaseline->setRange(-1e6, 1e6);
  m_esBaseline->setDecimals(6);
  m_esBaseline->setToolTip(m_esHasBaseline->toolTip());
  auto* baselineRow = new QHBoxLayout;
  baselineRow->addWidget(m_esHasBaseline);
  baselineRow->addWidget(m_esBaseline, 1);
  m_esRestore = new QCheckBox(tr("restore_best_weights"), m_esFields);
  m_esRestore->setObjectName(QStringLiteral("esRestore"));
  m_esRestore->setToolTip(
      tr("restore_best_weights: end the training with the weights of the best epoch (Keras 3 does it "
         "whenever training ends, stopped early or not)"));
  m_esStartFrom = count(QStringLiteral("esStartFrom"),
                        tr("start_from_epoch: epochs of warm-up before improvement is watched"), m_esFields);
  form->addRow(tr("monitor"), m_esMonitor);
  form->addRow(tr("patience"), m_esPatience);
  form->addRow(tr("min_delta"), m_esMinDelta);
  form->addRow(tr("mode"), m_esMode);
  form->addRow(tr("baseline"), baselineRow);
  form->addRow(tr("start_from_epoch"), m_esStartFrom);
  form->addRow(QString(), m_esRestore);
  return m_esFields;
}

QWidget* CallbacksEditor::createReduceLr() {
  QFormLayout* form = nullptr;
  m_rlFields = fieldsWidget(this, &form);
  m_rlMonitor = choices(callbackMonitors(), QStringLiteral("rlMonitor"),
                        tr("monitor: the quantity watched after each epoch"), m_rlFields);
  m_rlFactor = decades(1e-6, 0.999999, QStringLiteral("rlFactor"),
                       tr("factor: new learning rate = learning rate × factor (below 1)"), m_rlFields);
  m_rlPatience = count(QStringLiteral("rlPatience"),
                       tr("patience: epochs without improvement before the rate is reduced"), m_rlFields);
  m_rlMinDelta = decades(0, 1e6, QStringLiteral("rlMinDelta"), tr("min_delta: threshold for measuring the new optimum"),
                         m_rlFields);
  m_rlCooldown = count(QStringLiteral("rlCooldown"),
                       tr("cooldown: epochs to wait after a reduction before counting again"), m_rlFields);
  m_rlMinLr =
      decades(0, 1e6, QStringLiteral("rlMinLr"), tr("min_lr: the learning rate never goes below this"), m_rlFields);
  m_rlMode =
      choices(callbackModes(), QStringLiteral("rlMode"),
              tr("mode: min (lower is better), max, or auto (max when \"acc\" is in the monitor's name)"), m_rlFields);
  form->addRow(tr("monitor"), m_rlMonitor);
  form->addRow(tr("factor"), m_rlFactor);
  form->addRow(tr("patience"), m_rlPatience);
  form->addRow(tr("min_delta"), m_rlMinDelta);
  form->addRow(tr("cooldown"), m_rlCooldown);
  form->addRow(tr("min_lr"), m_rlMinLr);
  form->addRow(tr("mode"), m_rlMode);
  return m_rlFields;
}

QWidget* CallbacksEditor::createCheckpoint() {
  QFormLayout* form = nullptr;
  m_mcFields = fieldsWidget(this, &form);
  m_mcPath = new QLineEdit(m_mcFields);
  m_mcPath->setObjectName(QStringLiteral("mcPath"));
  m_mcPath->setPlaceholderText(tr("a .dlm file"));
  m_mcPath->setToolTip(tr("filepath: the model file written after each epoch (or each best one)"));
  m_mcBrowse = new QToolButton(m_mcFields);
  m_mcBrowse->setText(tr("…"));
  m_mcBrowse->setToolTip(tr("Choose the checkpoint file"));
  auto* pathRow = new QHBoxLayout;
  pathRow->addWidget(m_mcPath, 1);
  pathRow->addWidget(m_mcBrowse);
  m_mcMonitor = choices(callbackMonitors(), QStringLiteral("mcMonitor"),
                        tr("monitor: the quantity that decides which epoch is the best"), m_mcFields);
  m_mcBestOnly = new QCheckBox(tr("save_best_only"), m_mcFields);
  m_mcBestOnly->setObjectName(QStringLiteral("mcBestOnly"));
  m_mcBestOnly->setToolTip(tr("save_best_only: save only when the monitored quantity improves on the best so far"));
  m_mcMode = choices(callbackModes(), QStringLiteral("mcMode"),
                     tr("mode: min (lower is better), max, or auto (max for accuracies, min for losses)"), m_mcFields);
  form->addRow(tr("filepath"), pathRow);
  form->addRow(tr("monitor"), m_mcMonitor);
  form->addRow(tr("mode"), m_mcMode);
  form->addRow(QString(), m_mcBestOnly);
  return m_mcFields;
}

CallbacksSpec CallbacksEditor::callbacks() const {
  CallbacksSpec c;
  EarlyStoppingSpec& e = c.earlyStopping;
  e.enabled = m_es->isChecked();
  e.monitor = selected(m_esMonitor);
  e.minDelta = m_esMinDelta->value();
  e.patience = m_esPatience->value();
  e.mode = selected(m_esMode);
  e.hasBaseline = m_esHasBaseline->isChecked();
  e.baseline = e.hasBaseline ? m_esBaseline->value() : 0.0;
  e.restoreBestWeights = m_esRestore->isChecked();
  e.startFromEpoch = m_esStartFrom->value();
  ReduceLROnPlateauSpec& r = c.reduceLrOnPlateau;
  r.enabled = m_rl->isChecked();
  r.monitor = selected(m_rlMonitor);
  r.factor = m_rlFactor->value();
  r.patience = m_rlPatience->value();
  r.minDelta = m_rlMinDelta->value();
  r.cooldown = m_rlCooldown->value();
  r.minLr = m_rlMinLr->value();
  r.mode = selected(m_rlMode);
  ModelCheckpointSpec& m = c.modelCheckpoint;
  m.enabled = m_mc->isChecked();
  m.filepath = m_mcPath->text().trimmed().toStdString();
  m.monitor = selected(m_mcMonitor);
  m.saveBestOnly = m_mcBestOnly->isChecked();
  m.mode = selected(m_mcMode);
  return c;
}

void CallbacksEditor::setCallbacks(const CallbacksSpec& c) {
  m_updating = true;
  const EarlyStoppingSpec& e = c.earlyStopping;
  m_es->setChecked(e.enabled);
  select(m_esMonitor, e.monitor);
  m_esMinDelta->setValue(e.minDelta);
  m_esPatience->setValue(e.patience);
  select(m_esMode, e.mode);
  m_esHasBaseline->setChecked(e.hasBaseline);
  m_esBaseline->setValue(e.baseline);
  m_esRestore->setChecked(e.restoreBestWeights);
  m_esStartFrom->setValue(e.startFromEpoch);
  const ReduceLROnPlateauSpec& r = c.reduceLrOnPlateau;
  m_rl->setChecked(r.enabled);
  select(m_rlMonitor, r.monitor);
  m_rlFactor->setValue(r.factor);
  m_rlPatience->setValue(r.patience);
  m_rlMinDelta->setValue(r.minDelta);
  m_rlCooldown->setValue(r.cooldown);
  m_rlMinLr->setValue(r.minLr);
  select(m_rlMode, r.mode);
  const ModelCheckpointSpec& m = c.modelCheckpoint;
  m_mc->setChecked(m.enabled);
  m_mcPath->setText(QString::fromStdString(m.filepath));
  select(m_mcMonitor, m.monitor);
  m_mcBestOnly->setChecked(m.saveBestOnly);
  select(m_mcMode, m.mode);
  m_updating = false;
  updateEnabled();
}

QString CallbacksEditor::summary(const CallbacksSpec& c) {
  QStringList on;
  if (c.earlyStopping.enabled) on << QStringLiteral("EarlyStopping");
  if (c.reduceLrOnPlateau.enabled) on << QStringLiteral("ReduceLROnPlateau");
  if (c.modelCheckpoint.enabled) on << QStringLiteral("ModelCheckpoint");
  return on.join(QStringLiteral(", "));
}

void CallbacksEditor::updateEnabled() {
  m_esFields->setEnabled(m_es->isChecked());
  m_esBaseline->setEnabled(m_esHasBaseline->isChecked());
  m_rlFields->setEnabled(m_rl->isChecked());
  m_mcFields->setEnabled(m_mc->isChecked());
}

void CallbacksEditor::edited() {
  if (m_updating) return;
  updateEnabled();
  emit callbacksChanged(callbacks());
}

void CallbacksEditor::browseCheckpoint() {
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Checkpoint file"), m_mcPath->text(), tr("DigitLab models (*.dlm)"));
  if (path.isEmpty()) return;
  m_mcPath->setText(path.endsWith(QLatin1String(".dlm"), Qt::CaseInsensitive) ? path : path + QStringLiteral(".dlm"));
  edited();
}

}  // namespace dl
