// digitlab-screenshots: writes the README's pictures of the whole window into a folder,
//   digitlab-screenshots OUTPUT_FOLDER
// main_window_training.png (the tutorial CNN during its run, a digit drawn) and main_window.png
// (after the tutorial MLP's five epochs, a digit drawn). The window is built offscreen on a
// 1920 x 1200 screen (unless a platform is given with -platform or QT_QPA_PLATFORM), at 1600 x 1000, and driven with
// real mouse events as a person would: the preset buttons, Train, Stop and a stroke on the canvas. Settings go to Qt's
// test locations, never the user's. Takes a minute or two (two real runs).

#include "OffscreenScreens.h"  // tests/common

#include "DigitPanel.h"
#include "DrawingCanvas.h"
#include "GettingStarted.h"
#include "MainWindow.h"
#include "TrainingCharts.h"
#include "TrainingController.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <cstdio>
#include <functional>
#include <optional>

namespace {

using dl::MainWindow;

// Waits for `done` while events are processed; prints what was awaited when it times out.
bool waitFor(const std::function<bool()>& done, int timeoutMs, const char* what) {
  if (QTest::qWaitFor(done, timeoutMs)) return true;
  std::fprintf(stderr, "digitlab-screenshots: timed out waiting for %s\n", what);
  return false;
}

QWidget* widget(const MainWindow& window, const char* name) {
  QWidget* w = window.findChild<QWidget*>(QLatin1String(name));
  if (!w) std::fprintf(stderr, "digitlab-screenshots: the window has no widget named %s\n", name);
  return w;
}

// A "1"-like stroke down the middle of the canvas, as a user draws it.
void drawVerticalStroke(QWidget* canvas) {
  const int w = canvas->width(), h = canvas->height();
  QTest::mousePress(canvas, Qt::LeftButton, {}, QPoint(w / 2, h / 5));
  for (int i = 1; i <= 12; ++i) QTest::mouseMove(canvas, QPoint(w / 2 + i / 4, h / 5 + i * (3 * h / 5) / 12));
  QTest::mouseRelease(canvas, Qt::LeftButton, {}, QPoint(w / 2 + 3, 4 * h / 5));
}

bool save(MainWindow& window, const QDir& dir, const char* name) {
  const QString path = dir.filePath(QLatin1String(name));
  if (window.grab().save(path)) {
    std::printf("wrote %s\n", qPrintable(QDir::toNativeSeparators(path)));
    return true;
  }
  std::fprintf(stderr, "digitlab-screenshots: could not write %s\n", qPrintable(path));
  return false;
}

// Presses a preset button, then Train once the window allows it.
bool startRun(MainWindow& window, const char* presetButton) {
  QWidget* preset = widget(window, presetButton);
  QWidget* start = widget(window, "startButton");
  if (!preset || !start) return false;
  QTest::mouseClick(preset, Qt::LeftButton);
  if (!waitFor([&] { return start->isEnabled(); }, 30000, "Train to be enabled")) return false;
  QTest::mouseClick(start, Qt::LeftButton);
  return true;
}

int run(const QDir& out) {
  MainWindow window;
  window.setUnsavedChangesPrompt([](const QString&) { return MainWindow::UnsavedChoice::Discard; });
  window.setContinuePrompt([](int) { return MainWindow::ContinueChoice::Afresh; });
  window.resize(1600, 1000);
  window.show();
  if (!QTest::qWaitForWindowExposed(&window)) {
    std::fprintf(stderr, "digitlab-screenshots: the window was not exposed\n");
    return 1;
  }
  if (!waitFor([&] { return window.dataset() != nullptr; }, 30000, "the embedded data")) return 1;
  window.gettingStartedHint()->hide();  // as after "Got it"
  window.resizeDocks({window.modelDock(), window.drawDock()}, {370, 320}, Qt::Horizontal);
  QSignalSpy finished(window.controller(), &dl::TrainingController::finished);

  // The CNN during its run, with a digit drawn.
  if (!startRun(window, "cnnPresetButton")) return 1;
  if (!waitFor([&] { return window.charts()->batchCount() >= 60; }, 120000, "60 batches of the CNN")) return 1;
  drawVerticalStroke(window.digitPanel()->canvas());
  QTest::qWait(300);
  window.charts()->refreshNow();
  if (!save(window, out, "main_window_training.png")) return 1;
  QWidget* stop = widget(window, "stopButton");
  if (!stop) return 1;
  QTest::mouseClick(stop, Qt::LeftButton);
  if (!waitFor([&] { return finished.count() == 1; }, 60000, "the CNN run to stop")) return 1;

  // The tutorial MLP's whole run, with a digit drawn.
  if (!startRun(window, "mlpPresetButton")) return 1;
  if (!waitFor([&] { return finished.count() == 2; }, 300000, "the MLP run to finish")) return 1;
  window.digitPanel()->canvas()->clear();
  drawVerticalStroke(window.digitPanel()->canvas());
  window.charts()->refreshNow();
  QTest::qWait(300);
  return save(window, out, "main_window.png") ? 0 : 1;
}

}  // namespace

int main(int argc, char* argv[]) {
  bool platformGiven = qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
  for (int i = 1; i < argc; ++i) platformGiven = platformGiven || qstrcmp(argv[i], "-platform") == 0;
  // Offscreen, on a screen with room for the whole 1600 x 1000 window (the default offscreen
  // screen is smaller, and a window never grows past its screen).
  std::optional<OffscreenScreens> screen;
  if (!platformGiven)
    screen.emplace(std::initializer_list<OffscreenScreens::Screen>{{"Screen", 1920, 1200}}, "Screen=1");
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("DigitLab"));  // as the app names itself
  QApplication::setOrganizationName(QStringLiteral("DigitLab"));
  QStandardPaths::setTestModeEnabled(true);  // never the user's settings or recent files
  const QStringList args = app.arguments().mid(1);
  if (args.size() != 1 || args[0].startsWith(QLatin1Char('-'))) {
    std::fprintf(stderr, "usage: digitlab-screenshots OUTPUT_FOLDER\n");
    return 2;
  }
  const QDir out(args[0]);
  if (!out.exists() && !QDir().mkpath(out.path())) {
    std::fprintf(stderr, "digitlab-screenshots: cannot create %s\n", qPrintable(out.path()));
    return 1;
  }
  return run(out);
}
