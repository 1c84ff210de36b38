// MFU: evict the page with the most references since it was loaded, ties broken by least recent
// reference. The argument for it (Silberschatz, Galvin, Gagne, Operating System Concepts, 10th ed.,
// 10.4.6) is that the page with the smallest count was probably just brought in and has yet to be
// used. As there, a page's count starts at zero each time it is loaded. It is included because
// textbooks name it; it is rarely a good choice.
//
// Cost: O(1) per reference (frequency buckets shared with LFU).
#pragma once

#include <cstdint>

#include "policy/page/detail/footprint.hpp"
#include "policy/page/detail/frequency_buckets.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class Mfu {
 public:
  // What a run keeps per frame with this policy, the frame table's share included
  // (detail/footprint.hpp); sizes runs before they allocate (sim/memory_need.hpp).
  static constexpr std::uint64_t bytes_per_frame =
      detail::kFrameShareBytes + detail::FrequencyBuckets::kBytesPerFrame;
  static constexpr PolicyInfo info{
      "mfu",
      "most frequently used: evict the page referenced most times since loaded (ties: least "
      "recent)",
      "Silberschatz, Galvin, Gagne, Operating System Concepts, 10th ed., 10.4.6 (counting-based "
      "replacement)"};
  using Params = NoParams;

  Mfu(const PolicyContext& ctx, Params) : buckets_(ctx.frames) {}

  // The faulting reference follows at once as on_access, which makes a new page's count 1.
  void on_map(FrameId f) { buckets_.insert(f, 0); }
  void on_unmap(FrameId f) { buckets_.erase(f); }
  void on_access(FrameId f, std::uint64_t /*now*/) { buckets_.increment(f); }
  FrameId select_victim() const { return buckets_.least_recent_of_highest(); }

 private:
  detail::FrequencyBuckets buckets_;
};

}  // namespace vmsim
