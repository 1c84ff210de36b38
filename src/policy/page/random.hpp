// Random: evict a uniformly chosen resident page, from a seeded generator (same seed, same
// victims).
#pragma once

#include <cstdint>

#include "core/rng.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class RandomPolicy {
 public:
  // What a run keeps per frame with this policy, the frame table's share included: about 10.3
  // bytes, measured as the peak resident set at 16 Mi frames (docs/reliability.md); sizes runs
  // before they allocate (sim/memory_need.hpp).
  static constexpr std::uint64_t bytes_per_frame = 16;
  static constexpr PolicyInfo info{"random", "evict a uniformly random resident page (seeded)",
                                   "Belady, \"A study of replacement algorithms for a "
                                   "virtual-storage computer\", IBM Systems Journal "
                                   "5(2), 1966"};
  using Params = NoParams;

  RandomPolicy(const PolicyContext& ctx, Params) : frames_(ctx.frames), rng_(ctx.seed) {}

  void on_map(FrameId) {}
  void on_unmap(FrameId) {}
  // Reclaim runs only when every frame is in use, so any frame number names a resident page.
  FrameId select_victim() { return static_cast<FrameId>(rng_.below(frames_)); }

 private:
  std::uint32_t frames_;
  Rng rng_;
};

}  // namespace vmsim
