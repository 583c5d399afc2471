// DigitLab's .dlm model file: the Keras-style JSON members, the metadata and the .npy weight
// tensors put into (and checked out of) the zip container (see ModelFile.h). The container, the
// .npy format and the metadata are their own files: ZipArchive, Npy, ModelFileMetadata.

#include "io/ModelFile.h"

#include "io/ZipArchive.h"
#include "model/ModelSpecJson.h"

#include <QJsonDocument>

#include <cstring>

namespace dl {

namespace {

constexpr qint64 kMaxJsonBytes = qint64(64) << 20;  // any one JSON member
const ZipLimits kLimits;                            // 512 MiB in all, 10,000 members

const QString kConfig = QStringLiteral("config.json");
const QString kTraining = QStringLiteral("training.json");
const QString kMetadata = QStringLiteral("metadata.json");

QString qs(const std::string& s) { return QString::fromStdString(s); }

[[noreturn]] void fail(const QString& path, const std::string& what) { failModelFile(path, what); }

QString weightMember(const std::string& layer, const std::string& param) {
  return QStringLiteral("weights/") + qs(layer) + QLatin1Char('/') + qs(param) + QStringLiteral(".npy");
}

// What every parameter of a spec looks like: built once to learn names and shapes.
struct ParamLayout {
  std::string layer, name;
  Shape kerasShape;
  Eigen::Index rows = 0, cols = 0;
};

std::vector<ParamLayout> paramLayout(const Model& model) {
  std::vector<ParamLayout> out;
  for (const auto& layer : model.layers()) {
    const Layer& l = *layer;
    for (const Param* p : l.params())
      out.push_back({l.name(), p->name, p->kerasShape, p->value.rows(), p->value.cols()});
  }
  return out;
}

std::unique_ptr<Model> modelFor(const ModelSpec& spec, const QString& path) {
  try {
    return std::make_unique<Model>(spec, spec.training.seed);
  } catch (const std::exception& e) {
    fail(path, std::string("the model it describes is invalid: ") + e.what());
  }
}

void save(const QString& path, const ModelSpec& spec, const std::vector<ParamLayout>& layout,
          const std::vector<Matrix>& weights, const ModelFileMetadata& metadata, int64_t parameters) {
  if (weights.size() != layout.size())
    fail(path, "the model has " + std::to_string(layout.size()) + " weight tensors but " +
                   std::to_string(weights.size()) + " were given");
  if (parameters * 4 > kLimits.maxTotalBytes)
    fail(path, "the model's weights (" + mibText(parameters * 4) + ") exceed what a model file may hold (" +
                   mibText(kLimits.maxTotalBytes) + ")");
  for (size_t i = 0; i < layout.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (layout[i].layer == layout[j].layer && layout[i].name == layout[j].name)
        fail(path,
             "two weight tensors would both be named " + weightMember(layout[i].layer, layout[i].name).toStdString());

  ZipWriter zip(path);
  zip.add(kConfig, modelSpecToKerasJson(spec), true);
  zip.add(kTraining, trainingSpecToJson(spec.training), true);
  zip.add(kMetadata, QJsonDocument(metadataToJson(metadata, parameters)).toJson(QJsonDocument::Compact).toStdString(),
          true);
  for (size_t i = 0; i < layout.size(); ++i) {
    const ParamLayout& p = layout[i];
    const QString member = weightMember(p.layer, p.name);
    if (weights[i].rows() != p.rows || weights[i].cols() != p.cols)
      fail(path, member.toStdString() + ": weight tensor is " + std::to_string(weights[i].rows()) + "x" +
                     std::to_string(weights[i].cols()) + " but the layer needs " + std::to_string(p.rows) + "x" +
                     std::to_string(p.cols));
    zip.add(member, npyBytes(weights[i].data(), p.kerasShape), false);  // stored: floats barely compress
  }
  zip.commit();
}

ModelSpec readSpec(ZipReader& zip) {
  const QString path = zip.path();
  const QByteArray config = zip.read(kConfig, kMaxJsonBytes);
  ModelSpec spec;
  try {
    spec = modelSpecFromJson(config.toStdString(), path.toStdString() + ": config.json");
    if (zip.has(kTraining))
      spec.training = trainingSpecFromJson(zip.read(kTraining, kMaxJsonBytes).toStdString(),
                                           path.toStdString() + ": training.json");
  } catch (const SpecError& e) {
    throw ModelFileError(e.what());
  }
  return spec;
}

}  // namespace

void saveModelFile(const QString& path, const Model& model, const ModelFileMetadata& metadata) {
  save(path, model.spec(), paramLayout(model), model.weights(), metadata, model.parameterCount());
}

void saveModelFile(const QString& path, const ModelSpec& spec, const std::vector<Matrix>& weights,
                   const ModelFileMetadata& metadata) {
  const std::unique_ptr<Model> model = modelFor(spec, path);
  save(path, spec, paramLayout(*model), weights, metadata, model->parameterCount());
}

ModelSpec readModelFileSpec(const QString& path) {
  ZipReader zip(path, kLimits);
  return readSpec(zip);
}

ModelFileContents loadModelFile(const QString& path) {
  ZipReader zip(path, kLimits);
  ModelFileContents c;
  c.spec = readSpec(zip);
  if (zip.has(kMetadata)) c.metadata = metadataFromJson(zip.read(kMetadata, kMaxJsonBytes), path);
  const std::unique_ptr<Model> model = modelFor(c.spec, path);
  for (const ParamLayout& p : paramLayout(*model)) {
    const QString member = weightMember(p.layer, p.name);
    if (!zip.has(member)) fail(path, "has no " + member.toStdString() + " (the weights of layer '" + p.layer + "')");
    const qint64 dataBytes = int64_t(p.rows) * p.cols * 4;
    const QByteArray bytes = zip.read(member, dataBytes + kMaxNpyHeaderBytes);
    const std::vector<float> values =
        floatsFromNpy(bytes.toStdString(), p.kerasShape, path.toStdString() + ": " + member.toStdString());
    Matrix m(p.rows, p.cols);
    std::memcpy(m.data(), values.data(), values.size() * sizeof(float));
    c.weights.push_back(std::move(m));
  }
  return c;
}

std::unique_ptr<Model> buildModel(const ModelFileContents& contents) {
  auto model = std::make_unique<Model>(contents.spec, contents.spec.training.seed);
  model->setWeights(contents.weights);
  return model;
}

}  // namespace dl
