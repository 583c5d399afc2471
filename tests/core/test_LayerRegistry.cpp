// Every registered layer kind, taken through everything its descriptor promises: the DigitLab and
// Keras JSON round trips, its shape and parameter rules against a real forward pass of the layer
// its factory makes, a finite-difference gradient check, its summary row, its diagram box and its
// Keras script line. The tests iterate the registry: a new kind is tested without editing them.
// custom-main: the diagram's fonts need a QGuiApplication.

#include "TestSupport.h"

#include "diagram/ModelDiagram.h"
#include "io/KerasExport.h"
#include "model/ModelSpecJson.h"
#include "nn/LayerRegistry.h"
#include "nn/ModelAnalysis.h"

#include <QGuiApplication>

#include <gtest/gtest.h>

#include <set>

using namespace dl;

namespace {

std::string kindName(const testing::TestParamInfo<LayerKind>& info) { return layerKindInfo(info.param).className; }

std::vector<LayerKind> registeredKinds() {
  std::vector<LayerKind> kinds;
  for (const LayerKindInfo& k : layerKinds()) kinds.push_back(k.kind);
  return kinds;
}

LayerSpec dense10Softmax() {
  LayerSpec l;
  l.kind = LayerKind::Dense;
  l.units = 10;
  l.activation = "softmax";
  return l;
}

LayerSpec flatten() {
  LayerSpec l;
  l.kind = LayerKind::Flatten;
  return l;
}

// A valid tutorial-sized model holding the kind's new layer: on the image (before a Flatten) if
// it works there, else on the flattened vector.
ModelSpec modelWith(const LayerSpec& layer) {
  ModelSpec spec;
  spec.name = "registry_test";
  spec.inputShape = {28, 28, 1};
  spec.layers = {layer, flatten(), dense10Softmax()};
  if (analyze(spec).ok()) return spec;
  spec.layers = {flatten(), layer, dense10Softmax()};
  return spec;
}

int layerIndex(const ModelSpec& spec, LayerKind kind) {
  // The layer under test is the first of its kind in modelWith's stack, unless it is a Flatten
  // or a Dense (which modelWith adds itself): then the one modelWith placed.
  for (size_t i = 0; i < spec.layers.size(); ++i)
    if (spec.layers[i].kind == kind) return int(i);
  return -1;
}

class LayerKindTest : public testing::TestWithParam<LayerKind> {
 protected:
  const LayerKindInfo& info() const { return layerKindInfo(GetParam()); }
  LayerSpec layer() const { return info().newLayer(); }
};

TEST(LayerRegistry, namesEveryKindOnceAndFindsItByClassNameAndAlias) {
  std::set<std::string> classNames, stems;
  for (const LayerKindInfo& k : layerKinds()) {
    EXPECT_TRUE(classNames.insert(k.className).second) << k.className;
    EXPECT_TRUE(stems.insert(k.stem).second) << k.stem;
    ASSERT_EQ(findLayerKind(k.className), &k);
    for (const std::string& alias : k.aliases) EXPECT_EQ(findLayerKind(alias), &k) << alias;
    EXPECT_EQ(&layerKindInfo(k.kind), &k);
    EXPECT_EQ(layerKindName(k.kind), k.className);
    EXPECT_TRUE(k.infer && k.make && k.newLayer) << k.className;
    EXPECT_EQ(k.newLayer().kind, k.kind);
  }
  EXPECT_EQ(findLayerKind("LSTM"), nullptr);
  EXPECT_EQ(findLayerKind("MaxPool2D")->kind, LayerKind::MaxPooling2D);
}

TEST_P(LayerKindTest, newLayerFitsATutorialModel) {
  const ModelSpec spec = modelWith(layer());
  const ModelAnalysis a = analyze(spec);
  EXPECT_TRUE(a.ok()) << a.error;
}

TEST_P(LayerKindTest, roundTripsThroughDigitLabJson) {
  ModelSpec spec = modelWith(layer());
  spec.layers[size_t(layerIndex(spec, GetParam()))].name = "under_test";
  EXPECT_EQ(modelSpecFromJson(modelSpecToJson(spec)), spec) << modelSpecToJson(spec);
}

TEST_P(LayerKindTest, roundTripsEveryArgumentAtANonDefaultValue) {
  // Each argument moved off the builder's value, one at a time, survives both forms.
  for (const LayerArg& arg : info().args) {
    LayerSpec l = layer();
    ArgValue v = arg.get(l);
    if (auto* i = std::get_if<int>(&v))
      *i = *i + 1 <= int(arg.hi) ? *i + 1 : *i - 1;
    else if (auto* p = std::get_if<std::pair<int, int>>(&v))
      p->first = p->second = std::max(1, p->first) + 1;
    else if (auto* d = std::get_if<double>(&v))
      *d = arg.lo + (arg.hi - arg.lo) / 4;
    else if (auto* b = std::get_if<bool>(&v))
      *b = !*b;
    else if (auto* r = std::get_if<FactorRange>(&v))
      *r = arg.nullable && *r == kAutomaticRange ? FactorRange{-0.3, 0.2} : FactorRange{r->lower / 2, r->upper};
    else if (auto* s = std::get_if<std::string>(&v))
      for (const std::string& c : arg.choices)
        if (c != *s && c != "softmax") {
          *s = c;
          break;
        }
    arg.set(l, v);
    ModelSpec spec = modelWith(l);
    if (!analyze(spec).ok()) continue;  // e.g. a larger kernel that no longer fits
    EXPECT_EQ(modelSpecFromJson(modelSpecToJson(spec)), spec) << arg.key << "\n" << modelSpecToJson(spec);
    const ModelSpec keras = modelSpecFromJson(modelSpecToKerasJson(spec));
    EXPECT_EQ(modelSpecToKerasJson(keras), modelSpecToKerasJson(spec)) << arg.key;
    EXPECT_EQ(arg.kerasGet(keras.layers[size_t(layerIndex(spec, GetParam()))]),
              arg.kerasGet(spec.layers[size_t(layerIndex(spec, GetParam()))]))
        << arg.key;
  }
}

TEST_P(LayerKindTest, roundTripsThroughKerasJson) {
  const ModelSpec spec = modelWith(layer());
  const std::string json = modelSpecToKerasJson(spec);
  const ModelSpec back = modelSpecFromJson(json, "keras.json");
  EXPECT_EQ(modelSpecToKerasJson(back), json);
  EXPECT_EQ(back.inputShape, spec.inputShape);
  const ModelAnalysis before = analyze(spec), after = analyze(back);
  ASSERT_EQ(after.layers.size(), before.layers.size());
  for (size_t i = 0; i < before.layers.size(); ++i) {
    EXPECT_EQ(after.layers[i].className, before.layers[i].className);
    EXPECT_EQ(after.layers[i].outputShape, before.layers[i].outputShape);
    EXPECT_EQ(after.layers[i].params, before.layers[i].params);
  }
  EXPECT_NE(json.find("\"class_name\": \"" + info().className + "\""), std::string::npos);
}

TEST_P(LayerKindTest, refusesAnUnknownArgument) {
  ModelSpec spec = modelWith(layer());
  std::string json = modelSpecToJson(spec);
  const std::string cls = "\"class_name\": \"" + info().className + "\"";
  json.replace(json.find(cls), cls.size(), cls + ", \"no_such_argument\": 3");
  try {
    modelSpecFromJson(json, "t.json");
    FAIL() << "accepted an unknown argument";
  } catch (const SpecError& e) {
    EXPECT_NE(std::string(e.what()).find("no_such_argument"), std::string::npos) << e.what();
  }
}

TEST_P(LayerKindTest, shapeAndParameterRulesMatchARealForwardPass) {
  int checked = 0;
  for (const Shape& in : {Shape{6, 6, 2}, Shape{12}}) {
    const LayerSpec l = layer();
    Shape out;
    int64_t params = 0;
    if (!info().infer(l, in, &out, &params).empty()) continue;
    auto built = info().make(l, 7);
    Rng rng(3);
    built->build(in, rng);
    EXPECT_EQ(built->outputShape(), out) << shapeToString(in);
    int64_t count = 0;
    for (const Param* p : std::as_const(*built).params()) {
      count += p->value.size();
      EXPECT_EQ(shapeSize(p->kerasShape), p->value.size()) << p->name;
    }
    EXPECT_EQ(count, params) << shapeToString(in);
    for (bool training : {false, true}) {
      const Matrix& y = built->forward(test::randomMatrix(3, Eigen::Index(shapeSize(in)), 5), training);
      EXPECT_EQ(y.rows(), 3);
      EXPECT_EQ(y.cols(), Eigen::Index(shapeSize(out))) << shapeToString(in);
    }
    ++checked;
  }
  EXPECT_GT(checked, 0) << "no test input fits the kind's new layer";
}

TEST_P(LayerKindTest, gradientsMatchFiniteDifferences) {
  int checked = 0;
  for (const Shape& in : {Shape{6, 6, 2}, Shape{12}}) {
    LayerSpec l = layer();
    // relu's kink is no place for central differences: a smooth activation where there is one.
    if (const LayerArg* activation = info().arg("activation")) activation->set(l, std::string("tanh"));
    Shape out;
    int64_t params = 0;
    if (!info().infer(l, in, &out, &params).empty()) continue;
    auto make = [&]() {
      auto built = info().make(l, 11);
      Rng rng(3);
      built->build(in, rng);
      return built;
    };
    const Matrix x = test::randomMatrix(2, Eigen::Index(shapeSize(in)), 17);
    auto built = make();
    const test::GradCheck inference = test::checkLayerGradients(*built, x, false);
    EXPECT_TRUE(inference.ok) << shapeToString(in) << " " << inference.detail;
    // Training mode, each evaluation on a fresh layer (the same random draws): catches a layer
    // that scales its forward pass but not its backward one.
    const test::GradCheck training = test::checkFreshLayerInputGradients(make, x, true);
    EXPECT_TRUE(training.ok) << shapeToString(in) << " " << training.detail;
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST_P(LayerKindTest, summaryRowNamesTheLayerWithItsShapeAndParameters) {
  const ModelSpec spec = modelWith(layer());
  const int i = layerIndex(spec, GetParam());
  const LayerInfo row = analyze(spec).layers[size_t(i)];
  const std::string text = summaryText(spec);
  // "name (ClassName)", or wrapped as Keras wraps a long one: "name" on the row, "(ClassName)"
  // on the next line.
  const std::string cell = row.name + " (" + info().className + ")";
  size_t at = text.find("│ " + cell + " ");
  if (at == std::string::npos) {
    at = text.find("│ " + row.name + " ");
    ASSERT_NE(at, std::string::npos) << text;
    const size_t next = text.find('\n', at) + 1;
    const std::string below = text.substr(next, text.find('\n', next) - next);
    EXPECT_NE(below.find("│ (" + info().className + ")"), std::string::npos) << text;
  }
  const std::string line = text.substr(at, text.find('\n', at) - at);
  EXPECT_NE(line.find(shapeToString(row.outputShape)), std::string::npos) << line;
  EXPECT_NE(line.find(withThousands(row.params) + " "), std::string::npos) << line;
}

TEST_P(LayerKindTest, diagramBoxHasTheKindsTitleColourAndRows) {
  const ModelSpec spec = modelWith(layer());
  const int i = layerIndex(spec, GetParam());
  DiagramOptions o;
  o.showShapes = true;
  o.showActivations = true;
  const DiagramLayout layout = layoutDiagram(spec, o);
  ASSERT_EQ(layout.boxes.size(), spec.layers.size());
  const DiagramBox& box = layout.boxes[size_t(i)];
  EXPECT_EQ(box.kind, GetParam());
  EXPECT_EQ(box.className.toStdString(), info().className);
  EXPECT_EQ(box.color, QColor::fromRgb(QRgb(info().color)));
  EXPECT_EQ(box.row(QStringLiteral("Activation")) != nullptr, info().arg("activation") != nullptr);
  ASSERT_EQ(box.shapes.size(), 2u);
  EXPECT_EQ(box.shapes[1].value.toStdString(), shapeToString(analyze(spec).layers[size_t(i)].outputShape));
  // The picture paints the title in the kind's colour.
  const QImage image = renderDiagram(spec, o);
  const QPoint inTitle = box.titleRect.topLeft().toPoint() + QPoint(3, 3);
  EXPECT_EQ(image.pixelColor(inTitle), box.color);
}

TEST_P(LayerKindTest, kerasScriptHasTheKindsLine) {
  const ModelSpec spec = modelWith(layer());
  const int i = layerIndex(spec, GetParam());
  const std::string name = layerNames(spec)[size_t(i)];
  const std::string line = info().kerasCall(spec.layers[size_t(i)], name);
  EXPECT_EQ(line.rfind("layers." + info().className + "(", 0), 0u) << line;
  EXPECT_NE(line.find("name=\"" + name + "\")"), std::string::npos) << line;
  for (const LayerArg& arg : info().args) {
    const ArgValue v = arg.kerasGet(spec.layers[size_t(i)]);
    if (arg.positional || (arg.omitWhen && v == *arg.omitWhen)) continue;
    EXPECT_NE(line.find(arg.key + "="), std::string::npos) << line;
  }
  EXPECT_NE(kerasScript(spec).find(line), std::string::npos) << line;
}

INSTANTIATE_TEST_SUITE_P(EveryKind, LayerKindTest, testing::ValuesIn(registeredKinds()), kindName);

}  // namespace

int main(int argc, char** argv) {
  QGuiApplication app(argc, argv);
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
