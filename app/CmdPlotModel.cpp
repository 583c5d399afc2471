// `digitlab plot-model`: the model diagram as PNG or SVG, without a display (Keras's plot_model).

#include "Commands.h"

#include "ModelArgument.h"
#include "diagram/ModelDiagram.h"
#include "model/ModelSpecJson.h"

#include <QCommandLineParser>

#include <cstdio>

int cmdPlotModel(const QStringList& args) {
  QCommandLineParser p;
  p.setApplicationDescription(QStringLiteral("Draw the model as Keras's plot_model does."));
  p.addHelpOption();
  p.addOptions({
      {QStringLiteral("model"), QStringLiteral("mlp, cnn, digits, a JSON spec or a .dlm file."),
       QStringLiteral("MODEL")},
      {{QStringLiteral("o"), QStringLiteral("output")},
       QStringLiteral("Output file (.png or .svg)."),
       QStringLiteral("FILE")},
      {QStringLiteral("show-shapes"), QStringLiteral("Show input and output shapes.")},
      {QStringLiteral("show-layer-names"), QStringLiteral("Show each layer's name (default).")},
      {QStringLiteral("no-layer-names"), QStringLiteral("Show only the layer classes.")},
      {QStringLiteral("show-activations"), QStringLiteral("Show each layer's activation.")},
      {QStringLiteral("show-params"), QStringLiteral("Show each layer's parameter count.")},
      {QStringLiteral("rankdir"), QStringLiteral("TB (top to bottom, default) or LR (left to right)."),
       QStringLiteral("DIR"), QStringLiteral("TB")},
      {QStringLiteral("dpi"),
       QStringLiteral("PNG resolution, 24 to 1200 (default 96, as tf.keras; Keras 3 uses 200). An SVG is vector "
                      "and does not change."),
       QStringLiteral("N"), QStringLiteral("96")},
  });
  if (!p.parse(QStringList{QStringLiteral("digitlab plot-model")} + args)) {
    std::fprintf(stderr, "digitlab plot-model: %s\n", qPrintable(p.errorText()));
    return 2;
  }
  if (!p.positionalArguments().isEmpty()) {
    std::fprintf(stderr, "digitlab plot-model: unexpected argument '%s'\n",
                 qPrintable(p.positionalArguments().first()));
    return 2;
  }
  if (!p.isSet(QStringLiteral("model")) || !p.isSet(QStringLiteral("output"))) {
    std::fprintf(stderr, "digitlab plot-model: --model and -o are required\n");
    return 2;
  }
  dl::DiagramOptions o;
  o.showShapes = p.isSet(QStringLiteral("show-shapes"));
  if (p.isSet(QStringLiteral("show-layer-names")) && p.isSet(QStringLiteral("no-layer-names"))) {
    std::fprintf(stderr, "digitlab plot-model: --show-layer-names and --no-layer-names exclude each other\n");
    return 2;
  }
  o.showLayerNames = !p.isSet(QStringLiteral("no-layer-names"));
  o.showActivations = p.isSet(QStringLiteral("show-activations"));
  o.showParams = p.isSet(QStringLiteral("show-params"));
  if (!dl::rankDirFromString(p.value(QStringLiteral("rankdir")), &o.rankdir)) {
    std::fprintf(stderr, "digitlab plot-model: --rankdir must be TB or LR, not '%s'\n",
                 qPrintable(p.value(QStringLiteral("rankdir"))));
    return 2;
  }
  bool ok = false;
  o.dpi = p.value(QStringLiteral("dpi")).toInt(&ok);
  if (!ok || o.dpi < 24 || o.dpi > 1200) {
    std::fprintf(stderr, "digitlab plot-model: --dpi must be a whole number from 24 to 1200, not '%s'\n",
                 qPrintable(p.value(QStringLiteral("dpi"))));
    return 2;
  }
  try {
    const dl::ModelSpec spec = dl::resolveModelArgument(p.value(QStringLiteral("model")).toStdString());
    QString error;
    const QString out = p.value(QStringLiteral("output"));
    if (!dl::saveDiagram(spec, o, out, &error)) {
      std::fprintf(stderr, "digitlab plot-model: %s\n", qPrintable(error));
      return 1;
    }
    std::printf("Wrote %s\n", qPrintable(out));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digitlab plot-model: %s\n", e.what());
    return 1;
  }
}
