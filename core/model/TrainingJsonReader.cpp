// Training settings: the optimizer, the loss, and DigitLab's "training" object.
#include "model/SpecJsonDetail.h"

namespace dl::specjson {

// keras: the settings come from Keras (float32 values are tidied, see tidyFloat32).
OptimizerSpec parseOptimizer(const QJsonValue& v, const std::string& where, bool keras) {
  OptimizerSpec o;
  auto tidy = [keras](double x) { return keras ? tidyFloat32(x) : x; };
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
  };
  auto setType = [&](const std::string& cls) {
    const std::string t = lower(cls);
    if (t != "sgd" && t != "adam")
      throw SpecError(where + ": optimizer '" + cls + "' is not supported (DigitLab knows SGD and Adam)");
    o.type = t;
    o.learningRate = t == "adam" ? 0.001 : 0.01;  // Keras's defaults
  };
  if (v.isString()) {
    setType(v.toString().toStdString());
    return o;
  }
  if (!v.isObject())
    throw SpecError(where + ": 'optimizer' must be \"sgd\", \"adam\" or an object, not " + describe(v));
  QJsonObject obj = v.toObject();
  Args outer(obj, where + ": optimizer");
  const std::string cls = outer.string("class_name");
  setType(cls);
  const QJsonValue cfgValue = obj.value(QLatin1String("config"));
  std::optional<Args> kerasArgs;
  if (cfgValue.isObject()) {  // Keras form: {"class_name": "SGD", "config": {...}}
    outer.ignore("config");
    outer.ignore("module");
    outer.ignore("registered_name");
    outer.finish();
    kerasArgs.emplace(cfgValue.toObject(), where + ": optimizer " + cls);
  }
  Args& a = kerasArgs ? *kerasArgs : outer;

  a.ignore("name");
  const QJsonValue lr = a.take("learning_rate");
  const QJsonValue legacyLr = a.take("lr");  // Keras 2 legacy optimizers
  const QJsonValue rate = lr.isUndefined() || lr.isNull() ? legacyLr : lr;
  if (rate.isObject()) a.fail("learning-rate schedules are not supported (give a number)");
  if (!rate.isUndefined() && !rate.isNull()) {
    // The same range as the app's learning-rate box and `train --lr`: a file never loses its rate.
    if (!rate.isDouble() || !(rate.toDouble() >= 1e-12 && rate.toDouble() <= 1e6))
      a.fail("'learning_rate' must be a number from 1e-12 to 1e6, not " + describe(rate));
    o.learningRate = tidy(rate.toDouble());
  }
  if (o.type == "sgd") {
    o.momentum = tidy(a.number(
        "momentum", [](double m) { return m >= 0 && m < 1; }, "a number from 0 to below 1", 0.0));
    o.nesterov = a.boolean("nesterov", false);
  } else {
    auto unit = [](double b) { return b >= 0 && b < 1; };
    o.beta1 = tidy(a.number("beta_1", unit, "a number from 0 to below 1", 0.9));
    o.beta2 = tidy(a.number("beta_2", unit, "a number from 0 to below 1", 0.999));
    o.epsilon = tidy(a.number(
        "epsilon", [](double e) { return e > 0 && e <= 1; }, "a number above 0 and at most 1", 1e-7));
    if (a.boolean("amsgrad", false)) a.fail("amsgrad is not supported");
  }
  const QJsonValue wd = a.take("weight_decay");
  if (!wd.isUndefined() && !wd.isNull() && !(wd.isDouble() && wd.toDouble() == 0))
    a.fail("weight decay is not supported ('weight_decay' is " + describe(wd) + ")");
  const QJsonValue decay = a.take("decay");
  if (!decay.isUndefined() && !decay.isNull() && !(decay.isDouble() && decay.toDouble() == 0))
    a.fail("learning-rate decay is not supported ('decay' is " + describe(decay) + ")");
  a.mustBeNull("clipnorm", "gradient clipping");
  a.mustBeNull("global_clipnorm", "gradient clipping");
  a.mustBeNull("clipvalue", "gradient clipping");
  if (a.boolean("use_ema", false)) a.fail("weight averaging (use_ema) is not supported");
  a.ignore("ema_momentum");
  a.ignore("ema_overwrite_frequency");
  a.mustBeNull("loss_scale_factor", "loss scaling");
  if (a.has("gradient_accumulation_steps") && a.integer("gradient_accumulation_steps", 1, 1 << 20) != 1)
    a.fail("gradient accumulation is not supported");
  a.ignore("gradient_accumulation_steps");
  a.ignore("jit_compile");
  a.ignore("is_legacy_optimizer");
  a.finish();
  return o;
}

std::string parseLoss(const QJsonValue& v, const std::string& where) {
  const std::string known = "DigitLab knows categorical_crossentropy and sparse_categorical_crossentropy";
  if (v.isString()) {
    const std::string s = v.toString().toStdString();
    if (s == "categorical_crossentropy" || s == "CategoricalCrossentropy") return "categorical_crossentropy";
    if (s == "sparse_categorical_crossentropy" || s == "SparseCategoricalCrossentropy")
      return "sparse_categorical_crossentropy";
    throw SpecError(where + ": loss '" + s + "' is not supported (" + known + ")");
  }
  if (!v.isObject()) throw SpecError(where + ": 'loss' must be a loss name or object, not " + describe(v));
  Args outer(v.toObject(), where + ": loss");
  const std::string cls = outer.string("class_name");
  std::string loss;
  if (cls == "CategoricalCrossentropy")
    loss = "categorical_crossentropy";
  else if (cls == "SparseCategoricalCrossentropy")
    loss = "sparse_categorical_crossentropy";
  else
    outer.fail("loss '" + cls + "' is not supported (" + known + ")");
  outer.ignore("module");
  outer.ignore("registered_name");
  const QJsonValue cfgValue = outer.take("config");
  outer.finish();
  Args a(cfgValue.toObject(), where + ": loss " + cls);
  a.ignore("name");
  a.ignore("dtype");
  if (a.boolean("from_logits", false))
    a.fail("from_logits=true is not supported (DigitLab's models end in softmax and use probabilities)");
  const double smoothing = a.number(
      "label_smoothing", [](double) { return true; }, "a number", 0.0);
  if (smoothing != 0) a.fail("label smoothing is not supported");
  if (a.integer("axis", -1, -1, -1) != -1) a.fail("'axis' must be -1");
  const std::string reduction = a.string("reduction", std::string("sum_over_batch_size"));
  if (reduction != "sum_over_batch_size" && reduction != "auto")
    a.fail("reduction '" + reduction + "' is not supported (DigitLab averages over the batch)");
  a.mustBeNull("ignore_class", "ignore_class");
  a.finish();
  return loss;
}

TrainingSpec parseTraining(Args& a) {
  TrainingSpec t;
  const QJsonValue opt = a.take("optimizer");
  if (!opt.isUndefined() && !opt.isNull()) t.optimizer = parseOptimizer(opt, a.where(), false);
  const QJsonValue loss = a.take("loss");
  if (!loss.isUndefined() && !loss.isNull()) t.loss = parseLoss(loss, a.where());
  t.batchSize = a.integer("batch_size", 1, 1 << 20, t.batchSize);
  t.epochs = a.integer("epochs", 1, 100000, t.epochs);
  t.validationSplit = a.number(
      "validation_split", [](double v) { return v >= 0 && v < 1; }, "a number from 0 to below 1", t.validationSplit);
  // "validation": "none", "split" or "test"; files without it validate on the split if it is set.
  if (a.has("validation")) {
    const std::string v = a.string("validation");
    if (v == "test") {
      if (t.validationSplit > 0)
        a.fail("'validation_split' must be 0 with validation \"test\" (the test set validates), not " +
               describe(QJsonValue(t.validationSplit)));
      t.validateOnTestSet = true;
    } else if (v == "split") {
      if (!(t.validationSplit > 0)) a.fail("validation \"split\" needs a 'validation_split' above 0");
    } else if (v == "none") {
      if (t.validationSplit > 0)
        a.fail("'validation_split' must be 0 with validation \"none\", not " + describe(QJsonValue(t.validationSplit)));
    } else {
      a.fail("'validation' must be \"none\", \"split\" or \"test\", not " +
             describe(QJsonValue(QString::fromStdString(v))));
    }
  } else {
    a.ignore("validation");  // null: as if absent
  }
  t.seed = uint64_t(a.number(
      "seed", [](double s) { return isWhole(s) && s >= 0 && s <= kMaxSeed; }, "a whole number from 0 to 2147483647",
      double(t.seed)));
  t.callbacks = parseCallbacks(a.take("callbacks"), a.where());
  a.ignore("metrics");  // DigitLab always reports loss and accuracy
  a.finish();
  return t;
}

// Keras 3's compile_config: the optimizer and the loss.

}  // namespace dl::specjson
