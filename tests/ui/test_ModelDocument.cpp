// The model document without a window: what Save writes (trained weights while they fit the
// architecture, fresh weights and no history otherwise, never silently), what Open takes (all or
// nothing), and how a continued run appends to the history while a fresh one starts it anew.

#include "ModelDocument.h"

#include "io/ModelFile.h"
#include "nn/Model.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace dl;

namespace {

// Weights of `spec` that no initialiser would produce: every value 0.25.
std::vector<Matrix> markedWeights(const ModelSpec& spec) {
  std::vector<Matrix> w = Model(spec, 1).weights();
  for (Matrix& m : w) m.setConstant(0.25f);
  return w;
}

EpochLog epoch(int n, double loss) {
  EpochLog e;
  e.epoch = n;
  e.epochs = 5;
  e.loss = loss;
  e.accuracy = 0.5;
  return e;
}

BatchLog batch(int epochNumber, int b, double loss) {
  BatchLog log;
  log.epoch = epochNumber;
  log.batch = b;
  log.batchesPerEpoch = 2;
  log.loss = loss;
  log.accuracy = 0.5;
  return log;
}

}  // namespace

class TestModelDocument : public QObject {
  Q_OBJECT

 private slots:
  void savesTrainedWeightsHistoryAndMetrics();
  void keepsWeightsWhenOnlyNamesOrActivationsChange();
  void refusesWeightsThatNoLongerFitUnlessFreshWeightsAreWanted();
  void withoutTrainingSavesFreshWeightsAndNoHistory();
  void aFailedOpenChangesNothing();
  void aContinuedRunAppendsAFreshOneStartsAnew();
};

void TestModelDocument::savesTrainedWeightsHistoryAndMetrics() {
  QTemporaryDir dir;
  const ModelSpec spec = presetMlp();
  ModelDocument doc;
  doc.beginRun("digits", false);
  doc.addBatches({batch(1, 1, 2.0), batch(1, 2, 1.5)});
  doc.addEpoch(epoch(1, 1.75));
  doc.setWeights(spec, markedWeights(spec));
  doc.setFinalMetrics(0.3, 0.9, 0.35, 0.88);
  doc.setModified(true);
  const QString path = dir.filePath(QStringLiteral("m.dlm"));
  QString error;
  QCOMPARE(doc.save(path, spec, false, "ignored", &error), ModelDocument::SaveResult::Saved);
  QVERIFY(!doc.isModified());
  QCOMPARE(doc.path(), path);

  ModelDocument opened;
  ModelSpec read;
  QVERIFY2(opened.open(path, &read, &error), qPrintable(error));
  QCOMPARE(read.layers.size(), spec.layers.size());
  QCOMPARE(opened.weights().size(), Model(spec, 1).weights().size());
  for (const Matrix& m : opened.weights()) QCOMPARE(m(0, 0), 0.25f);
  QCOMPARE(opened.trainedEpochs(), 1);
  QCOMPARE(opened.history().batchLoss.size(), size_t(2));
  QCOMPARE(opened.metadata().dataset, std::string("digits"));
  QCOMPARE(opened.metadata().testAccuracy, 0.88);
  QVERIFY(opened.hasFinalMetrics());
  QVERIFY(opened.metadata().history.empty());  // the history lives in history() only
}

void TestModelDocument::keepsWeightsWhenOnlyNamesOrActivationsChange() {
  const ModelSpec spec = presetMlp();
  ModelDocument doc;
  doc.setWeights(spec, markedWeights(spec));
  ModelSpec renamed = spec;
  renamed.layers[0].name = "hidden";
  QVERIFY(doc.weightsFit(renamed));
  ModelSpec wider = spec;
  wider.layers[0].units = 300;
  QVERIFY(!doc.weightsFit(wider));
  QVERIFY(!ModelDocument().weightsFit(spec));  // nothing trained: nothing fits
  // The answer follows the weights: asked again after other weights arrived, it is asked anew.
  QVERIFY(doc.weightsFit(spec));
  doc.setWeights(wider, markedWeights(wider));
  QVERIFY(!doc.weightsFit(spec));
  QVERIFY(doc.weightsFit(wider));
}

void TestModelDocument::refusesWeightsThatNoLongerFitUnlessFreshWeightsAreWanted() {
  QTemporaryDir dir;
  const ModelSpec spec = presetMlp();
  ModelDocument doc;
  doc.beginRun("digits", false);
  doc.addEpoch(epoch(1, 1.0));
  doc.setWeights(spec, markedWeights(spec));
  doc.setFinalMetrics(0.3, 0.9, 0.35, 0.88);
  doc.setModified(true);
  ModelSpec wider = spec;
  wider.layers[0].units = 300;
  const QString path = dir.filePath(QStringLiteral("w.dlm"));
  QString error;
  QCOMPARE(doc.save(path, wider, false, "digits", &error), ModelDocument::SaveResult::WeightsDoNotFit);
  QVERIFY(error.contains(QLatin1String("w.dlm")));
  QVERIFY(!QFile::exists(path));
  QVERIFY(doc.isModified());
  QVERIFY(doc.path().isEmpty());

  QCOMPARE(doc.save(path, wider, true, "digits", &error), ModelDocument::SaveResult::Saved);
  const ModelFileContents written = loadModelFile(path);
  QVERIFY(written.metadata.history.empty());           // the old run's history did not make this
  QVERIFY(std::isnan(written.metadata.testAccuracy));  // nor its metrics
  QCOMPARE(written.weights[0].rows() * written.weights[0].cols(), Eigen::Index(784 * 300));
  QVERIFY(written.weights[0](0, 0) != 0.25f);
}

void TestModelDocument::withoutTrainingSavesFreshWeightsAndNoHistory() {
  QTemporaryDir dir;
  ModelDocument doc;
  const QString path = dir.filePath(QStringLiteral("fresh.dlm"));
  QString error;
  QCOMPARE(doc.save(path, presetCnn(), false, "Fashion-MNIST", &error), ModelDocument::SaveResult::Saved);
  const ModelFileContents written = loadModelFile(path);
  QVERIFY(written.metadata.history.empty());
  QCOMPARE(written.metadata.dataset, std::string("Fashion-MNIST"));
  QCOMPARE(doc.save(QString(), presetCnn(), false, "", &error), ModelDocument::SaveResult::Failed);
  QVERIFY(!error.isEmpty());
}

void TestModelDocument::aFailedOpenChangesNothing() {
  QTemporaryDir dir;
  const QString bad = dir.filePath(QStringLiteral("bad.dlm"));
  QFile f(bad);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("PK\x03\x04 this is not a zip archive");
  f.close();
  const ModelSpec spec = presetMlp();
  ModelDocument doc;
  doc.setWeights(spec, markedWeights(spec));
  doc.setPath(dir.filePath(QStringLiteral("current.dlm")));
  doc.setModified(true);
  QString error;
  ModelSpec read;
  QVERIFY(!doc.open(bad, &read, &error));
  QVERIFY2(error.contains(QLatin1String("bad.dlm")), qPrintable(error));
  QVERIFY(doc.hasWeights());
  QCOMPARE(doc.weights()[0](0, 0), 0.25f);
  QVERIFY(doc.path().endsWith(QLatin1String("current.dlm")));
  QVERIFY(doc.isModified());
}

void TestModelDocument::aContinuedRunAppendsAFreshOneStartsAnew() {
  const ModelSpec spec = presetMlp();
  ModelDocument doc;
  doc.beginRun("digits", false);
  doc.addBatches({batch(1, 1, 2.0), batch(1, 2, 1.5)});
  doc.addEpoch(epoch(1, 1.75));
  doc.setWeights(spec, markedWeights(spec));
  doc.setFinalMetrics(0.3, 0.9, 0.35, 0.88);

  doc.beginRun("digits", true);
  QVERIFY(doc.hasWeights());  // the continued run starts from them
  QCOMPARE(doc.trainedEpochs(), 1);
  QVERIFY(!doc.hasFinalMetrics());  // they described the weights before
  doc.addBatches({batch(2, 1, 1.0)});
  doc.addEpoch(epoch(2, 1.0));
  QCOMPARE(doc.trainedEpochs(), 2);
  QCOMPARE(doc.history().batchLoss.size(), size_t(3));

  doc.beginRun("digits", false);
  QVERIFY(!doc.hasWeights());
  QCOMPARE(doc.trainedEpochs(), 0);
  QVERIFY(doc.history().empty());
}

QTEST_GUILESS_MAIN(TestModelDocument)
#include "test_ModelDocument.moc"
