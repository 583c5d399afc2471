#pragma once
// Fine-tuning on my digits: the training set (MNIST) followed by the person's own digits, each
// repeated `repeats` times, as one BatchSource that fit shuffles like any other. Nothing is
// copied: rows [0, base) are the base set's, rows base + k * mine + i (k < repeats) are my digit i.
//
// The weighting rule (fineTuneRepeats): each of my digits is repeated so that they make about
// kMyDigitsShare (15 %) of each epoch: repeats = round(share / (1 - share) * base / mine), at
// least 1 (so with as many digits of my own as 18 % of the base set or more, each is seen once).
// With the 8,000 embedded digits and 20 of mine: 71 repeats, 1,420 rows of 9,420 (15.1 %).

#include "data/Dataset.h"
#include "nn/BatchSource.h"

#include <memory>

namespace dl {

constexpr double kMyDigitsShare = 0.15;
// Epochs a "Fine-tune on my digits" run trains.
constexpr int kFineTuneEpochs = 2;

// The repeats that make `mine` digits about `share` of an epoch with `base` other rows (>= 1;
// 0 when mine is 0).
int fineTuneRepeats(int base, int mine, double share = kMyDigitsShare);

class MixedSource : public BatchSource {
 public:
  // Throws std::invalid_argument if the two sets' images differ in size, or repeats < 1.
  MixedSource(std::shared_ptr<const Dataset> base, std::shared_ptr<const Dataset> mine, int repeats);

  int rowCount() const override { return m_base->count + m_mine->count * m_repeats; }
  int featureSize() const override { return m_base->pixels(); }
  void gatherRows(const int* rows, int n, Matrix& x, uint8_t* labels) const override;
  void copyRows(int first, int n, Matrix& x, uint8_t* labels) const override;

  int repeats() const { return m_repeats; }
  // Rows of my digits in an epoch, and their share of it.
  int myRows() const { return m_mine->count * m_repeats; }
  double myShare() const { return rowCount() ? double(myRows()) / rowCount() : 0.0; }

 private:
  // The image and label of row `row`.
  const float* image(int row, uint8_t& label) const;

  std::shared_ptr<const Dataset> m_base;
  std::shared_ptr<const Dataset> m_mine;
  int m_repeats = 1;
};

}  // namespace dl
