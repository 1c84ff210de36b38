// OPT (Belady's MIN): evict the page whose next reference is farthest in the future. Needs the
// whole trace in advance: the simulator runs a next-use pre-pass (trace/next_use) and hands the
// result over.
#pragma once

#include <cstdint>
#include <span>

#include "policy/page/detail/indexed_heap.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class Opt {
 public:
  static constexpr PolicyInfo info{
      "opt", "Belady's optimal: evict the page used farthest in the future (needs the whole trace)",
      "Belady, \"A study of replacement algorithms for a virtual-storage computer\", IBM Systems "
      "Journal "
      "5(2), 1966"};
  using Params = NoParams;
  static constexpr bool needs_next_use = true;

  Opt(const PolicyContext& ctx, Params) : next_use_(ctx.next_use), by_next_use_(ctx.frames) {}

  // The simulator calls on_access right after on_map for the faulting reference, which sets the
  // real key.
  void on_map(FrameId f) { by_next_use_.insert(f, kNeverUsedAgain); }
  void on_unmap(FrameId f) { by_next_use_.erase(f); }
  void on_access(FrameId f, std::uint64_t now) { by_next_use_.update(f, next_use_[now]); }
  FrameId select_victim() const { return by_next_use_.top(); }

 private:
  std::span<const std::uint64_t> next_use_;
  detail::IndexedMaxHeap by_next_use_;
};

}  // namespace vmsim
