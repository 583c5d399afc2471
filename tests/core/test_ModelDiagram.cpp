// The plot_model-style diagram: layout as data (one box per layer, ordered along rankdir, a
// "name: ClassName" title, activation and params rows, the Input shape | Output shape table, text
// that fits its cell at every dpi, errors), dpi scaling, and the PNG/SVG files it writes — the PNGs
// checked as pictures: boxes counted in the pixels, text in every cell, size proportional to dpi.
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

#include <cmath>

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

std::string str(const QString& s) { return s.toStdString(); }

// Pixels darker than mid-grey (text, borders, arrows) inside a rectangle of the image.
int darkPixels(const QImage& image, const QRect& r) {
  int dark = 0;
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x) dark += qGray(image.pixel(x, y)) < 100;
  return dark;
}

int lightPixels(const QImage& image, const QRect& r) {
  int light = 0;
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x) light += qGray(image.pixel(x, y)) > 200;
  return light;
}

// The bounding box of the dark pixels in a rectangle (empty if none).
QRect darkBounds(const QImage& image, const QRect& r) {
  QRect bounds;
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x)
      if (qGray(image.pixel(x, y)) < 100) bounds |= QRect(x, y, 1, 1);
  return bounds;
}

// How many pixels of ink lie across the arrow at a point (a vertical arrow's row, a horizontal one's column).
int inkAcross(const QImage& image, const QPointF& at, bool lr) {
  int ink = 0;
  for (int d = -20; d <= 20; ++d) {
    const QPoint p = lr ? QPoint(int(at.x()), int(at.y()) + d) : QPoint(int(at.x()) + d, int(at.y()));
    ink += image.valid(p) && qGray(image.pixel(p)) < 160;
  }
  return ink;
}

// A cell's inside, clear of its borders.
QRect inside(const QRectF& cell, int margin) { return cell.toRect().adjusted(margin, margin, -margin, -margin); }

bool isPaper(QRgb c) { return qRed(c) > 250 && qGreen(c) > 250 && qBlue(c) > 250; }

// The boxes as the picture shows them, found without the layout: across the diagram's axis,
// every line of pixels (a row for TB, a column for LR) whose ink spans wider than an arrow is
// part of a box; each run of such lines is one box, its extent the ink's.
std::vector<QRect> boxesInPicture(const QImage& image, bool lr, double minSpan) {
  const int lines = lr ? image.width() : image.height();
  const int length = lr ? image.height() : image.width();
  std::vector<QRect> boxes;
  int start = -1, lo = length, hi = -1;
  for (int i = 0; i <= lines; ++i) {
    int first = -1, last = -1;
    for (int j = 0; i < lines && j < length; ++j) {
      if (isPaper(lr ? image.pixel(i, j) : image.pixel(j, i))) continue;
      if (first < 0) first = j;
      last = j;
    }
    const bool inBox = first >= 0 && last - first + 1 > minSpan;
    if (inBox) {
      if (start < 0) start = i, lo = length, hi = -1;
      lo = std::min(lo, first);
      hi = std::max(hi, last);
    } else if (start >= 0) {
      boxes.push_back(lr ? QRect(QPoint(start, lo), QPoint(i - 1, hi)) : QRect(QPoint(lo, start), QPoint(hi, i - 1)));
      start = -1;
    }
  }
  return boxes;
}

// Every cell of a box from top to bottom (title, rows and table rows in order), as one rectangle
// per band: the table's two cells of a row joined.
std::vector<QRectF> bands(const DiagramBox& b) {
  std::vector<QRectF> out{b.titleRect};
  for (const DiagramRow& r : b.rows) out.push_back(r.rect);
  if (b.shapes.size() == 2) {
    out.push_back(b.shapes[0].headerRect.united(b.shapes[1].headerRect));
    out.push_back(b.shapes[0].valueRect.united(b.shapes[1].valueRect));
  }
  std::sort(out.begin(), out.end(), [](const QRectF& x, const QRectF& y) { return x.top() < y.top(); });
  return out;
}

QFont unitFont(bool bold) {
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setPixelSize(13);
  f.setBold(bold);
  return f;
}

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
      ASSERT_EQ(l.boxes.size(), spec.layers.size());  // no InputLayer box (Keras, Sequential)
      ASSERT_EQ(l.arrows.size(), spec.layers.size() - 1);
      EXPECT_TRUE(l.message.isEmpty()) << str(l.message);
      for (size_t i = 0; i < l.boxes.size(); ++i) {
        const QRectF& a = l.boxes[i].rect;
        EXPECT_EQ(l.boxes[i].layer, int(i));
        EXPECT_TRUE(QRectF(QPointF(0, 0), l.size).contains(a)) << i;
        // Centred on one axis (to the pixel).
        if (lr)
          EXPECT_NEAR(a.center().y(), l.boxes[0].rect.center().y(), 0.5);
        else
          EXPECT_NEAR(a.center().x(), l.boxes[0].rect.center().x(), 0.5);
        for (size_t j = i + 1; j < l.boxes.size(); ++j) EXPECT_FALSE(a.intersects(l.boxes[j].rect)) << i << " " << j;
        if (i + 1 == l.boxes.size()) continue;
        const QRectF& b = l.boxes[i + 1].rect;
        if (lr)
          EXPECT_LT(a.right(), b.left());
        else
          EXPECT_LT(a.bottom(), b.top());
        // The arrow runs from the middle of one box's edge to the middle of the next one's.
        const QLineF& arrow = l.arrows[i];
        if (lr) {
          EXPECT_EQ(arrow.p1().x(), a.right());
          EXPECT_EQ(arrow.p2().x(), b.left());
          EXPECT_NEAR(arrow.p1().y(), a.center().y(), 1);
          EXPECT_EQ(arrow.p1().y(), arrow.p2().y());
        } else {
          EXPECT_EQ(arrow.p1().y(), a.bottom());
          EXPECT_EQ(arrow.p2().y(), b.top());
          EXPECT_NEAR(arrow.p1().x(), a.center().x(), 1);
          EXPECT_EQ(arrow.p1().x(), arrow.p2().x());
        }
        EXPECT_GT(arrow.length(), 20);
      }
    }
  }
}

TEST(ModelDiagram, TitleIsNameColonClassName) {
  const DiagramLayout l = layoutDiagram(presetCnn(), everything(false, 96));
  EXPECT_EQ(l.boxes[0].title, QStringLiteral("conv2d: Conv2D"));
  EXPECT_EQ(l.boxes[0].name, QStringLiteral("conv2d"));
  EXPECT_EQ(l.boxes[0].className, QStringLiteral("Conv2D"));
  EXPECT_EQ(l.boxes[3].title, QStringLiteral("max_pooling2d_1: MaxPooling2D"));
  EXPECT_EQ(l.boxes[7].title, QStringLiteral("dense_1: Dense"));
  EXPECT_EQ(l.boxes[1].color, layerColor(LayerKind::MaxPooling2D));
  EXPECT_EQ(l.boxes[6].color, layerColor(LayerKind::Dropout));
  EXPECT_NE(layerColor(LayerKind::Dense), layerColor(LayerKind::Dropout));

  DiagramOptions o;
  o.showLayerNames = false;
  const DiagramLayout bare = layoutDiagram(presetCnn(), o);
  EXPECT_EQ(bare.boxes[0].title, QStringLiteral("Conv2D"));
  EXPECT_TRUE(bare.boxes[0].name.isEmpty());
  EXPECT_TRUE(bare.boxes[0].rows.empty());
  EXPECT_TRUE(bare.boxes[0].shapes.empty());
  EXPECT_EQ(bare.boxes[0].rect, bare.boxes[0].titleRect);  // nothing but the title
}

TEST(ModelDiagram, ActivationRowUnderTheTitleAndParamsRowAtTheBottom) {
  const DiagramLayout l = layoutDiagram(presetCnn(), everything(false, 96));
  const DiagramBox& conv = l.boxes[0];
  ASSERT_EQ(conv.rows.size(), 2u);
  EXPECT_EQ(conv.rows[0].text(), QStringLiteral("Activation: relu"));
  EXPECT_EQ(conv.rows[1].text(), QStringLiteral("Params: 832"));
  EXPECT_EQ(conv.rows[0].rect.top(), conv.titleRect.bottom());
  EXPECT_EQ(conv.shapes[0].headerRect.top(), conv.rows[0].rect.bottom());
  EXPECT_EQ(conv.rows[1].rect.top(), conv.shapes[0].valueRect.bottom());
  EXPECT_EQ(conv.rows[1].rect.bottom(), conv.rect.bottom());
  ASSERT_TRUE(l.boxes[5].row(QStringLiteral("Params")));
  EXPECT_EQ(l.boxes[5].row(QStringLiteral("Params"))->value, QStringLiteral("3,212,288"));
  EXPECT_EQ(l.boxes[7].row(QStringLiteral("Activation"))->value, QStringLiteral("softmax"));
  // Pooling, Flatten and Dropout have no activation (as in Keras: they have no such attribute).
  for (int i : {1, 3, 4, 6}) EXPECT_EQ(l.boxes[size_t(i)].row(QStringLiteral("Activation")), nullptr) << i;
  EXPECT_EQ(l.boxes[1].row(QStringLiteral("Params"))->value, QStringLiteral("0"));
}

TEST(ModelDiagram, ShapesAreATwoColumnInputOutputTable) {
  for (bool lr : {false, true}) {
    for (int dpi : {96, 200}) {
      const DiagramLayout l = layoutDiagram(presetCnn(), everything(lr, dpi));
      for (const DiagramBox& b : l.boxes) {
        ASSERT_EQ(b.shapes.size(), 2u);
        const DiagramShapeColumn& in = b.shapes[0];
        const DiagramShapeColumn& out = b.shapes[1];
        EXPECT_EQ(in.header, QStringLiteral("Input shape"));
        EXPECT_EQ(out.header, QStringLiteral("Output shape"));
        // Header cells side by side across the whole box, values right under their headers.
        EXPECT_EQ(in.headerRect.left(), b.rect.left());
        EXPECT_EQ(in.headerRect.right(), out.headerRect.left());
        EXPECT_EQ(out.headerRect.right(), b.rect.right());
        EXPECT_NEAR(in.headerRect.width(), out.headerRect.width(), 1);
        EXPECT_EQ(in.headerRect.top(), out.headerRect.top());
        EXPECT_EQ(in.valueRect.top(), in.headerRect.bottom());
        EXPECT_EQ(out.valueRect.top(), out.headerRect.bottom());
        EXPECT_EQ(in.valueRect.left(), in.headerRect.left());
        EXPECT_EQ(in.valueRect.right(), in.headerRect.right());
        EXPECT_EQ(out.valueRect.left(), out.headerRect.left());
        EXPECT_EQ(out.valueRect.right(), out.headerRect.right());
        EXPECT_NEAR(in.valueRect.height(), in.headerRect.height(), 1);  // each edge rounded where it lies
        // Whole pixels everywhere: borders land on pixels.
        for (const QRectF& r : {b.rect, in.headerRect, out.valueRect})
          EXPECT_TRUE(r.left() == std::round(r.left()) && r.top() == std::round(r.top()) &&
                      r.right() == std::round(r.right()) && r.bottom() == std::round(r.bottom()));
      }
      EXPECT_EQ(l.boxes[0].shapes[0].value, QStringLiteral("(None, 28, 28, 1)"));
      EXPECT_EQ(l.boxes[0].shapes[1].value, QStringLiteral("(None, 28, 28, 32)"));
      EXPECT_EQ(l.boxes[3].shapes[1].value, QStringLiteral("(None, 7, 7, 64)"));
      EXPECT_EQ(l.boxes[4].shapes[1].value, QStringLiteral("(None, 3136)"));
    }
  }
  const DiagramLayout mlp = layoutDiagram(presetMlp(), shapes());
  EXPECT_EQ(mlp.boxes[0].shapes[0].value, QStringLiteral("(None, 784)"));
  EXPECT_EQ(mlp.boxes[0].shapes[1].value, QStringLiteral("(None, 200)"));
  EXPECT_EQ(mlp.boxes[4].shapes[1].value, QStringLiteral("(None, 10)"));
  EXPECT_TRUE(mlp.boxes[0].rows.empty());
  EXPECT_TRUE(layoutDiagram(presetMlp(), DiagramOptions{}).boxes[0].shapes.empty());
}

TEST(ModelDiagram, CellsStackWithoutGapsOrOverlap) {
  for (const ModelSpec& spec : {presetMlp(), presetCnn()}) {
    const DiagramLayout l = layoutDiagram(spec, everything(false, 150));
    for (const DiagramBox& b : l.boxes) {
      const std::vector<QRectF> cells = bands(b);
      EXPECT_EQ(cells.front().top(), b.rect.top());
      EXPECT_EQ(cells.back().bottom(), b.rect.bottom());
      for (size_t i = 0; i < cells.size(); ++i) {
        EXPECT_EQ(cells[i].left(), b.rect.left());
        EXPECT_EQ(cells[i].right(), b.rect.right());
        if (i > 0) {
          EXPECT_EQ(cells[i].top(), cells[i - 1].bottom()) << str(b.title) << " cell " << i;
        }
      }
    }
  }
}

TEST(ModelDiagram, TextFitsItsCellAtEveryDpi) {
  // Text is drawn with the 13 px font scaled by dpi / 96, so it is as wide as that.
  const QFontMetricsF plain(unitFont(false)), bold(unitFont(true));
  for (int dpi : {48, 96, 150, 200, 300}) {
    const double s = dpi / 96.0;
    const DiagramLayout l = layoutDiagram(presetCnn(), everything(false, dpi));
    EXPECT_DOUBLE_EQ(l.scale, s);
    for (const DiagramBox& b : l.boxes) {
      const double title = bold.horizontalAdvance(b.name) + plain.horizontalAdvance(QStringLiteral(": ") + b.className);
      EXPECT_LT(title * s, b.titleRect.width()) << dpi << " " << str(b.title);
      EXPECT_GE(b.titleRect.height(), bold.height() * s - 1) << dpi;
      for (const DiagramRow& r : b.rows) {
        EXPECT_LT((plain.horizontalAdvance(r.label + QStringLiteral(": ")) + bold.horizontalAdvance(r.value)) * s,
                  r.rect.width())
            << dpi << " " << str(r.text());
        EXPECT_GE(r.rect.height(), bold.height() * s - 1);
      }
      for (const DiagramShapeColumn& c : b.shapes) {
        EXPECT_LT(plain.horizontalAdvance(c.header) * s, c.headerRect.width() - 8 * s) << dpi << " " << str(c.header);
        EXPECT_LT(bold.horizontalAdvance(c.value) * s, c.valueRect.width() - 8 * s) << dpi << " " << str(c.value);
        EXPECT_GE(c.valueRect.height(), bold.height() * s - 1);
      }
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

TEST(ModelDiagram, DpiScalesThePictureToWithinAPixel) {
  for (const ModelSpec& spec : {presetMlp(), presetCnn()}) {
    for (bool lr : {false, true}) {
      const QSizeF base = layoutDiagram(spec, everything(lr, 96)).size;
      for (int dpi : {72, 150, 192, 200, 300, 600}) {
        const QSizeF size = layoutDiagram(spec, everything(lr, dpi)).size;
        EXPECT_NEAR(size.width(), base.width() * dpi / 96, 1.0) << dpi;
        EXPECT_NEAR(size.height(), base.height() * dpi / 96, 1.0) << dpi;
      }
    }
  }
}

TEST(ModelDiagram, InvalidLayerIsMarkedWithItsReason) {
  ModelSpec bad = presetCnn();
  bad.layers.erase(bad.layers.begin() + 4);  // no Flatten before Dense
  const DiagramLayout l = layoutDiagram(bad, shapes());
  ASSERT_EQ(l.boxes.size(), bad.layers.size());
  const DiagramBox& b = l.boxes[4];
  EXPECT_TRUE(b.error.contains(QStringLiteral("Flatten"))) << str(b.error);
  EXPECT_EQ(b.errorLines.join(QLatin1Char(' ')), b.error.simplified());
  EXPECT_GE(b.errorLines.size(), 2);
  ASSERT_EQ(b.errorLineRects.size(), size_t(b.errorLines.size()));
  // A shape in the message is never cut in two.
  EXPECT_TRUE(b.errorLines.join(QLatin1Char('|')).contains(QStringLiteral("(None, 7, 7, 64)")))
      << str(b.errorLines.join(QLatin1Char('|')));
  // The reason is below the table, inside the box.
  EXPECT_LT(b.shapes[1].valueRect.bottom(), b.errorLineRects.front().top());
  EXPECT_LT(b.errorLineRects.back().bottom(), b.rect.bottom());
  EXPECT_GE(b.errorLineRects.back().bottom(), b.rect.bottom() - 10);
  // Later layers have unknown shapes and parameter counts.
  EXPECT_EQ(l.boxes[5].shapes[1].value, QStringLiteral("?"));
  EXPECT_EQ(layoutDiagram(bad, everything(false, 96)).boxes[5].row(QStringLiteral("Params"))->value,
            QStringLiteral("?"));
  EXPECT_TRUE(l.boxes[3].error.isEmpty());
  EXPECT_TRUE(l.boxes[3].errorLines.isEmpty());
  EXPECT_TRUE(l.message.isEmpty());  // a layer's problem is in its box, not above the diagram

  // Long errors wrap instead of making a box hundreds of pixels wide.
  double widest = 0;
  for (const DiagramBox& other : l.boxes)
    widest = other.error.isEmpty() ? std::max(widest, other.rect.width()) : widest;
  EXPECT_LT(b.rect.width(), std::max(widest, 330.0));

  // The picture shows it: a red border around the bad box, the reason in red.
  const QImage image = renderDiagram(bad, shapes());
  const QRect r = b.rect.toRect();
  const QRgb border = image.pixel(r.left() + 1, r.center().y());
  EXPECT_GT(qRed(border), 150);
  EXPECT_LT(qGreen(border), 100);
  int red = 0;
  const QRect text = inside(b.errorLineRects.front(), 4);
  for (int y = text.top(); y <= text.bottom(); ++y)
    for (int x = text.left(); x <= text.right(); ++x)
      red += qRed(image.pixel(x, y)) > 150 && qGreen(image.pixel(x, y)) < 120;
  EXPECT_GT(red, 30);
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
  EXPECT_EQ(m.boxes[0].shapes[0].value, QStringLiteral("(None, 28, 28)"));
  EXPECT_EQ(m.boxes[0].shapes[1].value, QStringLiteral("?"));
}

// The PNG of each preset, TB and LR, at two dpi, checked as a picture.
TEST(ModelDiagram, PngOfEachPresetShowsOneBoxPerLayerWithTextInEveryCell) {
  QTemporaryDir dir;
  const std::pair<const char*, ModelSpec> presets[] = {{"mlp", presetMlp()}, {"cnn", presetCnn()}};
  for (const auto& [name, spec] : presets) {
    for (bool lr : {false, true}) {
      QSize size96;
      for (int dpi : {96, 200}) {
        SCOPED_TRACE(std::string(name) + (lr ? " LR " : " TB ") + std::to_string(dpi) + " dpi");
        const double s = dpi / 96.0;
        const DiagramOptions o = everything(lr, dpi);
        const QString path = dir.filePath(QStringLiteral("%1_%2_%3.png").arg(QLatin1String(name)).arg(lr).arg(dpi));
        QString error;
        ASSERT_TRUE(saveDiagram(spec, o, path, &error)) << str(error);
        const QImage image(path);
        ASSERT_FALSE(image.isNull());
        const DiagramLayout l = layoutDiagram(spec, o);
        EXPECT_EQ(image.size(), l.size.toSize());
        EXPECT_NEAR(image.dotsPerMeterX() * 0.0254, dpi, 1);

        // Size: proportional to dpi to within a pixel or two; TB tall, LR wide.
        if (dpi == 96) size96 = image.size();
        EXPECT_NEAR(image.width(), size96.width() * s, 2);
        EXPECT_NEAR(image.height(), size96.height() * s, 2);
        if (lr) {
          EXPECT_GT(image.width(), 5 * image.height());
        } else {
          EXPECT_GT(image.height(), 2 * image.width());
        }

        // One box per layer, found in the pixels alone, where the layout puts them.
        const std::vector<QRect> found = boxesInPicture(image, lr, 40 * s);
        ASSERT_EQ(found.size(), spec.layers.size());
        for (size_t i = 0; i < found.size(); ++i) {
          const QRect expected = l.boxes[i].rect.toRect();
          EXPECT_LE(std::abs(found[i].left() - expected.left()), 1) << i;
          EXPECT_LE(std::abs(found[i].top() - expected.top()), 1) << i;
          EXPECT_LE(std::abs(found[i].right() - expected.right()), 1) << i;
          EXPECT_LE(std::abs(found[i].bottom() - expected.bottom()), 1) << i;
        }

        // Text in every cell: white on the title's colour, dark in every row and table cell.
        const int clear = int(std::ceil(3 * s));
        const int text = int(20 * s * s);  // a few letters' worth of pixels at this dpi
        for (const DiagramBox& b : l.boxes) {
          SCOPED_TRACE(str(b.title));
          EXPECT_GT(lightPixels(image, inside(b.titleRect, clear)), text);
          for (const DiagramRow& r : b.rows) EXPECT_GT(darkPixels(image, inside(r.rect, clear)), text) << str(r.text());
          for (const DiagramShapeColumn& c : b.shapes) {
            EXPECT_GT(darkPixels(image, inside(c.headerRect, clear)), text) << str(c.header);
            EXPECT_GT(darkPixels(image, inside(c.valueRect, clear)), text) << str(c.value);
            // Legible: the shape's glyphs are as tall as 13 px text scaled to this dpi.
            const QRect glyphs = darkBounds(image, inside(c.valueRect, clear));
            EXPECT_GE(glyphs.height(), 11 * s) << str(c.value);
            EXPECT_LE(glyphs.height(), 17 * s) << str(c.value);
          }
        }
        // The arrows are drawn in the gaps, their heads (wider than the shafts) at the next box.
        for (const QLineF& a : l.arrows) {
          const int shaft = inkAcross(image, a.center(), lr);
          EXPECT_GE(shaft, 1);
          EXPECT_LE(shaft, 1 + 2 * s);
          EXPECT_GE(inkAcross(image, a.pointAt(1 - 6 * s / a.length()), lr), shaft + 2);
        }
      }
    }
  }
}

TEST(ModelDiagram, SvgIsXmlNamingEveryLayerWithItsTable) {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("mlp.svg"));
  QString error;
  DiagramOptions o = shapes(false, 300);  // dpi does not change an SVG
  ASSERT_TRUE(saveDiagram(presetMlp(), o, path, &error)) << str(error);
  QFile f(path);
  ASSERT_TRUE(f.open(QIODevice::ReadOnly));
  const QByteArray svg = f.readAll();
  QXmlStreamReader xml(svg);
  bool sawSvg = false;
  QString text, viewBox;
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isStartElement() && xml.name() == QLatin1String("svg")) {
      sawSvg = true;
      viewBox = xml.attributes().value(QLatin1String("viewBox")).toString();
    }
    if (xml.isCharacters()) text += xml.text();
  }
  EXPECT_FALSE(xml.hasError()) << str(xml.errorString());
  EXPECT_TRUE(sawSvg);
  for (const char* piece : {"dense", ": Dense", "dropout_1", ": Dropout", "dense_2", "Input shape", "Output shape",
                            "(None, 784)", "(None, 10)"})
    EXPECT_TRUE(text.contains(QLatin1String(piece))) << piece;
  // Laid out at 96 dpi whatever the dpi asked for: an SVG is scaled by its viewer.
  const QSizeF size = layoutDiagram(presetMlp(), shapes(false, 96)).size;
  EXPECT_EQ(viewBox, QStringLiteral("0 0 %1 %2").arg(size.width()).arg(size.height()));
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
