// The swap device: slots that hold evicted pages. Freed slots are reused last-freed-first, so a
// run's slot usage is deterministic and compact.
#pragma once

#include <cstdint>
#include <vector>

namespace vmsim {

class SwapSpace {
 public:
  using Slot = std::uint32_t;

  // A free slot, returned as 1 + slot number (0 means "no slot" in a PTE).
  std::uint32_t allocate_slot() {
    ++in_use_;
    if (!free_.empty()) {
      const std::uint32_t slot = free_.back();
      free_.pop_back();
      return slot;
    }
    return ++high_water_;
  }

  void free_slot(std::uint32_t slot) {
    free_.push_back(slot);
    --in_use_;
  }

  std::uint32_t slots_in_use() const { return in_use_; }

 private:
  std::vector<std::uint32_t> free_;
  std::uint32_t high_water_ = 0;
  std::uint32_t in_use_ = 0;
};

// Reference-string mode's swap device: it tells only whether a page has a copy on swap, not where,
// so a slot is one byte (1, or 0 for none) and taking or freeing one costs nothing. What the fault
// path counts (swap reads and writes, write-backs) is the same as with numbered slots.
struct SwapCopies {
  using Slot = std::uint8_t;

  static constexpr Slot allocate_slot() { return 1; }
  static constexpr void free_slot(Slot /*slot*/) {}
};

}  // namespace vmsim
