// A page-table entry as the kernel model sees it: where the page is (a frame, a swap slot, or
// nowhere).
#pragma once

#include <cstdint>

#include "core/frame_id.hpp"

namespace vmsim {

struct Pte {
  FrameId frame = kNoFrame;     // resident frame; kNoFrame when not present
  std::uint32_t swap_slot = 0;  // 1 + slot holding the page's copy on swap; 0 = no copy

  bool present() const { return frame != kNoFrame; }
  bool has_swap_copy() const { return swap_slot != 0; }
};
static_assert(sizeof(Pte) == 8, "a PTE stays 8 bytes: page tables are the per-page memory cost");

}  // namespace vmsim
