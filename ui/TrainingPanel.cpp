// Training settings, Start/Pause/Stop and the progress line.

#include "TrainingPanel.h"

#include "CallbacksEditor.h"
#include "ScientificSpinBox.h"

#include "data/IdxReader.h"
#include "nn/ModelAnalysis.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStyle>
#include <QThread>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace dl {

namespace {

const QString kEmbedded = QStringLiteral("embedded");
const QString kFashion = QStringLiteral("fashion");
const QString kChooseFolder = QStringLiteral("<folder>");

QDoubleSpinBox* makeFraction(double min, double max, double step, int decimals, QWidget* parent) {
  auto* spin = new QDoubleSpinBox(parent);
  spin->setRange(min, max);
  spin->setSingleStep(step);
  spin->setDecimals(decimals);
  return spin;
}

}  // namespace

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 4);
  layout->setSpacing(4);
  auto* group = new QGroupBox(tr("Training"), this);
  layout->addWidget(group);
  // Created in Tab order: the optimizer's column, then fit()'s and the data's.
  createOptimizerFields(group);
  createFitFields(group);
  createDataFields(group);
  layOutSettings(group);
  createControls(layout);
  connectSignals();

  setTrainingSpec(presetMlp().training);
  m_split->setEnabled(false);
  updateButtons();
}

// The optimizer, its learning rate and the rows only SGD (momentum, Nesterov) or only Adam
// (beta_1, beta_2) has, which share places in stacks.
void TrainingPanel::createOptimizerFields(QWidget* group) {
  m_optimizer = new QComboBox(group);
  m_optimizer->setObjectName(QStringLiteral("optimizerCombo"));
  m_optimizer->addItem(QStringLiteral("SGD"), QStringLiteral("sgd"));
  m_optimizer->addItem(QStringLiteral("Adam"), QStringLiteral("adam"));
  m_optimizer->setToolTip(tr("How the weights are updated: SGD (with optional momentum) or Adam"));
  m_learningRate = new ScientificSpinBox(group);
  m_learningRate->setObjectName(QStringLiteral("learningRateSpin"));
  m_learningRate->setToolTip(
      tr("learning_rate (arrows step 1-2-5: 0.001, 0.002, 0.005, ...). While training, a new value (Enter or the "
         "arrows) is used from the next batch on and marked on the charts."));
  m_findLearningRate = new QToolButton(group);
  m_findLearningRate->setObjectName(QStringLiteral("findLearningRateButton"));
  m_findLearningRate->setText(tr("Ran&ge test…"));  // F, i, n and d are taken
  m_findLearningRate->setToolTip(
      tr("Find a learning rate: a short range test on a copy of the weights plots the loss against the rate "
         "(Train > Find learning rate…)"));
  m_momentum = makeFraction(0, 0.999, 0.05, 3, group);
  m_momentum->setObjectName(QStringLiteral("momentumSpin"));
  m_momentum->setToolTip(tr("SGD momentum: the share of the last update carried into the next (0 = plain SGD)"));
  m_nesterov = new QCheckBox(tr("Nestero&v momentum"), group);
  m_nesterov->setObjectName(QStringLiteral("nesterovCheck"));
  m_nesterov->setToolTip(tr("Nesterov momentum: the gradient is taken where the momentum is about to lead"));
  m_beta1 = makeFraction(0, 0.9999, 0.01, 4, group);
  m_beta1->setObjectName(QStringLiteral("beta1Spin"));
  m_beta1->setToolTip(tr("Adam beta_1: decay rate of the running mean of the gradients"));
  m_beta2 = makeFraction(0, 0.99999, 0.001, 5, group);
  m_beta2->setObjectName(QStringLiteral("beta2Spin"));
  m_beta2->setToolTip(tr("Adam beta_2: decay rate of the running mean of the squared gradients"));
  m_firstExtraLabel = new QLabel(group);
  m_secondExtraLabel = new QLabel(group);
  m_firstExtra = new QStackedWidget(group);
  m_firstExtra->addWidget(m_momentum);
  m_firstExtra->addWidget(m_beta1);
  m_secondExtra = new QStackedWidget(group);
  m_secondExtra->addWidget(m_nesterov);
  m_secondExtra->addWidget(m_beta2);
}

// fit()'s arguments: batch size, epochs, validation (none, a split or the test set) and the seed.
void TrainingPanel::createFitFields(QWidget* group) {
  m_batchSize = new QSpinBox(group);
  m_batchSize->setObjectName(QStringLiteral("batchSizeSpin"));
  // The ranges model files accept (core/model/ModelSpecJson.cpp): opening one never clamps.
  m_batchSize->setRange(1, 1 << 20);
  m_batchSize->setToolTip(tr("batch_size: samples per weight update"));
  m_epochsSpin = new QSpinBox(group);
  m_epochsSpin->setObjectName(QStringLiteral("epochsSpin"));
  m_epochsSpin->setRange(1, 100000);
  m_epochsSpin->setToolTip(tr("epochs: passes over the training data in one run"));
  m_validation = new QComboBox(group);
  m_validation->setObjectName(QStringLiteral("validationCombo"));
  m_validation->addItem(tr("None"), int(ValidationMode::None));
  m_validation->addItem(tr("Split"), int(ValidationMode::Split));
  m_validation->addItem(tr("Test set"), int(ValidationMode::TestSet));
  m_validation->setToolTip(
      tr("What the model is validated on after each epoch: nothing, the last part of "
         "the training data (Keras's validation_split), or the test set"));
  m_split = makeFraction(0.001, 0.99, 0.05, 3, group);  // the spec allows 0 < split < 1
  m_split->setObjectName(QStringLiteral("splitSpin"));
  m_split->setValue(0.1);
  m_split->setToolTip(tr("validation_split: the last fraction of the training rows, as Keras takes it"));
  m_seed = new QSpinBox(group);
  m_seed->setObjectName(QStringLiteral("seedSpin"));
  m_seed->setRange(0, 2147483647);
  m_seed->setToolTip(tr("Seeds the weight initialisation, dropout and shuffling"));
}

// The dataset to train on and the CPU threads to use.
void TrainingPanel::createDataFields(QWidget* group) {
  m_dataset = new QComboBox(group);
  m_dataset->setObjectName(QStringLiteral("datasetCombo"));
  // A folder's entry is its path, which can be long: the box keeps its width and elides it (the
  // entry's tooltip has the whole path), so the panel still fits a narrow column.
  m_dataset->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  m_dataset->setMinimumContentsLength(16);
  m_dataset->addItem(tr("MNIST (embedded)"), kEmbedded);
  m_dataset->setItemData(0, tr("10,000 real MNIST digits compiled into DigitLab: 8,000 train, 2,000 test"),
                         Qt::ToolTipRole);
  if (!fashionMnistFolder().empty()) {
    m_dataset->addItem(tr("Fashion-MNIST"), kFashion);
    m_dataset->setItemData(1, QString::fromStdString(fashionMnistFolder()), Qt::ToolTipRole);
  }
  m_dataset->addItem(tr("MNIST-format folder…"), kChooseFolder);
  m_dataset->setToolTip(tr("The training and test data"));
  m_threads = new QSpinBox(group);
  m_threads->setObjectName(QStringLiteral("threadsSpin"));
  m_threads->setRange(0, std::max(1, QThread::idealThreadCount()) * 2);
  m_threads->setSpecialValueText(tr("all cores (%1)").arg(QThread::idealThreadCount()));
  m_threads->setValue(0);
  m_threads->setToolTip(tr("CPU threads training uses (0: all cores)"));
}

// Two columns of settings: the optimizer on the left, fit() and the data on the right. The
// SGD-only and Adam-only rows share places (stacked), so switching optimizers moves nothing.
void TrainingPanel::layOutSettings(QGroupBox* group) {
  auto* grid = new QGridLayout(group);
  grid->setContentsMargins(8, 4, 8, 6);
  grid->setHorizontalSpacing(8);
  grid->setVerticalSpacing(4);
  grid->setColumnStretch(1, 1);
  grid->setColumnStretch(3, 1);
  auto* validationRow = new QHBoxLayout;
  validationRow->setSpacing(4);
  validationRow->addWidget(m_validation, 1);
  validationRow->addWidget(m_split);
  // Every label has a buddy and a mnemonic (Alt+letter) of its own. Taken elsewhere: the menus
  // (F, E, M, T, H) and the buttons below (I, U, S).
  const auto label = [group](const QString& text, QWidget* buddy) {
    auto* l = new QLabel(text, group);
    l->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    l->setBuddy(buddy);
    return l;
  };
  m_firstExtraLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  m_secondExtraLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  grid->addWidget(label(tr("O&ptimizer"), m_optimizer), 0, 0);
  grid->addWidget(m_optimizer, 0, 1);
  grid->addWidget(label(tr("&Learning rate"), m_learningRate), 1, 0);
  auto* learningRateRow = new QHBoxLayout;
  learningRateRow->setSpacing(4);
  learningRateRow->addWidget(m_learningRate, 1);
  learningRateRow->addWidget(m_findLearningRate);
  grid->addLayout(learningRateRow, 1, 1);
  grid->addWidget(m_firstExtraLabel, 2, 0);
  grid->addWidget(m_firstExtra, 2, 1);
  grid->addWidget(m_secondExtraLabel, 3, 0);
  grid->addWidget(m_secondExtra, 3, 1);
  grid->addWidget(label(tr("D&ataset"), m_dataset), 4, 0);
  grid->addWidget(m_dataset, 4, 1);
  grid->addWidget(label(tr("Batch si&ze"), m_batchSize), 0, 2);
  grid->addWidget(m_batchSize, 0, 3);
  grid->addWidget(label(tr("Epo&chs"), m_epochsSpin), 1, 2);
  grid->addWidget(m_epochsSpin, 1, 3);
  grid->addWidget(label(tr("Validati&on"), m_validation), 2, 2);
  grid->addLayout(validationRow, 2, 3);
  grid->addWidget(label(tr("See&d"), m_seed), 3, 2);
  grid->addWidget(m_seed, 3, 3);
  grid->addWidget(label(tr("Th&reads"), m_threads), 4, 2);
  grid->addWidget(m_threads, 4, 3);
}

// Train, Pause/Resume and Stop with the run's message beside them, the progress bar below.
void TrainingPanel::createControls(QVBoxLayout* layout) {
  m_start = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Tra&in"), this);
  m_start->setObjectName(QStringLiteral("startButton"));
  m_start->setToolTip(tr("Start training (F5)"));
  m_pause = new QPushButton(style()->standardIcon(QStyle::SP_MediaPause), tr("Pa&use"), this);
  m_pause->setObjectName(QStringLiteral("pauseButton"));
  // "Step &1": S, t, e and p are mnemonics of other controls already.
  m_step = new QPushButton(style()->standardIcon(QStyle::SP_MediaSeekForward), tr("Step &1"), this);
  m_step->setObjectName(QStringLiteral("stepButton"));
  m_step->setToolTip(tr("Train one batch and pause again (F7)"));
  m_stop = new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("&Stop"), this);
  m_stop->setObjectName(QStringLiteral("stopButton"));
  m_stop->setToolTip(tr("Stop after the current batch, keeping the weights learned so far"));
  m_progress = new QProgressBar(this);
  m_progress->setObjectName(QStringLiteral("trainingProgress"));
  m_progress->setRange(0, 1000);
  m_progress->setValue(0);
  m_progress->setTextVisible(true);
  m_progress->setFormat(tr("Ready"));
  m_progress->setAccessibleName(tr("Training progress"));
  m_progress->setToolTip(tr("Ready"));
  m_message = new QLabel(this);
  m_message->setObjectName(QStringLiteral("trainingMessage"));
  m_message->setWordWrap(true);
  m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_message->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_start);
  buttons->addWidget(m_pause);
  buttons->addWidget(m_step);
  buttons->addWidget(m_stop);
  createCallbacksButton();
  buttons->addWidget(m_callbacksButton);
  buttons->addSpacing(6);
  buttons->addWidget(m_message, 1);
  layout->addLayout(buttons);
  layout->addWidget(m_progress);
}

void TrainingPanel::connectSignals() {
  connect(m_start, &QPushButton::clicked, this, &TrainingPanel::startRequested);
  connect(m_pause, &QPushButton::clicked, this, [this] {
    if (m_state == State::Running)
      emit pauseRequested();
    else if (m_state == State::Paused)
      emit resumeRequested();
  });
  connect(m_stop, &QPushButton::clicked, this, &TrainingPanel::stopRequested);
  connect(m_step, &QPushButton::clicked, this, &TrainingPanel::stepRequested);
  connect(m_findLearningRate, &QToolButton::clicked, this, &TrainingPanel::findLearningRateRequested);
  connect(m_learningRate, &QDoubleSpinBox::valueChanged, this, [this](double lr) {
    if (m_state == State::Running || m_state == State::Paused) emit learningRateChanged(lr);
  });
  connect(m_optimizer, &QComboBox::currentIndexChanged, this, [this] {
    updateOptimizerRows();
    emitSettingsChanged();
  });
  connect(m_validation, &QComboBox::currentIndexChanged, this, [this] {
    m_split->setEnabled(validationMode() == ValidationMode::Split);
    emitSettingsChanged();
  });
  connect(m_dataset, &QComboBox::activated, this, &TrainingPanel::onDatasetActivated);
  for (QDoubleSpinBox* s : {static_cast<QDoubleSpinBox*>(m_learningRate), m_momentum, m_beta1, m_beta2, m_split})
    connect(s, &QDoubleSpinBox::valueChanged, this, &TrainingPanel::emitSettingsChanged);
  for (QSpinBox* s : {m_batchSize, m_epochsSpin, m_seed})
    connect(s, &QSpinBox::valueChanged, this, &TrainingPanel::emitSettingsChanged);
  connect(m_nesterov, &QCheckBox::toggled, this, &TrainingPanel::emitSettingsChanged);
}

TrainingSpec TrainingPanel::trainingSpec() const {
  TrainingSpec t = m_base;
  t.optimizer.type = m_optimizer->currentData().toString().toStdString();
  t.optimizer.learningRate = m_learningRate->value();
  t.optimizer.momentum = m_momentum->value();
  t.optimizer.nesterov = m_nesterov->isChecked();
  t.optimizer.beta1 = m_beta1->value();
  t.optimizer.beta2 = m_beta2->value();
  t.batchSize = m_batchSize->value();
  t.epochs = m_epochsSpin->value();
  t.validationSplit = validationMode() == ValidationMode::Split ? m_split->value() : 0.0;
  t.validateOnTestSet = validationMode() == ValidationMode::TestSet;
  t.seed = uint64_t(m_seed->value());
  return t;
}

void TrainingPanel::setTrainingSpec(const TrainingSpec& t) {
  {
    const QSignalBlocker blocks[] = {
        QSignalBlocker(m_optimizer), QSignalBlocker(m_learningRate), QSignalBlocker(m_momentum),
        QSignalBlocker(m_nesterov),  QSignalBlocker(m_beta1),        QSignalBlocker(m_beta2),
        QSignalBlocker(m_batchSize), QSignalBlocker(m_epochsSpin),   QSignalBlocker(m_split),
        QSignalBlocker(m_seed),      QSignalBlocker(m_validation)};
    m_base = t;
    m_optimizer->setCurrentIndex(std::max(0, m_optimizer->findData(QString::fromStdString(t.optimizer.type))));
    m_learningRate->setValue(t.optimizer.learningRate);
    m_momentum->setValue(t.optimizer.momentum);
    m_nesterov->setChecked(t.optimizer.nesterov);
    m_beta1->setValue(t.optimizer.beta1);
    m_beta2->setValue(t.optimizer.beta2);
    m_batchSize->setValue(t.batchSize);
    m_epochsSpin->setValue(t.epochs);
    m_seed->setValue(int(std::min<uint64_t>(t.seed, uint64_t(m_seed->maximum()))));
    ValidationMode mode = ValidationMode::None;
    if (t.validateOnTestSet) {
      mode = ValidationMode::TestSet;
    } else if (t.validationSplit > 0) {
      mode = ValidationMode::Split;
      m_split->setValue(t.validationSplit);
    }
    m_validation->setCurrentIndex(m_validation->findData(int(mode)));
    if (m_callbacksEditor) m_callbacksEditor->setCallbacks(t.callbacks);
    updateCallbacksButton();
  }
  m_split->setEnabled(validationMode() == ValidationMode::Split);
  updateOptimizerRows();
  emitSettingsChanged();
}

ValidationMode TrainingPanel::validationMode() const { return ValidationMode(m_validation->currentData().toInt()); }

void TrainingPanel::setValidationMode(ValidationMode mode) {
  m_validation->setCurrentIndex(m_validation->findData(int(mode)));
}

int TrainingPanel::threads() const { return m_threads->value(); }

QString TrainingPanel::datasetChoice() const {
  const QString choice = m_dataset->itemData(m_datasetIndex).toString();
  return choice == kChooseFolder ? kEmbedded : choice;
}

void TrainingPanel::setDatasetChoice(const QString& choice) {
  int i = m_dataset->findData(choice);
  if (i < 0) {
    i = m_dataset->count() - 1;  // before "MNIST-format folder…"
    m_dataset->insertItem(i, QDir::toNativeSeparators(choice), choice);
    m_dataset->setItemData(i, QDir::toNativeSeparators(choice), Qt::ToolTipRole);
  }
  m_datasetIndex = i;
  m_dataset->setCurrentIndex(i);
}

void TrainingPanel::addDatasetFolder(const QString& name, const QString& folder, bool select, const QString& toolTip) {
  int i = m_dataset->findData(folder);
  if (i < 0) {
    i = m_dataset->count() - 1;  // before "MNIST-format folder…"
    m_dataset->insertItem(i, name, folder);
  } else {
    m_dataset->setItemText(i, name);
  }
  m_dataset->setItemData(i, toolTip.isEmpty() ? QDir::toNativeSeparators(folder) : toolTip, Qt::ToolTipRole);
  if (select) {
    m_datasetIndex = i;
    m_dataset->setCurrentIndex(i);
  } else if (m_dataset->currentIndex() != m_datasetIndex) {
    m_dataset->setCurrentIndex(m_datasetIndex);  // the insertion may have shifted the current row
  }
}

QStringList TrainingPanel::datasetNames() const {
  QStringList names;
  for (int i = 0; i < m_dataset->count(); ++i)
    if (m_dataset->itemData(i).toString() != kChooseFolder) names << m_dataset->itemText(i);
  return names;
}

QStringList TrainingPanel::datasetChoices() const {
  QStringList choices;
  for (int i = 0; i < m_dataset->count(); ++i)
    if (m_dataset->itemData(i).toString() != kChooseFolder) choices << m_dataset->itemData(i).toString();
  return choices;
}

void TrainingPanel::onDatasetActivated(int index) {
  QString choice = m_dataset->itemData(index).toString();
  if (choice == kChooseFolder) {
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Folder with train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-… (optionally .gz)"));
    if (dir.isEmpty()) {
      m_dataset->setCurrentIndex(m_datasetIndex);
      return;
    }
    choice = dir;
  }
  setDatasetChoice(choice);
  emit datasetRequested(choice);
}

void TrainingPanel::setModelValid(bool valid) {
  m_modelValid = valid;
  updateButtons();
}

void TrainingPanel::setDataReady(bool ready) {
  m_dataReady = ready;
  updateButtons();
}

void TrainingPanel::setState(State state) {
  m_state = state;
  if (state == State::Idle) m_evaluating = false;
  updateButtons();
  updateProgressBar();  // "Paused" replaces the time left, "stopping…" follows a Stop
}

void TrainingPanel::updateButtons() {
  const bool idle = m_state == State::Idle;
  const bool active = m_state == State::Running || m_state == State::Paused;
  m_start->setEnabled(idle && m_modelValid && m_dataReady);
  if (!m_modelValid)
    m_start->setToolTip(tr("The model is invalid: fix the red layer first"));
  else if (!m_dataReady)
    m_start->setToolTip(tr("Waiting for the data to load"));
  else
    m_start->setToolTip(tr("Start training (F5)"));
  // The final evaluation has no batches to pause between: Pause is off and says why; Stop skips it
  // (also after a first Stop, when only the test set is still evaluated).
  m_pause->setEnabled(active && !m_evaluating);
  const bool paused = m_state == State::Paused;
  m_pause->setText(paused ? tr("Res&ume") : tr("Pa&use"));
  m_pause->setIcon(style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
  if (m_evaluating)
    m_pause->setToolTip(tr("An evaluation cannot be paused (it has no batches to pause between); Stop skips it"));
  else if (paused)
    m_pause->setToolTip(tr("Resume training where it paused (F6)"));
  else
    m_pause->setToolTip(tr("Pause after the current batch; the drawing panel uses the weights learned so far (F6)"));
  m_stop->setEnabled(active || (m_state == State::Stopping && m_evaluating));
  if (m_evaluating && !m_runActive)
    m_stop->setToolTip(tr("Cancel the evaluation"));
  else if (m_evaluating)
    m_stop->setToolTip(tr("Skip the evaluation; the trained weights are kept"));
  else
    m_stop->setToolTip(tr("Stop after the current batch, keeping the weights learned so far"));
  for (QWidget* w : std::initializer_list<QWidget*>{m_optimizer, m_momentum, m_nesterov, m_beta1, m_beta2, m_batchSize,
                                                    m_epochsSpin, m_validation, m_seed, m_threads, m_dataset})
    w->setEnabled(idle);
  // Steering: the learning rate stays editable while a run trains (ScientificSpinBox reports
  // only complete values: Enter, focus out, arrows), Step only while paused, Range test… when Train
  // could start.
  m_learningRate->setEnabled(idle || (active && !m_evaluating));
  m_step->setEnabled(paused && !m_evaluating);
  m_findLearningRate->setEnabled(idle && m_modelValid && m_dataReady);
  m_split->setEnabled(idle && validationMode() == ValidationMode::Split);
  emit controlsChanged();
}

bool TrainingPanel::canStart() const { return m_start->isEnabledTo(this); }

bool TrainingPanel::canPause() const { return m_pause->isEnabledTo(this); }

bool TrainingPanel::canStop() const { return m_stop->isEnabledTo(this); }

bool TrainingPanel::canStep() const { return m_step->isEnabledTo(this); }

void TrainingPanel::setLearningRate(double lr) { m_learningRate->setValue(lr); }

void TrainingPanel::updateOptimizerRows() {
  const bool sgd = m_optimizer->currentData().toString() == QLatin1String("sgd");
  m_firstExtra->setCurrentIndex(sgd ? 0 : 1);
  m_secondExtra->setCurrentIndex(sgd ? 0 : 1);
  m_firstExtraLabel->setText(sgd ? tr("Mome&ntum") : tr("&beta_1"));
  m_firstExtraLabel->setBuddy(sgd ? static_cast<QWidget*>(m_momentum) : m_beta1);
  m_secondExtraLabel->setText(sgd ? QString() : tr("beta_&2"));  // SGD: the check box has its own
  m_secondExtraLabel->setBuddy(sgd ? nullptr : m_beta2);
}

void TrainingPanel::emitSettingsChanged() { emit settingsChanged(trainingSpec()); }

void TrainingPanel::showStarted(int epochs, int stepsPerEpoch, int epochsBefore) {
  m_evaluating = false;
  m_runActive = true;
  m_epochs = std::max(1, epochs);
  m_epochsBefore = std::max(0, epochsBefore);
  m_steps = std::max(1, stepsPerEpoch);
  m_lastLog = BatchLog();
  m_runFraction = 0;
  m_evaluationText.clear();
  m_evaluationFraction = -1;
  m_endText.clear();
  updateButtons();
  updateProgressBar();
  showMessage(QString());
}

void TrainingPanel::showProgress(const BatchLog& log) {
  m_runActive = true;
  m_endText.clear();
  m_lastLog = log;
  if (log.batchesPerEpoch > 0) m_steps = log.batchesPerEpoch;
  // This run's epochs are epochsBefore + 1 .. log.epochs; without a showStarted() (or when the
  // log says otherwise) the log's own count wins.
  if (log.epochs > m_epochsBefore) m_epochs = log.epochs - m_epochsBefore;
  const double total = double(m_epochs) * m_steps;
  const double done = double(log.epoch - 1 - m_epochsBefore) * m_steps + log.batch;
  m_runFraction = total > 0 ? std::clamp(done / total, 0.0, 1.0) : 0.0;
  updateProgressBar();
}

void TrainingPanel::showEvaluating(const QString& what) {
  m_evaluating = true;
  m_evaluationText = what;
  m_evaluationFraction = -1;
  m_endText.clear();
  updateButtons();
  updateProgressBar();
}

void TrainingPanel::showEvaluationProgress(int done, int total) {
  if (!m_evaluating || total <= 0) return;
  m_evaluationFraction = std::clamp(double(done) / total, 0.0, 1.0);
  updateProgressBar();
}

void TrainingPanel::showFinished(const TrainResult& result) {
  const bool evaluationOnly = !m_runActive && result.batchesTrained == 0 && result.epochs.empty();
  m_runActive = false;
  m_evaluating = false;
  m_evaluationFraction = -1;
  if (result.diverged) {
    m_endText = tr("Diverged");
  } else if (evaluationOnly) {
    m_endText = result.cancelled ? tr("Evaluation cancelled") : tr("Evaluated");
    m_runFraction = result.cancelled ? 0.0 : 1.0;
  } else if (result.cancelled) {
    // The bar stays where training stopped (a fraction of this run), the text says where.
    m_endText = m_lastLog.epoch > 0 ? tr("Stopped at epoch %1/%2, batch %3/%4")
                                          .arg(m_lastLog.epoch)
                                          .arg(m_lastLog.epochs)
                                          .arg(m_lastLog.batch)
                                          .arg(m_lastLog.batchesPerEpoch)
                                    : tr("Stopped before the first batch");
  } else {
    m_runFraction = 1.0;
    m_endText = tr("Done");
  }
  updateProgressBar();
  showMessage(result.message, result.diverged);
  // Every line the callbacks said during the run, in the message's tooltip.
  QStringList lines;
  for (const EpochLog& e : result.epochs)
    for (const std::string& line : e.callbackMessages) lines << QString::fromStdString(line);
  if (!lines.isEmpty()) m_message->setToolTip(result.message + QStringLiteral("\n\n") + lines.join(QLatin1Char('\n')));
}

QString TrainingPanel::positionText() const {
  if (m_lastLog.epoch <= 0) return tr("Epoch %1/%2").arg(m_epochsBefore + 1).arg(m_epochsBefore + m_epochs);
  return tr("Epoch %1/%2 · batch %3/%4")
      .arg(m_lastLog.epoch)
      .arg(m_lastLog.epochs)
      .arg(m_lastLog.batch)
      .arg(m_lastLog.batchesPerEpoch);
}

void TrainingPanel::updateProgressBar() {
  double fraction = m_runFraction;
  QString text;
  if (!m_endText.isEmpty()) {
    text = m_endText;
  } else if (m_evaluating) {
    text = m_evaluationText;
    if (m_evaluationFraction >= 0) {
      fraction = m_evaluationFraction;
      text = tr("%1 %2%").arg(m_evaluationText).arg(int(std::floor(100 * m_evaluationFraction)));
    }
  } else if (!m_runActive) {
    text = tr("Ready");
  } else if (m_state == State::Paused) {
    text = tr("%1 · Paused").arg(positionText());
  } else if (m_state == State::Stopping) {
    text = tr("%1 · stopping…").arg(positionText());
  } else if (m_lastLog.epoch <= 0) {
    text = tr("%1 · starting…").arg(positionText());
  } else {
    // The time left: this epoch's pace (the worker's clock excludes pauses) times the batches
    // this run still has to train.
    const double perBatch = m_lastLog.batch > 0 ? m_lastLog.elapsedSeconds / m_lastLog.batch : 0;
    const double batchesLeft = (1.0 - m_runFraction) * double(m_epochs) * m_steps;
    text = tr("%1 · %2 samples/s · %3 left")
               .arg(positionText(),
                    QString::fromStdString(withThousands(int64_t(std::lround(m_lastLog.samplesPerSecond)))),
                    durationText(batchesLeft * perBatch));
  }
  m_progress->setValue(int(std::lround(fraction * m_progress->maximum())));
  m_progress->setFormat(text);
  m_progress->setToolTip(text);
}

double TrainingPanel::progressFraction() const {
  return double(m_progress->value() - m_progress->minimum()) / (m_progress->maximum() - m_progress->minimum());
}

void TrainingPanel::clearRun() {
  m_runActive = false;
  m_lastLog = BatchLog{};
  m_runFraction = 0;
  m_evaluationText.clear();
  m_evaluationFraction = -1;
  m_endText.clear();
  updateProgressBar();
  showMessage(QString());
}

void TrainingPanel::showMessage(const QString& text, bool isError) {
  m_message->setText(text);
  m_message->setToolTip(text);
  m_message->setStyleSheet(isError ? QStringLiteral("QLabel { color: #b01010; font-weight: bold; }") : QString());
}

QString TrainingPanel::progressText() const { return m_progress->format(); }

QString TrainingPanel::messageText() const { return m_message->text(); }

// ---- Keras's callbacks: a button beside Stop and the dialog it opens (see the header).

void TrainingPanel::createCallbacksButton() {
  m_callbacksButton = new QPushButton(this);
  m_callbacksButton->setObjectName(QStringLiteral("callbacksButton"));
  connect(m_callbacksButton, &QPushButton::clicked, this, [this] {
    createCallbacksDialog();
    m_callbacksDialog->show();
    m_callbacksDialog->raise();
    m_callbacksDialog->activateWindow();
  });
  updateCallbacksButton();
}

// Made on the first click: until then the callbacks live in m_base only.
void TrainingPanel::createCallbacksDialog() {
  if (m_callbacksDialog) return;
  m_callbacksDialog = new QDialog(this);
  m_callbacksDialog->setObjectName(QStringLiteral("callbacksDialog"));
  m_callbacksDialog->setWindowTitle(tr("Callbacks"));
  auto* layout = new QVBoxLayout(m_callbacksDialog);
  m_callbacksEditor = new CallbacksEditor(m_callbacksDialog);
  m_callbacksEditor->setCallbacks(m_base.callbacks);
  layout->addWidget(m_callbacksEditor);
  auto* close = new QDialogButtonBox(QDialogButtonBox::Close, m_callbacksDialog);
  // Enter confirms a typed value; it must not close the dialog.
  for (QAbstractButton* b : close->buttons())
    if (auto* push = qobject_cast<QPushButton*>(b)) push->setAutoDefault(false);
  layout->addWidget(close);
  connect(close, &QDialogButtonBox::rejected, m_callbacksDialog, &QDialog::hide);
  connect(m_callbacksEditor, &CallbacksEditor::callbacksChanged, this, [this](const CallbacksSpec& c) {
    m_base.callbacks = c;
    updateCallbacksButton();
    emitSettingsChanged();
  });
}

void TrainingPanel::updateCallbacksButton() {
  const QString on = CallbacksEditor::summary(m_base.callbacks);
  const int n = int(on.isEmpty() ? 0 : on.count(QLatin1Char(',')) + 1);
  m_callbacksButton->setText(n ? tr("Callbac&ks (%1)…").arg(n) : tr("Callbac&ks…"));
  m_callbacksButton->setToolTip(
      on.isEmpty() ? tr("Keras's callbacks: EarlyStopping, ReduceLROnPlateau and ModelCheckpoint (none is on)")
                   : tr("Keras's callbacks on: %1").arg(on));
}

void TrainingPanel::showEpochMessages(const EpochLog& e) {
  QStringList lines;
  for (const std::string& line : e.callbackMessages) lines << QString::fromStdString(line);
  for (const std::string& line : e.callbackWarnings) lines << tr("Warning: %1").arg(QString::fromStdString(line));
  if (!lines.isEmpty()) showMessage(lines.join(QStringLiteral(" · ")));
}

}  // namespace dl
