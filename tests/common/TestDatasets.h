#pragma once
// Small datasets cut from bigger ones, shared by the core and UI tests.

#include "data/Dataset.h"

#include <algorithm>

namespace dl::test {

// The first n rows of d.
inline Dataset firstRows(const Dataset& d, int n) {
  Dataset out;
  out.rows = d.rows;
  out.cols = d.cols;
  out.count = n;
  out.images.assign(d.images.begin(), d.images.begin() + size_t(n) * d.pixels());
  out.labels.assign(d.labels.begin(), d.labels.begin() + n);
  return out;
}

// d's rows repeated until there are `count`.
inline Dataset tiled(const Dataset& d, int count) {
  Dataset out;
  out.rows = d.rows;
  out.cols = d.cols;
  out.count = count;
  out.images.resize(size_t(count) * d.pixels());
  out.labels.resize(size_t(count));
  for (int i = 0; i < count; ++i) {
    std::copy_n(d.image(i % d.count), d.pixels(), out.images.data() + size_t(i) * d.pixels());
    out.labels[size_t(i)] = d.labels[size_t(i % d.count)];
  }
  return out;
}

}  // namespace dl::test
