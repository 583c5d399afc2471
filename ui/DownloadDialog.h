#pragma once
// A dataset download with its progress dialog: DownloadDialog::confirm() asks first (what, how
// big, where); start() runs a DatasetDownloader into a folder while a non-modal QProgressDialog
// ("downloadDialog") shows each file's progress, and its Cancel button stops the transfer. When
// it ends, finished() says how; the object then deletes itself and the dialog.

#include "data/DatasetDownloader.h"

#include <QObject>
#include <QPointer>
#include <QString>

class QProgressDialog;
class QWidget;

namespace dl {

class DownloadDialog : public QObject {
  Q_OBJECT

 public:
  // Asks whether to download `spec` into `folder`, naming its size; true: go on.
  static bool confirm(QWidget* parent, const DownloadSpec& spec, const QString& folder);

  DownloadDialog(const DownloadSpec& spec, QWidget* parent);
  // Starts the transfer and shows the dialog; false (and deletes itself) if it could not start.
  bool start(const QString& folder);
  bool isRunning() const;
  QProgressDialog* dialog() const;

 signals:
  // ok: every file is in `folder` and verified; cancelled: the user's Cancel. `message` names the
  // file and the problem on failure.
  void finished(bool ok, bool cancelled, const QString& message, const QString& folder);
  // Progress notes for the status bar.
  void message(const QString& text);

 private:
  DownloadSpec m_spec;
  QWidget* m_parent = nullptr;
  DatasetDownloader* m_downloader = nullptr;
  QPointer<QProgressDialog> m_dialog;
  int m_done = 0;
  bool m_cancelled = false;
};

}  // namespace dl
