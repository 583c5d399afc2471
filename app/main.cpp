// digitlab: with no arguments the desktop app; with a sub-command a headless tool.

#include "Commands.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QGuiApplication>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>

namespace {

struct Command {
  const char* name;
  const char* synopsis;
  std::function<int(const QStringList&)> run;
  bool needsFonts = false;  // draws text: runs in a QGuiApplication (offscreen without a display)
};

const Command kCommands[] = {
    {"train",
     "train --model mlp|cnn|digits|SPEC.json|MODEL.dlm [--data DIR|fashion|mnist|my] [--epochs N] [--batch-size N]\n"
     "        [--optimizer sgd|adam] [--lr X] [--seed N] [--threads N] [--json] [--save OUT.dlm]",
     cmdTrain},
    {"summary", "summary --model mlp|cnn|digits|SPEC.json|MODEL.dlm", cmdSummary},
    {"plot-model",
     "plot-model --model mlp|cnn|digits|SPEC.json|MODEL.dlm -o out.png|out.svg [--show-shapes]\n"
     "        [--no-layer-names] [--show-activations] [--show-params] [--rankdir TB|LR] [--dpi N]",
     cmdPlotModel, true},
    {"download", "download mnist|fashion [--mirror URL]... [--dir DIR] [--no-system]", cmdDownload},
    {"evaluate", "evaluate MODEL.dlm [--data DIR|fashion|mnist|my] [--threads N] [--json]", cmdEvaluate},
    {"predict", "predict MODEL.dlm IMAGE.png... [--json]", cmdPredict},
    {"inspect",
     "inspect MODEL.dlm IMAGE.png [--layer NAME | --saliency gradxinput|occlusion|gradcam [--class N] |\n"
     "        --weights NAME] [-o OUT.png] [--scale N] [--json]",
     cmdInspect},
    {"export-keras", "export-keras mlp|cnn|digits|SPEC.json|MODEL.dlm [-o model.py] [--data mnist|fashion]",
     cmdExportKeras},
};

void printUsage(FILE* out) {
  std::fprintf(out,
               "Usage: digitlab [FILE.dlm|SPEC.json] [Qt options such as -style NAME]\n"
               "                                start the desktop app (opening FILE)\n");
  for (const Command& c : kCommands) std::fprintf(out, "       digitlab %s\n", c.synopsis);
  std::fprintf(out, "       digitlab --version\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return runGui(argc, argv);
  const char* sub = argv[1];
  if (!std::strcmp(sub, "--help") || !std::strcmp(sub, "-h") || !std::strcmp(sub, "help")) {
    printUsage(stdout);
    return 0;
  }
  if (!std::strcmp(sub, "--version")) {
    std::printf("digitlab %s\n", DIGITLAB_VERSION);
    return 0;
  }
  for (const Command& c : kCommands) {
    if (std::strcmp(sub, c.name) != 0) continue;
    std::unique_ptr<QCoreApplication> app;
    if (c.needsFonts) {
      if (!std::getenv("QT_QPA_PLATFORM") && !std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY"))
        setenv("QT_QPA_PLATFORM", "offscreen", 1);
      app = std::make_unique<QGuiApplication>(argc, argv);
    } else {
      app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("DigitLab"));
    QCoreApplication::setOrganizationName(QStringLiteral("DigitLab"));
    QStringList args;
    for (int i = 2; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
    return c.run(args);
  }
  // Not a sub-command: the desktop app, given a file to open and/or Qt's own options (-style,
  // -platform, ...), which QApplication takes.
  const std::string first = sub;
  const auto endsWith = [&](const char* suffix) {
    const size_t n = std::strlen(suffix);
    return first.size() >= n && first.compare(first.size() - n, n, suffix) == 0;
  };
  if (first.rfind('-', 0) == 0 || endsWith(".dlm") || endsWith(".json") || endsWith(".DLM") || endsWith(".JSON") ||
      QFileInfo::exists(QString::fromLocal8Bit(sub)))
    return runGui(argc, argv);
  std::fprintf(stderr, "digitlab: unknown command '%s'\n", sub);
  printUsage(stderr);
  return 2;
}
