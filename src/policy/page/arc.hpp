// ARC (Adaptive Replacement Cache), as defined by the pseudo-code of Megiddo and Modha, "ARC: A
// self-tuning, low overhead replacement cache", FAST 2003, Figure 4, with c = the number of frames.
//
// T1 holds resident pages seen once recently, T2 resident pages seen at least twice; B1 and B2
// remember (keys only) pages recently evicted from T1 and T2. p is the target size of T1. On a
// reference to x:
//   I   x in T1 or T2 (hit): move x to the MRU end of T2.
//   II  x in B1: p = min(p + d1, c), d1 = 1 if |B1| >= |B2| else |B2|/|B1|; REPLACE(x, p); move x
//       from B1 to the MRU end of T2.
//   III x in B2: p = max(p - d2, 0), d2 = 1 if |B2| >= |B1| else |B1|/|B2|; REPLACE(x, p); move x
//       from B2 to the MRU end of T2.
//   IV  x in none: if |T1| + |B1| = c: if |T1| < c delete B1's LRU key and REPLACE(x, p), else
//       evict T1's LRU page without remembering it; otherwise, if |T1|+|T2|+|B1|+|B2| >= c,
//       delete B2's LRU key when that total is 2c, then REPLACE(x, p). Put x at the MRU end of T1.
//   REPLACE(x, p): if T1 is non-empty and (|T1| > p or (x in B2 and |T1| = p)) evict T1's LRU
//       page and put its key at the MRU end of B1; else evict T2's LRU page into B2.
// p is a real number, as in the paper (d1, d2 are ratios, not rounded).
//
// REPLACE depends on whether the incoming page is in B2, so ARC takes the fault's page key through
// select_victim_for(key) (see policy.hpp). A reference string only faults when memory is full or
// filling, so the pseudo-code's cases all run inside select_victim_for + on_map; a fault that finds
// a free frame takes the same case without REPLACE.
#pragma once

#include <algorithm>
#include <cstdint>
#include <tuple>

#include "policy/page/detail/adaptive_target.hpp"
#include "policy/page/detail/footprint.hpp"
#include "policy/page/detail/frame_list.hpp"
#include "policy/page/detail/ghost_lists.hpp"
#include "policy/page/detail/param_check.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class Arc {
 public:
  static constexpr PolicyInfo info{
      "arc",
      "adaptive replacement cache: recency list T1 and frequency list T2 with ghosts B1, B2 steer "
      "the target size p of T1",
      "Megiddo, Modha, \"ARC: A self-tuning, low overhead replacement cache\", USENIX FAST 2003"};

  using Params = detail::AdaptiveTargetParams;

  // B1 and B2 hold at most c keys between references (|T1| + |T2| + |B1| + |B2| <= 2c, the paper's
  // directory bound, with T1 and T2 full whenever a key is added), and c + 1 for a moment while
  // the faulting page's key is still in its list; the ghost lists are reserved for that.
  static std::uint64_t memory_bound(std::uint32_t frames, std::uint32_t dense_pages, Params) {
    return frames * (detail::kFrameShareBytes + 2 * detail::kFrameListBytesPerFrame) +
           detail::ghost_lists_bytes(std::uint64_t{frames} + 1, dense_pages);
  }

  Arc(const PolicyContext& ctx, Params params)
      : params_checked_(info.name, params),
        c_(ctx.frames),
        page_key_(ctx.page_key),
        p_(params.initial_target(ctx.frames)),
        t1_(ctx.frames),
        t2_(ctx.frames),
        ghosts_(2, std::size_t{ctx.frames} + 1, ctx.dense_pages) {}

  // Case I. The simulator also calls on_access for the reference that faulted the page in; that
  // one is not a hit, so it is skipped.
  void on_access(FrameId f, std::uint64_t /*now*/) {
    if (f == just_mapped_) {
      just_mapped_ = kNil;
      return;
    }
    if (t1_.contains(f)) {
      t1_.remove(f);
      t2_.push_front(f);
    } else {
      t2_.move_to_front(f);
    }
  }

  // Cases II-IV for the faulting page `x` when memory is full: adapts p, keeps the ghost lists
  // within their bounds, picks the victim and records it in B1 or B2 (or nowhere).
  void prefetch_page(std::uint64_t key) const { ghosts_.prefetch(key); }

  FrameId select_victim_for(std::uint64_t x) {
    const int ghost = ghosts_.find(x);
    FrameId victim;
    if (ghost == kB1) {
      adapt_for_b1();
      victim = replace(false);
    } else if (ghost == kB2) {
      adapt_for_b2();
      victim = replace(true);
    } else if (t1_.size() + ghosts_.size(kB1) == c_) {
      if (t1_.size() < c_) {
        ghosts_.pop_back(kB1);
        victim = replace(false);
      } else {
        victim = t1_.back();  // B1 is empty: the page leaves without a trace
      }
    } else {
      if (t1_.size() + t2_.size() + ghosts_.total() == 2 * std::uint64_t{c_}) ghosts_.pop_back(kB2);
      victim = replace(false);
    }
    pending_key_ = x;
    pending_ghost_ = ghost;
    pending_ = true;
    return victim;
  }

  // A resident frame is now named `key` (its first mapper left: mm/frame_table.hpp), so what
  // was remembered of an evicted page of that name is forgotten (policy.hpp: HasForget).
  void forget(std::uint64_t key) { ghosts_.erase(key); }

  void on_unmap(FrameId f) {
    if (t1_.contains(f)) {
      t1_.remove(f);
    } else {
      t2_.remove(f);
    }
  }

  void on_map(FrameId f) {
    const std::uint64_t x = page_key_[f];
    int ghost;
    if (pending_ && pending_key_ == x) {
      ghost = pending_ghost_;  // p was adapted in select_victim_for
    } else {
      // A free frame: the same cases, with nothing to replace.
      ghost = ghosts_.find(x);
      if (ghost == kB1) adapt_for_b1();
      if (ghost == kB2) adapt_for_b2();
    }
    pending_ = false;
    if (ghost == GhostLists::kNone) {
      t1_.push_front(f);
      trim_ghosts();
    } else {
      ghosts_.erase(x);
      t2_.push_front(f);
    }
    just_mapped_ = f;
  }

  // For tests and reports: the current target size of T1.
  double target() const { return p_; }
  std::uint32_t t1_size() const { return t1_.size(); }
  std::uint32_t t2_size() const { return t2_.size(); }
  std::uint32_t b1_size() const { return ghosts_.size(kB1); }
  std::uint32_t b2_size() const { return ghosts_.size(kB2); }

 private:
  using GhostLists = detail::GhostLists;
  static constexpr int kB1 = 0;
  static constexpr int kB2 = 1;
  static constexpr FrameId kNil = detail::FrameList::kNil;

  void adapt_for_b1() {
    const double b1 = ghosts_.size(kB1);
    const double b2 = ghosts_.size(kB2);
    const double delta = b1 >= b2 ? 1.0 : b2 / b1;
    p_ = std::min(p_ + delta, static_cast<double>(c_));
  }

  void adapt_for_b2() {
    const double b1 = ghosts_.size(kB1);
    const double b2 = ghosts_.size(kB2);
    const double delta = b2 >= b1 ? 1.0 : b1 / b2;
    p_ = std::max(p_ - delta, 0.0);
  }

  // REPLACE(x, p): the victim's key goes to B1 or B2 now (its frame still holds it); on_unmap then
  // takes the frame off T1 or T2.
  FrameId replace(bool x_in_b2) {
    const double t1 = t1_.size();
    const bool from_t1 = !t1_.empty() && (t1 > p_ || (x_in_b2 && t1 == p_) || t2_.empty());
    const FrameId victim = from_t1 ? t1_.back() : t2_.back();
    ghosts_.push_front(from_t1 ? kB1 : kB2, page_key_[victim]);
    return victim;
  }

  // Only needed when pages arrive in free frames after ghosts exist (frames freed outside
  // reclaim): keeps |T1| + |B1| <= c and the directory within 2c, as case IV does.
  void trim_ghosts() {
    while (t1_.size() + ghosts_.size(kB1) > c_ && !ghosts_.empty(kB1)) ghosts_.pop_back(kB1);
    while (t1_.size() + t2_.size() + ghosts_.total() > 2 * std::uint64_t{c_} &&
           !ghosts_.empty(kB2)) {
      ghosts_.pop_back(kB2);
    }
  }

  // First member: the Params are checked before anything is computed from them.
  [[no_unique_address]] detail::ParamsChecked params_checked_;
  std::uint32_t c_;
  FrameNames page_key_;
  double p_;
  detail::FrameList t1_;  // front = MRU
  detail::FrameList t2_;  // front = MRU
  GhostLists ghosts_;     // B1 and B2, front = MRU
  FrameId just_mapped_ = kNil;
  std::uint64_t pending_key_ = 0;
  int pending_ghost_ = GhostLists::kNone;
  bool pending_ = false;
};

}  // namespace vmsim
