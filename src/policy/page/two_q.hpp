// 2Q, the full version, as defined by the pseudo-code of Johnson and Shasha, "2Q: A low overhead
// high performance buffer management replacement algorithm", VLDB 1994, section 2.1 ("Full 2Q").
//
// A1in is a FIFO of resident pages seen once, Am an LRU list of resident pages seen again after
// leaving A1in, A1out a FIFO of the keys (no data) of pages paged out of A1in. On a reference to X:
//   X in Am:     move X to the head of Am.
//   X in A1in:   do nothing (a correlated reference).
//   X in A1out:  reclaimfor(X); add X to the head of Am.
//   otherwise:   reclaimfor(X); add X to the head of A1in.
// reclaimfor(X), when no frame is free: if |A1in| > Kin, page out the tail of A1in and add its key
// to the head of A1out, dropping A1out's tail key if |A1out| > Kout; else page out the tail of Am
// (not remembered: it has not been used for a while).
// As in the pseudo-code, X's key is not removed from A1out when X enters Am: it ages out of the
// FIFO like any other key.
//
// Whether X is in A1out is decided before reclaimfor(X) runs (reclaimfor may push X's key off
// A1out's tail), so 2Q takes the faulting page's key through select_victim_for(key).
#pragma once

#include <cstdint>
#include <tuple>

#include "policy/page/detail/footprint.hpp"
#include "policy/page/detail/frame_list.hpp"
#include "policy/page/detail/ghost_lists.hpp"
#include "policy/page/detail/param_check.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class TwoQ {
 public:
  static constexpr PolicyInfo info{
      "2q",
      "full 2Q: new pages in FIFO A1in, pages re-referenced after leaving it (remembered in "
      "A1out) in LRU Am",
      "Johnson, Shasha, \"2Q: A low overhead high performance buffer management replacement "
      "algorithm\", VLDB 1994"};

  struct Params {
    double kin = 0.25;   // Kin, the size A1in may exceed before it gives up pages, / frames
    double kout = 0.50;  // Kout, the number of keys A1out remembers, / frames (at most 4 per frame)
    static constexpr std::tuple fields{
        ParamField<Params, double>{
            "kin", &Params::kin,
            "A1in threshold Kin as a fraction of frames: a number from 0 to 1 (default 0.25)", 0.0,
            1.0},
        ParamField<Params, double>{
            "kout", &Params::kout,
            "A1out size Kout as a fraction of frames: a number from 0 to 4 (default 0.5)", 0.0,
            4.0}};
  };

  // A1out holds Kout keys, and one more for a moment before its oldest is dropped.
  static std::uint64_t memory_bound(std::uint32_t frames, std::uint32_t dense_pages,
                                    const Params& params) {
    const std::uint64_t kout = detail::entries_for_share(info.name, "kout", params.kout, frames);
    return frames * (detail::kFrameShareBytes + 2 * detail::kFrameListBytesPerFrame) +
           detail::ghost_lists_bytes(kout + 1, dense_pages);
  }

  TwoQ(const PolicyContext& ctx, Params params)
      : params_checked_(info.name, params),
        page_key_(ctx.page_key),
        // |A1in| > Kin and |A1out| > Kout compare whole page counts, so a fractional Kin behaves as
        // its floor.
        kin_(detail::entries_for_share(info.name, "kin", params.kin, ctx.frames)),
        kout_(detail::entries_for_share(info.name, "kout", params.kout, ctx.frames)),
        a1in_(ctx.frames),
        am_(ctx.frames),
        a1out_(1, kout_ + 1, ctx.dense_pages) {}

  // A hit in Am moves the page to the head; a hit in A1in changes nothing. The simulator's call
  // for the reference that faulted the page in is not a hit and is skipped.
  void on_access(FrameId f, std::uint64_t /*now*/) {
    if (f == just_mapped_) {
      just_mapped_ = kNil;
      return;
    }
    if (am_.contains(f)) am_.move_to_front(f);
  }

  // reclaimfor(X).
  void prefetch_page(std::uint64_t key) const { a1out_.prefetch(key); }

  FrameId select_victim_for(std::uint64_t x) {
    pending_key_ = x;
    pending_to_am_ = a1out_.find(x) != detail::GhostLists::kNone;
    pending_ = true;
    // Am is empty only if A1in holds every frame, and then |A1in| > Kin unless kin >= 1.
    if (a1in_.size() > kin_ || am_.empty()) {
      const FrameId victim = a1in_.back();
      a1out_.push_front(0, page_key_[victim]);
      if (a1out_.size(0) > kout_) a1out_.pop_back(0);
      return victim;
    }
    return am_.back();
  }

  // A resident frame is now named `key` (its first mapper left: mm/frame_table.hpp), so what
  // was remembered of an evicted page of that name is forgotten (policy.hpp: HasForget).
  void forget(std::uint64_t key) { a1out_.erase(key); }

  void on_unmap(FrameId f) {
    if (a1in_.contains(f)) {
      a1in_.remove(f);
    } else {
      am_.remove(f);
    }
  }

  void on_map(FrameId f) {
    const std::uint64_t x = page_key_[f];
    const bool to_am = pending_ && pending_key_ == x
                           ? pending_to_am_
                           : a1out_.find(x) != detail::GhostLists::kNone;  // a free frame
    pending_ = false;
    if (to_am) {
      am_.push_front(f);
    } else {
      a1in_.push_front(f);
    }
    just_mapped_ = f;
  }

  std::uint32_t kin() const { return kin_; }
  std::uint32_t kout() const { return kout_; }
  std::uint32_t a1in_size() const { return a1in_.size(); }
  std::uint32_t am_size() const { return am_.size(); }
  std::uint32_t a1out_size() const { return a1out_.size(0); }
  bool remembers(std::uint64_t key) const { return a1out_.find(key) != detail::GhostLists::kNone; }

 private:
  static constexpr FrameId kNil = detail::FrameList::kNil;

  // First member: the Params are checked before anything is computed from them.
  [[no_unique_address]] detail::ParamsChecked params_checked_;
  FrameNames page_key_;
  std::uint32_t kin_;
  std::uint32_t kout_;
  detail::FrameList a1in_;    // front = head (newest), back = tail (oldest)
  detail::FrameList am_;      // front = head (most recent)
  detail::GhostLists a1out_;  // one list, front = head (newest key)
  FrameId just_mapped_ = kNil;
  std::uint64_t pending_key_ = 0;
  bool pending_to_am_ = false;
  bool pending_ = false;
};

}  // namespace vmsim
