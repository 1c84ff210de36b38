// Pages freed with their process (on_discard) leave nothing behind in the policies that remember
// evicted pages, so a page that comes back starts as a new one; an eviction of the same page
// (on_unmap) would have left a non-resident entry, a count or a history. Worked by hand from each
// policy's definition (see the comment at the top of its header).
#include <gtest/gtest.h>

#include "policy/page/clock_pro.hpp"
#include "policy/page/lfu.hpp"
#include "policy/page/lirs.hpp"
#include "policy/page/lru_k.hpp"
#include "unit/policy/driver.hpp"

namespace vmsim::test {
namespace {

TEST(DiscardHooks, ClockProKeepsNoNonResidentEntry) {
  // 1 2 3 are cold pages in their test period. Evicting one in its test period leaves a
  // non-resident entry (ClockProHooks tests); freeing 1 leaves none, so 1 comes back cold, in a
  // test period again, into the freed frame.
  Driver<ClockPro> d(3);
  for (const std::uint64_t page : {1, 2, 3}) d.ref(page);
  ASSERT_TRUE(d.policy().in_test(d.frame(1)));
  d.free(1);
  EXPECT_EQ(d.policy().nonresident_pages(), 0U);
  EXPECT_EQ(d.policy().cold_pages(), 2U);
  EXPECT_EQ(d.ref(1), kFree);
  EXPECT_FALSE(d.policy().is_hot(d.frame(1)));
  EXPECT_TRUE(d.policy().in_test(d.frame(1)));
  EXPECT_EQ(d.policy().nonresident_pages(), 0U);
}

TEST(DiscardHooks, LirsKeepsNoNonResidentEntryInTheStack) {
  // 3 frames, L_hirs = 1: 1 and 2 become LIR, 3 resident HIR in S and Q. Evicted, 3 would stay in
  // S as non-resident and return as LIR (case 3(a)); freed, it leaves S, and returns as HIR
  // (case 3(b): the LIR set is full).
  Driver<Lirs> d(3);
  for (const std::uint64_t page : {1, 2, 3}) d.ref(page);
  ASSERT_TRUE(d.policy().in_stack(d.frame(3)));
  d.free(3);
  EXPECT_EQ(d.policy().nonresident_in_stack(), 0U);
  EXPECT_EQ(d.ref(3), kFree);
  EXPECT_FALSE(d.policy().is_lir(d.frame(3)));
  EXPECT_TRUE(d.policy().in_queue(d.frame(3)));
  // Freeing a LIR page lowers the LIR count, so the next new page is LIR while memory fills.
  d.free(1);
  EXPECT_EQ(d.policy().lir_pages(), 1U);
  EXPECT_EQ(d.ref(4), kFree);
  EXPECT_TRUE(d.policy().is_lir(d.frame(4)));
}

TEST(DiscardHooks, PerfectLfuKeepsNoCount) {
  // 2 frames. Page 1 is referenced 3 times, page 2 twice; 1 is freed and comes back with a count
  // of 1, so 3's fault evicts 1 (1 < 2). Had 1 been evicted, perfect LFU would have kept its 3
  // and 2 would go.
  Driver<Lfu> d(2, Lfu::Params{.perfect = true});
  for (const std::uint64_t page : {1, 1, 1, 2, 2}) d.ref(page);
  d.free(1);
  EXPECT_EQ(d.ref(1), kFree);
  EXPECT_EQ(d.ref(3), 1);
}

TEST(DiscardHooks, LruKKeepsNoHistory) {
  // LRU-2, 2 frames: 2 2 1 1 give both pages two references. 1 is freed and comes back with one
  // reference, an infinite backward 2-distance, so 3's fault evicts it. Had 1 been evicted, its
  // history would have come back with it (HIST = t4, t3) and the older 2, with HIST = t1, t0,
  // would go.
  Driver<LruK> d(2);
  for (const std::uint64_t page : {2, 2, 1, 1}) d.ref(page);
  d.free(1);
  EXPECT_EQ(d.ref(1), kFree);
  EXPECT_EQ(d.ref(3), 1);
}

}  // namespace
}  // namespace vmsim::test
