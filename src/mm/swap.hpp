// The swap device: slots that hold evicted pages.
//
// Until pages can be shared (the first fork that copies an address space), every slot has one
// holder (a page-table entry, or the frame whose copy it is), so which slot a page is in cannot
// matter: every slot is the same placeholder, kUnnumbered, and the device keeps nothing for it.
// Numbering them costs a free-list pop per swap write and a push per swap read
// (measured, reference-string mode: 7 of the random policy's 156 instructions a fault, and 7% of a
// working-set run, which writes back most pages it releases). When sharing begins,
// start_counting() begins numbering, and the kernel gives every holder a slot of its own
// (mm/process.hpp: start_sharing).
//
// From then on each slot is counted like Linux's swap_map: one reference for each page-table
// entry that holds it as a swap entry, plus one while a resident frame keeps it (the swap cache:
// the frame's copy on swap is still valid), and the device maps each slot to the frame that
// caches it. Pages shared after a fork stay shared on swap: every sharer's entry holds the same
// slot, and the first to fault it in puts the frame in the swap cache, where the others find it
// without reading the device. Freed slots are reused last-freed-first, so slot numbers are
// deterministic and compact.
#pragma once

#include <cstdint>
#include <vector>

#include "core/frame_id.hpp"

namespace vmsim {

class SwapSpace {
 public:
  using Slot = std::uint32_t;

  // Every slot before numbering begins (1 + slot 0: 0 means "no slot" in a PTE).
  static constexpr Slot kUnnumbered = 1;

  // A free slot with one reference, returned as 1 + slot number (0 means "no slot" in a PTE).
  // `MayCount` false: the caller knows the device is not counting yet (the fault path without
  // sharing, mm/fault.hpp), so the test is left out.
  template <bool MayCount = true>
  Slot allocate_slot() {
    if (!MayCount || !counting_) return kUnnumbered;
    Slot slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = ++high_water_;
      count_.push_back(0);
      cache_.push_back(kNoFrame);
    }
    count_[slot - 1] = 1;
    cache_[slot - 1] = kNoFrame;
    return slot;
  }

  // One more reference to `slot` (an entry now holds it too); only while counting.
  void dup(Slot slot) { ++count_[slot - 1]; }
  // One reference fewer; the slot is free when none is left.
  template <bool MayCount = true>
  void put(Slot slot) {
    if (MayCount && counting_ && --count_[slot - 1] == 0) free_.push_back(slot);
  }
  std::uint32_t count(Slot slot) const { return counting_ ? count_[slot - 1] : 1; }

  // The swap cache: the resident frame that holds the slot's page, or kNoFrame.
  FrameId cached(Slot slot) const { return counting_ ? cache_[slot - 1] : kNoFrame; }
  void set_cached(Slot slot, FrameId frame) {
    if (counting_) cache_[slot - 1] = frame;
  }

  // Pages may be shared from now on: slots are numbered and counted. Every slot in use so far is
  // kUnnumbered and must be given up: the caller allocates each holder a slot of its own
  // (mm/process.hpp: start_sharing), and cached() finds nothing until set_cached() says where.
  bool counting() const { return counting_; }
  void start_counting() { counting_ = true; }

 private:
  std::vector<Slot> free_;
  std::vector<std::uint32_t> count_;  // per slot, while counting: references
  std::vector<FrameId> cache_;        // per slot, while counting: the frame caching it
  Slot high_water_ = 0;
  bool counting_ = false;
};

}  // namespace vmsim
