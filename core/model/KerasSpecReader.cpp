// Keras 2/3 model.to_json() output: the Sequential, its InputLayer and its compile_config.
#include "model/SpecJsonDetail.h"

namespace dl::specjson {

namespace {

// Keras 3's compile_config: the optimizer and the loss.
void parseCompileConfig(const QJsonValue& v, const std::string& source, TrainingSpec& t) {
  if (!v.isObject()) throw SpecError(source + ": 'compile_config' must be an object, not " + describe(v));
  Args a(v.toObject(), source + ": compile_config");
  const QJsonValue opt = a.take("optimizer");
  if (!opt.isUndefined() && !opt.isNull()) t.optimizer = parseOptimizer(opt, a.where(), true);
  const QJsonValue loss = a.take("loss");
  if (!loss.isUndefined() && !loss.isNull()) t.loss = parseLoss(loss, a.where());
  a.mustBeNull("loss_weights", "loss weights");
  for (const char* k :
       {"metrics", "weighted_metrics", "run_eagerly", "steps_per_execution", "jit_compile", "auto_scale_loss"})
    a.ignore(k);
  a.finish();
}

}  // namespace

void parseInputLayer(Args& a, InputShape& in) {
  a.ignore("name");
  parseDtype(a);
  if (a.boolean("sparse", false)) a.fail("sparse inputs are not supported");
  if (a.boolean("ragged", false)) a.fail("ragged inputs are not supported");
  if (a.boolean("optional", false)) a.fail("optional inputs are not supported");
  a.mustBeNull("input_tensor", "an input tensor");
  bool any = false;
  for (const char* k : {"batch_shape", "batch_input_shape"}) {
    const QJsonValue v = a.take(k);
    if (v.isUndefined() || v.isNull()) continue;
    in.set(a, parseShape(a, k, v, true), a.where() + " '" + k + "'");
    any = true;
  }
  const QJsonValue shape = a.take("shape");  // hand-written InputLayer(shape=...)
  if (!shape.isUndefined() && !shape.isNull()) {
    in.set(a, parseShape(a, "shape", shape, false), a.where() + " 'shape'");
    any = true;
  }
  a.ignore("batch_size");
  if (!any) a.fail("an InputLayer needs 'batch_shape' (or 'batch_input_shape')");
  a.finish();
}

ModelSpec parseKeras(const QJsonObject& top, const std::string& source) {
  Args t(top, source);
  const std::string cls = t.string("class_name");
  if (cls != "Sequential")
    t.fail("only Sequential models are supported, not '" + cls + "' (rebuild it as a keras.Sequential)");
  for (const char* k : {"module", "registered_name", "keras_version", "backend"}) t.ignore(k);
  const QJsonValue config = t.take("config");
  const QJsonValue buildConfig = t.take("build_config");
  const QJsonValue compile = t.take("compile_config");
  t.finish();

  ModelSpec spec;
  spec.training = TrainingSpec{};
  QJsonArray layers;
  InputShape input;
  if (config.isArray()) {  // Keras <= 2.2: "config" is the layer list itself
    layers = config.toArray();
  } else if (config.isObject()) {
    Args c(config.toObject(), source + ": config");
    spec.name = parseName(c, "name", "sequential");
    if (!c.boolean("trainable", true)) c.fail("trainable=false (a frozen model) is not supported");
    parseDtype(c);
    const QJsonValue l = c.take("layers");
    if (!l.isArray()) c.fail("'layers' must be a list, not " + describe(l));
    layers = l.toArray();
    const QJsonValue bis = c.take("build_input_shape");
    if (!bis.isUndefined() && !bis.isNull())
      input.set(c, parseShape(c, "build_input_shape", bis, true), "the model's 'build_input_shape'");
    c.finish();
  } else {
    t.fail("'config' must be an object, not " + describe(config));
  }
  if (buildConfig.isObject()) {
    const QJsonValue s = buildConfig.toObject().value(QLatin1String("input_shape"));
    if (!s.isUndefined() && !s.isNull())
      input.set(t, parseShape(t, "build_config.input_shape", s, true), "'build_config'");
  }
  // Layer shapes take precedence in the messages: parse the layers first, then the model-level
  // shapes are checked against them.
  ParsedLayers p = parseLayers(layers, source, true, InputShape{});
  if (input.shape) p.input.set(Args(QJsonObject{}, source), *input.shape, input.from);
  if (!compile.isUndefined() && !compile.isNull()) parseCompileConfig(compile, source, spec.training);
  finishSpec(spec, p, source, true);
  return spec;
}

}  // namespace dl::specjson
