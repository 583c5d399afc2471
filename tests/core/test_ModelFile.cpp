// Tests of the .dlm model file: round trips of both presets (bit-identical weights, equal
// predictions, history), .npy headers byte for byte as numpy writes them, the zip layout numpy.load
// needs, every hostile file (built here with a small independent zip writer), a failed save that
// leaves the previous file intact and, when python3 with numpy is present, numpy.load on the file.

#include "io/ModelFile.h"
#include "model/ModelSpecJson.h"

#include "TestSupport.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace dl {
namespace {

// --- a minimal zip writer and reader, independent of QuaZip ---------------------------------

struct Member {
  std::string name;
  std::string data;
  int64_t declaredSize = -1;  // what the headers claim (-1: the real size)
  uint16_t method = 0;        // 0 stored (the data is written as given)
  uint16_t flags = 0;
  bool corruptAfterCrc = false;  // flip a byte after computing the CRC
};

void put16(std::string& s, uint32_t v) {
  s += char(v & 0xff);
  s += char((v >> 8) & 0xff);
}
void put32(std::string& s, uint32_t v) {
  put16(s, v & 0xffff);
  put16(s, v >> 16);
}
uint32_t get16(const std::string& s, size_t at) { return uint32_t(uint8_t(s[at])) | uint32_t(uint8_t(s[at + 1])) << 8; }
uint32_t get32(const std::string& s, size_t at) { return get16(s, at) | get16(s, at + 2) << 16; }

std::string makeZip(const std::vector<Member>& members) {
  std::string out, central;
  for (const Member& m : members) {
    const uint32_t offset = uint32_t(out.size());
    const uint32_t crc = uint32_t(crc32(0, reinterpret_cast<const Bytef*>(m.data.data()), uInt(m.data.size())));
    const uint32_t size = m.declaredSize >= 0 ? uint32_t(m.declaredSize) : uint32_t(m.data.size());
    std::string data = m.data;
    if (m.corruptAfterCrc) data[data.size() - 1] ^= 0x5a;
    auto common = [&](std::string& s) {
      put16(s, 20);  // version needed
      put16(s, m.flags);
      put16(s, m.method);
      put16(s, 0);     // time
      put16(s, 0x21);  // date: 1980-01-01
      put32(s, crc);
      put32(s, size);  // compressed size (stored)
      put32(s, size);  // uncompressed size
      put16(s, uint32_t(m.name.size()));
      put16(s, 0);  // extra
    };
    put32(out, 0x04034b50);
    common(out);
    out += m.name;
    out += data;
    put32(central, 0x02014b50);
    put16(central, 20);  // made by
    common(central);
    put16(central, 0);  // comment
    put16(central, 0);  // disk
    put16(central, 0);  // internal attributes
    put32(central, 0);  // external attributes
    put32(central, offset);
    central += m.name;
  }
  const uint32_t cdOffset = uint32_t(out.size());
  out += central;
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, uint32_t(members.size()));
  put16(out, uint32_t(members.size()));
  put32(out, uint32_t(central.size()));
  put32(out, cdOffset);
  put16(out, 0);
  return out;
}

struct Entry {
  std::string name;
  uint32_t method, flags, compressedSize, size;
};

// The central directory of a zip (no zip64, no comment).
std::vector<Entry> listZip(const std::string& z) {
  std::vector<Entry> out;
  if (z.size() < 22 || get32(z, z.size() - 22) != 0x06054b50) return out;
  const uint32_t count = get16(z, z.size() - 12);
  size_t at = get32(z, z.size() - 6);
  for (uint32_t i = 0; i < count && at + 46 <= z.size() && get32(z, at) == 0x02014b50; ++i) {
    const uint32_t nameLength = get16(z, at + 28), extra = get16(z, at + 30), comment = get16(z, at + 32);
    out.push_back(
        {z.substr(at + 46, nameLength), get16(z, at + 10), get16(z, at + 8), get32(z, at + 20), get32(z, at + 24)});
    at += 46 + nameLength + extra + comment;
  }
  return out;
}

std::string readAll(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return f.readAll().toStdString();
}

void writeAll(const QString& path, const std::string& bytes) {
  QFile f(path);
  ASSERT_TRUE(f.open(QIODevice::WriteOnly));
  ASSERT_EQ(f.write(bytes.data(), qint64(bytes.size())), qint64(bytes.size()));
}

// --- fixtures --------------------------------------------------------------------------------

ModelFileMetadata sampleMetadata() {
  ModelFileMetadata md;
  md.dataset = "MNIST (embedded, 10,000 digits)";
  md.trainLoss = 0.1432;
  md.trainAccuracy = 0.9581;
  md.testLoss = 0.2013;
  md.testAccuracy = 0.9405;
  md.dateSaved = "2025-05-01T12:34:56Z";
  EpochLog e1;
  e1.epoch = 1;
  e1.epochs = 2;
  e1.seconds = 1.25;
  e1.loss = 0.689;
  e1.accuracy = 0.7851;
  e1.samplesPerSecond = 6400;
  EpochLog e2 = e1;
  e2.epoch = 2;
  e2.loss = 0.3012345678;
  e2.valLoss = 0.25;
  e2.valAccuracy = 0.93;
  md.history.epochs = {e1, e2};
  const Matrix r = test::randomMatrix(2, 500, 5, 0, 2);
  for (int i = 0; i < 500; ++i) {
    BatchLog b;
    b.loss = r(0, i);
    b.accuracy = r(1, i) / 2;
    b.batchesPerEpoch = 250;
    md.history.addBatch(b);
  }
  return md;
}

// The members of a valid model file for `model`, built independently of saveModelFile.
std::vector<Member> validMembers(Model& model) {
  std::vector<Member> m{{"config.json", modelSpecToKerasJson(model.spec())},
                        {"training.json", trainingSpecToJson(model.spec().training)}};
  for (const ParamRef& p : model.params())
    m.push_back(
        {"weights/" + p.layer + "/" + p.param->name + ".npy", npyBytes(p.param->value.data(), p.param->kerasShape)});
  return m;
}

Member* find(std::vector<Member>& members, const std::string& name) {
  for (Member& m : members)
    if (m.name == name) return &m;
  return nullptr;
}

// An NPY 1.0 file with the given header dict text (padded as numpy pads it) and data.
std::string npyWith(const std::string& dict, const std::string& data) {
  std::string h = dict;
  const size_t pad = 64 - (10 + h.size() + 1) % 64;
  h.append(pad, ' ');
  h += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  put16(out, uint32_t(h.size()));
  return out + h + data;
}

std::string loadError(const QString& path) {
  try {
    loadModelFile(path);
  } catch (const ModelFileError& e) {
    return e.what();
  }
  return {};
}

class ModelFileTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(m_dir.isValid()); }
  QString path(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }
  QTemporaryDir m_dir;
};

// --- round trips -------------------------------------------------------------------------------

TEST_F(ModelFileTest, EveryPresetRoundTripsBitIdentically) {
  for (const ModelSpec& preset : {presetMlp(), presetCnn(), presetDigits()}) {
    Model model(preset, 7);
    const ModelFileMetadata md = sampleMetadata();
    const QString file = path("model.dlm");
    saveModelFile(file, model, md);

    const ModelFileContents c = loadModelFile(file);
    EXPECT_TRUE(c.spec == preset) << preset.name;
    const std::vector<Matrix> original = model.weights();
    ASSERT_EQ(c.weights.size(), original.size());
    for (size_t i = 0; i < original.size(); ++i) {
      ASSERT_EQ(c.weights[i].rows(), original[i].rows());
      ASSERT_EQ(c.weights[i].cols(), original[i].cols());
      EXPECT_EQ(std::memcmp(c.weights[i].data(), original[i].data(), size_t(original[i].size()) * 4), 0) << i;
    }

    const Matrix x = test::randomMatrix(17, model.inputSize(), 3, 0, 1);
    const Matrix expected = model.predict(x.data(), 17);
    const std::unique_ptr<Model> loaded = buildModel(c);
    const Matrix got = loaded->predict(x.data(), 17);
    EXPECT_EQ((got - expected).cwiseAbs().maxCoeff(), 0.0f) << preset.name;

    const ModelFileMetadata& m = c.metadata;
    EXPECT_EQ(m.dataset, md.dataset);
    EXPECT_EQ(m.dateSaved, md.dateSaved);
    EXPECT_EQ(m.digitlabVersion, DIGITLAB_VERSION);
    EXPECT_EQ(m.trainLoss, md.trainLoss);
    EXPECT_EQ(m.testAccuracy, md.testAccuracy);
    ASSERT_EQ(m.history.epochs.size(), 2u);
    EXPECT_EQ(m.history.epochs[1].loss, md.history.epochs[1].loss);
    EXPECT_EQ(m.history.epochs[1].valAccuracy, 0.93);
    EXPECT_FALSE(m.history.epochs[0].hasValidation());
    EXPECT_EQ(m.history.epochs[0].samplesPerSecond, 6400);
    EXPECT_EQ(m.history.batchesPerEpoch, 250);
    EXPECT_EQ(m.history.batchLoss, md.history.batchLoss);  // float values survive exactly
    EXPECT_EQ(m.history.batchAccuracy, md.history.batchAccuracy);

    EXPECT_TRUE(readModelFileSpec(file) == preset);  // (--model FILE.dlm: app/ModelArgument, CLI tests)
  }
}

TEST_F(ModelFileTest, SavesFromSpecAndSnapshotWeights) {
  Model model(presetMlp(), 3);
  ModelFileMetadata md;  // all NaN / empty
  saveModelFile(path("s.dlm"), model.spec(), model.weights(), md);
  const ModelFileContents c = loadModelFile(path("s.dlm"));
  EXPECT_TRUE(std::isnan(c.metadata.testLoss));
  EXPECT_TRUE(c.metadata.history.empty());
  EXPECT_FALSE(c.metadata.dateSaved.empty());  // "now"
  EXPECT_EQ(c.weights.size(), 6u);
}

TEST_F(ModelFileTest, ZipLayoutIsWhatNumpyLoadNeeds) {
  Model model(presetCnn(), 1);
  saveModelFile(path("c.dlm"), model, sampleMetadata());
  const std::vector<Entry> entries = listZip(readAll(path("c.dlm")));
  std::vector<std::string> names;
  for (const Entry& e : entries) {
    names.push_back(e.name);
    EXPECT_TRUE(e.method == 0 || e.method == 8) << e.name << " method " << e.method;
    EXPECT_EQ(e.flags & 1u, 0u) << e.name;  // not encrypted
    if (e.name.size() > 4 && e.name.substr(e.name.size() - 4) == ".npy") {
      EXPECT_EQ(e.method, 0u) << e.name;
    }
  }
  const std::vector<std::string> expected = {
      "config.json",
      "training.json",
      "metadata.json",
      "weights/conv2d/kernel.npy",
      "weights/conv2d/bias.npy",
      "weights/conv2d_1/kernel.npy",
      "weights/conv2d_1/bias.npy",
      "weights/dense/kernel.npy",
      "weights/dense/bias.npy",
      "weights/dense_1/kernel.npy",
      "weights/dense_1/bias.npy",
  };
  EXPECT_EQ(names, expected);
  for (const Entry& e : entries)
    if (e.name == "weights/dense/kernel.npy") {
      EXPECT_EQ(e.size, 128u + 3136u * 1024u * 4u);
    }
}

// --- .npy bytes ------------------------------------------------------------------------------

TEST(Npy, HeaderBytesAreExactlyWhatNumpySaveWrites) {
  // numpy 1.24: np.save(f, np.zeros(shape, '<f4')), the first 128 bytes.
  struct Case {
    Shape shape;
    std::string dict;  // between the 10-byte prefix and the padding
  };
  const Case cases[] = {
      {{784, 200}, "{'descr': '<f4', 'fortran_order': False, 'shape': (784, 200), }"},
      {{200}, "{'descr': '<f4', 'fortran_order': False, 'shape': (200,), }"},
      {{5, 5, 1, 32}, "{'descr': '<f4', 'fortran_order': False, 'shape': (5, 5, 1, 32), }"},
      {{3136, 1024}, "{'descr': '<f4', 'fortran_order': False, 'shape': (3136, 1024), }"},
      {{10}, "{'descr': '<f4', 'fortran_order': False, 'shape': (10,), }"},
  };
  for (const Case& c : cases) {
    const std::vector<float> zeros(size_t(shapeSize(c.shape)), 0.0f);
    const std::string npy = npyBytes(zeros.data(), c.shape);
    // b"\x93NUMPY\x01\x00v\x00" + dict + spaces + "\n": 128 bytes before the data.
    std::string header("\x93NUMPY\x01\x00\x76\x00", 10);
    header += c.dict;
    header.append(127 - header.size(), ' ');
    header += '\n';
    ASSERT_EQ(npy.size(), 128 + zeros.size() * 4);
    EXPECT_EQ(npy.substr(0, 128), header) << shapeToString(c.shape);
  }
}

TEST(Npy, DataIsLittleEndianFloat32InCOrderAndReadsBack) {
  const float v[6] = {1.0f, -2.5f, 3.25f, 0.0f, 1e-30f, -7.0f};
  const std::string npy = npyBytes(v, {2, 3});
  EXPECT_EQ(npy.substr(128, 4), std::string("\x00\x00\x80\x3f", 4));  // 1.0f
  EXPECT_EQ(npy.substr(132, 4), std::string("\x00\x00\x20\xc0", 4));  // -2.5f
  const std::vector<float> back = floatsFromNpy(npy, {2, 3}, "t");
  EXPECT_EQ(back, std::vector<float>(v, v + 6));
  // numpy's version 2.0 header (4-byte length) is read too.
  std::string v2("\x93NUMPY\x02\x00", 8);
  const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  std::string h = dict;
  h.append(64 - (12 + h.size() + 1) % 64, ' ');
  h += '\n';
  put32(v2, uint32_t(h.size()));
  EXPECT_EQ(floatsFromNpy(v2 + h + npy.substr(128), {2, 3}, "t"), back);
}

TEST(Npy, RefusesWrongHeaders) {
  const std::string data(24, '\0');
  auto error = [&](const std::string& npy) -> std::string {
    try {
      floatsFromNpy(npy, {2, 3}, "m.dlm: weights/dense/kernel.npy");
    } catch (const ModelFileError& e) {
      return e.what();
    }
    return {};
  };
  const std::string good = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  EXPECT_EQ(error(npyWith(good, data)), "");
  const std::pair<std::string, std::string> cases[] = {
      {"not npy at all", "not a .npy file"},
      {npyWith("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", std::string(48, '\0')), "dtype '<f8'"},
      {npyWith("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", data), "dtype '>f4'"},
      {npyWith("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", data), "Fortran order"},
      {npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }", data),
       "has shape (3, 2) but the layer needs (2, 3)"},
      {npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", data), "has shape (6,)"},
      {npyWith(good, data.substr(4)), "holds 20 bytes of data"},
      {npyWith(good, data + "xxxx"), "holds 28 bytes of data"},
      {npyWith("{'descr': '<f4', 'shape': (2, 3), }", data), "are required"},
      {npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'extra': 1}", data), "unexpected key"},
      {npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }", data), "bad dimension"},
      {npyWith("__import__('os').system('rm -rf /')", data), "not a valid .npy header"},
      {std::string("\x93NUMPY\x01\x00\xff\x7f", 10) + "{", "truncated .npy header"},
      {std::string("\x93NUMPY\x04\x00\x10\x00", 10), "version 4.0"},
  };
  for (const auto& [npy, mention] : cases) {
    const std::string e = error(npy);
    EXPECT_NE(e.find(mention), std::string::npos) << "want '" << mention << "', got: " << e;
    EXPECT_EQ(e.rfind("m.dlm: weights/dense/kernel.npy: ", 0), 0u) << e;
  }
}

// --- hostile files -----------------------------------------------------------------------------

TEST_F(ModelFileTest, RefusesHostileFiles) {
  Model model(presetMlp(), 1);
  saveModelFile(path("good.dlm"), model, sampleMetadata());
  const std::string good = readAll(path("good.dlm"));
  const std::string kernel = "weights/dense/kernel.npy";

  struct Case {
    const char* what;
    std::function<std::string()> bytes;
    std::vector<std::string> mentions;
  };
  auto members = [&](const std::function<void(std::vector<Member>&)>& change) {
    return [&model, change] {
      std::vector<Member> m = validMembers(model);
      change(m);
      return makeZip(m);
    };
  };
  const std::vector<Case> cases = {
      {"empty file", [] { return std::string(); }, {"not a zip archive"}},
      {"random bytes",
       [] {
         std::mt19937 rng(9);
         std::string s(4096, '\0');
         for (char& c : s) c = char(rng());
         return s;
       },
       {"not a zip archive"}},
      {"a JSON spec named .dlm", [] { return modelSpecToJson(presetMlp()); }, {"not a zip archive"}},
      {"truncated zip", [&] { return good.substr(0, good.size() * 6 / 10); }, {"not a zip archive"}},
      {"zip cut inside its directory", [&] { return good.substr(0, good.size() - 30); }, {"not a zip archive"}},
      {"missing config", members([](auto& m) { m.erase(m.begin()); }), {"has no config.json"}},
      {"missing tensor", members([](auto& m) { m.pop_back(); }), {"has no weights/dense_2/bias.npy", "'dense_2'"}},
      {"wrong shape",
       members([&](auto& m) {
         const std::vector<float> z(784 * 200, 0.0f);
         find(m, kernel)->data = npyBytes(z.data(), {200, 784});
       }),
       {kernel, "has shape (200, 784) but the layer needs (784, 200)"}},
      {"wrong dtype",
       members([&](auto& m) {
         find(m, "weights/dense/bias.npy")->data =
             npyWith("{'descr': '<f8', 'fortran_order': False, 'shape': (200,), }", std::string(1600, '\0'));
       }),
       {"weights/dense/bias.npy", "dtype '<f8'"}},
      {"npy data cut short", members([&](auto& m) { find(m, kernel)->data.resize(1000); }), {kernel, "bytes of data"}},
      {"bad JSON in config",
       members([](auto& m) { m[0].data = "{\"class_name\": \"Sequential\", "; }),
       {"config.json", "not valid JSON"}},
      {"hostile spec in config",
       members([](auto& m) { m[0].data = R"({"layers": [{"class_name": "Dense", "units": 1e12}]})"; }),
       {"config.json", "'units'", "1e+12"}},
      {"config that cannot be built",
       members([](auto& m) {
         m[0].data = R"({"layers": [{"class_name": "Dense", "units": 7, "activation": "softmax"}]})";
       }),
       {"the model it describes is invalid"}},
      {"bad training.json",
       members([](auto& m) { m[1].data = R"({"optimizer": "rmsprop"})"; }),
       {"training.json", "rmsprop"}},
      {"bad metadata JSON",
       members([](auto& m) {
         m.push_back({"metadata.json", "{]"});
       }),
       {"metadata.json is not valid JSON"}},
      {"metadata of the wrong type",
       members([](auto& m) {
         m.push_back({"metadata.json", R"({"dataset": 5})"});
       }),
       {"metadata.json: dataset must be a string"}},
      {"metadata from the future",
       members([](auto& m) {
         m.push_back({"metadata.json", R"({"format_version": 99})"});
       }),
       {"newer DigitLab"}},
      {"oversized JSON member",
       members([](auto& m) { m[0].declaredSize = int64_t(100) << 20; }),
       {"config.json is implausibly large"}},
      {"oversized tensor member",
       members([&](auto& m) { find(m, kernel)->declaredSize = int64_t(600) << 20; }),
       {kernel, "is implausibly large"}},
      {"checksum mismatch",
       members([&](auto& m) { find(m, kernel)->corruptAfterCrc = true; }),
       {kernel, "checksum mismatch"}},
      {"duplicate member", members([](auto& m) { m.push_back(m[0]); }), {"two members named 'config.json'"}},
      {"encrypted member", members([](auto& m) { m[0].flags = 1; }), {"config.json is encrypted"}},
      {"bzip2 member", members([](auto& m) { m[0].method = 12; }), {"compression method 12"}},
  };
  for (const Case& c : cases) {
    const QString file = path("hostile.dlm");
    writeAll(file, c.bytes());
    const std::string e = loadError(file);
    ASSERT_FALSE(e.empty()) << c.what << ": accepted";
    EXPECT_EQ(e.rfind(file.toStdString() + ": ", 0), 0u) << c.what << ": " << e;
    for (const std::string& m : c.mentions) EXPECT_NE(e.find(m), std::string::npos) << c.what << ": " << e;
  }
  EXPECT_EQ(loadError(path("missing.dlm")), path("missing.dlm").toStdString() + ": no such file");
  EXPECT_NE(loadError(m_dir.path()).find("is a folder"), std::string::npos);
}

TEST_F(ModelFileTest, IgnoresUnknownMembersAndNeedsNoMetadata) {
  Model model(presetMlp(), 2);
  std::vector<Member> m = validMembers(model);
  m.push_back({"notes.txt", "hello"});
  m.push_back({"weights/dense/extra.npy", "not even npy"});
  m.push_back({"../../etc/passwd", "never extracted"});
  writeAll(path("extra.dlm"), makeZip(m));
  const ModelFileContents c = loadModelFile(path("extra.dlm"));
  EXPECT_TRUE(c.spec == presetMlp());
  EXPECT_TRUE(c.metadata.dataset.empty());
  EXPECT_EQ(c.weights.size(), 6u);
  EXPECT_FALSE(QFileInfo::exists(m_dir.filePath(QStringLiteral("notes.txt"))));
}

// --- saving ----------------------------------------------------------------------------------

TEST_F(ModelFileTest, FailedSaveLeavesThePreviousFileIntact) {
  Model model(presetMlp(), 4);
  const QString file = path("keep.dlm");
  saveModelFile(file, model, sampleMetadata());
  const std::string before = readAll(file);

  std::vector<Matrix> weights = model.weights();
  weights.back() = Matrix::Zero(1, 3);  // the last tensor is wrong: found while writing
  try {
    saveModelFile(file, model.spec(), weights, sampleMetadata());
    FAIL() << "saved wrong weights";
  } catch (const ModelFileError& e) {
    EXPECT_NE(std::string(e.what()).find("weights/dense_2/bias.npy"), std::string::npos) << e.what();
  }
  EXPECT_EQ(readAll(file), before);
  EXPECT_EQ(QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("keep.dlm")});

  weights.pop_back();
  EXPECT_THROW(saveModelFile(file, model.spec(), weights, sampleMetadata()), ModelFileError);
  EXPECT_EQ(readAll(file), before);
}

TEST_F(ModelFileTest, SaveIntoAMissingFolderNamesThePath) {
  Model model(presetMlp(), 4);
  const QString file = path("no/such/folder/m.dlm");
  try {
    saveModelFile(file, model, {});
    FAIL();
  } catch (const ModelFileError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(file.toStdString() + ": cannot write", 0), 0u) << e.what();
  }
}

// --- numpy -----------------------------------------------------------------------------------

// A python3 that can import numpy, or "" (Debian's /usr/bin/python3 when another one is first
// on PATH).
std::string pythonWithNumpy() {
  for (const char* py : {"python3", "/usr/bin/python3"}) {
    const std::string cmd = std::string(py) + " -c 'import numpy' >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return py;
  }
  return {};
}

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

TEST_F(ModelFileTest, NumpyLoadReadsTheWeightsInKerasLayout) {
  const std::string py = pythonWithNumpy();
  if (py.empty()) GTEST_SKIP() << "no python3 with numpy";
  Model model(presetCnn(), 11);
  const QString file = path("cnn.dlm");
  saveModelFile(file, model, sampleMetadata());
  const std::string script =
      "import json, sys, numpy\n"
      "z = numpy.load(sys.argv[1])\n"
      "k = z['weights/conv2d_1/kernel']\n"
      "d = z['weights/dense/kernel']\n"
      "print(k.shape, k.dtype, d.shape, z['weights/dense_1/bias'].shape)\n"
      "print(repr(float(k[1, 2, 3, 4])), repr(float(d[3000, 7])))\n"
      "print(json.loads(z['config.json'])['class_name'], json.loads(z['metadata.json'])['dataset'])\n";
  writeAll(path("check.py"), script);
  const std::string out = run(py + " " + path("check.py").toStdString() + " " + file.toStdString() + " 2>&1");
  EXPECT_NE(out.find("(5, 5, 32, 64) float32 (3136, 1024) (10,)"), std::string::npos) << out;
  // (kh, kw, cin, cout) in C order is the matrix's row (i*5 + j)*32 + c, column o.
  const std::vector<Matrix> w = model.weights();
  const double conv = w[2]((1 * 5 + 2) * 32 + 3, 4), dense = w[4](3000, 7);
  double a = 0, b = 0;
  const size_t line2 = out.find('\n') + 1;
  ASSERT_EQ(std::sscanf(out.c_str() + line2, "%lf %lf", &a, &b), 2) << out;
  EXPECT_EQ(a, conv);
  EXPECT_EQ(b, dense);
  EXPECT_NE(out.find("Sequential MNIST (embedded, 10,000 digits)"), std::string::npos) << out;
}

}  // namespace
}  // namespace dl
