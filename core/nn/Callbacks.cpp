// Keras 3's EarlyStopping, ReduceLROnPlateau and ModelCheckpoint (keras/src/callbacks/).

#include "nn/Callbacks.h"

#include "nn/Model.h"
#include "nn/Optimizer.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

namespace dl {

void Callback::onTrainBegin(Model&, Optimizer&) {}
void Callback::onTrainEnd(Model&, Optimizer&, CallbackReport&) {}

std::optional<double> monitorValue(const EpochLog& log, const std::string& monitor) {
  if (monitor == "loss") return log.loss;
  if (monitor == "accuracy") return log.accuracy;
  if (!log.hasValidation()) return std::nullopt;
  if (monitor == "val_loss") return log.valLoss;
  if (monitor == "val_accuracy") return log.valAccuracy;
  return std::nullopt;
}

std::string availableMetrics(const EpochLog& log) {
  // The order of Keras 3's logs (and progress bar): compiled metrics, loss, then val_ ones.
  return log.hasValidation() ? "accuracy,loss,val_accuracy,val_loss" : "accuracy,loss";
}

std::string pythonFloatRepr(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  // The shortest digits that read back as v (what repr() picks), then repr's layout: fixed
  // notation for decimal exponents -4..15, else d.ddde+XX (Python's float_repr_style 'short').
  char buf[64];
  const auto end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific).ptr;
  std::string s(buf, end);
  std::string sign;
  if (s[0] == '-') {
    sign = "-";
    s.erase(0, 1);
  }
  const size_t e = s.find('e');
  const int exponent = std::stoi(s.substr(e + 1));
  std::string digits = s.substr(0, e);
  if (digits.size() > 1) digits.erase(1, 1);  // drop the '.'
  if (exponent < -4 || exponent >= 16) {
    std::string out = sign + digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exp[16];
    std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    return out + exp;
  }
  if (exponent < 0) return sign + "0." + std::string(size_t(-exponent - 1), '0') + digits;
  const size_t intDigits = size_t(exponent) + 1;
  if (digits.size() <= intDigits) return sign + digits + std::string(intDigits - digits.size(), '0') + ".0";
  return sign + digits.substr(0, intDigits) + "." + digits.substr(intDigits);
}

bool monitorMaximizes(const std::string& monitor, const std::string& mode) {
  if (mode == "min") return false;
  if (mode == "max") return true;
  return monitor.find("acc") != std::string::npos;
}

namespace {

// Python's f"{x:.5f}".
std::string fixed5(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.5f", v);
  return buf;
}

std::string epochPrefix(int epoch) { return "Epoch " + std::to_string(epoch + 1) + ": "; }

}  // namespace

// ---- EarlyStopping (keras/src/callbacks/early_stopping.py)

EarlyStopping::EarlyStopping(const EarlyStoppingSpec& spec) : m_spec(spec) {
  m_maximize = monitorMaximizes(spec.monitor, spec.mode);
  m_spec.minDelta = std::abs(spec.minDelta);  // Keras: self.min_delta = abs(min_delta)
}

void EarlyStopping::onTrainBegin(Model&, Optimizer&) {
  m_wait = 0;
  m_stoppedEpoch = 0;
  m_best.reset();
  m_bestEpoch = 0;
  m_haveBestWeights = false;
  m_bestWeights.clear();
  m_restored = false;
  m_warned = false;
}

// Keras's _is_improvement: monitor_op(value - min_delta, reference), min_delta negated for "min";
// no reference yet (best is None) is always an improvement.
bool EarlyStopping::isImprovement(double value, std::optional<double> reference) const {
  if (!reference) return true;
  return m_maximize ? value - m_spec.minDelta > *reference : value + m_spec.minDelta < *reference;
}

void EarlyStopping::onEpochEnd(int epoch, const EpochLog& log, Model& model, Optimizer&, CallbackReport& report) {
  const std::optional<double> current = monitorValue(log, m_spec.monitor);
  if (!current) {
    if (!m_warned)
      report.warnings.push_back("Early stopping conditioned on metric `" + m_spec.monitor +
                                "` which is not available. Available metrics are: " + availableMetrics(log));
    m_warned = true;
    return;
  }
  if (epoch < m_spec.startFromEpoch) return;  // the warm-up
  if (m_spec.restoreBestWeights && !m_haveBestWeights) {
    // "If best weights were never set, then the current weights are the best."
    m_bestWeights = model.weights();
    m_haveBestWeights = true;
    m_bestEpoch = epoch;
  }
  ++m_wait;
  if (isImprovement(*current, m_best)) {
    m_best = *current;
    m_bestEpoch = epoch;
    if (m_spec.restoreBestWeights) m_bestWeights = model.weights();
    // "Only restart wait if we beat both the baseline and our previous best."
    if (!m_spec.hasBaseline || isImprovement(*current, m_spec.baseline)) m_wait = 0;
    return;
  }
  if (m_wait >= m_spec.patience && epoch > 0) {
    m_stoppedEpoch = epoch;
    report.stopTraining = true;
  }
}

void EarlyStopping::onTrainEnd(Model& model, Optimizer&, CallbackReport& report) {
  if (m_stoppedEpoch > 0) report.messages.push_back(epochPrefix(m_stoppedEpoch) + "early stopping");
  if (m_spec.restoreBestWeights && m_haveBestWeights) {
    report.messages.push_back(
        "Restoring model weights from the end of the best epoch: " + std::to_string(m_bestEpoch + 1) + ".");
    model.setWeights(m_bestWeights);
    m_restored = report.restoredWeights = true;
  }
}

// ---- ReduceLROnPlateau (keras/src/callbacks/reduce_lr_on_plateau.py)

ReduceLROnPlateau::ReduceLROnPlateau(const ReduceLROnPlateauSpec& spec) : m_spec(spec) {
  m_maximize = monitorMaximizes(spec.monitor, spec.mode);
}

void ReduceLROnPlateau::onTrainBegin(Model&, Optimizer&) {  // Keras's _reset()
  m_best = m_maximize ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  m_cooldownCounter = 0;
  m_wait = 0;
  m_warned = false;
}

void ReduceLROnPlateau::onEpochEnd(int epoch, const EpochLog& log, Model&, Optimizer& optimizer,
                                   CallbackReport& report) {
  const std::optional<double> current = monitorValue(log, m_spec.monitor);
  if (!current) {
    // Keras has just added the rate to the logs: it is listed too.
    if (!m_warned)
      report.warnings.push_back("Learning rate reduction is conditioned on metric `" + m_spec.monitor +
                                "` which is not available. Available metrics are: " + availableMetrics(log) +
                                ",learning_rate.");
    m_warned = true;
    return;
  }
  if (m_cooldownCounter > 0) {
    --m_cooldownCounter;
    m_wait = 0;
  }
  const bool improved = m_maximize ? *current > m_best + m_spec.minDelta : *current < m_best - m_spec.minDelta;
  if (improved) {
    m_best = *current;
    m_wait = 0;
    return;
  }
  if (m_cooldownCounter > 0) return;
  if (++m_wait < m_spec.patience) return;
  // The optimizer's rate is a float32 variable in Keras: read back through float.
  const double oldLr = double(float(optimizer.learningRate()));
  if (oldLr > double(float(m_spec.minLr))) {
    const double newLr = std::max(oldLr * m_spec.factor, m_spec.minLr);
    optimizer.setLearningRate(newLr);
    report.messages.push_back(epochPrefix(epoch) + "ReduceLROnPlateau reducing learning rate to " +
                              pythonFloatRepr(newLr) + ".");
    m_cooldownCounter = m_spec.cooldown;
    m_wait = 0;
  }
}

// ---- ModelCheckpoint (keras/src/callbacks/model_checkpoint.py, monitor_callback.py)

ModelCheckpoint::ModelCheckpoint(const ModelCheckpointSpec& spec, SaveFunction save)
    : m_spec(spec), m_save(std::move(save)) {
  m_maximize = monitorMaximizes(spec.monitor, spec.mode);
}

void ModelCheckpoint::onTrainBegin(Model&, Optimizer&) {
  m_best.reset();  // initial_value_threshold=None
  m_warned = false;
}

void ModelCheckpoint::onEpochEnd(int epoch, const EpochLog& log, Model&, Optimizer&, CallbackReport& report) {
  const std::string& path = m_spec.filepath;
  bool save = true;
  if (!m_spec.saveBestOnly) {
    report.messages.push_back(epochPrefix(epoch) + "saving model to " + path);
  } else if (const std::optional<double> current = monitorValue(log, m_spec.monitor); !current) {
    // Keras warns and saves anyway.
    if (!m_warned) report.warnings.push_back("Can save best model only with " + m_spec.monitor + " available.");
    m_warned = true;
  } else {
    // Keras 3 prints "None" before the first value (older releases and tf.keras printed "inf").
    const std::string bestText = m_best ? fixed5(*m_best) : "None";
    save = !m_best || (m_maximize ? *current > *m_best : *current < *m_best);
    if (save) {
      report.messages.push_back(epochPrefix(epoch) + m_spec.monitor + " improved from " + bestText + " to " +
                                fixed5(*current) + ", saving model to " + path);
      m_best = *current;
    } else {
      report.messages.push_back(epochPrefix(epoch) + m_spec.monitor + " did not improve from " + bestText);
    }
  }
  if (save && m_save) m_save(path, log);
}

std::vector<std::unique_ptr<Callback>> makeCallbacks(const CallbacksSpec& spec, ModelCheckpoint::SaveFunction save) {
  if (const std::string problem = callbacksProblem(spec); !problem.empty()) throw SpecError(problem);
  std::vector<std::unique_ptr<Callback>> out;
  if (spec.earlyStopping.enabled) out.push_back(std::make_unique<EarlyStopping>(spec.earlyStopping));
  if (spec.reduceLrOnPlateau.enabled) out.push_back(std::make_unique<ReduceLROnPlateau>(spec.reduceLrOnPlateau));
  if (spec.modelCheckpoint.enabled)
    out.push_back(std::make_unique<ModelCheckpoint>(spec.modelCheckpoint, std::move(save)));
  return out;
}

std::vector<Callback*> callbackPointers(const std::vector<std::unique_ptr<Callback>>& callbacks) {
  std::vector<Callback*> out;
  for (const auto& c : callbacks) out.push_back(c.get());
  return out;
}

}  // namespace dl
