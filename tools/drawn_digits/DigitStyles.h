#pragma once
// Style templates of the digits 0-9 as people write them: strokes (pen down to pen up) as
// polylines in a unit box (x right, y down, the digit about 1 tall and centred on x = 0.5), in
// the order and direction people draw them. Several styles per digit, including the common
// alternatives (1 with or without flag and base, 4 open and closed, 7 with or without bar, 9 with
// a straight or curved stem, 2 with or without a loop, ...).

#include "data/Strokes.h"

#include <QString>

#include <vector>

namespace dl::drawn {

// Which part of the check set a style appears in.
enum class Part { Tune = 1, Report = 2, Both = 3 };

struct DigitStyle {
  int digit = 0;
  QString name;  // "4 closed", ...
  Part part = Part::Both;
  Strokes strokes;
};

// All styles of all digits.
const std::vector<DigitStyle>& digitStyles();

// The styles of one digit that appear in `part`.
std::vector<const DigitStyle*> stylesOf(int digit, Part part);

}  // namespace dl::drawn
