// Tests of the Inside tab (ui/InspectView.h, InspectOverview, GridImageView), of the drawing
// panel's "Show why" overlay (ui/SaliencyBar.h, DrawingCanvas::setOverlay) and of the one layer
// selection shared by the builder, the diagram and the Inside tab — driven with real mouse and
// keyboard events. Headless (offscreen platform).

#include "DiagramPanel.h"
#include "DigitPanel.h"
#include "DrawingCanvas.h"
#include "GridImageView.h"
#include "InspectOverview.h"
#include "InspectView.h"
#include "ModelBuilder.h"
#include "QuietOffscreen.h"
#include "SaliencyBar.h"
#include "WindowTesting.h"
#include "inspect/InspectImages.h"
#include "nn/Inspection.h"
#include "nn/Layer.h"
#include "nn/Model.h"

#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

#include <cmath>

using namespace dl;

namespace {

// A small CNN with fixed random weights: Conv2D 4 3x3 relu - MaxPool 2 - Flatten - Dense 10 softmax.
ModelSpec smallCnn() {
  ModelSpec spec;
  spec.inputShape = {28, 28, 1};
  LayerSpec conv;
  conv.kind = LayerKind::Conv2D;
  conv.filters = 4;
  conv.kernelH = conv.kernelW = 3;
  conv.activation = "relu";
  LayerSpec pool;
  pool.kind = LayerKind::MaxPooling2D;
  pool.strideH = pool.strideW = 0;  // Keras: strides default to the pool size
  LayerSpec flat;
  flat.kind = LayerKind::Flatten;
  LayerSpec dense;
  dense.kind = LayerKind::Dense;
  dense.units = 10;
  dense.activation = "softmax";
  spec.layers = {conv, pool, flat, dense};
  return spec;
}

// A "7"-ish digit: a bar on top and a diagonal.
std::vector<float> sevenPixels() {
  std::vector<float> px(784, 0.f);
  for (int x = 7; x < 21; ++x) px[size_t(6 * 28 + x)] = px[size_t(7 * 28 + x)] = 1.f;
  for (int y = 8; y < 23; ++y) {
    const int x = 20 - (y - 8) / 2;
    px[size_t(y * 28 + x)] = px[size_t(y * 28 + x - 1)] = 1.f;
  }
  return px;
}

void drawStroke(DrawingCanvas* canvas, const QList<QPointF>& unitPoints) {
  const QRect r = canvas->canvasRect();
  auto at = [&](QPointF u) { return (QPointF(r.topLeft()) + u * r.width()).toPoint(); };
  QTest::mousePress(canvas, Qt::LeftButton, {}, at(unitPoints.first()));
  for (qsizetype i = 1; i < unitPoints.size(); ++i) QTest::mouseMove(canvas, at(unitPoints[i]));
  QTest::mouseRelease(canvas, Qt::LeftButton, {}, at(unitPoints.last()));
}

}  // namespace

class TestInspectView : public QObject {
  Q_OBJECT

 private slots:
  // What the tab shows for a known input is the core's forward pass, layer by layer: every
  // output equals nn/Inspection's layerOutputs of the same weights, the last the model's
  // probabilities.
  void showsTheForwardIntermediates() {
    Model reference(smallCnn(), 7);
    InspectView view;
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setModel(smallCnn(), reference.weights());
    const std::vector<float> px = sevenPixels();
    view.setInput(px.data(), int(px.size()), false);
    QTRY_COMPARE(view.outputs().size(), size_t(4));
    const std::vector<LayerOutput> expected = layerOutputs(reference, px.data());
    for (size_t i = 0; i < expected.size(); ++i) {
      QCOMPARE(view.outputs()[i].shape, expected[i].shape);
      QCOMPARE(view.outputs()[i].values, expected[i].values);
    }
    const Matrix probs = reference.predict(px.data(), 1);
    for (int c = 0; c < 10; ++c) QCOMPARE(view.outputs().back().values[size_t(c)], probs(0, c));
  }

  // A click on a layer's column in the overview selects it: the full view below shows that
  // layer's output (the picture InspectImages draws), and hovering a cell names its value.
  void clickingALayerShowsItsOutputWithValuesOnHover() {
    Model reference(smallCnn(), 3);
    InspectView view;
    view.resize(1000, 640);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setModel(smallCnn(), reference.weights());
    const std::vector<float> px = sevenPixels();
    view.setInput(px.data(), int(px.size()), false);
    QTRY_COMPARE(view.outputs().size(), size_t(4));
    QSignalSpy selected(&view, &InspectView::layerSelected);

    InspectOverview* overview = view.overview();
    const QRect pool = overview->columnRect(1);
    QVERIFY(!pool.isEmpty());
    QTest::mouseClick(overview, Qt::LeftButton, {}, pool.center());
    QCOMPARE(view.selectedLayer(), 1);
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected.at(0).at(0).toInt(), 1);

    const LayerOutput& out = view.outputs()[1];  // 13 x 13 x 4
    QCOMPARE(out.shape, (Shape{13, 13, 4}));
    GridImageView* maps = view.activationView();
    // Drawn as large as the pane allows (whole pixels per value), in an about square grid.
    const int scale = maps->layout().cellWidth / 13;
    QVERIFY(scale >= 1);
    QCOMPARE(maps->layout().cellWidth, 13 * scale);
    GridLayout layout;
    const QImage expected = activationImage(out, scale, 2, 2, &layout);
    QCOMPARE(maps->picture(), expected);
    QVERIFY(maps->picture().width() <= maps->width());  // fits the pane: no sideways scrolling
    // Map 2, row 5, column 6: its value in the tooltip text.
    const QRect cell = maps->layout().cellRect(2);
    const QPoint inPicture = cell.topLeft() + QPoint(6 * scale + scale / 2, 5 * scale + scale / 2);
    const QPoint at = maps->toWidget(inPicture);
    const float v = out.values[(size_t(5) * 13 + 6) * 4 + 2];
    const QString tip = maps->tipAt(at);
    QVERIFY2(tip.contains(QStringLiteral("map 2, row 5, column 6")), qPrintable(tip));
    QVERIFY2(tip.contains(QString::number(double(v), 'g', 4)), qPrintable(tip));
    // The hover label says the same as the mouse moves.
    auto* hover = view.findChild<QLabel*>(QStringLiteral("inspectOutputHover"));
    QVERIFY(hover);
    QTest::mouseMove(maps, at);
    QTRY_COMPARE(hover->text(), tip);
  }

  // The Conv2D layer's kernels are drawn, and refreshed when new weights arrive (a snapshot
  // during training): the hover value is the new kernel value.
  void kernelsFollowNewWeights() {
    Model reference(smallCnn(), 5);
    InspectView view;
    view.resize(1000, 640);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setModel(smallCnn(), reference.weights());
    const std::vector<float> px = sevenPixels();
    view.setInput(px.data(), int(px.size()), false);
    QTRY_COMPARE(view.outputs().size(), size_t(4));
    view.selectLayer(0);
    GridImageView* weights = view.weightsView();
    QVERIFY(!weights->picture().isNull());
    const QImage before = weights->picture();

    std::vector<Matrix> changed = reference.weights();
    changed[0] *= -2.f;  // the kernel
    view.setModel(smallCnn(), changed);
    QTRY_VERIFY(weights->picture() != before);
    // Filter 3 at (1, 2): kernel row (1 * 3 + 2) * 1 + 0, column 3.
    const QRect cell = weights->layout().cellRect(3);
    const int scale = weights->layout().cellWidth / 3;
    QVERIFY(scale >= 1);
    const QPoint at = weights->toWidget(cell.topLeft() + QPoint(2 * scale + scale / 2, 1 * scale + scale / 2));
    const QString tip = weights->tipAt(at);
    QVERIFY2(tip.contains(QStringLiteral("filter 3")), qPrintable(tip));
    QVERIFY2(tip.contains(QString::number(double(changed[0](5, 3)), 'g', 4)), qPrintable(tip));
    // Flatten has no weights: the view says so.
    view.selectLayer(2);
    QVERIFY(weights->picture().isNull());
  }

  // Without a model, or without a digit, the tab says what to do instead of showing nothing.
  void explainsWhatIsMissing() {
    InspectView view;
    view.resize(800, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto* status = view.findChild<QLabel*>(QStringLiteral("inspectStatus"));
    QTRY_VERIFY(status->text().contains(QStringLiteral("Train or load a model")));
    Model reference(smallCnn(), 1);
    view.setModel(smallCnn(), reference.weights());
    std::vector<float> blank(784, 0.f);
    view.setInput(blank.data(), 784, true);
    QTRY_VERIFY(status->text().contains(QStringLiteral("Draw a digit")));
    QVERIFY(view.outputs().empty());
  }

  // Show why: choosing a method with the keyboard lays the saliency map over the strokes; the map
  // is placed where the strokes are (its strongest cell maps into the drawing's ink box on the
  // canvas) and goes away with Off.
  void showWhyLaysTheMapOverTheDrawing() {
    DigitPanel panel;
    panel.resize(320, 760);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    Model reference(smallCnn(), 11);
    panel.setModel(smallCnn(), reference.weights());
    // A vertical stroke on the left third of the canvas.
    QList<QPointF> stroke;
    for (int i = 0; i <= 12; ++i) stroke << QPointF(0.3, 0.2 + 0.6 * i / 12);
    drawStroke(panel.canvas(), stroke);
    QVERIFY(panel.predictedClass() >= 0);
    QVERIFY(!panel.canvas()->hasOverlay());

    QComboBox* method = panel.saliencyBar()->methodBox();
    method->setFocus();
    QTest::keyClick(method, Qt::Key_Down);  // Off -> Gradient x input
    QCOMPARE(panel.saliencyBar()->method(), std::optional<SaliencyMethod>(SaliencyMethod::GradientXInput));
    QVERIFY(panel.canvas()->hasOverlay());
    const QImage overlay = panel.canvas()->overlay();
    QCOMPARE(overlay.size(), QSize(28, 28));
    // The map equals the core's saliency of the panel's input, drawn by saliencyLayer.
    const SaliencyMap map = saliency(reference, panel.currentDigit().pixels.data(), SaliencyMethod::GradientXInput);
    QCOMPARE(overlay, saliencyLayer(map, 0.9));
    // Gradient x input is zero where there is no ink, so every coloured cell is an inked pixel,
    // and inked field pixels map back to the stroke on the canvas (x about 0.3).
    const QTransform back = panel.currentDigit().sourceToInput.inverted();
    int coloured = 0;
    for (int y = 0; y < 28; ++y)
      for (int x = 0; x < 28; ++x) {
        if (qAlpha(overlay.pixel(x, y)) == 0) continue;
        ++coloured;
        QVERIFY(panel.currentDigit().pixels[size_t(y * 28 + x)] > 0);
        const QPointF units = back.map(QPointF(x + 0.5, y + 0.5));
        QVERIFY2(std::abs(units.x() - 0.3) < 0.08, qPrintable(QString::number(units.x())));
      }
    QVERIFY(coloured > 0);
    // The legend names the class explained.
    auto* legend = panel.findChild<QLabel*>(QStringLiteral("saliencyLegend"));
    QVERIFY(legend->isVisible());
    QVERIFY(legend->text().contains(QString::number(map.targetClass)));

    // Grad-CAM is offered for this CNN; Up Up goes back to Off and the overlay goes.
    QTest::keyClick(method, Qt::Key_Up);
    QVERIFY(!panel.canvas()->hasOverlay());
    QVERIFY(!legend->isVisible());
  }

  // In the window: selecting a row in the builder selects that layer in the Inside tab; a click
  // on a layer's box in the diagram selects it in the builder (and so in the Inside tab).
  void oneSelectionAcrossBuilderDiagramAndInside() {
    QString why;
    auto window = openTestWindow(&why);
    QVERIFY2(window, qPrintable(why));
    QVERIFY(window->applyPreset(QStringLiteral("cnn")));
    InspectView* inside = window->inspectView();
    QVERIFY(inside);
    window->builder()->selectLayer(2);
    QCOMPARE(inside->selectedLayer(), 2);

    auto* tabs = window->findChild<QTabWidget*>(QStringLiteral("centreTabs"));
    QVERIFY(tabs);
    int diagramTab = -1;
    for (int i = 0; i < tabs->count(); ++i)
      if (tabs->tabText(i) == QStringLiteral("Diagram")) diagramTab = i;
    QVERIFY(diagramTab >= 0);
    tabs->setCurrentIndex(diagramTab);
    DiagramPanel* diagram = window->diagram();
    auto* canvas = diagram->findChild<QLabel*>(QStringLiteral("diagramCanvas"));
    QVERIFY(canvas);
    QTRY_VERIFY(canvas->isVisible());
    // Find the point of the fourth box (index 3) by scanning the canvas.
    QPoint target;
    for (int y = 0; y < canvas->height() && target.isNull(); y += 4)
      for (int x = 0; x < canvas->width(); x += 4)
        if (diagram->layerAt(QPoint(x, y)) == 3) {
          target = QPoint(x + 2, y + 2);
          break;
        }
    QVERIFY(!target.isNull());
    QTest::mouseClick(canvas, Qt::LeftButton, {}, target);
    QCOMPARE(window->builder()->currentLayer(), 3);
    QCOMPARE(inside->selectedLayer(), 3);
    // And the other way: a click in the Inside tab's overview selects the builder's row.
    int insideTab = -1;
    for (int i = 0; i < tabs->count(); ++i)
      if (tabs->tabText(i) == QStringLiteral("Inside")) insideTab = i;
    QVERIFY(insideTab >= 0);
    tabs->setCurrentIndex(insideTab);
    QTRY_VERIFY(inside->isVisible());
  }
};

QTEST_MAIN(TestInspectView)
#include "test_InspectView.moc"
