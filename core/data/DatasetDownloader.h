#pragma once
// Downloads the full MNIST or Fashion-MNIST (the four standard IDX .gz files) into the user's
// cache folder, where loadDataset() finds them. Each file is fetched from a list of mirrors,
// falling over to the next on any failure (connection, HTTP status, stalled transfer, wrong
// SHA-256), and is written as "<name>.part" next to its final name: only a file whose SHA-256
// matches is renamed to its final name (atomically, replacing whatever was there). Files already
// present with the right hash are kept. A failure or cancel() removes the .part file, so neither
// a partial nor a corrupt download is ever left under a final name.
//
// Usage (asynchronous; needs a running Qt event loop):
//   auto* d = new DatasetDownloader(parent);
//   connect(d, &DatasetDownloader::progress, ...);      // per file, bytes so far / total (-1: unknown)
//   connect(d, &DatasetDownloader::finished, ...);      // exactly once per start(): ok + message
//   d->start(DatasetDownloader::mnistSpec(), DatasetDownloader::defaultFolder(DatasetDownloader::mnistSpec()));
//   d->cancel();                                        // any time; finished(false, "... cancelled")
//
// The spec (mirrors, file names, hashes) is plain data so tests can point it at a local server.

#include <QByteArray>
#include <QCryptographicHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

class QFile;
class QNetworkAccessManager;
class QNetworkReply;

namespace dl {

// One file of a dataset and the SHA-256 (lowercase hex) its bytes must have.
struct DownloadFile {
  QString name;       // e.g. "train-images-idx3-ubyte.gz"; also the name under each mirror URL
  QByteArray sha256;  // 64 lowercase hex digits
  qint64 bytes = 0;   // its size, to tell the user before downloading (0: unknown)
};

// What to download and from where.
struct DownloadSpec {
  QString id;           // "mnist", "fashion": the command-line name
  QString displayName;  // "MNIST", "Fashion-MNIST"
  QString folderName;   // the folder under <cache>/datasets/: "mnist", "fashion-mnist"
  QList<QUrl> mirrors;  // base URLs, tried in order; a file's URL is base + name
  QList<DownloadFile> files;
  // A folder where a system package installs the same data (Debian's dataset-fashion-mnist). If it
  // holds every file (by name; the package recompresses them, so the hashes differ), nothing is
  // downloaded and finished() reports that folder. Empty: none.
  QString systemFolder;

  // What the files add up to (0 when a size is unknown).
  qint64 totalBytes() const {
    qint64 sum = 0;
    for (const DownloadFile& f : files) {
      if (f.bytes <= 0) return 0;
      sum += f.bytes;
    }
    return sum;
  }
};

class DatasetDownloader : public QObject {
  Q_OBJECT

 public:
  // How a file came to be in place (fileFinished's last argument).
  enum class FileOutcome { Downloaded, AlreadyPresent };
  Q_ENUM(FileOutcome)

  // The real datasets: the four MNIST files with their well-known SHA-256 from two HTTPS mirrors;
  // Fashion-MNIST from Zalando's bucket, or Debian's package when installed.
  static DownloadSpec mnistSpec();
  static DownloadSpec fashionSpec();
  // "mnist" or "fashion" (also "fashion-mnist"); nullopt for anything else.
  static std::optional<DownloadSpec> specFor(const QString& id);
  // <QStandardPaths::CacheLocation>/datasets/<spec.folderName>: for MNIST exactly the folder
  // loadDataset("mnist") reads.
  static QString defaultFolder(const DownloadSpec& spec);
  // The spec's system folder if it holds every file of the spec, else empty.
  static QString installedSystemFolder(const DownloadSpec& spec);
  // Lowercase hex SHA-256 of a file; empty if it cannot be read.
  static QByteArray fileSha256(const QString& path);

  explicit DatasetDownloader(QObject* parent = nullptr);
  ~DatasetDownloader() override;  // aborts a running download and removes its .part file

  // A mirror that sends nothing for this long is given up (and the next one tried). Default 30 s.
  void setTransferTimeout(int milliseconds) { m_transferTimeoutMs = milliseconds; }
  // Whether an installed system copy (DownloadSpec::systemFolder) is used instead of downloading.
  // Default true.
  void setUseSystemCopy(bool use) { m_useSystemCopy = use; }

  // Starts fetching every file of `spec` into `folder` (created if needed). Returns false, doing
  // nothing, if a download is already running; otherwise finished() follows exactly once, always
  // from the event loop (never from inside start()).
  bool start(const DownloadSpec& spec, const QString& folder);
  // Stops the running download: the transfer is aborted, its .part file removed, files already
  // completed stay, and finished(false, "...cancelled") is emitted before cancel() returns.
  void cancel();

  bool isRunning() const { return m_running; }
  // Where the files are (or go): the folder given to start(), or the system folder used instead.
  QString folder() const { return m_folder; }

 signals:
  // Bytes of `file` received so far from the current mirror; bytesTotal is -1 when unknown.
  void progress(const QString& file, qint64 bytesReceived, qint64 bytesTotal);
  // `file` is in place under its final name at `path` with the right hash.
  void fileFinished(const QString& file, const QString& path, dl::DatasetDownloader::FileOutcome outcome);
  // One human-readable line about what is happening: the URL being fetched, a mirror that failed
  // and why, a file kept because it is already there.
  void message(const QString& text);
  // The end of a start(): ok with where the dataset is, or what went wrong (naming the file, the
  // URL and the problem: HTTP status, network error, hash mismatch, disk error) or that it was cancelled.
  void finished(bool ok, const QString& message);

 private:
  void begin();
  void nextFile();
  void tryMirror();
  void onReadyRead();
  void onReplyFinished();
  // Gives up the current mirror for `problem` and tries the next (or fails the file).
  void mirrorFailed(const QString& problem);
  void finish(bool ok, const QString& text);
  void discardReply();
  void removePartFile();
  QString finalPath() const;
  QString partPath() const;
  QUrl currentUrl() const;

  QNetworkAccessManager* m_network = nullptr;
  QNetworkReply* m_reply = nullptr;
  std::unique_ptr<QFile> m_part;
  std::unique_ptr<QCryptographicHash> m_hash;
  DownloadSpec m_spec;
  QString m_folder;
  int m_fileIndex = 0;
  int m_mirrorIndex = 0;
  qint64 m_received = 0;
  QStringList m_mirrorErrors;  // why each mirror failed for the current file
  QString m_diskError;         // set when writing the .part file failed (not the mirror's fault)
  int m_transferTimeoutMs = 30000;
  bool m_useSystemCopy = true;
  bool m_running = false;
  quint64 m_run = 0;  // counts start()s, so a queued begin() of an earlier run is ignored
};

}  // namespace dl
