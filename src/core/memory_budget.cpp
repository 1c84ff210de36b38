#include "core/memory_budget.hpp"

#include <unistd.h>

#include <fstream>
#include <string>

#include <fmt/format.h>

#include "vmsim/error.hpp"

namespace vmsim {

std::uint64_t available_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit) {
    if (key == "MemAvailable:") return kib * 1024;
  }
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return ~std::uint64_t{0};
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
}

void require_memory(std::uint64_t bytes, std::string_view what) {
  const std::uint64_t available = available_memory_bytes();
  if (bytes <= available) return;
  throw Error(fmt::format("{} needs about {}, more than the {} of memory available", what,
                          approx_bytes(bytes), approx_bytes(available)));
}

std::string approx_bytes(std::uint64_t bytes) {
  static constexpr std::string_view kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  std::size_t unit = 0;
  double value = static_cast<double>(bytes);
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  if (unit == 0 || value >= 100) return fmt::format("{:.0f} {}", value, kUnits[unit]);
  return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

}  // namespace vmsim
