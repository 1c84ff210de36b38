// A set of frames as a two-level bitmap: one bit per frame, and one summary bit per 64-frame word
// saying whether the word has any bit set. Finding the next member at or after a frame reads at
// most two words plus one summary word per 4096 frames, so a search that must go most of the way
// round a large memory stays cheap.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

#include "policy/page/policy.hpp"

namespace vmsim::detail {

class FrameBitmap {
 public:
  static constexpr FrameId kNone = ~FrameId{0};

  explicit FrameBitmap(std::uint32_t frames)
      : frames_(frames),
        words_((std::size_t{frames} + 63) / 64, 0),
        summary_((words_.size() + 63) / 64, 0) {}

  std::uint32_t size() const { return size_; }
  bool contains(FrameId f) const { return (words_[f / 64] >> (f % 64) & 1) != 0; }

  void insert(FrameId f) {
    std::uint64_t& word = words_[f / 64];
    const std::uint64_t bit = std::uint64_t{1} << (f % 64);
    if ((word & bit) != 0) return;
    word |= bit;
    ++size_;
    summary_[f / 4096] |= std::uint64_t{1} << (f / 64 % 64);
  }

  void erase(FrameId f) {
    std::uint64_t& word = words_[f / 64];
    const std::uint64_t bit = std::uint64_t{1} << (f % 64);
    if ((word & bit) == 0) return;
    word &= ~bit;
    --size_;
    if (word == 0) summary_[f / 4096] &= ~(std::uint64_t{1} << (f / 64 % 64));
  }

  // The smallest member >= f, or kNone.
  FrameId next_at_or_after(FrameId f) const {
    if (f >= frames_) return kNone;
    std::uint32_t w = f / 64;
    const std::uint64_t bits = words_[w] & (~std::uint64_t{0} << (f % 64));
    if (bits != 0) return w * 64 + static_cast<FrameId>(std::countr_zero(bits));
    ++w;
    if (w >= words_.size()) return kNone;
    std::uint32_t s = w / 64;
    std::uint64_t nonempty = summary_[s] & (~std::uint64_t{0} << (w % 64));
    while (nonempty == 0) {
      if (++s >= summary_.size()) return kNone;
      nonempty = summary_[s];
    }
    w = s * 64 + static_cast<std::uint32_t>(std::countr_zero(nonempty));
    return w * 64 + static_cast<FrameId>(std::countr_zero(words_[w]));
  }

 private:
  std::uint32_t frames_;
  std::vector<std::uint64_t> words_;    // bit f % 64 of word f / 64: frame f is a member
  std::vector<std::uint64_t> summary_;  // bit w % 64 of word w / 64: words_[w] != 0
  std::uint32_t size_ = 0;
};

}  // namespace vmsim::detail
