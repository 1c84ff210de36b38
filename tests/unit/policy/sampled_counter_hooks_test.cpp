// NFU and aging through their hooks alone, on the example of Tanenbaum & Bos, Modern Operating
// Systems, 4th ed., Fig. 3-17: six pages, five clock ticks, referenced bits per tick
//   tick 0: 1 0 1 0 1 1    tick 1: 1 1 0 0 1 0    tick 2: 1 1 0 1 0 1
//   tick 3: 1 0 0 0 1 0    tick 4: 0 1 1 0 0 0
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "core/rng.hpp"
#include "policy/page/aging.hpp"
#include "policy/page/nfu.hpp"
#include "unit/policy/hook_bits.hpp"
#include "vmsim/error.hpp"

namespace vmsim::test {
namespace {

constexpr std::array<std::array<std::uint8_t, 6>, 5> kFigure317 = {{
    {1, 0, 1, 0, 1, 1},
    {1, 1, 0, 0, 1, 0},
    {1, 1, 0, 1, 0, 1},
    {1, 0, 0, 0, 1, 0},
    {0, 1, 1, 0, 0, 0},
}};

template <class P>
void run_figure(P& policy, HookBits& bits) {
  for (FrameId f = 0; f < 6; ++f) policy.on_map(f);
  for (std::size_t tick = 0; tick < kFigure317.size(); ++tick) {
    for (FrameId f = 0; f < 6; ++f) bits.referenced[f] = kFigure317[tick][f];
    policy.on_tick(tick);
    for (FrameId f = 0; f < 6; ++f) EXPECT_EQ(bits.referenced[f], 0) << "tick clears the bits";
  }
}

// NFU adds each bit: page 0: 1+1+1+1+0 = 4, page 1: 0+1+1+0+1 = 3, page 2: 1+0+0+0+1 = 2,
// page 3: 0+0+1+0+0 = 1, page 4: 1+1+0+1+0 = 3, page 5: 1+0+1+0+0 = 2. Smallest: page 3.
TEST(NfuHooks, TanenbaumFigure317) {
  HookBits bits(6);
  Nfu nfu(bits.context(), {});
  run_figure(nfu, bits);
  const std::array<std::uint64_t, 6> expected = {4, 3, 2, 1, 3, 2};
  for (FrameId f = 0; f < 6; ++f) EXPECT_EQ(nfu.counter(f), expected[f]) << f;
  EXPECT_EQ(nfu.select_victim(), 3U);
}

// The figure's panel (e): 01111000 10110000 10001000 00100000 01011000 00101000. Smallest: page 3.
TEST(AgingHooks, TanenbaumFigure317) {
  HookBits bits(6);
  Aging aging(bits.context(), {});
  run_figure(aging, bits);
  const std::array<std::uint64_t, 6> expected = {0b01111000, 0b10110000, 0b10001000,
                                                 0b00100000, 0b01011000, 0b00101000};
  for (FrameId f = 0; f < 6; ++f) EXPECT_EQ(aging.counter(f), expected[f]) << f;
  EXPECT_EQ(aging.select_victim(), 3U);
}

// With 2-bit counters only the last two ticks count: page 0: 01, 1: 10, 2: 10, 3: 00, 4: 01,
// 5: 00. Pages 3 and 5 tie at 0; 3 was loaded first (frames were mapped in order).
TEST(AgingHooks, NarrowCountersForgetSooner) {
  HookBits bits(6);
  Aging aging(bits.context(), {.tick = 0, .bits = 2});
  run_figure(aging, bits);
  const std::array<std::uint64_t, 6> expected = {1, 2, 2, 0, 1, 0};
  for (FrameId f = 0; f < 6; ++f) EXPECT_EQ(aging.counter(f), expected[f]) << f;
  EXPECT_EQ(aging.select_victim(), 3U);
}

// Equal counters: the page loaded longest ago goes, whatever its frame number; a reloaded frame
// starts again at 0.
TEST(NfuHooks, TiesGoToTheOldestLoadAndReloadsStartAtZero) {
  HookBits bits(3);
  Nfu nfu(bits.context(), {});
  nfu.on_map(2);
  nfu.on_map(0);
  nfu.on_map(1);
  EXPECT_EQ(nfu.select_victim(), 2U);  // all 0: frame 2 was loaded first
  bits.referenced = {1, 1, 1};
  nfu.on_tick(0);
  bits.referenced = {0, 1, 0};
  nfu.on_tick(1);                      // counters: 0: 1, 1: 2, 2: 1
  EXPECT_EQ(nfu.select_victim(), 2U);  // 0 and 2 tie at 1; 2 is older
  nfu.on_unmap(2);
  nfu.on_map(2);                       // counter 0, youngest
  EXPECT_EQ(nfu.select_victim(), 2U);  // 0 beats everything
  bits.referenced = {0, 0, 1};
  nfu.on_tick(2);                      // counters: 0: 1, 1: 2, 2: 1
  EXPECT_EQ(nfu.select_victim(), 0U);  // tie at 1: frame 0 is now the older load
}

TEST(SampledCounterHooks, TickIntervalDefaultsToTheFrameCount) {
  HookBits bits(5);
  EXPECT_EQ(Nfu(bits.context(), {}).tick_interval(), 5U);
  EXPECT_EQ(Nfu(bits.context(), {.tick = 100}).tick_interval(), 100U);
  EXPECT_EQ(Aging(bits.context(), {}).tick_interval(), 5U);
  EXPECT_EQ(Aging(bits.context(), {.tick = 7, .bits = 8}).tick_interval(), 7U);
  EXPECT_THROW(Aging(bits.context(), {.tick = 0, .bits = 0}), Error);
  EXPECT_THROW(Aging(bits.context(), {.tick = 0, .bits = 65}), Error);
}

// The policy's heap against a plain scan for (smallest counter, oldest load), on random ticks,
// references and faults.
template <class P, class Fold>
void agrees_with_a_scan(Fold fold) {
  constexpr std::uint32_t kFrames = 9;
  HookBits bits(kFrames);
  P policy(bits.context(), {});
  std::vector<std::uint64_t> counter(kFrames, 0), loaded(kFrames, 0);
  std::uint64_t loads = 0;
  Rng rng(5);
  for (FrameId f = 0; f < kFrames; ++f) {
    policy.on_map(f);
    loaded[f] = ++loads;
  }
  for (int step = 0; step < 20000; ++step) {
    const std::uint64_t what = rng.below(10);
    if (what < 5) {
      bits.referenced[rng.below(kFrames)] = 1;
    } else if (what < 7) {
      for (FrameId f = 0; f < kFrames; ++f) counter[f] = fold(counter[f], bits.referenced[f]);
      policy.on_tick(step);
      for (FrameId f = 0; f < kFrames; ++f) ASSERT_EQ(bits.referenced[f], 0);
    } else {
      FrameId expected = 0;
      for (FrameId f = 1; f < kFrames; ++f) {
        if (counter[f] < counter[expected] ||
            (counter[f] == counter[expected] && loaded[f] < loaded[expected])) {
          expected = f;
        }
      }
      ASSERT_EQ(policy.select_victim(), expected) << "step " << step;
      if (rng.below(2) == 0) {
        ASSERT_EQ(policy.select_victim(), expected) << "asked twice";
      }
      policy.on_unmap(expected);
      bits.referenced[expected] = 0;
      policy.on_map(expected);
      counter[expected] = 0;
      loaded[expected] = ++loads;
      bits.referenced[expected] = 1;
    }
  }
}

TEST(SampledCounterHooks, HeapAgreesWithAScan) {
  agrees_with_a_scan<Nfu>([](std::uint64_t c, std::uint64_t bit) { return c + bit; });
  agrees_with_a_scan<Aging>(
      [](std::uint64_t c, std::uint64_t bit) { return (c >> 1) | (bit << 7); });
}

// 64-bit counters keep every tick: a page referenced in the newest tick outranks all others.
TEST(AgingHooks, SixtyFourBitCounters) {
  HookBits bits(2);
  Aging aging(bits.context(), {.tick = 1, .bits = 64});
  aging.on_map(0);
  aging.on_map(1);
  bits.referenced = {1, 0};
  aging.on_tick(0);
  EXPECT_EQ(aging.counter(0), std::uint64_t{1} << 63);
  bits.referenced = {0, 1};
  aging.on_tick(1);
  EXPECT_EQ(aging.counter(0), std::uint64_t{1} << 62);
  EXPECT_EQ(aging.counter(1), std::uint64_t{1} << 63);
  EXPECT_EQ(aging.select_victim(), 0U);
}

}  // namespace
}  // namespace vmsim::test
