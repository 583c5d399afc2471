// metadata.json of a model file (see ModelFileMetadata.h).

#include "io/ModelFileMetadata.h"

#include "io/ModelFileError.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <charconv>
#include <cmath>

namespace dl {

namespace {

constexpr int kFormatVersion = 1;

QString qs(const std::string& s) { return QString::fromStdString(s); }
QString qs(const char* s) { return QString::fromUtf8(s); }

[[noreturn]] void fail(const QString& path, const std::string& what) { failModelFile(path, what); }

// A float as its shortest decimal (0.3012, not 0.30120000243186951): compact per-batch arrays.
double shortFloat(float f) {
  if (!std::isfinite(f)) return double(f);
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, f);
  double d = double(f);
  std::from_chars(buf, r.ptr, d);
  return d;
}

void insertFinite(QJsonObject& o, const char* key, double v) {
  if (std::isfinite(v)) o.insert(qs(key), v);
}

QJsonObject metrics(double loss, double accuracy) {
  QJsonObject o;
  insertFinite(o, "loss", loss);
  insertFinite(o, "accuracy", accuracy);
  return o;
}

QJsonObject parseJsonObject(const QByteArray& bytes, const QString& path, const QString& member) {
  QJsonParseError err{};
  const QJsonDocument doc = QJsonDocument::fromJson(bytes, &err);
  if (err.error != QJsonParseError::NoError)
    fail(path, member.toStdString() + " is not valid JSON (" + err.errorString().toStdString() + " at byte " +
                   std::to_string(err.offset) + ")");
  if (!doc.isObject()) fail(path, member.toStdString() + " must hold a JSON object");
  return doc.object();
}

// Reads metadata.json strictly by type: a wrong type is an error, a missing value a default.
class MetadataReader {
 public:
  explicit MetadataReader(const QString& path) : m_path(path) {}

  double number(const QJsonObject& o, const char* key, const std::string& at) const {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) return std::numeric_limits<double>::quiet_NaN();
    if (!v.isDouble()) bad(at + "." + key + " must be a number");
    return v.toDouble();
  }
  int integer(const QJsonObject& o, const char* key, const std::string& at) const {
    const double d = number(o, key, at);
    if (std::isnan(d)) return 0;
    if (d != std::floor(d) || d < 0 || d > 1e9) bad(at + "." + key + " must be a whole number");
    return int(d);
  }
  std::string string(const QJsonObject& o, const char* key) const {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) return {};
    if (!v.isString()) bad(std::string(key) + " must be a string");
    return v.toString().toStdString();
  }
  QJsonObject object(const QJsonObject& o, const char* key) const {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) return {};
    if (!v.isObject()) bad(std::string(key) + " must be an object");
    return v.toObject();
  }
  QJsonArray array(const QJsonObject& o, const char* key) const {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) return {};
    if (!v.isArray()) bad(std::string(key) + " must be a list");
    return v.toArray();
  }
  std::vector<float> floats(const QJsonArray& a, const std::string& at) const {
    std::vector<float> out;
    out.reserve(size_t(a.size()));
    for (const QJsonValue& v : a) {
      if (v.isNull())
        out.push_back(std::numeric_limits<float>::quiet_NaN());
      else if (v.isDouble())
        out.push_back(float(v.toDouble()));
      else
        bad(at + " must be a list of numbers");
    }
    return out;
  }

  ModelFileMetadata read(const QJsonObject& m) const {
    const double version = number(m, "format_version", "metadata");
    if (version > kFormatVersion)
      fail(m_path, "was written by a newer DigitLab (model format " + std::to_string(int(version)) +
                       "; this version reads format " + std::to_string(kFormatVersion) + ")");
    ModelFileMetadata md;
    md.dataset = string(m, "dataset");
    md.dateSaved = string(m, "date_saved");
    md.digitlabVersion = string(m, "digitlab_version");
    const QJsonObject fin = object(m, "final");
    md.trainLoss = number(object(fin, "train"), "loss", "final.train");
    md.trainAccuracy = number(object(fin, "train"), "accuracy", "final.train");
    md.testLoss = number(object(fin, "test"), "loss", "final.test");
    md.testAccuracy = number(object(fin, "test"), "accuracy", "final.test");
    const QJsonObject h = object(m, "history");
    for (const QJsonValue& v : array(h, "epochs")) {
      if (!v.isObject()) bad("history.epochs must hold objects");
      const QJsonObject o = v.toObject();
      EpochLog e;
      e.epoch = integer(o, "epoch", "history.epochs[]");
      e.epochs = integer(o, "epochs", "history.epochs[]");
      e.seconds = number(o, "seconds", "history.epochs[]");
      e.loss = number(o, "loss", "history.epochs[]");
      e.accuracy = number(o, "accuracy", "history.epochs[]");
      e.valLoss = number(o, "val_loss", "history.epochs[]");
      e.valAccuracy = number(o, "val_accuracy", "history.epochs[]");
      e.samplesPerSecond = number(o, "samples_per_second", "history.epochs[]");
      if (std::isnan(e.seconds)) e.seconds = 0;
      if (std::isnan(e.samplesPerSecond)) e.samplesPerSecond = 0;
      md.history.epochs.push_back(e);
    }
    md.history.batchesPerEpoch = integer(h, "batches_per_epoch", "history");
    const QJsonObject b = object(h, "batches");
    md.history.batchLoss = floats(array(b, "loss"), "history.batches.loss");
    md.history.batchAccuracy = floats(array(b, "accuracy"), "history.batches.accuracy");
    if (md.history.batchLoss.size() != md.history.batchAccuracy.size())
      bad("history.batches.loss and .accuracy differ in length");
    const QJsonArray runs = array(m, "runs");
    if (runs.size() > 10000) bad("runs has more than 10000 entries");
    for (qsizetype i = 0; i < runs.size(); ++i) {
      std::string at = "runs[";
      at += std::to_string(i);
      at += ']';
      if (!runs[i].isObject()) bad(at + " must be an object");
      try {
        md.runs.push_back(runRecordFromJson(runs[i].toObject(), at));
      } catch (const RunRecordError& e) {
        bad(e.what());
      }
    }
    return md;
  }

 private:
  [[noreturn]] void bad(const std::string& what) const { fail(m_path, "metadata.json: " + what); }
  QString m_path;
};

}  // namespace

QJsonObject metadataToJson(const ModelFileMetadata& m, int64_t parameters) {
  QJsonArray epochs;
  for (const EpochLog& e : m.history.epochs) {
    QJsonObject o{{qs("epoch"), e.epoch}, {qs("epochs"), e.epochs}};
    insertFinite(o, "seconds", e.seconds);
    insertFinite(o, "loss", e.loss);
    insertFinite(o, "accuracy", e.accuracy);
    insertFinite(o, "val_loss", e.valLoss);
    insertFinite(o, "val_accuracy", e.valAccuracy);
    insertFinite(o, "samples_per_second", e.samplesPerSecond);
    epochs.append(o);
  }
  QJsonArray loss, accuracy;
  for (float v : m.history.batchLoss) loss.append(std::isfinite(v) ? QJsonValue(shortFloat(v)) : QJsonValue());
  for (float v : m.history.batchAccuracy) accuracy.append(std::isfinite(v) ? QJsonValue(shortFloat(v)) : QJsonValue());
  QJsonArray runs;
  for (const RunRecord& r : m.runs) runs.append(runRecordToJson(r));
  const std::string date =
      m.dateSaved.empty() ? QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString() : m.dateSaved;
  return QJsonObject{
      {qs("format"), qs("DigitLab model")},
      {qs("format_version"), kFormatVersion},
      {qs("digitlab_version"), qs(DIGITLAB_VERSION)},
      {qs("date_saved"), qs(date)},
      {qs("dataset"), qs(m.dataset)},
      {qs("parameters"), double(parameters)},
      {qs("final"), QJsonObject{{qs("train"), metrics(m.trainLoss, m.trainAccuracy)},
                                {qs("test"), metrics(m.testLoss, m.testAccuracy)}}},
      {qs("history"), QJsonObject{{qs("epochs"), epochs},
                                  {qs("batches_per_epoch"), m.history.batchesPerEpoch},
                                  {qs("batches"), QJsonObject{{qs("loss"), loss}, {qs("accuracy"), accuracy}}}}},
      {qs("runs"), runs},
  };
}

ModelFileMetadata metadataFromJson(const QByteArray& bytes, const QString& path) {
  return MetadataReader(path).read(parseJsonObject(bytes, path, QStringLiteral("metadata.json")));
}

}  // namespace dl
