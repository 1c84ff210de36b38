// LRU: evict the page whose last reference is oldest. Exact, so it pays one call per reference.
#pragma once

#include <cstdint>

#include "policy/page/detail/frame_list.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class Lru {
 public:
  // What a run keeps per frame with this policy, the frame table's share included: about 18.3
  // bytes, measured as the peak resident set at 16 Mi frames (docs/reliability.md); sizes runs
  // before they allocate (sim/memory_need.hpp).
  static constexpr std::uint64_t bytes_per_frame = 24;
  static constexpr PolicyInfo info{
      "lru", "least recently used: evict the page unreferenced for longest (exact)",
      "Mattson, Gecsei, Slutz, Traiger, \"Evaluation techniques for storage hierarchies\", IBM "
      "Systems "
      "Journal 9(2), 1970"};
  using Params = NoParams;

  Lru(const PolicyContext& ctx, Params) : recency_(ctx.frames) {}

  void on_map(FrameId f) { recency_.push_front(f); }
  void on_unmap(FrameId f) { recency_.remove(f); }
  void on_access(FrameId f, std::uint64_t /*now*/) { recency_.move_to_front(f); }
  FrameId select_victim() const { return recency_.back(); }

 private:
  detail::FrameList recency_;  // front = most recently used
};

}  // namespace vmsim
