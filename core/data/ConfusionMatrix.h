#pragma once
// A 10-class confusion matrix: counts[true][predicted], with the figures read off it (accuracy,
// per-class recall and precision). Pure data, no Qt: ResultsView paints it, tests check it.
//
//   const ConfusionMatrix cm = ConfusionMatrix::compute(test.labels, predictClasses(model, test));
//   cm.count(7, 1);      // how many true 7s were predicted as 1
//   cm.recall(7);        // fraction of true 7s predicted as 7 (NaN if there are none)
//   cm.precision(1);     // fraction of "1" predictions that were 1s (NaN if never predicted)
//   cm.toCsv(names);     // the counts as CSV: rows true class, columns predicted, with header

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace dl {

class ConfusionMatrix {
 public:
  static constexpr int kClasses = 10;
  using Counts = std::array<std::array<int, kClasses>, kClasses>;

  ConfusionMatrix() = default;

  // Counts the pairs (trueLabels[i], predicted[i]) for i < min(sizes). A pair with a class
  // outside 0..kClasses-1 is not counted in the matrix but in skipped().
  static ConfusionMatrix compute(const std::vector<uint8_t>& trueLabels, const std::vector<int>& predicted);

  // Adds one sample; false (and skipped() grows) when a class is out of range.
  bool add(int trueClass, int predictedClass);

  // Requires 0 <= classes < kClasses.
  int count(int trueClass, int predictedClass) const { return m_counts[trueClass][predictedClass]; }
  const Counts& counts() const { return m_counts; }

  int total() const { return m_total; }       // counted samples
  int skipped() const { return m_skipped; }   // pairs with an out-of-range class
  int correct() const;                        // sum of the diagonal
  int rowTotal(int trueClass) const;          // samples whose true class is trueClass
  int columnTotal(int predictedClass) const;  // samples predicted as predictedClass
  int maxCount() const;                       // largest cell (0 when empty)
  int maxOffDiagonal() const;                 // largest error cell (0 when none)

  double accuracy() const;          // correct / total; NaN when empty
  double recall(int cls) const;     // count(c,c) / rowTotal(c); NaN when the row is empty
  double precision(int cls) const;  // count(c,c) / columnTotal(c); NaN when never predicted

  // The counts as CSV, UTF-8, lines ending in "\n": the header "true/predicted,<name 0>,...,<name 9>",
  // then one row per true class, "<name>,<count>,...". `names` gives the class names ("0".."9"
  // for a class it does not name); a name holding a comma, a quote or a line break is quoted as
  // RFC 4180 says.
  std::string toCsv(const std::vector<std::string>& names = {}) const;

  bool empty() const { return m_total == 0; }
  bool operator==(const ConfusionMatrix&) const = default;

 private:
  Counts m_counts{};
  int m_total = 0;
  int m_skipped = 0;
};

}  // namespace dl
