// Refusing what the machine cannot hold before allocating it, with the figure, so that neither
// std::bad_alloc nor the kernel's OOM killer decides how a run ends.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vmsim {

// Memory the system can give this process without swapping: MemAvailable from /proc/meminfo, or
// the physical memory when that is not readable.
std::uint64_t available_memory_bytes();

// Throws vmsim::Error("WHAT needs about N GiB, more than the M GiB of memory available") when
// `bytes` exceeds available_memory_bytes().
void require_memory(std::uint64_t bytes, std::string_view what);

// "1.5 GiB", "300 MiB", "12 KiB", "10 B": one decimal at most, for messages.
std::string approx_bytes(std::uint64_t bytes);

// Multiplies without wrapping: the product, or UINT64_MAX when it would not fit.
constexpr std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > ~std::uint64_t{0} / a) return ~std::uint64_t{0};
  return a * b;
}

// Adds without wrapping: the sum, or UINT64_MAX when it would not fit.
constexpr std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return b > ~std::uint64_t{0} - a ? ~std::uint64_t{0} : a + b;
}

}  // namespace vmsim
