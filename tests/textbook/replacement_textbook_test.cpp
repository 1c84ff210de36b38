// Published textbook results, with the hand traces that check them.
#include <gtest/gtest.h>

#include "support/refs.hpp"

namespace vmsim::test {
namespace {

// Belady, Nelson, Shedler (1969); Silberschatz et al., Operating System Concepts, 10th ed., 10.4.2.
TEST(Textbook, FifoBeladyAnomaly) {
  EXPECT_EQ(faults("fifo", 3, kBelady), 9U);
  EXPECT_EQ(faults("fifo", 4, kBelady), 10U);  // more frames, more faults
}

// Silberschatz 10.4: FIFO 15, OPT 9, LRU 12 faults with three frames.
TEST(Textbook, SilberschatzReferenceString) {
  EXPECT_EQ(faults("fifo", 3, kSilberschatz), 15U);
  EXPECT_EQ(faults("lru", 3, kSilberschatz), 12U);
  EXPECT_EQ(faults("opt", 3, kSilberschatz), 9U);
}

// FIFO victims on the Silberschatz string, frames filled 7 0 1 then replaced oldest first:
// 2 evicts 7, 3 evicts 0, 0 evicts 1, 4 evicts 2, 2 evicts 3, 3 evicts 0, 0 evicts 4, 1 evicts 2,
// 2 evicts 3, 7 evicts 0, 0 evicts 1, 1 evicts 2.
TEST(Textbook, FifoVictimsInOrder) {
  const Results r = run_pages("fifo", 3, kSilberschatz);
  const std::vector<std::int64_t> expected = {-1, -1, -1, 7, 0, 1, 2, 3, 0, 4, 2, 3, 0, 1, 2};
  EXPECT_EQ(victims(r), expected);
}

// LRU victims, worked by hand with the recency stack (most recent first, evicted page in brackets):
//   7 | 0 7 | 1 0 7 | 2 1 0 (-7) | 0 2 1 | 3 0 2 (-1) | 0 3 2 | 4 0 3 (-2) | 2 4 0 (-3) | 3 2 4
//   (-0) 0 3 2 (-4) | 3 0 2 | 2 3 0 | 1 2 3 (-0) | 2 1 3 | 0 2 1 (-3) | 1 0 2 | 7 1 0 (-2) | 0 7 1
//   | 1 0 7
TEST(Textbook, LruVictimsInOrder) {
  const Results r = run_pages("lru", 3, kSilberschatz);
  const std::vector<std::int64_t> expected = {-1, -1, -1, 7, 1, 2, 3, 0, 4, 0, 3, 2};
  EXPECT_EQ(victims(r), expected);
}

// OPT victims, evicting the page used farthest ahead:
//   2 evicts 7 (7 next at 17); 3 evicts 1 (1 next at 13); 4 evicts 0 (0 next at 10, 2 at 8, 3 at
//   9); 0 evicts 4 (never again); 1 evicts 3 (never again); 7 evicts 2 (never again).
TEST(Textbook, OptVictimsInOrder) {
  const Results r = run_pages("opt", 3, kSilberschatz);
  const std::vector<std::int64_t> expected = {-1, -1, -1, 7, 1, 0, 4, 3, 2};
  EXPECT_EQ(victims(r), expected);
}

// Among pages never referenced again (a tie for Belady's rule, which counts faults only) OPT evicts
// a clean one first, then the one whose last reference is oldest. 3 frames, 1 2 3 4 5 with page 1
// written at t0; no page is referenced twice, so every resident page is always never used again.
//   4: 1 (dirty), 2 (clean, last used t1), 3 (clean, t2): the clean one used longest ago, 2.
//   5: 1 (dirty), 3 (clean, t2), 4 (clean, t3): 3.
// Page 1 stays: no write-back. Oldest first regardless of dirtiness would evict 1 then 2 and write
// page 1 back.
TEST(Textbook, OptAmongPagesNeverUsedAgainEvictsCleanOnesFirst) {
  std::vector<Access> trace = reads_of({1, 2, 3, 4, 5});
  trace[0].op = Op::Write;
  const Results r = simulate(config_for("opt", 3), trace);
  EXPECT_EQ(victims(r), (std::vector<std::int64_t>{-1, -1, -1, 2, 3}));
  EXPECT_EQ(r.counters.dirty_writebacks, 0U);
  EXPECT_EQ(r.counters.page_faults, 5U);
}

// Clock (second chance), hand trace with reference bits (slot:page/bit, ^ = hand):
//   7,0,1 fill slots 0..2 with bit 1. 2: hand clears 7,0,1, evicts 7 (slot 0), hand -> 1.
//   0 hit. 3: clears 0, evicts 1 (slot 2). 0 hit. 4: clears 2,0,3, evicts 2 (slot 0).
//   2: evicts 0 (slot 1, bit 0). 3 hit. 0: clears 3,4,2, evicts 3. 3: evicts 4. 2 hit.
//   1: clears 2,0,3, evicts 2. 2: evicts 0. 0: evicts 3. 1 hit. 7: clears 1,2,0, evicts 1. 0 hit.
//   1: evicts 2.   -> 14 faults.
TEST(Textbook, ClockSecondChance) {
  const Results r = run_pages("clock", 3, kSilberschatz);
  EXPECT_EQ(r.counters.page_faults, 14U);
  const std::vector<std::int64_t> expected = {-1, -1, -1, 7, 1, 2, 0, 3, 4, 2, 0, 3, 1, 2};
  EXPECT_EQ(victims(r), expected);
}

// LRU and OPT on Belady's string: LRU 10 then 8, OPT 7 then 6 (no anomaly for stack algorithms).
TEST(Textbook, StackAlgorithmsOnBeladyString) {
  EXPECT_EQ(faults("lru", 3, kBelady), 10U);
  EXPECT_EQ(faults("lru", 4, kBelady), 8U);
  EXPECT_EQ(faults("opt", 3, kBelady), 7U);
  EXPECT_EQ(faults("opt", 4, kBelady), 6U);
}

// With enough frames for every distinct page, every policy faults exactly once per distinct page.
TEST(Textbook, ColdMissesOnlyWhenEverythingFits) {
  for (const PolicyDescription& p : list_policies()) {
    EXPECT_EQ(faults(std::string(p.name), 6, kSilberschatz), 6U) << p.name;  // pages 0 1 2 3 4 7
  }
}

}  // namespace
}  // namespace vmsim::test
