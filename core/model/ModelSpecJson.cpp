// ModelSpec <-> JSON: DigitLab's spec format and Keras 2/3 model.to_json() output in, DigitLab's
// format and Keras 3's to_json() form out. Parsing is strict: every value is type- and
// range-checked, and anything DigitLab cannot honour is refused with the layer and the argument
// named (see ModelSpecJson.h).

#include "model/ModelSpecJson.h"

#include "model/SpecJsonDetail.h"

#include <QFile>
#include <QFileInfo>

namespace dl {

using namespace specjson;

ModelSpec modelSpecFromJson(const std::string& json, const std::string& source) {
  const QJsonObject top = parseObject(json, source);
  if (top.contains(QLatin1String("class_name"))) return parseKeras(top, source);
  if (top.contains(QLatin1String("layers"))) return parseDigitLab(top, source);
  throw SpecError(source +
                  ": neither a DigitLab model spec (no \"layers\") nor Keras model.to_json() output "
                  "(no \"class_name\")");
}

ModelSpec readModelSpecFile(const std::string& path) {
  const QString file = QString::fromStdString(path);
  const QFileInfo info(file);
  if (!info.exists()) throw SpecError(path + ": no such file");
  if (info.isDir()) throw SpecError(path + ": is a folder, not a model spec file");
  if (info.size() > kMaxSpecFileBytes)
    throw SpecError(path + ": too large for a model spec (" + std::to_string(info.size()) +
                    " bytes; the limit is 16 MiB)");
  QFile f(file);
  if (!f.open(QIODevice::ReadOnly)) throw SpecError(path + ": cannot open: " + f.errorString().toStdString());
  const QByteArray data = f.read(kMaxSpecFileBytes + 1);
  if (data.size() > kMaxSpecFileBytes) throw SpecError(path + ": too large for a model spec (the limit is 16 MiB)");
  return modelSpecFromJson(data.toStdString(), path);
}

TrainingSpec trainingSpecFromJson(const std::string& json, const std::string& source) {
  Args a(parseObject(json, source), source);
  return parseTraining(a);
}

}  // namespace dl
