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
#pragma once

#include <cstdint>

#include "policy/page/policy.hpp"

namespace vmsim {

class EnhancedClock {
 public:
  static constexpr PolicyInfo info{
      "enhanced-clock",
      "enhanced second chance: the hand takes the first page of the lowest (referenced, dirty) "
      "class",
      "Silberschatz, Galvin, Gagne, Operating System Concepts, 10th ed., 10.4.5.3; sweep as in "
      "Stallings, Operating Systems: Internals and Design Principles, 8.2"};
  using Params = NoParams;

  EnhancedClock(const PolicyContext& ctx, Params)
      : frames_(ctx.frames), referenced_(ctx.referenced), dirty_(ctx.dirty) {}

  void on_map(FrameId) {}
  void on_unmap(FrameId) {}

  // Reclaim runs only when every frame is in use, so every slot on the circle holds a page. At most
  // four turns: the second turn leaves every referenced bit clear, so the fourth finds (0,1) if the
  // third found no (0,0).
  FrameId select_victim() {
    for (;;) {
      for (std::uint32_t i = 0; i < frames_; ++i) {
        if (referenced_[hand_] == 0 && dirty_[hand_] == 0) return take();
        advance();
      }
      for (std::uint32_t i = 0; i < frames_; ++i) {
        if (referenced_[hand_] == 0 && dirty_[hand_] != 0) return take();
        referenced_[hand_] = 0;
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

  std::uint32_t frames_;
  std::uint8_t* referenced_;
  const std::uint8_t* dirty_;
  FrameId hand_ = 0;
};

}  // namespace vmsim
