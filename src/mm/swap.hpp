// The swap device: slots that hold evicted pages. A page keeps its slot once given one, so a clean
// page whose copy on swap is still valid can be dropped without writing (Linux's swap cache behaves
// the same).
#pragma once

#include <cstdint>

namespace vmsim {

class SwapSpace {
 public:
  // A fresh slot, returned as 1 + slot number (0 means "no slot" in a PTE).
  std::uint32_t allocate_slot() { return ++slots_used_; }
  std::uint32_t slots_used() const { return slots_used_; }

 private:
  std::uint32_t slots_used_ = 0;
};

}  // namespace vmsim
