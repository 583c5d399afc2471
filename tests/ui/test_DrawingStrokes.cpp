// The canvas's strokes as vectors and the 28x28 drawn from them (ui/DrawingCanvas.h,
// ui/DigitPanel.h, data/Strokes.h), driven like a user with QTest mouse strokes: the same digit
// drawn small in a corner and large across the canvas gives close 28x28 inputs with MNIST's
// stroke weight, where the canvas's picture (its fixed pen) would give a blob and a thin digit.
//
// Measure and bound: the mean absolute difference of the 784 levels, below 0.04 between the
// small and the large drawing (above 0.1 for the canvas's picture without the strokes).

#include "DigitPanel.h"
#include "DrawingCanvas.h"
#include "HandDrawnStrokes.h"
#include "QuietOffscreen.h"
#include "data/StrokeWeight.h"
#include "data/Strokes.h"

#include <QApplication>
#include <QPushButton>
#include <QStandardPaths>
#include <QTest>

#include <cmath>

using namespace dl;

namespace {

// Presses at the first point, moves through the rest, releases at the last (canvas units).
void drawStroke(DrawingCanvas* canvas, const QPolygonF& unitPoints) {
  const QRect r = canvas->canvasRect();
  auto at = [&](QPointF u) { return (QPointF(r.topLeft()) + u * r.width()).toPoint(); };
  QTest::mousePress(canvas, Qt::LeftButton, {}, at(unitPoints.first()));
  for (qsizetype i = 1; i < unitPoints.size(); ++i) QTest::mouseMove(canvas, at(unitPoints[i]));
  QTest::mouseRelease(canvas, Qt::LeftButton, {}, at(unitPoints.last()));
}

void draw(DrawingCanvas* canvas, const QList<QPolygonF>& strokes) {
  for (const QPolygonF& s : strokes) drawStroke(canvas, s);
}

double meanAbsDifference(const DigitInput& a, const DigitInput& b) {
  double sum = 0;
  for (int i = 0; i < DigitInput::kPixels; ++i) sum += std::abs(a.pixels[size_t(i)] - b.pixels[size_t(i)]);
  return sum / DigitInput::kPixels;
}

double widthOf(const DigitInput& d) { return strokeWidth(d.pixels.data(), DigitInput::kSide, DigitInput::kSide); }

}  // namespace

class TestDrawingStrokes : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    quietOffscreen();
  }

  void smallAndLargeDrawingsGiveCloseInputs_data() {
    QTest::addColumn<int>("digit");
    QTest::newRow("4") << 4;
    QTest::newRow("8") << 8;
  }
  void smallAndLargeDrawingsGiveCloseInputs() {
    QFETCH(int, digit);
    const QList<QPolygonF> strokes = digit == 4 ? test::handDrawnFour() : test::handDrawnEight();
    DigitPanel small, large;
    for (DigitPanel* p : {&small, &large}) {
      p->resize(300, 640);
      p->show();
      QVERIFY(QTest::qWaitForWindowExposed(p));
    }
    QCOMPARE(small.canvas()->side(), large.canvas()->side());
    draw(small.canvas(), test::placed(strokes, 0.22, {0.7, 0.06}));  // a small digit in a corner
    draw(large.canvas(), test::placed(strokes, 0.9, {0.05, 0.04}));  // across the whole canvas
    QCOMPARE(small.canvas()->strokeCount(), int(strokes.size()));

    const DigitInput& a = small.currentDigit();
    const DigitInput& b = large.currentDigit();
    QVERIFY(!a.empty && !b.empty);
    const double mad = meanAbsDifference(a, b);
    qInfo("digit %d: mean absolute difference small vs large %.3f, stroke widths %.2f and %.2f", digit, mad, widthOf(a),
          widthOf(b));
    QVERIFY2(mad < 0.04, qPrintable(QStringLiteral("mean absolute difference %1").arg(mad)));
    for (const DigitInput* d : {&a, &b}) {
      const double w = widthOf(*d);
      QVERIFY2(w >= MnistStrokeWidth::kP10 && w <= MnistStrokeWidth::kP90,
               qPrintable(QStringLiteral("stroke width %1").arg(w)));
    }

    // What the canvas shows is the person's own drawing with the canvas's pen: from that picture
    // alone, the small digit is a blob and the large one thin.
    const DigitInput smallPicture =
        preprocessDigit(small.canvas()->image(), InkPolarity::DarkOnLight, StrokeNormalisation::Keep);
    const DigitInput largePicture =
        preprocessDigit(large.canvas()->image(), InkPolarity::DarkOnLight, StrokeNormalisation::Keep);
    QVERIFY(meanAbsDifference(smallPicture, largePicture) > 0.1);
    QVERIFY(widthOf(smallPicture) > 2 * widthOf(largePicture));
  }

  void canvasKeepsTheStrokesAsDrawn() {
    DigitPanel panel;
    panel.resize(300, 640);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    DrawingCanvas* canvas = panel.canvas();
    const QList<QPolygonF> four = test::placed(test::handDrawnFour(), 0.8, {0.1, 0.1});
    draw(canvas, four);

    // One polyline per stroke, in canvas units, at the mouse's positions.
    QCOMPARE(canvas->strokes().size(), four.size());
    const double pixel = 1.0 / canvas->side();
    for (qsizetype s = 0; s < four.size(); ++s) {
      QCOMPARE(canvas->strokes()[s].size(), four[s].size());
      for (qsizetype i = 0; i < four[s].size(); ++i) {
        const QPointF d = canvas->strokes()[s][i] - four[s][i];
        QVERIFY2(std::abs(d.x()) <= pixel && std::abs(d.y()) <= pixel,
                 qPrintable(QStringLiteral("%1/%2").arg(s).arg(i)));
      }
    }
    QVERIFY(!canvas->hasPicture());
    // The panel's input is exactly what the CLI tools and tests make of the same strokes.
    QCOMPARE(panel.currentDigit().pixels, renderStrokes(canvas->strokes()).pixels);

    QTest::keyClick(canvas, Qt::Key_Backspace);  // undo the stem
    QCOMPARE(canvas->strokes().size(), qsizetype(1));
    QCOMPARE(panel.currentDigit().pixels, renderStrokes(canvas->strokes()).pixels);
    QVERIFY(panel.currentDigit().pixels != renderStrokes(four).pixels);
    QTest::mouseClick(panel.findChild<QPushButton*>(QStringLiteral("clearButton")), Qt::LeftButton);
    QVERIFY(canvas->strokes().isEmpty());
    QVERIFY(panel.currentDigit().empty);

    // A picture: no strokes, and the input comes from the pixels (stroke width normalised).
    const QImage painted = paintStrokes(test::handDrawnEight(), 200, 200, 40);  // a heavy pen
    canvas->setImage(painted);
    QVERIFY(canvas->hasPicture());
    QVERIFY(canvas->strokes().isEmpty());
    const double w = widthOf(panel.currentDigit());
    QVERIFY2(w >= MnistStrokeWidth::kP10 && w <= MnistStrokeWidth::kP90, qPrintable(QString::number(w)));
    // Strokes drawn over a picture stay on it and are read with it from the pixels.
    drawStroke(canvas, QPolygonF({{0.1, 0.9}, {0.9, 0.9}}));
    QVERIFY(canvas->hasPicture());
    QCOMPARE(canvas->strokes().size(), qsizetype(1));
    QVERIFY(panel.currentDigit().pixels != renderStrokes(canvas->strokes()).pixels);
  }
};

QTEST_MAIN(TestDrawingStrokes)
#include "test_DrawingStrokes.moc"
