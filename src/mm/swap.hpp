// The swap device: slots that hold evicted pages. Freed slots are reused last-freed-first, so a
// run's slot usage is deterministic and compact.
#pragma once

#include <cstdint>
#include <vector>

namespace vmsim {

class SwapSpace {
 public:
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

}  // namespace vmsim
