// LIRS (Low Inter-reference Recency Set), as defined by Jiang and Zhang, "LIRS: An efficient low
// inter-reference recency set replacement policy to improve buffer cache performance", SIGMETRICS
// 2002, section 3.3, with the cache size = the number of frames.
//
// Pages are LIR (low inter-reference recency: resident, never evicted while LIR) or HIR. L_hirs =
// 1% of the frames, rounded down (at least 1: the paper gives no rounding), hold resident HIR
// pages, the other L_lirs frames LIR pages. The stack S holds, in recency order, LIR pages and HIR
// pages (resident or not) referenced more recently than the least recent LIR page; stack pruning
// removes HIR entries from S's bottom so that the bottom is always a LIR page. The queue Q holds
// the resident HIR pages, front = next victim. On a reference to X:
//   1. X is LIR: move X to S's top; if X was at the bottom, prune.
//   2. X is resident HIR: (a) X in S: X becomes LIR, leaves Q, moves to S's top; the LIR page at
//      S's bottom becomes HIR and goes to Q's end; prune. (b) X not in S: X stays HIR, goes to S's
//      top and Q's end.
//   3. X is not resident (a fault): evict Q's front page (it stays in S as a non-resident HIR
//      entry if it is in S). (a) X in S: X becomes LIR at S's top; S's bottom LIR page becomes
//      HIR at Q's end; prune. (b) X not in S: X is resident HIR at S's top and Q's end.
// While LIR pages number fewer than L_lirs (memory filling up), a new page becomes LIR.
//
// Bound: the paper keeps non-resident HIR entries in S for as long as S reaches them; like common
// implementations we cap their number at `nonresident` x frames (default 2): past the cap, the
// entry that became non-resident longest ago leaves S (a FIFO: O(1), usually but not always the
// entry nearest S's bottom). Without a cap S could grow with every distinct page ever seen
// (memory per distinct page matters); the paper sets none.
#pragma once

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <vector>

#include "policy/page/detail/footprint.hpp"
#include "policy/page/detail/frame_list.hpp"
#include "policy/page/detail/page_map.hpp"
#include "policy/page/detail/param_check.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class Lirs {
 public:
  static constexpr PolicyInfo info{
      "lirs",
      "low inter-reference recency set: stack S of recency, small queue Q of resident HIR pages "
      "(1% of frames) evicted first",
      "Jiang, Zhang, \"LIRS: An efficient low inter-reference recency set replacement policy to "
      "improve buffer cache performance\", ACM SIGMETRICS 2002"};

  struct Params {
    double hir = 0.01;         // L_hirs, the resident HIR share of the frames (at least 1 frame)
    double nonresident = 2.0;  // cap on non-resident HIR entries in S, in multiples of frames
    static constexpr std::tuple fields{
        ParamField<Params, double>{"hir", &Params::hir,
                                   "resident HIR pages L_hirs as a fraction of frames, rounded "
                                   "down, at least 1: a number from 0 to 1 (default 0.01)",
                                   0.0, 1.0},
        ParamField<Params, double>{"nonresident", &Params::nonresident,
                                   "non-resident HIR entries kept in S, in multiples of frames: a "
                                   "number from 0 to 4 (default 2)",
                                   0.0, 4.0}};
  };

  // Fixed arrays: per frame its status and Q's links; per S node (c frames, then the non-resident
  // slots, one spare) two links and a flag; per non-resident slot its order links, key, free slot
  // and index entry.
  static std::uint64_t memory_bound(std::uint32_t frames, std::uint32_t dense_pages,
                                    const Params& params) {
    const std::uint64_t c = frames;
    const std::uint64_t nr = checked_nonresident(params.nonresident, frames) + std::uint64_t{1};
    return c * (detail::kFrameShareBytes + 1 + detail::kFrameListBytesPerFrame) + (c + nr) * 9 +
           nr * (detail::kFrameListBytesPerFrame + 8 + 4) +
           detail::page_map_bytes<std::uint32_t>(nr, dense_pages);
  }

  Lirs(const PolicyContext& ctx, Params params)
      : params_checked_(info.name, params),
        c_(ctx.frames),
        page_key_(ctx.page_key),
        lhirs_(std::min<std::uint32_t>(
            ctx.frames, std::max<std::uint32_t>(1, detail::entries_for_share(
                                                       info.name, "hir", params.hir, ctx.frames)))),
        llirs_(ctx.frames - lhirs_),
        nr_limit_(checked_nonresident(params.nonresident, ctx.frames)),
        status_(ctx.frames, kHir),
        s_prev_(std::size_t{ctx.frames} + nr_limit_ + 1, kNil),
        s_next_(std::size_t{ctx.frames} + nr_limit_ + 1, kNil),
        s_in_(std::size_t{ctx.frames} + nr_limit_ + 1, 0),
        q_(ctx.frames),
        nr_order_(nr_limit_ + 1),
        ghost_key_(nr_limit_ + 1, 0),
        index_(ctx.dense_pages, nr_limit_ + 1) {
    free_slots_.reserve(nr_limit_ + 1);
    for (std::uint32_t s = nr_limit_ + 1; s-- > 0;) free_slots_.push_back(s);
  }

  // Cases 1 and 2. The simulator's call for the reference that faulted the page in is case 3,
  // already handled by on_map, and is skipped.
  void on_access(FrameId f, std::uint64_t /*now*/) {
    if (f == just_mapped_) {
      just_mapped_ = kNil;
      return;
    }
    if (status_[f] == kLir) {
      const bool was_bottom = s_tail_ == f;
      s_move_to_top(f);
      if (was_bottom) prune();
    } else if (s_in_[f] != 0) {
      status_[f] = kLir;
      ++lir_count_;
      q_.remove(f);
      s_move_to_top(f);
      if (lir_count_ > llirs_) demote_bottom_lir();
    } else {
      s_push_top(f);
      q_.remove(f);
      q_.push_back(f);
    }
  }

  // Case 3: Q's front. Q is empty only if every resident page is LIR, which L_hirs >= 1 rules out
  // once memory is full; the bottom LIR page is the fallback.
  FrameId select_victim() {
    if (!q_.empty()) return q_.front();
    prune();
    return s_tail_;
  }

  // The evicted page stays in S, now non-resident, if it is there.
  // A resident frame is now named `key` (its first mapper left: mm/frame_table.hpp), so what
  // was remembered of an evicted page of that name is forgotten (policy.hpp: HasForget).
  void forget(std::uint64_t key) {
    if (const std::uint32_t* node = index_.find(key)) {
      const std::uint32_t g = *node;
      s_remove(g);
      free_ghost(g);
    }
  }

  void on_unmap(FrameId f) {
    if (q_.contains(f)) q_.remove(f);
    const bool was_lir = status_[f] == kLir;
    if (was_lir) --lir_count_;
    status_[f] = kHir;
    if (s_in_[f] != 0) {
      if (free_slots_.empty()) drop_oldest_nonresident();
      const std::uint32_t slot = free_slots_.back();
      free_slots_.pop_back();
      const std::uint32_t g = c_ + slot;
      ghost_key_[slot] = page_key_[f];
      index_.insert(page_key_[f], g);
      nr_order_.push_back(slot);
      s_replace(f, g);
    }
    if (was_lir) prune();
  }

  // A page freed with its process leaves S and Q without a non-resident entry.
  void on_discard(FrameId f) {
    if (q_.contains(f)) q_.remove(f);
    const bool was_lir = status_[f] == kLir;
    if (was_lir) --lir_count_;
    status_[f] = kHir;
    if (s_in_[f] != 0) s_remove(f);
    if (was_lir) prune();
  }

  void prefetch_page(std::uint64_t key) const { index_.prefetch(key); }

  void on_map(FrameId f) {
    if (const std::uint32_t* node = index_.find(page_key_[f])) {
      // 3(a): a non-resident HIR page still in S has a small inter-reference recency.
      const std::uint32_t g = *node;
      s_remove(g);
      free_ghost(g);
      status_[f] = kLir;
      ++lir_count_;
      s_push_top(f);
      if (lir_count_ > llirs_) demote_bottom_lir();
    } else if (lir_count_ < llirs_) {
      status_[f] = kLir;  // memory filling: the first L_lirs pages become LIR
      ++lir_count_;
      s_push_top(f);
    } else {
      status_[f] = kHir;  // 3(b)
      s_push_top(f);
      q_.push_back(f);
    }
    while (nr_order_.size() > nr_limit_) drop_oldest_nonresident();
    just_mapped_ = f;
  }

  std::uint32_t lir_pages() const { return lir_count_; }
  std::uint32_t hir_resident_limit() const { return lhirs_; }
  std::uint32_t nonresident_in_stack() const { return nr_order_.size(); }
  bool is_lir(FrameId f) const { return status_[f] == kLir; }
  bool in_stack(FrameId f) const { return s_in_[f] != 0; }
  bool in_queue(FrameId f) const { return q_.contains(f); }

 private:
  static constexpr FrameId kNil = detail::FrameList::kNil;
  static constexpr std::uint8_t kHir = 0;
  static constexpr std::uint8_t kLir = 1;

  // S numbers frames 0..c-1 and non-resident entries from c on, below kNil.
  static std::uint32_t checked_nonresident(double share, std::uint32_t frames) {
    const std::uint32_t limit = detail::entries_for_share(info.name, "nonresident", share, frames);
    if (std::uint64_t{frames} + limit + 1 >= kNil) {
      throw Error(
          fmt::format("policy lirs: nonresident={} with {} frames needs more stack "
                      "entries than 32-bit indices hold",
                      share, frames));
    }
    return limit;
  }

  bool node_is_lir(std::uint32_t n) const { return n < c_ && status_[n] == kLir; }

  // Stack pruning: HIR entries leave S's bottom until a LIR page is there. Resident HIR pages stay
  // in Q; non-resident entries are forgotten.
  void prune() {
    while (s_tail_ != kNil && !node_is_lir(s_tail_)) {
      const std::uint32_t n = s_tail_;
      s_remove(n);
      if (n >= c_) free_ghost(n);
    }
  }

  void demote_bottom_lir() {
    prune();
    if (s_tail_ == kNil) return;
    const std::uint32_t b = s_tail_;
    status_[b] = kHir;
    --lir_count_;
    q_.push_back(b);
    prune();  // b is now an HIR entry at the bottom: it leaves S first
  }

  void drop_oldest_nonresident() {
    const std::uint32_t g = c_ + nr_order_.front();
    s_remove(g);
    free_ghost(g);
  }

  void free_ghost(std::uint32_t g) {
    const std::uint32_t slot = g - c_;
    index_.remove(ghost_key_[slot]);
    nr_order_.remove(slot);
    free_slots_.push_back(slot);
  }

  // S, a doubly linked list over frames (0..c-1) and non-resident entries (c..); top = head.
  void s_push_top(std::uint32_t n) {
    s_prev_[n] = kNil;
    s_next_[n] = s_head_;
    if (s_head_ != kNil) s_prev_[s_head_] = n;
    s_head_ = n;
    if (s_tail_ == kNil) s_tail_ = n;
    s_in_[n] = 1;
  }

  void s_remove(std::uint32_t n) {
    const std::uint32_t p = s_prev_[n];
    const std::uint32_t q = s_next_[n];
    if (p != kNil)
      s_next_[p] = q;
    else
      s_head_ = q;
    if (q != kNil)
      s_prev_[q] = p;
    else
      s_tail_ = p;
    s_in_[n] = 0;
  }

  void s_move_to_top(std::uint32_t n) {
    if (s_head_ == n) return;
    if (s_in_[n] != 0) s_remove(n);
    s_push_top(n);
  }

  // Puts `now` where `old` is in S.
  void s_replace(std::uint32_t old, std::uint32_t now) {
    const std::uint32_t p = s_prev_[old];
    const std::uint32_t q = s_next_[old];
    s_prev_[now] = p;
    s_next_[now] = q;
    if (p != kNil)
      s_next_[p] = now;
    else
      s_head_ = now;
    if (q != kNil)
      s_prev_[q] = now;
    else
      s_tail_ = now;
    s_in_[old] = 0;
    s_in_[now] = 1;
  }

  // First member: the Params are checked before anything is computed from them.
  [[no_unique_address]] detail::ParamsChecked params_checked_;
  std::uint32_t c_;
  FrameNames page_key_;
  std::uint32_t lhirs_;
  std::uint32_t llirs_;
  std::uint32_t nr_limit_;
  std::uint32_t lir_count_ = 0;
  std::vector<std::uint8_t> status_;  // per frame: LIR or HIR
  std::vector<std::uint32_t> s_prev_;
  std::vector<std::uint32_t> s_next_;
  std::vector<std::uint8_t> s_in_;
  std::uint32_t s_head_ = kNil;  // top of S
  std::uint32_t s_tail_ = kNil;  // bottom of S
  detail::FrameList q_;          // resident HIR pages, front = next victim
  detail::FrameList nr_order_;   // non-resident slots in the order they became non-resident
  std::vector<std::uint64_t> ghost_key_;
  std::vector<std::uint32_t> free_slots_;
  detail::PageMap<std::uint32_t> index_;  // non-resident key -> S node
  FrameId just_mapped_ = kNil;
};

}  // namespace vmsim
