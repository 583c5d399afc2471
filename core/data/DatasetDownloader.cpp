// Fetching the MNIST / Fashion-MNIST IDX files from mirrors with fall-back, verifying their
// SHA-256 and moving them into place only when verified. See DatasetDownloader.h.

#include "data/DatasetDownloader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QStandardPaths>
#include <QTimer>

#include <array>
#include <filesystem>
#include <system_error>

namespace dl {
namespace {

// The largest of the real files is 26 MB (Fashion-MNIST train images); a mirror sending more than
// this is sending something else (an endless stream, a wrong file) and is cut off.
constexpr qint64 kMaxFileBytes = qint64(64) << 20;

// The four files with their SHA-256 and sizes in bytes (train images, train labels, test images,
// test labels).
QList<DownloadFile> files(const char* trainImages, const char* trainLabels, const char* testImages,
                          const char* testLabels, std::array<qint64, 4> bytes) {
  return {{QStringLiteral("train-images-idx3-ubyte.gz"), QByteArray(trainImages), bytes[0]},
          {QStringLiteral("train-labels-idx1-ubyte.gz"), QByteArray(trainLabels), bytes[1]},
          {QStringLiteral("t10k-images-idx3-ubyte.gz"), QByteArray(testImages), bytes[2]},
          {QStringLiteral("t10k-labels-idx1-ubyte.gz"), QByteArray(testLabels), bytes[3]}};
}

QString megabytes(qint64 bytes) { return QString::number(double(bytes) / 1e6, 'f', 1) + QStringLiteral(" MB"); }

std::filesystem::path fsPath(const QString& path) {
  return std::filesystem::path(QFile::encodeName(path).toStdString());
}

}  // namespace

DownloadSpec DatasetDownloader::mnistSpec() {
  DownloadSpec s;
  s.id = QStringLiteral("mnist");
  s.displayName = QStringLiteral("MNIST");
  s.folderName = QStringLiteral("mnist");
  // torchvision's and TensorFlow's mirrors of Yann LeCun's original files (byte-identical).
  s.mirrors = {QUrl(QStringLiteral("https://ossci-datasets.s3.amazonaws.com/mnist/")),
               QUrl(QStringLiteral("https://storage.googleapis.com/cvdf-datasets/mnist/"))};
  s.files = files("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                  "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                  "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                  "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", {9912422, 28881, 1648877, 4542});
  return s;
}

DownloadSpec DatasetDownloader::fashionSpec() {
  DownloadSpec s;
  s.id = QStringLiteral("fashion");
  s.displayName = QStringLiteral("Fashion-MNIST");
  // "fashion" in the folder name is what makes loadMnistFolder() use Fashion-MNIST's class names.
  s.folderName = QStringLiteral("fashion-mnist");
  // Keras's own mirror (keras/datasets/fashion_mnist.py downloads from it), then the project's
  // GitHub repository; both HTTPS. (Zalando's S3 website bucket serves plain HTTP only.)
  s.mirrors = {
      QUrl(QStringLiteral("https://storage.googleapis.com/tensorflow/tf-keras-datasets/")),
      QUrl(QStringLiteral("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"))};
  s.files = files("3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                  "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                  "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                  "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5", {26421880, 29515, 4422102, 5148});
  s.systemFolder = QStringLiteral("/usr/share/datasets/fashion-mnist");  // Debian's dataset-fashion-mnist
  return s;
}

std::optional<DownloadSpec> DatasetDownloader::specFor(const QString& id) {
  const QString key = id.trimmed().toLower();
  if (key == QLatin1String("mnist")) return mnistSpec();
  if (key == QLatin1String("fashion") || key == QLatin1String("fashion-mnist")) return fashionSpec();
  return std::nullopt;
}

QString DatasetDownloader::defaultFolder(const DownloadSpec& spec) {
  return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/datasets/") +
         spec.folderName;
}

QString DatasetDownloader::installedSystemFolder(const DownloadSpec& spec) {
  if (spec.systemFolder.isEmpty() || spec.files.isEmpty()) return {};
  const QDir dir(spec.systemFolder);
  for (const DownloadFile& f : spec.files)
    if (!QFileInfo(dir.filePath(f.name)).isFile()) return {};
  return spec.systemFolder;
}

QByteArray DatasetDownloader::fileSha256(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  QCryptographicHash hash(QCryptographicHash::Sha256);
  if (!hash.addData(&file)) return {};
  return hash.result().toHex();
}

DatasetDownloader::DatasetDownloader(QObject* parent) : QObject(parent), m_network(new QNetworkAccessManager(this)) {}

DatasetDownloader::~DatasetDownloader() {
  if (!m_running) return;
  discardReply();
  removePartFile();
}

bool DatasetDownloader::start(const DownloadSpec& spec, const QString& folder) {
  if (m_running) return false;
  m_running = true;
  m_spec = spec;
  m_folder = folder;
  m_fileIndex = 0;
  // Begin from the event loop, so that finished() never arrives inside start(). A cancel() (and a
  // new start()) before then makes this call stale: the counter tells.
  const quint64 run = ++m_run;
  QTimer::singleShot(0, this, [this, run] {
    if (m_running && run == m_run) begin();
  });
  return true;
}

void DatasetDownloader::begin() {
  if (m_spec.files.isEmpty()) return finish(false, m_spec.displayName + QStringLiteral(": no files to download"));

  if (m_useSystemCopy) {
    const QString system = installedSystemFolder(m_spec);
    if (!system.isEmpty()) {
      m_folder = system;
      emit message(QStringLiteral("%1 is installed by a system package in %2; nothing to download")
                       .arg(m_spec.displayName, system));
      for (const DownloadFile& f : m_spec.files) {
        if (!m_running) return;  // a slot called cancel()
        emit fileFinished(f.name, QDir(system).filePath(f.name), FileOutcome::AlreadyPresent);
      }
      if (!m_running) return;
      return finish(true,
                    QStringLiteral("%1 is in %2 (installed by a system package)").arg(m_spec.displayName, system));
    }
  }

  const QFileInfo info(m_folder);
  if (info.exists() && !info.isDir())
    return finish(
        false,
        QStringLiteral("cannot store %1 in %2: it exists and is not a folder").arg(m_spec.displayName, m_folder));
  if (!QDir().mkpath(m_folder))
    return finish(false, QStringLiteral("cannot create the folder %1 (disk error or no permission)").arg(m_folder));
  nextFile();
}

QString DatasetDownloader::finalPath() const { return QDir(m_folder).filePath(m_spec.files.at(m_fileIndex).name); }

QString DatasetDownloader::partPath() const { return finalPath() + QStringLiteral(".part"); }

QUrl DatasetDownloader::currentUrl() const {
  QUrl base = m_spec.mirrors.at(m_mirrorIndex);
  if (!base.path().endsWith(QLatin1Char('/'))) base.setPath(base.path() + QLatin1Char('/'));
  return base.resolved(QUrl(m_spec.files.at(m_fileIndex).name));
}

void DatasetDownloader::nextFile() {
  if (m_fileIndex >= m_spec.files.size())
    return finish(true, QStringLiteral("%1 is in %2").arg(m_spec.displayName, QDir::toNativeSeparators(m_folder)));

  const DownloadFile& f = m_spec.files.at(m_fileIndex);
  QFile::remove(partPath());  // left over from an interrupted run
  if (QFileInfo(finalPath()).isFile()) {
    const QByteArray have = fileSha256(finalPath());
    if (have == f.sha256) {
      emit message(QStringLiteral("%1: already present, SHA-256 verified").arg(f.name));
      emit fileFinished(f.name, finalPath(), FileOutcome::AlreadyPresent);
      if (!m_running) return;  // a slot called cancel()
      ++m_fileIndex;
      return nextFile();
    }
    emit message(QStringLiteral("%1: present but its SHA-256 is %2, expected %3; downloading it again")
                     .arg(f.name, have.isEmpty() ? QStringLiteral("unreadable") : QString::fromLatin1(have),
                          QString::fromLatin1(f.sha256)));
    if (!m_running) return;
    // Not the file: it goes now, so that whatever happens next (every mirror failing, a cancel)
    // no unverified file is left under the final name for the dataset list to offer.
    if (!QFile::remove(finalPath()))
      return finish(
          false, QStringLiteral("cannot remove %1, whose SHA-256 is wrong").arg(QDir::toNativeSeparators(finalPath())));
  }
  m_mirrorIndex = 0;
  m_mirrorErrors.clear();
  tryMirror();
}

void DatasetDownloader::tryMirror() {
  const DownloadFile& f = m_spec.files.at(m_fileIndex);
  if (m_mirrorIndex >= m_spec.mirrors.size()) {
    if (m_spec.mirrors.isEmpty())
      return finish(false, QStringLiteral("cannot download %1: no mirrors given").arg(f.name));
    return finish(false, QStringLiteral("could not download %1 from any mirror:\n  %2")
                             .arg(f.name, m_mirrorErrors.join(QStringLiteral("\n  "))));
  }

  m_part = std::make_unique<QFile>(partPath());
  if (!m_part->open(QIODevice::WriteOnly | QIODevice::Truncate))
    return finish(false, QStringLiteral("cannot write %1: %2").arg(partPath(), m_part->errorString()));
  m_hash = std::make_unique<QCryptographicHash>(QCryptographicHash::Sha256);
  m_received = 0;

  const QUrl url = currentUrl();
  // A slot may call cancel() on any signal (which removes the .part file): check after each.
  emit message(QStringLiteral("%1: downloading %2").arg(f.name, url.toDisplayString()));
  if (!m_running) return;
  emit progress(f.name, 0, -1);
  if (!m_running) return;

  QNetworkRequest request(url);
  request.setTransferTimeout(m_transferTimeoutMs);
  request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
  request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("DigitLab/" DIGITLAB_VERSION));
  // The bytes exactly as stored: no transparent decompression by Qt, or the hash could not match.
  request.setRawHeader("Accept-Encoding", "identity");
  m_reply = m_network->get(request);
  connect(m_reply, &QNetworkReply::readyRead, this, &DatasetDownloader::onReadyRead);
  connect(m_reply, &QNetworkReply::downloadProgress, this, [this](qint64 received, qint64 total) {
    // Only the file itself counts, not the body of an error page.
    const QVariant status = m_reply ? m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute) : QVariant();
    if (m_running && (!status.isValid() || status.toInt() == 200))
      emit progress(m_spec.files.at(m_fileIndex).name, received, total > 0 ? total : -1);
  });
  connect(m_reply, &QNetworkReply::finished, this, &DatasetDownloader::onReplyFinished);
}

void DatasetDownloader::onReadyRead() {
  if (!m_reply || !m_reply->isOpen()) return;  // an aborted (timed-out) reply is closed
  const QByteArray data = m_reply->readAll();
  if (data.isEmpty()) return;
  if (m_received + data.size() > kMaxFileBytes) {
    discardReply();
    return mirrorFailed(
        QStringLiteral("sends more than %1, far more than the dataset file; cut off").arg(megabytes(kMaxFileBytes)));
  }
  if (m_part->write(data) != data.size()) {
    const QString problem = QStringLiteral("cannot write %1: %2").arg(partPath(), m_part->errorString());
    return finish(false, problem);  // a disk problem: another mirror would not help
  }
  m_hash->addData(data);
  m_received += data.size();
}

void DatasetDownloader::onReplyFinished() {
  QNetworkReply* const reply = m_reply;
  if (!reply) return;
  onReadyRead();  // whatever arrived with the end; may give up this mirror (too much data, disk error)
  if (m_reply != reply || !m_running) return;

  const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  const QString reason = m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
  const QNetworkReply::NetworkError error = m_reply->error();
  const QString errorText = m_reply->errorString();
  const bool http = currentUrl().scheme().startsWith(QLatin1String("http"));
  discardReply();

  const QString httpStatus =
      QStringLiteral("HTTP %1%2").arg(status).arg(reason.isEmpty() ? QString() : QLatin1Char(' ') + reason);
  if (error == QNetworkReply::OperationCanceledError)  // only the transfer timeout cancels a connected reply
    return mirrorFailed(QStringLiteral("no data for %1 s (transfer timed out after %2)")
                            .arg(m_transferTimeoutMs / 1000.0)
                            .arg(megabytes(m_received)));
  if (error != QNetworkReply::NoError) return mirrorFailed(status > 0 ? httpStatus : errorText);
  if (http && status != 200) return mirrorFailed(httpStatus + QStringLiteral(" (expected 200 OK)"));

  const DownloadFile& f = m_spec.files.at(m_fileIndex);
  if (!m_part->flush())
    return finish(false, QStringLiteral("cannot write %1: %2").arg(partPath(), m_part->errorString()));
  m_part->close();
  if (m_part->error() != QFileDevice::NoError)
    return finish(false, QStringLiteral("cannot write %1: %2").arg(partPath(), m_part->errorString()));

  const QByteArray digest = m_hash->result().toHex();
  if (digest != f.sha256)
    return mirrorFailed(QStringLiteral("SHA-256 mismatch: got %1, expected %2 (%3 bytes received; a corrupt or "
                                       "different file)")
                            .arg(QString::fromLatin1(digest), QString::fromLatin1(f.sha256))
                            .arg(m_received));

  // Verified: into place in one step, replacing any stale file of that name (POSIX rename).
  std::error_code ec;
  std::filesystem::rename(fsPath(partPath()), fsPath(finalPath()), ec);
  if (ec)
    return finish(false, QStringLiteral("cannot rename %1 to %2: %3")
                             .arg(partPath(), finalPath(), QString::fromLocal8Bit(ec.message().c_str())));
  m_part.reset();
  emit fileFinished(f.name, finalPath(), FileOutcome::Downloaded);
  if (!m_running) return;
  ++m_fileIndex;
  nextFile();
}

void DatasetDownloader::mirrorFailed(const QString& problem) {
  removePartFile();
  const QString url = currentUrl().toDisplayString();
  m_mirrorErrors << QStringLiteral("%1: %2").arg(url, problem);
  const bool more = m_mirrorIndex + 1 < m_spec.mirrors.size();
  emit message(QStringLiteral("%1 failed: %2%3")
                   .arg(url, problem, more ? QStringLiteral("; trying the next mirror") : QString()));
  if (!m_running) return;
  ++m_mirrorIndex;
  tryMirror();
}

void DatasetDownloader::cancel() {
  if (!m_running) return;
  finish(false, QStringLiteral("download of %1 cancelled").arg(m_spec.displayName));
}

void DatasetDownloader::finish(bool ok, const QString& text) {
  discardReply();
  if (!ok) removePartFile();
  m_part.reset();
  m_hash.reset();
  m_running = false;
  emit finished(ok, text);
}

void DatasetDownloader::discardReply() {
  if (!m_reply) return;
  QNetworkReply* reply = m_reply;
  m_reply = nullptr;
  disconnect(reply, nullptr, this, nullptr);
  if (reply->isRunning()) reply->abort();
  reply->deleteLater();
}

void DatasetDownloader::removePartFile() {
  if (m_part) m_part->close();
  m_part.reset();
  if (m_fileIndex >= 0 && m_fileIndex < m_spec.files.size()) QFile::remove(partPath());
}

}  // namespace dl
