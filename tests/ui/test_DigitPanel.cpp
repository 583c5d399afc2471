// Tests of the "draw a digit" panel (ui/DigitPanel.h) and its canvas (ui/DrawingCanvas.h), driven
// like a user: QTest mouse strokes on the canvas, button clicks. Headless (offscreen platform).

#include "AppSettings.h"
#include "DigitPanel.h"
#include "DrawingCanvas.h"
#include "QuietOffscreen.h"
#include "nn/Model.h"

#include <QApplication>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPainter>
#include <QPointingDevice>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabletEvent>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>

#include <cmath>
#include <memory>
#include <numeric>

using namespace dl;

namespace {

constexpr int kSide = DigitInput::kSide;

// Presses at the first point, moves through the rest, releases at the last (canvas coordinates
// as fractions of the drawing square).
void drawStroke(DrawingCanvas* canvas, const QList<QPointF>& unitPoints) {
  const QRect r = canvas->canvasRect();
  auto at = [&](QPointF u) { return (QPointF(r.topLeft()) + u * r.width()).toPoint(); };
  QTest::mousePress(canvas, Qt::LeftButton, {}, at(unitPoints.first()));
  for (qsizetype i = 1; i < unitPoints.size(); ++i) QTest::mouseMove(canvas, at(unitPoints[i]));
  QTest::mouseRelease(canvas, Qt::LeftButton, {}, at(unitPoints.last()));
}

QList<QPointF> verticalStroke(qreal x = 0.35, qreal y0 = 0.15, qreal y1 = 0.85, int steps = 12) {
  QList<QPointF> pts;
  for (int i = 0; i <= steps; ++i) pts << QPointF(x, y0 + (y1 - y0) * i / steps);
  return pts;
}

int inkPixels(const QImage& img) {
  int n = 0;
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) n += qGray(img.pixel(x, y)) < 128;
  return n;
}

QPointF centreOfMass(const DigitInput& d) {
  double m = 0, cx = 0, cy = 0;
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) {
      const double v = d.pixels[y * kSide + x];
      m += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  return m > 0 ? QPointF(cx / m, cy / m) : QPointF(-1, -1);
}

int inkHeight(const DigitInput& d) {
  int top = kSide, bottom = -1;
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x)
      if (d.pixels[y * kSide + x] > 0) {
        top = std::min(top, y);
        bottom = std::max(bottom, y);
      }
  return bottom - top + 1;
}

std::vector<Matrix> weightsOf(const ModelSpec& spec, uint64_t seed) { return Model(spec, seed).weights(); }

// Three 28x28 "digits" (bars in different places), labelled 1, 7 and 4.
Dataset tinyTestSet() {
  Dataset d;
  d.count = 3;
  d.images.assign(static_cast<size_t>(3 * kSide * kSide), 0.f);
  d.labels = {1, 7, 4};
  for (int i = 0; i < 3; ++i)
    for (int y = 4; y < 24; ++y)
      for (int x = 12 + i; x < 15 + i; ++x) d.images[static_cast<size_t>(i * kSide * kSide + y * kSide + x)] = 1.f;
  return d;
}

// A white-on-black bar, as an MNIST digit looks, written as `name` in `dir`.
QString writeDigitImage(const QTemporaryDir& dir, const QString& name) {
  QImage img(120, 90, QImage::Format_RGB32);
  img.fill(Qt::black);
  QPainter(&img).fillRect(QRect(50, 10, 12, 70), Qt::white);
  const QString path = dir.filePath(name);
  return img.save(path) ? path : QString();
}

QMimeData* urlsOf(const QStringList& paths) {
  auto* mime = new QMimeData;
  QList<QUrl> urls;
  for (const QString& p : paths) urls << QUrl::fromLocalFile(p);
  mime->setUrls(urls);
  return mime;
}

// Sends a drag enter then (if accepted) a drop of `mime` at `pos` on `target`, as a window does.
// Returns whether the drag enter was accepted.
bool dragAndDrop(QWidget* target, QPoint pos, QMimeData* mime) {
  QDragEnterEvent enter(pos, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &enter);
  if (!enter.isAccepted()) return false;
  QDropEvent drop(QPointF(pos), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &drop);
  return drop.isAccepted();
}

// `w`'s rectangle in `panel`'s coordinates.
QRect rectIn(const QWidget* panel, const QWidget* w) { return QRect(w->mapTo(panel, QPoint(0, 0)), w->size()); }

}  // namespace

class TestDigitPanel : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    quietOffscreen();
  }

  // The canvas no longer insists on 280 px (it lives in a narrow column now): it is square at any
  // size of at least kMinimumSide.
  void canvasIsSquareAndBackedAtThePixelRatio() {
    DrawingCanvas canvas;
    canvas.resize(400, 320);
    canvas.show();
    QVERIFY(QTest::qWaitForWindowExposed(&canvas));
    QVERIFY(canvas.minimumWidth() >= DrawingCanvas::kMinimumSide);
    QVERIFY(canvas.minimumHeight() >= DrawingCanvas::kMinimumSide);
    QCOMPARE(canvas.canvasRect().width(), canvas.canvasRect().height());
    QCOMPARE(canvas.side(), 320);
    QCOMPARE(canvas.image().size(), QSize(320, 320) * canvas.devicePixelRatioF());
    QCOMPARE(canvas.image().devicePixelRatio(), canvas.devicePixelRatioF());
    QVERIFY(canvas.isEmpty());
    QCOMPARE(inkPixels(canvas.image()), 0);
  }

  void verticalStrokeGivesACentredInputAndAPrediction() {
    DigitPanel panel;
    panel.setModel(presetMlp(), weightsOf(presetMlp(), 7));
    panel.resize(900, 520);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy spy(&panel, &DigitPanel::predictionChanged);

    drawStroke(panel.canvas(), verticalStroke());
    QVERIFY(inkPixels(panel.canvas()->image()) > 1000);
    QCOMPARE(panel.canvas()->strokeCount(), 1);

    const DigitInput& in = panel.currentDigit();
    QVERIFY(!in.empty);
    QCOMPARE(inkHeight(in), DigitInput::kBox);
    const QPointF com = centreOfMass(in);
    QVERIFY2(std::abs(com.x() - 14) <= 0.5 && std::abs(com.y() - 14) <= 0.5,
             qPrintable(QStringLiteral("centre of mass %1,%2").arg(com.x()).arg(com.y())));
    QCOMPARE(panel.currentInput().size(), QSize(kSide, kSide));

    // Live: one prediction per stroke update (press and every move).
    QVERIFY(spy.count() >= 12);
    const QList<QVariant> last = spy.last();
    const int digit = last.at(0).toInt();
    const auto probs = last.at(1).value<QList<float>>();
    QCOMPARE(probs.size(), 10);
    QVERIFY(digit >= 0 && digit < 10);
    QCOMPARE(digit, static_cast<int>(std::max_element(probs.begin(), probs.end()) - probs.begin()));
    const double sum = std::accumulate(probs.begin(), probs.end(), 0.0);
    QVERIFY(std::abs(sum - 1.0) < 1e-4);
    for (float p : probs) QVERIFY(p >= 0.f && p <= 1.f);
    QCOMPARE(panel.predictedClass(), digit);

    auto* top = panel.findChild<QLabel*>(QStringLiteral("topClassLabel"));
    QVERIFY(top && top->isVisible());
    QCOMPARE(top->text(), QString::number(digit));
  }

  void predictionUsesTheGivenWeights() {
    DigitPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    drawStroke(panel.canvas(), verticalStroke());
    drawStroke(panel.canvas(), {{0.2, 0.2}, {0.5, 0.3}, {0.8, 0.2}});
    for (uint64_t seed : {3u, 11u}) {
      Model reference(presetMlp(), seed);
      panel.setModel(presetMlp(), reference.weights());  // same architecture: weights copied in
      const Matrix expected = reference.predict(panel.currentDigit().pixels.data(), 1);
      const QList<float> probs = panel.probabilities();
      QCOMPARE(probs.size(), 10);
      for (int c = 0; c < 10; ++c) QVERIFY(std::abs(probs[c] - expected(0, c)) < 1e-6f);
    }
    // Another architecture is rebuilt.
    Model cnn(presetCnn(), 5);
    panel.setModel(presetCnn(), cnn.weights());
    const Matrix expected = cnn.predict(panel.currentDigit().pixels.data(), 1);
    QCOMPARE(panel.probabilities().size(), 10);
    for (int c = 0; c < 10; ++c) QVERIFY(std::abs(panel.probabilities()[c] - expected(0, c)) < 1e-5f);
  }

  void undoRemovesTheLastStroke() {
    DigitPanel panel;
    panel.setModel(presetMlp(), weightsOf(presetMlp(), 7));
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto* undo = panel.findChild<QPushButton*>(QStringLiteral("undoButton"));
    QVERIFY(undo);
    QVERIFY(!undo->isEnabled());

    drawStroke(panel.canvas(), verticalStroke());
    const QImage afterFirst = panel.canvas()->image();
    const QImage inputAfterFirst = panel.currentInput();
    drawStroke(panel.canvas(), {{0.2, 0.5}, {0.5, 0.5}, {0.8, 0.5}});
    QCOMPARE(panel.canvas()->strokeCount(), 2);
    QVERIFY(panel.canvas()->image() != afterFirst);
    QVERIFY(undo->isEnabled());

    QSignalSpy spy(&panel, &DigitPanel::predictionChanged);
    QTest::mouseClick(undo, Qt::LeftButton);
    QCOMPARE(panel.canvas()->strokeCount(), 1);
    QCOMPARE(panel.canvas()->image(), afterFirst);  // re-rendered exactly as drawn
    QCOMPARE(panel.currentInput(), inputAfterFirst);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.last().at(1).value<QList<float>>().size(), 10);

    QTest::mouseClick(undo, Qt::LeftButton);
    QVERIFY(panel.canvas()->isEmpty());
    QVERIFY(!undo->isEnabled());
    QCOMPARE(spy.last().at(0).toInt(), -1);
  }

  void keyboardUndoesAndClearsOnTheCanvas() {
    DigitPanel panel;
    panel.setModel(presetMlp(), weightsOf(presetMlp(), 7));
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    drawStroke(panel.canvas(), verticalStroke());
    drawStroke(panel.canvas(), {{0.2, 0.5}, {0.5, 0.5}, {0.8, 0.5}});
    QCOMPARE(panel.canvas()->strokeCount(), 2);
    QCOMPARE(panel.canvas()->focusPolicy(), Qt::StrongFocus);
    QTest::keyClick(panel.canvas(), Qt::Key_Backspace);
    QCOMPARE(panel.canvas()->strokeCount(), 1);
    QTest::keyClick(panel.canvas(), Qt::Key_Backspace, Qt::ControlModifier);  // not ours: ignored
    QCOMPARE(panel.canvas()->strokeCount(), 1);
    QTest::keyClick(panel.canvas(), Qt::Key_Delete);
    QVERIFY(panel.canvas()->isEmpty());
    QCOMPARE(panel.predictedClass(), -1);
  }

  void clearEmptiesTheCanvasAndClearsThePrediction() {
    DigitPanel panel;
    panel.setModel(presetMlp(), weightsOf(presetMlp(), 7));
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    drawStroke(panel.canvas(), verticalStroke());
    QVERIFY(panel.predictedClass() >= 0);

    QSignalSpy spy(&panel, &DigitPanel::predictionChanged);
    QTest::mouseClick(panel.findChild<QPushButton*>(QStringLiteral("clearButton")), Qt::LeftButton);
    QVERIFY(panel.canvas()->isEmpty());
    QCOMPARE(inkPixels(panel.canvas()->image()), 0);
    QVERIFY(panel.currentDigit().empty);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.last().at(0).toInt(), -1);
    QVERIFY(spy.last().at(1).value<QList<float>>().isEmpty());
    QCOMPARE(panel.predictedClass(), -1);
    QVERIFY(panel.probabilities().isEmpty());
  }

  void withoutAModelThePanelSaysSo() {
    DigitPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy spy(&panel, &DigitPanel::predictionChanged);
    drawStroke(panel.canvas(), verticalStroke());
    QVERIFY(spy.count() > 0);
    QCOMPARE(spy.last().at(0).toInt(), -1);
    QVERIFY(!panel.currentDigit().empty);  // the input is still shown
    auto* message = panel.findChild<QLabel*>(QStringLiteral("predictionMessage"));
    QVERIFY(message && message->isVisible());
    QVERIFY(message->text().contains(QStringLiteral("Train or load a model")));

    panel.setModel(presetMlp(), weightsOf(presetMlp(), 2));  // predicts the digit already drawn
    QCOMPARE(spy.last().at(1).value<QList<float>>().size(), 10);
    QVERIFY(!message->isVisible());

    panel.clearModel();
    QCOMPARE(spy.last().at(0).toInt(), -1);
    QVERIFY(!panel.hasModel());
    QVERIFY(message->text().contains(QStringLiteral("Train or load a model")));
  }

  void mismatchedWeightsLeaveNoModel() {
    DigitPanel panel;
    panel.setModel(presetMlp(), weightsOf(presetCnn(), 1));
    QVERIFY(!panel.hasModel());
    auto* message = panel.findChild<QLabel*>(QStringLiteral("predictionMessage"));
    QVERIFY(message->text().contains(QStringLiteral("cannot be used")));
    panel.setModel(presetMlp(), weightsOf(presetMlp(), 1));
    QVERIFY(panel.hasModel());
  }

  void randomTestDigitShowsADigitWithItsTrueLabel() {
    DigitPanel panel;
    panel.setModel(presetMlp(), weightsOf(presetMlp(), 7));
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto* random = panel.findChild<QPushButton*>(QStringLiteral("randomTestDigitButton"));
    QVERIFY(random);
    QVERIFY(!random->isEnabled());

    const Dataset test = tinyTestSet();
    const std::vector<std::string> names = {"zero", "one", "two",   "three", "four",
                                            "five", "six", "seven", "eight", "nine"};
    panel.setTestData(test, names);
    QVERIFY(random->isEnabled());
    QSignalSpy spy(&panel, &DigitPanel::predictionChanged);
    QTest::mouseClick(random, Qt::LeftButton);

    const int index = panel.testIndex();
    QVERIFY(index >= 0 && index < test.count);
    QVERIFY(!panel.canvas()->isEmpty());
    QVERIFY(inkPixels(panel.canvas()->image()) > 1000);
    // The network gets the test sample exactly.
    for (int i = 0; i < kSide * kSide; ++i) QCOMPARE(panel.currentDigit().pixels[i], test.image(index)[i]);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.last().at(1).value<QList<float>>().size(), 10);
    auto* truth = panel.findChild<QLabel*>(QStringLiteral("trueLabel"));
    QVERIFY(truth && truth->isVisible());
    QVERIFY(truth->text().contains(QString::fromStdString(names[test.labels[index]])));
    QCOMPARE(panel.classNames().at(7), QStringLiteral("seven"));

    // Drawing over it makes it the user's digit again.
    drawStroke(panel.canvas(), {{0.1, 0.1}, {0.2, 0.1}});
    QCOMPARE(panel.testIndex(), -1);
    QVERIFY(!truth->isVisible());
  }

  void loadImageShowsTheFileAsTheDigit() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QImage img(120, 90, QImage::Format_RGB32);
    img.fill(Qt::black);  // MNIST-style white ink on black: the canvas inverts it
    QPainter(&img).fillRect(QRect(50, 10, 12, 70), Qt::white);
    const QString path = dir.filePath(QStringLiteral("digit.png"));
    QVERIFY(img.save(path));

    DigitPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY(panel.loadImage(path));
    QVERIFY(!panel.canvas()->isEmpty());
    QVERIFY(inkPixels(panel.canvas()->image()) > 500);
    QCOMPARE(qGray(panel.canvas()->image().pixel(2, 2)), 255);  // paper stays white
    QCOMPARE(inkHeight(panel.currentDigit()), DigitInput::kBox);
    const QPointF com = centreOfMass(panel.currentDigit());
    QVERIFY(std::abs(com.x() - 14) <= 0.5 && std::abs(com.y() - 14) <= 0.5);

    QVERIFY(!panel.loadImage(dir.filePath(QStringLiteral("missing.png"))));
    QVERIFY(
        panel.findChild<QLabel*>(QStringLiteral("predictionMessage"))->text().contains(QStringLiteral("missing.png")));
  }

  void tabletPenDrawsLikeTheMouse() {
    DrawingCanvas canvas;
    canvas.resize(280, 280);
    canvas.show();
    QVERIFY(QTest::qWaitForWindowExposed(&canvas));
    QSignalSpy spy(&canvas, &DrawingCanvas::imageChanged);
    const QPointingDevice pen(QStringLiteral("test pen"), 4242, QInputDevice::DeviceType::Stylus,
                              QPointingDevice::PointerType::Pen,
                              QInputDevice::Capability::Position | QInputDevice::Capability::Pressure, 1, 2);
    auto send = [&](QEvent::Type type, QPointF pos, Qt::MouseButtons buttons) {
      QTabletEvent e(type, &pen, pos, canvas.mapToGlobal(pos), 0.8, 0, 0, 0, 0, 0, Qt::NoModifier, Qt::LeftButton,
                     buttons);
      QApplication::sendEvent(&canvas, &e);
      return e.isAccepted();
    };
    QVERIFY(send(QEvent::TabletPress, {140, 40}, Qt::LeftButton));
    for (int y = 60; y <= 240; y += 20) QVERIFY(send(QEvent::TabletMove, {140.0, qreal(y)}, Qt::LeftButton));
    QVERIFY(send(QEvent::TabletRelease, {140, 240}, Qt::NoButton));
    // Hovering after the release draws nothing.
    QVERIFY(send(QEvent::TabletMove, {40, 40}, Qt::NoButton));

    QCOMPARE(canvas.strokeCount(), 1);
    QCOMPARE(spy.count(), 11);  // press + 10 moves (the release adds no new point)
    const DigitInput d = preprocessDigit(canvas.image());
    QCOMPARE(inkHeight(d), DigitInput::kBox);
    QCOMPARE(qGray(canvas.image().pixel(40, 40)), 255);
  }

  void resizingKeepsTheStrokes() {
    DrawingCanvas canvas;
    canvas.resize(280, 280);
    canvas.show();
    QVERIFY(QTest::qWaitForWindowExposed(&canvas));
    drawStroke(&canvas, verticalStroke());
    const DigitInput before = preprocessDigit(canvas.image());
    canvas.resize(560, 560);
    QCOMPARE(canvas.image().size(), QSize(560, 560) * canvas.devicePixelRatioF());
    QCOMPARE(canvas.strokeCount(), 1);
    const DigitInput after = preprocessDigit(canvas.image());
    QCOMPARE(inkHeight(after), inkHeight(before));
    double diff = 0;
    for (int i = 0; i < kSide * kSide; ++i) diff += std::abs(after.pixels[i] - before.pixels[i]);
    QVERIFY2(diff < 20, qPrintable(QString::number(diff)));
  }

  // The panel fits a narrow dock: at 280x620 the canvas, every button (its whole text), the
  // answer and all ten class rows lie inside the panel at no less than their minimum sizes; the
  // canvas sits right above the buttons and grows with a taller, wider column.
  void columnFitsANarrowDock() {
    DigitPanel panel;
    QVERIFY2(panel.minimumSizeHint().width() <= 260, qPrintable(QString::number(panel.minimumSizeHint().width())));
    panel.setModel(presetMlp(), weightsOf(presetMlp(), 7));
    panel.setTestData(tinyTestSet());
    panel.resize(280, 620);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QTest::mouseClick(panel.findChild<QPushButton*>(QStringLiteral("randomTestDigitButton")), Qt::LeftButton);
    QCoreApplication::processEvents();
    QVERIFY(panel.predictedClass() >= 0);

    const QRect inside = panel.rect();
    auto* bars = panel.findChild<QWidget*>(QStringLiteral("probabilityBars"));
    auto* top = panel.findChild<QLabel*>(QStringLiteral("topClassLabel"));
    auto* sure = panel.findChild<QLabel*>(QStringLiteral("topProbabilityLabel"));
    auto* truth = panel.findChild<QLabel*>(QStringLiteral("trueLabel"));
    QVERIFY(bars && top && sure && truth);
    QVERIFY(sure->text().contains(QStringLiteral("% sure")));
    QList<QWidget*> shown{panel.canvas(), bars, top, sure, truth};
    int buttons = 0;
    for (QPushButton* b : panel.findChildren<QPushButton*>()) {
      if (!b->isVisibleTo(&panel)) continue;  // "Move aside": only for damaged my-digits files
      ++buttons;
      shown << b;
      QVERIFY2(b->width() >= b->sizeHint().width(), qPrintable(b->text()));  // the text is not cut
    }
    QCOMPARE(buttons, 5);  // Clear, Undo stroke, Open image…, Random test digit, Add to my digits
    for (QWidget* w : std::as_const(shown)) {
      QVERIFY2(w->isVisible(), qPrintable(w->objectName()));
      QVERIFY2(inside.contains(rectIn(&panel, w)), qPrintable(w->objectName()));
      QVERIFY2(w->height() >= w->minimumSizeHint().height(), qPrintable(w->objectName()));
    }
    QVERIFY(top->width() >= top->sizeHint().width());
    QVERIFY(sure->width() >= sure->sizeHint().width());
    QVERIFY(bars->height() >= bars->minimumSizeHint().height());  // a text line per class
    // The buttons right under the drawing square.
    const QRect square = panel.canvas()->canvasRect().translated(panel.canvas()->mapTo(&panel, QPoint(0, 0)));
    const int firstButtonTop = rectIn(&panel, panel.findChild<QPushButton*>(QStringLiteral("clearButton"))).top();
    QVERIFY2(firstButtonTop - square.bottom() < 16, qPrintable(QString::number(firstButtonTop - square.bottom())));
    const int smallSide = panel.canvas()->side();
    QVERIFY(smallSide >= DrawingCanvas::kMinimumSide);

    panel.resize(320, 900);
    QCoreApplication::processEvents();
    QVERIFY2(panel.canvas()->side() > smallSide, qPrintable(QString::number(panel.canvas()->side())));
    QVERIFY(panel.canvas()->side() >= 280);
    QVERIFY(panel.canvas()->height() <= panel.canvas()->width());  // no gap under the square

    // Fashion-MNIST's long names fit the column too.
    panel.setClassNames(
        {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"});
    QVERIFY2(panel.minimumSizeHint().width() <= 280, qPrintable(QString::number(panel.minimumSizeHint().width())));
  }

  // The panel as a person sees it in a dock of each size; with DIGITLAB_SCREENSHOT_DIR set the
  // pictures are saved there to be looked at.
  void columnRendersAtDockSizes() {
    DigitPanel panel;
    panel.setModel(presetMlp(), weightsOf(presetMlp(), 7));
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const QString dir = qEnvironmentVariable("DIGITLAB_SCREENSHOT_DIR");
    for (const QSize size : {QSize(260, 560), QSize(280, 620), QSize(320, 900), QSize(400, 1000)}) {
      panel.resize(size);
      QCoreApplication::processEvents();
      panel.canvas()->clear();
      drawStroke(panel.canvas(), verticalStroke(0.5, 0.12, 0.88));
      QVERIFY(panel.predictedClass() >= 0);
      const QPixmap shot = panel.grab();
      QCOMPARE(shot.size(), size * shot.devicePixelRatio());
      if (!dir.isEmpty())
        QVERIFY(shot.save(
            QDir(dir).filePath(QStringLiteral("digit_panel_%1x%2.png").arg(size.width()).arg(size.height()))));
    }
  }

  // Dropping an image file on the canvas (or anywhere on the panel) shows and predicts it as Open
  // image… does; a drag of anything but an image file is refused.
  void droppedImageFileIsPredicted() {
    QTemporaryDir dir;
    const QString png = writeDigitImage(dir, QStringLiteral("seven.png"));
    QVERIFY(!png.isEmpty());
    QFile text(dir.filePath(QStringLiteral("notes.txt")));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("not an image");
    text.close();

    DigitPanel panel;
    panel.setModel(presetMlp(), weightsOf(presetMlp(), 7));
    panel.resize(280, 620);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy spy(&panel, &DigitPanel::predictionChanged);

    const std::unique_ptr<QMimeData> notImage(urlsOf({text.fileName()}));
    QVERIFY(!dragAndDrop(panel.canvas(), panel.canvas()->rect().center(), notImage.get()));
    QVERIFY(!dragAndDrop(&panel, QPoint(5, 5), notImage.get()));
    QVERIFY(panel.canvas()->isEmpty());
    QCOMPARE(spy.count(), 0);

    const std::unique_ptr<QMimeData> image(urlsOf({text.fileName(), png}));  // the image among other files
    QVERIFY(dragAndDrop(panel.canvas(), panel.canvas()->rect().center(), image.get()));
    QVERIFY(!panel.canvas()->isEmpty());
    QCOMPARE(spy.count(), 1);
    QVERIFY(panel.predictedClass() >= 0);
    QCOMPARE(inkHeight(panel.currentDigit()), DigitInput::kBox);

    // Exactly what loadImage (Open image…) shows.
    DigitPanel reference;
    reference.setModel(presetMlp(), weightsOf(presetMlp(), 7));
    reference.resize(280, 620);
    reference.show();
    QVERIFY(QTest::qWaitForWindowExposed(&reference));
    QVERIFY(reference.loadImage(png));
    QCOMPARE(panel.currentInput(), reference.currentInput());
    QCOMPARE(panel.probabilities(), reference.probabilities());

    // On the panel beside the canvas.
    QTest::mouseClick(panel.findChild<QPushButton*>(QStringLiteral("clearButton")), Qt::LeftButton);
    QVERIFY(panel.canvas()->isEmpty());
    auto* bars = panel.findChild<QWidget*>(QStringLiteral("probabilityBars"));
    QVERIFY(dragAndDrop(&panel, bars->mapTo(&panel, QPoint(2, 2)), image.get()));
    QCOMPARE(panel.currentInput(), reference.currentInput());
  }

  void canvasListAndAnswerHaveAccessibleNamesAndButtonsTooltips() {
    DigitPanel panel;
    QCOMPARE(panel.canvas()->accessibleName(), QStringLiteral("Drawing canvas"));
    auto* bars = panel.findChild<QWidget*>(QStringLiteral("probabilityBars"));
    QCOMPARE(bars->accessibleName(), QStringLiteral("Class probabilities"));
    QVERIFY(!panel.findChild<QLabel*>(QStringLiteral("topClassLabel"))->accessibleName().isEmpty());
    QVERIFY(!panel.findChild<QLabel*>(QStringLiteral("topProbabilityLabel"))->accessibleName().isEmpty());
    for (QPushButton* b : panel.findChildren<QPushButton*>()) QVERIFY2(!b->toolTip().isEmpty(), qPrintable(b->text()));
    QVERIFY(!panel.canvas()->toolTip().isEmpty());
    QVERIFY(!bars->toolTip().isEmpty());
    // The list reads out every class with its probability.
    panel.setModel(presetMlp(), weightsOf(presetMlp(), 7));
    panel.resize(280, 620);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    drawStroke(panel.canvas(), verticalStroke());
    QVERIFY(bars->accessibleDescription().startsWith(QStringLiteral("0: ")));
    QCOMPARE(bars->accessibleDescription().count(QLatin1Char('%')), 10);
  }

  // Open image… starts in the last used folder and remembers the folder of the file chosen.
  void openImageStartsInTheLastFolderAndRemembersIt() {
    QTemporaryDir start, other;
    settings::rememberFolder(start.path());
    const QString png = writeDigitImage(other, QStringLiteral("digit.png"));
    DigitPanel panel;
    panel.resize(280, 620);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QString problem = QStringLiteral("no file dialog opened");
    QTimer poll;
    poll.setInterval(20);
    connect(&poll, &QTimer::timeout, this, [&] {
      auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
      if (!dialog || !dialog->isVisible()) return;
      poll.stop();
      auto* edit = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
      if (QDir(dialog->directory()).canonicalPath() != QDir(start.path()).canonicalPath() || !edit) {
        problem = QStringLiteral("the dialog opened in ") + dialog->directory().path();
        dialog->reject();
        return;
      }
      edit->setText(png);
      QTest::keyClick(edit, Qt::Key_Return);
      problem.clear();
    });
    poll.start();
    QTest::mouseClick(panel.findChild<QPushButton*>(QStringLiteral("openImageButton")), Qt::LeftButton);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(!panel.canvas()->isEmpty());
    QCOMPARE(QDir(settings::lastFolder()).canonicalPath(), QDir(other.path()).canonicalPath());
  }

  // Renders the panel after a stroke: the grab shows the stroke dark where it was drawn (down the
  // middle of the canvas) and the canvas white beside it. With DIGITLAB_DIGITPANEL_SHOT=<file.png>
  // set, saves it there (how docs/digit_panel.png is checked by eye).
  void grabRendersThePanel() {
    DigitPanel panel;
    panel.setModel(presetMlp(), weightsOf(presetMlp(), 7));
    panel.resize(900, 520);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    drawStroke(panel.canvas(), verticalStroke(0.5, 0.12, 0.88));
    const QPixmap shot = panel.grab();
    QVERIFY(!shot.isNull());
    QCOMPARE(shot.size(), panel.size() * shot.devicePixelRatio());
    const QImage image = shot.toImage();
    const QRect square = panel.canvas()->canvasRect();
    // A point of the drawing square (fractions of its side) as a pixel of the panel's grab.
    auto pixelAt = [&](qreal u, qreal v) {
      const QPoint inCanvas = (QPointF(square.topLeft()) + QPointF(u, v) * square.width()).toPoint();
      return image.pixel(panel.canvas()->mapTo(&panel, inCanvas) * shot.devicePixelRatio());
    };
    for (qreal v : {0.2, 0.35, 0.5, 0.65, 0.8}) {
      QVERIFY2(qGray(pixelAt(0.5, v)) < 64, qPrintable(QStringLiteral("stroke at y = %1 not dark").arg(v)));
      // Beside the stroke (more than half a pen width away) and above and below it: paper.
      QVERIFY2(qGray(pixelAt(0.2, v)) > 230, qPrintable(QStringLiteral("left of the stroke at y = %1").arg(v)));
      QVERIFY2(qGray(pixelAt(0.8, v)) > 230, qPrintable(QStringLiteral("right of the stroke at y = %1").arg(v)));
    }
    QVERIFY(qGray(pixelAt(0.5, 0.03)) > 230);
    QVERIFY(qGray(pixelAt(0.5, 0.97)) > 230);
    const QString out = qEnvironmentVariable("DIGITLAB_DIGITPANEL_SHOT");
    if (!out.isEmpty()) QVERIFY(shot.save(out));
  }
};

QTEST_MAIN(TestDigitPanel)
#include "test_DigitPanel.moc"
