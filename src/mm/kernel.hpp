// The kernel model's state: every address space, physical memory, the swap device and the event
// counters. The fault and reclaim paths (mm/fault.hpp) operate on it; the MMU side lives in the
// simulator.
#pragma once

#include <cstdint>
#include <vector>

#include "mm/frame_table.hpp"
#include "mm/mm_struct.hpp"
#include "mm/swap.hpp"
#include "vmsim/results.hpp"

namespace vmsim {

struct Kernel {
  Kernel(const PageTableShape& table_shape, std::uint32_t frame_count, bool keep_swap_cache,
         bool log_faults, FirstTouch first)
      : shape(table_shape),
        frames(frame_count),
        swap_cache(keep_swap_cache),
        record_faults(log_faults),
        first_touch(first) {}

  PageTableShape shape;
  std::vector<MmStruct> mms;  // indexed by Asid
  FrameTable frames;
  SwapSpace swap;
  Counters counters;
  bool swap_cache;  // keep a swapped-in page's slot while it stays clean (SimConfig::swap_cache)
  bool record_faults;
  FirstTouch first_touch;  // a page with no swap copy: zero-filled or read from the backing store
  std::vector<FaultRecord> fault_log;
  PolicyRequests requests;  // what a variable-allocation policy has queued (policy/page/policy.hpp)
};

}  // namespace vmsim
