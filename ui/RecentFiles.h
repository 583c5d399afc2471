#pragma once
// The recent model files (settings key recentFiles): most recent first, at most kMax, files that no
// longer exist dropped; and the File > Open recent menu built from them on demand.

#include <QObject>
#include <QString>
#include <QStringList>

class QMenu;

namespace dl {

class RecentFiles : public QObject {
  Q_OBJECT

 public:
  static constexpr int kMax = 8;

  // Fills `menu` (owned by the caller) each time it is about to show.
  explicit RecentFiles(QMenu* menu, QObject* parent = nullptr);

  QStringList files() const;
  void add(const QString& path);
  void clear();
  QMenu* menu() const { return m_menu; }

 signals:
  // An entry of the menu was chosen.
  void openRequested(const QString& path);

 private:
  void rebuildMenu();

  QMenu* m_menu = nullptr;
};

}  // namespace dl
