// Per-frame software counters fed by the referenced bit at every clock tick, shared by NFU and
// aging: they differ only in how a tick folds the bit into the counter. The victim is the frame
// with the smallest counter; among equal counters, the page loaded longest ago (a fixed, stated
// rule that keeps runs deterministic and degenerates to FIFO when all counters are equal).
//
// Counters only change at a tick, so instead of scanning every frame at every fault (O(frames) per
// fault, which dominated whole runs) the first fault after a tick heapifies all frames by (counter,
// load order) in O(frames) and later faults pop in O(log frames). Pages loaded since then join the
// heap with counter 0; entries of evicted pages are recognised by their load stamp and skipped.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "policy/page/policy.hpp"

namespace vmsim::detail {

class SampledCounters {
 public:
  // tick == 0: one tick per `frames` references, so a tick's O(frames) sweep costs O(1) per
  // reference on average whatever the memory size.
  // Per frame a counter and a load stamp, and room for two heap entries: one live, one stale left
  // by a page unmapped outside reclaim, until it comes to the top.
  static constexpr std::uint64_t kBytesPerFrame = 8 + 8 + 2 * 24;

  SampledCounters(const PolicyContext& ctx, std::uint64_t tick)
      : referenced_(ctx.referenced),
        counter_(ctx.frames, 0),
        loaded_at_(ctx.frames, 0),
        tick_(tick != 0 ? tick : (ctx.frames != 0 ? ctx.frames : 1)) {
    heap_.reserve(2 * std::size_t{ctx.frames});
  }

  std::uint64_t tick_interval() const { return tick_; }
  std::uint64_t counter(FrameId f) const { return counter_[f]; }

  // A loaded page starts with counter 0: until the next tick it is as cold as a page unused for
  // the whole history the counter keeps.
  void on_map(FrameId f) {
    counter_[f] = 0;
    loaded_at_[f] = ++loads_;
    if (heap_valid_) push({0, loaded_at_[f], f});
  }

  void on_unmap(FrameId f) { loaded_at_[f] = 0; }  // its heap entry is now stale

  // Calls fold(counter, bit) -> new counter for every frame and clears the referenced bits. Frames
  // not in use have a clear bit, and their counter is reset when a page is loaded.
  template <class Fold>
  void tick(Fold fold) {
    const auto frames = static_cast<std::uint32_t>(counter_.size());
    for (FrameId f = 0; f < frames; ++f) {
      counter_[f] = fold(counter_[f], static_cast<std::uint64_t>(referenced_[f] != 0));
      referenced_[f] = 0;
    }
    heap_valid_ = false;
  }

  // Reclaim runs only when every frame is in use, so every frame holds a page.
  FrameId smallest() {
    if (!heap_valid_) rebuild();
    while (heap_.front().loaded != loaded_at_[heap_.front().frame]) {
      std::pop_heap(heap_.begin(), heap_.end(), Later{});
      heap_.pop_back();
    }
    return heap_.front().frame;
  }

 private:
  struct Entry {
    std::uint64_t counter;
    std::uint64_t loaded;  // the frame's load stamp when the entry was made
    FrameId frame;
  };
  // std heap functions keep the largest first: "larger" here means evicted later.
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.counter != b.counter ? a.counter > b.counter : a.loaded > b.loaded;
    }
  };

  void push(const Entry& e) {
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }

  void rebuild() {
    heap_.clear();
    const auto frames = static_cast<std::uint32_t>(counter_.size());
    for (FrameId f = 0; f < frames; ++f) {
      if (loaded_at_[f] != 0) heap_.push_back({counter_[f], loaded_at_[f], f});
    }
    std::make_heap(heap_.begin(), heap_.end(), Later{});
    heap_valid_ = true;
  }

  std::uint8_t* referenced_;
  std::vector<std::uint64_t> counter_;
  std::vector<std::uint64_t> loaded_at_;  // load stamp, 0 while the frame holds no page
  std::uint64_t loads_ = 0;
  std::uint64_t tick_;
  // Min-heap by (counter, load stamp), valid from the first fault after a tick until the next.
  std::vector<Entry> heap_;
  bool heap_valid_ = false;
};

}  // namespace vmsim::detail
