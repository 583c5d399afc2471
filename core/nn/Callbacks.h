#pragma once
// Keras's training callbacks as small state machines that dl::fit feeds with each epoch's log
// (nn/Trainer.h, FitOptions::callbacks): EarlyStopping, ReduceLROnPlateau and ModelCheckpoint with
// Keras 3's arguments, defaults, counters and printed lines (keras/src/callbacks/early_stopping.py,
// reduce_lr_on_plateau.py, model_checkpoint.py, monitor_callback.py).
//
// A callback may stop the training (CallbackReport::stopTraining, Keras's model.stop_training),
// set the optimizer's learning rate, copy and restore the model's weights, and ask its owner to
// save the model (ModelCheckpoint calls a SaveFunction: the file format is the caller's). What
// Keras prints with verbose=1 comes back as text, one line each, without Keras's leading "\n":
//   "Epoch 7: early stopping"
//   "Restoring model weights from the end of the best epoch: 4."
//   "Epoch 5: ReduceLROnPlateau reducing learning rate to 0.0005000000237487257."
//   "Epoch 1: val_loss improved from None to 0.31203, saving model to best.dlm"
//   "Epoch 2: val_loss did not improve from 0.31203"
//   "Epoch 3: saving model to best.dlm"
// and what Keras sends to warnings.warn as warnings, each at most once per fit (Python shows a
// warning once per place): a monitored key that is not in the logs ("val_loss" without
// validation) makes EarlyStopping and ReduceLROnPlateau do nothing that epoch, and
// ModelCheckpoint(save_best_only=True) save anyway, as Keras does.
//
// Epochs are Keras's 0-based indices (EpochLog::epoch - 1); the lines print them 1-based as Keras
// does. Every callback starts afresh at onTrainBegin (Keras: "allow instances to be re-used").

#include "nn/ModelSpec.h"
#include "nn/Trainer.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dl {

class Model;
class Optimizer;

// What the callbacks did at one point of the fit, in the order Keras prints it.
struct CallbackReport {
  bool stopTraining = false;
  bool restoredWeights = false;  // the model's weights were replaced (restore_best_weights)
  std::vector<std::string> messages;
  std::vector<std::string> warnings;
};

class Callback {
 public:
  virtual ~Callback() = default;
  virtual void onTrainBegin(Model& model, Optimizer& optimizer);
  // After epoch `epoch` (0-based) and its validation; `log` holds its figures.
  virtual void onEpochEnd(int epoch, const EpochLog& log, Model& model, Optimizer& optimizer,
                          CallbackReport& report) = 0;
  // Once, after the last epoch trained (whether all epochs ran or one stopped the training).
  virtual void onTrainEnd(Model& model, Optimizer& optimizer, CallbackReport& report);
};

// The epoch log's value of a monitor ("loss", "accuracy", "val_loss", "val_accuracy"), or nothing
// when the logs have no such key (validation figures without validation).
std::optional<double> monitorValue(const EpochLog& log, const std::string& monitor);
// The logs' keys as Keras lists them in its warnings: "accuracy,loss[,val_accuracy,val_loss]".
std::string availableMetrics(const EpochLog& log);
// A double as Python's repr() writes it ("0.0005000000237487257", "1e-05", "0.1", "2.0").
std::string pythonFloatRepr(double v);
// Whether a monitor is maximized: mode "max", or "auto" on an accuracy. EarlyStopping and
// ModelCheckpoint ask the metric's direction (Keras 3 MonitorCallback._set_monitor_op: loss
// down, accuracy up), ReduceLROnPlateau whether "acc" is in the name: the same for every monitor
// DigitLab has.
bool monitorMaximizes(const std::string& monitor, const std::string& mode);

// keras.callbacks.EarlyStopping (keras/src/callbacks/early_stopping.py). At each epoch's end:
// no value (missing key) or epoch < start_from_epoch: nothing. Otherwise wait += 1; an
// improvement (current - min_delta < best in min mode, current + min_delta > best in max mode;
// the first value always improves) makes it the best (and copies the weights if
// restore_best_weights) and resets wait to 0 only if it also improves on the baseline (when one
// is set); without one, wait >= patience (and epoch > 0) stops the training. At the end of the
// training, "Epoch N: early stopping" if it stopped it, and with restore_best_weights the best
// epoch's weights are put back: in Keras 3 at EVERY training end, not only after a stop (tf.keras
// 2 restored only when it stopped).
class EarlyStopping : public Callback {
 public:
  explicit EarlyStopping(const EarlyStoppingSpec& spec);
  void onTrainBegin(Model& model, Optimizer& optimizer) override;
  void onEpochEnd(int epoch, const EpochLog& log, Model& model, Optimizer& optimizer, CallbackReport& report) override;
  void onTrainEnd(Model& model, Optimizer& optimizer, CallbackReport& report) override;

  int wait() const { return m_wait; }
  std::optional<double> best() const { return m_best; }
  int bestEpoch() const { return m_bestEpoch; }        // 0-based
  int stoppedEpoch() const { return m_stoppedEpoch; }  // 0-based; 0: did not stop
  bool restoredWeights() const { return m_restored; }  // at the last onTrainEnd

 private:
  bool isImprovement(double value, std::optional<double> reference) const;

  EarlyStoppingSpec m_spec;
  bool m_maximize = false;
  int m_wait = 0;
  std::optional<double> m_best;
  int m_bestEpoch = 0;
  int m_stoppedEpoch = 0;
  bool m_haveBestWeights = false;
  std::vector<Matrix> m_bestWeights;
  bool m_restored = false;
  bool m_warned = false;
};

// keras.callbacks.ReduceLROnPlateau (keras/src/callbacks/reduce_lr_on_plateau.py). At each
// epoch's end with a value: in cooldown, cooldown_counter -= 1 and wait = 0. Then an improvement
// (current < best - min_delta in min mode, current > best + min_delta in max mode; best starts at
// +-inf) makes it the best and resets wait; otherwise, out of cooldown, wait += 1 and when wait >=
// patience the rate is multiplied by factor, not below min_lr, but only if it is above min_lr
// (compared as float32, the optimizer variable's type); then cooldown starts and wait = 0. The
// rate Keras reads back is the float32 variable's: 0.001 reads 0.0010000000474974513.
class ReduceLROnPlateau : public Callback {
 public:
  explicit ReduceLROnPlateau(const ReduceLROnPlateauSpec& spec);
  void onTrainBegin(Model& model, Optimizer& optimizer) override;
  void onEpochEnd(int epoch, const EpochLog& log, Model& model, Optimizer& optimizer, CallbackReport& report) override;

  int wait() const { return m_wait; }
  int cooldownCounter() const { return m_cooldownCounter; }
  double best() const { return m_best; }

 private:
  ReduceLROnPlateauSpec m_spec;
  bool m_maximize = false;
  int m_wait = 0;
  int m_cooldownCounter = 0;
  double m_best = 0;
  bool m_warned = false;
};

// keras.callbacks.ModelCheckpoint (keras/src/callbacks/model_checkpoint.py) with save_freq="epoch"
// and the whole model saved. After every epoch: without save_best_only it saves; with it, it saves
// when the value improves on the best so far (no min_delta; the first value always does), and
// says either way. The path is used as given (Keras's "{epoch:02d}" placeholders are not filled).
// The save function may throw: the exception leaves fit as Keras's IOError does.
class ModelCheckpoint : public Callback {
 public:
  // Saves the model as it is now (the end of the epoch `log` describes) to `path`.
  using SaveFunction = std::function<void(const std::string& path, const EpochLog& log)>;
  ModelCheckpoint(const ModelCheckpointSpec& spec, SaveFunction save);
  void onTrainBegin(Model& model, Optimizer& optimizer) override;
  void onEpochEnd(int epoch, const EpochLog& log, Model& model, Optimizer& optimizer, CallbackReport& report) override;

  std::optional<double> best() const { return m_best; }

 private:
  ModelCheckpointSpec m_spec;
  SaveFunction m_save;
  bool m_maximize = false;
  std::optional<double> m_best;
  bool m_warned = false;
};

// The enabled callbacks of a spec, in the order DigitLab runs them (and the Keras script lists
// them): EarlyStopping, ReduceLROnPlateau, ModelCheckpoint. `save` is ModelCheckpoint's (unused
// when it is off). Throws SpecError if callbacksProblem(spec) is not empty.
std::vector<std::unique_ptr<Callback>> makeCallbacks(const CallbacksSpec& spec, ModelCheckpoint::SaveFunction save);
// Plain pointers for FitOptions::callbacks.
std::vector<Callback*> callbackPointers(const std::vector<std::unique_ptr<Callback>>& callbacks);

}  // namespace dl
