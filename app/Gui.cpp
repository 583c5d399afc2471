// Starts the desktop app: one MainWindow.

#include "Commands.h"

#include "MainWindow.h"

#include <QApplication>
#include <QIcon>

int runGui(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("DigitLab"));
  QApplication::setOrganizationName(QStringLiteral("DigitLab"));
  QApplication::setApplicationVersion(QStringLiteral(DIGITLAB_VERSION));
  QApplication::setDesktopFileName(QStringLiteral("digitlab"));
  dl::MainWindow window;
  window.show();
  return app.exec();
}
