// ConfusionDrillDown: the samples behind the confusion matrix (see ConfusionDrillDown.h).

#include "ConfusionDrillDown.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace dl {

namespace {
constexpr float kUnknown = std::numeric_limits<float>::quiet_NaN();
constexpr int kChunk = 256;  // images per probability call
}  // namespace

void ConfusionDrillDown::set(std::shared_ptr<const Dataset> images, std::vector<int> rows, std::vector<int> predicted,
                             std::vector<float> probabilities, int classes) {
  clear();
  if (!images || classes <= 0) return;
  const size_t n = std::min(rows.size(), predicted.size());
  const bool given = probabilities.size() == rows.size() * size_t(classes) && !rows.empty();
  m_classes = classes;
  for (size_t i = 0; i < n; ++i) {
    const int r = rows[i];
    if (r < 0 || r >= images->count || size_t(r) >= images->labels.size()) continue;
    m_rows.push_back(r);
    m_predicted.push_back(predicted[i]);
    if (given)
      m_probabilities.insert(m_probabilities.end(), probabilities.begin() + std::ptrdiff_t(i * size_t(classes)),
                             probabilities.begin() + std::ptrdiff_t((i + 1) * size_t(classes)));
  }
  if (!given) m_probabilities.assign(m_rows.size() * size_t(classes), kUnknown);
  m_given = given;
  m_images = std::move(images);
}

void ConfusionDrillDown::clear() {
  m_images.reset();
  m_rows.clear();
  m_predicted.clear();
  m_probabilities.clear();
  m_classes = 0;
  m_given = false;
}

int ConfusionDrillDown::trueClass(int sample) const { return m_images->labels[size_t(m_rows[size_t(sample)])]; }

ConfusionMatrix ConfusionDrillDown::matrix() const {
  ConfusionMatrix cm;
  for (int i = 0; i < count(); ++i) cm.add(trueClass(i), m_predicted[size_t(i)]);
  return cm;
}

std::vector<ConfusionDrillDown::Entry> ConfusionDrillDown::cell(int t, int q, const ProbabilityFunction& fn,
                                                                bool* haveConfidence) {
  std::vector<Entry> out;
  std::vector<int> missing;
  for (int i = 0; i < count(); ++i) {
    if (trueClass(i) != t || m_predicted[size_t(i)] != q) continue;
    out.push_back({i, m_rows[size_t(i)], -1.0f});
    if (q >= 0 && q < m_classes && std::isnan(m_probabilities[size_t(i) * size_t(m_classes) + size_t(q)]))
      missing.push_back(i);
  }
  // The missing probabilities, in chunks of images gathered from the dataset.
  const int pixels = m_images ? m_images->pixels() : 0;
  for (size_t start = 0; fn && start < missing.size(); start += kChunk) {
    const size_t end = std::min(missing.size(), start + kChunk);
    std::vector<float> images;
    images.reserve((end - start) * size_t(pixels));
    for (size_t k = start; k < end; ++k) {
      const float* p = image(missing[k]);
      images.insert(images.end(), p, p + pixels);
    }
    const std::vector<float> probs = fn(images, int(end - start));
    if (probs.size() != (end - start) * size_t(m_classes)) break;  // no model: confidence stays unknown
    for (size_t k = start; k < end; ++k)
      std::copy_n(probs.begin() + std::ptrdiff_t((k - start) * size_t(m_classes)), m_classes,
                  m_probabilities.begin() + std::ptrdiff_t(size_t(missing[k]) * size_t(m_classes)));
  }
  bool known = true;
  for (Entry& e : out) {
    const float p =
        q >= 0 && q < m_classes ? m_probabilities[size_t(e.sample) * size_t(m_classes) + size_t(q)] : kUnknown;
    if (std::isnan(p))
      known = false;
    else
      e.confidence = p;
  }
  if (known)
    std::stable_sort(out.begin(), out.end(),
                     [](const Entry& a, const Entry& b) { return a.confidence > b.confidence; });
  else
    for (Entry& e : out) e.confidence = -1.0f;  // all or nothing: a half-sorted list would mislead
  if (haveConfidence) *haveConfidence = known;
  return out;
}

}  // namespace dl
