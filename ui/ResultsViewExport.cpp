// ResultsView's exports: the confusion matrix as PNG and CSV (see ResultsView.h).

#include "ResultsView.h"

#include "AppSettings.h"
#include "ConfusionMatrixView.h"

#include <QBuffer>
#include <QDir>
#include <QFileDialog>
#include <QFontMetrics>
#include <QImage>
#include <QPainter>
#include <QPushButton>
#include <QSaveFile>

namespace dl {

namespace {

bool writeFile(const QString& path, const QByteArray& bytes, QString* error) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    if (error) *error = ResultsView::tr("Could not open %1 for writing: %2").arg(path, file.errorString());
    return false;
  }
  if (file.write(bytes) != bytes.size() || !file.commit()) {
    if (error) *error = ResultsView::tr("Could not write %1: %2").arg(path, file.errorString());
    return false;
  }
  return true;
}

}  // namespace

bool ResultsView::exportMatrixCsv(const QString& path, QString* error) const {
  if (m_confusion.empty()) {
    if (error) *error = tr("There is no confusion matrix to export yet.");
    return false;
  }
  std::vector<std::string> names;
  for (const QString& n : m_names) names.push_back(n.toStdString());
  return writeFile(path, QByteArray::fromStdString(m_confusion.toCsv(names)), error);
}

bool ResultsView::exportMatrixPng(const QString& path, QString* error) const {
  if (m_confusion.empty()) {
    if (error) *error = tr("There is no confusion matrix to export yet.");
    return false;
  }
  // A fresh view of a fixed size (the one on screen may be small), without the selection outline.
  ConfusionMatrixView view;
  view.setFont(font());
  view.setData(m_confusion, m_names);
  const QSize matrixSize(720, 660);
  view.resize(matrixSize);
  QFont titleFont = font();
  titleFont.setBold(true);
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
  const int titleHeight = QFontMetrics(titleFont).height() + 16;
  QImage image(matrixSize.width(), matrixSize.height() + titleHeight, QImage::Format_RGB32);
  image.fill(Qt::white);
  {
    QPainter p(&image);
    p.setFont(titleFont);
    p.setPen(QColor(40, 40, 40));
    p.drawText(QRect(0, 0, image.width(), titleHeight), Qt::AlignCenter, tr("Confusion matrix — %1").arg(m_sourceText));
    view.render(&p, QPoint(0, titleHeight));
  }
  QByteArray bytes;
  {
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG")) {
      if (error) *error = tr("Could not encode the image %1.").arg(path);
      return false;
    }
  }
  return writeFile(path, bytes, error);
}

void ResultsView::exportWithDialog(bool png) {
  const QString suggested =
      settings::inLastFolder(png ? QStringLiteral("confusion_matrix.png") : QStringLiteral("confusion_matrix.csv"));
  const QString path = QFileDialog::getSaveFileName(
      this, png ? tr("Export the confusion matrix as PNG") : tr("Export the confusion matrix as CSV"), suggested,
      png ? tr("PNG image (*.png)") : tr("CSV table (*.csv)"));
  if (path.isEmpty()) return;
  settings::rememberFolder(path);
  QString error;
  if (png ? exportMatrixPng(path, &error) : exportMatrixCsv(path, &error))
    emit message(tr("Saved the confusion matrix to %1.").arg(QDir::toNativeSeparators(path)));
  else
    emit message(error);
}

}  // namespace dl
