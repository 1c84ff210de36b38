// A small, fast, seedable generator with a stable sequence on every platform
// (std::uniform_int_distribution is implementation-defined, which would break "same seed, same
// output" across standard libraries).
#pragma once

#include <cstdint>

namespace vmsim {

// SplitMix64 (Steele, Lea, Flood 2014): passes BigCrush, one multiply-xorshift chain per draw.
class Rng {
  // GCC and Clang's 128-bit integer: the full 64x64 product in one instruction.
  __extension__ using Wide = unsigned __int128;

 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, bound) by Lemire's multiply-shift with rejection (exactly uniform).
  std::uint64_t below(std::uint64_t bound) {
    if (bound == 0) return 0;
    for (;;) {
      const Wide product = static_cast<Wide>(next()) * bound;
      const auto low = static_cast<std::uint64_t>(product);
      if (low >= bound || low >= (-bound) % bound) return static_cast<std::uint64_t>(product >> 64);
    }
  }

  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

}  // namespace vmsim
