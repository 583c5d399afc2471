// digitlab-drawn-digits: makes the drawn-digits check set (tests/data/drawn), its contact sheet,
// and MNIST's stroke-width statistics. Run without arguments for the usage.

#include "CheckSet.h"
#include "PreprocessingPictures.h"

#include "data/IdxReader.h"
#include "data/StrokeWeight.h"

#include <QDir>
#include <QGuiApplication>
#include <QStringList>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

using namespace dl;
using namespace dl::drawn;

namespace {

const char* kUsage =
    "usage: digitlab-drawn-digits COMMAND ...\n"
    "  check-set ROOT        write the stored check set: ROOT/tune and ROOT/report (MNIST IDX folders)\n"
    "  write DIR [options]   write one part as an MNIST IDX folder\n"
    "  sheet PNG [options]   write a contact sheet of one part's 28x28 inputs\n"
    "  widths [DIR]          stroke-width percentiles (data/StrokeWeight.h) of a folder's digits\n"
    "                        (train and test), or of the embedded MNIST digits without DIR\n"
    "  pictures DIR          the pictures of docs/preprocessing.md\n"
    "options: --part tune|report (default tune), --seed N (default: the part's stored seed),\n"
    "         --per-class N (default 40), --path canvas|old-canvas|raster-keep|raster (default canvas):\n"
    "         the canvas's strokes through data/Strokes.h; the canvas's picture (pen 1/14 of its side)\n"
    "         unnormalised, as before strokes; a picture with the hand's pen, unnormalised; the same\n"
    "         picture with its stroke width normalised, as `digitlab predict` does\n";

struct Options {
  Part part = Part::Tune;
  uint64_t seed = 0;
  bool seedSet = false;
  int perClass = kPerClass;
  InputPath path = InputPath::Canvas;
};

Options parseOptions(const QStringList& args, int first) {
  Options o;
  for (int i = first; i < args.size(); ++i) {
    const QString& a = args[i];
    if (i + 1 >= args.size()) throw std::runtime_error("option " + a.toStdString() + " needs a value");
    const QString v = args[++i];
    bool ok = true;
    if (a == QLatin1String("--part")) {
      if (v == QLatin1String("tune"))
        o.part = Part::Tune;
      else if (v == QLatin1String("report"))
        o.part = Part::Report;
      else
        throw std::runtime_error("--part must be tune or report, not " + v.toStdString());
    } else if (a == QLatin1String("--seed")) {
      o.seed = v.toULongLong(&ok);
      o.seedSet = true;
    } else if (a == QLatin1String("--per-class")) {
      o.perClass = v.toInt(&ok);
      ok = ok && o.perClass > 0 && o.perClass <= 10000;
    } else if (a == QLatin1String("--path")) {
      if (v == QLatin1String("canvas"))
        o.path = InputPath::Canvas;
      else if (v == QLatin1String("old-canvas"))
        o.path = InputPath::OldCanvas;
      else if (v == QLatin1String("raster-keep"))
        o.path = InputPath::RasterKeep;
      else if (v == QLatin1String("raster"))
        o.path = InputPath::RasterToMnist;
      else
        throw std::runtime_error("--path must be canvas, old-canvas, raster-keep or raster, not " + v.toStdString());
    } else {
      throw std::runtime_error("unknown option " + a.toStdString());
    }
    if (!ok) throw std::runtime_error("bad value for " + a.toStdString() + ": " + v.toStdString());
  }
  if (!o.seedSet) o.seed = o.part == Part::Report ? kReportSeed : kTuneSeed;
  return o;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double at = q * double(v.size() - 1);
  const size_t i = size_t(at);
  const double f = at - double(i);
  return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

void printWidths(const char* what, const std::vector<double>& w) {
  std::printf("%s: %zu digits, stroke width p10 %.2f  p25 %.2f  median %.2f  p75 %.2f  p90 %.2f\n", what, w.size(),
              percentile(w, 0.1), percentile(w, 0.25), percentile(w, 0.5), percentile(w, 0.75), percentile(w, 0.9));
}

int widths(const QStringList& args) {
  const DatasetPair data = args.size() > 2 ? loadMnistFolder(args[2].toStdString()) : loadEmbeddedMnist();
  std::vector<double> w;
  for (const Dataset* d : {&data.train, &data.test})
    for (int i = 0; i < d->count; ++i) w.push_back(strokeWidth(d->image(i), d->cols, d->rows));
  printWidths(data.name.c_str(), w);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QGuiApplication app(argc, argv);
  const QStringList args = QCoreApplication::arguments();
  if (args.size() < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const QString cmd = args[1];
  try {
    if (cmd == QLatin1String("check-set") && args.size() == 3) {
      const QDir root(args[2]);
      for (Part part : {Part::Tune, Part::Report}) {
        const bool report = part == Part::Report;
        const auto digits = makeDigits(part, report ? kReportSeed : kTuneSeed, kPerClass, InputPath::Canvas);
        const QString dir = root.filePath(QLatin1String(report ? "report" : "tune"));
        writeMnistFolder(digits, dir);
        std::printf("%zu digits -> %s\n", digits.size(), qPrintable(dir));
      }
      return 0;
    }
    if ((cmd == QLatin1String("write") || cmd == QLatin1String("sheet")) && args.size() >= 3) {
      const Options o = parseOptions(args, 3);
      const auto digits = makeDigits(o.part, o.seed, o.perClass, o.path);
      if (cmd == QLatin1String("write")) {
        writeMnistFolder(digits, args[2]);
      } else if (!contactSheet(digits, 20, 2).save(args[2])) {
        throw std::runtime_error(args[2].toStdString() + ": cannot write the picture");
      }
      std::vector<double> w;
      for (const DrawnDigit& d : digits) w.push_back(strokeWidth(d.input.pixels.data(), 28, 28));
      printWidths(qPrintable(args[2]), w);
      return 0;
    }
    if (cmd == QLatin1String("widths") && args.size() <= 3) return widths(args);
    if (cmd == QLatin1String("pictures") && args.size() == 3) {
      writePreprocessingPictures(args[2]);
      return 0;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digitlab-drawn-digits: %s\n", e.what());
    return 1;
  }
  std::fputs(kUsage, stderr);
  return 2;
}
