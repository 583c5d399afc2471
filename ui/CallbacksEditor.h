#pragma once
// Keras's training callbacks as the training panel edits them (its "Callbacks…" button opens this
// in a small dialog): a check box per callback — EarlyStopping, ReduceLROnPlateau, ModelCheckpoint
// — and under each its arguments, labelled and explained in tooltips with Keras's names (monitor,
// min_delta, patience, mode, baseline, restore_best_weights, start_from_epoch; factor, cooldown,
// min_lr; filepath, save_best_only). A callback's fields are enabled only while it is ticked.
//
// setCallbacks() shows settings without emitting; every edit by the person emits callbacksChanged
// with the whole CallbacksSpec, which the panel folds into its TrainingSpec (and so into the model
// document, its undo history and its file). What the callbacks do is nn/Callbacks.h's.

#include "nn/ModelSpec.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QToolButton;

namespace dl {

class ScientificSpinBox;

class CallbacksEditor : public QWidget {
  Q_OBJECT

 public:
  explicit CallbacksEditor(QWidget* parent = nullptr);

  CallbacksSpec callbacks() const;
  void setCallbacks(const CallbacksSpec& callbacks);  // emits nothing

  // "EarlyStopping, ModelCheckpoint", or "" when none is on: for the panel's button.
  static QString summary(const CallbacksSpec& callbacks);

 signals:
  void callbacksChanged(const dl::CallbacksSpec& callbacks);

 private:
  QWidget* createEarlyStopping();
  QWidget* createReduceLr();
  QWidget* createCheckpoint();
  void updateEnabled();
  void edited();
  void browseCheckpoint();

  bool m_updating = false;  // setCallbacks() in progress: no signal

  QCheckBox* m_es = nullptr;
  QWidget* m_esFields = nullptr;
  QComboBox* m_esMonitor = nullptr;
  QDoubleSpinBox* m_esMinDelta = nullptr;
  QSpinBox* m_esPatience = nullptr;
  QComboBox* m_esMode = nullptr;
  QCheckBox* m_esHasBaseline = nullptr;
  QDoubleSpinBox* m_esBaseline = nullptr;
  QCheckBox* m_esRestore = nullptr;
  QSpinBox* m_esStartFrom = nullptr;

  QCheckBox* m_rl = nullptr;
  QWidget* m_rlFields = nullptr;
  QComboBox* m_rlMonitor = nullptr;
  QDoubleSpinBox* m_rlFactor = nullptr;
  QSpinBox* m_rlPatience = nullptr;
  QDoubleSpinBox* m_rlMinDelta = nullptr;
  QSpinBox* m_rlCooldown = nullptr;
  QDoubleSpinBox* m_rlMinLr = nullptr;
  QComboBox* m_rlMode = nullptr;

  QCheckBox* m_mc = nullptr;
  QWidget* m_mcFields = nullptr;
  QLineEdit* m_mcPath = nullptr;
  QToolButton* m_mcBrowse = nullptr;
  QComboBox* m_mcMonitor = nullptr;
  QCheckBox* m_mcBestOnly = nullptr;
  QComboBox* m_mcMode = nullptr;
};

}  // namespace dl
