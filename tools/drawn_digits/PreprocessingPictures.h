#pragma once
// The pictures of docs/preprocessing.md: each step of turning strokes or a picture into the
// 28x28 input, for the same digit drawn small and large with a thin and a heavy pen.

#include <QString>

namespace dl::drawn {

// Writes the PNGs into `dir` (created if needed). Throws std::runtime_error.
void writePreprocessingPictures(const QString& dir);

}  // namespace dl::drawn
