// InspectImages: picture sizes and grid layouts, the colour maps' ends, and every cell at its
// place with the colours of its values (feature maps, kernels, templates, saliency overlays).

#include "inspect/InspectImages.h"
#include "nn/LayerRegistry.h"
#include "nn/Model.h"

#include <QColor>
#include <QImage>

#include <gtest/gtest.h>

#include <cmath>

using namespace dl;

namespace {

constexpr QRgb kGap = 0xff808080;

Param& paramOf(Model& model, const std::string& layerName, const std::string& name) {
  for (const ParamRef& p : model.params())
    if (p.layer == layerName && p.param->name == name) return *p.param;
  throw std::runtime_error("no " + layerName + "/" + name);
}

// Every pixel of rect r in img is c.
::testing::AssertionResult filledWith(const QImage& img, const QRect& r, QRgb c) {
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x)
      if ((img.pixel(x, y) | 0xff000000) != (c | 0xff000000))
        return ::testing::AssertionFailure()
               << "pixel (" << x << ", " << y << ") is " << std::hex << img.pixel(x, y) << ", not " << c;
  return ::testing::AssertionSuccess();
}

}  // namespace

TEST(InspectImages, ColourMapEnds) {
  EXPECT_EQ(sequentialColor(0), qRgb(0, 0, 0));  // nothing is black
  EXPECT_EQ(sequentialColor(-3), qRgb(0, 0, 0));
  const QColor top = QColor::fromRgb(sequentialColor(1));
  EXPECT_GT(top.red(), 200);  // the most is yellow
  EXPECT_GT(top.green(), 200);
  EXPECT_LT(top.blue(), 100);
  EXPECT_EQ(sequentialColor(7), sequentialColor(1));
  // Brightness grows along the ramp.
  int last = -1;
  for (int i = 0; i <= 20; ++i) {
    const int l = QColor::fromRgb(sequentialColor(float(i) / 20)).lightness();
    EXPECT_GE(l, last) << i;
    last = l;
  }
  EXPECT_EQ(divergingColor(0), qRgb(255, 255, 255));
  const QColor neg = QColor::fromRgb(divergingColor(-1)), pos = QColor::fromRgb(divergingColor(1));
  EXPECT_GT(neg.blue(), neg.red());
  EXPECT_GT(pos.red(), pos.blue());
  EXPECT_EQ(divergingColor(-5), divergingColor(-1));
  EXPECT_EQ(divergingColor(NAN), qRgb(255, 255, 255));
}

TEST(InspectImages, GridLayoutPlacesCellsRowByRow) {
  GridLayout g;
  g.cells = 5;
  g.columns = 3;
  g.cellWidth = 10;
  g.cellHeight = 6;
  g.gap = 2;
  EXPECT_EQ(g.cellRect(0), QRect(0, 0, 10, 6));
  EXPECT_EQ(g.cellRect(2), QRect(24, 0, 10, 6));
  EXPECT_EQ(g.cellRect(3), QRect(0, 8, 10, 6));
  EXPECT_EQ(g.cellRect(4), QRect(12, 8, 10, 6));
}

TEST(InspectImages, FeatureMapsAreOneHeatMapPerChannel) {
  // A (2, 3, 4) output: channel k holds k everywhere except value 9 at (1, 2) in channel 3.
  LayerOutput o;
  o.name = "conv2d";
  o.className = "Conv2D";
  o.shape = {2, 3, 4};
  o.values.resize(24);
  for (int p = 0; p < 6; ++p)
    for (int k = 0; k < 4; ++k) o.values[size_t(p * 4 + k)] = float(k);
  o.values[size_t((1 * 3 + 2) * 4 + 3)] = 9;
  GridLayout g;
  const QImage img = activationImage(o, 5, 0, 2, &g);
  EXPECT_EQ(g.cells, 4);
  EXPECT_EQ(g.columns, 2);  // about square
  EXPECT_EQ(g.cellWidth, 15);
  EXPECT_EQ(g.cellHeight, 10);
  EXPECT_EQ(img.size(), QSize(2 * 15 + 2, 2 * 10 + 2));
  EXPECT_EQ(img.format(), QImage::Format_RGB32);
  // Scaled to [0, 9] over the whole picture.
  EXPECT_TRUE(filledWith(img, g.cellRect(0), sequentialColor(0)));
  EXPECT_TRUE(filledWith(img, g.cellRect(1), sequentialColor(1.0f / 9)));
  EXPECT_TRUE(filledWith(img, g.cellRect(2), sequentialColor(2.0f / 9)));
  const QRect c3 = g.cellRect(3);
  EXPECT_TRUE(filledWith(img, QRect(c3.left(), c3.top(), 15, 5), sequentialColor(3.0f / 9)));
  EXPECT_TRUE(filledWith(img, QRect(c3.left() + 10, c3.top() + 5, 5, 5), sequentialColor(1)));
  EXPECT_TRUE(filledWith(img, QRect(c3.left(), c3.top() + 5, 10, 5), sequentialColor(3.0f / 9)));
  EXPECT_TRUE(filledWith(img, QRect(15, 0, 2, img.height()), kGap));  // the gap between columns

  // Fixed columns.
  const QImage row = activationImage(o, 1, 4, 1, &g);
  EXPECT_EQ(row.size(), QSize(4 * 3 + 3, 2));
  EXPECT_EQ(g.cellRect(3), QRect(12, 0, 3, 2));
}

TEST(InspectImages, DenseOutputIsAStripWrappedAtColumns) {
  LayerOutput o;
  o.shape = {5};
  o.values = {0, 0.5f, 1, 0.25f, 0};
  GridLayout g;
  QImage img = activationImage(o, 4, 0, 1, &g);
  EXPECT_EQ(img.size(), QSize(5 * 4 + 4, 4));
  EXPECT_TRUE(filledWith(img, g.cellRect(2), sequentialColor(1)));
  EXPECT_TRUE(filledWith(img, g.cellRect(1), sequentialColor(0.5f)));
  img = activationImage(o, 4, 2, 1, &g);
  EXPECT_EQ(img.size(), QSize(2 * 4 + 1, 3 * 4 + 2));
  EXPECT_EQ(g.cellRect(4), QRect(0, 10, 4, 4));
  EXPECT_TRUE(filledWith(img, g.cellRect(2), sequentialColor(1)));
  // All zeros: black.
  o.values.assign(5, 0.0f);
  img = activationImage(o, 2, 0, 0, &g);
  EXPECT_TRUE(filledWith(img, img.rect(), qRgb(0, 0, 0)));
}

TEST(InspectImages, ConvKernelsRowsAreInputChannelsColumnsFilters) {
  ModelSpec s;
  s.inputShape = {6, 6, 2};
  LayerSpec c = layerKindInfo(LayerKind::Conv2D).newLayer();
  c.filters = 3;
  c.kernelH = 2;
  c.kernelW = 3;
  LayerSpec out = layerKindInfo(LayerKind::Dense).newLayer();
  out.units = 10;
  out.activation = "softmax";
  s.layers = {c, layerKindInfo(LayerKind::Flatten).newLayer(), out};
  Model model(s);
  Param& k = paramOf(model, "conv2d", "kernel");  // rows (i, j, c) of (2, 3, 2), columns filters
  k.value.setZero();
  k.value((0 * 3 + 1) * 2 + 1, 2) = -0.5f;  // filter 2, channel 1, (0, 1)
  k.value((1 * 3 + 2) * 2 + 0, 0) = 1.0f;   // filter 0, channel 0, (1, 2): the largest |w|
  GridLayout g;
  const QImage img = weightsImage(*model.layers()[0], s.inputShape, 4, 64, 2, &g);
  ASSERT_FALSE(img.isNull());
  EXPECT_EQ(g.cells, 6);
  EXPECT_EQ(g.columns, 3);
  EXPECT_EQ(img.size(), QSize(3 * 12 + 2 * 2, 2 * 8 + 2));
  const QRect f0c0 = g.cellRect(0), f2c1 = g.cellRect(5);
  EXPECT_TRUE(filledWith(img, QRect(f0c0.left() + 8, f0c0.top() + 4, 4, 4), divergingColor(1)));
  EXPECT_TRUE(filledWith(img, QRect(f0c0.left(), f0c0.top(), 8, 4), divergingColor(0)));
  EXPECT_TRUE(filledWith(img, QRect(f2c1.left() + 4, f2c1.top(), 4, 4), divergingColor(-0.5f)));
  EXPECT_TRUE(filledWith(img, g.cellRect(1), divergingColor(0)));
  // At most maxCells: filters first.
  const QImage few = weightsImage(*model.layers()[0], s.inputShape, 4, 2, 2, &g);
  EXPECT_EQ(g.cells, 2);
  EXPECT_EQ(g.columns, 2);
  EXPECT_EQ(few.size(), QSize(2 * 12 + 2, 8));
}

// One input channel: the filters fill an about square grid, cell i is filter i.
TEST(InspectImages, ConvKernelsOfOneChannelFillASquareGrid) {
  ModelSpec s;
  s.inputShape = {8, 8, 1};
  LayerSpec c = layerKindInfo(LayerKind::Conv2D).newLayer();
  c.filters = 9;
  c.kernelH = c.kernelW = 3;
  LayerSpec out = layerKindInfo(LayerKind::Dense).newLayer();
  out.units = 10;
  out.activation = "softmax";
  s.layers = {c, layerKindInfo(LayerKind::Flatten).newLayer(), out};
  Model model(s);
  Param& k = paramOf(model, "conv2d", "kernel");
  k.value.setZero();
  k.value(4, 5) = 1.0f;  // filter 5, centre
  GridLayout g;
  const QImage img = weightsImage(*model.layers()[0], s.inputShape, 2, 64, 1, &g);
  EXPECT_EQ(g.cells, 9);
  EXPECT_EQ(g.columns, 3);
  EXPECT_EQ(img.size(), QSize(3 * 6 + 2, 3 * 6 + 2));
  const QRect f5 = g.cellRect(5);
  EXPECT_EQ(f5.topLeft(), QPoint(2 * 7, 1 * 7));
  EXPECT_TRUE(filledWith(img, QRect(f5.left() + 2, f5.top() + 2, 2, 2), divergingColor(1)));
  EXPECT_TRUE(filledWith(img, g.cellRect(4), divergingColor(0)));
}

TEST(InspectImages, FirstDenseLayerShowsOneTemplatePerUnit) {
  Model mlp(presetMlp());  // input (784): Dense 200 reads the 28x28 image
  Param& k = paramOf(mlp, "dense", "kernel");
  k.value.setZero();
  k.value(3 * 28 + 5, 1) = 2.0f;  // unit 1, pixel (3, 5)
  k.value(0, 0) = -2.0f;
  GridLayout g;
  const QImage img = weightsImage(*mlp.layers()[0], mlp.spec().inputShape, 2, 9, 1, &g);
  ASSERT_FALSE(img.isNull());
  EXPECT_EQ(g.cells, 9);
  EXPECT_EQ(g.columns, 3);
  EXPECT_EQ(img.size(), QSize(3 * 56 + 2, 3 * 56 + 2));
  const QRect u1 = g.cellRect(1);
  EXPECT_TRUE(filledWith(img, QRect(u1.left() + 10, u1.top() + 6, 2, 2), divergingColor(1)));
  EXPECT_TRUE(filledWith(img, QRect(g.cellRect(0).topLeft(), QSize(2, 2)), divergingColor(-1)));
  EXPECT_TRUE(filledWith(img, g.cellRect(2), divergingColor(0)));
  // A Dense layer on 200 hidden units, a Dropout: no picture.
  EXPECT_TRUE(weightsImage(*mlp.layers()[2], mlp.spec().inputShape).isNull());
  EXPECT_TRUE(weightsImage(*mlp.layers()[1], mlp.spec().inputShape).isNull());
}

TEST(InspectImages, SaliencyOverlayTintsThePixelsThatMatter) {
  SaliencyMap m;
  m.method = SaliencyMethod::GradientXInput;
  m.height = 2;
  m.width = 3;
  m.values = {0, 2, -1, 0, 0, 0};
  const float input[6] = {0, 0, 0, 1, 0.5f, 0};
  const QImage img = saliencyOverlay(input, m, 4, 0.5);
  EXPECT_EQ(img.size(), QSize(12, 8));
  // No saliency: the digit as drawn, dark ink on white paper.
  EXPECT_TRUE(filledWith(img, QRect(0, 0, 4, 4), qRgb(255, 255, 255)));
  EXPECT_TRUE(filledWith(img, QRect(0, 4, 4, 4), qRgb(0, 0, 0)));
  EXPECT_EQ(QColor(img.pixel(4, 4)).red(), 128);
  // The strongest positive pixel: half-way (opacity) from white to red; the negative: a quarter to blue.
  const QColor up(img.pixel(5, 1)), down(img.pixel(9, 1));
  EXPECT_NEAR(up.green(), (255 + qGreen(divergingColor(1))) / 2.0, 1.0);
  EXPECT_GT(up.red(), up.blue());
  EXPECT_GT(down.blue(), down.red());
  EXPECT_LT(down.blue() - down.red(), up.red() - up.blue());

  // The layer alone: transparent at 0, alpha = opacity x strength.
  const QImage layer = saliencyLayer(m, 0.5);
  EXPECT_EQ(layer.size(), QSize(3, 2));
  EXPECT_EQ(qAlpha(layer.pixel(0, 0)), 0);
  EXPECT_EQ(qAlpha(layer.pixel(1, 0)), 128);
  EXPECT_EQ(qAlpha(layer.pixel(2, 0)), 64);
  EXPECT_EQ(layer.pixel(1, 0) & 0xffffff, divergingColor(1) & 0xffffff);
  EXPECT_EQ(layer.pixel(2, 0) & 0xffffff, divergingColor(-1) & 0xffffff);

  // Grad-CAM: a heat map, strongest at the largest value.
  m.method = SaliencyMethod::GradCam;
  m.values = {0, 1, 0.5f, 0, 0, 0};
  const QImage cam = saliencyLayer(m, 1.0);
  EXPECT_EQ(qAlpha(cam.pixel(0, 0)), 0);
  EXPECT_EQ(qAlpha(cam.pixel(1, 0)), 255);
  EXPECT_EQ(cam.pixel(1, 0) & 0xffffff, sequentialColor(1) & 0xffffff);
  EXPECT_GT(qAlpha(cam.pixel(2, 0)), 100);
  // An all-zero map draws nothing.
  m.values.assign(6, 0.0f);
  const QImage none = saliencyOverlay(input, m, 1, 1.0);
  EXPECT_EQ(none.pixel(0, 0) | 0xff000000, qRgb(255, 255, 255));
  EXPECT_EQ(none.pixel(0, 1) | 0xff000000, qRgb(0, 0, 0));
}
