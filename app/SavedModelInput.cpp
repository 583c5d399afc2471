// Model-file arguments and pictures of digits for the command line (see SavedModelInput.h).

#include "SavedModelInput.h"

#include <QFileInfo>
#include <QImage>
#include <QImageReader>

namespace dl {

bool isModelFile(const QString& path) {
  if (path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)) return false;  // a spec or Keras JSON
  return path.endsWith(QLatin1String(".dlm"), Qt::CaseInsensitive) || QFileInfo(path).isFile();
}

QString trainedDataArgument(const std::string& dataset) {
  const QString name = QString::fromStdString(dataset);
  if (name.contains(QLatin1String("fashion"), Qt::CaseInsensitive)) return QStringLiteral("fashion");
  if (name == QLatin1String("MNIST")) return QStringLiteral("mnist");
  if (name == QLatin1String("My digits")) return QStringLiteral("my");
  if (!name.isEmpty() && QFileInfo(name).isDir()) return name;
  return QStringLiteral("embedded");
}

bool readDigitPicture(const QString& path, const std::string& dataset, DigitInput* input, QString* error) {
  QImageReader reader(path);
  reader.setAllocationLimit(256);  // MiB: refuses absurd pictures before decoding them
  const QImage picture = reader.read();
  if (picture.isNull()) {
    if (error) *error = QStringLiteral("cannot read the picture (%1)").arg(reader.errorString());
    return false;
  }
  const StrokeNormalisation strokes = trainedDataArgument(dataset) == QLatin1String("fashion")
                                          ? StrokeNormalisation::Keep
                                          : StrokeNormalisation::ToMnist;
  *input = preprocessDigit(picture, InkPolarity::Auto, strokes);
  return true;
}

}  // namespace dl
