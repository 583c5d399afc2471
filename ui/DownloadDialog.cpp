// The download confirmation and progress dialog.

#include "DownloadDialog.h"

#include <QDir>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>

#include <algorithm>

namespace dl {

bool DownloadDialog::confirm(QWidget* parent, const DownloadSpec& spec, const QString& folder) {
  const qint64 bytes = spec.totalBytes();
  const QString size = bytes > 0 ? tr("%1 MB in %2 files").arg(bytes / 1e6, 0, 'f', 1).arg(spec.files.size())
                                 : tr("%1 files").arg(spec.files.size());
  QMessageBox box(QMessageBox::Question, tr("Download %1").arg(spec.displayName),
                  tr("Download %1 (%2)?").arg(spec.displayName, size), QMessageBox::Cancel, parent);
  box.setObjectName(QStringLiteral("downloadConfirmBox"));
  box.setInformativeText(tr("The files go to %1 and are checked by SHA-256. You can keep using DigitLab meanwhile.")
                             .arg(QDir::toNativeSeparators(folder)));
  QPushButton* go = box.addButton(tr("&Download"), QMessageBox::AcceptRole);
  box.setDefaultButton(go);
  box.exec();
  return box.clickedButton() == go;
}

DownloadDialog::DownloadDialog(const DownloadSpec& spec, QWidget* parent)
    : QObject(parent), m_spec(spec), m_parent(parent) {}

QProgressDialog* DownloadDialog::dialog() const { return m_dialog.data(); }

bool DownloadDialog::isRunning() const { return m_downloader && m_downloader->isRunning(); }

bool DownloadDialog::start(const QString& folder) {
  m_downloader = new DatasetDownloader(this);
  const int files = std::max<int>(1, int(m_spec.files.size()));
  auto* dialog =
      new QProgressDialog(tr("Downloading %1…").arg(m_spec.displayName), tr("Cancel"), 0, files * 1000, m_parent);
  m_dialog = dialog;
  dialog->setObjectName(QStringLiteral("downloadDialog"));
  dialog->setWindowTitle(tr("Download %1").arg(m_spec.displayName));
  // Not modal: a modal QProgressDialog runs processEvents() inside setValue(), re-entering the
  // downloader's slots; the window stays usable meanwhile (training on the loaded data, say).
  dialog->setWindowModality(Qt::NonModal);
  dialog->setAutoClose(false);
  dialog->setAutoReset(false);
  dialog->setMinimumDuration(0);
  dialog->setValue(0);

  connect(m_downloader, &DatasetDownloader::progress, dialog,
          [this, dialog, files](const QString& file, qint64 received, qint64 total) {
            const int part = total > 0 ? int(std::min<qint64>(999, received * 1000 / total)) : 0;
            dialog->setValue(std::min(files * 1000, m_done * 1000 + part));
            const QString amount = total > 0
                                       ? tr("%1 of %2 MB").arg(received / 1e6, 0, 'f', 1).arg(total / 1e6, 0, 'f', 1)
                                       : tr("%1 MB").arg(received / 1e6, 0, 'f', 1);
            dialog->setLabelText(tr("%1 (file %2 of %3): %4").arg(file).arg(m_done + 1).arg(files).arg(amount));
          });
  connect(m_downloader, &DatasetDownloader::fileFinished, dialog, [this, dialog, files] {
    ++m_done;
    dialog->setValue(std::min(files * 1000, m_done * 1000));
  });
  connect(m_downloader, &DatasetDownloader::message, this, &DownloadDialog::message);
  connect(dialog, &QProgressDialog::canceled, m_downloader, [this] {
    if (!m_downloader->isRunning()) return;  // closing the dialog after the end
    m_cancelled = true;
    m_downloader->cancel();  // finished(false, ...) follows before cancel() returns
  });
  connect(m_downloader, &DatasetDownloader::finished, this, [this, dialog](bool ok, const QString& text) {
    const QString where = m_downloader->folder();
    dialog->hide();
    dialog->deleteLater();
    deleteLater();
    emit finished(ok, m_cancelled, text, where);
  });

  if (!m_downloader->start(m_spec, folder)) {
    dialog->deleteLater();
    deleteLater();
    return false;
  }
  dialog->show();
  return true;
}

}  // namespace dl
