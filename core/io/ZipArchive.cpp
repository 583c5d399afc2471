// The model file's zip container (see ZipArchive.h).

#include "io/ZipArchive.h"

#include <quazip/quazipfile.h>
#include <quazip/quazipnewinfo.h>
#include <zlib.h>

#include <QFileInfo>

namespace dl {

namespace {

[[noreturn]] void fail(const QString& path, const std::string& what) { failModelFile(path, what); }

}  // namespace

std::string mibText(qint64 bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB"; }

ZipReader::ZipReader(const QString& path, const ZipLimits& limits) : m_path(path), m_zip(path), m_limits(limits) {
  const QFileInfo info(path);
  if (!info.exists()) fail(path, "no such file");
  if (info.isDir()) fail(path, "is a folder, not a model file");
  if (!m_zip.open(QuaZip::mdUnzip)) fail(path, "not a DigitLab model file (not a zip archive, or a truncated one)");
  int count = 0;
  for (bool more = m_zip.goToFirstFile(); more; more = m_zip.goToNextFile()) {
    if (++count > m_limits.maxMembers)
      fail(path, "holds more than " + std::to_string(m_limits.maxMembers) + " members");
    QuaZipFileInfo64 fi;
    if (!m_zip.getCurrentFileInfo(&fi)) fail(path, "has a damaged zip directory");
    if (m_members.count(fi.name)) fail(path, "holds two members named '" + fi.name.toStdString() + "'");
    m_members.emplace(fi.name, fi);
  }
  if (m_zip.getZipError() != UNZ_OK) fail(path, "has a damaged zip directory");
}

QByteArray ZipReader::read(const QString& name, qint64 maxBytes) {
  const std::string n = name.toStdString();
  const auto it = m_members.find(name);
  if (it == m_members.end()) fail(m_path, "has no " + n);
  const QuaZipFileInfo64& fi = it->second;
  const qint64 size = qint64(fi.uncompressedSize);
  if (fi.uncompressedSize > quint64(maxBytes))
    fail(m_path, n + " is implausibly large (" + std::to_string(fi.uncompressedSize) + " bytes; at most " +
                     std::to_string(maxBytes) + " expected)");
  if (m_total + size > m_limits.maxTotalBytes)
    fail(m_path, "holds more than " + mibText(m_limits.maxTotalBytes) + " of data");
  if (fi.flags & 1) fail(m_path, n + " is encrypted");
  if (fi.method != 0 && fi.method != Z_DEFLATED)
    fail(m_path, n + " uses compression method " + std::to_string(fi.method) + " (only stored or deflated)");
  if (!m_zip.setCurrentFile(name, QuaZip::csSensitive)) fail(m_path, "cannot find " + n);
  QuaZipFile f(&m_zip);
  if (!f.open(QIODevice::ReadOnly))
    fail(m_path, n + " cannot be read (zip error " + std::to_string(f.getZipError()) + ")");
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

ZipWriter::ZipWriter(const QString& path) : m_path(path), m_file(path), m_zip(&m_file) {
  m_time = QDateTime::currentDateTime();
  if (!m_file.open(QIODevice::WriteOnly)) fail(path, "cannot write: " + m_file.errorString().toStdString());
  m_zip.setAutoClose(false);                     // QSaveFile is committed, never closed
  m_zip.setDataDescriptorWritingEnabled(false);  // sizes in the local headers: plain zip 2.0
  m_zip.setUtf8Enabled(true);
  if (!m_zip.open(QuaZip::mdCreate))
    fail(path, "cannot write a zip archive (zip error " + std::to_string(m_zip.getZipError()) + ")");
}
ZipWriter::~ZipWriter() {
  if (!m_committed) {
    m_zip.close();
    m_file.cancelWriting();
  }
}

void ZipWriter::add(const QString& name, const char* data, qint64 size, bool deflate) {
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

void ZipWriter::commit() {
  m_zip.close();
  if (m_zip.getZipError() != ZIP_OK)
    fail(m_path, "cannot finish the zip archive: " + m_file.errorString().toStdString());
  if (!m_file.commit()) fail(m_path, "cannot save: " + m_file.errorString().toStdString());
  m_committed = true;
}

}  // namespace dl
