// My digits on disk: a pair of MNIST IDX files, written atomically and read back with the
// project's IDX reader. See MyDigits.h.

#include "data/MyDigits.h"

#include "data/IdxReader.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <QString>

#include <algorithm>
#include <cmath>
#include <memory>

namespace dl {
namespace {

constexpr int kPixels = MyDigits::kSide * MyDigits::kSide;

void appendBigEndian32(QByteArray& out, uint32_t v) {
  out.append(char((v >> 24) & 0xff));
  out.append(char((v >> 16) & 0xff));
  out.append(char((v >> 8) & 0xff));
  out.append(char(v & 0xff));
}

// The IDX bytes of the images (magic 0x803, count, 28, 28) and of the labels (magic 0x801, count).
QByteArray imagesFile(const Dataset& d) {
  QByteArray out;
  out.reserve(16 + d.count * kPixels);
  appendBigEndian32(out, 0x00000803u);
  appendBigEndian32(out, uint32_t(d.count));
  appendBigEndian32(out, uint32_t(MyDigits::kSide));
  appendBigEndian32(out, uint32_t(MyDigits::kSide));
  for (float v : d.images) out.append(char(uint8_t(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f))));
  return out;
}

QByteArray labelsFile(const Dataset& d) {
  QByteArray out;
  out.reserve(8 + d.count);
  appendBigEndian32(out, 0x00000801u);
  appendBigEndian32(out, uint32_t(d.count));
  for (uint8_t l : d.labels) out.append(char(l));
  return out;
}

std::string text(const QString& s) { return s.toStdString(); }

void checkLabel(int label) {
  if (label < 0 || label > 9) throw DataError("a digit's label must be 0 to 9, not " + std::to_string(label));
}

// An unused name "<path>.corrupt", "<path>.corrupt-2", ...
QString corruptName(const QString& path) {
  QString name = path + QStringLiteral(".corrupt");
  for (int i = 2; QFileInfo::exists(name); ++i) name = path + QStringLiteral(".corrupt-%1").arg(i);
  return name;
}

}  // namespace

std::string MyDigits::emptyMessage() { return "My digits is empty: draw digits and press Add to my digits"; }

MyDigits::MyDigits(std::string folder) : m_folder(std::move(folder)) {}

std::string MyDigits::defaultFolder() {
  return text(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/my-digits"));
}

std::string MyDigits::imagesPath() const {
  return text(QDir(QString::fromStdString(m_folder)).filePath(QString::fromLatin1(kImagesFileName)));
}

std::string MyDigits::labelsPath() const {
  return text(QDir(QString::fromStdString(m_folder)).filePath(QString::fromLatin1(kLabelsFileName)));
}

std::vector<int64_t> MyDigits::stampNow() const {
  std::vector<int64_t> stamp;
  for (const std::string& path : {imagesPath(), labelsPath()}) {
    const QFileInfo info(QString::fromStdString(path));
    stamp.push_back(info.exists() ? info.size() : -1);
    stamp.push_back(info.exists() ? info.lastModified().toMSecsSinceEpoch() : -1);
  }
  return stamp;
}

bool MyDigits::changedOnDisk() const { return stampNow() != m_stamp; }

void MyDigits::load() {
  m_digits = Dataset{};
  m_error.clear();
  m_stamp = stampNow();
  const bool images = QFileInfo::exists(QString::fromStdString(imagesPath()));
  const bool labels = QFileInfo::exists(QString::fromStdString(labelsPath()));
  try {
    if (!images && !labels) return;  // none yet
    if (!labels)
      throw DataError(labelsPath() + ": missing, but " + imagesPath() +
                      " is there (the images have no labels; the pair is incomplete)");
    if (!images)
      throw DataError(imagesPath() + ": missing, but " + labelsPath() +
                      " is there (the labels have no images; the pair is incomplete)");
    Dataset d = readIdxPair(imagesPath(), labelsPath());
    if (d.rows != kSide || d.cols != kSide)
      throw DataError(imagesPath() + ": images are " + std::to_string(d.rows) + "x" + std::to_string(d.cols) +
                      ", my digits are 28x28");
    m_digits = std::move(d);
  } catch (const DataError& e) {
    m_error = e.what();
    throw;
  }
}

void MyDigits::requireUsable() const {
  if (broken())
    throw DataError(m_error + ". My digits will not overwrite it: move it aside (it is kept as .corrupt) or repair it");
  if (changedOnDisk())
    throw DataError(m_folder + ": my digits were changed by another program since they were read; nothing was " +
                    "written (read them again, then change them)");
}

void MyDigits::checkIndex(int index) const {
  if (index < 0 || index >= m_digits.count)
    throw DataError("no digit " + std::to_string(index) + " in my digits (there are " + std::to_string(m_digits.count) +
                    ")");
}

void MyDigits::add(const float* pixels, int label) {
  requireUsable();
  checkLabel(label);
  Dataset d = m_digits;
  d.rows = d.cols = kSide;
  for (int i = 0; i < kPixels; ++i)  // as the file holds it, so that memory equals what is read back
    d.images.push_back(float(std::lround(std::clamp(pixels[i], 0.0f, 1.0f) * 255.0f)) / 255.0f);
  d.labels.push_back(uint8_t(label));
  ++d.count;
  save(d);
  m_digits = std::move(d);
}

void MyDigits::remove(std::vector<int> indices) {
  requireUsable();
  for (int i : indices) checkIndex(i);
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  if (indices.empty()) return;
  Dataset d;
  d.rows = d.cols = kSide;
  size_t next = 0;
  for (int i = 0; i < m_digits.count; ++i) {
    if (next < indices.size() && indices[next] == i) {
      ++next;
      continue;
    }
    d.images.insert(d.images.end(), m_digits.image(i), m_digits.image(i) + kPixels);
    d.labels.push_back(m_digits.labels[size_t(i)]);
    ++d.count;
  }
  save(d);
  m_digits = std::move(d);
}

void MyDigits::relabel(const std::vector<int>& indices, int label) {
  requireUsable();
  checkLabel(label);
  for (int i : indices) checkIndex(i);
  Dataset d = m_digits;
  for (int i : indices) d.labels[size_t(i)] = uint8_t(label);
  save(d);
  m_digits = std::move(d);
}

void MyDigits::save(const Dataset& d) {
  const QString images = QString::fromStdString(imagesPath());
  const QString labels = QString::fromStdString(labelsPath());
  if (d.count == 0) {
    for (const QString& path : {images, labels}) {
      QFile f(path);
      if (f.exists() && !f.remove()) throw DataError(text(path) + ": cannot remove: " + text(f.errorString()));
    }
    m_stamp = stampNow();
    return;
  }
  if (!QDir().mkpath(QString::fromStdString(m_folder))) throw DataError(m_folder + ": cannot create the folder");
  // Both files fully written to temporary files first, then renamed one after the other.
  QSaveFile imageFile(images), labelFile(labels);
  const std::pair<QSaveFile*, QByteArray> writes[] = {{&imageFile, imagesFile(d)}, {&labelFile, labelsFile(d)}};
  for (const auto& [file, bytes] : writes) {
    if (!file->open(QIODevice::WriteOnly))
      throw DataError(text(file->fileName()) + ": cannot write: " + text(file->errorString()));
    if (file->write(bytes) != bytes.size())
      throw DataError(text(file->fileName()) + ": cannot write: " + text(file->errorString()));
  }
  for (const auto& [file, bytes] : writes)
    if (!file->commit()) throw DataError(text(file->fileName()) + ": cannot save: " + text(file->errorString()));
  m_stamp = stampNow();
}

void MyDigits::restore(const Dataset& d) {
  requireUsable();
  if (d.count > 0 && (d.rows != kSide || d.cols != kSide))
    throw DataError("my digits are 28x28, not " + std::to_string(d.rows) + "x" + std::to_string(d.cols));
  if (d.images.size() != size_t(d.count) * kPixels || d.labels.size() != size_t(d.count))
    throw DataError("inconsistent digits to restore");
  for (uint8_t l : d.labels) checkLabel(l);
  save(d);
  m_digits = d;
}

std::string MyDigits::moveCorruptAside() {
  if (!broken()) return {};
  std::string moved;
  for (const QString& path : {QString::fromStdString(imagesPath()), QString::fromStdString(labelsPath())}) {
    if (!QFileInfo::exists(path)) continue;
    const QString to = corruptName(path);
    if (!QFile::rename(path, to)) throw DataError(text(path) + ": cannot rename it to " + text(to));
    moved += (moved.empty() ? "" : " and ") + text(path) + " to " + text(QFileInfo(to).fileName());
  }
  m_error.clear();
  m_digits = Dataset{};
  m_stamp = stampNow();
  return "Moved the damaged my-digits files aside: " + moved + ". My digits starts empty.";
}

DatasetPair loadMyDigitsPair(const std::string& folder) {
  MyDigits mine(folder);
  mine.load();
  if (mine.count() == 0) throw DataError(MyDigits::emptyMessage() + " (none in " + folder + ")");
  DatasetPair pair;
  pair.name = "My digits";
  pair.source = folder;
  for (int i = 0; i < 10; ++i) pair.classNames.push_back(std::to_string(i));
  pair.train = mine.digits();
  pair.test = mine.digits();
  return pair;
}

DatasetPair loadDatasetOrMyDigits(const std::string& spec) {
  if (spec == "my") return loadMyDigitsPair(MyDigits::defaultFolder());
  return loadDataset(spec);
}

}  // namespace dl
