// Tests of the "Diagram" tab (ui/DiagramPanel.h): the options re-render the live picture, the
// picture follows the pixel density of the screen the window is on, the export dpi sets the PNG's
// size, saveTo writes PNG and SVG, and the export dialog gives a bare name the selected filter's
// suffix. Headless: the offscreen platform with two screens, the second at twice the pixel density
// (see main() below).

#include "AppSettings.h"
#include "DiagramPanel.h"
#include "OffscreenScreens.h"
#include "QuietOffscreen.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QWindow>
#include <QXmlStreamReader>

using namespace dl;

namespace {

// What an SVG file says: whether it parses, and all its text.
struct SvgText {
  bool ok = false;
  QString text;
};

SvgText readSvg(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  QXmlStreamReader xml(&f);
  SvgText out;
  bool sawSvg = false;
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isStartElement() && xml.name() == QLatin1String("svg")) sawSvg = true;
    if (xml.isCharacters()) out.text += xml.text();
  }
  out.ok = sawSvg && !xml.hasError();
  return out;
}

// The offscreen platform also warns each time a dialog opens that it cannot raise a window or
// grab the keyboard; dropped like quietOffscreen()'s message, everything else passed on.
QtMessageHandler g_previous = nullptr;

void quietDialogsHandler(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  if (message.contains(QLatin1String("does not support raise()")) ||
      message.contains(QLatin1String("does not support grabbing the keyboard")))
    return;
  if (g_previous) g_previous(type, context, message);
}

void quietDialogs() { g_previous = qInstallMessageHandler(quietDialogsHandler); }

}  // namespace

class TestDiagramPanel : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    quietOffscreen();
    quietDialogs();
  }
  void init() {
    m_panel = std::make_unique<DiagramPanel>();
    m_panel->setSpec(presetMlp());
  }
  void cleanup() { m_panel.reset(); }

  void everyOptionRendersThePictureAgain();
  void emptyModelShowsAHint();
  void pictureIsRenderedAtTheScreensPixelDensity();
  void pictureFollowsTheWindowToADenserScreen();
  void exportDpiSetsThePngSize();
  void saveToWritesPngAndSvg();
  void bareNameGetsTheFiltersSuffix();
  void exportDialogAppendsTheSelectedFiltersSuffix();
  void toolbarFitsA560PxWideTab();
  void everyControlHasATooltip();
  void exportStartsInTheLastFolderRemembersItAndSaysWhatItWrote();

 private:
  QLabel* canvas() const { return m_panel->findChild<QLabel*>(QStringLiteral("diagramCanvas")); }
  QImage picture() const { return canvas()->pixmap().toImage(); }
  template <class T>
  T* child(const char* name) const {
    return m_panel->findChild<T*>(QLatin1String(name));
  }
  // Runs the export dialog: picks filter `filter` (0 PNG, 1 SVG) with the keyboard, types `name`
  // and presses Enter.
  void exportAs(int filter, const QString& name);

  std::unique_ptr<DiagramPanel> m_panel;
  QString m_expectedStartFolder;  // when set, exportAs() checks the dialog opens there
};

void TestDiagramPanel::everyOptionRendersThePictureAgain() {
  QImage before = picture();
  QVERIFY(!before.isNull());
  const QSize all = before.size();

  // Each control: a new picture, different from the one before.
  child<QCheckBox>("diagramShapes")->setChecked(false);
  QImage now = picture();
  QVERIFY(now.height() < all.height());  // the table's two rows are gone
  QVERIFY(!m_panel->options().showShapes);
  before = now;

  child<QCheckBox>("diagramNames")->setChecked(false);
  now = picture();
  QVERIFY(now != before);  // "Dense" instead of "dense: Dense"
  QVERIFY(!m_panel->options().showLayerNames);
  before = now;

  child<QCheckBox>("diagramActivations")->setChecked(false);
  now = picture();
  QVERIFY(now.height() < before.height());
  before = now;

  child<QCheckBox>("diagramParams")->setChecked(false);
  now = picture();
  QVERIFY(now.height() < before.height());
  before = now;

  child<QComboBox>("diagramDirection")->setCurrentIndex(1);
  now = picture();
  QVERIFY(now.width() > 3 * now.height());  // left to right
  QCOMPARE(m_panel->options().rankdir, RankDir::LeftToRight);

  // And back: the very picture of the start.
  child<QComboBox>("diagramDirection")->setCurrentIndex(0);
  for (const char* box : {"diagramShapes", "diagramNames", "diagramActivations", "diagramParams"})
    child<QCheckBox>(box)->setChecked(true);
  QCOMPARE(picture().size(), all);

  // A new model: a new picture.
  m_panel->setSpec(presetCnn());
  QVERIFY(picture().height() > all.height());
}

void TestDiagramPanel::emptyModelShowsAHint() {
  m_panel->setSpec(ModelSpec{});
  QVERIFY(canvas()->pixmap().isNull());
  QVERIFY(canvas()->text().contains(QLatin1String("Add layers")));
}

void TestDiagramPanel::pictureIsRenderedAtTheScreensPixelDensity() {
  const QPixmap pixmap = canvas()->pixmap();
  QCOMPARE(pixmap.devicePixelRatio(), m_panel->devicePixelRatioF());
  DiagramOptions o = m_panel->options();
  o.dpi = int(96 * m_panel->devicePixelRatioF());
  QCOMPARE(pixmap.size(), renderDiagram(presetMlp(), o).size());
}

void TestDiagramPanel::pictureFollowsTheWindowToADenserScreen() {
  QScreen* normal = nullptr;
  QScreen* dense = nullptr;
  for (QScreen* s : QGuiApplication::screens()) (s->devicePixelRatio() > 1.5 ? dense : normal) = s;
  if (!normal || !dense) QSKIP("needs two offscreen screens, one at twice the pixel density (see main())");
  m_panel->show();
  QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
  QWindow* window = m_panel->windowHandle();
  QVERIFY(window);
  window->setScreen(normal);
  QTRY_COMPARE(canvas()->pixmap().devicePixelRatio(), 1.0);
  const QSize logical = canvas()->pixmap().deviceIndependentSize().toSize();

  window->setScreen(dense);
  QTRY_COMPARE(canvas()->pixmap().devicePixelRatio(), 2.0);
  // Twice the pixels, the same size on screen.
  QCOMPARE(canvas()->pixmap().deviceIndependentSize().toSize(), logical);
  QVERIFY(std::abs(canvas()->pixmap().width() - 2 * logical.width()) <= 1);

  window->setScreen(normal);
  QTRY_COMPARE(canvas()->pixmap().devicePixelRatio(), 1.0);
  QCOMPARE(canvas()->pixmap().size(), logical);
}

void TestDiagramPanel::exportDpiSetsThePngSize() {
  auto* dpi = child<QSpinBox>("diagramDpi");
  QVERIFY(dpi);
  QCOMPARE(dpi->value(), 200);
  QCOMPARE(dpi->minimum(), 72);
  QCOMPARE(dpi->maximum(), 600);
  QCOMPARE(m_panel->exportDpi(), 200);

  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  QSize sizes[2];
  const int dpis[2] = {96, 300};
  for (int i = 0; i < 2; ++i) {
    dpi->setValue(dpis[i]);
    QCOMPARE(m_panel->options().dpi, dpis[i]);
    const QString path = dir.filePath(QStringLiteral("mlp%1.png").arg(dpis[i]));
    QString error;
    QVERIFY2(m_panel->saveTo(path, &error), qPrintable(error));
    const QImage image(path);
    QVERIFY(!image.isNull());
    QVERIFY(std::abs(image.dotsPerMeterX() * 0.0254 - dpis[i]) < 1);
    sizes[i] = image.size();
  }
  // 300 / 96 times as large, to within a pixel or two.
  QVERIFY2(std::abs(sizes[1].width() - sizes[0].width() * 300.0 / 96) <= 2,
           qPrintable(QString::number(sizes[1].width())));
  QVERIFY2(std::abs(sizes[1].height() - sizes[0].height() * 300.0 / 96) <= 2,
           qPrintable(QString::number(sizes[1].height())));
  // The on-screen picture does not follow the export dpi.
  QCOMPARE(canvas()->pixmap().devicePixelRatio(), m_panel->devicePixelRatioF());
}

void TestDiagramPanel::saveToWritesPngAndSvg() {
  m_panel->setSpec(presetCnn());
  QTemporaryDir dir;
  QString error;
  const QString png = dir.filePath(QStringLiteral("cnn.png"));
  QVERIFY2(m_panel->saveTo(png, &error), qPrintable(error));
  const QImage image(png);
  QVERIFY(!image.isNull());
  QCOMPARE(image.size(), layoutDiagram(presetCnn(), m_panel->options()).size.toSize());

  const QString svg = dir.filePath(QStringLiteral("cnn.svg"));
  QVERIFY2(m_panel->saveTo(svg, &error), qPrintable(error));
  const SvgText text = readSvg(svg);
  QVERIFY(text.ok);
  for (const char* piece : {"conv2d", "conv2d_1", "max_pooling2d_1", "flatten", "dropout", "dense_1", ": Conv2D",
                            ": MaxPooling2D", ": Dense", "Input shape", "Output shape", "(None, 28, 28, 1)"})
    QVERIFY2(text.text.contains(QLatin1String(piece)), piece);

  // The dpi changes the PNG only.
  QFile first(svg);
  QVERIFY(first.open(QIODevice::ReadOnly));
  const QByteArray at200 = first.readAll();
  m_panel->setExportDpi(96);
  QVERIFY(m_panel->saveTo(svg, &error));
  QFile second(svg);
  QVERIFY(second.open(QIODevice::ReadOnly));
  QCOMPARE(second.readAll(), at200);

  QVERIFY(!m_panel->saveTo(dir.filePath(QStringLiteral("cnn.doc")), &error));
  QVERIFY(error.contains(QLatin1String("cnn.doc")));
}

void TestDiagramPanel::bareNameGetsTheFiltersSuffix() {
  const QString png = QStringLiteral("PNG image (*.png)"), svg = QStringLiteral("SVG drawing (*.svg)");
  QCOMPARE(DiagramPanel::withFilterSuffix(QStringLiteral("/tmp/foo"), svg), QStringLiteral("/tmp/foo.svg"));
  QCOMPARE(DiagramPanel::withFilterSuffix(QStringLiteral("/tmp/foo"), png), QStringLiteral("/tmp/foo.png"));
  QCOMPARE(DiagramPanel::withFilterSuffix(QStringLiteral("/tmp/foo."), svg), QStringLiteral("/tmp/foo.svg"));
  // A suffix DigitLab writes is kept, whatever the filter.
  QCOMPARE(DiagramPanel::withFilterSuffix(QStringLiteral("/tmp/foo.svg"), png), QStringLiteral("/tmp/foo.svg"));
  QCOMPARE(DiagramPanel::withFilterSuffix(QStringLiteral("/tmp/foo.PNG"), svg), QStringLiteral("/tmp/foo.PNG"));
  // A dot that is part of the name is not a format.
  QCOMPARE(DiagramPanel::withFilterSuffix(QStringLiteral("/tmp/cnn.v2"), png), QStringLiteral("/tmp/cnn.v2.png"));
  QCOMPARE(DiagramPanel::withFilterSuffix(QStringLiteral("/tmp/my.dir/foo"), svg),
           QStringLiteral("/tmp/my.dir/foo.svg"));
}

void TestDiagramPanel::exportAs(int filter, const QString& name) {
  // Driven from a timer inside the dialogs' event loops; whatever goes wrong, every dialog is
  // closed so that exportDiagram() returns (an export that fails shows a message box).
  QString problem = QStringLiteral("the export dialog never opened");
  bool typed = false;
  QTimer poll;
  poll.setInterval(20);
  connect(&poll, &QTimer::timeout, this, [&] {
    QWidget* modal = QApplication::activeModalWidget();
    if (!modal || !modal->isVisible()) return;
    if (auto* box = qobject_cast<QMessageBox*>(modal)) {
      problem = QStringLiteral("the export failed: ") + box->text();
      box->reject();
      return;
    }
    auto* dialog = qobject_cast<QFileDialog*>(modal);
    auto* types = dialog ? dialog->findChild<QComboBox*>(QStringLiteral("fileTypeCombo")) : nullptr;
    auto* edit = dialog ? dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit")) : nullptr;
    if (typed || !dialog || dialog->objectName() != QLatin1String("diagramExportDialog") || !types || !edit ||
        types->count() != 2) {
      problem = QStringLiteral("an unexpected dialog: ") + modal->windowTitle();
      modal->close();
      return;
    }
    if (!m_expectedStartFolder.isEmpty() &&
        QDir(dialog->directory()).canonicalPath() != QDir(m_expectedStartFolder).canonicalPath()) {
      problem = QStringLiteral("the dialog opened in ") + dialog->directory().path();
      modal->close();
      return;
    }
    typed = true;
    types->setFocus();
    QTest::keyClick(types, filter == 1 ? Qt::Key_Down : Qt::Key_Up);  // as a user picks it
    edit->setFocus();
    edit->setText(name);  // not typed: the path completer's popup would take the Return
    QTest::keyClick(edit, Qt::Key_Return);
    problem.clear();
  });
  poll.start();
  m_panel->exportDiagram();
  QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestDiagramPanel::exportDialogAppendsTheSelectedFiltersSuffix() {
  QTemporaryDir dir;
  exportAs(1, dir.filePath(QStringLiteral("foo")));
  QVERIFY(QFile::exists(dir.filePath(QStringLiteral("foo.svg"))));
  QVERIFY(readSvg(dir.filePath(QStringLiteral("foo.svg"))).ok);
  QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("foo"))));

  exportAs(0, dir.filePath(QStringLiteral("bar")));
  QVERIFY(!QImage(dir.filePath(QStringLiteral("bar.png"))).isNull());
}

// Every button, box and list of the toolbar lies inside the panel at 560 px wide, at no less than
// its size hint's width (no text cut), Export included.
void TestDiagramPanel::toolbarFitsA560PxWideTab() {
  m_panel->resize(560, 440);
  m_panel->show();
  QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
  QCoreApplication::processEvents();
  QList<QWidget*> controls;
  for (QAbstractButton* b : m_panel->findChildren<QAbstractButton*>()) controls << b;
  for (QComboBox* c : m_panel->findChildren<QComboBox*>()) controls << c;
  for (QSpinBox* s : m_panel->findChildren<QSpinBox*>()) controls << s;
  QCOMPARE(controls.size(), 7);  // 4 options, Export, direction, dpi
  QVERIFY(child<QPushButton>("diagramExport"));
  for (QWidget* w : std::as_const(controls)) {
    const QRect r(w->mapTo(m_panel.get(), QPoint(0, 0)), w->size());
    QVERIFY2(w->isVisible(), qPrintable(w->objectName()));
    QVERIFY2(m_panel->rect().contains(r), qPrintable(w->objectName()));
    QVERIFY2(w->width() >= w->sizeHint().width(), qPrintable(w->objectName()));
  }
  const QString dir = qEnvironmentVariable("DIGITLAB_SCREENSHOT_DIR");
  if (!dir.isEmpty()) QVERIFY(m_panel->grab().save(QDir(dir).filePath(QStringLiteral("diagram_560x440.png"))));
}

void TestDiagramPanel::everyControlHasATooltip() {
  for (QWidget* w : m_panel->findChildren<QWidget*>()) {
    if (qobject_cast<QAbstractButton*>(w) || qobject_cast<QComboBox*>(w) || qobject_cast<QSpinBox*>(w))
      QVERIFY2(!w->toolTip().isEmpty(), qPrintable(w->objectName()));
  }
}

void TestDiagramPanel::exportStartsInTheLastFolderRemembersItAndSaysWhatItWrote() {
  QTemporaryDir start, other;
  dl::settings::rememberFolder(start.path());
  QSignalSpy spy(m_panel.get(), &DiagramPanel::message);
  m_expectedStartFolder = start.path();
  const QString path = other.filePath(QStringLiteral("model.png"));
  exportAs(0, path);
  m_expectedStartFolder.clear();
  const QImage written(path);
  QVERIFY(!written.isNull());
  QCOMPARE(QDir(dl::settings::lastFolder()).canonicalPath(), QDir(other.path()).canonicalPath());
  QCOMPARE(spy.count(), 1);
  QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("Wrote %1 (%2x%3 px, %4 dpi)")
                                           .arg(QDir::toNativeSeparators(path))
                                           .arg(written.width())
                                           .arg(written.height())
                                           .arg(DiagramPanel::kDefaultExportDpi));

  // The next export starts where this one went.
  m_expectedStartFolder = other.path();
  exportAs(1, other.filePath(QStringLiteral("model.svg")));
  m_expectedStartFolder.clear();
  QCOMPARE(spy.count(), 2);
  QVERIFY(spy.at(1).at(0).toString().startsWith(QStringLiteral("Wrote ") +
                                                QDir::toNativeSeparators(other.filePath(QStringLiteral("model.svg")))));
}

// Two offscreen screens side by side, the second at twice the pixel density, so that a test can
// move the window from one to the other. Set before QApplication reads them.
int main(int argc, char** argv) {
  const OffscreenScreens screens({{"Normal", 1280, 1024}, {"Dense", 1280, 1024}}, "Normal=1;Dense=2");
  QApplication app(argc, argv);
  TestDiagramPanel test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_DiagramPanel.moc"
