// The variable-allocation policies (working set, PFF) and WSClock, through whole runs on reference
// strings. Expected values are worked out by hand in each comment.
#include <gtest/gtest.h>

#include "support/refs.hpp"

namespace vmsim::test {
namespace {

Results run_refs(const std::string& policy, std::uint64_t frames,
                 const std::vector<std::uint64_t>& pages,
                 const std::vector<std::uint64_t>& writes_at = {}) {
  std::vector<Access> trace = reads_of(pages);
  for (std::uint64_t i : writes_at) trace[i].op = Op::Write;
  return simulate(config_for(policy, frames), trace);
}

// tau = 2, plenty of memory. W(t) = pages referenced at t-1 and t.
//   t0 1 fault {1}; t1 2 fault {1,2}; t2 3 fault, then 1 (last used t0) leaves: {2,3};
//   t3 1 fault, 2 leaves: {3,1}; t4 4 fault, 3 leaves: {1,4}.  5 faults, 3 pages released.
TEST(WorkingSetPolicy, PagesLeaveWhenTheirLastReferenceLeavesTheWindow) {
  const Results r = run_refs("ws:tau=2", 10, {1, 2, 3, 1, 4});
  EXPECT_EQ(r.counters.page_faults, 5U);
  EXPECT_EQ(r.counters.released, 3U);
  EXPECT_EQ(r.counters.evictions, 0U);
  // At t2 the fault maps page 3 while page 1 is still in W(1): three frames at once.
  EXPECT_EQ(r.counters.peak_resident, 3U);
}

// tau = 3: 1 2 1 2 3 1. The reference to 1 at t5 finds it in W(4) = {1, 2, 3} (t2..t4): a hit.
TEST(WorkingSetPolicy, ReferencesInsideTheWindowHit) {
  const Results r = run_refs("ws:tau=3", 10, {1, 2, 1, 2, 3, 1});
  EXPECT_EQ(r.counters.page_faults, 3U);
  EXPECT_EQ(r.counters.released, 0U);
}

// A working set larger than memory: with 2 frames and tau = 100, the third page evicts the one
// used longest ago (the next to leave the window), page 1.
TEST(WorkingSetPolicy, FullMemoryEvictsTheOldestPage) {
  const Results r = run_refs("ws:tau=100", 2, {1, 2, 3, 2, 1});
  EXPECT_EQ(victims(r), (std::vector<std::int64_t>{-1, -1, 1, 3}));
  EXPECT_EQ(r.counters.evictions, 2U);
}

// Released dirty pages are written back like evicted ones: page 1 written at t0 leaves at t2.
TEST(WorkingSetPolicy, ReleasedDirtyPagesAreWrittenBack) {
  const Results r = run_refs("ws:tau=2", 10, {1, 2, 3, 1}, {0});
  EXPECT_EQ(r.counters.dirty_writebacks, 1U);
  EXPECT_EQ(r.counters.major_faults, 1U);  // page 1 comes back from swap at t3
}

// threshold 2. Faults at t0, t1, t2 are close together: no shrinking (bits cleared at each).
// t3..t6 use page 1. At t7 (page 4) five references have passed since the last fault: pages not
// referenced since it are released -- page 2 (page 1 was used, page 3 was loaded at that fault).
// t8 (page 2) faults again one reference later: no shrinking, so {1, 3, 4} grows to four pages.
// 5 faults, 1 release, at most 4 resident.
TEST(PageFaultFrequencyPolicy, ShrinksAfterALongFaultFreeInterval) {
  const Results r = run_refs("pff:threshold=2", 10, {1, 2, 3, 1, 1, 1, 1, 4, 2});
  EXPECT_EQ(r.counters.page_faults, 5U);
  EXPECT_EQ(r.counters.released, 1U);
  EXPECT_EQ(r.counters.peak_resident, 4U);
}

// PFF's clock reads the bits set since the last fault, before the fault clears them (Chu and
// Opderbeck's shrink test asks the same question; clearing first would leave every bit clear and
// the clock would evict like FIFO). 3 frames, threshold 1000 (no release):
//   t0 1, t1 2, t2 3: faults into frames 0 1 2; each fault clears the bits set before it.
//   t3 1: hit, frame 0's bit set.
//   t4 4: memory full. Since the fault at t2: page 1 (t3) and page 3 (loaded at t2) referenced,
//   page 2 (t1) not. Hand at frame 0: page 1 referenced -> cleared, passed; frame 1: page 2 clear
//   -> victim. Then every bit is cleared; page 4 in frame 1.
//   t5 1: hit.
// 4 faults, victim 2. FIFO evicts 1 at t4 and faults again at t5 (5 faults, victims 1 2).
TEST(PageFaultFrequencyPolicy, ClockGivesASecondChanceToPagesUsedSinceTheLastFault) {
  const std::vector<std::uint64_t> pages = {1, 2, 3, 1, 4, 1};
  const Results r = run_refs("pff", 3, pages);
  EXPECT_EQ(victims(r), (std::vector<std::int64_t>{-1, -1, -1, 2}));
  EXPECT_EQ(r.counters.page_faults, 4U);
  const Results fifo = run_refs("fifo", 3, pages);
  EXPECT_EQ(victims(fifo), (std::vector<std::int64_t>{-1, -1, -1, 1, 2}));
}

// The interval test is strict: the resident set shrinks when the fault comes more than `threshold`
// references after the previous one. 1 2 3 3 4 (10 frames): faults at t0 t1 t2 t4; at t4 the
// interval is 4 - 2 = 2. Pages 1 (t0) and 2 (t1) are unreferenced since t2, page 3 was used at t3.
//   threshold 2: 2 is not more than 2, nothing is released; 4 pages resident.
//   threshold 1: 2 > 1, pages 1 and 2 are released; at most 3 resident.
TEST(PageFaultFrequencyPolicy, ShrinksOnlyWhenTheIntervalExceedsTheThreshold) {
  const std::vector<std::uint64_t> pages = {1, 2, 3, 3, 4};
  const Results at_threshold = run_refs("pff:threshold=2", 10, pages);
  EXPECT_EQ(at_threshold.counters.released, 0U);
  EXPECT_EQ(at_threshold.counters.peak_resident, 4U);
  const Results above = run_refs("pff:threshold=1", 10, pages);
  EXPECT_EQ(above.counters.released, 2U);
  EXPECT_EQ(above.counters.peak_resident, 3U);
}

// Released frames are reused last-in first-out (the kernel's free list, mm/frame_table.hpp), and
// PFF releases in ascending frame order, so the last frame released is filled first. 4 frames,
// threshold 2, 1 2 3 3 3 4 5 6 7:
//   t0 1, t1 2, t2 3 into frames 0 1 2.
//   t5 4: interval 3 > 2: pages 1 (frame 0) and 2 (frame 1) unused since t2 are released, frame 0
//   then frame 1; page 4 takes frame 1, the last freed.
//   t6 5: frame 0. t7 6: frame 3, never used before.
//   t8 7: interval 1, memory full. Since t7 only page 6 (loaded then) is referenced. The hand
//   starts at frame 0, page 5: clear -> victim 5.
// Reused first-in first-out, page 4 would sit in frame 0 and be the victim instead.
TEST(PageFaultFrequencyPolicy, FreedFramesAreReusedLastInFirstOut) {
  const Results r = run_refs("pff:threshold=2", 4, {1, 2, 3, 3, 3, 4, 5, 6, 7});
  EXPECT_EQ(victims(r), (std::vector<std::int64_t>{-1, -1, -1, -1, -1, -1, 5}));
  EXPECT_EQ(r.counters.released, 2U);
}

// 3 frames, tau = 3: 1 2 3 4 2 4 4 4 4 5.
//   t3 (4): every frame referenced: the hand clears all three (last use := 3) and, a whole turn
//   without a victim and no writes scheduled, takes the frame under the hand: page 1.
//   t4 uses 2, t5..t8 use 4. t9 (5): frame of 2 referenced -> cleared; frame of 3 unreferenced
//   and 9 - 3 > 3 -> victim page 3 (FIFO would take 2).
TEST(WsClockPolicy, EvictsOldUnreferencedPages) {
  const Results r = run_refs("wsclock:tau=3", 3, {1, 2, 3, 4, 2, 4, 4, 4, 4, 5});
  EXPECT_EQ(victims(r), (std::vector<std::int64_t>{-1, -1, -1, 1, 3}));
}

// A whole turn with no old page and no write scheduled: the first clean page the hand passed goes,
// not the page under the hand. 3 frames, tau = 100 (no page gets old), page 2 written at t1:
//   t3 (4): every frame referenced: all cleared, no clean unreferenced page passed, so the page
//   under the hand, 1. The hand moves to frame 1.
//   t4 (5): frame 1, page 2: unreferenced, dirty, young. Frame 2, page 3: unreferenced, clean,
//   young: the first clean page. Frame 0, page 4: referenced, cleared. Turn over, no writes:
//   victim 3, without a write-back (the page under the hand, 2, would need one).
TEST(WsClockPolicy, WithNothingOldTakesTheFirstCleanPagePassed) {
  const Results r = run_refs("wsclock:tau=100", 3, {1, 2, 3, 4, 5}, {1});
  EXPECT_EQ(victims(r), (std::vector<std::int64_t>{-1, -1, -1, 1, 3}));
  EXPECT_EQ(r.counters.dirty_writebacks, 0U);
}

// The same with page 3 written at t2: at t9 its write is scheduled instead (the hand moves on), the
// turn completes with a write under way, and the hand comes back to the now clean page 3.
TEST(WsClockPolicy, SchedulesWritesOfOldDirtyPages) {
  const Results r = run_refs("wsclock:tau=3", 3, {1, 2, 3, 4, 2, 4, 4, 4, 4, 5}, {2});
  EXPECT_EQ(victims(r), (std::vector<std::int64_t>{-1, -1, -1, 1, 3}));
  EXPECT_EQ(r.counters.dirty_writebacks, 1U);
  EXPECT_EQ(r.counters.swap_writes, 1U);
}

}  // namespace
}  // namespace vmsim::test
