// Tests of a run's record (train/RunRecord.h) and of the runs a model file's metadata.json keeps
// (io/ModelFileMetadata.h): JSON round trip of every field, NaN as absent, strict reading by type
// (each hostile entry refused with a message naming the member, and in a model file the file),
// older metadata without "runs", the ending from a TrainResult, my digits' accuracy by epoch.

#include "io/ModelFile.h"
#include "io/ModelFileError.h"
#include "io/ModelFileMetadata.h"
#include "train/RunRecord.h"
#include "train/TrainingTypes.h"

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <cmath>
#include <functional>
#include <string>

namespace dl {
namespace {

EpochLog epoch(int n, double loss, double acc, double valLoss, double valAcc) {
  EpochLog e;
  e.epoch = n;
  e.epochs = 3;
  e.seconds = 1.5 * n;
  e.loss = loss;
  e.accuracy = acc;
  e.valLoss = valLoss;
  e.valAccuracy = valAcc;
  return e;
}

RunRecord sampleRun() {
  ModelSpec spec = presetCnn();
  spec.training.batchSize = 128;
  spec.training.optimizer.learningRate = 3e-4;
  RunRecord r = RunRecord::begin(spec, "MNIST (embedded)", 0);
  r.epochs = {epoch(1, 0.9, 0.7, 0.5, 0.85), epoch(2, 0.4, 0.88, std::nan(""), std::nan("")),
              epoch(3, 0.3, 0.91, 0.28, 0.92)};
  r.setMyDigitsAccuracy(1, 0.4);
  r.setMyDigitsAccuracy(3, 0.6);
  TrainResult result;
  result.testEvaluated = true;
  result.testLoss = 0.27;
  result.testAccuracy = 0.925;
  result.seconds = 12.25;
  result.cancelled = true;
  result.message = QStringLiteral("Stopped after 3 epochs.");
  r.finish(result);
  return r;
}

bool sameOrBothNaN(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

TEST(RunRecord, BeginGivesAFreshIdTheTimeAndTheParameterCount) {
  const RunRecord a = RunRecord::begin(presetMlp(), "d", 0);
  const RunRecord b = RunRecord::begin(presetMlp(), "d", 0);
  EXPECT_FALSE(a.id.empty());
  EXPECT_NE(a.id, b.id);
  EXPECT_EQ(a.started.size(), std::string("2026-12-02T15:04:05Z").size());
  EXPECT_EQ(a.parameters, 178110);  // the tutorial MLP: 784*200+200 + 200*100+100 + 100*10+10
  EXPECT_EQ(a.ending, RunRecord::Ending::Running);
}

TEST(RunRecord, FinishTakesTheEndingAndOnlyEvaluatedFigures) {
  const RunRecord r = sampleRun();
  EXPECT_EQ(r.ending, RunRecord::Ending::Stopped);
  EXPECT_TRUE(std::isnan(r.trainLoss));  // trainEvaluated false: the NaN stays, whatever the field says
  EXPECT_DOUBLE_EQ(r.testAccuracy, 0.925);
  EXPECT_DOUBLE_EQ(r.seconds, 12.25);
  RunRecord d = r;
  TrainResult diverged;
  diverged.diverged = true;
  diverged.cancelled = true;
  d.finish(diverged);
  EXPECT_EQ(d.ending, RunRecord::Ending::Diverged);
  EXPECT_TRUE(std::isnan(d.testAccuracy));
}

TEST(RunRecord, MyDigitsAccuracyFollowsTheEpochNumbers) {
  RunRecord r = sampleRun();
  ASSERT_EQ(r.myDigitsAccuracy.size(), 3u);
  EXPECT_DOUBLE_EQ(r.myDigitsAccuracy[0], 0.4);
  EXPECT_TRUE(std::isnan(r.myDigitsAccuracy[1]));
  EXPECT_DOUBLE_EQ(r.curve("my_digits_accuracy")[2], 0.6);
  RunRecord continued = RunRecord::begin(presetMlp(), "d", 5);  // epochs 6, 7, ...
  continued.setMyDigitsAccuracy(6, 0.5);
  continued.setMyDigitsAccuracy(3, 0.9);  // before this run: ignored
  ASSERT_EQ(continued.myDigitsAccuracy.size(), 1u);
  EXPECT_DOUBLE_EQ(continued.myDigitsAccuracy[0], 0.5);
  EXPECT_DOUBLE_EQ(r.lastValue("val_accuracy"), 0.92);
  EXPECT_DOUBLE_EQ(r.curve("loss")[1], 0.4);
}

TEST(RunRecord, JsonRoundTripKeepsEveryField) {
  const RunRecord r = sampleRun();
  const QJsonObject o = runRecordToJson(r);
  // Through text, as a file holds it.
  const QJsonObject reread = QJsonDocument::fromJson(QJsonDocument(o).toJson()).object();
  const RunRecord back = runRecordFromJson(reread, "runs[0]");
  EXPECT_EQ(back.id, r.id);
  EXPECT_EQ(back.started, r.started);
  EXPECT_EQ(back.ending, r.ending);
  EXPECT_EQ(back.message, r.message);
  EXPECT_EQ(back.dataset, r.dataset);
  EXPECT_EQ(back.spec, r.spec);
  EXPECT_EQ(back.parameters, r.parameters);
  EXPECT_EQ(back.initialEpoch, r.initialEpoch);
  EXPECT_DOUBLE_EQ(back.seconds, r.seconds);
  ASSERT_EQ(back.epochs.size(), r.epochs.size());
  for (size_t i = 0; i < r.epochs.size(); ++i) {
    EXPECT_EQ(back.epochs[i].epoch, r.epochs[i].epoch);
    EXPECT_TRUE(sameOrBothNaN(back.epochs[i].loss, r.epochs[i].loss));
    EXPECT_TRUE(sameOrBothNaN(back.epochs[i].accuracy, r.epochs[i].accuracy));
    EXPECT_TRUE(sameOrBothNaN(back.epochs[i].valLoss, r.epochs[i].valLoss));
    EXPECT_TRUE(sameOrBothNaN(back.epochs[i].valAccuracy, r.epochs[i].valAccuracy));
  }
  ASSERT_EQ(back.myDigitsAccuracy.size(), 3u);
  EXPECT_TRUE(std::isnan(back.myDigitsAccuracy[1]));
  EXPECT_DOUBLE_EQ(back.myDigitsAccuracy[2], 0.6);
  EXPECT_TRUE(std::isnan(back.trainLoss));
  EXPECT_DOUBLE_EQ(back.testLoss, 0.27);
  EXPECT_TRUE(back.sourceFile.empty());
  // NaN is written as absent, never as a number.
  EXPECT_FALSE(o.value(QStringLiteral("epochs")).toArray()[1].toObject().contains(QStringLiteral("val_loss")));
}

TEST(RunRecord, HostileEntriesAreRefusedNamingTheMember) {
  const QJsonObject good = runRecordToJson(sampleRun());
  struct Case {
    const char* what;
    std::function<void(QJsonObject&)> change;
    std::string mentions;
  };
  const std::vector<Case> cases = {
      {"no id", [](QJsonObject& o) { o.remove(QStringLiteral("id")); }, "runs[4].id is missing"},
      {"id a number", [](QJsonObject& o) { o[QStringLiteral("id")] = 3; }, "runs[4].id must be a string"},
      {"empty id", [](QJsonObject& o) { o[QStringLiteral("id")] = QString(); }, "runs[4].id must be 1 to 100"},
      {"unknown ending", [](QJsonObject& o) { o[QStringLiteral("ending")] = QStringLiteral("exploded"); },
       "runs[4].ending must be completed"},
      {"seconds a string", [](QJsonObject& o) { o[QStringLiteral("seconds")] = QStringLiteral("12"); },
       "runs[4].seconds must be a number"},
      {"negative seconds", [](QJsonObject& o) { o[QStringLiteral("seconds")] = -1; }, "must not be negative"},
      {"no spec", [](QJsonObject& o) { o.remove(QStringLiteral("spec")); }, "runs[4].spec is missing"},
      {"spec a list", [](QJsonObject& o) { o[QStringLiteral("spec")] = QJsonArray(); },
       "runs[4].spec must be an object"},
      {"spec with an unknown layer",
       [](QJsonObject& o) {
         QJsonObject spec = o[QStringLiteral("spec")].toObject();
         QJsonArray layers = spec[QStringLiteral("layers")].toArray();
         QJsonObject l = layers[0].toObject();
         l[QStringLiteral("class_name")] = QStringLiteral("Teleport");
         layers[0] = l;
         spec[QStringLiteral("layers")] = layers;
         o[QStringLiteral("spec")] = spec;
       },
       "runs[4].spec"},
      {"fractional parameters", [](QJsonObject& o) { o[QStringLiteral("parameters")] = 1.5; },
       "runs[4].parameters must be a whole number"},
      {"epochs an object", [](QJsonObject& o) { o[QStringLiteral("epochs")] = QJsonObject(); },
       "runs[4].epochs must be a list"},
      {"an epoch a number",
       [](QJsonObject& o) {
         o[QStringLiteral("epochs")] = QJsonArray{1, 2};
       },
       "runs[4].epochs must hold objects"},
      {"an epoch's loss a string",
       [](QJsonObject& o) {
         QJsonArray e = o[QStringLiteral("epochs")].toArray();
         QJsonObject first = e[0].toObject();
         first[QStringLiteral("loss")] = QStringLiteral("low");
         e[0] = first;
         o[QStringLiteral("epochs")] = e;
       },
       "runs[4].epochs[0].loss must be a number"},
      {"my digits with text",
       [](QJsonObject& o) {
         o[QStringLiteral("my_digits_accuracy")] = QJsonArray{0.5, "x"};
       },
       "runs[4].my_digits_accuracy must be a list of numbers"},
      {"more my digits than epochs",
       [](QJsonObject& o) {
         o[QStringLiteral("my_digits_accuracy")] = QJsonArray{0.1, 0.2, 0.3, 0.4};
       },
       "has more entries than epochs"},
      {"final a string", [](QJsonObject& o) { o[QStringLiteral("final")] = QStringLiteral("good"); },
       "runs[4].final must be an object"},
      {"final test accuracy true",
       [](QJsonObject& o) {
         o[QStringLiteral("final")] = QJsonObject{{QStringLiteral("test_accuracy"), true}};
       },
       "runs[4].final.test_accuracy must be a number"},
  };
  for (const Case& c : cases) {
    QJsonObject o = good;
    c.change(o);
    try {
      (void)runRecordFromJson(o, "runs[4]");
      ADD_FAILURE() << c.what << ": accepted";
    } catch (const RunRecordError& e) {
      EXPECT_NE(std::string(e.what()).find(c.mentions), std::string::npos) << c.what << ": " << e.what();
    }
  }
}

TEST(RunRecord, ArchitectureSummaryNamesTheLayersAndTheirSizes) {
  EXPECT_EQ(architectureSummary(presetMlp()), "Dense 200 · Dropout 0.4 · Dense 100 · Dropout 0.4 · Dense 10");
  EXPECT_EQ(architectureSummary(presetCnn()).rfind("Conv2D 32 5×5 · MaxPooling2D · Conv2D 64 5×5", 0), 0u);
}

// --- runs in a model file's metadata.json ---------------------------------------------------

QByteArray metadataBytes(const ModelFileMetadata& m) { return QJsonDocument(metadataToJson(m, 10)).toJson(); }

TEST(ModelFileMetadataRuns, RunsAreWrittenAndReadBack) {
  ModelFileMetadata m;
  m.runs = {sampleRun(), RunRecord::begin(presetMlp(), "Fashion-MNIST", 0)};
  const ModelFileMetadata back = metadataFromJson(metadataBytes(m), QStringLiteral("/tmp/x.dlm"));
  ASSERT_EQ(back.runs.size(), 2u);
  EXPECT_EQ(back.runs[0].id, m.runs[0].id);
  EXPECT_EQ(back.runs[1].dataset, "Fashion-MNIST");
  EXPECT_EQ(back.runs[1].spec, presetMlp());
  EXPECT_EQ(back.runs[0].epochs.size(), 3u);
}

TEST(ModelFileMetadataRuns, OlderMetadataWithoutRunsReadsAsNone) {
  const QByteArray older = R"({"format": "DigitLab model", "format_version": 1, "dataset": "MNIST"})";
  const ModelFileMetadata back = metadataFromJson(older, QStringLiteral("old.dlm"));
  EXPECT_TRUE(back.runs.empty());
  EXPECT_EQ(back.dataset, "MNIST");
}

TEST(ModelFileMetadataRuns, AMalformedRunNamesTheFileAndTheEntry) {
  ModelFileMetadata m;
  m.runs = {sampleRun(), sampleRun()};
  QJsonObject o = metadataToJson(m, 10);
  QJsonArray runs = o[QStringLiteral("runs")].toArray();
  QJsonObject second = runs[1].toObject();
  second[QStringLiteral("seconds")] = QStringLiteral("long");
  runs[1] = second;
  o[QStringLiteral("runs")] = runs;
  try {
    (void)metadataFromJson(QJsonDocument(o).toJson(), QStringLiteral("/data/my model.dlm"));
    FAIL() << "accepted";
  } catch (const ModelFileError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("/data/my model.dlm"), std::string::npos) << what;
    EXPECT_NE(what.find("runs[1].seconds must be a number"), std::string::npos) << what;
  }
  o[QStringLiteral("runs")] = QStringLiteral("all of them");
  EXPECT_THROW((void)metadataFromJson(QJsonDocument(o).toJson(), QStringLiteral("f.dlm")), ModelFileError);
  o[QStringLiteral("runs")] = QJsonArray{42};
  try {
    (void)metadataFromJson(QJsonDocument(o).toJson(), QStringLiteral("f.dlm"));
    FAIL() << "accepted";
  } catch (const ModelFileError& e) {
    EXPECT_NE(std::string(e.what()).find("runs[0] must be an object"), std::string::npos) << e.what();
  }
}

TEST(ModelFileMetadataRuns, AModelFileKeepsItsRuns) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const QString file = dir.filePath(QStringLiteral("two.dlm"));
  Model model(presetMlp(), 1);
  ModelFileMetadata m;
  m.runs = {sampleRun(), sampleRun()};
  m.runs[1].id = "second";
  saveModelFile(file, model, m);
  const ModelFileContents back = loadModelFile(file);
  ASSERT_EQ(back.metadata.runs.size(), 2u);
  EXPECT_EQ(back.metadata.runs[1].id, "second");
  EXPECT_EQ(back.metadata.runs[0].spec, m.runs[0].spec);
}

}  // namespace
}  // namespace dl
