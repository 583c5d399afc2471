// Recent files, kept in the settings file.

#include "RecentFiles.h"

#include "AppSettings.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QMenu>

namespace dl {

RecentFiles::RecentFiles(QMenu* menu, QObject* parent) : QObject(parent), m_menu(menu) {
  connect(m_menu, &QMenu::aboutToShow, this, &RecentFiles::rebuildMenu);
  rebuildMenu();
}

QStringList RecentFiles::files() const {
  QSettings s = settings::open();
  const QStringList stored = s.value(settings::kRecentFiles).toStringList();
  QStringList files;
  for (const QString& f : stored)
    if (QFileInfo::exists(f) && !files.contains(f) && files.size() < kMax) files << f;
  if (files != stored) s.setValue(settings::kRecentFiles, files);  // missing files are dropped
  return files;
}

void RecentFiles::add(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  QStringList list = files();
  list.removeAll(absolute);
  list.prepend(absolute);
  while (list.size() > kMax) list.removeLast();
  settings::open().setValue(settings::kRecentFiles, list);
  rebuildMenu();
}

void RecentFiles::clear() {
  settings::open().remove(settings::kRecentFiles);
  rebuildMenu();
}

void RecentFiles::rebuildMenu() {
  m_menu->clear();
  const QStringList list = files();
  for (int i = 0; i < list.size(); ++i) {
    const QString& path = list.at(i);
    const QString name = QFileInfo(path).fileName().replace(QLatin1Char('&'), QLatin1String("&&"));
    QAction* action =
        m_menu->addAction(tr("&%1 %2").arg(i + 1).arg(name), this, [this, path] { emit openRequested(path); });
    action->setToolTip(QDir::toNativeSeparators(path));
    action->setStatusTip(QDir::toNativeSeparators(path));
  }
  if (list.isEmpty()) {
    m_menu->addAction(tr("No recent files"))->setEnabled(false);
  } else {
    m_menu->addSeparator();
    m_menu->addAction(tr("&Clear list"), this, &RecentFiles::clear);
  }
}

}  // namespace dl
