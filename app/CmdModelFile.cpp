// `digitlab evaluate`, `digitlab predict` and `digitlab export-keras`: the command-line uses of a
// saved model (.dlm, see core/io/ModelFile.h). evaluate prints the test loss and accuracy as the
// tutorial does; predict runs pictures of digits through the model after MNIST-style
// preprocessing; export-keras writes the model as a Keras script.

#include "Commands.h"

#include "ModelArgument.h"
#include "SavedModelInput.h"
#include "data/DigitPreprocess.h"
#include "data/IdxReader.h"
#include "data/MyDigits.h"
#include "io/KerasExport.h"
#include "io/ModelFile.h"
#include "model/ModelSpecJson.h"
#include "nn/Trainer.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <cstdio>
#include <string>

namespace {

// Parses a sub-command's arguments; prints the problem and returns false on a usage error.
bool parse(QCommandLineParser& p, const char* command, const QStringList& args) {
  p.addHelpOption();
  if (!p.parse(QStringList{QStringLiteral("digitlab ") + QString::fromLatin1(command)} + args)) {
    std::fprintf(stderr, "digitlab %s: %s\n", command, qPrintable(p.errorText()));
    return false;
  }
  return true;
}

}  // namespace

int cmdEvaluate(const QStringList& args) {
  QCommandLineParser p;
  p.setApplicationDescription(
      QStringLiteral("Test loss and accuracy of a saved model (model.evaluate on the test set)."));
  p.addPositionalArgument(QStringLiteral("MODEL.dlm"), QStringLiteral("A model saved by DigitLab."));
  p.addOptions({
      {QStringLiteral("data"),
       QStringLiteral("embedded, fashion, mnist, my (your own digits), or a folder of MNIST IDX files (default: the "
                      "dataset the model was trained on)."),
       QStringLiteral("DATA")},
      {QStringLiteral("threads"), QStringLiteral("Threads (default: all cores)."), QStringLiteral("N"),
       QStringLiteral("0")},
      {QStringLiteral("json"), QStringLiteral("End with one line of JSON with the results.")},
  });
  if (!parse(p, "evaluate", args)) return 2;
  const QStringList pos = p.positionalArguments();
  if (pos.size() != 1 || !dl::isModelFile(pos[0])) {
    std::fprintf(stderr, "digitlab evaluate: give exactly one model file (MODEL.dlm)\n");
    return 2;
  }
  bool ok = false;
  const int threads = p.value(QStringLiteral("threads")).toInt(&ok);
  if (!ok || threads < 0 || threads > 1024) {
    std::fprintf(stderr, "digitlab evaluate: --threads must be a whole number from 0 to 1024\n");
    return 2;
  }
  try {
    dl::setThreadCount(threads);
    const dl::ModelFileContents c = dl::loadModelFile(pos[0]);
    const std::unique_ptr<dl::Model> model = dl::buildModel(c);
    const QString dataArg =
        p.isSet(QStringLiteral("data")) ? p.value(QStringLiteral("data")) : dl::trainedDataArgument(c.metadata.dataset);
    const dl::DatasetPair data = dl::loadDatasetOrMyDigits(dataArg.toStdString());
    if (data.test.pixels() != model->inputSize()) {
      std::fprintf(stderr, "digitlab evaluate: the model takes %d values per image but %s has %dx%d images\n",
                   model->inputSize(), data.name.c_str(), data.test.rows, data.test.cols);
      return 1;
    }
    std::printf("Evaluating %s (%s) on %s: %d test images\n", c.spec.name.c_str(), qPrintable(pos[0]),
                data.name.c_str(), data.test.count);
    const dl::EvalResult r = dl::evaluate(*model, data.test);
    std::printf("Test loss: %.4f - Test accuracy: %.4f\n", r.loss, r.accuracy);
    if (p.isSet(QStringLiteral("json"))) {
      const QJsonObject out{{QStringLiteral("model"), QString::fromStdString(c.spec.name)},
                            {QStringLiteral("file"), pos[0]},
                            {QStringLiteral("data"), QString::fromStdString(data.name)},
                            {QStringLiteral("test"), QJsonObject{{QStringLiteral("loss"), r.loss},
                                                                 {QStringLiteral("accuracy"), r.accuracy},
                                                                 {QStringLiteral("count"), r.count}}}};
      std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digitlab evaluate: %s\n", e.what());
    return 1;
  }
}

int cmdPredict(const QStringList& args) {
  QCommandLineParser p;
  p.setApplicationDescription(QStringLiteral(
      "The class a saved model gives each picture, with the 10 probabilities. Each picture is turned into an "
      "MNIST-style 28x28 input first (ink cropped, scaled into 20x20, centred by mass; dark ink on light paper "
      "is inverted; for a digit model, strokes thinned or thickened to MNIST's stroke width)."));
  p.addPositionalArgument(QStringLiteral("MODEL.dlm"), QStringLiteral("A model saved by DigitLab."));
  p.addPositionalArgument(QStringLiteral("IMAGE"), QStringLiteral("Pictures of one digit each (PNG, JPEG, ...)."),
                          QStringLiteral("IMAGE..."));
  p.addOption({QStringLiteral("json"), QStringLiteral("Print one line of JSON instead of text.")});
  if (!parse(p, "predict", args)) return 2;
  const QStringList pos = p.positionalArguments();
  if (pos.size() < 2 || !dl::isModelFile(pos[0])) {
    std::fprintf(stderr, "digitlab predict: give a model file (MODEL.dlm) and at least one picture\n");
    return 2;
  }
  const bool json = p.isSet(QStringLiteral("json"));
  try {
    const dl::ModelFileContents c = dl::loadModelFile(pos[0]);
    const std::unique_ptr<dl::Model> model = dl::buildModel(c);
    if (model->inputSize() != dl::DigitInput::kPixels) {
      std::fprintf(stderr, "digitlab predict: the model takes %d values per image, not a 28x28 picture\n",
                   model->inputSize());
      return 1;
    }
    int failures = 0;
    QJsonArray predictions;
    for (qsizetype i = 1; i < pos.size(); ++i) {
      dl::DigitInput input;
      QString error;
      if (!dl::readDigitPicture(pos[i], c.metadata.dataset, &input, &error)) {
        std::fprintf(stderr, "digitlab predict: %s: %s\n", qPrintable(pos[i]), qPrintable(error));
        ++failures;
        continue;
      }
      const dl::Matrix probs = model->predict(input.pixels.data(), 1);
      Eigen::Index best = 0;
      probs.row(0).maxCoeff(&best);
      if (json) {
        QJsonArray values;
        for (Eigen::Index k = 0; k < probs.cols(); ++k) values.append(double(probs(0, k)));
        predictions.append(QJsonObject{{QStringLiteral("image"), pos[i]},
                                       {QStringLiteral("digit"), int(best)},
                                       {QStringLiteral("probability"), double(probs(0, best))},
                                       {QStringLiteral("probabilities"), values},
                                       {QStringLiteral("empty"), input.empty}});
      } else {
        std::printf("%s: %d (%.4f)%s\n ", qPrintable(pos[i]), int(best), double(probs(0, best)),
                    input.empty ? "  [no ink found: the picture is blank]" : "");
        for (Eigen::Index k = 0; k < probs.cols(); ++k) std::printf(" %d: %.4f", int(k), double(probs(0, k)));
        std::printf("\n");
      }
    }
    if (json) {
      const QJsonObject out{{QStringLiteral("model"), QString::fromStdString(c.spec.name)},
                            {QStringLiteral("file"), pos[0]},
                            {QStringLiteral("predictions"), predictions}};
      std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    }
    return failures ? 1 : 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digitlab predict: %s\n", e.what());
    return 1;
  }
}

int cmdExportKeras(const QStringList& args) {
  QCommandLineParser p;
  p.setApplicationDescription(QStringLiteral(
      "Write a model as a Keras training script in the tutorial's style. For a .dlm file the script loads the "
      "trained weights (with numpy) instead of training."));
  p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("mlp, cnn, digits, a JSON spec or a .dlm file."));
  p.addOptions({
      {{QStringLiteral("o"), QStringLiteral("output")},
       QStringLiteral("The script to write (default: standard output)."),
       QStringLiteral("FILE.py")},
      {QStringLiteral("data"),
       QStringLiteral("mnist or fashion: the Keras dataset the script loads (default: the one "
                      "a .dlm was trained on, else mnist)."),
       QStringLiteral("DATA")},
  });
  if (!parse(p, "export-keras", args)) return 2;
  const QStringList pos = p.positionalArguments();
  if (pos.size() != 1) {
    std::fprintf(stderr, "digitlab export-keras: give exactly one model (mlp, cnn, digits, SPEC.json or MODEL.dlm)\n");
    return 2;
  }
  const QString data = p.value(QStringLiteral("data")).toLower();
  if (p.isSet(QStringLiteral("data")) && data != QLatin1String("mnist") && data != QLatin1String("fashion")) {
    std::fprintf(stderr, "digitlab export-keras: --data must be mnist or fashion\n");
    return 2;
  }
  try {
    dl::ModelSpec spec;
    dl::KerasScriptOptions options;
    if (dl::isModelFile(pos[0])) {
      const dl::ModelFileContents c = dl::loadModelFile(pos[0]);
      spec = c.spec;
      options.weightsFile = QFileInfo(pos[0]).absoluteFilePath().toStdString();  // the script may run elsewhere
      std::string dataset = c.metadata.dataset;
      std::transform(dataset.begin(), dataset.end(), dataset.begin(),
                     [](unsigned char ch) { return char(std::tolower(ch)); });
      options.fashionMnist = dataset.find("fashion") != std::string::npos;
    } else {
      spec = dl::resolveModelArgument(pos[0].toStdString());
    }
    if (p.isSet(QStringLiteral("data"))) options.fashionMnist = data == QLatin1String("fashion");
    const std::string script = dl::kerasScript(spec, options);
    const QString out = p.value(QStringLiteral("output"));
    if (out.isEmpty() || out == QLatin1String("-")) {
      std::fwrite(script.data(), 1, script.size(), stdout);
      return 0;
    }
    QSaveFile f(out);
    if (!f.open(QIODevice::WriteOnly) || f.write(script.data(), qint64(script.size())) != qint64(script.size()) ||
        !f.commit()) {
      std::fprintf(stderr, "digitlab export-keras: %s: cannot write: %s\n", qPrintable(out),
                   qPrintable(f.errorString()));
      return 1;
    }
    std::printf("Wrote %s (Keras script of %s)\n", qPrintable(out), spec.name.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digitlab export-keras: %s\n", e.what());
    return 1;
  }
}
