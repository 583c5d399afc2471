#pragma once
// The zip container of a model file (.dlm): members read one at a time into memory, each checked
// against its declared size and the file's limits before a byte is inflated (CRC, method,
// encryption), and members written through QSaveFile, so that nothing replaces the target until
// commit() succeeds. Errors throw ModelFileError naming the file.

#include "io/ModelFileError.h"

#include <quazip/quazip.h>
#include <quazip/quazipfileinfo.h>

#include <QByteArray>
#include <QDateTime>
#include <QSaveFile>
#include <QString>

#include <map>
#include <string>

namespace dl {

// "512 MiB": bytes in whole mebibytes, rounded up.
std::string mibText(qint64 bytes);

struct ZipLimits {
  qint64 maxTotalBytes = qint64(512) << 20;  // everything read from one file
  int maxMembers = 10000;
};

class ZipReader {
 public:
  // Opens the archive and reads its member list (names unique, at most limits.maxMembers).
  ZipReader(const QString& path, const ZipLimits& limits);

  bool has(const QString& name) const { return m_members.count(name) != 0; }
  // The member's bytes; `maxBytes` is the most it may declare.
  QByteArray read(const QString& name, qint64 maxBytes);
  QString path() const { return m_path; }

 private:
  QString m_path;
  QuaZip m_zip;
  ZipLimits m_limits;
  std::map<QString, QuaZipFileInfo64> m_members;
  qint64 m_total = 0;
};

class ZipWriter {
 public:
  explicit ZipWriter(const QString& path);
  ~ZipWriter();  // without commit(): the target is left as it was
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  void add(const QString& name, const char* data, qint64 size, bool deflate);
  void add(const QString& name, const std::string& bytes, bool deflate) {
    add(name, bytes.data(), qint64(bytes.size()), deflate);
  }
  void commit();

 private:
  QString m_path;
  QSaveFile m_file;  // declared before m_zip: outlives it
  QuaZip m_zip;
  QDateTime m_time;
  bool m_committed = false;
};

}  // namespace dl
