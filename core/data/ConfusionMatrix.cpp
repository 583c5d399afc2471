// ConfusionMatrix: counting and the per-class figures (see ConfusionMatrix.h).

#include "data/ConfusionMatrix.h"

#include "data/CsvField.h"

#include <algorithm>
#include <limits>

namespace dl {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
bool inRange(int c) { return c >= 0 && c < ConfusionMatrix::kClasses; }

}  // namespace

ConfusionMatrix ConfusionMatrix::compute(const std::vector<uint8_t>& trueLabels, const std::vector<int>& predicted) {
  ConfusionMatrix cm;
  const size_t n = std::min(trueLabels.size(), predicted.size());
  for (size_t i = 0; i < n; ++i) cm.add(trueLabels[i], predicted[i]);
  return cm;
}

bool ConfusionMatrix::add(int trueClass, int predictedClass) {
  if (!inRange(trueClass) || !inRange(predictedClass)) {
    ++m_skipped;
    return false;
  }
  ++m_counts[trueClass][predictedClass];
  ++m_total;
  return true;
}

int ConfusionMatrix::correct() const {
  int n = 0;
  for (int c = 0; c < kClasses; ++c) n += m_counts[c][c];
  return n;
}

int ConfusionMatrix::rowTotal(int trueClass) const {
  int n = 0;
  for (int p = 0; p < kClasses; ++p) n += m_counts[trueClass][p];
  return n;
}

int ConfusionMatrix::columnTotal(int predictedClass) const {
  int n = 0;
  for (int t = 0; t < kClasses; ++t) n += m_counts[t][predictedClass];
  return n;
}

int ConfusionMatrix::maxCount() const {
  int m = 0;
  for (const auto& row : m_counts) m = std::max(m, *std::max_element(row.begin(), row.end()));
  return m;
}

int ConfusionMatrix::maxOffDiagonal() const {
  int m = 0;
  for (int t = 0; t < kClasses; ++t)
    for (int p = 0; p < kClasses; ++p)
      if (t != p) m = std::max(m, m_counts[t][p]);
  return m;
}

std::string ConfusionMatrix::toCsv(const std::vector<std::string>& names) const {
  const auto name = [&](int c) { return csvField(size_t(c) < names.size() ? names[size_t(c)] : std::to_string(c)); };
  std::string out = "true/predicted";
  for (int p = 0; p < kClasses; ++p) {
    out += ',';
    out += name(p);
  }
  out += "\n";
  for (int t = 0; t < kClasses; ++t) {
    out += name(t);
    for (int p = 0; p < kClasses; ++p) {
      out += ',';
      out += std::to_string(m_counts[t][p]);
    }
    out += "\n";
  }
  return out;
}

double ConfusionMatrix::accuracy() const { return m_total == 0 ? kNaN : double(correct()) / m_total; }

double ConfusionMatrix::recall(int cls) const {
  const int n = rowTotal(cls);
  return n == 0 ? kNaN : double(m_counts[cls][cls]) / n;
}

double ConfusionMatrix::precision(int cls) const {
  const int n = columnTotal(cls);
  return n == 0 ? kNaN : double(m_counts[cls][cls]) / n;
}

}  // namespace dl
