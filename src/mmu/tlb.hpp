// The translation lookaside buffer: caches page -> frame for (address space, page) pairs.
#pragma once

#include <cstdint>

#include "core/frame_id.hpp"
#include "core/page_key.hpp"
#include "mmu/set_assoc.hpp"

namespace vmsim {

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
  bool lookup(std::uint64_t tag, FrameId& frame) { return enabled_ && cache_.lookup(tag, frame); }
  void insert(std::uint64_t tag, FrameId frame) {
    if (enabled_) cache_.insert(tag, frame);
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
  SetAssoc<FrameId> cache_;
};

}  // namespace vmsim
