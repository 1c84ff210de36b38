// The kernel model's state that every translation shares: physical memory, the swap device, the
// event counters and what a variable-allocation policy has queued. Where each page lives (page
// tables, or reference-string mode's direct map) belongs to the translation; the fault path
// (mm/fault.hpp) works on both through the PageMap interface.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "mm/frame_table.hpp"
#include "mm/process_tally.hpp"
#include "mm/swap.hpp"
#include "policy/page/policy.hpp"
#include "vmsim/config.hpp"
#include "vmsim/results.hpp"

namespace vmsim {

// `Swap` is the swap device (mm/swap.hpp: SwapSpace).
template <class Swap>
struct Kernel {
  Kernel(std::uint32_t frame_count, bool keep_swap_cache, FirstTouch first)
      : frames(frame_count), swap_cache(keep_swap_cache), first_touch(first) {}

  FrameTable<typename Swap::Slot> frames;
  Swap swap;
  Counters counters;
  bool swap_cache;  // keep a swapped-in page's slot while it stays clean (SimConfig::swap_cache)
  FirstTouch first_touch;   // a page with no swap copy: zero-filled or read from the backing store
  PolicyRequests requests;  // what a variable-allocation policy has queued (policy/page/policy.hpp)
  std::vector<FrameId> exiting;  // the frames of an address space being ended (mm/process.hpp)
  std::unique_ptr<ProcessTally> tally;  // per-process accounting, when asked for (else null)
};

}  // namespace vmsim
