// DigitLab's .dlm model file: a zip of Keras-style JSON members and NumPy .npy weight tensors,
// written through QSaveFile and read back with every size, header and shape checked
// (see ModelFile.h).

#include "io/ModelFile.h"

#include "model/ModelSpecJson.h"

#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipfileinfo.h>
#include <quazip/quazipnewinfo.h>
#include <zlib.h>

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSaveFile>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>

namespace dl {

namespace {

constexpr int kFormatVersion = 1;
constexpr qint64 kMaxJsonBytes = qint64(64) << 20;    // any one JSON member
constexpr qint64 kMaxTotalBytes = qint64(512) << 20;  // everything read from one file
constexpr qint64 kMaxNpyHeaderBytes = 4096;           // numpy writes 128 bytes for our tensors
constexpr int kMaxMembers = 10000;

const QString kConfig = QStringLiteral("config.json");
const QString kTraining = QStringLiteral("training.json");
const QString kMetadata = QStringLiteral("metadata.json");

QString qs(const std::string& s) { return QString::fromStdString(s); }
QString qs(const char* s) { return QString::fromUtf8(s); }

[[noreturn]] void fail(const QString& path, const std::string& what) {
  throw ModelFileError(path.toStdString() + ": " + what);
}

std::string mib(qint64 bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB"; }

QString weightMember(const std::string& layer, const std::string& param) {
  return QStringLiteral("weights/") + qs(layer) + QLatin1Char('/') + qs(param) + QStringLiteral(".npy");
}

// A shape as Python prints a tuple: (784, 200), (200,), ().
std::string pyTuple(const Shape& s) {
  std::string t = "(";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + (s.size() == 1 ? ",)" : ")");
}

// .npy data is little-endian ('<f4'); on a big-endian host every 4-byte value is reversed.
[[maybe_unused]] void swapBytes4(char* p, size_t count) {
  for (size_t i = 0; i < count; ++i, p += 4) {
    std::swap(p[0], p[3]);
    std::swap(p[1], p[2]);
  }
}

// ---------------------------------------------------------------------------------------------
// Zip reading: the member list first, then members one at a time, each checked against its
// declared size before a byte is inflated.

class ZipReader {
 public:
  explicit ZipReader(const QString& path) : m_path(path), m_zip(path) {
    const QFileInfo info(path);
    if (!info.exists()) fail(path, "no such file");
    if (info.isDir()) fail(path, "is a folder, not a model file");
    if (!m_zip.open(QuaZip::mdUnzip))
      fail(path, "not a DigitLab model file (not a zip archive, or a truncated one)");
    int count = 0;
    for (bool more = m_zip.goToFirstFile(); more; more = m_zip.goToNextFile()) {
      if (++count > kMaxMembers) fail(path, "holds more than " + std::to_string(kMaxMembers) + " members");
      QuaZipFileInfo64 fi;
      if (!m_zip.getCurrentFileInfo(&fi)) fail(path, "has a damaged zip directory");
      if (m_members.count(fi.name)) fail(path, "holds two members named '" + fi.name.toStdString() + "'");
      m_members.emplace(fi.name, fi);
    }
    if (m_zip.getZipError() != UNZ_OK) fail(path, "has a damaged zip directory");
  }

  bool has(const QString& name) const { return m_members.count(name) != 0; }

  // The member's bytes; `maxBytes` is the most it may declare.
  QByteArray read(const QString& name, qint64 maxBytes) {
    const std::string n = name.toStdString();
    const auto it = m_members.find(name);
    if (it == m_members.end()) fail(m_path, "has no " + n);
    const QuaZipFileInfo64& fi = it->second;
    const qint64 size = qint64(fi.uncompressedSize);
    if (fi.uncompressedSize > quint64(maxBytes))
      fail(m_path, n + " is implausibly large (" + std::to_string(fi.uncompressedSize) + " bytes; at most " +
                       std::to_string(maxBytes) + " expected)");
    if (m_total + size > kMaxTotalBytes) fail(m_path, "holds more than " + mib(kMaxTotalBytes) + " of data");
    if (fi.flags & 1) fail(m_path, n + " is encrypted");
    if (fi.method != 0 && fi.method != Z_DEFLATED)
      fail(m_path, n + " uses compression method " + std::to_string(fi.method) + " (only stored or deflated)");
    if (!m_zip.setCurrentFile(name, QuaZip::csSensitive)) fail(m_path, "cannot find " + n);
    QuaZipFile f(&m_zip);
    if (!f.open(QIODevice::ReadOnly)) fail(m_path, n + " cannot be read (zip error " + std::to_string(f.getZipError()) + ")");
    QByteArray data(size, Qt::Uninitialized);
    qint64 got = 0;
    while (got < size) {
      const qint64 r = f.read(data.data() + got, size - got);
      if (r <= 0) break;
      got += r;
    }
    const bool complete = got == size && f.atEnd();
    f.close();
    if (!complete) fail(m_path, n + " is damaged (its data ends early)");
    if (f.getZipError() != UNZ_OK) fail(m_path, n + " is damaged (checksum mismatch)");
    m_total += size;
    return data;
  }

  QString path() const { return m_path; }

 private:
  QString m_path;
  QuaZip m_zip;
  std::map<QString, QuaZipFileInfo64> m_members;
  qint64 m_total = 0;
};

// ---------------------------------------------------------------------------------------------
// Zip writing through QSaveFile: nothing replaces the target until commit() succeeds.

class ZipWriter {
 public:
  explicit ZipWriter(const QString& path) : m_path(path), m_file(path), m_zip(&m_file) {
    m_time = QDateTime::currentDateTime();
    if (!m_file.open(QIODevice::WriteOnly)) fail(path, "cannot write: " + m_file.errorString().toStdString());
    m_zip.setAutoClose(false);                     // QSaveFile is committed, never closed
    m_zip.setDataDescriptorWritingEnabled(false);  // sizes in the local headers: plain zip 2.0
    m_zip.setUtf8Enabled(true);
    if (!m_zip.open(QuaZip::mdCreate)) fail(path, "cannot write a zip archive (zip error " + std::to_string(m_zip.getZipError()) + ")");
  }
  ~ZipWriter() {
    if (!m_committed) {
      m_zip.close();
      m_file.cancelWriting();
    }
  }

  void add(const QString& name, const char* data, qint64 size, bool deflate) {
    QuaZipNewInfo info(name);
    info.dateTime = m_time;
    info.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    QuaZipFile f(&m_zip);
    if (!f.open(QIODevice::WriteOnly, info, nullptr, 0, deflate ? Z_DEFLATED : 0, deflate ? Z_DEFAULT_COMPRESSION : 0))
      fail(m_path, "cannot add " + name.toStdString() + " (zip error " + std::to_string(f.getZipError()) + ")");
    const qint64 written = f.write(data, size);
    f.close();
    if (written != size || f.getZipError() != ZIP_OK)
      fail(m_path, "cannot write " + name.toStdString() + ": " + m_file.errorString().toStdString());
  }
  void add(const QString& name, const std::string& bytes, bool deflate) {
    add(name, bytes.data(), qint64(bytes.size()), deflate);
  }

  void commit() {
    m_zip.close();
    if (m_zip.getZipError() != ZIP_OK) fail(m_path, "cannot finish the zip archive: " + m_file.errorString().toStdString());
    if (!m_file.commit()) fail(m_path, "cannot save: " + m_file.errorString().toStdString());
    m_committed = true;
  }

 private:
  QString m_path;
  QSaveFile m_file;  // declared before m_zip: outlives it
  QuaZip m_zip;
  QDateTime m_time;
  bool m_committed = false;
};

// ---------------------------------------------------------------------------------------------
// NPY header: the Python dict literal numpy writes, {'descr': '<f4', 'fortran_order': False,
// 'shape': (784, 200), }, parsed without eval.

struct NpyHeader {
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
};

class NpyHeaderParser {
 public:
  NpyHeaderParser(const std::string& text, const std::string& where) : m_s(text), m_where(where) {}

  NpyHeader parse() {
    NpyHeader h;
    bool descr = false, order = false, shape = false;
    skipSpace();
    expect('{');
    for (;;) {
      skipSpace();
      if (peek() == '}') break;
      const std::string key = quotedString();
      skipSpace();
      expect(':');
      skipSpace();
      if (key == "descr" && !descr) {
        h.descr = quotedString();
        descr = true;
      } else if (key == "fortran_order" && !order) {
        h.fortranOrder = boolean();
        order = true;
      } else if (key == "shape" && !shape) {
        h.shape = tuple();
        shape = true;
      } else {
        bad("unexpected key '" + key + "'");
      }
      skipSpace();
      if (peek() == ',') {
        ++m_i;
        continue;
      }
      if (peek() != '}') bad("expected ',' or '}'");
    }
    ++m_i;
    skipSpace();
    if (m_i != m_s.size()) bad("text after the header");
    if (!descr || !order || !shape) bad("'descr', 'fortran_order' and 'shape' are required");
    return h;
  }

 private:
  [[noreturn]] void bad(const std::string& what) const {
    throw ModelFileError(m_where + ": not a valid .npy header (" + what + ")");
  }
  char peek() const { return m_i < m_s.size() ? m_s[m_i] : '\0'; }
  void skipSpace() {
    while (m_i < m_s.size() && (m_s[m_i] == ' ' || m_s[m_i] == '\n' || m_s[m_i] == '\t' || m_s[m_i] == '\r')) ++m_i;
  }
  void expect(char c) {
    if (peek() != c) bad(std::string("expected '") + c + "'");
    ++m_i;
  }
  std::string quotedString() {
    const char q = peek();
    if (q != '\'' && q != '"') bad("expected a quoted string");
    const size_t end = m_s.find(q, m_i + 1);
    if (end == std::string::npos || end - m_i > 64) bad("unterminated string");
    std::string s = m_s.substr(m_i + 1, end - m_i - 1);
    m_i = end + 1;
    return s;
  }
  bool boolean() {
    if (m_s.compare(m_i, 4, "True") == 0) {
      m_i += 4;
      return true;
    }
    if (m_s.compare(m_i, 5, "False") == 0) {
      m_i += 5;
      return false;
    }
    bad("expected True or False");
  }
  std::vector<int64_t> tuple() {
    std::vector<int64_t> t;
    expect('(');
    for (;;) {
      skipSpace();
      if (peek() == ')') break;
      int64_t v = 0;
      const auto r = std::from_chars(m_s.data() + m_i, m_s.data() + m_s.size(), v);
      if (r.ec != std::errc() || v < 0 || v > (int64_t(1) << 31)) bad("bad dimension in 'shape'");
      m_i = size_t(r.ptr - m_s.data());
      t.push_back(v);
      if (t.size() > 8) bad("too many dimensions");
      skipSpace();
      if (peek() == ',') {
        ++m_i;
        continue;
      }
      if (peek() != ')') bad("expected ',' or ')' in 'shape'");
    }
    ++m_i;
    return t;
  }

  const std::string& m_s;
  std::string m_where;
  size_t m_i = 0;
};

std::string shapeTuple(const std::vector<int64_t>& s) {
  Shape small;
  for (int64_t d : s) small.push_back(int(d));
  return pyTuple(small);
}

// ---------------------------------------------------------------------------------------------
// Metadata JSON

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

QJsonObject metadataJson(const ModelFileMetadata& m, int64_t parameters) {
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
  };
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
      if (v.isNull()) out.push_back(std::numeric_limits<float>::quiet_NaN());
      else if (v.isDouble()) out.push_back(float(v.toDouble()));
      else bad(at + " must be a list of numbers");
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
    return md;
  }

 private:
  [[noreturn]] void bad(const std::string& what) const { fail(m_path, "metadata.json: " + what); }
  QString m_path;
};

// ---------------------------------------------------------------------------------------------

// What every parameter of a spec looks like: built once to learn names and shapes.
struct ParamLayout {
  std::string layer, name;
  Shape kerasShape;
  Eigen::Index rows = 0, cols = 0;
};

std::vector<ParamLayout> paramLayout(const Model& model) {
  std::vector<ParamLayout> out;
  for (const auto& layer : model.layers()) {
    const Layer& l = *layer;
    for (const Param* p : l.params())
      out.push_back({l.name(), p->name, p->kerasShape, p->value.rows(), p->value.cols()});
  }
  return out;
}

std::unique_ptr<Model> modelFor(const ModelSpec& spec, const QString& path) {
  try {
    return std::make_unique<Model>(spec, spec.training.seed);
  } catch (const std::exception& e) {
    fail(path, std::string("the model it describes is invalid: ") + e.what());
  }
}

void save(const QString& path, const ModelSpec& spec, const std::vector<ParamLayout>& layout,
          const std::vector<Matrix>& weights, const ModelFileMetadata& metadata, int64_t parameters) {
  if (weights.size() != layout.size())
    fail(path, "the model has " + std::to_string(layout.size()) + " weight tensors but " +
                   std::to_string(weights.size()) + " were given");
  if (parameters * 4 > kMaxTotalBytes)
    fail(path, "the model's weights (" + mib(parameters * 4) + ") exceed what a model file may hold (" +
                   mib(kMaxTotalBytes) + ")");
  for (size_t i = 0; i < layout.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (layout[i].layer == layout[j].layer && layout[i].name == layout[j].name)
        fail(path, "two weight tensors would both be named " + weightMember(layout[i].layer, layout[i].name).toStdString());

  ZipWriter zip(path);
  zip.add(kConfig, modelSpecToKerasJson(spec), true);
  zip.add(kTraining, trainingSpecToJson(spec.training), true);
  zip.add(kMetadata, QJsonDocument(metadataJson(metadata, parameters)).toJson(QJsonDocument::Compact).toStdString(),
          true);
  for (size_t i = 0; i < layout.size(); ++i) {
    const ParamLayout& p = layout[i];
    const QString member = weightMember(p.layer, p.name);
    if (weights[i].rows() != p.rows || weights[i].cols() != p.cols)
      fail(path, member.toStdString() + ": weight tensor is " + std::to_string(weights[i].rows()) + "x" +
                     std::to_string(weights[i].cols()) + " but the layer needs " + std::to_string(p.rows) + "x" +
                     std::to_string(p.cols));
    zip.add(member, npyBytes(weights[i].data(), p.kerasShape), false);  // stored: floats barely compress
  }
  zip.commit();
}

ModelSpec readSpec(ZipReader& zip) {
  const QString path = zip.path();
  const QByteArray config = zip.read(kConfig, kMaxJsonBytes);
  ModelSpec spec;
  try {
    spec = modelSpecFromJson(config.toStdString(), path.toStdString() + ": config.json");
    if (zip.has(kTraining))
      spec.training = trainingSpecFromJson(zip.read(kTraining, kMaxJsonBytes).toStdString(),
                                           path.toStdString() + ": training.json");
  } catch (const SpecError& e) {
    throw ModelFileError(e.what());
  }
  return spec;
}

}  // namespace

std::string npyBytes(const float* data, const Shape& shape) {
  // numpy.lib.format._write_array_header: sorted keys, repr values, 21 - len(repr(shape[0]))
  // spaces of room to grow, then spaces and '\n' to a multiple of 64 bytes (1 to 64 of them).
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + pyTuple(shape) + ", }";
  if (!shape.empty()) dict.append(size_t(std::max(0, 21 - int(std::to_string(shape[0]).size()))), ' ');
  const size_t headerLength = dict.size() + 1;
  const size_t pad = 64 - (10 + headerLength) % 64;
  const size_t total = headerLength + pad;
  std::string out("\x93NUMPY\x01\x00", 8);
  out += char(total & 0xff);
  out += char((total >> 8) & 0xff);
  out += dict;
  out.append(pad, ' ');
  out += '\n';
  const size_t n = size_t(shapeSize(shape));
  const size_t start = out.size();
  out.resize(start + n * 4);
  std::memcpy(out.data() + start, data, n * 4);
  if constexpr (std::endian::native == std::endian::big) swapBytes4(out.data() + start, n);
  return out;
}

std::vector<float> floatsFromNpy(const std::string& bytes, const Shape& expected, const std::string& where) {
  auto bad = [&](const std::string& what) { throw ModelFileError(where + ": " + what); };
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) bad("not a .npy file (no \\x93NUMPY magic)");
  const int major = static_cast<unsigned char>(bytes[6]), minor = static_cast<unsigned char>(bytes[7]);
  size_t headerStart = 10, headerLength = 0;
  if (major == 1) {
    headerLength = size_t(static_cast<unsigned char>(bytes[8])) | size_t(static_cast<unsigned char>(bytes[9])) << 8;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) bad("truncated .npy header");
    headerStart = 12;
    for (int i = 3; i >= 0; --i) headerLength = headerLength << 8 | static_cast<unsigned char>(bytes[size_t(8 + i)]);
  } else {
    bad(".npy format version " + std::to_string(major) + "." + std::to_string(minor) + " is not supported");
  }
  if (headerLength > size_t(kMaxNpyHeaderBytes) || headerStart + headerLength > bytes.size())
    bad("truncated .npy header");
  const NpyHeader h = NpyHeaderParser(bytes.substr(headerStart, headerLength), where).parse();
  if (h.descr != "<f4") bad("dtype '" + h.descr + "' is not float32 ('<f4')");
  if (h.fortranOrder) bad("is stored in Fortran order (DigitLab reads C order)");
  std::vector<int64_t> want(expected.begin(), expected.end());
  if (h.shape != want) bad("has shape " + shapeTuple(h.shape) + " but the layer needs " + shapeTuple(want));
  const size_t n = size_t(shapeSize(expected));
  const size_t dataStart = headerStart + headerLength;
  if (bytes.size() - dataStart != n * 4)
    bad("holds " + std::to_string(bytes.size() - dataStart) + " bytes of data; a " + pyTuple(expected) +
        " float32 tensor has " + std::to_string(n * 4));
  std::vector<float> out(n);
  std::memcpy(out.data(), bytes.data() + dataStart, n * 4);
  if constexpr (std::endian::native == std::endian::big) swapBytes4(reinterpret_cast<char*>(out.data()), n);
  return out;
}

void saveModelFile(const QString& path, const Model& model, const ModelFileMetadata& metadata) {
  save(path, model.spec(), paramLayout(model), model.weights(), metadata, model.parameterCount());
}

void saveModelFile(const QString& path, const ModelSpec& spec, const std::vector<Matrix>& weights,
                   const ModelFileMetadata& metadata) {
  const std::unique_ptr<Model> model = modelFor(spec, path);
  save(path, spec, paramLayout(*model), weights, metadata, model->parameterCount());
}

ModelSpec readModelFileSpec(const QString& path) {
  ZipReader zip(path);
  return readSpec(zip);
}

ModelFileContents loadModelFile(const QString& path) {
  ZipReader zip(path);
  ModelFileContents c;
  c.spec = readSpec(zip);
  if (zip.has(kMetadata))
    c.metadata = MetadataReader(path).read(parseJsonObject(zip.read(kMetadata, kMaxJsonBytes), path, kMetadata));
  const std::unique_ptr<Model> model = modelFor(c.spec, path);
  for (const ParamLayout& p : paramLayout(*model)) {
    const QString member = weightMember(p.layer, p.name);
    if (!zip.has(member)) fail(path, "has no " + member.toStdString() + " (the weights of layer '" + p.layer + "')");
    const qint64 dataBytes = int64_t(p.rows) * p.cols * 4;
    const QByteArray bytes = zip.read(member, dataBytes + kMaxNpyHeaderBytes);
    const std::vector<float> values =
        floatsFromNpy(bytes.toStdString(), p.kerasShape, path.toStdString() + ": " + member.toStdString());
    Matrix m(p.rows, p.cols);
    std::memcpy(m.data(), values.data(), values.size() * sizeof(float));
    c.weights.push_back(std::move(m));
  }
  return c;
}

std::unique_ptr<Model> buildModel(const ModelFileContents& contents) {
  auto model = std::make_unique<Model>(contents.spec, contents.spec.training.seed);
  model->setWeights(contents.weights);
  return model;
}

}  // namespace dl
