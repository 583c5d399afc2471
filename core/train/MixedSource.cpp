// The training set plus my digits, repeated, as one BatchSource. See MixedSource.h.

#include "train/MixedSource.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace dl {

int fineTuneRepeats(int base, int mine, double share) {
  if (mine <= 0) return 0;
  const double r = share / (1.0 - share) * double(std::max(0, base)) / double(mine);
  return std::max(1, int(std::lround(r)));
}

MixedSource::MixedSource(std::shared_ptr<const Dataset> base, std::shared_ptr<const Dataset> mine, int repeats)
    : m_base(std::move(base)), m_mine(std::move(mine)), m_repeats(repeats) {
  if (!m_base || !m_mine) throw std::invalid_argument("MixedSource needs both sets");
  if (repeats < 1) throw std::invalid_argument("MixedSource: repeats must be at least 1");
  if (!m_mine->empty() && (m_mine->rows != m_base->rows || m_mine->cols != m_base->cols))
    throw std::invalid_argument("my digits are " + std::to_string(m_mine->rows) + "x" + std::to_string(m_mine->cols) +
                                " but the training images are " + std::to_string(m_base->rows) + "x" +
                                std::to_string(m_base->cols));
}

const float* MixedSource::image(int row, uint8_t& label) const {
  if (row < m_base->count) {
    label = m_base->labels[size_t(row)];
    return m_base->image(row);
  }
  const int i = (row - m_base->count) % m_mine->count;
  label = m_mine->labels[size_t(i)];
  return m_mine->image(i);
}

void MixedSource::gatherRows(const int* rows, int n, Matrix& x, uint8_t* labels) const {
  const int size = featureSize();
  for (int k = 0; k < n; ++k) std::copy_n(image(rows[k], labels[k]), size, x.data() + Eigen::Index(k) * size);
}

void MixedSource::copyRows(int first, int n, Matrix& x, uint8_t* labels) const {
  const int size = featureSize();
  for (int k = 0; k < n; ++k) std::copy_n(image(first + k, labels[k]), size, x.data() + Eigen::Index(k) * size);
}

}  // namespace dl
