// S3-FIFO, as defined by Algorithm 1 of Yang, Zhang, Qiu, Yue, Vinayak, "FIFO queues are all you
// need for cache eviction", SOSP 2023, with "cache size" = the number of frames.
//
// Three FIFO queues: S (small, 10% of the frames) and M (main, 90%) hold resident pages, G (ghost)
// holds the keys of pages evicted from S, as many as M holds. Each page has a 2-bit frequency:
// 0 when it is loaded, +1 on every hit, capped at 3.
//   miss on x:   while memory is full: evict(). Then if x is in G insert x at M's head, else at
//                S's head.
//   evict():     if |S| >= 0.1 * frames: evictS() else evictM().
//   evictS():    take S's tail t: if t.freq > 1 (accessed more than once since it was loaded)
//                move t to M's head with its frequency cleared, and if that makes M exceed its
//                90% share, evictM(); else t leaves memory and its key goes to G's head (the
//                oldest key drops off when G is full). Repeat until a page has left memory.
//   evictM():    take M's tail t: if t.freq > 0, reinsert t at M's head with freq - 1 (a 2-bit
//                CLOCK); else t leaves memory. Repeat until a page has left.
// "freq > 1" is the paper's promotion test (Algorithm 1, and the authors' original code,
// libCacheSim S3FIFOv0.c: move-to-main-threshold=2, "freq >= threshold"); `promote` changes it
// (promote=1 gives the one-bit variant of the S3-FIFO blog's diagram). Frames are whole pages, so
// one evict() frees exactly one frame: evictS() stops as soon as a page has left memory, through
// G or through evictM(). A ghost hit removes x's key from G, as the authors' code does. The
// frequency is cleared on the move to M: Algorithm 1 does not say, and the authors' code inserts
// a new object into M, created with its counter zeroed.
//
// The frequency counts hits, which one referenced bit cannot (a page hit three times survives
// three passes of M), so S3-FIFO takes the per-reference call: one saturating byte increment.
#pragma once

#include <cstdint>
#include <tuple>
#include <vector>

#include "policy/page/detail/footprint.hpp"
#include "policy/page/detail/frame_list.hpp"
#include "policy/page/detail/ghost_lists.hpp"
#include "policy/page/detail/param_check.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class S3Fifo {
 public:
  static constexpr PolicyInfo info{
      "s3fifo",
      "small FIFO S filters new pages, main FIFO M with a 2-bit CLOCK keeps the rest, ghost G "
      "remembers S's evictions",
      "Yang, Zhang, Qiu, Yue, Vinayak, \"FIFO queues are all you need for cache eviction\", SOSP "
      "2023"};

  struct Params {
    double small = 0.10;        // S's share of the frames
    double ghost = 0.90;        // G's capacity in keys, as a fraction of the frames (M's share)
    std::uint32_t promote = 2;  // an S page with freq >= promote moves to M (the paper: freq > 1)
    static constexpr std::tuple fields{
        ParamField<Params, double>{
            "small", &Params::small,
            "small queue S as a fraction of frames: a number from 0 to 1 (default 0.1)", 0.0, 1.0},
        ParamField<Params, double>{
            "ghost", &Params::ghost,
            "ghost queue G capacity as a fraction of frames: a number from 0 to 4 (default 0.9)",
            0.0, 4.0},
        // The counter saturates at 3, so a larger threshold would never be reached; 0 would move
        // every page, used or not.
        ParamField<Params, std::uint32_t>{"promote", &Params::promote,
                                          "frequency at which a page leaving S moves to M: an "
                                          "integer from 1 to 3 (default 2: freq > 1)",
                                          1, 3}};
  };

  // G holds its capacity in keys, and one more for a moment before its oldest is dropped; per
  // frame, S and M's links and a frequency.
  static std::uint64_t memory_bound(std::uint32_t frames, std::uint32_t dense_pages,
                                    const Params& params) {
    const std::uint64_t ghost = detail::entries_for_share(info.name, "ghost", params.ghost, frames);
    return frames * (detail::kFrameShareBytes + 2 * detail::kFrameListBytesPerFrame + 1) +
           detail::ghost_lists_bytes(ghost + 1, dense_pages);
  }

  S3Fifo(const PolicyContext& ctx, Params params)
      : params_checked_(info.name, params),
        page_key_(ctx.page_key),
        small_target_(params.small * ctx.frames),
        main_target_(ctx.frames - small_target_),
        ghost_capacity_(detail::entries_for_share(info.name, "ghost", params.ghost, ctx.frames)),
        promote_(static_cast<std::int8_t>(params.promote)),
        freq_(ctx.frames, 0),
        small_(ctx.frames),
        main_(ctx.frames),
        ghost_(1, ghost_capacity_ + 1, ctx.dense_pages) {}

  // A hit: freq = min(freq + 1, 3). on_map left it at -1, so the reference that faulted the page
  // in brings it to 0, the paper's "x.freq <- 0" on a miss.
  void on_access(FrameId f, std::uint64_t /*now*/) {
    if (freq_[f] < 3) ++freq_[f];
  }

  FrameId select_victim() {
    if (!small_.empty() && small_.size() >= small_target_) return evict_small();
    return evict_main();
  }

  // A resident frame is now named `key` (its first mapper left: mm/frame_table.hpp), so what
  // was remembered of an evicted page of that name is forgotten (policy.hpp: HasForget).
  void forget(std::uint64_t key) { ghost_.erase(key); }

  void on_unmap(FrameId f) {
    if (small_.contains(f)) {
      small_.remove(f);
    } else {
      main_.remove(f);
    }
  }

  void prefetch_page(std::uint64_t key) const { ghost_.prefetch(key); }

  void on_map(FrameId f) {
    if (ghost_.erase(page_key_[f])) {
      main_.push_front(f);
    } else {
      small_.push_front(f);
    }
    freq_[f] = -1;
  }

  std::uint32_t small_size() const { return small_.size(); }
  std::uint32_t main_size() const { return main_.size(); }
  std::uint32_t ghost_size() const { return ghost_.size(0); }
  int frequency(FrameId f) const { return freq_[f]; }

 private:
  FrameId evict_small() {
    while (!small_.empty()) {
      const FrameId t = small_.back();
      if (freq_[t] >= promote_) {
        small_.remove(t);
        main_.push_front(t);
        freq_[t] = 0;
        if (main_.size() > main_target_) return evict_main();
      } else {
        // t leaves memory (on_unmap takes it off S); G remembers it.
        ghost_.push_front(0, page_key_[t]);
        if (ghost_.size(0) > ghost_capacity_) ghost_.pop_back(0);
        return t;
      }
    }
    return evict_main();  // every page in S was promoted without M overflowing
  }

  FrameId evict_main() {
    for (;;) {
      const FrameId t = main_.back();
      if (freq_[t] <= 0) return t;
      --freq_[t];
      main_.remove(t);
      main_.push_front(t);
    }
  }

  // First member: the Params are checked before anything is computed from them.
  [[no_unique_address]] detail::ParamsChecked params_checked_;
  FrameNames page_key_;
  double small_target_;
  double main_target_;
  std::uint32_t ghost_capacity_;
  std::int8_t promote_;
  std::vector<std::int8_t> freq_;  // per frame: -1 between on_map and the faulting reference
  detail::FrameList small_;        // S: front = head (newest), back = tail
  detail::FrameList main_;         // M: likewise
  detail::GhostLists ghost_;       // G: one list, front = newest key
};

}  // namespace vmsim
