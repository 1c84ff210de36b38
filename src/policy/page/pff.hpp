// Page-fault frequency (Chu, Opderbeck, "The page fault frequency replacement algorithm", AFIPS
// FJCC 1972): the resident set grows while faults come often and shrinks when they come rarely. At
// every fault, if more than `threshold` references have passed since the previous fault, every page
// not referenced since that fault is released (in ascending frame order). If memory is full anyway,
// a second-chance clock over the frames picks the victim, reading the same bits: "referenced since
// the last fault". Only then are the referenced bits of all resident pages cleared, so that the
// next fault again asks about the interval since this one. (Clearing them before the clock ran
// would leave it no second chance to give: PFF would then evict like FIFO.)
//
// Clearing every bit at every fault is a sweep over all frames per fault, which dominates a run
// with a large memory and many faults. Instead the policy keeps, per frame, the index of its last
// reference (from on_access, rather than the frame table's referenced bits) and the index of the
// last fault whose clear has taken effect: a page was "referenced since the last fault" exactly
// when its last reference is not older than that fault (the faulting reference itself counts, as it
// sets the bit after the fault is served). A fault's clear takes effect when its page is mapped
// (on_map), after the releases and the clock. The hand's clear of one frame forgets that frame's
// reference. So no fault clears anything, and only a shrinking fault walks the pages, resident ones
// only, in frame order (a two-level bitmap: one summary word per 4096 frames besides the pages).
// Each page it passes is either released, paid for by the fault that loaded it, or was referenced
// in the fault-free interval of more than `threshold` references that triggered the walk, paid for
// by that reference. The order of releases is kept too: the kernel reuses freed frames last-in
// first-out, so it decides where later pages land and hence the hand's later victims.
// tests/unit/policy/pff_fast_test.cpp runs the sweep and this side by side.
#pragma once

#include <cstdint>
#include <vector>

#include "policy/page/detail/frame_bitmap.hpp"
#include "policy/page/detail/param_check.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class PageFaultFrequency {
 public:
  // What a run keeps per frame with this policy, the frame table's share included: about 18.5
  // bytes, measured as the peak resident set at 16 Mi frames (docs/reliability.md); sizes runs
  // before they allocate (sim/memory_need.hpp).
  static constexpr std::uint64_t bytes_per_frame = 24;
  static constexpr PolicyInfo info{"pff",
                                   "page-fault frequency: after a long fault-free interval release "
                                   "pages unused since the last fault",
                                   "Chu, Opderbeck, \"The page fault frequency replacement "
                                   "algorithm\", AFIPS Fall Joint Computer "
                                   "Conference, 1972"};
  static constexpr bool reads_referenced = true;
  struct Params {
    std::uint64_t threshold = 1000;
    static constexpr std::tuple fields{ParamField<Params, std::uint64_t>{
        "threshold", &Params::threshold,
        "inter-fault interval in references above which the resident set shrinks: an integer >= 1 "
        "(default 1000)",
        1}};
  };
  static constexpr bool issues_requests = true;

  PageFaultFrequency(const PolicyContext& ctx, Params params)
      : params_checked_(info.name, params),
        threshold_(params.threshold),
        frames_(ctx.frames),
        last_ref_(ctx.frames, kNoRef),
        resident_(ctx.frames),
        requests_(ctx.requests) {}

  // A new page starts unreferenced, as the kernel clears a frame's bits when its page leaves (which
  // matters should a page ever leave while referenced); the faulting reference then marks it. The
  // fault that maps it has made its releases and chosen its victim, so its clear of every
  // referenced bit takes effect now: from here on only references at or after that fault count.
  void on_map(FrameId f) {
    if (clear_pending_) {
      last_fault_ = pending_fault_;
      clear_pending_ = false;
    }
    resident_.insert(f);
    last_ref_[f] = kNoRef;
  }
  void on_unmap(FrameId f) { resident_.erase(f); }

  void on_access(FrameId f, std::uint64_t now) { last_ref_[f] = now; }

  void on_fault(std::uint64_t now) {
    if (clear_pending_) last_fault_ = pending_fault_;  // a fault that mapped no page
    if (faulted_before_ && now - last_fault_ > threshold_) {
      for (FrameId f = resident_.next_at_or_after(0); f != detail::FrameBitmap::kNone;
           f = resident_.next_at_or_after(f + 1)) {
        if (!referenced(f)) requests_->release.push_back(f);
      }
    }
    // Every referenced bit is cleared once the clock below has read them (see on_map).
    pending_fault_ = now;
    clear_pending_ = true;
    faulted_before_ = true;
  }

  // Memory full: second chance over the frames, on the bits set since the last fault: a page
  // referenced in that interval has its bit cleared and is passed over; the first resident page
  // with a clear bit is the victim.
  FrameId select_victim() {
    for (;;) {
      const FrameId f = hand_;
      hand_ = hand_ + 1 == frames_ ? 0 : hand_ + 1;
      if (!resident_.contains(f)) continue;
      if (!referenced(f)) return f;
      last_ref_[f] = kNoRef;
    }
  }

 private:
  static constexpr std::uint64_t kNoRef = ~std::uint64_t{0};  // not referenced since its own clear

  // The referenced bit as the sweep kept it: set by a reference, cleared after every fault's clock
  // and by the hand. Before the first fault nothing has been cleared (last_fault_ is 0).
  bool referenced(FrameId f) const { return last_ref_[f] != kNoRef && last_ref_[f] >= last_fault_; }

  // First member: the Params are checked before anything is computed from them.
  [[no_unique_address]] detail::ParamsChecked params_checked_;
  std::uint64_t threshold_;
  std::uint32_t frames_;
  std::vector<std::uint64_t> last_ref_;  // per frame: index of its last reference, or kNoRef
  detail::FrameBitmap resident_;
  PolicyRequests* requests_;
  std::uint64_t last_fault_ = 0;     // the fault whose clear has taken effect
  std::uint64_t pending_fault_ = 0;  // the fault being served, until it maps its page
  bool clear_pending_ = false;
  bool faulted_before_ = false;
  FrameId hand_ = 0;
};

}  // namespace vmsim
