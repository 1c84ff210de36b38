// Enhanced second chance (the NRU classes on a clock). Each page is in one of four classes by its
// (referenced, dirty) bits: (0,0) neither recently used nor modified, the best to replace; (0,1)
// not recently used but modified, which costs a write-back; (1,0) recently used but clean; (1,1)
// recently used and modified, the worst. The victim is the first page the hand finds in the lowest
// non-empty class (Silberschatz, Galvin, Gagne, Operating System Concepts, 10th ed., 10.4.5.3).
//
// The sweep, exactly as Stallings spells out the same algorithm (Operating Systems: Internals and
// Design Principles, 8.2, "the Macintosh" clock with use and modify bits):
//   1. From the hand, one full turn looking for (0,0), changing no bit; take the first found.
//   2. Otherwise one full turn looking for (0,1), taking the first found and clearing the
//      referenced bit of every frame passed over.
//   3. Otherwise the hand is back where it started and every referenced bit is clear: repeat 1,
//      then if needed 2 (which must now succeed).
// The new page takes the victim's frame and the hand moves past it, as in Clock. Dirty bits are
// never cleared here; only writing the page back (at eviction) cleans it.
//
// Turn 1 does not change bits, so a plain scan would cost a whole turn at every fault once no
// (0,0) page is left (typical when most pages are dirty: 100 s instead of 0.6 s for 10 M zipf
// references on 10000 frames). Instead a two-level bitmap holds every frame that may be (0,0) and
// turn 1 searches it from the hand. A frame only enters (0,0) when this policy clears
// its referenced bit or a page is loaded into it, and both add it to the bitmap; frames found in
// another class are dropped, since only this policy's turn 2 or an eviction can bring them back.
// This relies on dirty bits being cleared only by eviction, as in the kernel model here.
#pragma once

#include <cstdint>

#include "policy/page/detail/frame_bitmap.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

class EnhancedClock {
 public:
  // What a run keeps per frame with this policy, the frame table's share included: about 10.5
  // bytes, measured as the peak resident set at 16 Mi frames (docs/reliability.md); sizes runs
  // before they allocate (sim/memory_need.hpp).
  static constexpr std::uint64_t bytes_per_frame = 16;
  static constexpr PolicyInfo info{
      "enhanced-clock",
      "enhanced second chance: the hand takes the first page of the lowest (referenced, dirty) "
      "class",
      "Silberschatz, Galvin, Gagne, Operating System Concepts, 10th ed., 10.4.5.3; sweep as in "
      "Stallings, Operating Systems: Internals and Design Principles, 8.2"};
  static constexpr bool reads_referenced = true;
  using Params = NoParams;

  // Every frame starts in the set: nothing is known about bits set before the first fault.
  EnhancedClock(const PolicyContext& ctx, Params)
      : frames_(ctx.frames),
        referenced_(ctx.referenced),
        dirty_(ctx.dirty),
        maybe_unused_clean_(ctx.frames) {
    for (FrameId f = 0; f < frames_; ++f) maybe_unused_clean_.insert(f);
  }

  void on_map(FrameId f) { maybe_unused_clean_.insert(f); }
  void on_unmap(FrameId) {}

  // Reclaim runs only when every frame is in use, so every slot on the circle holds a page. At most
  // four turns: the second turn leaves every referenced bit clear, so the fourth finds (0,1) if the
  // third found no (0,0).
  FrameId select_victim() {
    for (;;) {
      // Turn 1: the hand moves to the first (0,0) frame, if any, changing no bit.
      if (const FrameId f = first_unused_clean(); f != kNone) {
        hand_ = f;
        return take();
      }
      for (std::uint32_t i = 0; i < frames_; ++i) {
        if (referenced_[hand_] == 0 && dirty_[hand_] != 0) return take();
        referenced_[hand_] = 0;
        if (dirty_[hand_] == 0) maybe_unused_clean_.insert(hand_);  // (1,0) became (0,0)
        advance();
      }
    }
  }

 private:
  FrameId take() {
    const FrameId victim = hand_;
    advance();
    return victim;
  }
  void advance() { hand_ = hand_ + 1 == frames_ ? 0 : hand_ + 1; }

  // The first (0,0) frame at or after the hand, going round once; drops the frames it finds in
  // another class.
  FrameId first_unused_clean() {
    if (maybe_unused_clean_.size() == 0) return kNone;  // common once all are referenced or dirty
    bool wrapped = false;
    FrameId f = maybe_unused_clean_.next_at_or_after(hand_);
    for (;;) {
      if (f == kNone || (wrapped && f >= hand_)) {
        if (wrapped) return kNone;
        wrapped = true;
        f = maybe_unused_clean_.next_at_or_after(0);
        continue;
      }
      if (referenced_[f] == 0 && dirty_[f] == 0) return f;
      maybe_unused_clean_.erase(f);
      f = maybe_unused_clean_.next_at_or_after(f + 1);
    }
  }

  static constexpr FrameId kNone = detail::FrameBitmap::kNone;

  std::uint32_t frames_;
  std::uint8_t* referenced_;
  const std::uint8_t* dirty_;
  FrameId hand_ = 0;
  detail::FrameBitmap maybe_unused_clean_;  // frames that may be (0,0)
};

}  // namespace vmsim
