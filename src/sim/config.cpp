#include <limits>
#include <numeric>
#include <utility>

#include <fmt/format.h>

#include "core/units.hpp"
#include "policy/page/registry.hpp"
#include "vmsim/config.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

// Swap-device service times per 4 KiB page. SSD: a random 4 KiB read on a SATA/NVMe SSD plus
// block-layer overhead, ~100 us; HDD: seek + rotation + transfer, 8 ms, the figure Silberschatz et
// al. use.
constexpr double kSsdSwapNs = 100'000.0;
constexpr double kHddSwapNs = 8'000'000.0;

// A radix level wider than this would make a single table node larger than any real design (and our
// store allocates whole nodes).
constexpr std::uint32_t kMaxLevelBits = 24;
constexpr std::uint32_t kMaxVpnBits = 48;  // the TLB tag keeps 16 bits for the address-space id

double device_ns(SwapDevice device) {
  return device == SwapDevice::Ssd ? kSsdSwapNs : kHddSwapNs;
}

}  // namespace

double TimingConfig::effective_swap_read_ns(SwapDevice device) const {
  return swap_read_ns >= 0 ? swap_read_ns : device_ns(device);
}

double TimingConfig::effective_swap_write_ns(SwapDevice device) const {
  return swap_write_ns >= 0 ? swap_write_ns : device_ns(device);
}

unsigned SimConfig::page_shift() const {
  return log2_exact(page_size);
}

std::vector<std::uint32_t> SimConfig::radix_level_bits() const {
  if (!pt_bits.empty()) return pt_bits;
  const std::uint32_t vpn_bits = va_bits > page_shift() ? va_bits - page_shift() : 0;
  const std::uint32_t levels = pt_levels == 0 ? 1 : pt_levels;
  std::vector<std::uint32_t> bits(levels, vpn_bits / levels);
  bits.front() += vpn_bits % levels;
  return bits;
}

std::vector<ConfigProblem> SimConfig::problem_list() const {
  std::vector<ConfigProblem> out;
  const auto add = [&out](std::string_view setting, std::string message) {
    out.push_back({setting, std::move(message)});
  };
  const bool page_ok = is_power_of_two(page_size) && page_size >= 256 && page_size <= (1ULL << 30);
  if (!page_ok) {
    add("page-size",
        fmt::format("page size {} must be a power of two from 256B to 1GiB", page_size));
  }
  if (frames == 0 || frames > (1ULL << 31)) {
    add("frames", fmt::format("frames {} must be between 1 and 2^31", frames));
  }
  if (tlb_entries > 0) {
    if (tlb_ways == 0 || tlb_ways > tlb_entries || tlb_entries % tlb_ways != 0) {
      add("tlb-ways",
          fmt::format("TLB ways {} must divide the TLB entries {}", tlb_ways, tlb_entries));
    } else if (!is_power_of_two(tlb_entries / tlb_ways)) {
      add("tlb-ways", fmt::format("TLB sets (entries {} / ways {}) must be a power of two",
                                  tlb_entries, tlb_ways));
    }
  }
  if (page_ok) {
    if (va_bits <= page_shift() || va_bits > 64) {
      add("va-bits",
          fmt::format("virtual address bits {} must exceed the page offset bits {} and be at "
                      "most 64",
                      va_bits, page_shift()));
    } else if (va_bits - page_shift() > kMaxVpnBits) {
      add("va-bits",
          fmt::format("virtual address bits {} leave {} page-number bits; at most {} are "
                      "supported",
                      va_bits, va_bits - page_shift(), kMaxVpnBits));
    } else if (page_table == PageTableKind::Radix) {
      const auto bits = radix_level_bits();
      const std::uint32_t sum = std::accumulate(bits.begin(), bits.end(), 0U);
      if (pt_bits.empty() && (pt_levels == 0 || pt_levels > 8)) {
        add("pt-levels", fmt::format("page-table levels {} must be between 1 and 8", pt_levels));
      }
      if (sum != va_bits - page_shift()) {
        add("pt-bits",
            fmt::format("page-table level bits add up to {} but the page number has {} bits "
                        "({} virtual address bits - {} offset bits)",
                        sum, va_bits - page_shift(), va_bits, page_shift()));
      }
      for (std::uint32_t b : bits) {
        if (b == 0 || b > kMaxLevelBits) {
          add("pt-bits",
              fmt::format("each page-table level needs 1 to {} bits (got {})", kMaxLevelBits, b));
          break;
        }
      }
    }
  }
  if (pte_bytes == 0 || !is_power_of_two(pte_bytes) || pte_bytes > 64) {
    add("pte-bytes", fmt::format("PTE size {} must be a power of two up to 64 bytes", pte_bytes));
  }
  const std::pair<std::string_view, double> times[] = {{"tlb-ns", timing.tlb_ns},
                                                       {"memory-ns", timing.memory_ns},
                                                       {"minor-fault-ns", timing.minor_fault_ns}};
  for (const auto& [setting, t] : times) {
    if (!(t >= 0) || t == std::numeric_limits<double>::infinity()) {
      add(setting,
          fmt::format("{} {} must be a finite number of nanoseconds, 0 or more", setting, t));
    }
  }
  try {
    const PolicySpec spec = parse_policy_spec(policy);
    dispatch_policy(spec, []<class P>(typename P::Params) {});
  } catch (const Error& e) {
    add("policy", e.what());
  }
  return out;
}

std::vector<std::string> SimConfig::problems() const {
  std::vector<std::string> out;
  for (ConfigProblem& p : problem_list()) out.push_back(std::move(p.message));
  return out;
}

void SimConfig::validate() const {
  const auto list = problems();
  if (list.empty()) return;
  std::string message = "invalid configuration:";
  for (const auto& p : list) message += "\n  " + p;
  throw Error(message);
}

}  // namespace vmsim
