// Byte-size literals and parsing of human sizes such as "64MiB" or "4k".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vmsim {

constexpr std::uint64_t operator""_KiB(unsigned long long n) {
  return n << 10;
}
constexpr std::uint64_t operator""_MiB(unsigned long long n) {
  return n << 20;
}
constexpr std::uint64_t operator""_GiB(unsigned long long n) {
  return n << 30;
}

// Parses a byte count with an optional binary suffix: 4096, 4k, 4KiB, 64M, 64MiB, 2G, 2GiB
// (case-insensitive, "B" optional; "KB" is read as KiB since memory sizes are binary). Throws
// vmsim::Error naming `what`.
std::uint64_t parse_size(std::string_view text, std::string_view what);

// Parses an unsigned decimal integer (or 0x hex); throws vmsim::Error naming `what`.
std::uint64_t parse_uint(std::string_view text, std::string_view what);

// Parses a finite non-negative floating-point number; throws vmsim::Error naming `what`.
double parse_double(std::string_view text, std::string_view what);

// Formats a byte count the way parse_size reads it back: 4096 -> "4KiB", 1000 -> "1000B".
std::string format_size(std::uint64_t bytes);

constexpr bool is_power_of_two(std::uint64_t x) {
  return x != 0 && (x & (x - 1)) == 0;
}

constexpr unsigned log2_exact(std::uint64_t x) {
  unsigned n = 0;
  while (x > 1) {
    x >>= 1;
    ++n;
  }
  return n;
}

}  // namespace vmsim
