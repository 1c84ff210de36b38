// LFU and MFU through their hooks alone: counts since load, ties by least recent reference, and
// perfect LFU's counts that survive eviction. Each comment gives (frame: count @ time of last
// reference) before the check.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "core/rng.hpp"
#include "policy/page/lfu.hpp"
#include "policy/page/mfu.hpp"
#include "unit/policy/hook_bits.hpp"

namespace vmsim::test {
namespace {

TEST(LfuHooks, FewestReferencesThenLeastRecent) {
  HookBits bits(3);
  Lfu lfu(bits.context(), {});
  load(lfu, 0, 0);
  load(lfu, 1, 1);
  load(lfu, 2, 2);
  EXPECT_EQ(lfu.select_victim(), 0U);  // 0: 1@0, 1: 1@1, 2: 1@2 -> all 1, least recent 0
  lfu.on_access(0, 3);
  EXPECT_EQ(lfu.select_victim(), 1U);  // 0: 2@3, 1: 1@1, 2: 1@2
  lfu.on_access(1, 4);
  EXPECT_EQ(lfu.select_victim(), 2U);  // 0: 2@3, 1: 2@4, 2: 1@2
  lfu.on_access(2, 5);
  lfu.on_access(2, 6);
  EXPECT_EQ(lfu.select_victim(), 0U);  // 0: 2@3, 1: 2@4, 2: 3@6 -> count 2, least recent 0
  lfu.on_unmap(0);
  load(lfu, 0, 7);                     // a new page in frame 0 starts again at 1
  EXPECT_EQ(lfu.select_victim(), 0U);  // 0: 1@7, 1: 2@4, 2: 3@6
}

TEST(LfuHooks, CountsRestartWhenAPageIsLoadedAgain) {
  HookBits bits(2);
  bits.page_key = {10, 11};
  Lfu lfu(bits.context(), {});
  load(lfu, 0, 0);
  lfu.on_access(0, 1);
  lfu.on_access(0, 2);  // page 10: 3
  load(lfu, 1, 3);      // page 11: 1
  EXPECT_EQ(lfu.select_victim(), 1U);
  lfu.on_unmap(0);  // page 10 leaves with 3 references ...
  bits.page_key[0] = 10;
  load(lfu, 0, 4);                     // ... and comes back with 1
  EXPECT_EQ(lfu.select_victim(), 1U);  // tie at 1: page 11 (@3) is less recent than page 10 (@4)
  lfu.on_access(1, 5);
  EXPECT_EQ(lfu.select_victim(), 0U);  // page 10: 1, page 11: 2
}

// The same script with perfect=1: page 10 comes back with its 3 references, plus the faulting one.
TEST(LfuHooks, PerfectKeepsTheCountsOfEvictedPages) {
  HookBits bits(2);
  bits.page_key = {10, 11};
  Lfu lfu(bits.context(), {.perfect = true});
  load(lfu, 0, 0);
  lfu.on_access(0, 1);
  lfu.on_access(0, 2);  // page 10: 3
  load(lfu, 1, 3);      // page 11: 1
  lfu.on_unmap(0);
  load(lfu, 0, 4);                     // page 10: 4
  EXPECT_EQ(lfu.select_victim(), 1U);  // page 11: 1
  lfu.on_unmap(1);                     // page 11 leaves with 1 ...
  bits.page_key[1] = 12;
  load(lfu, 1, 5);  // page 12: 1
  lfu.on_access(1, 6);
  lfu.on_access(1, 7);
  lfu.on_access(1, 8);
  lfu.on_access(1, 9);                 // page 12: 5
  EXPECT_EQ(lfu.select_victim(), 0U);  // page 10: 4
  lfu.on_unmap(0);
  bits.page_key[0] = 11;
  load(lfu, 0, 10);                    // ... and page 11 comes back with 2
  EXPECT_EQ(lfu.select_victim(), 0U);  // page 11: 2, page 12: 5
  lfu.on_unmap(1);                     // page 12 leaves with 5
  bits.page_key[1] = 10;
  load(lfu, 1, 11);  // page 10 comes back: 5, more recent than page 11's last reference
  lfu.on_access(0, 12);
  lfu.on_access(0, 13);
  lfu.on_access(0, 14);                // page 11: 5 @14, page 10: 5 @11
  EXPECT_EQ(lfu.select_victim(), 1U);  // tie at 5: page 10 is the less recent
}

TEST(MfuHooks, MostReferencesThenLeastRecent) {
  HookBits bits(3);
  Mfu mfu(bits.context(), {});
  load(mfu, 0, 0);
  load(mfu, 1, 1);
  load(mfu, 2, 2);
  EXPECT_EQ(mfu.select_victim(), 0U);  // all 1: least recent 0
  mfu.on_access(1, 3);
  EXPECT_EQ(mfu.select_victim(), 1U);  // 1: 2@3
  mfu.on_access(2, 4);
  EXPECT_EQ(mfu.select_victim(), 1U);  // 1: 2@3, 2: 2@4 -> least recent of the two
  mfu.on_access(2, 5);
  EXPECT_EQ(mfu.select_victim(), 2U);  // 2: 3@5
  mfu.on_unmap(2);
  load(mfu, 2, 6);                     // a new page starts at 1
  EXPECT_EQ(mfu.select_victim(), 1U);  // 0: 1@0, 1: 2@3, 2: 1@6
}

// The bucket structure against a plain scan over (count, last reference) on random operations,
// including perfect LFU's reloads with an old count, which insert in the middle of the buckets.
TEST(FrequencyHooks, BucketsAgreeWithAScan) {
  constexpr std::uint32_t kFrames = 6;
  for (const bool perfect : {false, true}) {
    HookBits bits(kFrames);
    Lfu lfu(bits.context(), {.perfect = perfect});
    Mfu mfu(bits.context(), {});
    // count: LFU's (perfect or not); since_load: MFU's, which always starts afresh.
    std::vector<std::uint64_t> count(kFrames, 0), since_load(kFrames, 0), last(kFrames, 0);
    std::vector<std::uint64_t> saved(20, 0);
    Rng rng(11);
    std::uint64_t now = 0;
    for (FrameId f = 0; f < kFrames; ++f) {
      bits.page_key[f] = f;
      load(lfu, f, now);
      load(mfu, f, now);
      count[f] = since_load[f] = 1;
      last[f] = now++;
    }
    for (int step = 0; step < 5000; ++step) {
      if (rng.below(4) == 0) {
        // A fault: LFU's victim leaves both policies (any resident frame may be unmapped) and
        // another of 20 pages comes in.
        FrameId expect_lfu = 0, expect_mfu = 0;
        for (FrameId f = 1; f < kFrames; ++f) {
          if (count[f] < count[expect_lfu] ||
              (count[f] == count[expect_lfu] && last[f] < last[expect_lfu])) {
            expect_lfu = f;
          }
          if (since_load[f] > since_load[expect_mfu] ||
              (since_load[f] == since_load[expect_mfu] && last[f] < last[expect_mfu])) {
            expect_mfu = f;
          }
        }
        ASSERT_EQ(lfu.select_victim(), expect_lfu) << "step " << step;
        ASSERT_EQ(mfu.select_victim(), expect_mfu) << "step " << step;
        const FrameId f = expect_lfu;
        saved[bits.page_key[f]] = count[f];
        lfu.on_unmap(f);
        mfu.on_unmap(f);
        std::uint64_t page;
        do {
          page = rng.below(20);
        } while (std::find(bits.page_key.begin(), bits.page_key.end(), page) !=
                 bits.page_key.end());
        bits.page_key[f] = page;
        load(lfu, f, now);
        load(mfu, f, now);
        count[f] = (perfect ? saved[page] : 0) + 1;
        since_load[f] = 1;
        last[f] = now++;
      } else {
        const auto f = static_cast<FrameId>(rng.below(kFrames));
        lfu.on_access(f, now);
        mfu.on_access(f, now);
        ++count[f];
        ++since_load[f];
        last[f] = now++;
      }
    }
  }
}

}  // namespace
}  // namespace vmsim::test
