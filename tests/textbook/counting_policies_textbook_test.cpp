// LFU, MFU, NFU and aging through simulate() on the textbook reference strings. No textbook prints
// these policies' counts for these strings, so every expected value is worked out by hand below.
// Notation: page:count@time of last reference; "-p" is the page evicted.
#include <gtest/gtest.h>

#include "support/refs.hpp"

namespace vmsim::test {
namespace {

// LFU (counts since load, ties to the least recent), Silberschatz's string, 3 frames:
//   7 0 1 fill: 7:1@0 0:1@1 1:1@2
//   2 (all 1, least recent) -7 | 0 hit 0:2 | 3 (1:1@2, 2:1@3) -1 | 0 hit 0:3
//   4 (2:1@3, 3:1@5) -2 | 2 (3:1@5, 4:1@7) -3 | 3 (4:1@7, 2:1@8) -4 | 0 hit 0:4 | 3 hit 3:2
//   2 hit 2:2 | 1 (3:2@11, 2:2@12) -3 | 2 hit 2:3 | 0 hit 0:5 | 1 hit 1:2 | 7 (1:2) -1 | 0 hit
//   1 (7:1) -7                                                                   -> 11 faults
TEST(Textbook, LfuSilberschatzString) {
  const Results r = run_pages("lfu", 3, kSilberschatz);
  EXPECT_EQ(r.counters.page_faults, 11U);
  const std::vector<std::int64_t> expected = {-1, -1, -1, 7, 1, 2, 3, 4, 3, 1, 7};
  EXPECT_EQ(victims(r), expected);
}

// Perfect LFU on the same string: a reloaded page brings its old count, yet the victims are the
// same: 2 returns at 8 with 2 (3:1, 4:1 lower), 3 at 9 with 2 (4:1 lower), 1 at 13 with 2 (evicts
// 3:3@11 over 2:3@12), 7 at 17 with 2 (0:5 2:4 1:3 -> -1), 1 at 19 with 4 (2:4@14 vs 7:2 -> -7).
TEST(Textbook, PerfectLfuSilberschatzString) {
  const Results r = run_pages("lfu:perfect=1", 3, kSilberschatz);
  const std::vector<std::int64_t> expected = {-1, -1, -1, 7, 1, 2, 3, 4, 3, 1, 7};
  EXPECT_EQ(victims(r), expected);
}

// Belady's string: LFU 10 faults with 3 frames, 8 with 4.
//   3 frames: 1 2 3 | 4 -1 | 1 -2 | 2 -3 | 5 -4 | 1 hit 1:2 | 2 hit 2:2 | 3 -5 | 4 -3 | 5 -4
//   4 frames: 1 2 3 4 | 1 2 hit (2 each) | 5 (3:1@2, 4:1@3) -3 | 1 2 hit (3 each) | 3 -4 | 4 -5 |
//   5 -3
TEST(Textbook, LfuBeladyString) {
  EXPECT_EQ(faults("lfu", 3, kBelady), 10U);
  EXPECT_EQ(faults("lfu", 4, kBelady), 8U);
  EXPECT_EQ(faults("lfu:perfect=1", 3, kBelady), 10U);
  EXPECT_EQ(faults("lfu:perfect=1", 4, kBelady), 8U);
}

// The textbook LFU is not a stack algorithm and shows Belady's anomaly. On 0 0 1 2 1 2 3 0 3 0:
//   2 frames: 0 (0:2 after the hit) | 1 | 2 -1 | 1 -2 | 2 -1 | 3 -2 | 0 hit | 3 hit | 0 hit -> 6
//   3 frames: 0 (0:2) | 1 | 2 | 1 hit 1:2@4 | 2 hit 2:2@5 | 3 (all 2, least recent 0) -0 |
//             0 (3:1) -3 | 3 (0:1) -0 | 0 (3:1) -3                                   -> 7
// The reference at 7 hits with 2 frames and faults with 3: in the larger memory pages 1 and 2
// stay long enough to catch up with 0's two references, and the tie goes against 0, the least
// recently used.
// Perfect LFU keeps 0's count 2 through its eviction: 3 frames, 0 returns at 7 with 3 and stays,
// 8 faults with 2 frames and 6 with 3.
TEST(Textbook, LfuWithCountsResetShowsBeladysAnomaly) {
  const std::vector<std::uint64_t> refs = {0, 0, 1, 2, 1, 2, 3, 0, 3, 0};
  EXPECT_EQ(faults("lfu", 2, refs), 6U);
  EXPECT_EQ(faults("lfu", 3, refs), 7U);
  EXPECT_EQ(faults("lfu:perfect=1", 2, refs), 8U);
  EXPECT_EQ(faults("lfu:perfect=1", 3, refs), 6U);
}

// MFU, Silberschatz's string, 3 frames (counts since load, ties to the least recent):
//   7 0 1 | 2 (all 1) -7 | 0 hit 0:2 | 3 -0 (the only 2) | 0 (all 1: 1@2 2@3 3@5) -1 |
//   4 -2 | 2 -3 | 3 -0 | 0 -4 | 3 hit 3:2 | 2 hit 2:2 | 1 (3:2@11, 2:2@12) -3 | 2 hit 2:3 |
//   0 hit 0:2 | 1 hit 1:2 | 7 (2:3) -2 | 0 hit | 1 hit                       -> 12 faults
TEST(Textbook, MfuSilberschatzString) {
  const Results r = run_pages("mfu", 3, kSilberschatz);
  EXPECT_EQ(r.counters.page_faults, 12U);
  const std::vector<std::int64_t> expected = {-1, -1, -1, 7, 0, 1, 2, 3, 0, 4, 3, 2};
  EXPECT_EQ(victims(r), expected);
}

// NFU with the default tick (one per 3 references with 3 frames: after references 2, 5, 8, 11,
// 14, 17, counting from 0). Counters in brackets; R = referenced since the last tick; ties go to
// the page loaded first.
//   7 0 1 fill, tick: [7:1 0:1 1:1]
//   2: all 1, 7 loaded first -7 | 0 R | 3: [0:1 1:1 2:0] -2; tick: [0:2 1:1 3:1]
//   0 R | 4: [0:2 1:1 3:1], 1 loaded before 3 -1 | 2: [0:2 3:1 4:0] -4; tick: [0:3 3:1 2:1]
//   3 0 3 hits; tick: [0:4 3:2 2:1] | 2 R | 1: -2 (1) | 2: [0:4 3:2 1:0] -1; tick: [0:4 3:2 2:1]
//   0 R | 1: -2 | 7: [0:4 3:2 1:0] -1; tick: [0:5 3:2 7:1] | 0 hit | 1: -7        -> 12 faults
TEST(Textbook, NfuSilberschatzString) {
  const Results r = run_pages("nfu", 3, kSilberschatz);
  EXPECT_EQ(r.counters.page_faults, 12U);
  const std::vector<std::int64_t> expected = {-1, -1, -1, 7, 2, 1, 4, 2, 1, 2, 1, 7};
  EXPECT_EQ(victims(r), expected);
}

// NFU ticking after every reference counts references since load, like LFU, but breaks ties by
// load order instead of recency: at reference 13 (page 1) pages 2 and 3 both have 2; LFU evicts 3
// (less recently used), NFU evicts 2 (loaded first, at 8, 3 at 9). From there:
//   2 (0:4 3:2 1:1) -1 | 0 hit | 1 (2:1) -2 | 7 (1:1) -1 | 0 hit | 1 (7:1) -7    -> 13 faults
TEST(Textbook, NfuTickingEveryReferenceCountsLikeLfuButTiesByLoadOrder) {
  const Results r = run_pages("nfu:tick=1", 3, kSilberschatz);
  EXPECT_EQ(r.counters.page_faults, 13U);
  const std::vector<std::int64_t> expected = {-1, -1, -1, 7, 1, 2, 3, 4, 2, 1, 2, 1, 7};
  EXPECT_EQ(victims(r), expected);
}

// Aging, 8-bit counters, default tick (every 3 references), counters in decimal:
//   7 0 1 fill, tick: [7:128 0:128 1:128] | 2: tie, 7 loaded first -7 | 0 R |
//   3: [0:128 1:128 2:0] -2; tick: [0:192 1:64 3:128] | 0 R | 4: -1 (64) |
//   2: [0:192 3:128 4:0] -4; tick: [0:224 3:64 2:128] | 3 0 3; tick: [0:240 3:160 2:64] | 2 R |
//   1: -2 (64) | 2: [0:240 3:160 1:0] -1; tick: [0:120 3:80 2:128] | 0 R |
//   1: -3 (80: unused in the last tick, while 2 was) | 7: [0:120 2:128 1:0] -1; tick: [0:188 2:64
//   7:128] | 0 hit | 1: -2 (64)                                                              -> 12
//   faults
// It differs from NFU at reference 16, where NFU's 3 keeps its old count 2 and aging's has faded.
TEST(Textbook, AgingSilberschatzString) {
  const Results r = run_pages("aging", 3, kSilberschatz);
  EXPECT_EQ(r.counters.page_faults, 12U);
  const std::vector<std::int64_t> expected = {-1, -1, -1, 7, 2, 1, 4, 2, 1, 3, 1, 2};
  EXPECT_EQ(victims(r), expected);
}

// Ticking after every reference with 64-bit counters, bit 63 - k of a page's counter says whether
// it was the page referenced k references ago, so the smallest counter is the least recently used
// page as long as every resident page was used within the last 64 references: exactly LRU's
// 12 faults and victims here.
TEST(Textbook, AgingWithATickPerReferenceIsLru) {
  const Results aging = run_pages("aging:tick=1,bits=64", 3, kSilberschatz);
  const Results lru = run_pages("lru", 3, kSilberschatz);
  EXPECT_EQ(aging.counters.page_faults, 12U);
  EXPECT_EQ(victims(aging), victims(lru));
}

}  // namespace
}  // namespace vmsim::test
