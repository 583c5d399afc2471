// The pictures of docs/preprocessing.md: see PreprocessingPictures.h.

#include "PreprocessingPictures.h"

#include <stdexcept>

namespace dl::drawn {

void writePreprocessingPictures(const QString& dir) { throw std::runtime_error("not written yet"); }

}  // namespace dl::drawn
