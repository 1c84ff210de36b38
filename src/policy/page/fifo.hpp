// FIFO: evict the page that has been resident longest, regardless of use.
#pragma once

#include "policy/page/detail/frame_list.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class Fifo {
 public:
  // What a run keeps per frame with this policy, the frame table's share included: about 18.3
  // bytes, measured as the peak resident set at 16 Mi frames (docs/reliability.md); sizes runs
  // before they allocate (sim/memory_need.hpp).
  static constexpr std::uint64_t bytes_per_frame = 24;
  static constexpr PolicyInfo info{"fifo", "first in, first out: evict the page loaded longest ago",
                                   "Belady, Nelson, Shedler, \"An anomaly in space-time "
                                   "characteristics of certain programs running in "
                                   "a paging machine\", CACM 12(6), 1969"};
  using Params = NoParams;

  Fifo(const PolicyContext& ctx, Params) : queue_(ctx.frames) {}

  void on_map(FrameId f) { queue_.push_back(f); }
  void on_unmap(FrameId f) { queue_.remove(f); }
  FrameId select_victim() const { return queue_.front(); }

 private:
  detail::FrameList queue_;  // front = loaded longest ago
};

}  // namespace vmsim
