// The translation lookaside buffer: caches page -> frame for (address space, page) pairs.
#pragma once

#include <cstdint>

#include "core/frame_id.hpp"
#include "core/page_key.hpp"
#include "mmu/set_assoc.hpp"
#include "vmsim/access.hpp"

namespace vmsim {

// What a TLB entry caches of a translation: the frame in the low 32 bits and, above them, what the
// page may not be used for (its region's protection, or write protection for copy-on-write). An
// access whose kind an entry denies goes the way of a miss, and the kernel decides.
// The deny bits are in the order of Op's Read, Write and Fetch, so an access's is one shift.
using TlbEntry = std::uint64_t;
inline constexpr TlbEntry kTlbNoRead = TlbEntry{1} << (32 + static_cast<unsigned>(Op::Read));
inline constexpr TlbEntry kTlbNoWrite = TlbEntry{1} << (32 + static_cast<unsigned>(Op::Write));
inline constexpr TlbEntry kTlbNoExec = TlbEntry{1} << (32 + static_cast<unsigned>(Op::Fetch));
inline constexpr TlbEntry kTlbFrameMask = 0xFFFF'FFFFU;

class Tlb {
 public:
  // entries == 0 disables the TLB: every lookup misses and nothing is cached.
  Tlb(std::uint32_t entries, std::uint32_t ways)
      : enabled_(entries > 0), cache_(entries > 0 ? entries / ways : 1, entries > 0 ? ways : 1) {}

  // Page numbers are below 2^48 (validated), leaving the top 16 bits for the address-space id.
  static std::uint64_t tag(Asid asid, std::uint64_t vpn) { return make_page_key(asid, vpn); }
  // A page key (core/page_key.hpp) is its own tag.
  static std::uint64_t tag(PageKey page) { return page; }

  bool enabled() const { return enabled_; }
  bool lookup(std::uint64_t tag, TlbEntry& entry) { return enabled_ && cache_.lookup(tag, entry); }
  void insert(std::uint64_t tag, TlbEntry entry) {
    if (enabled_) cache_.insert(tag, entry);
  }
  bool invalidate(std::uint64_t tag) { return enabled_ && cache_.invalidate(tag); }
  // Drops every entry of one address space, as a kernel does before its ASID is reused (an
  // INVPCID single-context flush on x86). Returns how many there were.
  std::uint64_t flush_asid(Asid asid) {
    if (!enabled_) return 0;
    return cache_.invalidate_if([asid](std::uint64_t tag) { return key_asid(tag) == asid; });
  }

 private:
  bool enabled_;
  SetAssoc<TlbEntry> cache_;
};

}  // namespace vmsim
