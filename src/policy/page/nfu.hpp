// NFU (not frequently used): a software counter per frame; at every clock tick the operating system
// adds each page's referenced bit to its counter and clears the bit; on a fault the page with the
// smallest counter is evicted (Tanenbaum, Bos, Modern Operating Systems, 4th ed., 3.4.7).
//
// Exact rules here: a loaded page's counter starts at 0; ticks come every `tick` page references
// (simulated time, see HasOnTick); among equal counters the page loaded longest ago goes first.
// NFU never forgets: a page heavily used long ago keeps a high count, which is what aging fixes.
#pragma once

#include <cstdint>
#include <tuple>

#include "policy/page/detail/footprint.hpp"
#include "policy/page/detail/sampled_counters.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class Nfu {
 public:
  // What a run keeps per frame with this policy, the frame table's share included
  // (detail/footprint.hpp); sizes runs before they allocate (sim/memory_need.hpp).
  static constexpr std::uint64_t bytes_per_frame =
      detail::kFrameShareBytes + detail::SampledCounters::kBytesPerFrame;
  static constexpr PolicyInfo info{
      "nfu",
      "not frequently used: each tick adds the referenced bit to a per-page counter; evict the "
      "smallest",
      "Tanenbaum, Bos, Modern Operating Systems, 4th ed., 3.4.7"};
  static constexpr bool reads_referenced = true;

  struct Params {
    std::uint64_t tick = 0;
    static constexpr std::tuple fields{ParamField<Params, std::uint64_t>{
        "tick", &Params::tick,
        "page references between clock ticks: an integer >= 0 (default 0: as many as there are "
        "frames)"}};
  };

  Nfu(const PolicyContext& ctx, Params params) : counters_(ctx, params.tick) {}

  void on_map(FrameId f) { counters_.on_map(f); }
  void on_unmap(FrameId f) { counters_.on_unmap(f); }
  void on_tick(std::uint64_t /*now*/) {
    counters_.tick([](std::uint64_t counter, std::uint64_t bit) { return counter + bit; });
  }
  std::uint64_t tick_interval() const { return counters_.tick_interval(); }
  FrameId select_victim() { return counters_.smallest(); }

  std::uint64_t counter(FrameId f) const { return counters_.counter(f); }

 private:
  detail::SampledCounters counters_;
};

}  // namespace vmsim
