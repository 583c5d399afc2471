// My digits on disk: what is added, removed and relabelled is in the IDX files at once and reads
// back equal through the project's IDX reader; damaged files give errors naming the file and the
// defect and are never overwritten.

#include "data/IdxReader.h"
#include "data/MyDigits.h"

#include <gtest/gtest.h>

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <array>
#include <string>
#include <vector>

namespace {

using dl::DataError;
using dl::MyDigits;

constexpr int kPixels = 28 * 28;

// A digit-like image: a bar at column `col`, grey levels that survive byte rounding.
std::array<float, kPixels> bar(int col) {
  std::array<float, kPixels> p{};
  for (int y = 4; y < 24; ++y) p[size_t(y * 28 + col)] = float(y * 10) / 255.0f;
  return p;
}

QByteArray readAll(const std::string& path) {
  QFile f(QString::fromStdString(path));
  EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path;
  return f.readAll();
}

void writeAll(const std::string& path, const QByteArray& bytes) {
  QFile f(QString::fromStdString(path));
  ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate)) << path;
  ASSERT_EQ(f.write(bytes), bytes.size());
}

bool exists(const std::string& path) { return QFileInfo::exists(QString::fromStdString(path)); }

// Expects `call` to throw DataError whose message contains every one of `parts`.
template <typename F>
void expectDataError(F call, const std::vector<std::string>& parts) {
  try {
    call();
    ADD_FAILURE() << "no DataError";
  } catch (const DataError& e) {
    for (const std::string& part : parts) EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

class MyDigitsFiles : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(tmp.isValid()); }
  std::string folder() const { return tmp.filePath(QStringLiteral("my-digits")).toStdString(); }
  // A store with three digits labelled 3, 1, 4.
  MyDigits storeOfThree() {
    MyDigits m(folder());
    m.load();
    m.add(bar(5).data(), 3);
    m.add(bar(10).data(), 1);
    m.add(bar(15).data(), 4);
    return m;
  }
  QTemporaryDir tmp;
};

TEST_F(MyDigitsFiles, NoFilesIsAnEmptySet) {
  MyDigits m(folder());
  m.load();
  EXPECT_EQ(m.count(), 0);
  EXPECT_FALSE(m.broken());
  expectDataError([&] { dl::loadMyDigitsPair(folder()); }, {"My digits is empty", "Add to my digits"});
}

TEST_F(MyDigitsFiles, AddedDigitsReadBackEqualThroughTheIdxReader) {
  MyDigits m = storeOfThree();
  ASSERT_TRUE(exists(m.imagesPath()));
  ASSERT_TRUE(exists(m.labelsPath()));
  const dl::Dataset d = dl::readIdxPair(m.imagesPath(), m.labelsPath());
  EXPECT_EQ(d.count, 3);
  EXPECT_EQ(d.rows, 28);
  EXPECT_EQ(d.cols, 28);
  EXPECT_EQ(d.labels, (std::vector<uint8_t>{3, 1, 4}));
  EXPECT_EQ(d.images, m.digits().images);
  // The bytes are the pixels * 255: the bar's grey levels exactly.
  EXPECT_FLOAT_EQ(d.image(1)[10 * 28 + 10], 100.0f / 255.0f);
  EXPECT_FLOAT_EQ(d.image(1)[10 * 28 + 5], 0.0f);
  // The header is MNIST's.
  const QByteArray images = readAll(m.imagesPath());
  ASSERT_EQ(images.size(), 16 + 3 * kPixels);
  EXPECT_EQ(images.left(16), QByteArray::fromHex("00000803000000030000001c0000001c"));
  EXPECT_EQ(readAll(m.labelsPath()), QByteArray::fromHex("0000080100000003030104"));

  MyDigits again(folder());
  again.load();
  EXPECT_EQ(again.digits().images, m.digits().images);
  EXPECT_EQ(again.digits().labels, m.digits().labels);
}

TEST_F(MyDigitsFiles, ValuesAreClampedAndRoundedToBytes) {
  MyDigits m(folder());
  m.load();
  std::array<float, kPixels> p{};
  p[0] = 2.0f;
  p[1] = -1.0f;
  p[2] = 0.5f;  // 127.5 rounds to 128
  m.add(p.data(), 7);
  EXPECT_FLOAT_EQ(m.digits().image(0)[0], 1.0f);
  EXPECT_FLOAT_EQ(m.digits().image(0)[1], 0.0f);
  EXPECT_FLOAT_EQ(m.digits().image(0)[2], 128.0f / 255.0f);
  const dl::Dataset d = dl::readIdxPair(m.imagesPath(), m.labelsPath());
  EXPECT_EQ(d.images, m.digits().images);
}

TEST_F(MyDigitsFiles, RemoveAndRelabelPersist) {
  MyDigits m = storeOfThree();
  m.relabel({0, 2}, 8);
  m.remove({1, 1});
  EXPECT_EQ(m.count(), 2);
  MyDigits again(folder());
  again.load();
  ASSERT_EQ(again.count(), 2);
  EXPECT_EQ(again.digits().labels, (std::vector<uint8_t>{8, 8}));
  // The digits left are the first and the third (bars at columns 5 and 15).
  EXPECT_GT(again.digits().image(0)[10 * 28 + 5], 0.0f);
  EXPECT_GT(again.digits().image(1)[10 * 28 + 15], 0.0f);
  EXPECT_EQ(again.digits().image(1)[10 * 28 + 5], 0.0f);
}

TEST_F(MyDigitsFiles, RemovingEveryDigitRemovesTheFiles) {
  MyDigits m = storeOfThree();
  m.remove({2, 0, 1});
  EXPECT_EQ(m.count(), 0);
  EXPECT_FALSE(exists(m.imagesPath()));
  EXPECT_FALSE(exists(m.labelsPath()));
  MyDigits again(folder());
  again.load();
  EXPECT_EQ(again.count(), 0);
}

TEST_F(MyDigitsFiles, BadLabelsAndIndicesAreRefusedAndChangeNothing) {
  MyDigits m = storeOfThree();
  const QByteArray before = readAll(m.labelsPath());
  expectDataError([&] { m.add(bar(1).data(), 10); }, {"0 to 9", "10"});
  expectDataError([&] { m.add(bar(1).data(), -1); }, {"0 to 9"});
  expectDataError([&] { m.relabel({0}, 12); }, {"0 to 9"});
  expectDataError([&] { m.relabel({3}, 1); }, {"no digit 3", "there are 3"});
  expectDataError([&] { m.remove({-1}); }, {"no digit -1"});
  EXPECT_EQ(m.count(), 3);
  EXPECT_EQ(readAll(m.labelsPath()), before);
}

TEST_F(MyDigitsFiles, AFailedWriteKeepsTheDigitsInMemoryAsTheyWere) {
  // The folder is a file: nothing can be written there.
  const std::string blocked = tmp.filePath(QStringLiteral("blocked")).toStdString();
  writeAll(blocked, "not a folder");
  MyDigits m(blocked);
  m.load();
  expectDataError([&] { m.add(bar(3).data(), 2); }, {blocked});
  EXPECT_EQ(m.count(), 0);
  EXPECT_EQ(readAll(blocked), QByteArray("not a folder"));
}

// Damaged files: load throws naming the file and the defect; the store refuses to change them;
// the bytes on disk stay exactly as they were.
class MyDigitsDamaged : public MyDigitsFiles {
 protected:
  void expectRefusedAndKept(const std::string& damagedFile, const std::vector<std::string>& parts) {
    const QByteArray images = exists(paths.imagesPath()) ? readAll(paths.imagesPath()) : QByteArray();
    const QByteArray labels = exists(paths.labelsPath()) ? readAll(paths.labelsPath()) : QByteArray();
    MyDigits m(folder());
    std::vector<std::string> expected = parts;
    expected.push_back(damagedFile);
    expectDataError([&] { m.load(); }, expected);
    EXPECT_TRUE(m.broken());
    EXPECT_EQ(m.count(), 0);
    expectDataError([&] { m.add(bar(2).data(), 5); }, {damagedFile, "will not overwrite"});
    expectDataError([&] { m.relabel({}, 5); }, {damagedFile});
    expectDataError([&] { dl::loadMyDigitsPair(folder()); }, {damagedFile});
    if (!images.isEmpty()) {
      EXPECT_EQ(readAll(paths.imagesPath()), images);
    }
    if (!labels.isEmpty()) {
      EXPECT_EQ(readAll(paths.labelsPath()), labels);
    }
  }
  MyDigits paths{folder()};
};

TEST_F(MyDigitsDamaged, TruncatedImagesFile) {
  storeOfThree();
  QByteArray images = readAll(paths.imagesPath());
  images.chop(100);
  writeAll(paths.imagesPath(), images);
  expectRefusedAndKept(paths.imagesPath(), {"truncated"});
}

TEST_F(MyDigitsDamaged, WrongMagicInTheLabelsFile) {
  storeOfThree();
  QByteArray labels = readAll(paths.labelsPath());
  labels[3] = 0x03;  // an images magic on the labels file
  writeAll(paths.labelsPath(), labels);
  expectRefusedAndKept(paths.labelsPath(), {"magic"});
}

TEST_F(MyDigitsDamaged, MoreLabelsThanImages) {
  storeOfThree();
  writeAll(paths.labelsPath(), QByteArray::fromHex("000008010000000403010405"));
  expectRefusedAndKept(paths.labelsPath(), {"count mismatch", "3 images", "4 labels"});
}

TEST_F(MyDigitsDamaged, LabelOutOfRange) {
  storeOfThree();
  writeAll(paths.labelsPath(), QByteArray::fromHex("00000801000000030301ff"));
  expectRefusedAndKept(paths.labelsPath(), {"label 255 at index 2", "0..9"});
}

TEST_F(MyDigitsDamaged, ImagesFileMissing) {
  storeOfThree();
  ASSERT_TRUE(QFile::remove(QString::fromStdString(paths.imagesPath())));
  expectRefusedAndKept(paths.imagesPath(), {"missing", "incomplete"});
}

TEST_F(MyDigitsDamaged, LabelsFileMissing) {
  storeOfThree();
  ASSERT_TRUE(QFile::remove(QString::fromStdString(paths.labelsPath())));
  expectRefusedAndKept(paths.labelsPath(), {"missing", "incomplete"});
}

TEST_F(MyDigitsDamaged, ImagesFileEmpty) {
  storeOfThree();
  writeAll(paths.imagesPath(), QByteArray());
  expectRefusedAndKept(paths.imagesPath(), {"empty"});
}

TEST_F(MyDigitsDamaged, MovingAsideKeepsTheDamagedFilesAndStartsEmpty) {
  storeOfThree();
  QByteArray images = readAll(paths.imagesPath());
  images.chop(1);
  writeAll(paths.imagesPath(), images);
  const QByteArray labels = readAll(paths.labelsPath());
  // A name already taken by an earlier damaged file is not reused.
  writeAll(paths.imagesPath() + ".corrupt", "older");
  MyDigits m(folder());
  EXPECT_THROW(m.load(), DataError);
  const std::string said = m.moveCorruptAside();
  EXPECT_NE(said.find("my-digits-images-idx3-ubyte.corrupt-2"), std::string::npos) << said;
  EXPECT_NE(said.find("my-digits-labels-idx1-ubyte.corrupt"), std::string::npos) << said;
  EXPECT_EQ(readAll(paths.imagesPath() + ".corrupt-2"), images);
  EXPECT_EQ(readAll(paths.imagesPath() + ".corrupt"), QByteArray("older"));
  EXPECT_EQ(readAll(paths.labelsPath() + ".corrupt"), labels);
  EXPECT_FALSE(m.broken());
  EXPECT_EQ(m.count(), 0);
  m.add(bar(9).data(), 9);
  MyDigits again(folder());
  again.load();
  EXPECT_EQ(again.count(), 1);
  EXPECT_EQ(again.label(0), 9);
}

TEST_F(MyDigitsFiles, RestoreBringsBackAnEarlierSet) {
  MyDigits m = storeOfThree();
  const dl::Dataset before = m.digits();
  m.remove({0, 1, 2});
  m.restore(before);
  MyDigits again(folder());
  again.load();
  EXPECT_EQ(again.digits().images, before.images);
  EXPECT_EQ(again.digits().labels, before.labels);
  dl::Dataset bad = before;
  bad.labels[1] = 11;
  expectDataError([&] { m.restore(bad); }, {"0 to 9"});
  EXPECT_EQ(m.digits().labels, before.labels);
}

TEST_F(MyDigitsFiles, FilesChangedByAnotherProgramAreNeverOverwritten) {
  MyDigits mine = storeOfThree();
  MyDigits other(folder());
  other.load();
  other.add(bar(20).data(), 6);  // another DigitLab adds a digit
  const QByteArray labels = readAll(mine.labelsPath());
  expectDataError([&] { mine.add(bar(21).data(), 2); }, {"changed by another program", "nothing was written"});
  expectDataError([&] { mine.relabel({0}, 2); }, {"changed by another program"});
  EXPECT_EQ(readAll(mine.labelsPath()), labels);
  EXPECT_TRUE(mine.changedOnDisk());
  mine.load();  // read again: now it can
  EXPECT_EQ(mine.count(), 4);
  mine.add(bar(21).data(), 2);
  MyDigits again(folder());
  again.load();
  EXPECT_EQ(again.digits().labels, (std::vector<uint8_t>{3, 1, 4, 6, 2}));
}

TEST_F(MyDigitsDamaged, ImagesOfAnotherSize) {
  QDir().mkpath(QString::fromStdString(folder()));
  // One 2x3 image and its label: a valid IDX pair, but not 28x28.
  writeAll(paths.imagesPath(), QByteArray::fromHex("0000080300000001000000020000000301020304050"
                                                   "6"));
  writeAll(paths.labelsPath(), QByteArray::fromHex("000008010000000105"));
  expectRefusedAndKept(paths.imagesPath(), {"2x3", "28x28"});
}

TEST_F(MyDigitsFiles, PairHoldsTheDigitsAsTrainAndTest) {
  storeOfThree();
  const dl::DatasetPair pair = dl::loadMyDigitsPair(folder());
  EXPECT_EQ(pair.name, "My digits");
  EXPECT_EQ(pair.train.count, 3);
  EXPECT_EQ(pair.test.count, 3);
  EXPECT_EQ(pair.test.labels, (std::vector<uint8_t>{3, 1, 4}));
  ASSERT_EQ(pair.classNames.size(), 10u);
}

}  // namespace
