// LRU-K through its hooks alone. Comments give each page as {HIST(p,1), HIST(p,2)} with "-" for
// "no such reference" (infinite backward distance), in reference indices.
#include <gtest/gtest.h>

#include "policy/page/lru_k.hpp"
#include "unit/policy/hook_bits.hpp"
#include "vmsim/error.hpp"

namespace vmsim::test {
namespace {

TEST(LruKHooks, FewerThanKReferencesGoFirstByLeastRecent) {
  HookBits bits(3);
  LruK lru2(bits.context(), {});
  load(lru2, 0, 0);
  load(lru2, 1, 1);
  load(lru2, 2, 2);
  EXPECT_EQ(lru2.select_victim(), 0U);  // {0,-} {1,-} {2,-}: all infinite, least recent 0
  lru2.on_access(0, 3);
  EXPECT_EQ(lru2.select_victim(), 1U);  // {3,0} {1,-} {2,-}
  lru2.on_access(1, 4);
  EXPECT_EQ(lru2.select_victim(), 2U);  // {3,0} {4,1} {2,-}
  lru2.on_access(2, 5);
  EXPECT_EQ(lru2.select_victim(), 0U);  // {3,0} {4,1} {5,2}: oldest second reference
  lru2.on_access(0, 6);
  EXPECT_EQ(lru2.select_victim(), 1U);  // {6,3} {4,1} {5,2}
}

// Where LRU-2 and LRU part: a page used twice long ago outranks a page used once just now.
TEST(LruKHooks, OneRecentReferenceLosesToTwoOlderOnes) {
  HookBits bits(2);
  LruK lru2(bits.context(), {});
  load(lru2, 0, 0);
  lru2.on_access(0, 1);                 // {1,0}
  load(lru2, 1, 2);                     // {2,-}
  EXPECT_EQ(lru2.select_victim(), 1U);  // LRU would evict frame 0
}

TEST(LruKHooks, KOneIsLru) {
  HookBits bits(3);
  LruK lru1(bits.context(), {.k = 1, .crp = 0, .history = 0});
  load(lru1, 0, 0);
  load(lru1, 1, 1);
  load(lru1, 2, 2);
  lru1.on_access(0, 3);
  EXPECT_EQ(lru1.select_victim(), 1U);
  lru1.on_access(1, 4);
  EXPECT_EQ(lru1.select_victim(), 2U);
}

// Pages 20 (frame 1) and 10, 11 (frame 0); the history of evicted pages brings page 10 back with
// its earlier reference.
TEST(LruKHooks, EvictedPagesKeepTheirHistory) {
  for (const std::uint64_t history : {1, 2}) {
    HookBits bits(2);
    LruK lru2(bits.context(), {.k = 2, .crp = 0, .history = history});
    bits.page_key = {10, 20};
    load(lru2, 1, 0);
    lru2.on_access(1, 1);                 // page 20 {1,0}
    load(lru2, 0, 2);                     // page 10 {2,-}
    EXPECT_EQ(lru2.select_victim(), 0U);  // infinite
    lru2.on_unmap(0);                     // remembered: page 10 {2,-}
    bits.page_key[0] = 11;
    load(lru2, 0, 3);  // page 11 {3,-}
    EXPECT_EQ(lru2.select_victim(), 0U);
    lru2.on_unmap(0);  // remembered: page 11 {3,-}; with history=1 page 10's is dropped
    bits.page_key[0] = 10;
    load(lru2, 0, 4);
    if (history == 2) {
      EXPECT_EQ(lru2.select_victim(), 1U);  // page 10 {4,2} against page 20 {1,0}
    } else {
      EXPECT_EQ(lru2.select_victim(), 0U);  // page 10 {4,-}: forgotten, infinite again
    }
  }
}

// crp=2: a reference within 2 of the page's last one is correlated: it moves LAST only, and a page
// referenced within the last 2 references cannot be evicted.
TEST(LruKHooks, CorrelatedReferencePeriod) {
  HookBits bits(3);
  bits.page_key = {1, 2, 3};
  LruK lru2(bits.context(), {.k = 2, .crp = 2, .history = 0});
  load(lru2, 0, 0);      // page in frame 0: {0,-}, LAST 0
  load(lru2, 1, 1);      // {1,-}, LAST 1
  load(lru2, 2, 2);      // {2,-}, LAST 2
  lru2.on_access(0, 3);  // 3 - 0 > 2, uncorrelated: {3,0}, LAST 3
  lru2.on_access(2, 4);  // 4 - 2 <= 2, correlated: still {2,-}, LAST 4
  lru2.on_access(1, 5);  // 5 - 1 > 2: {5,1}, LAST 5
  // Fault at 6. By priority: frame 2 (infinite), then 0 (second reference at 0), then 1. Frame 2
  // was referenced at 4 (6 - 4 <= 2) and frame 1 at 5: only frame 0 is eligible.
  EXPECT_EQ(lru2.select_victim(), 0U);
  lru2.on_unmap(0);
  bits.page_key[0] = 4;
  load(lru2, 0, 6);  // a new page: {6,-}, LAST 6
  // Fault at 7: frame 2 (LAST 4, infinite) is eligible again and comes first.
  EXPECT_EQ(lru2.select_victim(), 2U);
}

// After an uncorrelated reference the paper shifts HIST by the length of the correlated period
// that just closed (LAST(p) - HIST(p,1)), so a burst counts as one reference at its end.
TEST(LruKHooks, CorrelatedBurstCountsAsOneReferenceAtItsEnd) {
  HookBits bits(3);
  LruK lru2(bits.context(), {.k = 2, .crp = 2, .history = 0});
  load(lru2, 0, 0);      // A {0,-}, LAST 0
  load(lru2, 1, 1);      // B {1,-}, LAST 1
  lru2.on_access(0, 2);  // A: 2 - 0 <= 2, correlated: {0,-}, LAST 2
  lru2.on_access(1, 5);  // B: 5 - 1 > 2; the closed period has length 1 - 1 = 0: {5,1}
  lru2.on_access(0, 6);  // A: 6 - 2 > 2; the closed period has length 2 - 0 = 2: {6,2}
  load(lru2, 2, 7);      // C {7,-}
  lru2.on_access(2, 8);  // C: correlated, LAST 8
  // Fault at 9: C (infinite) is within its correlated period. Of A {6,2} and B {5,1}, B's second
  // reference is older. Without the correction A would be {6,0} and go instead.
  EXPECT_EQ(lru2.select_victim(), 1U);
}

TEST(LruKHooks, RejectsKOutOfRange) {
  HookBits bits(2);
  EXPECT_THROW(LruK(bits.context(), {.k = 0, .crp = 0, .history = 0}), Error);
  EXPECT_THROW(LruK(bits.context(), {.k = 65, .crp = 0, .history = 0}), Error);
}

}  // namespace
}  // namespace vmsim::test
