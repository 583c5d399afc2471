// Starts the desktop app. (Placeholder until the main window lands.)

#include "Commands.h"

#include <QApplication>
#include <QLabel>

int runGui(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("DigitLab"));
  QLabel label(QStringLiteral("DigitLab — the main window is coming."));
  label.resize(480, 200);
  label.show();
  return app.exec();
}
