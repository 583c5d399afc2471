// Starts the desktop app: one MainWindow, opening the file the command line names (if any).

#include "Commands.h"

#include "MainWindow.h"

#include <QApplication>
#include <QIcon>
#include <QStringList>
#include <QTimer>

int runGui(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("DigitLab"));
  QApplication::setOrganizationName(QStringLiteral("DigitLab"));
  QApplication::setApplicationVersion(QStringLiteral(DIGITLAB_VERSION));
  QApplication::setDesktopFileName(QStringLiteral("digitlab"));
  dl::MainWindow window;
  window.show();
  // `digitlab FILE` (QApplication has taken its own options out of the arguments already).
  const QStringList args = QApplication::arguments().mid(1);
  for (const QString& arg : args) {
    if (arg.startsWith(QLatin1Char('-'))) continue;
    QTimer::singleShot(0, &window, [&window, arg] { window.openPath(arg); });
    break;
  }
  return app.exec();
}
