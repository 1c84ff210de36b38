// MRU, enhanced second chance and SIEVE through their hooks alone. Bits are set by hand as the
// access path would set them; comments give each frame's state before the check.
#include <gtest/gtest.h>

#include <vector>

#include "core/rng.hpp"
#include "policy/page/enhanced_clock.hpp"
#include "policy/page/mru.hpp"
#include "policy/page/sieve.hpp"
#include "unit/policy/hook_bits.hpp"

namespace vmsim::test {
namespace {

TEST(MruHooks, EvictsTheMostRecentReference) {
  HookBits bits(3);
  Mru mru(bits.context(), {});
  load(mru, 0, 0);
  load(mru, 1, 1);
  load(mru, 2, 2);
  EXPECT_EQ(mru.select_victim(), 2U);  // last references: 0@0 1@1 2@2
  mru.on_access(0, 3);
  EXPECT_EQ(mru.select_victim(), 0U);
  mru.on_unmap(0);
  EXPECT_EQ(mru.select_victim(), 2U);  // next most recent
  load(mru, 0, 4);
  EXPECT_EQ(mru.select_victim(), 0U);
}

// Classes (referenced, dirty) per frame; ^ marks the hand.
TEST(EnhancedClockHooks, LowestClassFirstInHandOrder) {
  HookBits bits(4);
  EnhancedClock clock(bits.context(), {});
  // ^0:(1,1) 1:(1,0) 2:(0,1) 3:(0,0). Turn 1 finds (0,0) at 3 and changes no bit.
  bits.referenced = {1, 1, 0, 0};
  bits.dirty = {1, 0, 1, 0};
  EXPECT_EQ(clock.select_victim(), 3U);
  EXPECT_EQ(bits.referenced, (std::vector<std::uint8_t>{1, 1, 0, 0}));
  // The new page in 3 is (1,0); the hand moved past it to 0.
  // ^0:(1,1) 1:(1,0) 2:(0,1) 3:(1,0). Turn 1: no (0,0). Turn 2 clears 0 and 1, takes 2 (0,1).
  bits.referenced[3] = 1;
  bits.dirty[3] = 0;
  EXPECT_EQ(clock.select_victim(), 2U);
  EXPECT_EQ(bits.referenced, (std::vector<std::uint8_t>{0, 0, 0, 1}));
  // The new page in 2 is (1,1).
  // 0:(0,1) 1:(0,0) 2:(1,1) ^3:(1,0). Turn 1 from 3: 3, 0, then 1 is (0,0).
  bits.referenced[2] = 1;
  bits.dirty[2] = 1;
  EXPECT_EQ(clock.select_victim(), 1U);
  EXPECT_EQ(bits.referenced, (std::vector<std::uint8_t>{0, 0, 1, 1}));
  // The new page in 1 is (1,0).
  // 0:(0,1) 1:(1,0) ^2:(1,1) 3:(1,0). Turn 1: none. Turn 2 clears 2 and 3, takes 0 (0,1).
  bits.referenced[1] = 1;
  EXPECT_EQ(clock.select_victim(), 0U);
  EXPECT_EQ(bits.referenced, (std::vector<std::uint8_t>{0, 1, 0, 0}));
}

// Every page referenced and dirty: turn 1 finds no (0,0); turn 2 finds each frame (1,1) when it
// reaches it and clears its referenced bit; turn 3 again finds no (0,0); turn 4 takes the first
// (0,1): the frame under the hand.
TEST(EnhancedClockHooks, FourTurnsWhenEveryPageIsReferencedAndDirty) {
  HookBits bits(3);
  EnhancedClock clock(bits.context(), {});
  bits.referenced = {1, 1, 1};
  bits.dirty = {1, 1, 1};
  EXPECT_EQ(clock.select_victim(), 0U);
  EXPECT_EQ(bits.referenced, (std::vector<std::uint8_t>{0, 0, 0}));
  EXPECT_EQ(bits.dirty, (std::vector<std::uint8_t>{1, 1, 1}));  // never cleared by the policy
}

// Every page referenced and clean: turn 2 clears every bit, turn 3 takes the frame under the hand.
TEST(EnhancedClockHooks, ThreeTurnsWhenEveryPageIsReferencedAndClean) {
  HookBits bits(3);
  EnhancedClock clock(bits.context(), {});
  bits.referenced = {1, 1, 1};
  EXPECT_EQ(clock.select_victim(), 0U);
  EXPECT_EQ(bits.referenced, (std::vector<std::uint8_t>{0, 0, 0}));
  EXPECT_EQ(clock.select_victim(), 1U);  // the hand moved past 0; 1 is now (0,0)
}

// The policy's bitmap search for turn 1 against the plain four-turn scan, on random references
// and faults as the kernel model makes them (dirty bits cleared only when a page is evicted).
TEST(EnhancedClockHooks, AgreesWithAPlainScan) {
  for (const std::uint32_t frames : {1U, 5U, 64U, 130U}) {
    HookBits bits(frames);
    EnhancedClock clock(bits.context(), {});
    std::vector<std::uint8_t> ref(frames, 0), dirty(frames, 0);
    FrameId hand = 0;
    const auto advance = [&] { hand = hand + 1 == frames ? 0 : hand + 1; };
    const auto scan = [&]() -> FrameId {
      for (;;) {
        for (std::uint32_t i = 0; i < frames; ++i, advance()) {
          if (ref[hand] == 0 && dirty[hand] == 0) return hand;
        }
        for (std::uint32_t i = 0; i < frames; ++i, advance()) {
          if (ref[hand] == 0 && dirty[hand] != 0) return hand;
          ref[hand] = 0;
        }
      }
    };
    Rng rng(frames);
    // Memory fills: every frame loaded and referenced once.
    for (FrameId f = 0; f < frames; ++f) {
      clock.on_map(f);
      bits.referenced[f] = ref[f] = 1;
    }
    for (int step = 0; step < 20000; ++step) {
      if (rng.below(3) != 0) {
        const auto f = static_cast<FrameId>(rng.below(frames));
        bits.referenced[f] = ref[f] = 1;
        if (rng.below(3) == 0) bits.dirty[f] = dirty[f] = 1;
        continue;
      }
      const FrameId expected = scan();
      advance();
      ASSERT_EQ(clock.select_victim(), expected) << frames << " frames, step " << step;
      ASSERT_EQ(bits.referenced, ref) << "step " << step;
      clock.on_unmap(expected);
      bits.referenced[expected] = ref[expected] = 0;
      bits.dirty[expected] = dirty[expected] = 0;
      clock.on_map(expected);
      bits.referenced[expected] = ref[expected] = 1;  // the faulting reference
      if (rng.below(4) == 0) bits.dirty[expected] = dirty[expected] = 1;
    }
  }
}

// Queue from the tail (oldest) to the head (newest); * marks visited, ^ the hand.
TEST(SieveHooks, HandPersistsAndSurvivorsKeepTheirPlace) {
  HookBits bits(4);
  Sieve sieve(bits.context(), {});
  for (FrameId f = 0; f < 4; ++f) sieve.on_map(f);
  // 0* 1 2* 3 (no hand yet: start at the tail). 0 is cleared and kept, 1 evicted, hand -> 2.
  bits.referenced = {1, 0, 1, 0};
  EXPECT_EQ(sieve.select_victim(), 1U);
  EXPECT_EQ(bits.referenced, (std::vector<std::uint8_t>{0, 0, 1, 0}));
  sieve.on_unmap(1);
  sieve.on_map(1);  // new page at the head, unvisited
  // 0 ^2* 3* 1: 2 and 3 are cleared; 1 (just loaded, unvisited) is evicted; the hand runs off the
  // head.
  bits.referenced[3] = 1;
  EXPECT_EQ(sieve.select_victim(), 1U);
  EXPECT_EQ(bits.referenced, (std::vector<std::uint8_t>{0, 0, 0, 0}));
  sieve.on_unmap(1);
  sieve.on_map(1);
  // 0 2 3 1, hand past the head: start again at the tail. 0 kept its place at the tail (Clock
  // would have moved it behind the newer pages) and goes now.
  EXPECT_EQ(sieve.select_victim(), 0U);
  sieve.on_unmap(0);
  sieve.on_map(0);
  // ^2 3 1 0, all unvisited: the hand stayed on 2.
  EXPECT_EQ(sieve.select_victim(), 2U);
}

TEST(SieveHooks, AllVisitedClearsEveryBitAndEvictsWhereTheHandStarted) {
  HookBits bits(3);
  Sieve sieve(bits.context(), {});
  for (FrameId f = 0; f < 3; ++f) sieve.on_map(f);
  bits.referenced = {1, 1, 1};
  EXPECT_EQ(sieve.select_victim(), 0U);
  EXPECT_EQ(bits.referenced, (std::vector<std::uint8_t>{0, 0, 0}));
  EXPECT_EQ(sieve.select_victim(), 1U);  // 0 not yet unmapped: the hand moved on to 1
}

TEST(SieveHooks, UnmappingThePageUnderTheHandMovesTheHand) {
  HookBits bits(3);
  Sieve sieve(bits.context(), {});
  for (FrameId f = 0; f < 3; ++f) sieve.on_map(f);
  bits.referenced = {1, 0, 0};
  EXPECT_EQ(sieve.select_victim(), 1U);  // hand -> 2
  sieve.on_unmap(1);
  sieve.on_unmap(2);  // e.g. its process exited: the hand moves to the next newer page (none)
  sieve.on_map(1);
  sieve.on_map(2);
  // 0 1 2, hand past the head: from the tail, 0 is unvisited (cleared above).
  EXPECT_EQ(sieve.select_victim(), 0U);
}

}  // namespace
}  // namespace vmsim::test
