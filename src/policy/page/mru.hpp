// MRU: evict the page referenced most recently. Good only for cyclic scans larger than memory,
// where LRU evicts every page just before it is needed again (Chou, DeWitt, "An evaluation of
// buffer management strategies for relational database systems", VLDB 1985). Ordering pages by time
// of last reference does not depend on the memory size, so MRU is a stack algorithm (Mattson et al.
// 1970).
#pragma once

#include <cstdint>

#include "policy/page/detail/frame_list.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class Mru {
 public:
  // What a run keeps per frame with this policy, the frame table's share included: about 18.3
  // bytes, measured as the peak resident set at 16 Mi frames (docs/reliability.md); sizes runs
  // before they allocate (sim/memory_need.hpp).
  static constexpr std::uint64_t bytes_per_frame = 24;
  static constexpr PolicyInfo info{
      "mru", "most recently used: evict the page referenced last (suits cyclic scans)",
      "Chou, DeWitt, \"An evaluation of buffer management strategies for relational database "
      "systems\", VLDB 1985"};
  using Params = NoParams;

  Mru(const PolicyContext& ctx, Params) : recency_(ctx.frames) {}

  void on_map(FrameId f) { recency_.push_front(f); }
  void on_unmap(FrameId f) { recency_.remove(f); }
  void on_access(FrameId f, std::uint64_t /*now*/) { recency_.move_to_front(f); }
  FrameId select_victim() const { return recency_.front(); }

 private:
  detail::FrameList recency_;  // front = most recently used
};

}  // namespace vmsim
