// CAR (Clock with Adaptive Replacement), as defined by the pseudo-code of Bansal and Modha, "CAR:
// Clock with Adaptive Replacement", USENIX FAST 2004, Figure 2, with c = the number of frames.
//
// T1 and T2 are clocks of resident pages (head = under the hand, tail = just behind it) that read
// the page reference bit instead of moving pages on hits; B1 and B2 are LRU lists of the keys of
// pages evicted from T1 and T2; p is the target size of T1. On a miss for x with memory full:
//   replace(): repeat: if |T1| >= max(1, p): if T1's head page has its bit clear, demote it to
//     the MRU end of B1 (it is the victim), else clear the bit and move it to T2's tail; otherwise:
//     if T2's head page has its bit clear, demote it to B2's MRU end (the victim), else clear the
//     bit and move it to T2's tail. Until a victim is found.
//   Then (directory replacement) if x is in neither B1 nor B2: if |T1| + |B1| = c, discard B1's
//   LRU key, else if |T1|+|T2|+|B1|+|B2| = 2c, discard B2's LRU key.
// Then: x in neither: put x at T1's tail with its bit clear. x in B1: p = min(p + max(1,
// |B2|/|B1|), c), move x to T2's tail, bit clear. x in B2: p = max(p - max(1, |B1|/|B2|), 0),
// move x to T2's tail, bit clear. A hit only sets the bit.
//
// The hit path is the access path's referenced bit (no per-reference call). The paper inserts a
// page with its bit clear, so CAR declares fault_sets_referenced = false: only later references
// set it. replace() does not depend on x, so CAR needs no select_victim_for; the directory
// replacement and the adaptation run in on_map, which sees exactly the state after replace(), as
// lines 6-20 of the pseudo-code do.
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

class Car {
 public:
  static constexpr PolicyInfo info{
      "car",
      "clock with adaptive replacement: ARC's lists as two clocks on the referenced bit, with "
      "ghosts B1, B2 steering p",
      "Bansal, Modha, \"CAR: Clock with Adaptive Replacement\", USENIX FAST 2004"};
  static constexpr bool reads_referenced = true;
  static constexpr bool fault_sets_referenced = false;

  using Params = detail::AdaptiveTargetParams;

  // B1 and B2 hold at most c keys between references (|T1| + |T2| + |B1| + |B2| <= 2c, the paper's
  // directory bound, with T1 and T2 full whenever a key is added), and c + 1 for a moment while
  // the faulting page's key is still in its list; the ghost lists are reserved for that.
  static std::uint64_t memory_bound(std::uint32_t frames, std::uint32_t dense_pages, Params) {
    return frames * (detail::kFrameShareBytes + 2 * detail::kFrameListBytesPerFrame) +
           detail::ghost_lists_bytes(std::uint64_t{frames} + 1, dense_pages);
  }

  Car(const PolicyContext& ctx, Params params)
      : params_checked_(info.name, params),
        c_(ctx.frames),
        referenced_(ctx.referenced),
        page_key_(ctx.page_key),
        p_(params.initial_target(ctx.frames)),
        t1_(ctx.frames),
        t2_(ctx.frames),
        ghosts_(2, std::size_t{ctx.frames} + 1, ctx.dense_pages) {}

  // replace(): reclaim runs only when every frame is in use, so |T1| + |T2| = c >= 1 and the list
  // the loop looks at is never empty (|T1| < max(1, p) <= c leaves T2 non-empty).
  FrameId select_victim() {
    replaced_ = true;
    for (;;) {
      if (t1_.size() >= std::max(1.0, p_)) {
        const FrameId head = t1_.front();
        if (referenced_[head] == 0) {
          ghosts_.push_front(kB1, page_key_[head]);
          return head;
        }
        referenced_[head] = 0;
        t1_.remove(head);
        t2_.push_back(head);
      } else {
        const FrameId head = t2_.front();
        if (referenced_[head] == 0) {
          ghosts_.push_front(kB2, page_key_[head]);
          return head;
        }
        referenced_[head] = 0;
        t2_.remove(head);
        t2_.push_back(head);
      }
    }
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

  void prefetch_page(std::uint64_t key) const { ghosts_.prefetch(key); }

  void on_map(FrameId f) {
    const std::uint64_t x = page_key_[f];
    const int ghost = ghosts_.find(x);
    if (replaced_ && ghost == detail::GhostLists::kNone) {
      if (t1_.size() + ghosts_.size(kB1) == c_ && !ghosts_.empty(kB1)) {
        ghosts_.pop_back(kB1);
      } else if (t1_.size() + t2_.size() + ghosts_.total() == 2 * std::uint64_t{c_} &&
                 !ghosts_.empty(kB2)) {
        ghosts_.pop_back(kB2);
      }
    }
    replaced_ = false;
    referenced_[f] = 0;
    if (ghost == kB1) {
      const double b1 = ghosts_.size(kB1);
      const double b2 = ghosts_.size(kB2);
      p_ = std::min(p_ + std::max(1.0, b2 / b1), static_cast<double>(c_));
      ghosts_.erase(x);
      t2_.push_back(f);
    } else if (ghost == kB2) {
      const double b1 = ghosts_.size(kB1);
      const double b2 = ghosts_.size(kB2);
      p_ = std::max(p_ - std::max(1.0, b1 / b2), 0.0);
      ghosts_.erase(x);
      t2_.push_back(f);
    } else {
      t1_.push_back(f);
    }
  }

  double target() const { return p_; }
  std::uint32_t t1_size() const { return t1_.size(); }
  std::uint32_t t2_size() const { return t2_.size(); }
  std::uint32_t b1_size() const { return ghosts_.size(kB1); }
  std::uint32_t b2_size() const { return ghosts_.size(kB2); }

 private:
  static constexpr int kB1 = 0;
  static constexpr int kB2 = 1;

  // First member: the Params are checked before anything is computed from them.
  [[no_unique_address]] detail::ParamsChecked params_checked_;
  std::uint32_t c_;
  std::uint8_t* referenced_;
  FrameNames page_key_;
  double p_;
  detail::FrameList t1_;       // a clock: front = head (under the hand), back = tail
  detail::FrameList t2_;       // likewise
  detail::GhostLists ghosts_;  // B1 and B2, front = MRU
  bool replaced_ = false;      // the current fault went through replace() (memory was full)
};

}  // namespace vmsim
