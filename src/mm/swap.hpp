// The swap device: slots that hold evicted pages. Freed slots are reused last-freed-first, so a
// run's slot usage is deterministic and compact.
//
// Once pages can be shared (after the first fork that copies an address space), a slot is
// counted like Linux's swap_map: one reference for each page-table entry that holds it as a swap
// entry, plus one while a resident frame keeps it (the swap cache: the frame's copy on swap is
// still valid), and the device maps each slot to the frame that caches it. Pages shared after a
// fork stay shared on swap: every sharer's entry holds the same slot, and the first to fault it
// in puts the frame in the swap cache, where the others find it without reading the device.
// Before that every slot has one reference, so nothing is counted or mapped: per-slot arrays
// would cost a random memory access per swap operation.
#pragma once

#include <cstdint>
#include <vector>

#include "core/frame_id.hpp"

namespace vmsim {

class SwapSpace {
 public:
  using Slot = std::uint32_t;

  // A free slot with one reference, returned as 1 + slot number (0 means "no slot" in a PTE).
  Slot allocate_slot() {
    ++in_use_;
    Slot slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = ++high_water_;
      if (counting_) {
        count_.push_back(0);
        cache_.push_back(kNoFrame);
      }
    }
    if (counting_) {
      count_[slot - 1] = 1;
      cache_[slot - 1] = kNoFrame;
    }
    return slot;
  }

  // One more reference to `slot` (an entry now holds it too); only while counting.
  void dup(Slot slot) { ++count_[slot - 1]; }
  // One reference fewer; the slot is free when none is left.
  void put(Slot slot) {
    if (!counting_ || --count_[slot - 1] == 0) {
      free_.push_back(slot);
      --in_use_;
    }
  }
  std::uint32_t count(Slot slot) const { return counting_ ? count_[slot - 1] : 1; }

  // The swap cache: the resident frame that holds the slot's page, or kNoFrame.
  FrameId cached(Slot slot) const { return counting_ ? cache_[slot - 1] : kNoFrame; }
  void set_cached(Slot slot, FrameId frame) {
    if (counting_) cache_[slot - 1] = frame;
  }

  // Pages may be shared from now on: every slot in use has its one reference, and cached()
  // finds nothing until set_cached() says where (mm/process.hpp: copy_mm).
  bool counting() const { return counting_; }
  void start_counting() {
    count_.assign(high_water_, 1);
    cache_.assign(high_water_, kNoFrame);
    for (const Slot slot : free_) count_[slot - 1] = 0;
    counting_ = true;
  }

  std::uint32_t slots_in_use() const { return in_use_; }

 private:
  std::vector<Slot> free_;
  std::vector<std::uint32_t> count_;  // per slot, while counting: references
  std::vector<FrameId> cache_;        // per slot, while counting: the frame caching it
  Slot high_water_ = 0;
  std::uint32_t in_use_ = 0;
  bool counting_ = false;
};

}  // namespace vmsim
