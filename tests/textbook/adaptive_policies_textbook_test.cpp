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

// LIRS's HIR share is rounded down, to at least one frame. 3 frames, 1 2 3 4:
//   hir=0.5: 1.5 -> 1 HIR frame, so 1 and 2 are LIR, 3 is the resident HIR page: 4 evicts 3.
//   hir=0.9: 2.7 -> 2 HIR frames, 1 is LIR, Q = [2 3]: 4 evicts 2.
//   hir=0:   at least 1 HIR frame, as hir=0.5.
// Rounded to the nearest, 0.5 would give 2 HIR frames (victim 2) and 0.9 all 3 (victim 1).
TEST(AdaptiveTextbook, LirsHirShareIsRoundedDown) {
  const std::vector<std::uint64_t> pages = {1, 2, 3, 4};
  EXPECT_EQ(victims(run_pages("lirs:hir=0.5", 3, pages)),
            (std::vector<std::int64_t>{kFree, kFree, kFree, 3}));
  EXPECT_EQ(victims(run_pages("lirs:hir=0.9", 3, pages)),
            (std::vector<std::int64_t>{kFree, kFree, kFree, 2}));
  EXPECT_EQ(victims(run_pages("lirs:hir=0", 3, pages)),
            (std::vector<std::int64_t>{kFree, kFree, kFree, 3}));
}

// S3-FIFO clears a page's frequency when it moves from S to M (the authors' code inserts a new
// object into M, with its counter zeroed). 4 frames (S evicts while it holds a page, M may hold
// 3.6):
//   1 2 3 4 1 1   S = [4 3 2 1], freq(1) = 2
//   5   S's tail 1 has freq 2 > 1: to M with freq 0; 2 (freq 0) -> G. Victim 2.
//   2   3 -> G; 2 from G into M. 3: 4 -> G; 3 into M. 4: 5 -> G; 4 into M. M = [4 3 2 1], S = []
//   6   S empty: evict from M. Its tail 1 has freq 0: victim 1.
// Had 1 kept its count (2), it would have been reinserted with 1 and 2 evicted instead.
TEST(AdaptiveTextbook, S3FifoClearsTheFrequencyOnTheMoveToMain) {
  const Results r = run_pages("s3fifo", 4, {1, 2, 3, 4, 1, 1, 5, 2, 3, 4, 6});
  const std::vector<std::int64_t> expected = {kFree, kFree, kFree, kFree, 2, 3, 4, 5, 1};
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
// evicted into a test entry), 2 (3 evicted; HAND_cold stops at 4, the next resident cold page,
// passing the hot 1; 2 hits its test entry and turns hot, 1 demoted), 3 (4 evicted), 4 (1 evicted,
// 4 back from its test entry), 5 (3 evicted), 6 (4 evicted).
TEST(AdaptiveTextbook, ClockProVictims) {
  const Results r = run_pages("clock-pro:cold=0.34", 3, {1, 2, 3, 1, 4, 2, 3, 2, 4, 5, 6});
  const std::vector<std::int64_t> expected = {kFree, kFree, kFree, 2, 3, 4, 1, 3, 4};
  EXPECT_EQ(victims(r), expected);
}

// Where HAND_cold rests after a victim decides what it finds at the next fault (section 4.2: it
// "stops at the next resident cold page"). 3 frames, m_c starting at 3; clock from HAND_hot, H hot,
// C cold, t in its test period, N non-resident, * referenced.
//   2 2 4 1     [2Ct* 4Ct 1Ct]
//   5   2* in its test turns hot; HAND_hot ends the tests of 4 and 1 (m_c=1), demotes 2. 4 evicted
//       (forgotten); the hand stops at 1. [1C 2C 5Ct]
//   2 5 hits
//   4   1 evicted; the hand stops at 2. [2C* 5Ct* 4Ct]
//   1   2*: no test, reset, to the head. 5* in its test: hot at the head, m_c=2. 4 evicted ->
//       4N; the hand stops at 2. [4N 2C 5H 1Ct]
//   4   2 evicted; just past it is 5, hot, so the hand stops at 1. 4 is N: hot, m_c=3; HAND_hot
//       demotes 5, ends 1's test (m_c=2), demotes 4. [5C 1C 4C], hand on 1
//   2   1 evicted.  5 hit.
// 8 faults, victims 4 1 4 2 1. A hand left just past 2 would rest on 5, which HAND_hot turned cold
// behind it, and evict 5 at the fault on 2, then fault on 5 (9 faults).
TEST(AdaptiveTextbook, ClockProColdHandStopsAtTheNextResidentColdPage) {
  const Results r = run_pages("clock-pro", 3, {2, 2, 4, 1, 5, 2, 5, 4, 1, 4, 2, 5});
  const std::vector<std::int64_t> expected = {kFree, kFree, kFree, 4, 1, 4, 2, 1};
  EXPECT_EQ(victims(r), expected);
  EXPECT_EQ(r.counters.page_faults, 8U);
}

// The string of ClockProHooks.ReferencedColdPageOutsideItsTestPeriodKeepsItsStatus (the trace is
// there): 2, referenced outside a test period at the faults on 4 and 1, stays cold without a test
// and is evicted at the second fault on 4. 9 faults.
TEST(AdaptiveTextbook, ClockProReferencedColdPageKeepsItsStatus) {
  const Results r = run_pages("clock-pro", 3, {1, 1, 2, 2, 3, 4, 5, 2, 1, 3, 4, 2});
  const std::vector<std::int64_t> expected = {kFree, kFree, kFree, 3, 1, 4, 5, 2, 1};
  EXPECT_EQ(victims(r), expected);
  EXPECT_EQ(r.counters.page_faults, 9U);
}

// The string 1 1 2 3 4 4 3 1 2 3 1 2 with 3 frames (m_c starting at 3):
//   1 1 2 3     [1Ct* 2Ct 3Ct]
//   4   1* turns hot; HAND_hot ends the tests of 2 and 3 (m_c=1) and demotes 1. 2 evicted
//       (forgotten); the hand stops at 3. [3C 1C 4Ct]
//   4 3 1 hits
//   2   3* and 1*: no test, reset, to the head; 4* in its test: hot (m_c=2). 3 evicted, forgotten;
//       the hand stops at 1. [1C 4H 2Ct]
//   3   1 evicted; the next resident cold page is 2 (4 is hot). [4H 2Ct 3Ct], hand on 2
//   1   2 evicted -> 2N; the hand stops at 3. [4H 2N 3Ct 1Ct]
//   2   3 evicted -> 3N. 2 is N: hot (m_c=3); HAND_hot demotes 4, removes 3N (m_c=2), ends 1's
//       test (m_c=1), demotes 2.
// 8 faults, victims 2 3 1 2 3.
TEST(AdaptiveTextbook, ClockProPaperRulesOnARepeatedSet) {
  const Results r = run_pages("clock-pro", 3, {1, 1, 2, 3, 4, 4, 3, 1, 2, 3, 1, 2});
  const std::vector<std::int64_t> expected = {kFree, kFree, kFree, 2, 3, 1, 2, 3};
  EXPECT_EQ(victims(r), expected);
  EXPECT_EQ(r.counters.page_faults, 8U);
}

}  // namespace
}  // namespace vmsim::test
