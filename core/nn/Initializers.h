#pragma once
// Keras initializers by name (keras/src/initializers/random_initializers.py):
//   glorot_uniform  U(±sqrt(6/(fan_in+fan_out)))      he_uniform    U(±sqrt(6/fan_in))
//   glorot_normal   truncated N, sd sqrt(2/(fi+fo))/.8796   he_normal  truncated N, sd sqrt(2/fan_in)/.8796
//   lecun_uniform   U(±sqrt(3/fan_in))                 lecun_normal  truncated N, sd sqrt(1/fan_in)/.8796
//   random_normal   N(0, 0.05)   random_uniform U(±0.05)   zeros   ones
// Truncated normals redraw values beyond two standard deviations.

#include "nn/Tensor.h"

#include <random>
#include <string>

namespace dl {

void initialize(Matrix& w, const std::string& name, int fanIn, int fanOut, std::mt19937_64& rng);

}  // namespace dl
