// IdxReader: the embedded set, round trips of generated IDX files (raw and gzip), hostile files
// (each error must name the file and the defect), folder and --data resolution, Fashion-MNIST.

#include "data/IdxReader.h"

#include <gtest/gtest.h>

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace dl;

namespace {

void appendBigEndian32(QByteArray& b, uint32_t v) {
  b.append(char(v >> 24)).append(char(v >> 16)).append(char(v >> 8)).append(char(v));
}

QByteArray idxImages(uint32_t count, uint32_t rows, uint32_t cols, const std::vector<uint8_t>& pixels) {
  QByteArray b;
  appendBigEndian32(b, 0x00000803);
  appendBigEndian32(b, count);
  appendBigEndian32(b, rows);
  appendBigEndian32(b, cols);
  b.append(reinterpret_cast<const char*>(pixels.data()), qsizetype(pixels.size()));
  return b;
}

QByteArray idxLabels(uint32_t count, const std::vector<uint8_t>& labels) {
  QByteArray b;
  appendBigEndian32(b, 0x00000801);
  appendBigEndian32(b, count);
  b.append(reinterpret_cast<const char*>(labels.data()), qsizetype(labels.size()));
  return b;
}

// gzip-compresses in memory (zlib's deflate with the gzip wrapper).
QByteArray gzipBytes(const QByteArray& raw) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  QByteArray out;
  out.resize(qsizetype(deflateBound(&zs, uLong(raw.size()))) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.constData()));
  zs.avail_in = uInt(raw.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = uInt(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.truncate(qsizetype(zs.total_out));
  deflateEnd(&zs);
  return out;
}

// A gzip file of `megabytes` MiB of zeros in about 1 KB per MiB: one small gzip member of 1 MiB of
// zeros, repeated (concatenated members are one valid gzip stream, as `cat a.gz b.gz` makes).
QByteArray gzipZeros(int megabytes) { return gzipBytes(QByteArray(1 << 20, '\0')).repeated(megabytes); }

class IdxReaderTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(tmp.isValid()); }

  std::string write(const QString& name, const QByteArray& bytes) {
    const QString path = tmp.filePath(name);
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(bytes);
    return path.toStdString();
  }

  // A valid pair: 5 images of 3x4 pixels with bytes 0..59 (so 0 and 59 appear), labels 0..4.
  static std::vector<uint8_t> samplePixels() {
    std::vector<uint8_t> p(5 * 3 * 4);
    for (size_t i = 0; i < p.size(); ++i) p[i] = uint8_t(i * 255 / 59);  // spans 0..255
    return p;
  }
  static QByteArray goodImages() { return idxImages(5, 3, 4, samplePixels()); }
  static QByteArray goodLabels() { return idxLabels(5, {3, 0, 9, 4, 7}); }

  // Writes the four standard files into `dir` (a path under tmp), gzipped or raw.
  void writeFolder(const QString& dir, bool gz, const QString& skip = {}) {
    QDir().mkpath(dir);
    const QString ext = gz ? QStringLiteral(".gz") : QString();
    auto put = [&](const QString& base, const QByteArray& raw) {
      if (base == skip) return;
      QFile f(dir + QLatin1Char('/') + base + ext);
      ASSERT_TRUE(f.open(QIODevice::WriteOnly));
      f.write(gz ? gzipBytes(raw) : raw);
    };
    put(QStringLiteral("train-images-idx3-ubyte"), goodImages());
    put(QStringLiteral("train-labels-idx1-ubyte"), goodLabels());
    put(QStringLiteral("t10k-images-idx3-ubyte"), idxImages(2, 3, 4, std::vector<uint8_t>(24, 255)));
    put(QStringLiteral("t10k-labels-idx1-ubyte"), idxLabels(2, {1, 2}));
  }

  QTemporaryDir tmp;
};

// Runs f, which must throw DataError whose message contains every one of `parts`.
void expectDataError(const std::function<void()>& f, std::initializer_list<std::string> parts) {
  try {
    f();
    ADD_FAILURE() << "no DataError thrown";
  } catch (const DataError& e) {
    const std::string msg = e.what();
    for (const std::string& part : parts)
      EXPECT_NE(msg.find(part), std::string::npos) << "'" << part << "' not in: " << msg;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type: " << e.what();
  }
}

}  // namespace

// ---- The embedded dataset --------------------------------------------------------------------

TEST(IdxReaderEmbedded, LoadsTenThousandDigits) {
  const DatasetPair data = loadEmbeddedMnist();
  EXPECT_EQ(data.name, "MNIST (embedded, 10,000 digits)");
  ASSERT_EQ(data.classNames.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(data.classNames[size_t(i)], std::to_string(i));

  for (const Dataset* d : {&data.train, &data.test}) {
    EXPECT_EQ(d->rows, 28);
    EXPECT_EQ(d->cols, 28);
    ASSERT_EQ(d->images.size(), size_t(d->count) * 784);
    ASSERT_EQ(d->labels.size(), size_t(d->count));
    const auto [lo, hi] = std::minmax_element(d->images.begin(), d->images.end());
    EXPECT_EQ(*lo, 0.0f);
    EXPECT_EQ(*hi, 1.0f);  // real MNIST has fully black strokes (255)
    std::vector<int> perClass(10, 0);
    for (uint8_t l : d->labels) {
      ASSERT_LT(l, 10);
      ++perClass[l];
    }
    int total = 0;
    for (int c = 0; c < 10; ++c) {
      EXPECT_GT(perClass[size_t(c)], d->count / 20) << "class " << c << " nearly absent";
      total += perClass[size_t(c)];
    }
    EXPECT_EQ(total, d->count);
    // Every value is some byte / 255.
    for (size_t i = 0; i < d->images.size(); i += 97) {
      const float v = d->images[i];
      EXPECT_EQ(float(int(v * 255.0f + 0.5f)) / 255.0f, v);
    }
  }
  EXPECT_EQ(data.train.count, 8000);
  EXPECT_EQ(data.test.count, 2000);
  // Ink sits in the middle of a 28x28 MNIST field, not at its border.
  double centre = 0, border = 0;
  for (int i = 0; i < data.train.count; ++i) {
    const float* im = data.train.image(i);
    centre += im[14 * 28 + 14];
    border += im[0];
  }
  EXPECT_GT(centre, 100 * border + 100);
}

TEST(IdxReaderEmbedded, EmptySpecAndEmbeddedMeanTheSame) {
  EXPECT_EQ(loadDataset("").train.count, 8000);
  EXPECT_EQ(loadDataset("embedded").test.labels, loadEmbeddedMnist().test.labels);
}

// ---- Round trips ------------------------------------------------------------------------------

TEST_F(IdxReaderTest, RoundTripRawAndGzip) {
  const std::vector<uint8_t> pixels = samplePixels();
  const std::vector<uint8_t> labels = {3, 0, 9, 4, 7};
  for (bool gz : {false, true}) {
    SCOPED_TRACE(gz ? "gzip" : "raw");
    const QString suffix = gz ? QStringLiteral(".gz") : QString();
    const std::string ip = write(QStringLiteral("img") + suffix, gz ? gzipBytes(goodImages()) : goodImages());
    const std::string lp = write(QStringLiteral("lbl") + suffix, gz ? gzipBytes(goodLabels()) : goodLabels());
    const Dataset d = readIdxPair(ip, lp);
    EXPECT_EQ(d.count, 5);
    EXPECT_EQ(d.rows, 3);
    EXPECT_EQ(d.cols, 4);
    EXPECT_EQ(d.labels, labels);
    ASSERT_EQ(d.images.size(), pixels.size());
    for (size_t i = 0; i < pixels.size(); ++i) EXPECT_EQ(d.images[i], float(pixels[i]) / 255.0f) << i;
    EXPECT_EQ(d.image(4)[11], 1.0f);
    EXPECT_EQ(d.image(0)[0], 0.0f);
  }
}

TEST_F(IdxReaderTest, CompressionIsDetectedByContentNotName) {
  // gzip data without .gz, raw data with .gz: both read.
  const std::string ip = write(QStringLiteral("images.bin"), gzipBytes(goodImages()));
  const std::string lp = write(QStringLiteral("labels.gz"), goodLabels());
  const Dataset d = readIdxPair(ip, lp);
  EXPECT_EQ(d.count, 5);
  EXPECT_EQ(d.labels[2], 9);
}

TEST_F(IdxReaderTest, ConcatenatedGzipMembersAreOneFile) {
  // `cat a.gz b.gz` is valid gzip holding a followed by b.
  const QByteArray raw = goodImages();
  const std::string ip = write(QStringLiteral("img.gz"), gzipBytes(raw.left(20)) + gzipBytes(raw.mid(20)));
  const std::string lp = write(QStringLiteral("lbl"), goodLabels());
  const Dataset d = readIdxPair(ip, lp);
  EXPECT_EQ(d.count, 5);
  EXPECT_EQ(d.images.back(), 1.0f);
}

// ---- Hostile files ----------------------------------------------------------------------------

TEST_F(IdxReaderTest, BadMagic) {
  // A labels file given as images, and an images file given as labels.
  const std::string lp = write(QStringLiteral("labels-as-images"), goodLabels());
  const std::string ip = write(QStringLiteral("images"), goodImages());
  expectDataError([&] { readIdxPair(lp, lp); },
                  {lp + ": ", "not an IDX images file (magic 0x00000801, expected 0x00000803)"});
  expectDataError([&] { readIdxPair(ip, ip); },
                  {ip + ": ", "not an IDX labels file (magic 0x00000803, expected 0x00000801)"});
  // Text is not IDX at all.
  const std::string txt = write(QStringLiteral("readme.txt"), "hello, this is not a dataset");
  expectDataError([&] { readIdxPair(txt, lp); }, {txt, "not an IDX images file (magic 0x68656C6C"});
}

TEST_F(IdxReaderTest, WrongDataTypeByte) {
  QByteArray b = goodImages();
  b[2] = char(0x0D);  // float32
  const std::string ip = write(QStringLiteral("float-images"), b);
  const std::string lp = write(QStringLiteral("labels"), goodLabels());
  expectDataError([&] { readIdxPair(ip, lp); }, {ip + ": ", "unsupported IDX data type 0x0D", "0x08"});
}

TEST_F(IdxReaderTest, TruncatedPixels) {
  const std::string lp = write(QStringLiteral("labels"), goodLabels());
  for (bool gz : {false, true}) {
    const QByteArray raw = goodImages().chopped(1);
    const std::string ip = write(gz ? QStringLiteral("short.gz") : QStringLiteral("short"), gz ? gzipBytes(raw) : raw);
    expectDataError([&] { readIdxPair(ip, lp); },
                    {ip + ": ", "truncated: header declares 60 bytes of pixels, file has 59"});
  }
  const std::string sl = write(QStringLiteral("short-labels"), goodLabels().chopped(2));
  const std::string ip = write(QStringLiteral("images"), goodImages());
  expectDataError([&] { readIdxPair(ip, sl); },
                  {sl + ": ", "truncated: header declares 5 bytes of labels, file has 3"});
}

TEST_F(IdxReaderTest, TruncatedHeader) {
  const std::string ip = write(QStringLiteral("header-only"), goodImages().left(10));
  const std::string lp = write(QStringLiteral("labels"), goodLabels());
  expectDataError([&] { readIdxPair(ip, lp); }, {ip + ": ", "truncated header", "needs 16"});
}

TEST_F(IdxReaderTest, TrailingGarbage) {
  const std::string ip = write(QStringLiteral("long"), goodImages() + QByteArray("JUNK"));
  const std::string lp = write(QStringLiteral("labels"), goodLabels());
  expectDataError([&] { readIdxPair(ip, lp); },
                  {ip + ": ", "trailing data: header declares 60 bytes of pixels, file has 64", "4 extra bytes"});
}

TEST_F(IdxReaderTest, HugeDeclaredCountFailsFastWithoutAllocating) {
  QByteArray b = idxImages(0xFFFFFFFFu, 28, 28, std::vector<uint8_t>(84, 7));
  ASSERT_EQ(b.size(), 100);
  const std::string ip = write(QStringLiteral("huge"), b);
  const std::string lp = write(QStringLiteral("labels"), goodLabels());
  const auto t0 = std::chrono::steady_clock::now();
  expectDataError([&] { readIdxPair(ip, lp); },
                  {ip + ": ", "truncated: header declares " + std::to_string(uint64_t(0xFFFFFFFFu) * 784) +
                                  " bytes of pixels, file has 84"});
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(200));

  const std::string hl = write(QStringLiteral("huge-labels"), idxLabels(0xFFFFFFFFu, {1, 2, 3}));
  expectDataError([&] { readIdxPair(write(QStringLiteral("images"), goodImages()), hl); },
                  {hl + ": ", "truncated: header declares 4294967295 bytes of labels, file has 3"});
}

TEST_F(IdxReaderTest, ImplausibleSizes) {
  const std::string lp = write(QStringLiteral("labels"), goodLabels());
  const std::string zero = write(QStringLiteral("zero-count"), idxImages(0, 28, 28, {}));
  expectDataError([&] { readIdxPair(zero, lp); }, {zero + ": ", "header declares 0 images"});
  const std::string wide = write(QStringLiteral("wide"), idxImages(1, 1, 2000, std::vector<uint8_t>(2000, 0)));
  expectDataError([&] { readIdxPair(wide, lp); }, {wide + ": ", "implausible image size 1x2000"});
  const std::string flat = write(QStringLiteral("flat"), idxImages(1, 0, 28, {}));
  expectDataError([&] { readIdxPair(flat, lp); }, {flat + ": ", "implausible image size 0x28"});
}

TEST_F(IdxReaderTest, CountMismatchBetweenImagesAndLabels) {
  const std::string ip = write(QStringLiteral("images"), goodImages());
  const std::string lp = write(QStringLiteral("four-labels"), idxLabels(4, {1, 2, 3, 4}));
  expectDataError([&] { readIdxPair(ip, lp); }, {"count mismatch", ip + " has 5 images", lp + " has 4 labels"});
}

TEST_F(IdxReaderTest, LabelOutOfRange) {
  const std::string ip = write(QStringLiteral("images"), goodImages());
  const std::string lp = write(QStringLiteral("bad-labels"), idxLabels(5, {1, 2, 3, 10, 4}));
  expectDataError([&] { readIdxPair(ip, lp); }, {lp + ": ", "label 10 at index 3 is out of range"});
}

TEST_F(IdxReaderTest, EmptyFile) {
  const std::string ip = write(QStringLiteral("empty-idx3-ubyte"), QByteArray());
  const std::string lp = write(QStringLiteral("labels"), goodLabels());
  expectDataError([&] { readIdxPair(ip, lp); }, {ip + ": ", "empty file"});
  const std::string eg = write(QStringLiteral("empty-inside.gz"), gzipBytes(QByteArray()));
  expectDataError([&] { readIdxPair(eg, lp); }, {eg + ": ", "empty after decompression"});
}

TEST_F(IdxReaderTest, GzNameButNeitherGzipNorIdx) {
  const std::string ip = write(QStringLiteral("train-images-idx3-ubyte.gz"), "<html>404 Not Found</html>");
  const std::string lp = write(QStringLiteral("labels"), goodLabels());
  expectDataError([&] { readIdxPair(ip, lp); },
                  {ip + ": ", "not gzip-compressed despite its .gz name", "not an IDX images file"});
}

TEST_F(IdxReaderTest, CorruptGzipStream) {
  const std::string lp = write(QStringLiteral("labels"), goodLabels());
  // Damage the deflate data after the 10-byte gzip header.
  QByteArray gz = gzipBytes(goodImages());
  ASSERT_GT(gz.size(), 30);
  for (int i = 10; i < 18; ++i) gz[i] = char(0xFF);
  const std::string bad = write(QStringLiteral("corrupt.gz"), gz);
  expectDataError([&] { readIdxPair(bad, lp); }, {bad + ": ", "corrupt gzip"});

  // A CRC mismatch in the trailer is caught too.
  QByteArray crc = gzipBytes(goodImages());
  crc[crc.size() - 6] = char(crc[crc.size() - 6] ^ 0x55);
  const std::string badCrc = write(QStringLiteral("crc.gz"), crc);
  expectDataError([&] { readIdxPair(badCrc, lp); }, {badCrc + ": ", "corrupt gzip data (incorrect data check)"});

  // Cut in the middle: the stream ends early.
  const QByteArray full = gzipBytes(goodImages());
  const std::string cut = write(QStringLiteral("cut.gz"), full.left(full.size() / 2));
  expectDataError([&] { readIdxPair(cut, lp); }, {cut + ": ", "ends early"});

  // Junk after a complete gzip member.
  const std::string junk = write(QStringLiteral("junk.gz"), full + QByteArray("garbage"));
  expectDataError([&] { readIdxPair(junk, lp); }, {junk + ": ", "7 bytes of trailing garbage after the gzip data"});
}

TEST_F(IdxReaderTest, GzipBombIsRefused) {
  // 300 MiB of zeros in ~300 KB: refused at the 256 MiB cap instead of inflating it all.
  const QByteArray bomb = gzipZeros(300);
  ASSERT_LT(bomb.size(), 1 << 20);
  const std::string ip = write(QStringLiteral("bomb.gz"), bomb);
  const std::string lp = write(QStringLiteral("labels"), goodLabels());
  expectDataError([&] { readIdxPair(ip, lp); }, {ip + ": ", "more than 256 MiB"});
}

TEST_F(IdxReaderTest, LyingGzipSizeTrailerDoesNotSizeTheFirstAllocation) {
  // ~300 KB of incompressible IDX data whose gzip trailer (ISIZE, the last 4 bytes, little-endian)
  // claims 256 MiB. The claim is untrusted: reading must fail cleanly, naming the file, without
  // allocating anything near 256 MiB up front.
  std::vector<uint8_t> pixels(383 * 784);
  std::mt19937 gen(3);
  for (uint8_t& p : pixels) p = uint8_t(gen());
  QByteArray gz = gzipBytes(idxImages(383, 28, 28, pixels));
  ASSERT_GT(gz.size(), 290000);  // big enough that 1032:1 (deflate's limit) would allow the claim
  const uint32_t claim = 256u << 20;
  for (int i = 0; i < 4; ++i) gz[gz.size() - 4 + i] = char((claim >> (8 * i)) & 0xFF);
  const std::string ip = write(QStringLiteral("lying-size.gz"), gz);
  const std::string lp = write(QStringLiteral("labels"), idxLabels(383, std::vector<uint8_t>(383, 1)));
  expectDataError([&] { readIdxPair(ip, lp); }, {ip + ": ", "corrupt gzip data (incorrect length check)"});

  // The same read in a child process whose address space may grow by only 128 MiB: a 256 MiB
  // buffer sized from the trailer fails with bad_alloc there instead of the clean error.
  const auto readWithLittleMemory = [&] {
    long pages = 0;
    std::ifstream("/proc/self/statm") >> pages;
    const rlim_t limit = rlim_t(pages) * rlim_t(sysconf(_SC_PAGESIZE)) + (rlim_t(128) << 20);
    const rlimit rl{limit, limit};
    if (pages <= 0 || setrlimit(RLIMIT_AS, &rl) != 0) std::_Exit(5);
    try {
      readIdxPair(ip, lp);
    } catch (const DataError& e) {
      std::_Exit(std::string(e.what()).find(ip) != std::string::npos ? 0 : 3);
    } catch (const std::bad_alloc&) {
      std::_Exit(2);
    } catch (...) {
      std::_Exit(4);
    }
    std::_Exit(6);
  };
  EXPECT_EXIT(readWithLittleMemory(), ::testing::ExitedWithCode(0), "")
      << "exit 2: bad_alloc (the trailer sized the buffer), 3: message without the file name";
}

TEST_F(IdxReaderTest, HugeFileIsRefusedUnread) {
  // A sparse 300 MiB file: refused from its size, before any of it is read into memory.
  const std::string ip = write(QStringLiteral("huge-raw"), goodImages());
  ASSERT_TRUE(QFile::resize(QString::fromStdString(ip), qint64(300) << 20));
  const std::string lp = write(QStringLiteral("labels"), goodLabels());
  const auto t0 = std::chrono::steady_clock::now();
  expectDataError([&] { readIdxPair(ip, lp); }, {ip + ": ", "more than the 256 MiB limit"});
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(200));
}

TEST_F(IdxReaderTest, MissingFile) {
  const std::string lp = write(QStringLiteral("labels"), goodLabels());
  const std::string nowhere = tmp.filePath(QStringLiteral("no-such-file.gz")).toStdString();
  expectDataError([&] { readIdxPair(nowhere, lp); }, {nowhere + ": ", "file not found"});
  const std::string folder = tmp.path().toStdString();
  expectDataError([&] { readIdxPair(folder, lp); }, {folder + ": ", "is a folder"});
  expectDataError([] { readIdxPair(":/data/mnist/nothing-here.gz", ":/data/mnist/train-labels-idx1-ubyte.gz"); },
                  {":/data/mnist/nothing-here.gz: file not found"});
}

// ---- Folders and --data -----------------------------------------------------------------------

TEST_F(IdxReaderTest, LoadsAFolderRawOrGzip) {
  for (bool gz : {false, true}) {
    const QString dir = tmp.filePath(gz ? QStringLiteral("gz") : QStringLiteral("raw"));
    writeFolder(dir, gz);
    const DatasetPair pair = loadDataset(dir.toStdString());
    EXPECT_EQ(pair.source, dir.toStdString());
    EXPECT_EQ(pair.train.count, 5);
    EXPECT_EQ(pair.test.count, 2);
    EXPECT_EQ(pair.test.images.front(), 1.0f);
    EXPECT_EQ(pair.test.labels, (std::vector<uint8_t>{1, 2}));
    ASSERT_EQ(pair.classNames.size(), 10u);
    EXPECT_EQ(pair.classNames[9], "9");
  }
}

TEST_F(IdxReaderTest, FolderMissingOneFile) {
  const QString dir = tmp.filePath(QStringLiteral("partial"));
  writeFolder(dir, true, QStringLiteral("t10k-labels-idx1-ubyte"));
  const std::string d = dir.toStdString();
  expectDataError([&] { loadMnistFolder(d); }, {d + ": missing t10k-labels-idx1-ubyte[.gz]", "train-images-idx3-ubyte",
                                                "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "raw or .gz"});
  const std::string none = tmp.filePath(QStringLiteral("does-not-exist")).toStdString();
  expectDataError([&] { loadDataset(none); }, {none + ": no such folder"});
}

TEST_F(IdxReaderTest, FolderWithDifferentTrainAndTestImageSizes) {
  const QString dir = tmp.filePath(QStringLiteral("sizes"));
  writeFolder(dir, false);
  QFile f(dir + QStringLiteral("/t10k-images-idx3-ubyte"));
  ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
  f.write(idxImages(2, 4, 3, std::vector<uint8_t>(24, 0)));
  f.close();
  expectDataError([&] { loadMnistFolder(dir.toStdString()); }, {"train images are 3x4 but test images are 4x3"});
}

TEST_F(IdxReaderTest, FashionFolderGetsClothingNames) {
  const QString dir = tmp.filePath(QStringLiteral("my-fashion-mnist"));
  writeFolder(dir, true);
  const DatasetPair pair = loadMnistFolder(dir.toStdString());
  ASSERT_EQ(pair.classNames.size(), 10u);
  EXPECT_EQ(pair.classNames[0], "T-shirt/top");
  EXPECT_EQ(pair.classNames[9], "Ankle boot");
}

TEST_F(IdxReaderTest, DownloadedMnistSpec) {
  // Keep the user's real cache out of it: point XDG_CACHE_HOME at the temporary folder.
  const QByteArray oldCache = qgetenv("XDG_CACHE_HOME");
  qputenv("XDG_CACHE_HOME", tmp.filePath(QStringLiteral("cache")).toLocal8Bit());
  const QString dir =
      QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/datasets/mnist");
  ASSERT_TRUE(dir.startsWith(tmp.path()));

  expectDataError([] { loadDataset("mnist"); }, {"not downloaded", dir.toStdString(), "train-images-idx3-ubyte"});
  writeFolder(dir, true);
  const DatasetPair pair = loadDataset("mnist");
  EXPECT_EQ(pair.name, "MNIST");
  EXPECT_EQ(pair.train.count, 5);
  EXPECT_EQ(pair.classNames[3], "3");

  if (oldCache.isNull())
    qunsetenv("XDG_CACHE_HOME");
  else
    qputenv("XDG_CACHE_HOME", oldCache);
}

TEST(IdxReaderFashion, DebianFashionMnist) {
  if (fashionMnistFolder().empty()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  EXPECT_EQ(fashionMnistFolder(), "/usr/share/datasets/fashion-mnist");
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t cpu0 = std::clock();
  const DatasetPair pair = loadDataset("fashion");
  const double cpuSeconds = double(std::clock() - cpu0) / CLOCKS_PER_SEC;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("Fashion-MNIST loaded in %.2f s (%.2f s CPU)\n", seconds, cpuSeconds);
  // Generous, and on CPU time so a busy machine does not fail it: catches quadratic buffer
  // growth or byte-by-byte reading, not a slow disk.
  EXPECT_LT(cpuSeconds, 5.0);
  EXPECT_EQ(pair.name, "Fashion-MNIST");
  EXPECT_EQ(pair.train.count, 60000);
  EXPECT_EQ(pair.test.count, 10000);
  EXPECT_EQ(pair.train.rows, 28);
  EXPECT_EQ(pair.train.cols, 28);
  ASSERT_EQ(pair.classNames.size(), 10u);
  EXPECT_EQ(pair.classNames[0], "T-shirt/top");
  EXPECT_EQ(pair.classNames[5], "Sandal");
  EXPECT_EQ(pair.classNames[9], "Ankle boot");
  std::set<uint8_t> seen(pair.test.labels.begin(), pair.test.labels.end());
  EXPECT_EQ(seen.size(), 10u);
  const auto [lo, hi] = std::minmax_element(pair.train.images.begin(), pair.train.images.end());
  EXPECT_EQ(*lo, 0.0f);
  EXPECT_EQ(*hi, 1.0f);
}

TEST(IdxReaderFashion, MissingFashionSaysHowToInstall) {
  if (!fashionMnistFolder().empty()) GTEST_SKIP() << "dataset-fashion-mnist is installed";
  expectDataError([] { loadDataset("fashion"); }, {"sudo apt-get install dataset-fashion-mnist"});
}
