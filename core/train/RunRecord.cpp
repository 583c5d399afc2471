// RunRecord: a run's record and its JSON (see RunRecord.h).

#include "train/RunRecord.h"

#include "data/CsvField.h"
#include "model/ModelSpecJson.h"
#include "nn/ModelAnalysis.h"
#include "train/TrainingTypes.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

#include <cmath>
#include <cstdio>
#include <sstream>

namespace dl {

namespace {

constexpr double kNaN = RunRecord::kNaN;

QString qs(const char* s) { return QString::fromUtf8(s); }
QString qs(const std::string& s) { return QString::fromStdString(s); }

void insertFinite(QJsonObject& o, const char* key, double v) {
  if (std::isfinite(v)) o.insert(qs(key), v);
}

// A number as C++ prints it shortest: 0.3, 1e-05.
std::string shortNumber(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

const std::pair<RunRecord::Ending, const char*> kEndings[] = {
    {RunRecord::Ending::Running, "running"}, {RunRecord::Ending::Completed, "completed"},
    {RunRecord::Ending::Stopped, "stopped"}, {RunRecord::Ending::Diverged, "diverged"},
    {RunRecord::Ending::Failed, "failed"},
};

// Strict reading by type: a wrong type is an error naming the member, absent is a default.
class Reader {
 public:
  explicit Reader(std::string at) : m_at(std::move(at)) {}

  [[noreturn]] void bad(const std::string& key, const std::string& what) const {
    throw RunRecordError(m_at + "." + key + " " + what);
  }
  double number(const QJsonObject& o, const char* key) const {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) return RunRecord::kNaN;
    if (!v.isDouble()) bad(key, "must be a number");
    return v.toDouble();
  }
  int64_t whole(const QJsonObject& o, const char* key, double max) const {
    const double d = number(o, key);
    if (std::isnan(d)) return 0;
    if (d != std::floor(d) || d < 0 || d > max)
      bad(key, std::string("must be a whole number from 0 to ").append(shortNumber(max)));
    return int64_t(d);
  }
  std::string string(const QJsonObject& o, const char* key, bool required = false) const {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) {
      if (required) bad(key, "is missing");
      return {};
    }
    if (!v.isString()) bad(key, "must be a string");
    return v.toString().toStdString();
  }
  QJsonArray array(const QJsonObject& o, const char* key) const {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) return {};
    if (!v.isArray()) bad(key, "must be a list");
    return v.toArray();
  }
  QJsonObject object(const QJsonObject& o, const char* key, bool required = false) const {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) {
      if (required) bad(key, "is missing");
      return {};
    }
    if (!v.isObject()) bad(key, "must be an object");
    return v.toObject();
  }

 private:
  std::string m_at;
};

}  // namespace

RunRecord RunRecord::begin(const ModelSpec& spec, const std::string& dataset, int initialEpoch) {
  RunRecord r;
  r.id = QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
  r.started = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
  r.dataset = dataset;
  r.spec = spec;
  r.parameters = analyze(spec).totalParams;
  r.initialEpoch = initialEpoch;
  return r;
}

void RunRecord::finish(const TrainResult& result) {
  trainLoss = result.trainEvaluated ? result.trainLoss : kNaN;
  trainAccuracy = result.trainEvaluated ? result.trainAccuracy : kNaN;
  testLoss = result.testEvaluated ? result.testLoss : kNaN;
  testAccuracy = result.testEvaluated ? result.testAccuracy : kNaN;
  seconds = result.seconds;
  message = result.message.toStdString();
  ending = result.diverged ? Ending::Diverged : result.cancelled ? Ending::Stopped : Ending::Completed;
}

void RunRecord::setMyDigitsAccuracy(int epoch, double accuracy) {
  const int index = epoch - initialEpoch - 1;
  if (index < 0 || index > 100000) return;
  if (myDigitsAccuracy.size() <= size_t(index)) myDigitsAccuracy.resize(size_t(index) + 1, kNaN);
  myDigitsAccuracy[size_t(index)] = accuracy;
}

std::vector<double> RunRecord::curve(const std::string& metric) const {
  std::vector<double> out;
  out.reserve(epochs.size());
  for (size_t i = 0; i < epochs.size(); ++i) {
    const EpochLog& e = epochs[i];
    if (metric == "loss")
      out.push_back(e.loss);
    else if (metric == "accuracy")
      out.push_back(e.accuracy);
    else if (metric == "val_loss")
      out.push_back(e.valLoss);
    else if (metric == "val_accuracy")
      out.push_back(e.valAccuracy);
    else if (metric == "my_digits_accuracy")
      out.push_back(i < myDigitsAccuracy.size() ? myDigitsAccuracy[i] : kNaN);
    else
      out.push_back(kNaN);
  }
  return out;
}

double RunRecord::lastValue(const std::string& metric) const {
  const std::vector<double> values = curve(metric);
  return values.empty() ? kNaN : values.back();
}

std::string runEndingName(RunRecord::Ending ending) {
  for (const auto& [e, name] : kEndings)
    if (e == ending) return name;
  return "running";
}

std::string architectureSummary(const ModelSpec& spec) {
  std::string out;
  for (const LayerSpec& l : spec.layers) {
    if (!out.empty()) out += " · ";
    out += layerKindName(l.kind);
    switch (l.kind) {
      case LayerKind::Dense:
        out.append(" ").append(std::to_string(l.units));
        break;
      case LayerKind::Conv2D:
        out.append(" ")
            .append(std::to_string(l.filters))
            .append(" ")
            .append(std::to_string(l.kernelH))
            .append("×")
            .append(std::to_string(l.kernelW));
        break;
      case LayerKind::Dropout:
        out.append(" ").append(shortNumber(l.rate));
        break;
      default:
        break;
    }
  }
  return out.empty() ? std::string("(no layers)") : out;
}

namespace {

std::string csvValue(double v) {
  if (!std::isfinite(v)) return {};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

}  // namespace

QByteArray runsCsv(const std::vector<RunRecord>& runs, const std::vector<std::string>& labels) {
  std::string out =
      "run,started,dataset,architecture,optimizer,learning_rate,batch_size,epochs,parameters,seconds,ending,"
      "test_loss,test_accuracy,epoch,loss,accuracy,val_loss,val_accuracy,my_digits_accuracy\n";
  for (size_t i = 0; i < runs.size(); ++i) {
    const RunRecord& r = runs[i];
    const TrainingSpec& t = r.spec.training;
    std::string label = i < labels.size() ? labels[i] : std::string("Run ");
    if (i >= labels.size()) label.append(std::to_string(i + 1));
    const std::vector<std::string> common = {csvField(label),
                                             csvField(r.started),
                                             csvField(r.dataset),
                                             csvField(architectureSummary(r.spec)),
                                             csvField(t.optimizer.type),
                                             csvValue(t.optimizer.learningRate),
                                             std::to_string(t.batchSize),
                                             std::to_string(t.epochs),
                                             std::to_string(r.parameters),
                                             csvValue(r.seconds),
                                             runEndingName(r.ending),
                                             csvValue(r.testLoss),
                                             csvValue(r.testAccuracy)};
    const auto line = [&](const std::vector<std::string>& epochFields) {
      std::vector<std::string> fields = common;
      fields.insert(fields.end(), epochFields.begin(), epochFields.end());
      for (size_t f = 0; f < fields.size(); ++f) {
        if (f > 0) out += ',';
        out += fields[f];
      }
      out += '\n';
    };
    if (r.epochs.empty()) line({"", "", "", "", "", ""});
    for (size_t e = 0; e < r.epochs.size(); ++e) {
      const EpochLog& log = r.epochs[e];
      line({std::to_string(log.epoch), csvValue(log.loss), csvValue(log.accuracy), csvValue(log.valLoss),
            csvValue(log.valAccuracy), csvValue(e < r.myDigitsAccuracy.size() ? r.myDigitsAccuracy[e] : kNaN)});
    }
  }
  return QByteArray::fromStdString(out);
}

QJsonObject runRecordToJson(const RunRecord& run) {
  QJsonArray epochs;
  for (const EpochLog& e : run.epochs) {
    QJsonObject o{{qs("epoch"), e.epoch}};
    insertFinite(o, "seconds", e.seconds);
    insertFinite(o, "loss", e.loss);
    insertFinite(o, "accuracy", e.accuracy);
    insertFinite(o, "val_loss", e.valLoss);
    insertFinite(o, "val_accuracy", e.valAccuracy);
    epochs.append(o);
  }
  QJsonArray myDigits;
  for (double v : run.myDigitsAccuracy) myDigits.append(std::isfinite(v) ? QJsonValue(v) : QJsonValue());
  QJsonObject fin;
  insertFinite(fin, "train_loss", run.trainLoss);
  insertFinite(fin, "train_accuracy", run.trainAccuracy);
  insertFinite(fin, "test_loss", run.testLoss);
  insertFinite(fin, "test_accuracy", run.testAccuracy);
  const QJsonObject spec = QJsonDocument::fromJson(QByteArray::fromStdString(modelSpecToJson(run.spec))).object();
  QJsonObject o{
      {qs("id"), qs(run.id)},
      {qs("started"), qs(run.started)},
      {qs("ending"), qs(runEndingName(run.ending))},
      {qs("message"), qs(run.message)},
      {qs("dataset"), qs(run.dataset)},
      {qs("spec"), spec},
      {qs("parameters"), double(run.parameters)},
      {qs("initial_epoch"), run.initialEpoch},
      {qs("epochs"), epochs},
      {qs("final"), fin},
  };
  insertFinite(o, "seconds", run.seconds);
  if (!run.myDigitsAccuracy.empty()) o.insert(qs("my_digits_accuracy"), myDigits);
  return o;
}

RunRecord runRecordFromJson(const QJsonObject& o, const std::string& at) {
  const Reader r(at);
  RunRecord run;
  run.id = r.string(o, "id", true);
  if (run.id.empty() || run.id.size() > 100) r.bad("id", "must be 1 to 100 characters");
  run.started = r.string(o, "started");
  run.seconds = r.number(o, "seconds");
  if (std::isnan(run.seconds)) run.seconds = 0;
  if (run.seconds < 0) r.bad("seconds", "must not be negative");
  const std::string ending = r.string(o, "ending");
  bool known = ending.empty();
  for (const auto& [e, name] : kEndings)
    if (ending == name) {
      run.ending = e;
      known = true;
    }
  if (!known)
    r.bad("ending",
          std::string("must be completed, stopped, diverged, failed or running, not \"").append(ending).append("\""));
  run.message = r.string(o, "message");
  run.dataset = r.string(o, "dataset");
  const QJsonObject spec = r.object(o, "spec", true);
  try {
    run.spec = modelSpecFromJson(QJsonDocument(spec).toJson(QJsonDocument::Compact).toStdString(), at + ".spec");
  } catch (const std::exception& e) {
    throw RunRecordError(e.what());
  }
  run.parameters = r.whole(o, "parameters", 1e12);
  run.initialEpoch = int(r.whole(o, "initial_epoch", 1e6));
  const QJsonArray epochs = r.array(o, "epochs");
  if (epochs.size() > 100000) r.bad("epochs", "has too many entries");
  for (qsizetype i = 0; i < epochs.size(); ++i) {
    if (!epochs[i].isObject()) r.bad("epochs", "must hold objects");
    const Reader er(std::string(at).append(".epochs[").append(std::to_string(i)).append("]"));
    const QJsonObject e = epochs[i].toObject();
    EpochLog log;
    log.epoch = int(er.whole(e, "epoch", 1e6));
    log.seconds = er.number(e, "seconds");
    if (std::isnan(log.seconds)) log.seconds = 0;
    log.loss = er.number(e, "loss");
    log.accuracy = er.number(e, "accuracy");
    log.valLoss = er.number(e, "val_loss");
    log.valAccuracy = er.number(e, "val_accuracy");
    run.epochs.push_back(log);
  }
  for (EpochLog& e : run.epochs) e.epochs = run.epochs.empty() ? 0 : run.epochs.back().epoch;
  const QJsonArray myDigits = r.array(o, "my_digits_accuracy");
  if (myDigits.size() > epochs.size()) r.bad("my_digits_accuracy", "has more entries than epochs");
  for (const QJsonValue& v : myDigits) {
    if (v.isNull())
      run.myDigitsAccuracy.push_back(RunRecord::kNaN);
    else if (v.isDouble())
      run.myDigitsAccuracy.push_back(v.toDouble());
    else
      r.bad("my_digits_accuracy", "must be a list of numbers");
  }
  const QJsonObject fin = r.object(o, "final");
  const Reader fr(at + ".final");
  run.trainLoss = fr.number(fin, "train_loss");
  run.trainAccuracy = fr.number(fin, "train_accuracy");
  run.testLoss = fr.number(fin, "test_loss");
  run.testAccuracy = fr.number(fin, "test_accuracy");
  return run;
}

}  // namespace dl
