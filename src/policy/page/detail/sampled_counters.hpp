// Per-frame software counters fed by the referenced bit at every clock tick, shared by NFU and
// aging: they differ only in how a tick folds the bit into the counter. The victim is the frame
// with the smallest counter; among equal counters, the page loaded longest ago (a fixed, stated
// rule that keeps runs deterministic and degenerates to FIFO when all counters are equal).
#pragma once

#include <cstdint>
#include <vector>

#include "policy/page/policy.hpp"

namespace vmsim::detail {

class SampledCounters {
 public:
  // tick == 0: one tick per `frames` references, so a tick's O(frames) sweep costs O(1) per
  // reference on average whatever the memory size.
  SampledCounters(const PolicyContext& ctx, std::uint64_t tick)
      : referenced_(ctx.referenced),
        counter_(ctx.frames, 0),
        loaded_at_(ctx.frames, 0),
        tick_(tick != 0 ? tick : (ctx.frames != 0 ? ctx.frames : 1)) {}

  std::uint64_t tick_interval() const { return tick_; }
  std::uint64_t counter(FrameId f) const { return counter_[f]; }

  // A loaded page starts with counter 0: until the next tick it is as cold as a page unused for
  // the whole history the counter keeps.
  void on_map(FrameId f) {
    counter_[f] = 0;
    loaded_at_[f] = ++loads_;
  }

  // Calls fold(counter, bit) -> new counter for every frame and clears the referenced bits. Frames
  // not in use have a clear bit, and their counter is reset when a page is loaded.
  template <class Fold>
  void tick(Fold fold) {
    const auto frames = static_cast<std::uint32_t>(counter_.size());
    for (FrameId f = 0; f < frames; ++f) {
      counter_[f] = fold(counter_[f], static_cast<std::uint64_t>(referenced_[f] != 0));
      referenced_[f] = 0;
    }
  }

  // Reclaim runs only when every frame is in use, so every frame holds a page. O(frames) per
  // fault, as the textbook algorithms scan all page-table entries.
  FrameId smallest() const {
    FrameId best = 0;
    const auto frames = static_cast<std::uint32_t>(counter_.size());
    for (FrameId f = 1; f < frames; ++f) {
      if (counter_[f] < counter_[best] ||
          (counter_[f] == counter_[best] && loaded_at_[f] < loaded_at_[best])) {
        best = f;
      }
    }
    return best;
  }

 private:
  std::uint8_t* referenced_;
  std::vector<std::uint64_t> counter_;
  std::vector<std::uint64_t> loaded_at_;  // load sequence number: smaller = loaded earlier
  std::uint64_t loads_ = 0;
  std::uint64_t tick_;
};

}  // namespace vmsim::detail
