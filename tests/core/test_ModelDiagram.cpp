// The plot_model-style diagram: layout as data (one box per layer, ordered along rankdir, text
// rows with shapes, text that fits its box at every dpi, errors), dpi scaling, and the PNG/SVG
// files it writes.
// custom-main: fonts need a QGuiApplication.

#include "diagram/ModelDiagram.h"

#include <QFile>
#include <QFont>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QImage>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

using namespace dl;

namespace {

DiagramOptions shapes(bool lr = false, int dpi = 96) {
  DiagramOptions o;
  o.showShapes = true;
  o.rankdir = lr ? RankDir::LeftToRight : RankDir::TopToBottom;
  o.dpi = dpi;
  return o;
}

DiagramOptions everything(bool lr, int dpi) {
  DiagramOptions o = shapes(lr, dpi);
  o.showActivations = o.showParams = true;
  return o;
}

// Pixels darker than mid-grey inside a rectangle of the image.
int darkPixels(const QImage& image, const QRect& r) {
  int dark = 0;
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x) dark += qGray(image.pixel(x, y)) < 100;
  return dark;
}

std::string str(const QString& s) { return s.toStdString(); }

}  // namespace

TEST(ModelDiagram, RankDirParsesTbAndLr) {
  RankDir d = RankDir::TopToBottom;
  EXPECT_TRUE(rankDirFromString(QStringLiteral("lr"), &d));
  EXPECT_EQ(d, RankDir::LeftToRight);
  EXPECT_TRUE(rankDirFromString(QStringLiteral("TB"), &d));
  EXPECT_EQ(d, RankDir::TopToBottom);
  EXPECT_FALSE(rankDirFromString(QStringLiteral("BT"), &d));
  EXPECT_STREQ(rankDirName(RankDir::LeftToRight), "LR");
}

TEST(ModelDiagram, OneBoxPerLayerInOrderWithoutOverlap) {
  for (const ModelSpec& spec : {presetMlp(), presetCnn()}) {
    for (bool lr : {false, true}) {
      const DiagramLayout l = layoutDiagram(spec, everything(lr, 96));
      ASSERT_EQ(l.boxes.size(), spec.layers.size());  // no InputLayer box (Keras 3)
      ASSERT_EQ(l.arrows.size(), spec.layers.size() - 1);
      EXPECT_TRUE(l.message.isEmpty()) << str(l.message);
      for (size_t i = 0; i < l.boxes.size(); ++i) {
        const QRectF& a = l.boxes[i].rect;
        EXPECT_EQ(l.boxes[i].layer, int(i));
        EXPECT_TRUE(QRectF(QPointF(0, 0), l.size).contains(a)) << i;
        // Centred on one axis.
        if (lr) EXPECT_NEAR(a.center().y(), l.boxes[0].rect.center().y(), 0.5);
        else EXPECT_NEAR(a.center().x(), l.boxes[0].rect.center().x(), 0.5);
        for (size_t j = i + 1; j < l.boxes.size(); ++j) EXPECT_FALSE(a.intersects(l.boxes[j].rect)) << i << " " << j;
        if (i + 1 == l.boxes.size()) continue;
        const QRectF& b = l.boxes[i + 1].rect;
        if (lr) EXPECT_LT(a.right(), b.left());
        else EXPECT_LT(a.bottom(), b.top());
        // The arrow runs from the middle of one box's edge to the middle of the next one's.
        const QLineF& arrow = l.arrows[i];
        EXPECT_EQ(arrow.p1(), lr ? QPointF(a.right(), a.center().y()) : QPointF(a.center().x(), a.bottom()));
        EXPECT_EQ(arrow.p2(), lr ? QPointF(b.left(), b.center().y()) : QPointF(b.center().x(), b.top()));
        EXPECT_GT(arrow.length(), 10);
      }
    }
  }
}

TEST(ModelDiagram, RowsShowNamesShapesActivationsAndParams) {
  const DiagramLayout l = layoutDiagram(presetCnn(), everything(false, 96));
  EXPECT_EQ(l.boxes[0].title, QStringLiteral("conv2d (Conv2D)"));
  EXPECT_EQ(l.boxes[0].name, QStringLiteral("conv2d"));
  EXPECT_EQ(l.boxes[0].className, QStringLiteral("Conv2D"));
  EXPECT_EQ(l.boxes[0].rows, (QStringList{QStringLiteral("Activation: relu"), QStringLiteral("Input shape: (None, 28, 28, 1)"),
                                          QStringLiteral("Output shape: (None, 28, 28, 32)"), QStringLiteral("Params: 832")}));
  EXPECT_EQ(l.boxes[3].title, QStringLiteral("max_pooling2d_1 (MaxPooling2D)"));
  EXPECT_TRUE(l.boxes[3].rows.contains(QStringLiteral("Output shape: (None, 7, 7, 64)")));
  EXPECT_TRUE(l.boxes[4].rows.contains(QStringLiteral("Output shape: (None, 3136)")));
  EXPECT_TRUE(l.boxes[5].rows.contains(QStringLiteral("Params: 3,212,288")));
  // Pooling, Flatten and Dropout have no activation row.
  EXPECT_FALSE(l.boxes[1].rows.first().startsWith(QStringLiteral("Activation")));
  EXPECT_EQ(l.boxes[1].color, layerColor(LayerKind::MaxPooling2D));
  EXPECT_EQ(l.boxes[6].color, layerColor(LayerKind::Dropout));
  EXPECT_NE(layerColor(LayerKind::Dense), layerColor(LayerKind::Dropout));

  DiagramOptions o;
  o.showLayerNames = false;
  const DiagramLayout bare = layoutDiagram(presetCnn(), o);
  EXPECT_EQ(bare.boxes[0].title, QStringLiteral("Conv2D"));
  EXPECT_TRUE(bare.boxes[0].name.isEmpty());
  EXPECT_TRUE(bare.boxes[0].rows.isEmpty());
  EXPECT_DOUBLE_EQ(bare.boxes[0].rect.height(), bare.boxes[0].titleHeight);

  const DiagramLayout mlp = layoutDiagram(presetMlp(), shapes());
  EXPECT_EQ(mlp.boxes[0].rows.first(), QStringLiteral("Input shape: (None, 784)"));
  EXPECT_EQ(mlp.boxes[0].rows.last(), QStringLiteral("Output shape: (None, 200)"));
}

TEST(ModelDiagram, TextFitsItsBoxAtEveryDpi) {
  for (int dpi : {48, 96, 150, 200, 300}) {
    const DiagramLayout l = layoutDiagram(presetCnn(), everything(false, dpi));
    QFont plain(QStringLiteral("DejaVu Sans"));
    plain.setPixelSize(int(std::lround(13 * dpi / 96.0)));
    const QFontMetricsF fm(plain);
    QFont boldFont = plain;
    boldFont.setBold(true);
    const QFontMetricsF bold(boldFont);
    for (const DiagramBox& b : l.boxes) {
      EXPECT_LE(bold.horizontalAdvance(b.title), b.rect.width()) << dpi << " " << str(b.title);
      EXPECT_GE(b.titleHeight, bold.height()) << dpi;
      EXPECT_GE(b.rowHeight, fm.height()) << dpi;
      for (const QString& r : b.rows) EXPECT_LT(fm.horizontalAdvance(r), b.rect.width()) << dpi << " " << str(r);
      EXPECT_DOUBLE_EQ(b.rowRect(int(b.rows.size()) - 1).bottom(), b.rect.bottom());
    }
  }
}

TEST(ModelDiagram, TopToBottomIsTallLeftToRightIsWide) {
  for (const ModelSpec& spec : {presetMlp(), presetCnn()}) {
    const DiagramLayout tb = layoutDiagram(spec, shapes(false));
    const DiagramLayout lr = layoutDiagram(spec, shapes(true));
    EXPECT_GT(tb.size.height(), 2 * tb.size.width());
    EXPECT_GT(lr.size.width(), 5 * lr.size.height());
  }
}

TEST(ModelDiagram, DpiScalesThePicture) {
  for (bool lr : {false, true}) {
    const QSizeF a = layoutDiagram(presetCnn(), shapes(lr, 96)).size;
    const QSizeF b = layoutDiagram(presetCnn(), shapes(lr, 192)).size;
    const QSizeF c = layoutDiagram(presetCnn(), shapes(lr, 200)).size;
    EXPECT_NEAR(b.width() / a.width(), 2.0, 0.08);
    EXPECT_NEAR(b.height() / a.height(), 2.0, 0.08);
    EXPECT_NEAR(c.width() / a.width(), 200 / 96.0, 0.1);
  }
}

TEST(ModelDiagram, InvalidLayerIsMarkedWithItsReason) {
  ModelSpec bad = presetCnn();
  bad.layers.erase(bad.layers.begin() + 4);  // no Flatten before Dense
  const DiagramLayout l = layoutDiagram(bad, shapes());
  ASSERT_EQ(l.boxes.size(), bad.layers.size());
  EXPECT_TRUE(l.boxes[4].error.contains(QStringLiteral("Flatten"))) << str(l.boxes[4].error);
  EXPECT_EQ(l.boxes[4].errorLines.join(QLatin1Char(' ')), l.boxes[4].error.simplified());
  EXPECT_GE(l.boxes[4].errorLines.size(), 2);
  // A shape in the message is never cut in two.
  EXPECT_TRUE(l.boxes[4].errorLines.join(QLatin1Char('|')).contains(QStringLiteral("(None, 7, 7, 64)")))
      << str(l.boxes[4].errorLines.join(QLatin1Char('|')));
  EXPECT_NEAR(l.boxes[4].errorLineRect(int(l.boxes[4].errorLines.size()) - 1).bottom() + l.boxes[4].errorPadding,
              l.boxes[4].rect.bottom(), 0.01);
  EXPECT_LT(l.boxes[4].rowRect(1).bottom(), l.boxes[4].errorLineRect(0).top());
  // Later layers have unknown shapes and parameter counts.
  EXPECT_EQ(l.boxes[5].rows.last(), QStringLiteral("Output shape: ?"));
  EXPECT_EQ(layoutDiagram(bad, everything(false, 96)).boxes[5].rows.last(), QStringLiteral("Params: ?"));
  EXPECT_TRUE(l.boxes[3].error.isEmpty());
  EXPECT_TRUE(l.boxes[3].errorLines.isEmpty());
  EXPECT_TRUE(l.message.isEmpty());  // a layer's problem is in its box, not above the diagram

  // Long errors wrap instead of making a box hundreds of pixels wide.
  const double widest = l.boxes[0].rect.width();
  EXPECT_LT(l.boxes[4].rect.width(), std::max(widest, 330.0));

  // The picture shows it: a red border around the bad box.
  const QImage image = renderDiagram(bad, shapes());
  const QRect r = l.boxes[4].rect.toRect();
  const QRgb border = image.pixel(r.left() + 1, r.center().y());
  EXPECT_GT(qRed(border), 150);
  EXPECT_LT(qGreen(border), 100);
}

TEST(ModelDiagram, ModelProblemsAreAMessageAboveTheBoxes) {
  ModelSpec empty = presetMlp();
  empty.layers.clear();
  const DiagramLayout l = layoutDiagram(empty, shapes());
  EXPECT_TRUE(l.boxes.empty());
  EXPECT_TRUE(l.message.contains(QStringLiteral("no layers")));
  EXPECT_TRUE(QRectF(QPointF(0, 0), l.size).contains(l.messageRect));
  EXPECT_FALSE(renderDiagram(empty, shapes()).isNull());

  ModelSpec badInput = presetMlp();
  badInput.inputShape = {28, 28};
  const DiagramLayout m = layoutDiagram(badInput, shapes());
  ASSERT_FALSE(m.message.isEmpty());
  ASSERT_FALSE(m.boxes.empty());
  EXPECT_LT(m.messageRect.bottom(), m.boxes[0].rect.top());
  EXPECT_EQ(m.boxes[0].rows.first(), QStringLiteral("Input shape: (None, 28, 28)"));
  EXPECT_EQ(m.boxes[0].rows.last(), QStringLiteral("Output shape: ?"));
}

TEST(ModelDiagram, PngHasTheLayoutSizeAndTextInEveryBox) {
  QTemporaryDir dir;
  for (bool lr : {false, true}) {
    const QString path = dir.filePath(lr ? QStringLiteral("cnn_lr.png") : QStringLiteral("cnn.png"));
    QString error;
    ASSERT_TRUE(saveDiagram(presetCnn(), shapes(lr), path, &error)) << str(error);
    const QImage image(path);
    ASSERT_FALSE(image.isNull());
    const DiagramLayout l = layoutDiagram(presetCnn(), shapes(lr));
    EXPECT_EQ(image.size(), l.size.toSize());
    if (lr) EXPECT_GT(image.width(), 5 * image.height());
    else EXPECT_GT(image.height(), 2 * image.width());
    for (const DiagramBox& b : l.boxes) {
      // Dark text pixels inside the white rows of each box, white title text on the colour.
      EXPECT_GT(darkPixels(image, b.rect.adjusted(4, b.titleHeight + 4, -4, -4).toRect()), 50) << str(b.title);
      const QRect title = b.titleRect().adjusted(4, 4, -4, -4).toRect();
      int white = 0;
      for (int y = title.top(); y <= title.bottom(); ++y)
        for (int x = title.left(); x <= title.right(); ++x) white += qGray(image.pixel(x, y)) > 200;
      EXPECT_GT(white, 30) << str(b.title);
    }
    // The arrow is drawn in the gap between the first two boxes.
    const QPoint mid = l.arrows[0].center().toPoint();
    EXPECT_GT(darkPixels(image, QRect(mid - QPoint(2, 2), QSize(5, 5))), 2);
  }
}

TEST(ModelDiagram, PngAtTwiceTheDpiIsTwiceAsLarge) {
  QTemporaryDir dir;
  QString error;
  ASSERT_TRUE(saveDiagram(presetMlp(), shapes(false, 96), dir.filePath(QStringLiteral("a.png")), &error));
  ASSERT_TRUE(saveDiagram(presetMlp(), shapes(false, 192), dir.filePath(QStringLiteral("b.png")), &error));
  const QImage a(dir.filePath(QStringLiteral("a.png"))), b(dir.filePath(QStringLiteral("b.png")));
  EXPECT_NEAR(double(b.width()) / a.width(), 2.0, 0.08);
  EXPECT_NEAR(double(b.height()) / a.height(), 2.0, 0.08);
  EXPECT_NEAR(b.dotsPerMeterX() * 0.0254, 192, 1);
}

TEST(ModelDiagram, SvgIsXmlNamingEveryLayer) {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("mlp.svg"));
  QString error;
  DiagramOptions o = shapes();
  o.showLayerNames = true;
  ASSERT_TRUE(saveDiagram(presetMlp(), o, path, &error)) << str(error);
  QFile f(path);
  ASSERT_TRUE(f.open(QIODevice::ReadOnly));
  const QByteArray svg = f.readAll();
  QXmlStreamReader xml(svg);
  bool sawSvg = false;
  QString text;
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isStartElement() && xml.name() == QLatin1String("svg")) sawSvg = true;
    if (xml.isCharacters()) text += xml.text();
  }
  EXPECT_FALSE(xml.hasError()) << str(xml.errorString());
  EXPECT_TRUE(sawSvg);
  for (const char* piece : {"dense", "(Dense)", "dropout_1", "dense_2", "Input shape: (None, 784)", "Output shape: (None, 10)"})
    EXPECT_TRUE(text.contains(QLatin1String(piece))) << piece;
}

TEST(ModelDiagram, BadPathsAreErrorsNamingTheFile) {
  QString error;
  EXPECT_FALSE(saveDiagram(presetMlp(), shapes(), QStringLiteral("/nonexistent/dir/x.png"), &error));
  EXPECT_TRUE(error.contains(QStringLiteral("/nonexistent/dir/x.png"))) << str(error);
  EXPECT_FALSE(saveDiagram(presetMlp(), shapes(), QStringLiteral("/nonexistent/dir/x.svg"), &error));
  EXPECT_TRUE(error.contains(QStringLiteral("/nonexistent/dir/x.svg"))) << str(error);
  QTemporaryDir dir;
  const QString odd = dir.filePath(QStringLiteral("x.docx"));
  EXPECT_FALSE(saveDiagram(presetMlp(), shapes(), odd, &error));
  EXPECT_TRUE(error.contains(odd)) << str(error);
  EXPECT_FALSE(QFile::exists(odd));
}

int main(int argc, char** argv) {
  QGuiApplication app(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
