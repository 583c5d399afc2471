// Tests of core/data/DatasetDownloader against a real HTTP server on 127.0.0.1 run by the test
// itself (a QTcpServer serving the embedded dataset's four files from memory, with the files' own
// SHA-256 as the expected hashes). Covers success, skipping verified files, fall-over from a
// refused, a 404 and a stalled mirror, corrupt bytes, cancel mid-transfer and disk errors. Only
// loopback addresses; every wait is bounded.
// custom-main: the downloader needs a QCoreApplication event loop.

#include "data/DatasetDownloader.h"
#include "data/IdxReader.h"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>

#include <functional>
#include <memory>

using dl::DatasetDownloader;
using dl::DownloadFile;
using dl::DownloadSpec;

namespace {

constexpr int kWaitMs = 30000;  // upper bound for any single wait; normal runs take milliseconds

const QStringList kNames = {QStringLiteral("train-images-idx3-ubyte.gz"), QStringLiteral("train-labels-idx1-ubyte.gz"),
                            QStringLiteral("t10k-images-idx3-ubyte.gz"), QStringLiteral("t10k-labels-idx1-ubyte.gz")};

QByteArray embeddedFile(const QString& name) {
  QFile f(QStringLiteral(":/data/mnist/") + name);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return f.readAll();
}

QByteArray sha256Hex(const QByteArray& bytes) {
  return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

// A minimal HTTP/1.1 server on 127.0.0.1 serving files from memory, one request per connection.
// Each path can be made to answer normally, with a status, with one byte altered, slowly, or to
// stall after the headers.
class LocalHttpServer : public QObject {
 public:
  enum class Mode { Normal, Corrupt, Slow, Stall };
  struct Route {
    QByteArray body;
    int status = 200;
    Mode mode = Mode::Normal;
  };

  LocalHttpServer() {
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
      while (QTcpSocket* s = m_server.nextPendingConnection()) serve(s);
    });
    m_listening = m_server.listen(QHostAddress::LocalHost, 0);
  }
  bool listening() const { return m_listening; }
  // Base URL of a folder on this server, e.g. http://127.0.0.1:PORT/mnist/
  QUrl url(const QString& folder) const {
    return QUrl(QStringLiteral("http://127.0.0.1:%1/%2/").arg(m_server.serverPort()).arg(folder));
  }
  void set(const QString& path, Route r) { m_routes[path] = std::move(r); }
  // Serves every file of the embedded dataset under /folder/ the way `mode` says.
  void serveDataset(const QString& folder, Mode mode = Mode::Normal) {
    for (const QString& n : kNames) set(QLatin1Char('/') + folder + QLatin1Char('/') + n, {embeddedFile(n), 200, mode});
  }
  int requests(const QString& path) const { return m_requests.value(path); }
  int totalRequests() const {
    int n = 0;
    for (int c : m_requests) n += c;
    return n;
  }

 private:
  void serve(QTcpSocket* s) {
    connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
    auto buffer = std::make_shared<QByteArray>();
    connect(s, &QTcpSocket::readyRead, this, [this, s, buffer] {
      *buffer += s->readAll();
      if (!buffer->contains("\r\n\r\n")) return;
      const QList<QByteArray> requestLine = buffer->left(buffer->indexOf("\r\n")).split(' ');
      buffer->clear();
      respond(s, requestLine.size() >= 2 ? QString::fromLatin1(requestLine[1]) : QString());
    });
  }

  void respond(QTcpSocket* s, const QString& path) {
    ++m_requests[path];
    const auto it = m_routes.constFind(path);
    if (it == m_routes.constEnd() || it->status != 200) {
      const int status = it == m_routes.constEnd() ? 404 : it->status;
      const QByteArray body = "no such file\n";
      s->write("HTTP/1.1 " + QByteArray::number(status) + (status == 404 ? " Not Found" : " Error") +
               "\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(body.size()) +
               "\r\nConnection: close\r\n\r\n" + body);
      s->disconnectFromHost();
      return;
    }
    QByteArray body = it->body;
    if (it->mode == Mode::Corrupt) body[body.size() / 2] = char(body[body.size() / 2] ^ 0x5a);
    s->write("HTTP/1.1 200 OK\r\nContent-Type: application/gzip\r\nContent-Length: " + QByteArray::number(body.size()) +
             "\r\nConnection: close\r\n\r\n");
    if (it->mode == Mode::Stall) return;  // headers, then silence
    if (it->mode != Mode::Slow) {
      s->write(body);
      s->disconnectFromHost();
      return;
    }
    // 2 KB every 20 ms: a 1.6 MB file would take minutes, plenty of time to cancel.
    auto* timer = new QTimer(s);
    auto offset = std::make_shared<qsizetype>(0);
    connect(timer, &QTimer::timeout, s, [s, body, offset, timer] {
      s->write(body.mid(*offset, 2048));
      *offset += 2048;
      if (*offset >= body.size()) {
        timer->stop();
        s->disconnectFromHost();
      }
    });
    timer->start(20);
  }

  QTcpServer m_server;
  bool m_listening = false;
  QHash<QString, Route> m_routes;
  QHash<QString, int> m_requests;
};

// The embedded dataset's files with their own hashes, from the given mirrors.
DownloadSpec localSpec(const QList<QUrl>& mirrors) {
  DownloadSpec s;
  s.id = QStringLiteral("mnist");
  s.displayName = QStringLiteral("Test MNIST");
  s.folderName = QStringLiteral("mnist");
  s.mirrors = mirrors;
  for (const QString& n : kNames) s.files.append(DownloadFile{n, sha256Hex(embeddedFile(n))});
  return s;
}

// A loopback port nothing listens on (a server is opened on it, then closed).
QUrl refusedUrl() {
  QTcpServer probe;
  probe.listen(QHostAddress::LocalHost, 0);
  const quint16 port = probe.serverPort();
  probe.close();
  return QUrl(QStringLiteral("http://127.0.0.1:%1/mnist/").arg(port));
}

// Runs the event loop until done() holds or `ms` pass; returns done(). (The core tests do not link
// Qt Test, so this stands in for QSignalSpy::wait.)
bool waitUntil(const std::function<bool()>& done, int ms = kWaitMs) {
  if (done()) return true;
  QEventLoop loop;
  QTimer poll;
  QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
    if (done()) loop.quit();
  });
  QTimer::singleShot(ms, &loop, &QEventLoop::quit);
  poll.start(5);
  loop.exec();
  return done();
}

void spin(int ms) {
  QEventLoop loop;
  QTimer::singleShot(ms, &loop, &QEventLoop::quit);
  loop.exec();
}

// Everything a downloader signals, recorded.
struct Recorder {
  explicit Recorder(DatasetDownloader& d) {
    m_connections << QObject::connect(&d, &DatasetDownloader::finished, &d, [this](bool success, const QString& text) {
      ++finishedCount;
      ok = success;
      message = text;
    });
    m_connections << QObject::connect(
        &d, &DatasetDownloader::fileFinished, &d,
        [this](const QString&, const QString&, DatasetDownloader::FileOutcome o) { outcomes << o; });
    m_connections << QObject::connect(&d, &DatasetDownloader::message, &d,
                                      [this](const QString& line) { log << line; });
    m_connections << QObject::connect(&d, &DatasetDownloader::progress, &d,
                                      [this](const QString& file, qint64 received, qint64) {
                                        mostReceived[file] = std::max(mostReceived.value(file), received);
                                      });
  }
  ~Recorder() {
    for (const QMetaObject::Connection& c : m_connections) QObject::disconnect(c);
  }
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;
  bool waitFinished() {
    return waitUntil([this] { return finishedCount > 0; });
  }
  QString logText() const { return log.join(QLatin1Char('\n')); }

  int finishedCount = 0;
  bool ok = false;
  QString message;
  QList<DatasetDownloader::FileOutcome> outcomes;
  QStringList log;  // message() lines
  QHash<QString, qint64> mostReceived;

 private:
  QList<QMetaObject::Connection> m_connections;
};

// Starts a download and waits (bounded) for its end.
struct Download : Recorder {
  Download(DatasetDownloader& d, const DownloadSpec& spec, const QString& folder) : Recorder(d) {
    started = d.start(spec, folder);
    EXPECT_TRUE(started);
    EXPECT_EQ(finishedCount, 0) << "finished() must not be emitted inside start()";
    done = started && waitFinished();
    EXPECT_TRUE(done) << "no finished() within " << kWaitMs << " ms";
    spin(20);
    EXPECT_LE(finishedCount, 1) << "finished() more than once";
  }
  bool started = false;
  bool done = false;
};

QStringList filesIn(const QString& folder) {
  return QDir(folder).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

class DatasetDownloaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server.listening());
    ASSERT_TRUE(tmp.isValid());
    for (const QString& n : kNames) ASSERT_FALSE(embeddedFile(n).isEmpty()) << qPrintable(n);
    folder = tmp.filePath(QStringLiteral("datasets/mnist"));
    downloader.setUseSystemCopy(false);
  }

  LocalHttpServer server;
  QTemporaryDir tmp;
  QString folder;
  DatasetDownloader downloader;
};

// The expected values are transcribed from TensorFlow Datasets' and torchvision's checksum lists
// (the same gz files LeCun and Zalando published), independently of DatasetDownloader.cpp.
TEST(DatasetDownloaderSpecs, BuiltInSpecsCarryTheWellKnownHashesAndTheFolderLoadDatasetReads) {
  const DownloadSpec mnist = DatasetDownloader::mnistSpec();
  ASSERT_EQ(mnist.files.size(), 4);
  EXPECT_EQ(mnist.files[0].name, QStringLiteral("train-images-idx3-ubyte.gz"));
  EXPECT_EQ(mnist.files[0].sha256, QByteArray("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"));
  EXPECT_EQ(mnist.files[3].name, QStringLiteral("t10k-labels-idx1-ubyte.gz"));
  EXPECT_EQ(mnist.files[1].sha256, QByteArray("3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"));
  EXPECT_EQ(mnist.files[2].sha256, QByteArray("8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"));
  EXPECT_EQ(mnist.files[3].sha256, QByteArray("f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"));
  ASSERT_GE(mnist.mirrors.size(), 2);
  for (const QUrl& u : mnist.mirrors) EXPECT_EQ(u.scheme(), QStringLiteral("https")) << qPrintable(u.toString());
  EXPECT_TRUE(DatasetDownloader::defaultFolder(mnist).endsWith(QStringLiteral("/datasets/mnist")));
  EXPECT_TRUE(QDir::isAbsolutePath(DatasetDownloader::defaultFolder(mnist)));

  const DownloadSpec fashion = DatasetDownloader::fashionSpec();
  ASSERT_EQ(fashion.files.size(), 4);
  EXPECT_EQ(fashion.files[0].sha256, QByteArray("3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"));
  EXPECT_EQ(fashion.files[1].sha256, QByteArray("a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"));
  EXPECT_EQ(fashion.files[2].sha256, QByteArray("346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"));
  EXPECT_EQ(fashion.files[3].sha256, QByteArray("67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"));
  ASSERT_GE(fashion.mirrors.size(), 2);
  for (const QUrl& u : fashion.mirrors) EXPECT_EQ(u.scheme(), QStringLiteral("https")) << qPrintable(u.toString());
  // Every hash is a SHA-256: 64 lowercase hex digits (a mistyped constant makes a download that
  // can never succeed, on every mirror).
  for (const DownloadSpec& spec : {mnist, fashion})
    for (const DownloadFile& f : spec.files)
      EXPECT_TRUE(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(QString::fromLatin1(f.sha256)).hasMatch())
          << qPrintable(f.name);
  EXPECT_TRUE(fashion.folderName.contains(QStringLiteral("fashion")));  // loadMnistFolder's class-name rule
  EXPECT_FALSE(fashion.systemFolder.isEmpty());

  EXPECT_EQ(DatasetDownloader::specFor(QStringLiteral("MNIST"))->id, QStringLiteral("mnist"));
  EXPECT_EQ(DatasetDownloader::specFor(QStringLiteral("fashion"))->id, QStringLiteral("fashion"));
  EXPECT_FALSE(DatasetDownloader::specFor(QStringLiteral("cifar10")).has_value());
}

TEST_F(DatasetDownloaderTest, DownloadsEveryFileVerifiedUnderItsFinalNameAndTheFolderLoads) {
  server.serveDataset(QStringLiteral("mnist"));
  const Download r(downloader, localSpec({server.url(QStringLiteral("mnist"))}), folder);
  ASSERT_TRUE(r.done);
  ASSERT_TRUE(r.ok) << qPrintable(r.message);
  EXPECT_TRUE(r.message.contains(folder)) << qPrintable(r.message);
  EXPECT_EQ(r.outcomes, QList<DatasetDownloader::FileOutcome>(4, DatasetDownloader::FileOutcome::Downloaded));

  EXPECT_EQ(filesIn(folder), QStringList({kNames[2], kNames[3], kNames[0], kNames[1]}));  // no .part left
  for (const QString& n : kNames) {
    EXPECT_EQ(DatasetDownloader::fileSha256(QDir(folder).filePath(n)), sha256Hex(embeddedFile(n))) << qPrintable(n);
    EXPECT_EQ(r.mostReceived.value(n), embeddedFile(n).size()) << "progress reached the full size of " << qPrintable(n);
  }

  const dl::DatasetPair pair = dl::loadMnistFolder(folder.toStdString());
  EXPECT_EQ(pair.train.count, 8000);
  EXPECT_EQ(pair.test.count, 2000);
}

TEST_F(DatasetDownloaderTest, FilesAlreadyPresentWithTheRightHashAreNotDownloadedAgain) {
  server.serveDataset(QStringLiteral("mnist"));
  const DownloadSpec spec = localSpec({server.url(QStringLiteral("mnist"))});
  {
    const Download first(downloader, spec, folder);
    ASSERT_TRUE(first.ok) << qPrintable(first.message);
  }
  EXPECT_EQ(server.totalRequests(), 4);

  const Download again(downloader, spec, folder);
  ASSERT_TRUE(again.ok) << qPrintable(again.message);
  EXPECT_EQ(server.totalRequests(), 4);
  EXPECT_EQ(again.outcomes, QList<DatasetDownloader::FileOutcome>(4, DatasetDownloader::FileOutcome::AlreadyPresent));
}

TEST_F(DatasetDownloaderTest, RefusedAnd404MirrorsFallOverToTheNextOne) {
  server.serveDataset(QStringLiteral("good"));  // nothing under /missing/: 404
  const QUrl refused = refusedUrl();
  const Download r(downloader,
                   localSpec({refused, server.url(QStringLiteral("missing")), server.url(QStringLiteral("good"))}),
                   folder);
  ASSERT_TRUE(r.done);
  ASSERT_TRUE(r.ok) << qPrintable(r.message);
  EXPECT_EQ(filesIn(folder).size(), 4);
  for (const QString& n : kNames) {
    EXPECT_EQ(server.requests(QStringLiteral("/missing/") + n), 1) << qPrintable(n);
    EXPECT_EQ(server.requests(QStringLiteral("/good/") + n), 1) << qPrintable(n);
  }
  // The log says which mirror failed and why.
  EXPECT_TRUE(r.logText().contains(refused.toDisplayString())) << qPrintable(r.logText());
  EXPECT_TRUE(r.logText().contains(QStringLiteral("HTTP 404 Not Found"))) << qPrintable(r.logText());
  EXPECT_TRUE(r.logText().contains(QStringLiteral("trying the next mirror"))) << qPrintable(r.logText());
}

TEST_F(DatasetDownloaderTest, AStalledMirrorTimesOutAndTheNextOneIsUsed) {
  server.serveDataset(QStringLiteral("stall"), LocalHttpServer::Mode::Stall);
  server.serveDataset(QStringLiteral("good"));
  downloader.setTransferTimeout(300);
  const Download r(downloader, localSpec({server.url(QStringLiteral("stall")), server.url(QStringLiteral("good"))}),
                   folder);
  ASSERT_TRUE(r.done);
  ASSERT_TRUE(r.ok) << qPrintable(r.message);
  EXPECT_TRUE(r.logText().contains(QStringLiteral("timed out"))) << qPrintable(r.logText());
  EXPECT_EQ(filesIn(folder).size(), 4);
}

TEST_F(DatasetDownloaderTest, CorruptBytesAreRejectedAndNothingStaysUnderTheFinalName) {
  server.serveDataset(QStringLiteral("bad"), LocalHttpServer::Mode::Corrupt);
  const Download r(downloader, localSpec({server.url(QStringLiteral("bad"))}), folder);
  ASSERT_TRUE(r.done);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.message.contains(QStringLiteral("SHA-256 mismatch"))) << qPrintable(r.message);
  EXPECT_TRUE(r.message.contains(server.url(QStringLiteral("bad")).toDisplayString() + kNames[0]))
      << qPrintable(r.message);
  EXPECT_TRUE(filesIn(folder).isEmpty()) << qPrintable(filesIn(folder).join(QLatin1Char(' ')));
}

TEST_F(DatasetDownloaderTest, ACorruptMirrorFallsOverToAGoodOne) {
  server.serveDataset(QStringLiteral("bad"), LocalHttpServer::Mode::Corrupt);
  server.serveDataset(QStringLiteral("good"));
  const Download r(downloader, localSpec({server.url(QStringLiteral("bad")), server.url(QStringLiteral("good"))}),
                   folder);
  ASSERT_TRUE(r.ok) << qPrintable(r.message);
  for (const QString& n : kNames)
    EXPECT_EQ(DatasetDownloader::fileSha256(QDir(folder).filePath(n)), sha256Hex(embeddedFile(n))) << qPrintable(n);
}

TEST_F(DatasetDownloaderTest, AllMirrorsFailingNamesEveryUrlAndItsProblem) {
  const QUrl refused = refusedUrl();
  const Download r(downloader, localSpec({refused, server.url(QStringLiteral("missing"))}), folder);
  ASSERT_TRUE(r.done);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.message.contains(QStringLiteral("could not download ") + kNames[0])) << qPrintable(r.message);
  EXPECT_TRUE(r.message.contains(refused.toDisplayString() + kNames[0] + QStringLiteral(": Connection refused")))
      << qPrintable(r.message);
  EXPECT_TRUE(r.message.contains(server.url(QStringLiteral("missing")).toDisplayString() + kNames[0] +
                                 QStringLiteral(": HTTP 404 Not Found")))
      << qPrintable(r.message);
  EXPECT_TRUE(filesIn(folder).isEmpty());
}

TEST_F(DatasetDownloaderTest, CancelMidDownloadLeavesNoPartialFile) {
  server.serveDataset(QStringLiteral("slow"), LocalHttpServer::Mode::Slow);
  Recorder r(downloader);
  bool sawPart = false;
  const QMetaObject::Connection c = QObject::connect(
      &downloader, &DatasetDownloader::progress, &downloader, [&](const QString&, qint64 received, qint64) {
        if (received < 8192 || !downloader.isRunning()) return;
        sawPart = QFile::exists(QDir(folder).filePath(kNames[0] + QStringLiteral(".part")));
        downloader.cancel();
      });
  ASSERT_TRUE(downloader.start(localSpec({server.url(QStringLiteral("slow"))}), folder));
  ASSERT_TRUE(r.waitFinished());
  QObject::disconnect(c);
  EXPECT_TRUE(sawPart);  // the bytes really were going to a temporary name
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.message.contains(QStringLiteral("cancelled"))) << qPrintable(r.message);
  EXPECT_FALSE(downloader.isRunning());
  spin(200);  // late network events may arrive now: none may write a file or finish again
  EXPECT_TRUE(filesIn(folder).isEmpty()) << qPrintable(filesIn(folder).join(QLatin1Char(' ')));
  EXPECT_EQ(r.finishedCount, 1);
}

TEST_F(DatasetDownloaderTest, CancelBeforeTheEventLoopRunsStillFinishesOnce) {
  server.serveDataset(QStringLiteral("mnist"));
  Recorder r(downloader);
  ASSERT_TRUE(downloader.start(localSpec({server.url(QStringLiteral("mnist"))}), folder));
  EXPECT_FALSE(downloader.start(localSpec({server.url(QStringLiteral("mnist"))}), folder));  // one at a time
  downloader.cancel();
  EXPECT_EQ(r.finishedCount, 1);
  spin(100);
  EXPECT_EQ(r.finishedCount, 1);
  EXPECT_EQ(server.totalRequests(), 0);
}

TEST_F(DatasetDownloaderTest, CancelFromAFileFinishedSlotStopsThereAndFinishesOnce) {
  server.serveDataset(QStringLiteral("mnist"));
  Recorder r(downloader);
  const QMetaObject::Connection c =
      QObject::connect(&downloader, &DatasetDownloader::fileFinished, &downloader, [&] { downloader.cancel(); });
  ASSERT_TRUE(downloader.start(localSpec({server.url(QStringLiteral("mnist"))}), folder));
  ASSERT_TRUE(r.waitFinished());
  spin(200);
  QObject::disconnect(c);
  EXPECT_EQ(r.finishedCount, 1);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(server.totalRequests(), 1);
  EXPECT_EQ(filesIn(folder), QStringList{kNames[0]});  // the verified first file stays
}

TEST_F(DatasetDownloaderTest, AWrongFileUnderTheFinalNameIsReplacedByAVerifiedDownload) {
  server.serveDataset(QStringLiteral("mnist"));
  ASSERT_TRUE(QDir().mkpath(folder));
  QFile stale(QDir(folder).filePath(kNames[1]));
  ASSERT_TRUE(stale.open(QIODevice::WriteOnly));
  stale.write("not the labels");
  stale.close();
  const Download r(downloader, localSpec({server.url(QStringLiteral("mnist"))}), folder);
  ASSERT_TRUE(r.ok) << qPrintable(r.message);
  EXPECT_TRUE(r.logText().contains(QStringLiteral("downloading it again"))) << qPrintable(r.logText());
  EXPECT_EQ(DatasetDownloader::fileSha256(stale.fileName()), sha256Hex(embeddedFile(kNames[1])));
}

TEST_F(DatasetDownloaderTest, AWrongFileUnderTheFinalNameIsRemovedEvenWhenNoMirrorAnswers) {
  ASSERT_TRUE(QDir().mkpath(folder));
  QFile stale(QDir(folder).filePath(kNames[0]));
  ASSERT_TRUE(stale.open(QIODevice::WriteOnly));
  stale.write("not the images");
  stale.close();
  const Download r(downloader, localSpec({refusedUrl()}), folder);
  ASSERT_TRUE(r.done);
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(QFileInfo::exists(stale.fileName()));
  EXPECT_FALSE(QFileInfo::exists(stale.fileName() + QStringLiteral(".part")));
}

TEST_F(DatasetDownloaderTest, AFolderThatCannotBeCreatedIsReportedAsADiskError) {
  server.serveDataset(QStringLiteral("mnist"));
  const QString blocker = tmp.filePath(QStringLiteral("blocker"));
  QFile f(blocker);
  ASSERT_TRUE(f.open(QIODevice::WriteOnly));
  f.close();
  const Download r(downloader, localSpec({server.url(QStringLiteral("mnist"))}), blocker + QStringLiteral("/mnist"));
  ASSERT_TRUE(r.done);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.message.contains(blocker)) << qPrintable(r.message);
  EXPECT_EQ(server.totalRequests(), 0);
}

TEST_F(DatasetDownloaderTest, AnInstalledSystemCopyIsUsedWithoutDownloading) {
  const QString system = tmp.filePath(QStringLiteral("usr-share-datasets"));
  ASSERT_TRUE(QDir().mkpath(system));
  for (const QString& n : kNames) {
    QFile f(QDir(system).filePath(n));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(embeddedFile(n));
  }
  DownloadSpec spec = localSpec({refusedUrl()});
  spec.systemFolder = system;
  EXPECT_EQ(DatasetDownloader::installedSystemFolder(spec), system);
  downloader.setUseSystemCopy(true);
  const Download r(downloader, spec, folder);
  ASSERT_TRUE(r.ok) << qPrintable(r.message);
  EXPECT_EQ(downloader.folder(), system);
  EXPECT_TRUE(r.message.contains(system)) << qPrintable(r.message);
  EXPECT_FALSE(QFileInfo::exists(folder));

  spec.systemFolder = tmp.filePath(QStringLiteral("nowhere"));  // not installed
  EXPECT_TRUE(DatasetDownloader::installedSystemFolder(spec).isEmpty());
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QStandardPaths::setTestModeEnabled(true);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
