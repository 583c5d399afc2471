// `digitlab download mnist|fashion`: fetches the full dataset into the user's cache folder (or
// --dir) with dl::DatasetDownloader, printing what it does and where the files end up. Ctrl-C
// cancels cleanly (no partial file is left). Exit 0 when the four files are in place, 1 when the
// download failed or was cancelled, 2 on a usage error.

#include "Commands.h"

#include "data/DatasetDownloader.h"

#include <QCommandLineParser>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QSocketNotifier>
#include <QUrl>

#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <utility>

namespace {

// Ctrl-C → a byte on a socket pair → a QSocketNotifier in the event loop → cancel().
int g_signalFds[2] = {-1, -1};

void onInterrupt(int) {
  const char byte = 1;
  [[maybe_unused]] const ssize_t n = ::write(g_signalFds[0], &byte, 1);
}

// Installs the Ctrl-C handler for as long as it lives.
class InterruptGuard {
 public:
  explicit InterruptGuard(dl::DatasetDownloader& downloader) {
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0) return;
    m_notifier = std::make_unique<QSocketNotifier>(g_signalFds[1], QSocketNotifier::Read);
    QObject::connect(m_notifier.get(), &QSocketNotifier::activated, &downloader, [&downloader] {
      char byte = 0;
      [[maybe_unused]] const ssize_t n = ::read(g_signalFds[1], &byte, 1);
      downloader.cancel();
    });
    struct sigaction sa = {};
    sa.sa_handler = onInterrupt;
    sigemptyset(&sa.sa_mask);
    m_installed = ::sigaction(SIGINT, &sa, &m_oldInt) == 0 && ::sigaction(SIGTERM, &sa, &m_oldTerm) == 0;
  }
  ~InterruptGuard() {
    if (m_installed) {
      ::sigaction(SIGINT, &m_oldInt, nullptr);
      ::sigaction(SIGTERM, &m_oldTerm, nullptr);
    }
    m_notifier.reset();
    for (int& fd : g_signalFds)
      if (fd >= 0) ::close(std::exchange(fd, -1));
  }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  std::unique_ptr<QSocketNotifier> m_notifier;
  struct sigaction m_oldInt = {};
  struct sigaction m_oldTerm = {};
  bool m_installed = false;
};

// A --mirror argument: an http(s)/file URL, or a local folder holding the files.
QUrl mirrorUrl(const QString& arg) {
  if (QFileInfo(arg).isDir()) return QUrl::fromLocalFile(QFileInfo(arg).absoluteFilePath() + QLatin1Char('/'));
  const QUrl url(arg, QUrl::StrictMode);
  const QString scheme = url.scheme();
  if (!url.isValid() ||
      (scheme != QLatin1String("https") && scheme != QLatin1String("http") && scheme != QLatin1String("file")))
    return {};
  if (scheme != QLatin1String("file") && url.host().isEmpty()) return {};
  return url;
}

QString megabytes(qint64 bytes) { return QString::number(double(bytes) / 1e6, 'f', 1); }

// Progress on a terminal: one line per file rewritten in place, at most every 1% step. Otherwise
// (a log, a pipe) a line at each quarter.
class ProgressPrinter {
 public:
  ProgressPrinter() : m_tty(::isatty(STDOUT_FILENO) == 1) {}

  void progress(const QString& file, qint64 received, qint64 total) {
    const int percent = total > 0 ? int(received * 100 / total) : -1;
    const int step = m_tty ? percent : (percent < 0 ? -1 : percent / 25 * 25);
    if (file == m_file && step == m_lastStep && (percent >= 0 || received - m_lastBytes < 1000000)) return;
    if (file != m_file) endLine();
    m_file = file;
    m_lastStep = step;
    m_lastBytes = received;
    if (received == 0 && total <= 0) return;  // nothing to say yet
    const QString line =
        total > 0 ? QStringLiteral("%1  %2/%3 MB  %4%").arg(file, megabytes(received), megabytes(total)).arg(percent, 3)
                  : QStringLiteral("%1  %2 MB").arg(file, megabytes(received));
    if (m_tty) {
      std::printf("\r%s\033[K", qPrintable(line));
      m_open = true;
    } else {
      std::printf("%s\n", qPrintable(line));
    }
    std::fflush(stdout);
  }
  // Ends a line being rewritten before anything else is printed.
  void endLine() {
    if (m_open) std::printf("\n");
    m_open = false;
  }
  void forgetFile() {
    m_file.clear();
    m_lastStep = -2;
  }

 private:
  bool m_tty = false;
  bool m_open = false;
  QString m_file;
  int m_lastStep = -2;
  qint64 m_lastBytes = 0;
};

}  // namespace

int cmdDownload(const QStringList& args) {
  QCommandLineParser p;
  p.setApplicationDescription(QStringLiteral(
      "Download the full MNIST (60,000 + 10,000 digits) or Fashion-MNIST into the cache folder, verifying "
      "every file's SHA-256."));
  p.addHelpOption();
  p.addPositionalArgument(QStringLiteral("dataset"), QStringLiteral("mnist or fashion"));
  p.addOptions({
      {QStringLiteral("mirror"),
       QStringLiteral("Base URL (http, https, file) or local folder to fetch from instead of the built-in "
                      "mirrors; repeat to give fall-backs, tried in order."),
       QStringLiteral("URL")},
      {QStringLiteral("dir"), QStringLiteral("Folder to store the files in (default: the cache folder the app reads)."),
       QStringLiteral("DIR")},
      {QStringLiteral("no-system"),
       QStringLiteral("Download even when a system package (Debian's dataset-fashion-mnist) provides the data.")},
  });
  if (!p.parse(QStringList{QStringLiteral("digitlab download")} + args)) {
    std::fprintf(stderr, "digitlab download: %s\n", qPrintable(p.errorText()));
    return 2;
  }
  if (p.isSet(QStringLiteral("help"))) {
    std::printf("%s", qPrintable(p.helpText()));
    return 0;
  }
  const QStringList positional = p.positionalArguments();
  if (positional.size() != 1) {
    std::fprintf(stderr,
                 "digitlab download: %s\nUsage: digitlab download mnist|fashion [--mirror URL]... [--dir DIR]\n",
                 positional.isEmpty() ? "which dataset? (mnist or fashion)" : "give one dataset only");
    return 2;
  }
  std::optional<dl::DownloadSpec> spec = dl::DatasetDownloader::specFor(positional.first());
  if (!spec) {
    std::fprintf(stderr, "digitlab download: unknown dataset '%s' (known: mnist, fashion)\n",
                 qPrintable(positional.first()));
    return 2;
  }
  if (p.isSet(QStringLiteral("mirror"))) {
    spec->mirrors.clear();
    for (const QString& m : p.values(QStringLiteral("mirror"))) {
      const QUrl url = mirrorUrl(m);
      if (url.isEmpty()) {
        std::fprintf(stderr, "digitlab download: --mirror '%s' is neither an http(s)/file URL nor a folder\n",
                     qPrintable(m));
        return 2;
      }
      spec->mirrors << url;
    }
  }
  const QString defaultFolder = dl::DatasetDownloader::defaultFolder(*spec);
  const QString folder =
      p.isSet(QStringLiteral("dir")) ? QFileInfo(p.value(QStringLiteral("dir"))).absoluteFilePath() : defaultFolder;

  dl::DatasetDownloader downloader;
  // Explicit mirrors or folder mean "fetch these": no system copy then either.
  downloader.setUseSystemCopy(!p.isSet(QStringLiteral("no-system")) && !p.isSet(QStringLiteral("mirror")) &&
                              !p.isSet(QStringLiteral("dir")));
  ProgressPrinter printer;
  QEventLoop loop;
  bool ok = false;
  QString result;
  QObject::connect(
      &downloader, &dl::DatasetDownloader::progress, &loop,
      [&](const QString& file, qint64 received, qint64 total) { printer.progress(file, received, total); });
  QObject::connect(&downloader, &dl::DatasetDownloader::message, &loop, [&](const QString& text) {
    printer.endLine();
    printer.forgetFile();
    std::printf("%s\n", qPrintable(text));
    std::fflush(stdout);
  });
  QObject::connect(&downloader, &dl::DatasetDownloader::fileFinished, &loop,
                   [&](const QString& file, const QString&, dl::DatasetDownloader::FileOutcome outcome) {
                     if (outcome != dl::DatasetDownloader::FileOutcome::Downloaded) return;
                     printer.endLine();
                     printer.forgetFile();
                     std::printf("%s: SHA-256 verified\n", qPrintable(file));
                     std::fflush(stdout);
                   });
  QObject::connect(&downloader, &dl::DatasetDownloader::finished, &loop, [&](bool success, const QString& text) {
    ok = success;
    result = text;
    loop.quit();
  });

  InterruptGuard interrupt(downloader);
  downloader.start(*spec, folder);
  loop.exec();
  printer.endLine();

  if (!ok) {
    std::fprintf(stderr, "digitlab download: %s\n", qPrintable(result));
    return 1;
  }
  std::printf("%s\n", qPrintable(result));
  // How to train on it: the short names loadDataset() knows, else the folder.
  QString data = QDir::toNativeSeparators(downloader.folder());
  if (spec->id == QLatin1String("mnist") && downloader.folder() == defaultFolder) data = QStringLiteral("mnist");
  if (spec->id == QLatin1String("fashion") && downloader.folder() == spec->systemFolder)
    data = QStringLiteral("fashion");
  std::printf("Train on it with: digitlab train --model mlp --data %s\n", qPrintable(data));
  return 0;
}
