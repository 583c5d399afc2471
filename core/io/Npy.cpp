// The .npy tensor format (see Npy.h): numpy.save's exact bytes, and a strict reader whose header
// parser reads the Python dict literal without eval.

#include "io/Npy.h"

#include "io/ModelFileError.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>

namespace dl {

namespace {

// .npy data is little-endian ('<f4'); on a big-endian host every 4-byte value is reversed.
[[maybe_unused]] void swapBytes4(char* p, size_t count) {
  for (size_t i = 0; i < count; ++i, p += 4) {
    std::swap(p[0], p[3]);
    std::swap(p[1], p[2]);
  }
}

// ---------------------------------------------------------------------------------------------
// NPY header: the Python dict literal numpy writes, {'descr': '<f4', 'fortran_order': False,
// 'shape': (784, 200), }, parsed without eval.

struct NpyHeader {
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
};

class NpyHeaderParser {
 public:
  NpyHeaderParser(const std::string& text, const std::string& where) : m_s(text), m_where(where) {}

  NpyHeader parse() {
    NpyHeader h;
    bool descr = false, order = false, shape = false;
    skipSpace();
    expect('{');
    for (;;) {
      skipSpace();
      if (peek() == '}') break;
      const std::string key = quotedString();
      skipSpace();
      expect(':');
      skipSpace();
      if (key == "descr" && !descr) {
        h.descr = quotedString();
        descr = true;
      } else if (key == "fortran_order" && !order) {
        h.fortranOrder = boolean();
        order = true;
      } else if (key == "shape" && !shape) {
        h.shape = tuple();
        shape = true;
      } else {
        bad("unexpected key '" + key + "'");
      }
      skipSpace();
      if (peek() == ',') {
        ++m_i;
        continue;
      }
      if (peek() != '}') bad("expected ',' or '}'");
    }
    ++m_i;
    skipSpace();
    if (m_i != m_s.size()) bad("text after the header");
    if (!descr || !order || !shape) bad("'descr', 'fortran_order' and 'shape' are required");
    return h;
  }

 private:
  [[noreturn]] void bad(const std::string& what) const {
    throw ModelFileError(m_where + ": not a valid .npy header (" + what + ")");
  }
  char peek() const { return m_i < m_s.size() ? m_s[m_i] : '\0'; }
  void skipSpace() {
    while (m_i < m_s.size() && (m_s[m_i] == ' ' || m_s[m_i] == '\n' || m_s[m_i] == '\t' || m_s[m_i] == '\r')) ++m_i;
  }
  void expect(char c) {
    if (peek() != c) bad(std::string("expected '") + c + "'");
    ++m_i;
  }
  std::string quotedString() {
    const char q = peek();
    if (q != '\'' && q != '"') bad("expected a quoted string");
    const size_t end = m_s.find(q, m_i + 1);
    if (end == std::string::npos || end - m_i > 64) bad("unterminated string");
    std::string s = m_s.substr(m_i + 1, end - m_i - 1);
    m_i = end + 1;
    return s;
  }
  bool boolean() {
    if (m_s.compare(m_i, 4, "True") == 0) {
      m_i += 4;
      return true;
    }
    if (m_s.compare(m_i, 5, "False") == 0) {
      m_i += 5;
      return false;
    }
    bad("expected True or False");
  }
  std::vector<int64_t> tuple() {
    std::vector<int64_t> t;
    expect('(');
    for (;;) {
      skipSpace();
      if (peek() == ')') break;
      int64_t v = 0;
      const auto r = std::from_chars(m_s.data() + m_i, m_s.data() + m_s.size(), v);
      if (r.ec != std::errc() || v < 0 || v > (int64_t(1) << 31)) bad("bad dimension in 'shape'");
      m_i = size_t(r.ptr - m_s.data());
      t.push_back(v);
      if (t.size() > 8) bad("too many dimensions");
      skipSpace();
      if (peek() == ',') {
        ++m_i;
        continue;
      }
      if (peek() != ')') bad("expected ',' or ')' in 'shape'");
    }
    ++m_i;
    return t;
  }

  const std::string& m_s;
  std::string m_where;
  size_t m_i = 0;
};

std::string shapeTuple(const std::vector<int64_t>& s) {
  Shape small;
  for (int64_t d : s) small.push_back(int(d));
  return pyTuple(small);
}

}  // namespace

std::string pyTuple(const Shape& s) {
  std::string t = "(";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + (s.size() == 1 ? ",)" : ")");
}

std::string npyBytes(const float* data, const Shape& shape) {
  // numpy.lib.format._write_array_header: sorted keys, repr values, 21 - len(repr(shape[0]))
  // spaces of room to grow, then spaces and '\n' to a multiple of 64 bytes (1 to 64 of them).
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + pyTuple(shape) + ", }";
  if (!shape.empty()) dict.append(size_t(std::max(0, 21 - int(std::to_string(shape[0]).size()))), ' ');
  const size_t headerLength = dict.size() + 1;
  const size_t pad = 64 - (10 + headerLength) % 64;
  const size_t total = headerLength + pad;
  std::string out("\x93NUMPY\x01\x00", 8);
  out += char(total & 0xff);
  out += char((total >> 8) & 0xff);
  out += dict;
  out.append(pad, ' ');
  out += '\n';
  const size_t n = size_t(shapeSize(shape));
  const size_t start = out.size();
  out.resize(start + n * 4);
  std::memcpy(out.data() + start, data, n * 4);
  if constexpr (std::endian::native == std::endian::big) swapBytes4(out.data() + start, n);
  return out;
}

std::vector<float> floatsFromNpy(const std::string& bytes, const Shape& expected, const std::string& where) {
  auto bad = [&](const std::string& what) { throw ModelFileError(where + ": " + what); };
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) bad("not a .npy file (no \\x93NUMPY magic)");
  const int major = static_cast<unsigned char>(bytes[6]), minor = static_cast<unsigned char>(bytes[7]);
  size_t headerStart = 10, headerLength = 0;
  if (major == 1) {
    headerLength = size_t(static_cast<unsigned char>(bytes[8])) | size_t(static_cast<unsigned char>(bytes[9])) << 8;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) bad("truncated .npy header");
    headerStart = 12;
    for (int i = 3; i >= 0; --i) headerLength = headerLength << 8 | static_cast<unsigned char>(bytes[size_t(8 + i)]);
  } else {
    bad(".npy format version " + std::to_string(major) + "." + std::to_string(minor) + " is not supported");
  }
  if (headerLength > size_t(kMaxNpyHeaderBytes) || headerStart + headerLength > bytes.size())
    bad("truncated .npy header");
  const NpyHeader h = NpyHeaderParser(bytes.substr(headerStart, headerLength), where).parse();
  if (h.descr != "<f4") bad("dtype '" + h.descr + "' is not float32 ('<f4')");
  if (h.fortranOrder) bad("is stored in Fortran order (DigitLab reads C order)");
  std::vector<int64_t> want(expected.begin(), expected.end());
  if (h.shape != want) bad("has shape " + shapeTuple(h.shape) + " but the layer needs " + shapeTuple(want));
  const size_t n = size_t(shapeSize(expected));
  const size_t dataStart = headerStart + headerLength;
  if (bytes.size() - dataStart != n * 4)
    bad("holds " + std::to_string(bytes.size() - dataStart) + " bytes of data; a " + pyTuple(expected) +
        " float32 tensor has " + std::to_string(n * 4));
  std::vector<float> out(n);
  std::memcpy(out.data(), bytes.data() + dataStart, n * 4);
  if constexpr (std::endian::native == std::endian::big) swapBytes4(reinterpret_cast<char*>(out.data()), n);
  return out;
}

}  // namespace dl
