// LRU-K (O'Neil, O'Neil, Weikum, "The LRU-K page replacement algorithm for database disk
// buffering", SIGMOD 1993): evict the page whose K-th most recent reference is oldest, i.e. whose
// backward K-distance is largest. A page with fewer than K known references has infinite distance
// and goes first; among those, the paper's subsidiary policy is LRU on the last reference, which is
// what we use. K = 1 is LRU.
//
// The paper's bookkeeping, with its names: HIST(p, 1..K) are the times of the K most recent
// uncorrelated references, LAST(p) the time of the most recent reference.
//   - A hit at time t with t - LAST(p) > CRP (not within the correlated reference period) shifts
//     HIST down by one, adding the length of the correlated period just closed (LAST(p) -
//     HIST(p, 1)) to each moved entry, and sets HIST(p, 1) = LAST(p) = t. A hit within CRP only
//     moves LAST(p). (A HIST entry that is still "never" stays "never".)
//   - A fault at time t shifts the page's retained history (if any) down by one without that
//     correction and sets HIST(p, 1) = LAST(p) = t.
//   - Only pages with t - LAST(q) > CRP are eligible victims; with crp = 0 (the default) that is
//     every resident page. If none is eligible we fall back to the best of all pages.
// Retained information: the paper keeps a page's history for a retained information period after
// it leaves memory. We bound it by count instead: the histories of the last `history` evicted pages
// (default: as many as there are frames), each dropped when the page is loaded again or when
// `history` more pages have been evicted since. Evicted pages are keyed by PolicyContext::page_key.
// A `history` given is at most kMaxHistory (2^20) whatever the memory size, so that LRU-K can keep
// more histories than it has frames (as a stack algorithm needs) and still never holds more than
// 2^20 x (K + 3) x 8 bytes of them. The ring is reserved to its capacity and filled as pages are
// evicted, so it never reallocates (memory_bound states what it can reach).
// A faulting page's history is looked up in on_map, after the victim's has been stored (the
// paper's pseudo-code also chooses the victim before it asks for HIST(p)): with a full ring the
// victim's history takes the oldest slot, which may be the faulting page's own.
//
// Cost: one indexed-heap update per uncorrelated reference; a hash lookup per fault.
#pragma once

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <vector>

#include "policy/page/detail/footprint.hpp"
#include "policy/page/detail/indexed_heap.hpp"
#include "policy/page/detail/page_map.hpp"
#include "policy/page/detail/param_check.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class LruK {
 public:
  static constexpr PolicyInfo info{
      "lru-k",
      "evict the page whose K-th most recent reference is oldest (fewer than K: first, by LRU)",
      "O'Neil, O'Neil, Weikum, \"The LRU-K page replacement algorithm for database disk "
      "buffering\", SIGMOD 1993"};

  static constexpr std::uint64_t kMaxHistory = std::uint64_t{1} << 20;

  struct Params {
    std::uint32_t k = 2;
    std::uint64_t crp = 0;
    std::uint64_t history = 0;
    static constexpr std::tuple fields{
        ParamField<Params, std::uint32_t>{
            "k", &Params::k, "references remembered per page: an integer from 1 to 64 (default 2)",
            1, 64},
        ParamField<Params, std::uint64_t>{"crp", &Params::crp,
                                          "correlated reference period in page references: an "
                                          "integer >= 0 (default 0: every reference counts)"},
        ParamField<Params, std::uint64_t>{
            "history", &Params::history,
            "evicted pages whose history is kept: an integer from 0 to 1048576 (default 0: as "
            "many as there are frames)",
            0, kMaxHistory}};
  };

  // Per frame: HIST, LAST, the fresh flag, the heap and a slot for the correlated-period scan;
  // per retained history (the ring, reserved to its capacity): key, LAST, live flag, HIST, and the
  // index entry.
  static std::uint64_t memory_bound(std::uint32_t frames, std::uint32_t dense_pages,
                                    const Params& params) {
    const std::uint64_t k = params.k;
    const std::uint64_t h = ghost_capacity_for(frames, params);
    return frames * (detail::kFrameShareBytes + 8 * k + 8 + 1 + kHeapBytesPerFrame + 4) +
           h * (8 + 8 + 1 + 8 * k) + detail::page_map_bytes<std::uint64_t>(h, dense_pages);
  }

  LruK(const PolicyContext& ctx, Params params)
      : params_checked_(info.name, params),
        k_(params.k),
        crp_(params.crp),
        ghost_capacity_(ghost_capacity_for(ctx.frames, params)),
        page_key_(ctx.page_key),
        hist_(std::size_t{ctx.frames} * k_, 0),
        last_(ctx.frames, 0),
        fresh_(ctx.frames, 0),
        by_priority_(ctx.frames),
        ghost_slot_(ctx.dense_pages, ghost_capacity_) {
    // Reserved, not filled: the pages are touched as the ring grows, and it never reallocates.
    skipped_.reserve(params.crp != 0 ? ctx.frames : 0);
    ghost_keys_.reserve(ghost_capacity_);
    ghost_last_.reserve(ghost_capacity_);
    ghost_live_.reserve(ghost_capacity_);
    ghost_hist_.reserve(ghost_capacity_ * k_);
  }

  void prefetch_page(std::uint64_t key) const { ghost_slot_.prefetch(key); }

  void on_map(FrameId f) {
    std::uint64_t* hist = &hist_[std::size_t{f} * k_];
    std::fill(hist, hist + k_, 0);
    last_[f] = 0;
    if (const auto taken = ghost_slot_.take(page_key_[f])) {
      const std::uint64_t slot = *taken;
      std::copy_n(&ghost_hist_[slot * k_], k_, hist);
      last_[f] = ghost_last_[slot];
      ghost_live_[slot] = 0;
    }
    fresh_[f] = 1;  // the faulting reference, next, takes the paper's miss path
    by_priority_.insert(f, priority(f));
    ++resident_;
  }

  // A resident frame is now named `key` (its first mapper left: mm/frame_table.hpp), so what
  // was remembered of an evicted page of that name is forgotten (policy.hpp: HasForget).
  void forget(std::uint64_t key) {
    if (const auto slot = ghost_slot_.take(key)) ghost_live_[*slot] = 0;
  }

  void on_unmap(FrameId f) {
    on_discard(f);
    remember(f);
  }

  // A page freed with its process leaves no history behind.
  void on_discard(FrameId f) {
    by_priority_.erase(f);
    --resident_;
  }

  void on_access(FrameId f, std::uint64_t now) {
    const std::uint64_t t = now + 1;  // 0 means "never" in HIST and LAST
    clock_ = t;
    std::uint64_t* hist = &hist_[std::size_t{f} * k_];
    if (fresh_[f] != 0) {
      fresh_[f] = 0;
      shift(hist, 0);
    } else if (t - last_[f] > crp_) {
      shift(hist, last_[f] - hist[0]);
    } else {
      last_[f] = t;  // correlated: only LAST moves
      if (hist[k_ - 1] == 0) by_priority_.update(f, priority(f));
      return;
    }
    hist[0] = t;
    last_[f] = t;
    by_priority_.update(f, priority(f));
  }

  FrameId select_victim() {
    if (crp_ == 0) return by_priority_.top();
    // Set aside pages referenced within the correlated period (at most crp of them), take the best
    // of the rest, and put them back.
    const std::uint64_t t = clock_ + 1;  // the faulting reference comes right after the last one
    skipped_.clear();
    while (skipped_.size() < resident_ && t - last_[by_priority_.top()] <= crp_) {
      skipped_.push_back(by_priority_.top());
      by_priority_.erase(skipped_.back());
    }
    const FrameId victim = skipped_.size() == resident_ ? skipped_.front() : by_priority_.top();
    for (FrameId f : skipped_) by_priority_.insert(f, priority(f));
    return victim;
  }

 private:
  static constexpr std::uint64_t kTimeMask = (std::uint64_t{1} << 63) - 1;
  static constexpr std::uint64_t kHeapBytesPerFrame = 8 + 4 + 4;  // detail/indexed_heap.hpp

  static std::uint64_t ghost_capacity_for(std::uint32_t frames, const Params& params) {
    return params.history != 0 ? params.history : frames;
  }

  // Larger = evicted sooner. Infinite backward K-distance (the top bit) beats any finite one; among
  // infinite ones the older LAST wins, among finite ones the older K-th reference.
  std::uint64_t priority(FrameId f) const {
    const std::uint64_t kth = hist_[std::size_t{f} * k_ + k_ - 1];
    if (kth == 0) return (std::uint64_t{1} << 63) | (kTimeMask - last_[f]);
    return kTimeMask - kth;
  }

  // HIST(p, i) = HIST(p, i - 1) + correction for i = K..2; HIST(p, 1) is then overwritten.
  void shift(std::uint64_t* hist, std::uint64_t correction) const {
    for (std::uint32_t i = k_ - 1; i > 0; --i) {
      hist[i] = hist[i - 1] != 0 ? hist[i - 1] + correction : 0;
    }
  }

  // Keeps f's history in the ring of evicted pages, overwriting the oldest entry when full.
  void remember(FrameId f) {
    if (ghost_capacity_ == 0) return;
    std::uint64_t slot;
    if (ghost_keys_.size() < ghost_capacity_) {
      slot = ghost_keys_.size();
      ghost_keys_.push_back(0);
      ghost_last_.push_back(0);
      ghost_live_.push_back(0);
      ghost_hist_.resize(ghost_hist_.size() + k_);
    } else {
      slot = ghost_next_;
      ghost_next_ = ghost_next_ + 1 == ghost_capacity_ ? 0 : ghost_next_ + 1;
      if (ghost_live_[slot] != 0) ghost_slot_.remove(ghost_keys_[slot]);
    }
    ghost_keys_[slot] = page_key_[f];
    ghost_last_[slot] = last_[f];
    ghost_live_[slot] = 1;
    std::copy_n(&hist_[std::size_t{f} * k_], k_, &ghost_hist_[slot * k_]);
    ghost_slot_.insert(page_key_[f], slot);
  }

  // First member: the Params are checked before anything is computed from them.
  [[no_unique_address]] detail::ParamsChecked params_checked_;
  std::uint32_t k_;
  std::uint64_t crp_;
  std::uint64_t ghost_capacity_;
  FrameNames page_key_;
  std::uint64_t clock_ = 0;  // time of the latest reference (now + 1)
  std::uint32_t resident_ = 0;
  // Resident pages, per frame: HIST(p, 1..K) at [f * K, f * K + K), LAST(p), and whether the next
  // reference is the one that faulted the page in.
  std::vector<std::uint64_t> hist_;
  std::vector<std::uint64_t> last_;
  std::vector<std::uint8_t> fresh_;
  detail::IndexedMaxHeap by_priority_;
  std::vector<FrameId> skipped_;
  // Evicted pages: a ring of slots, grown up to ghost_capacity_, filled in eviction order.
  detail::PageMap<std::uint64_t> ghost_slot_;  // page -> slot
  std::vector<std::uint64_t> ghost_keys_;
  std::vector<std::uint64_t> ghost_last_;
  std::vector<std::uint8_t> ghost_live_;  // 0 once the page was loaded again
  std::vector<std::uint64_t> ghost_hist_;
  std::uint64_t ghost_next_ = 0;  // the slot overwritten next once the ring is full
};

}  // namespace vmsim
