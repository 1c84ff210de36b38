// OPT (Belady's MIN): evict the page whose next reference is farthest in the future. Needs the
// whole trace in advance: the simulator runs a next-use pre-pass (trace/next_use) and hands the
// result over.
//
// Pages never referenced again tie on that rule, and whichever goes the faults are the same;
// Belady's paper, which counts faults only, does not choose among them. The write-backs differ,
// so we do: a clean one first (it leaves without a write), then the one whose last reference is
// oldest. A page's dirty bit cannot change after its last reference, so the rank is fixed there.
#pragma once

#include <cstdint>
#include <span>

#include "policy/page/detail/footprint.hpp"
#include "policy/page/detail/indexed_heap.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class Opt {
 public:
  // What a run keeps per frame with this policy, the frame table's share included
  // (detail/footprint.hpp); sizes runs before they allocate (sim/memory_need.hpp). The next-use
  // table is counted apart, as the trace is read.
  static constexpr std::uint64_t bytes_per_frame =
      detail::kFrameShareBytes + detail::IndexedMaxHeap::kBytesPerFrame;
  static constexpr PolicyInfo info{
      "opt", "Belady's optimal: evict the page used farthest in the future (needs the whole trace)",
      "Belady, \"A study of replacement algorithms for a virtual-storage computer\", IBM Systems "
      "Journal "
      "5(2), 1966"};
  using Params = NoParams;
  static constexpr bool needs_next_use = true;

  Opt(const PolicyContext& ctx, Params)
      : next_use_(ctx.next_use), dirty_(ctx.dirty), by_next_use_(ctx.frames) {}

  // The simulator calls on_access right after on_map for the faulting reference, which sets the
  // real key.
  void on_map(FrameId f) { by_next_use_.insert(f, kNeverUsedAgain); }
  void on_unmap(FrameId f) { by_next_use_.erase(f); }
  void on_access(FrameId f, std::uint64_t now) {
    const std::uint64_t next = next_use_[now];
    by_next_use_.update(f, next != kNeverUsedAgain ? next : last_use_rank(f, now));
  }
  FrameId select_victim() const { return by_next_use_.top(); }

 private:
  // Reference indices stay below 2^62, so the top bit puts pages never used again above every
  // next use, the next bit puts clean ones above dirty ones, and the rest ranks the older last
  // reference higher.
  static constexpr std::uint64_t kNever = std::uint64_t{1} << 63;
  static constexpr std::uint64_t kClean = std::uint64_t{1} << 62;
  std::uint64_t last_use_rank(FrameId f, std::uint64_t now) const {
    return kNever | (dirty_[f] == 0 ? kClean : 0) | ((kClean - 1) - (now & (kClean - 1)));
  }

  std::span<const std::uint64_t> next_use_;
  const std::uint8_t* dirty_;
  detail::IndexedMaxHeap by_next_use_;
};

}  // namespace vmsim
