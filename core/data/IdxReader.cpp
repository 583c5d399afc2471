// Loading MNIST-style IDX files (raw or gzip, from disk or Qt resources) into Datasets, and
// resolving the --data argument (embedded, fashion, mnist, a folder). Every defect becomes a
// DataError naming the file and what is wrong with it. See IdxReader.h.

#include "data/IdxReader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QString>

#include <zlib.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdio>
#include <cstring>

namespace dl {
namespace {

// Nothing MNIST-like is this big (the 60k train images inflate to 47 MB). Applies to the file
// on disk and to what gzip data inflates to, so a gzip bomb is refused instead of exhausting memory.
constexpr qsizetype kMaxBytes = qsizetype(256) << 20;
static_assert(kMaxBytes <= INT_MAX, "counts derived from byte lengths must fit an int");

constexpr uint32_t kMaxSide = 1024;  // largest accepted image width/height
constexpr int kClassCount = 10;

constexpr std::array<const char*, 4> kStandardNames = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                                       "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

const char* const kEmbeddedName = "MNIST (embedded, 10,000 digits)";
const char* const kFashionFolder = "/usr/share/datasets/fashion-mnist";

[[noreturn]] void fail(const std::string& path, const std::string& defect) { throw DataError(path + ": " + defect); }

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", v);
  return buf;
}

std::string hex8(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", v);
  return buf;
}

uint32_t readBigEndian32(const uchar* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

bool startsWithGzipMagic(const QByteArray& bytes) {
  return bytes.size() >= 2 && uchar(bytes[0]) == 0x1f && uchar(bytes[1]) == 0x8b;
}

// First allocation for the inflated data. The gzip trailer's ISIZE is only a hint from an
// untrusted file: it is used when it is within kMaxInitialRatio times the compressed size (real
// MNIST and Fashion-MNIST files inflate 1.8-4.9 times, so they fit in one allocation); otherwise
// the guess is a few times the compressed size. Either way a small file cannot make us allocate
// much up front: the buffer only grows (doubling) as inflated data actually arrives.
constexpr qsizetype kMaxInitialRatio = 8;
constexpr qsizetype kMinInitialSize = qsizetype(64) << 10;

qsizetype initialInflateSize(QFile& file) {
  const qint64 compressed = file.size();
  qsizetype claimed = 0;
  if (!file.isSequential() && compressed >= 18 && file.seek(compressed - 4)) {
    const QByteArray t = file.read(4);
    if (t.size() == 4)
      claimed = qsizetype(uchar(t[0])) | qsizetype(uchar(t[1])) << 8 | qsizetype(uchar(t[2])) << 16 |
                qsizetype(uchar(t[3])) << 24;
    file.seek(0);
  }
  const qsizetype cap = std::clamp<qsizetype>(compressed * kMaxInitialRatio, kMinInitialSize, kMaxBytes);
  if (claimed > 0 && claimed <= cap) return claimed;
  return std::clamp<qsizetype>(compressed * 4, kMinInitialSize, kMaxBytes);
}

// Inflates a gzip file (one or more concatenated members) read in chunks, never producing more
// than kMaxBytes.
QByteArray gunzip(QFile& file, const std::string& path) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) fail(path, "cannot start gzip decompression (zlib init failed)");
  struct Closer {
    z_stream* s;
    ~Closer() { inflateEnd(s); }
  } closer{&zs};

  QByteArray out;
  out.resize(initialInflateSize(file));

  QByteArray in(1 << 20, Qt::Uninitialized);
  bool endOfFile = false;
  // Tops up the input so that at least `want` bytes are ready (fewer only at the end of the file).
  auto refill = [&](uInt want) {
    while (zs.avail_in < want && !endOfFile) {
      if (zs.avail_in > 0) std::memmove(in.data(), zs.next_in, zs.avail_in);
      const qint64 got = file.read(in.data() + zs.avail_in, in.size() - zs.avail_in);
      if (got < 0) fail(path, "read error: " + file.errorString().toStdString());
      endOfFile = got == 0;
      zs.next_in = reinterpret_cast<Bytef*>(in.data());
      zs.avail_in += uInt(got);
    }
  };

  qsizetype produced = 0;
  for (;;) {
    refill(1);
    if (produced == out.size()) {
      if (out.size() >= kMaxBytes)
        fail(path, "gzip data inflates to more than 256 MiB; refusing it (not an MNIST-sized file, or a gzip bomb)");
      out.resize(std::min(kMaxBytes, out.size() * 2));
    }
    const uInt room = uInt(out.size() - produced);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = room;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    produced += room - zs.avail_out;

    if (rc == Z_STREAM_END) {
      refill(2);
      if (zs.avail_in == 0) break;
      // Another gzip member follows (as `cat a.gz b.gz` makes), or junk does.
      if (zs.avail_in >= 2 && zs.next_in[0] == 0x1f && zs.next_in[1] == 0x8b) {
        inflateReset(&zs);
        continue;
      }
      const qint64 junk = qint64(zs.avail_in) + std::max<qint64>(0, file.size() - file.pos());
      fail(path, "corrupt gzip file: " + std::to_string(junk) + " bytes of trailing garbage after the gzip data");
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR && zs.avail_out == 0) continue;  // output full: grow and go on
    if (rc == Z_BUF_ERROR) fail(path, "corrupt gzip file: the compressed data ends early (file truncated?)");
    if (rc == Z_MEM_ERROR) fail(path, "out of memory while decompressing");
    fail(path, std::string("corrupt gzip data (") + (zs.msg ? zs.msg : "zlib error " + std::to_string(rc)) + ")");
  }
  out.truncate(produced);
  return out;
}

// The file's content, inflated if it is gzip (detected by its first bytes, not its name).
// Refuses files and inflated data over kMaxBytes before holding them in memory.
QByteArray readFileContent(const std::string& path, bool& gzipped) {
  const QString qpath = QString::fromStdString(path);
  const QFileInfo info(qpath);
  if (!info.exists()) fail(path, "file not found");
  if (info.isDir()) fail(path, "is a folder, not a file");
  QFile file(qpath);
  if (!file.open(QIODevice::ReadOnly)) fail(path, "cannot open: " + file.errorString().toStdString());
  if (file.size() > kMaxBytes)
    fail(path, "file is " + std::to_string(file.size()) + " bytes, more than the 256 MiB limit for a dataset file");

  gzipped = startsWithGzipMagic(file.peek(2));
  if (gzipped) return gunzip(file, path);

  QByteArray bytes = file.readAll();
  if (bytes.size() != file.size())
    fail(path, "read error: got " + std::to_string(bytes.size()) + " of " + std::to_string(file.size()) + " bytes");
  return bytes;
}

enum class IdxKind { Images, Labels };

// A validated IDX file: the payload bytes and the sizes the header declares.
struct IdxContent {
  QByteArray bytes;  // the whole (decompressed) file
  qsizetype payloadOffset = 0;
  int count = 0;
  int rows = 0;  // images only
  int cols = 0;  // images only
  const uchar* payload() const { return reinterpret_cast<const uchar*>(bytes.constData()) + payloadOffset; }
};

// Reads, inflates if gzip and validates the header against the real length; allocates nothing
// sized from the header.
IdxContent readIdxFile(const std::string& path, IdxKind kind) {
  const bool images = kind == IdxKind::Images;
  const char* what = images ? "images" : "labels";
  const uint32_t dims = images ? 3 : 1;
  const uint32_t expectedMagic = 0x00000800u | dims;

  IdxContent c;
  bool gzipped = false;
  c.bytes = readFileContent(path, gzipped);
  const qsizetype size = c.bytes.size();
  const auto* p = reinterpret_cast<const uchar*>(c.bytes.constData());

  // A .gz name on something that is neither gzip nor IDX deserves saying so.
  const bool namedGz = QString::fromStdString(path).endsWith(QLatin1String(".gz"), Qt::CaseInsensitive);
  const std::string notGzipNote = (!gzipped && namedGz) ? "not gzip-compressed despite its .gz name, and " : "";

  if (size == 0) fail(path, notGzipNote + (gzipped ? "empty after decompression" : "empty file (0 bytes)"));
  if (size < 4)
    fail(path, notGzipNote + "too short to be an IDX " + what + " file (" + std::to_string(size) + " bytes)");
  const uint32_t magic = readBigEndian32(p);
  if (p[0] != 0 || p[1] != 0)
    fail(path, notGzipNote + "not an IDX " + what + " file (magic " + hex32(magic) + ", expected " +
                   hex32(expectedMagic) + ")");
  if (p[2] != 0x08)
    fail(path, "unsupported IDX data type " + hex8(p[2]) + " (magic " + hex32(magic) +
                   "); only 0x08, unsigned bytes, is supported");
  if (p[3] != dims)
    fail(path, std::string("not an IDX ") + what + " file (magic " + hex32(magic) + ", expected " +
                   hex32(expectedMagic) + ")");

  const qsizetype headerSize = 4 + 4 * qsizetype(dims);
  if (size < headerSize)
    fail(path, "truncated header: " + std::to_string(size) + " bytes, an IDX " + what + " header needs " +
                   std::to_string(headerSize));
  const uint32_t count = readBigEndian32(p + 4);
  if (count == 0) fail(path, std::string("header declares 0 ") + what);
  uint64_t itemBytes = 1;
  if (images) {
    const uint32_t rows = readBigEndian32(p + 8);
    const uint32_t cols = readBigEndian32(p + 12);
    if (rows == 0 || cols == 0 || rows > kMaxSide || cols > kMaxSide)
      fail(path, "implausible image size " + std::to_string(rows) + "x" + std::to_string(cols) +
                     " (each side must be 1.." + std::to_string(kMaxSide) + ")");
    c.rows = int(rows);
    c.cols = int(cols);
    itemBytes = uint64_t(rows) * cols;
  }

  // count <= 2^32 and itemBytes <= 2^20: no overflow in 64 bits.
  const uint64_t declared = uint64_t(count) * itemBytes;
  const uint64_t actual = uint64_t(size - headerSize);
  const std::string unit = images ? "bytes of pixels" : "bytes of labels";
  if (declared > actual)
    fail(path, "truncated: header declares " + std::to_string(declared) + " " + unit + ", file has " +
                   std::to_string(actual));
  if (declared < actual)
    fail(path, "trailing data: header declares " + std::to_string(declared) + " " + unit + ", file has " +
                   std::to_string(actual) + " (" + std::to_string(actual - declared) + " extra bytes)");

  c.count = int(count);  // declared == actual <= kMaxBytes <= INT_MAX
  c.payloadOffset = headerSize;
  return c;
}

std::vector<std::string> digitClassNames() {
  std::vector<std::string> names;
  for (int i = 0; i < kClassCount; ++i) names.push_back(std::to_string(i));
  return names;
}

std::vector<std::string> fashionClassNames() {
  return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
}

// The path of `base` (with .gz preferred, else raw) in dir, or "" if neither exists.
std::string findIdxFile(const QDir& dir, const char* base) {
  for (const QString& name : {QString::fromLatin1(base) + QLatin1String(".gz"), QString::fromLatin1(base)}) {
    const QFileInfo info(dir.filePath(name));
    if (info.isFile()) return info.filePath().toStdString();
  }
  return {};
}

bool hasAllStandardFiles(const QString& dir) {
  const QDir d(dir);
  return std::all_of(kStandardNames.begin(), kStandardNames.end(),
                     [&](const char* base) { return !findIdxFile(d, base).empty(); });
}

std::string standardNamesList() {
  std::string list;
  for (const char* base : kStandardNames) list += std::string(list.empty() ? "" : ", ") + base;
  return list;
}

// Fashion-MNIST is recognised by being Debian's folder or by having "fashion" in its folder name.
bool looksLikeFashionFolder(const QString& dir) {
  const QFileInfo info(dir);
  if (info.fileName().contains(QLatin1String("fashion"), Qt::CaseInsensitive)) return true;
  const QString debian = QFileInfo(QString::fromLatin1(kFashionFolder)).canonicalFilePath();
  return !debian.isEmpty() && info.canonicalFilePath() == debian;
}

QString downloadedMnistFolder() {
  return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QLatin1String("/datasets/mnist");
}

}  // namespace

Dataset readIdxPair(const std::string& imagesPath, const std::string& labelsPath) {
  const IdxContent images = readIdxFile(imagesPath, IdxKind::Images);
  const IdxContent labels = readIdxFile(labelsPath, IdxKind::Labels);
  if (images.count != labels.count)
    throw DataError("image/label count mismatch: " + imagesPath + " has " + std::to_string(images.count) +
                    " images but " + labelsPath + " has " + std::to_string(labels.count) + " labels");

  const uchar* labelBytes = labels.payload();
  const uchar* badLabel = std::find_if(labelBytes, labelBytes + labels.count, [](uchar v) { return v >= kClassCount; });
  if (badLabel != labelBytes + labels.count)
    fail(labelsPath, "label " + std::to_string(*badLabel) + " at index " + std::to_string(badLabel - labelBytes) +
                         " is out of range (labels must be 0..9)");

  Dataset d;
  d.count = images.count;
  d.rows = images.rows;
  d.cols = images.cols;
  d.labels.assign(labelBytes, labelBytes + labels.count);
  // Constructing the floats straight from the bytes (rather than resize, which zero-fills) touches
  // the 188 MB of a 60k set once less; the scaling pass then runs on memory already mapped.
  const uchar* pixels = images.payload();
  d.images.assign(pixels, pixels + size_t(images.count) * size_t(d.pixels()));
  for (float& v : d.images) v /= 255.0f;
  return d;
}

DatasetPair loadMnistFolder(const std::string& dir) {
  const QString qdir = QString::fromStdString(dir);
  const QFileInfo info(qdir);
  if (!info.exists())
    throw DataError(dir + ": no such folder (expected a folder holding " + standardNamesList() + ", each raw or .gz)");
  if (!info.isDir()) throw DataError(dir + ": not a folder (expected a folder holding the four MNIST files)");

  const QDir d(qdir);
  std::array<std::string, 4> paths;
  std::string missing;
  for (size_t i = 0; i < kStandardNames.size(); ++i) {
    paths[i] = findIdxFile(d, kStandardNames[i]);
    if (paths[i].empty()) missing += std::string(missing.empty() ? "" : ", ") + kStandardNames[i] + "[.gz]";
  }
  if (!missing.empty())
    throw DataError(dir + ": missing " + missing + "; an MNIST folder needs the four files " + standardNamesList() +
                    " (each raw or .gz) in " + dir);

  DatasetPair pair;
  const bool fashion = looksLikeFashionFolder(qdir);
  pair.name = fashion ? "Fashion-MNIST" : dir;
  pair.source = dir;
  pair.classNames = fashion ? fashionClassNames() : digitClassNames();
  pair.train = readIdxPair(paths[0], paths[1]);
  pair.test = readIdxPair(paths[2], paths[3]);
  if (pair.train.rows != pair.test.rows || pair.train.cols != pair.test.cols)
    throw DataError(dir + ": train images are " + std::to_string(pair.train.rows) + "x" +
                    std::to_string(pair.train.cols) + " but test images are " + std::to_string(pair.test.rows) + "x" +
                    std::to_string(pair.test.cols));
  return pair;
}

DatasetPair loadEmbeddedMnist() {
  const std::string dir = ":/data/mnist/";
  DatasetPair pair;
  pair.name = kEmbeddedName;
  pair.source = ":/data/mnist";
  pair.classNames = digitClassNames();
  pair.train = readIdxPair(dir + kStandardNames[0] + ".gz", dir + kStandardNames[1] + ".gz");
  pair.test = readIdxPair(dir + kStandardNames[2] + ".gz", dir + kStandardNames[3] + ".gz");
  return pair;
}

std::string fashionMnistFolder() {
  if (hasAllStandardFiles(QString::fromLatin1(kFashionFolder))) return kFashionFolder;
  // `digitlab download fashion` puts it here.
  const QString downloaded =
      QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QLatin1String("/datasets/fashion-mnist");
  return hasAllStandardFiles(downloaded) ? downloaded.toStdString() : "";
}

DatasetPair loadDataset(const std::string& spec) {
  if (spec.empty() || spec == "embedded") return loadEmbeddedMnist();

  if (spec == "fashion") {
    const std::string dir = fashionMnistFolder();
    if (dir.empty())
      throw DataError(std::string("Fashion-MNIST is not installed (looked in ") + kFashionFolder +
                      " and the download folder); install it with: sudo apt-get install dataset-fashion-mnist, "
                      "or: digitlab download fashion");
    DatasetPair pair = loadMnistFolder(dir);
    pair.name = "Fashion-MNIST";
    pair.classNames = fashionClassNames();
    return pair;
  }

  if (spec == "mnist") {
    const QString dir = downloadedMnistFolder();
    if (!hasAllStandardFiles(dir))
      throw DataError("the full MNIST is not downloaded: run `digitlab download mnist`, or put the four files " +
                      standardNamesList() + " (each raw or .gz) into " + dir.toStdString());
    DatasetPair pair = loadMnistFolder(dir.toStdString());
    pair.name = "MNIST";
    pair.classNames = digitClassNames();
    return pair;
  }

  return loadMnistFolder(spec);
}

}  // namespace dl
