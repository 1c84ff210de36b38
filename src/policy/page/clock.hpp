// Clock (second chance): frames sit on a circle; the hand skips and clears referenced frames and
// evicts the first unreferenced one. The new page takes the victim's frame and the hand moves past
// it. Reads the referenced bit that the access path sets, so it takes no per-reference call.
#pragma once

#include <cstdint>

#include "policy/page/detail/clock_sweep.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class Clock {
 public:
  // What a run keeps per frame with this policy, the frame table's share included: about 10.3
  // bytes, measured as the peak resident set at 16 Mi frames (docs/reliability.md); sizes runs
  // before they allocate (sim/memory_need.hpp).
  static constexpr std::uint64_t bytes_per_frame = 16;
  static constexpr PolicyInfo info{
      "clock",
      "second chance: the hand clears referenced bits and evicts the first unreferenced frame",
      "Corbato, \"A paging experiment with the Multics system\", MIT Project MAC MAC-M-384, 1968"};
  static constexpr bool reads_referenced = true;
  using Params = NoParams;

  Clock(const PolicyContext& ctx, Params) : frames_(ctx.frames), referenced_(ctx.referenced) {}

  void on_map(FrameId) {}
  void on_unmap(FrameId) {}

  // Reclaim runs only when every frame is in use, so every slot on the circle holds a page.
  FrameId select_victim() {
    FrameId from = hand_;
    for (;;) {
      const FrameId victim = detail::sweep_referenced(referenced_, from, frames_);
      if (victim != frames_) {
        hand_ = victim + 1 == frames_ ? 0 : victim + 1;
        return victim;
      }
      from = 0;  // wrapped: every bit passed is clear now, so this pass stops by the start
    }
  }

 private:
  std::uint32_t frames_;
  std::uint8_t* referenced_;
  FrameId hand_ = 0;
};

}  // namespace vmsim
