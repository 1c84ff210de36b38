// Aging: NFU with forgetting. At every clock tick each page's counter is shifted right by one and
// its referenced bit enters at the top, then the bit is cleared; on a fault the page with the
// smallest counter is evicted (Tanenbaum, Bos, Modern Operating Systems, 4th ed., 3.4.7, with 8-bit
// counters). A counter therefore records use in each of the last `bits` ticks, recent ticks
// weighing more than all older ones together.
//
// Exact rules here: a loaded page's counter starts at 0 (so until the next tick it looks unused,
// as in the book); ticks come every `tick` page references; among equal counters the page loaded
// longest ago goes first.
#pragma once

#include <cstdint>
#include <tuple>

#include "policy/page/detail/footprint.hpp"
#include "policy/page/detail/param_check.hpp"
#include "policy/page/detail/sampled_counters.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class Aging {
 public:
  // What a run keeps per frame with this policy, the frame table's share included
  // (detail/footprint.hpp); sizes runs before they allocate (sim/memory_need.hpp).
  static constexpr std::uint64_t bytes_per_frame =
      detail::kFrameShareBytes + detail::SampledCounters::kBytesPerFrame;
  static constexpr PolicyInfo info{
      "aging",
      "aging: each tick shifts a per-page counter right and puts the referenced bit on top; evict "
      "the smallest",
      "Tanenbaum, Bos, Modern Operating Systems, 4th ed., 3.4.7"};
  static constexpr bool reads_referenced = true;

  struct Params {
    std::uint64_t tick = 0;
    std::uint32_t bits = 8;
    static constexpr std::tuple fields{
        ParamField<Params, std::uint64_t>{"tick", &Params::tick,
                                          "page references between clock ticks: an integer >= 0 "
                                          "(default 0: as many as there are frames)"},
        ParamField<Params, std::uint32_t>{
            "bits", &Params::bits, "counter width in bits: an integer from 1 to 64 (default 8)", 1,
            64}};
  };

  Aging(const PolicyContext& ctx, Params params)
      : params_checked_(info.name, params),
        counters_(ctx, params.tick),
        top_bit_shift_(params.bits - 1) {}

  void on_map(FrameId f) { counters_.on_map(f); }
  void on_unmap(FrameId f) { counters_.on_unmap(f); }
  void on_tick(std::uint64_t /*now*/) {
    const unsigned shift = top_bit_shift_;
    counters_.tick([shift](std::uint64_t counter, std::uint64_t bit) {
      return (counter >> 1) | (bit << shift);
    });
  }
  std::uint64_t tick_interval() const { return counters_.tick_interval(); }
  FrameId select_victim() { return counters_.smallest(); }

  std::uint64_t counter(FrameId f) const { return counters_.counter(f); }

 private:
  // First member: the Params are checked before anything is computed from them.
  [[no_unique_address]] detail::ParamsChecked params_checked_;
  detail::SampledCounters counters_;
  unsigned top_bit_shift_;
};

}  // namespace vmsim
