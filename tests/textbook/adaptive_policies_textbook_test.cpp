// 2Q, ARC, LIRS, CLOCK-Pro, CAR and S3-FIFO through simulate() on reference strings: the victim of
// every fault, worked out by hand from each paper's pseudo-code. The step-by-step list contents
// behind each sequence are in tests/unit/policy/adaptive_policies_hooks_test.cpp, on the same
// strings.
#include <gtest/gtest.h>

#include "support/refs.hpp"

namespace vmsim::test {
namespace {

constexpr std::int64_t kFree = -1;

// ARC, 3 frames. Hit on 1 moves it to T2; then faults, with the case of the pseudo-code:
//   4 IV (2 -> B1), 2 II (3 -> B1, p=1), 5 IV (1 -> B2), 1 III (4 -> B1, p=0), 3 II (2 -> B2,
//   p=1), 2 III (5 -> B1, p=0), 6 IV (1 -> B2), 7 IV (B1 full: drop 4; 6 -> B1), 8 IV (drop 5;
//   7 -> B1), 6 II (3 -> B2, p=1), 7 II (d1 = |B2|/|B1| = 2, p=3; 2 -> B2), 1 III (p=2; 6 -> B2),
//   2 III (p=1 = |T1| and 2 in B2: 8 from T1 -> B1).
TEST(AdaptiveTextbook, ArcVictims) {
  const Results r = run_pages("arc", 3, {1, 2, 3, 1, 4, 2, 5, 1, 3, 2, 6, 7, 8, 6, 7, 1, 2});
  const std::vector<std::int64_t> expected = {kFree, kFree, kFree, 2, 3, 1, 4, 2,
                                              5,     1,     6,     7, 3, 2, 6, 8};
  EXPECT_EQ(victims(r), expected);
  EXPECT_EQ(r.counters.page_faults, 16U);
}

// CAR, 3 frames: 4 (1 referenced -> T2; 2 -> B1), 2 (3 -> B1; p=1), 5 (4 -> B1), hits 1 2,
// 6 (5 -> B1), 3 (6 -> B1), 5 (3 -> B1; p=2), 7 (T2 rotates 1 and 2; 5 -> B2), 5 (1 -> B2; p=1),
// 1 (7 -> B1; p=0).
TEST(AdaptiveTextbook, CarVictims) {
  const Results r = run_pages("car", 3, {1, 2, 3, 1, 4, 2, 5, 1, 2, 6, 3, 5, 7, 5, 1});
  const std::vector<std::int64_t> expected = {kFree, kFree, kFree, 2, 3, 4, 5, 6, 3, 5, 1, 7};
  EXPECT_EQ(victims(r), expected);
  EXPECT_EQ(r.counters.page_faults, 12U);
}

// 2Q, 4 frames (Kin 1, Kout 2): A1in gives up 1 2 3 4 5 6 7 1 in FIFO order while it holds more
// than one page; 2, 4 and 6 come back from A1out into Am; 9 finds |A1in| = 1 and takes Am's LRU, 2.
TEST(AdaptiveTextbook, TwoQVictims) {
  const Results r = run_pages("2q", 4, {1, 2, 3, 4, 1, 5, 6, 2, 2, 7, 1, 4, 8, 6, 9});
  const std::vector<std::int64_t> expected = {kFree, kFree, kFree, kFree, 1, 2, 3,
                                              4,     5,     6,     7,     1, 2};
  EXPECT_EQ(victims(r), expected);
}

// S3-FIFO, 4 frames: 5 (1 seen twice -> M; 2 -> G), 2 (3 -> G; 2 from G into M), 3 (4 -> G;
// 3 into M), 6 7 8 (5 6 7 -> G), 5 (8 -> M overflows it: 1 reinserted, 2 evicted; 5 into M),
// 9 (S empty: 3 reinserted, 8 evicted).
TEST(AdaptiveTextbook, S3FifoVictims) {
  const Results r =
      run_pages("s3fifo", 4, {1, 2, 3, 4, 1, 1, 2, 5, 2, 3, 1, 6, 7, 8, 8, 8, 5, 3, 9});
  const std::vector<std::int64_t> expected = {kFree, kFree, kFree, kFree, 2, 3, 4, 5, 6, 7, 2, 8};
  EXPECT_EQ(victims(r), expected);
}

// S3-FIFO's promotion threshold on 1 2 3 4 1 5 (4 frames): page 1 was hit once in S. By default
// (freq > 1) that is not enough: 1 goes to G and is the victim. With promote=1 it moves to M and
// the next page of S, 2, is evicted instead.
TEST(AdaptiveTextbook, S3FifoPromotionThreshold) {
  const std::vector<std::uint64_t> pages = {1, 2, 3, 4, 1, 5};
  EXPECT_EQ(victims(run_pages("s3fifo", 4, pages)).back(), 1);
  EXPECT_EQ(victims(run_pages("s3fifo:promote=1", 4, pages)).back(), 2);
}

// LIRS, 3 frames (L_lirs 2, L_hirs 1): 4 evicts the HIR page 3; 3 returns while still in S and
// becomes LIR (demoting 2); 4 evicts 2; 2 returns from S (demoting 1, evicting 4); 5 evicts 2,
// the resident HIR page after 1 became LIR again.
TEST(AdaptiveTextbook, LirsVictims) {
  const Results r = run_pages("lirs", 3, {1, 2, 3, 4, 1, 3, 2, 4, 2, 3, 1, 1, 5});
  const std::vector<std::int64_t> expected = {kFree, kFree, kFree, 3, 4, 2, 4, 2};
  EXPECT_EQ(victims(r), expected);
}

// LIRS resists a loop slightly larger than memory where LRU faults on every reference: with 3
// frames and the loop 1 2 3 4, the LIR pages 1 and 2 stay resident and only 3 and 4 compete for
// the HIR frame (hand trace: after warm-up, every round hits 1 and 2 and faults on 3 and 4).
TEST(AdaptiveTextbook, LirsResistsLoops) {
  std::vector<std::uint64_t> loop;
  for (int round = 0; round < 5; ++round)
    for (std::uint64_t p : {1, 2, 3, 4}) loop.push_back(p);
  EXPECT_EQ(faults("lru", 3, loop), 20U);
  EXPECT_EQ(faults("lirs", 3, loop), 2U + 2U * 5U);
}

// CLOCK-Pro, 3 frames, m_c starting at 1: 4 (1 referenced in its test period turns hot; 2
// evicted into a test entry), 2 (3 evicted; 2 hits its test entry and turns hot, 1 demoted),
// 3 (1 evicted), 5 (4 turns hot and is demoted again, 3 evicted), 6 (4 evicted).
TEST(AdaptiveTextbook, ClockProVictims) {
  const Results r = run_pages("clock-pro:cold=0.34", 3, {1, 2, 3, 1, 4, 2, 3, 2, 4, 5, 6});
  const std::vector<std::int64_t> expected = {kFree, kFree, kFree, 2, 3, 1, 3, 4};
  EXPECT_EQ(victims(r), expected);
}

}  // namespace
}  // namespace vmsim::test
