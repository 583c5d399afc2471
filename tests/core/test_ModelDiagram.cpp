// The plot_model-style diagram: layout as data (one box per layer, ordered along rankdir, text
// rows with shapes), dpi scaling, and the PNG/SVG files it writes.
// custom-main: fonts need a QGuiApplication.

#include "diagram/ModelDiagram.h"

#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace dl;

namespace {

DiagramOptions shapes(bool lr = false, int dpi = 96) {
  DiagramOptions o;
  o.showShapes = true;
  o.leftToRight = lr;
  o.dpi = dpi;
  return o;
}

}  // namespace

TEST(ModelDiagram, OneBoxPerLayerInOrderWithoutOverlap) {
  for (const ModelSpec& spec : {presetMlp(), presetCnn()}) {
    for (bool lr : {false, true}) {
      const DiagramLayout l = layoutDiagram(spec, shapes(lr));
      ASSERT_EQ(l.boxes.size(), spec.layers.size());
      ASSERT_EQ(l.arrows.size(), spec.layers.size() - 1);
      for (size_t i = 0; i + 1 < l.boxes.size(); ++i) {
        const QRectF& a = l.boxes[i].rect;
        const QRectF& b = l.boxes[i + 1].rect;
        EXPECT_FALSE(a.intersects(b)) << i;
        if (lr) EXPECT_LT(a.right(), b.left());
        else EXPECT_LT(a.bottom(), b.top());
        // The arrow joins the two boxes.
        EXPECT_TRUE(a.adjusted(-1, -1, 1, 1).contains(l.arrows[i].p1()));
        EXPECT_TRUE(b.adjusted(-1, -1, 1, 1).contains(l.arrows[i].p2()));
      }
      for (const DiagramBox& b : l.boxes) EXPECT_TRUE(QRectF(QPointF(0, 0), l.size).contains(b.rect));
    }
  }
}

TEST(ModelDiagram, RowsShowNamesShapesActivationsAndParams) {
  DiagramOptions o = shapes();
  o.showActivations = true;
  o.showParams = true;
  const DiagramLayout l = layoutDiagram(presetCnn(), o);
  EXPECT_EQ(l.boxes[0].title, QStringLiteral("conv2d (Conv2D)"));
  EXPECT_TRUE(l.boxes[0].rows.contains(QStringLiteral("Activation: relu")));
  EXPECT_TRUE(l.boxes[0].rows.contains(QStringLiteral("Input shape: (None, 28, 28, 1)")));
  EXPECT_TRUE(l.boxes[0].rows.contains(QStringLiteral("Output shape: (None, 28, 28, 32)")));
  EXPECT_TRUE(l.boxes[5].rows.contains(QStringLiteral("Params: 3,212,288")));
  EXPECT_EQ(l.boxes[1].color, layerColor(LayerKind::MaxPooling2D));
  o.showLayerNames = false;
  o.showShapes = o.showActivations = o.showParams = false;
  const DiagramLayout bare = layoutDiagram(presetCnn(), o);
  EXPECT_EQ(bare.boxes[0].title, QStringLiteral("Conv2D"));
  EXPECT_TRUE(bare.boxes[0].rows.isEmpty());
}

TEST(ModelDiagram, TopToBottomIsTallLeftToRightIsWide) {
  const DiagramLayout tb = layoutDiagram(presetCnn(), shapes(false));
  const DiagramLayout lr = layoutDiagram(presetCnn(), shapes(true));
  EXPECT_GT(tb.size.height(), 2.5 * tb.size.width());
  EXPECT_GT(lr.size.width(), 2.5 * lr.size.height());
}

TEST(ModelDiagram, DpiScalesThePicture) {
  const QSizeF a = layoutDiagram(presetMlp(), shapes(false, 96)).size;
  const QSizeF b = layoutDiagram(presetMlp(), shapes(false, 192)).size;
  EXPECT_NEAR(b.width() / a.width(), 2.0, 0.1);
  EXPECT_NEAR(b.height() / a.height(), 2.0, 0.1);
}

TEST(ModelDiagram, InvalidLayerIsMarkedWithItsReason) {
  ModelSpec bad = presetCnn();
  bad.layers.erase(bad.layers.begin() + 4);  // no Flatten before Dense
  const DiagramLayout l = layoutDiagram(bad, shapes());
  EXPECT_TRUE(l.boxes[4].error.contains(QStringLiteral("add a Flatten layer")));
  EXPECT_TRUE(l.boxes[4].rows.last().contains(QStringLiteral("Flatten")));
  EXPECT_TRUE(l.boxes[3].error.isEmpty());
}

TEST(ModelDiagram, PngHasTheLayoutSizeAndTextInEveryBox) {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("cnn.png"));
  QString error;
  ASSERT_TRUE(saveDiagram(presetCnn(), shapes(), path, &error)) << error.toStdString();
  const QImage image(path);
  ASSERT_FALSE(image.isNull());
  const DiagramLayout l = layoutDiagram(presetCnn(), shapes());
  EXPECT_EQ(image.size(), l.size.toSize());
  for (const DiagramBox& b : l.boxes) {
    // Dark text pixels inside the white rows of each box.
    const QRect rows = b.rect.adjusted(4, b.titleHeight + 4, -4, -4).toRect();
    int dark = 0;
    for (int y = rows.top(); y <= rows.bottom(); ++y)
      for (int x = rows.left(); x <= rows.right(); ++x) dark += qGray(image.pixel(x, y)) < 100;
    EXPECT_GT(dark, 50) << b.title.toStdString();
  }
}

TEST(ModelDiagram, SvgNamesEveryLayer) {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("mlp.svg"));
  QString error;
  ASSERT_TRUE(saveDiagram(presetMlp(), shapes(), path, &error)) << error.toStdString();
  QFile f(path);
  ASSERT_TRUE(f.open(QIODevice::ReadOnly));
  const QByteArray svg = f.readAll();
  EXPECT_TRUE(svg.startsWith("<?xml"));
  EXPECT_TRUE(svg.contains("</svg>"));
  for (const char* name : {"dense (Dense)", "dropout (Dropout)", "dense_2 (Dense)", "(None, 784)"})
    EXPECT_TRUE(svg.contains(name)) << name;
}

TEST(ModelDiagram, UnwritablePathIsAnErrorNamingIt) {
  QString error;
  EXPECT_FALSE(saveDiagram(presetMlp(), shapes(), QStringLiteral("/nonexistent/dir/x.png"), &error));
  EXPECT_TRUE(error.contains(QStringLiteral("/nonexistent/dir/x.png")));
}

int main(int argc, char** argv) {
  QGuiApplication app(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
