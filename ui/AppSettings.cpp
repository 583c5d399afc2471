// The settings file and the last used folder.

#include "AppSettings.h"

#include "data/MyDigits.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace dl::settings {

QString path() {
  return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/digitlab.ini");
}

QSettings open() { return QSettings(path(), QSettings::IniFormat); }

QString lastFolder() {
  const QString stored = open().value(kLastFolder).toString();
  if (!stored.isEmpty() && QFileInfo(stored).isDir()) return stored;
  return QDir::homePath();
}

QString inLastFolder(const QString& fileName) { return QDir(lastFolder()).filePath(fileName); }

void rememberFolder(const QString& filePath) {
  if (filePath.isEmpty()) return;
  const QFileInfo info(filePath);
  const QString folder = info.isDir() ? info.absoluteFilePath() : info.absolutePath();
  open().setValue(kLastFolder, folder);
}

QString myDigitsFolder() { return QString::fromStdString(MyDigits::defaultFolder()); }

}  // namespace dl::settings
