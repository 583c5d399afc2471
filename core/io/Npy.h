#pragma once
// NumPy's .npy format for the float32 tensors of a model file: the NPY 1.0 encoding exactly as
// numpy.save writes it (header padded for growth and to 64 bytes), and back. floatsFromNpy checks
// magic, version (1.0 to 3.0), dtype ('<f4'), C order and that the shape is `expected`; errors
// throw ModelFileError naming `where`.

#include "nn/Tensor.h"

#include <string>
#include <vector>

namespace dl {

// The most header bytes floatsFromNpy accepts (numpy writes 128 for DigitLab's tensors).
constexpr long long kMaxNpyHeaderBytes = 4096;

std::string npyBytes(const float* data, const Shape& shape);
std::vector<float> floatsFromNpy(const std::string& bytes, const Shape& expected, const std::string& where);

// A shape as Python prints a tuple: (784, 200), (200,), ().
std::string pyTuple(const Shape& s);

}  // namespace dl
