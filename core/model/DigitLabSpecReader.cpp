// DigitLab's own spec format: name, input_shape, flat layers and training settings.
#include "model/SpecJsonDetail.h"

namespace dl::specjson {

ModelSpec parseDigitLab(const QJsonObject& top, const std::string& source) {
  Args t(top, source);
  ModelSpec spec;
  spec.name = parseName(t, "name", "sequential");
  InputShape input;
  const QJsonValue is = t.take("input_shape");
  if (!is.isUndefined() && !is.isNull()) input.set(t, parseShape(t, "input_shape", is, false), "'input_shape'");
  const QJsonValue layers = t.take("layers");
  if (!layers.isArray()) t.fail("'layers' must be a list, not " + describe(layers));
  const QJsonValue training = t.take("training");
  t.finish();
  spec.training = TrainingSpec{};
  if (!training.isUndefined() && !training.isNull()) {
    if (!training.isObject()) t.fail("'training' must be an object, not " + describe(training));
    Args ta(training.toObject(), source + ": training");
    spec.training = parseTraining(ta);
  }
  ParsedLayers p = parseLayers(layers.toArray(), source, false, input);
  finishSpec(spec, p, source, false);
  return spec;
}

}  // namespace dl::specjson
