// The main window fits the screens people have: opened on a 1280x720, a 1366x768 and a 200%
// (2560x1440 at device pixel ratio 2) screen, it lies within the screen's available area, and the
// drawing canvas, the probability list, the Train button and each tab's main view are fully
// visible (not clipped by a scroll area, a dock or the window's edge) at no less than their minimum
// size hints. The docks' separators drag with the mouse, and the window's geometry, docks and last
// tab come back in the next session, kept on a smaller screen. The first-start hint goes for good.
// Headless: the offscreen platform with three screens (see main()).

#include "OffscreenScreens.h"
#include "QuietOffscreen.h"

#include "AppSettings.h"
#include "DiagramPanel.h"
#include "DigitPanel.h"
#include "GettingStarted.h"
#include "MainWindow.h"
#include "ModelBuilder.h"
#include "TrainingCharts.h"
#include "TrainingPanel.h"

#include "nn/Model.h"

#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QWindow>

using namespace dl;

namespace {

QScreen* screenNamed(const QString& name) {
  for (QScreen* s : QGuiApplication::screens())
    if (s->name() == name) return s;
  return nullptr;
}

// Where `w` is not fully shown: clipped by an ancestor (scroll area, dock, the window), or smaller
// than its minimum size hint. Empty when all is well.
QString visibilityProblem(const QWidget* w) {
  if (!w->isVisible()) return QStringLiteral("%1 is hidden").arg(w->objectName());
  const QSize hint = w->minimumSizeHint();
  if (hint.isValid() && (w->width() < hint.width() || w->height() < hint.height()))
    return QStringLiteral("%1 is %2x%3, smaller than its minimum size hint %4x%5")
        .arg(w->objectName())
        .arg(w->width())
        .arg(w->height())
        .arg(hint.width())
        .arg(hint.height());
  for (const QWidget* a = w->parentWidget(); a; a = a->parentWidget()) {
    const QRect inAncestor(w->mapTo(a, QPoint(0, 0)), w->size());
    if (!a->rect().contains(inAncestor))
      return QStringLiteral("%1 at %2,%3 %4x%5 is clipped by %6 (%7 %8x%9)")
          .arg(w->objectName())
          .arg(inAncestor.x())
          .arg(inAncestor.y())
          .arg(inAncestor.width())
          .arg(inAncestor.height())
          .arg(a->objectName(), QString::fromLatin1(a->metaObject()->className()))
          .arg(a->width())
          .arg(a->height());
    if (a->isWindow()) break;
  }
  return {};
}

void clearWindowSettings() {
  QSettings s = settings::open();
  s.remove(settings::kWindowGeometry);
  s.remove(settings::kWindowState);
  s.remove(settings::kWindowTab);
  s.remove(settings::kGettingStartedDismissed);
}

}  // namespace

class TestWindowLayout : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init() { clearWindowSettings(); }
  void fitsTheScreen_data();
  void fitsTheScreen();
  void dockSeparatorDragsWithTheMouse();
  void remembersGeometryDocksAndTabKeptOnScreen();
  void gettingStartedHintIsDismissedForGood();
};

void TestWindowLayout::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  quietOffscreen();
  QVERIFY2(screenNamed(QStringLiteral("Small")) && screenNamed(QStringLiteral("Laptop")) &&
               screenNamed(QStringLiteral("Dense")),
           "needs the three offscreen screens of main()");
}

void TestWindowLayout::fitsTheScreen_data() {
  QTest::addColumn<QString>("screen");
  QTest::newRow("1280x720") << QStringLiteral("Small");
  QTest::newRow("1366x768") << QStringLiteral("Laptop");
  QTest::newRow("2560x1440 at 200%") << QStringLiteral("Dense");
}

void TestWindowLayout::fitsTheScreen() {
  QFETCH(QString, screen);
  QScreen* s = screenNamed(screen);
  QVERIFY(s);
  MainWindow window;
  window.setScreen(s);
  window.move(s->availableGeometry().topLeft());
  window.resetLayout();
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  QCOMPARE(window.screen(), s);
  if (qEnvironmentVariableIsSet("DBG")) {
    qDebug() << "frame" << window.frameGeometry() << window.geometry() << window.windowHandle()->frameMargins()
             << QGuiApplication::screenAt(window.geometry().center())->name() << window.screen()->name()
             << window.screen()->availableGeometry();
    auto pr = [](const char* n, QWidget* w) {
      qDebug() << n << w->size() << "min" << w->minimumSizeHint() << w->minimumSize();
    };
    pr("window", &window);
    pr("central", window.centralWidget());
    pr("modelDock", window.modelDock());
    pr("drawDock", window.drawDock());
    pr("panel", (QWidget*)window.trainingPanel());
    pr("tabs", window.tabs());
    pr("hint", (QWidget*)window.gettingStartedHint());
    for (int i = 0; i < window.tabs()->count(); ++i) pr("tab", window.tabs()->widget(i));
    pr("charts", (QWidget*)window.charts());
  }
  if (screen == QLatin1String("Dense")) QCOMPARE(window.devicePixelRatio(), 2.0);
  // (At 200% the offscreen platform places the frame one logical pixel off: allow that.)
  const QRect allowed =
      s->availableGeometry().adjusted(0, 0, s->devicePixelRatio() > 1 ? 1 : 0, s->devicePixelRatio() > 1 ? 1 : 0);
  QVERIFY(window.frameGeometry().width() <= s->availableGeometry().width());
  QVERIFY(window.frameGeometry().height() <= s->availableGeometry().height());
  QVERIFY2(allowed.contains(window.frameGeometry()), qPrintable(QStringLiteral("window %1,%2 %3x%4 on a %5x%6 screen")
                                                                    .arg(window.frameGeometry().x())
                                                                    .arg(window.frameGeometry().y())
                                                                    .arg(window.frameGeometry().width())
                                                                    .arg(window.frameGeometry().height())
                                                                    .arg(s->availableGeometry().width())
                                                                    .arg(s->availableGeometry().height())));
  QTest::qWait(50);  // let the layouts settle
  // A digit on the canvas and a model to read it: the answer and the ten probabilities show.
  QTRY_VERIFY_WITH_TIMEOUT(window.dataset() != nullptr, 30000);
  const ModelSpec mlp = presetMlp();
  window.digitPanel()->setModel(mlp, Model(mlp, 1).weights());
  auto* random = window.findChild<QPushButton*>(QStringLiteral("randomTestDigitButton"));
  QVERIFY(random);
  QTest::mouseClick(random, Qt::LeftButton);
  QApplication::processEvents();

  if (const QByteArray dir = qgetenv("DIGITLAB_SCREENSHOT_DIR"); !dir.isEmpty())
    window.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/layout_") + screen + QStringLiteral(".png"));

  const QList<const QWidget*> always = {
      window.findChild<QWidget*>(QStringLiteral("digitCanvas")),
      window.findChild<QWidget*>(QStringLiteral("probabilityBars")),
      window.findChild<QWidget*>(QStringLiteral("topClassLabel")),
      window.findChild<QWidget*>(QStringLiteral("topProbabilityLabel")),
      window.trainingPanel()->startButton(),
      window.trainingPanel()->stopButton(),
      window.findChild<QWidget*>(QStringLiteral("layerView")),
  };
  for (const QWidget* w : always) {
    QVERIFY(w);
    const QString problem = visibilityProblem(w);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }
  // The builder is never squeezed below the width it works at.
  QVERIFY2(window.modelDock()->width() >= window.builder()->minimumSizeHint().width(),
           qPrintable(QStringLiteral("model dock %1 px").arg(window.modelDock()->width())));
  // Each tab's main view, shown in turn.
  QTabWidget* tabs = window.tabs();
  for (int i = 0; i < tabs->count(); ++i) {
    tabs->setCurrentIndex(i);
    QApplication::processEvents();
    QWidget* page = tabs->currentWidget();
    const QString problem = visibilityProblem(page);
    QVERIFY2(problem.isEmpty(), qPrintable(tabs->tabText(i) + QStringLiteral(": ") + problem));
    QVERIFY2(
        page->width() >= 400 && page->height() >= 250,
        qPrintable(QStringLiteral("%1 gets only %2x%3").arg(tabs->tabText(i)).arg(page->width()).arg(page->height())));
  }
  // The charts: both plots visible.
  tabs->setCurrentWidget(window.charts());
  QApplication::processEvents();
  for (const char* name : {"lossChartView", "accuracyChartView"}) {
    const QWidget* chart = window.charts()->findChild<QWidget*>(QLatin1String(name));
    QVERIFY2(chart, name);
    const QString problem = visibilityProblem(chart);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }
  // The diagram's toolbar: its Export button is not clipped.
  tabs->setCurrentIndex(1);
  QApplication::processEvents();
  const QWidget* exportButton = window.findChild<QWidget*>(QStringLiteral("diagramExport"));
  QVERIFY(exportButton);
  const QString problem = visibilityProblem(exportButton);
  QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestWindowLayout::dockSeparatorDragsWithTheMouse() {
  QScreen* s = screenNamed(QStringLiteral("Laptop"));
  MainWindow window;
  window.setScreen(s);
  window.move(s->availableGeometry().topLeft());
  window.resetLayout();
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  QTest::qWait(50);
  QDockWidget* dock = window.drawDock();
  const int before = dock->width();
  // The separator lies in the gap between the central widget and the dock.
  const int gapLeft = window.centralWidget()->geometry().right();
  const int gapRight = dock->geometry().left();
  QVERIFY2(gapRight > gapLeft, "no separator between the centre and the drawing dock");
  const QPoint grip((gapLeft + gapRight + 1) / 2, dock->geometry().center().y());
  if (qEnvironmentVariableIsSet("DBG"))
    qDebug() << "gap" << gapLeft << gapRight << "grip" << grip << window.centralWidget()->geometry()
             << dock->geometry();
  // Through the window system, as a real mouse: hover, press, drag left, release.
  QWindow* handle = window.windowHandle();
  QTest::mouseMove(handle, grip);
  QTest::mousePress(handle, Qt::LeftButton, {}, grip);
  for (int dx = 10; dx <= 80; dx += 10) QTest::mouseMove(handle, grip - QPoint(dx, 0));
  QTest::mouseRelease(handle, Qt::LeftButton, {}, grip - QPoint(80, 0));
  QApplication::processEvents();
  QTRY_VERIFY2(dock->width() > before + 40,
               qPrintable(QStringLiteral("drawing dock %1 px wide before, %2 after").arg(before).arg(dock->width())));
}

void TestWindowLayout::remembersGeometryDocksAndTabKeptOnScreen() {
  const auto discard = [](const QString&) { return MainWindow::UnsavedChoice::Discard; };
  // A session on a 1920x1200 screen: a window of its own size, a wider drawing dock, Results.
  QScreen* big = screenNamed(QStringLiteral("Big"));
  QVERIFY(big);
  const QRect chosen(big->availableGeometry().topLeft() + QPoint(40, 30), QSize(1700, 1050));
  int dockWidth = 0;
  QList<int> splitterSizes;
  {
    MainWindow window;
    window.setScreen(big);
    window.resetLayout();
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.setGeometry(chosen);
    window.resizeDocks({window.drawDock()}, {450}, Qt::Horizontal);
    window.tabs()->setCurrentIndex(2);
    QTest::qWait(50);
    // The builder's splitter handle, dragged 120 px down with the mouse.
    auto* splitter = window.builder()->findChild<QSplitter*>(QStringLiteral("builderSplitter"));
    QVERIFY(splitter);
    QSplitterHandle* handle = splitter->handle(1);
    const QPoint grip = handle->rect().center();
    QTest::mousePress(handle, Qt::LeftButton, {}, grip);
    QTest::mouseMove(handle, grip + QPoint(0, 60));
    QTest::mouseMove(handle, grip + QPoint(0, 120));
    QTest::mouseRelease(handle, Qt::LeftButton, {}, grip + QPoint(0, 120));
    splitterSizes = splitter->sizes();
    QVERIFY(!window.builder()->splitterState().isEmpty());
    dockWidth = window.drawDock()->width();
    QVERIFY(dockWidth > 400);
    window.setUnsavedChangesPrompt(discard);
    QVERIFY(window.close());
  }
  // The next session comes back as it was left.
  {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTest::qWait(50);
    QCOMPARE(window.geometry(), chosen);
    QCOMPARE(window.tabs()->currentIndex(), 2);
    QCOMPARE(window.drawDock()->width(), dockWidth);
    QCOMPARE(window.builder()->findChild<QSplitter*>(QStringLiteral("builderSplitter"))->sizes(), splitterSizes);
    // Now the window is left large across the 1280x720 screen (a big monitor, since unplugged).
    window.setGeometry(QRect(QPoint(20, 20), QSize(1700, 1050)));
    window.setUnsavedChangesPrompt(discard);
    QVERIFY(window.close());
  }
  // Opened again there, it is shrunk and moved into that screen.
  {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTest::qWait(50);
    QScreen* small = screenNamed(QStringLiteral("Small"));
    QCOMPARE(window.screen(), small);
    QVERIFY2(small->availableGeometry().contains(window.frameGeometry()),
             qPrintable(QStringLiteral("%1,%2 %3x%4")
                            .arg(window.frameGeometry().x())
                            .arg(window.frameGeometry().y())
                            .arg(window.frameGeometry().width())
                            .arg(window.frameGeometry().height())));
    window.setUnsavedChangesPrompt(discard);
  }
}

void TestWindowLayout::gettingStartedHintIsDismissedForGood() {
  {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QWidget* hint = window.gettingStartedHint();
    QVERIFY(hint->isVisible());
    auto* gotIt = hint->findChild<QPushButton*>(QStringLiteral("gettingStartedDismiss"));
    QVERIFY(gotIt);
    QTest::mouseClick(gotIt, Qt::LeftButton);
    QVERIFY(!hint->isVisible());
  }
  MainWindow again;
  again.show();
  QVERIFY(QTest::qWaitForWindowExposed(&again));
  QVERIFY(!again.gettingStartedHint()->isVisible());
  // Help > Getting started still shows the steps.
  QAction* help = again.findChild<QAction*>(QStringLiteral("gettingStartedAction"));
  QVERIFY(help);
  help->trigger();
  QTRY_VERIFY(again.findChild<QWidget*>(QStringLiteral("gettingStartedBox")) != nullptr);
  QVERIFY(again.findChild<QWidget*>(QStringLiteral("gettingStartedBox"))->isVisible());
}

// Screens side by side: 1280x720, 1366x768, a 200% screen of 2560x1440 pixels (1280x720 logical)
// and a 1920x1200 one. Set before QApplication reads them.
int main(int argc, char** argv) {
  const OffscreenScreens screens(
      {{"Small", 1280, 720}, {"Laptop", 1366, 768}, {"Dense", 2560, 1440}, {"Big", 1920, 1200}},
      "Small=1;Laptop=1;Dense=2;Big=1");
  QApplication app(argc, argv);
  TestWindowLayout test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_WindowLayout.moc"
