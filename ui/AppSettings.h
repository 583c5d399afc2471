#pragma once
// Where DigitLab keeps what it remembers between sessions, and the small helpers every panel
// shares: one INI file, <AppConfigLocation>/digitlab.ini (QStandardPaths' test mode redirects
// it, so tests never touch a user's settings), and the folder file dialogs start in.
//
// The keys are declared here, in one place, with their meaning:
//   recentFiles            QStringList  most recent model files first (MainWindow)
//   checkpointEveryEpoch   bool         Train > Save a checkpoint after every epoch
//   lastFolder             QString      the folder of the last file opened, saved or exported
//   window/geometry        QByteArray   QMainWindow::saveGeometry()
//   window/state           QByteArray   QMainWindow::saveState() (docks, toolbars)
//   window/tab             int          the centre's current tab
//   window/splitters/NAME  QByteArray   QSplitter::saveState() of the splitter named NAME
//   hints/gettingStarted   bool         the first-start hint was dismissed for good

#include <QSettings>
#include <QString>

namespace dl::settings {

inline const QString kRecentFiles = QStringLiteral("recentFiles");
inline const QString kCheckpointEveryEpoch = QStringLiteral("checkpointEveryEpoch");
inline const QString kLastFolder = QStringLiteral("lastFolder");
inline const QString kWindowGeometry = QStringLiteral("window/geometry");
inline const QString kWindowState = QStringLiteral("window/state");
inline const QString kWindowTab = QStringLiteral("window/tab");
inline const QString kSplitterPrefix = QStringLiteral("window/splitters/");
inline const QString kGettingStartedDismissed = QStringLiteral("hints/gettingStarted");

// <AppConfigLocation>/digitlab.ini
QString path();
// The settings file, opened (INI format).
QSettings open();

// The folder file dialogs start in: the folder of the last file opened, saved or exported, when
// it still exists; else the home folder.
QString lastFolder();
// `fileName` (a bare name such as "model.dlm") in lastFolder().
QString inLastFolder(const QString& fileName);
// Remembers the folder of `filePath` (a file, or a folder) as lastFolder().
void rememberFolder(const QString& filePath);

// Where the person's own digits are kept: <AppDataLocation>/my-digits, the folder the command
// line's --data my reads too (dl::MyDigits::defaultFolder()). QStandardPaths' test mode redirects it.
QString myDigitsFolder();

}  // namespace dl::settings
