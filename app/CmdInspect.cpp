// `digitlab inspect`: what a saved model does with one picture of a digit. Every layer's output
// (the default: a summary of all of them; --layer: one of them as feature maps), which pixels
// push a class up or down (--saliency), or a layer's weights (--weights). -o draws a picture
// (core/inspect/InspectImages.h), --json prints the numbers (nn/Inspection.h computes them).

#include "Commands.h"

#include "SavedModelInput.h"
#include "inspect/InspectImages.h"
#include "io/ModelFile.h"
#include "nn/Inspection.h"

#include <QCommandLineParser>
#include <QImageWriter>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>

namespace {

constexpr const char* kUsage =
    "inspect MODEL.dlm IMAGE.png [--layer NAME -o maps.png] [--saliency gradxinput|occlusion|gradcam]\n"
    "        [--class N] [--gradcam-layer NAME] [-o overlay.png] [--weights NAME -o filters.png] [--scale N] "
    "[--json]";

QJsonArray shapeJson(const dl::Shape& shape) {
  QJsonArray a;
  for (int d : shape) a.append(d);
  return a;
}

QJsonArray valuesJson(const float* v, size_t n) {
  QJsonArray a;
  for (size_t i = 0; i < n; ++i) a.append(double(v[i]));
  return a;
}

std::string shapeText(const dl::Shape& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + ")";
}

// "min -0.12, max 3.4, mean 0.56, 41% zero"
std::string statsText(const std::vector<float>& v) {
  if (v.empty()) return "no values";
  const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
  const auto zeros = std::count(v.begin(), v.end(), 0.0f);
  char buf[160];
  std::snprintf(buf, sizeof buf, "min %.4g, max %.4g, mean %.4g, %d%% zero", double(*mn), double(*mx), mean,
                int(std::lround(100.0 * double(zeros) / double(v.size()))));
  return buf;
}

const dl::Layer* findLayer(const dl::Model& model, const std::string& name) {
  for (const auto& l : model.layers())
    if (l->name() == name) return l.get();
  std::string names;
  for (const auto& l : model.layers()) names += (names.empty() ? "" : ", ") + l->name();
  throw dl::SpecError("no layer named '" + name + "'; layers: " + names);
}

bool writePicture(const QImage& image, const QString& path, QString* error) {
  QImageWriter writer(path);
  if (writer.format().isEmpty()) writer.setFormat("png");
  if (writer.write(image)) return true;
  *error = writer.errorString();
  return false;
}

}  // namespace

int cmdInspect(const QStringList& args) {
  QCommandLineParser p;
  p.setApplicationDescription(QStringLiteral(
      "What a saved model does with one picture of a digit (preprocessed as `digitlab predict` does). Without "
      "--layer, --saliency or --weights: a summary of every layer's output. -o draws a picture: feature maps (one "
      "small heat map per channel, black = lowest, yellow = highest), a saliency overlay on the digit (red pushes "
      "the class up, blue down; Grad-CAM as a heat map), or a grid of Conv2D kernels / first-layer Dense "
      "templates (red > 0, blue < 0). --json prints the numbers instead of text."));
  p.addPositionalArgument(QStringLiteral("MODEL.dlm"), QStringLiteral("A model saved by DigitLab."));
  p.addPositionalArgument(QStringLiteral("IMAGE"),
                          QStringLiteral("A picture of one digit (PNG, JPEG, ...); not needed with --weights."));
  p.addOptions({
      {QStringLiteral("layer"), QStringLiteral("One layer's output (its name, as `digitlab summary` shows it)."),
       QStringLiteral("NAME")},
      {QStringLiteral("saliency"),
       QStringLiteral("Which pixels matter for the class: gradxinput (gradient x input), occlusion (probability drop "
                      "when a 4x4 patch is blanked) or gradcam (Grad-CAM on a Conv2D layer)."),
       QStringLiteral("METHOD")},
      {QStringLiteral("class"), QStringLiteral("The class --saliency explains (default: the predicted one)."),
       QStringLiteral("N")},
      {QStringLiteral("gradcam-layer"),
       QStringLiteral("The Conv2D layer Grad-CAM uses (default: the last Conv2D layer)."), QStringLiteral("NAME")},
      {QStringLiteral("weights"), QStringLiteral("One layer's weights (Conv2D kernels, Dense templates)."),
       QStringLiteral("NAME")},
      {{QStringLiteral("o"), QStringLiteral("output")},
       QStringLiteral("Write the picture (PNG)."),
       QStringLiteral("FILE.png")},
      {QStringLiteral("scale"),
       QStringLiteral("Pixels per value in the picture, 1 to 64 (default: 4 for maps and weights, 8 for saliency)."),
       QStringLiteral("N")},
      {QStringLiteral("json"), QStringLiteral("Print the numbers as one line of JSON.")},
  });
  p.addHelpOption();
  if (!p.parse(QStringList{QStringLiteral("digitlab inspect")} + args)) {
    std::fprintf(stderr, "digitlab inspect: %s\n", qPrintable(p.errorText()));
    return 2;
  }
  if (p.isSet(QStringLiteral("help"))) {
    std::printf("Usage: digitlab %s\n\n%s", kUsage, qPrintable(p.helpText().section(QLatin1Char('\n'), 1)));
    return 0;
  }
  auto usage = [](const char* message) {
    std::fprintf(stderr, "digitlab inspect: %s\nUsage: digitlab %s\n", message, kUsage);
    return 2;
  };
  const bool json = p.isSet(QStringLiteral("json"));
  const QString layerName = p.value(QStringLiteral("layer")), weightsName = p.value(QStringLiteral("weights"));
  const bool layerMode = p.isSet(QStringLiteral("layer")), weightsMode = p.isSet(QStringLiteral("weights"));
  const bool saliencyMode = p.isSet(QStringLiteral("saliency"));
  const QString output = p.value(QStringLiteral("output"));
  if (int(layerMode) + int(weightsMode) + int(saliencyMode) > 1)
    return usage("give one of --layer, --saliency and --weights");
  if (p.isSet(QStringLiteral("output")) && !layerMode && !weightsMode && !saliencyMode)
    return usage("-o draws one layer's output, a saliency map or weights: add --layer, --saliency or --weights");
  dl::SaliencyMethod method = dl::SaliencyMethod::GradientXInput;
  if (saliencyMode && !dl::parseSaliencyMethod(p.value(QStringLiteral("saliency")).toStdString(), &method))
    return usage("--saliency must be gradxinput, occlusion or gradcam");
  if (!saliencyMode && (p.isSet(QStringLiteral("class")) || p.isSet(QStringLiteral("gradcam-layer"))))
    return usage("--class and --gradcam-layer go with --saliency");
  dl::SaliencyOptions options;
  bool ok = true;
  if (p.isSet(QStringLiteral("class"))) {
    options.targetClass = p.value(QStringLiteral("class")).toInt(&ok);
    if (!ok || options.targetClass < 0) return usage("--class must be a class number (0, 1, ...)");
  }
  options.gradCamLayer = p.value(QStringLiteral("gradcam-layer")).toStdString();
  int scale = saliencyMode ? 8 : 4;
  if (p.isSet(QStringLiteral("scale"))) {
    scale = p.value(QStringLiteral("scale")).toInt(&ok);
    if (!ok || scale < 1 || scale > 64) return usage("--scale must be a whole number from 1 to 64");
  }
  const QStringList pos = p.positionalArguments();
  if (pos.isEmpty() || !dl::isModelFile(pos[0]) || pos.size() > 2 || (pos.size() < 2 && !weightsMode))
    return usage("give a model file (MODEL.dlm) and one picture (the picture may be left out with --weights)");

  try {
    const dl::ModelFileContents c = dl::loadModelFile(pos[0]);
    const std::unique_ptr<dl::Model> model = dl::buildModel(c);
    QJsonObject out{{QStringLiteral("model"), QString::fromStdString(c.spec.name)}, {QStringLiteral("file"), pos[0]}};
    QImage picture;
    QString what;  // for "Wrote FILE (what)"

    if (weightsMode) {
      const dl::Layer* layer = findLayer(*model, weightsName.toStdString());
      QJsonArray weights;
      for (const dl::Param* w : layer->params()) {
        weights.append(QJsonObject{{QStringLiteral("name"), QString::fromStdString(w->name)},
                                   {QStringLiteral("shape"), shapeJson(w->kerasShape)},
                                   {QStringLiteral("values"), valuesJson(w->value.data(), size_t(w->value.size()))}});
        if (!json && output.isEmpty()) {
          const std::vector<float> v(w->value.data(), w->value.data() + w->value.size());
          std::printf("%s/%s %s: %s\n", layer->name().c_str(), w->name.c_str(), shapeText(w->kerasShape).c_str(),
                      statsText(v).c_str());
        }
      }
      if (layer->params().empty() && !json && output.isEmpty())
        std::printf("%s (%s) has no weights\n", layer->name().c_str(), layer->className());
      out[QStringLiteral("layer")] = weightsName;
      out[QStringLiteral("weights")] = weights;
      if (!output.isEmpty()) {
        picture = dl::weightsImage(*layer, c.spec.inputShape, scale);
        if (picture.isNull()) {
          std::fprintf(stderr,
                       "digitlab inspect: %s (%s) has no picture of its weights: only Conv2D kernels and the "
                       "templates of a Dense layer reading the input image are drawn\n",
                       layer->name().c_str(), layer->className());
          return 1;
        }
        what = QStringLiteral("weights of %1").arg(weightsName);
      }
    } else {
      if (model->inputSize() != dl::DigitInput::kPixels) {
        std::fprintf(stderr, "digitlab inspect: the model takes %d values per image, not a 28x28 picture\n",
                     model->inputSize());
        return 1;
      }
      dl::DigitInput input;
      QString error;
      if (!dl::readDigitPicture(pos[1], c.metadata.dataset, &input, &error)) {
        std::fprintf(stderr, "digitlab inspect: %s: %s\n", qPrintable(pos[1]), qPrintable(error));
        return 1;
      }
      out[QStringLiteral("image")] = pos[1];
      const float* x = input.pixels.data();
      if (saliencyMode) {
        const dl::SaliencyMap m = dl::saliency(*model, x, method, options);
        out[QStringLiteral("method")] = QString::fromLatin1(dl::saliencyMethodName(method));
        out[QStringLiteral("class")] = m.targetClass;
        out[QStringLiteral("probability")] = double(m.probability);
        out[QStringLiteral("shape")] = QJsonArray{m.height, m.width};
        out[QStringLiteral("values")] = valuesJson(m.values.data(), m.values.size());
        if (method == dl::SaliencyMethod::GradCam) {
          out[QStringLiteral("layer")] = QString::fromStdString(m.layer);
          out[QStringLiteral("cam_shape")] = QJsonArray{m.camHeight, m.camWidth};
          out[QStringLiteral("cam")] = valuesJson(m.cam.data(), m.cam.size());
        }
        if (!json && output.isEmpty()) {
          std::printf("%s for class %d (probability %.4f)%s: %s\n", dl::saliencyMethodName(method), m.targetClass,
                      double(m.probability), m.layer.empty() ? "" : (" on " + m.layer).c_str(),
                      statsText(m.values).c_str());
          // The strongest pixels, by |value|.
          std::vector<int> order(m.values.size());
          std::iota(order.begin(), order.end(), 0);
          const size_t top = std::min<size_t>(5, order.size());
          std::partial_sort(order.begin(), order.begin() + long(top), order.end(), [&](int a, int b) {
            return std::abs(m.values[size_t(a)]) > std::abs(m.values[size_t(b)]);
          });
          std::printf("strongest pixels (row, column):");
          for (size_t i = 0; i < top; ++i)
            std::printf(" (%d, %d) %.4g", order[i] / m.width, order[i] % m.width, double(m.values[size_t(order[i])]));
          std::printf("\n");
        }
        if (!output.isEmpty()) {
          picture = dl::saliencyOverlay(x, m, scale);
          what = QStringLiteral("%1 for class %2")
                     .arg(QString::fromLatin1(dl::saliencyMethodName(method)))
                     .arg(m.targetClass);
        }
      } else {
        const std::vector<dl::LayerOutput> outs = dl::layerOutputs(*model, x);
        const dl::LayerOutput* chosen = nullptr;
        if (layerMode) {
          const dl::Layer* layer = findLayer(*model, layerName.toStdString());
          for (const dl::LayerOutput& o : outs)
            if (o.name == layer->name()) chosen = &o;
        }
        QJsonArray layers;
        for (const dl::LayerOutput& o : outs) {
          if (chosen && &o != chosen) continue;
          layers.append(QJsonObject{{QStringLiteral("name"), QString::fromStdString(o.name)},
                                    {QStringLiteral("class_name"), QString::fromStdString(o.className)},
                                    {QStringLiteral("shape"), shapeJson(o.shape)},
                                    {QStringLiteral("values"), valuesJson(o.values.data(), o.values.size())}});
          if (!json && output.isEmpty())
            std::printf("%-22s %-20s %-16s %s\n", o.name.c_str(), ("(" + o.className + ")").c_str(),
                        shapeText(o.shape).c_str(), statsText(o.values).c_str());
        }
        const std::vector<float>& probs = outs.back().values;
        const int digit = int(std::max_element(probs.begin(), probs.end()) - probs.begin());
        out[QStringLiteral("prediction")] = digit;
        out[QStringLiteral("layers")] = layers;
        if (!json && output.isEmpty() && !chosen)
          std::printf("Prediction: %d (%.4f)\n", digit, double(probs[size_t(digit)]));
        if (!output.isEmpty()) {
          // A flat output wraps at 32 cells a row, so a Dense 1024 stays readable.
          const bool flat = chosen->shape.size() == 1;
          picture =
              dl::activationImage(*chosen, scale * (flat ? 3 : 1), flat ? std::min(32, int(chosen->values.size())) : 0);
          what = QStringLiteral("output of %1").arg(layerName);
        }
      }
    }
    if (!output.isEmpty()) {
      QString error;
      if (!writePicture(picture, output, &error)) {
        std::fprintf(stderr, "digitlab inspect: %s: cannot write: %s\n", qPrintable(output), qPrintable(error));
        return 1;
      }
      if (!json)
        std::printf("Wrote %s (%s, %dx%d)\n", qPrintable(output), qPrintable(what), picture.width(), picture.height());
    }
    if (json) std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digitlab inspect: %s\n", e.what());
    return 1;
  }
}
