// The eight-at-a-time sweep against the one-frame-at-a-time clock hand it replaces: same stopping
// frame, same bits cleared, for every start and length around word boundaries.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "core/rng.hpp"
#include "policy/page/detail/clock_sweep.hpp"

namespace vmsim::detail {
namespace {

FrameId sweep_one_at_a_time(std::vector<std::uint8_t>& bits, FrameId from, FrameId end) {
  for (FrameId f = from; f < end; ++f) {
    if (bits[f] == 0) return f;
    bits[f] = 0;
  }
  return end;
}

TEST(ClockSweep, AgreesWithTheOneFrameHand) {
  Rng rng(7);
  for (int trial = 0; trial < 3000; ++trial) {
    const auto size = static_cast<std::uint32_t>(1 + rng.below(40));
    // Dense and sparse referenced bits, and byte values other than 1 (any non-zero is "set").
    const std::uint64_t set_one_in = 1 + rng.below(20);
    std::vector<std::uint8_t> bits(size);
    for (auto& b : bits)
      b = rng.below(set_one_in) == 0 ? 0 : static_cast<std::uint8_t>(1 + rng.below(255));
    const auto from = static_cast<FrameId>(rng.below(size));
    const auto end = static_cast<FrameId>(from + rng.below(size - from + 1));
    std::vector<std::uint8_t> expected = bits;
    const FrameId want = sweep_one_at_a_time(expected, from, end);
    EXPECT_EQ(sweep_referenced(bits.data(), from, end), want) << "trial " << trial;
    EXPECT_EQ(bits, expected) << "trial " << trial;
  }
}

TEST(ClockSweep, AllReferencedClearsTheRange) {
  std::vector<std::uint8_t> bits(21, 1);
  EXPECT_EQ(sweep_referenced(bits.data(), 3, 19), 19U);
  for (FrameId f = 0; f < 21; ++f) EXPECT_EQ(bits[f], (f >= 3 && f < 19) ? 0 : 1) << f;
}

TEST(ClockSweep, StopsAtTheFirstClearFramePastAWord) {
  // Frames 0..10 referenced, 11 not: the hand clears 0..10 and stops at 11 (in the second word).
  std::vector<std::uint8_t> bits(16, 1);
  bits[11] = 0;
  bits[13] = 0;
  EXPECT_EQ(sweep_referenced(bits.data(), 0, 16), 11U);
  for (FrameId f = 0; f < 11; ++f) EXPECT_EQ(bits[f], 0) << f;
  EXPECT_EQ(bits[12], 1);
}

}  // namespace
}  // namespace vmsim::detail
