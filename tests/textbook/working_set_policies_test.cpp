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

// 3 frames, tau = 3: 1 2 3 4 2 4 4 4 4 5.
//   t3 (4): every frame referenced: the hand clears all three (last use := 3) and, a whole turn
//   without a victim and no writes scheduled, takes the frame under the hand: page 1.
//   t4 uses 2, t5..t8 use 4. t9 (5): frame of 2 referenced -> cleared; frame of 3 unreferenced
//   and 9 - 3 > 3 -> victim page 3 (FIFO would take 2).
TEST(WsClockPolicy, EvictsOldUnreferencedPages) {
  const Results r = run_refs("wsclock:tau=3", 3, {1, 2, 3, 4, 2, 4, 4, 4, 4, 5});
  EXPECT_EQ(victims(r), (std::vector<std::int64_t>{-1, -1, -1, 1, 3}));
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
