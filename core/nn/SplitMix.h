#pragma once
// splitmix64 (Steele, Lea and Flood; Vigna's constants): a fast, seedable 64-bit generator, good
// enough for the random draws of training-time layers (Dropout's masks, GaussianNoise, the image
// augmentation layers). Advances `state` and returns the next value.

#include <cstdint>

namespace dl {

inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace dl
