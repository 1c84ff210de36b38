// SIEVE (Zhang, Yang, Yue, Vigfusson, Rashmi, "SIEVE is Simpler than LRU: an Efficient Turn-Key
// Eviction Algorithm for Web Caches", NSDI 2024, Algorithm 1). Resident pages sit in a FIFO queue
// in load order, each with a visited bit; a hit sets the bit and nothing else. On a miss with
// memory full the hand, starting where it last stopped (or at the tail, the oldest page, the first
// time or after it ran off the head), moves toward the head clearing visited bits until it finds an
// unvisited page, which is evicted; the hand stays on the next newer page. A new page goes in at
// the head, unvisited. Unlike Clock, survivors keep their place and new pages never sit behind the
// hand's retained ones, so pages used once leave quickly.
//
// The visited bit is the frame's referenced bit, set by the access path (no per-reference call).
// The faulting reference must not set it ("x.visited <- 0" on insertion), so SIEVE declares
// fault_sets_referenced = false.
#pragma once

#include <cstdint>

#include "policy/page/detail/frame_list.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class Sieve {
 public:
  // What a run keeps per frame with this policy, the frame table's share included: about 18.3
  // bytes, measured as the peak resident set at 16 Mi frames (docs/reliability.md); sizes runs
  // before they allocate (sim/memory_need.hpp).
  static constexpr std::uint64_t bytes_per_frame = 24;
  static constexpr PolicyInfo info{
      "sieve",
      "FIFO queue with a visited bit and a hand that persists; new pages enter unvisited at the "
      "head",
      "Zhang, Yang, Yue, Vigfusson, Rashmi, \"SIEVE is Simpler than LRU: an Efficient Turn-Key "
      "Eviction Algorithm for Web Caches\", NSDI 2024"};
  static constexpr bool reads_referenced = true;
  using Params = NoParams;
  static constexpr bool fault_sets_referenced = false;

  Sieve(const PolicyContext& ctx, Params) : queue_(ctx.frames), referenced_(ctx.referenced) {}

  void on_map(FrameId f) { queue_.push_back(f); }
  void on_unmap(FrameId f) {
    if (hand_ == f) hand_ = queue_.next(f);
    queue_.remove(f);
  }

  FrameId select_victim() {
    FrameId o = hand_ != kNil ? hand_ : queue_.front();
    while (referenced_[o] != 0) {
      referenced_[o] = 0;
      o = queue_.next(o);
      if (o == kNil) o = queue_.front();
    }
    hand_ = queue_.next(o);  // kNil past the head: the next sweep starts at the tail
    return o;
  }

 private:
  static constexpr FrameId kNil = detail::FrameList::kNil;

  // The paper's tail (oldest) is our front, its head (newest) our back: the hand moves with next().
  detail::FrameList queue_;
  std::uint8_t* referenced_;
  FrameId hand_ = kNil;
};

}  // namespace vmsim
