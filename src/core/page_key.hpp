// One 64-bit name for a virtual page of any process: the address-space id above bit 48, the page
// number below (page numbers are validated to fit in 48 bits). The TLB tags entries with it, the
// frame table's reverse map stores it, and policies that remember evicted pages (ghost lists) key
// them by it.
#pragma once

#include <cstdint>

namespace vmsim {

using Asid = std::uint16_t;
using PageKey = std::uint64_t;

inline constexpr unsigned kPageKeyAsidShift = 48;

// How many address spaces can exist at once: one for every value of Asid (and of a pid).
inline constexpr std::uint32_t kAsidCount = std::uint32_t{1} << (8 * sizeof(Asid));

constexpr PageKey make_page_key(Asid asid, std::uint64_t vpn) {
  return (std::uint64_t{asid} << kPageKeyAsidShift) | vpn;
}
constexpr Asid key_asid(PageKey key) {
  return static_cast<Asid>(key >> kPageKeyAsidShift);
}
constexpr std::uint64_t key_vpn(PageKey key) {
  return key & ((std::uint64_t{1} << kPageKeyAsidShift) - 1);
}

// A page as the trace names it, for fault logs and explanations: the process and its page number.
struct PageName {
  std::uint16_t pid = 0;
  std::uint64_t vpn = 0;
};

}  // namespace vmsim
