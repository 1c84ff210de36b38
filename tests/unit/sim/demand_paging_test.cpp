// The kernel model through whole runs: zero-fill, swap-out of dirty pages, swap-in, TLB shootdown,
// page crossings, processes and the cost model. Expected counts are worked out by hand in each
// comment.
#include <gtest/gtest.h>

#include "support/refs.hpp"
#include "vmsim/error.hpp"

namespace vmsim::test {
namespace {

constexpr std::uint64_t kPage = 4096;

Access read_at(std::uint64_t page, std::uint16_t pid = 0) {
  return {page * kPage, 1, pid, Op::Read};
}
Access write_at(std::uint64_t page, std::uint16_t pid = 0) {
  return {page * kPage, 1, pid, Op::Write};
}

TEST(DemandPaging, DirtyPageGoesToSwapAndComesBackAsMajorFault) {
  SimConfig c = config_for("fifo", 1);
  // W0: minor fault. R1: minor fault, evicts dirty 0 -> swap write. R0: major fault, evicts clean 1
  // (never written: dropped). Without the swap cache the swapped-in page has no copy left, so R1
  // (minor, zero-fill again) evicts page 0 with a second write.
  const Results r = simulate(c, {write_at(0), read_at(1), read_at(0), read_at(1)});
  const Counters& k = r.counters;
  EXPECT_EQ(k.page_faults, 4U);
  EXPECT_EQ(k.minor_faults, 3U);
  EXPECT_EQ(k.major_faults, 1U);
  EXPECT_EQ(k.swap_writes, 2U);
  EXPECT_EQ(k.dirty_writebacks, 2U);
  EXPECT_EQ(k.swap_reads, 1U);
  EXPECT_EQ(k.evictions, 3U);
  EXPECT_EQ(k.writes, 1U);
  EXPECT_EQ(k.reads, 3U);
}

TEST(DemandPaging, SwapCacheKeepsTheCleanCopy) {
  SimConfig c = config_for("fifo", 1);
  c.swap_cache = true;
  // Same trace; page 0's swap copy stays valid after the swap-in, so evicting it again costs no
  // write.
  const Results r = simulate(c, {write_at(0), read_at(1), read_at(0), read_at(1), read_at(0)});
  EXPECT_EQ(r.counters.swap_writes, 1U);
  EXPECT_EQ(r.counters.swap_reads, 2U);  // page 0 read back twice from its one copy
  EXPECT_EQ(r.counters.major_faults, 2U);
  EXPECT_EQ(r.counters.minor_faults, 3U);
}

TEST(DemandPaging, CleanPagesAreDroppedAndZeroFilledAgain) {
  const Results r = simulate(config_for("lru", 2), reads_of({0, 1, 2, 0, 1, 2}));
  EXPECT_EQ(r.counters.page_faults, 6U);
  EXPECT_EQ(r.counters.minor_faults, 6U);
  EXPECT_EQ(r.counters.swap_writes, 0U);
  EXPECT_EQ(r.counters.swap_reads, 0U);
  EXPECT_EQ(r.counters.evictions, 4U);
  EXPECT_EQ(r.counters.peak_resident, 2U);
}

TEST(DemandPaging, EvictionShootsDownTheTlbEntry) {
  SimConfig c = config_for("fifo", 1);
  // 0: miss+fault. 1: miss+fault, evicts 0 (its entry is invalidated). 0: must miss, not hit a
  // stale entry.
  const Results r = simulate(c, reads_of({0, 1, 0}));
  EXPECT_EQ(r.counters.tlb_misses, 3U);
  EXPECT_EQ(r.counters.tlb_hits, 0U);
  EXPECT_EQ(r.counters.tlb_invalidations, 2U);
  EXPECT_EQ(r.counters.page_faults, 3U);
}

TEST(Tlb, HitsMissesAndLruCapacity) {
  SimConfig c = config_for("lru", 100);
  c.tlb_entries = 4;
  c.tlb_ways = 4;
  // Pages 0..3 twice: 4 misses then 4 hits.
  Results r = simulate(c, reads_of({0, 1, 2, 3, 0, 1, 2, 3}));
  EXPECT_EQ(r.counters.tlb_misses, 4U);
  EXPECT_EQ(r.counters.tlb_hits, 4U);
  // A loop of 5 pages through a 4-entry LRU TLB misses every time.
  r = simulate(c, reads_of({0, 1, 2, 3, 4, 0, 1, 2, 3, 4}));
  EXPECT_EQ(r.counters.tlb_misses, 10U);
  // Repeated references to one page: one miss, the rest hit.
  r = simulate(c, reads_of({9, 9, 9, 9}));
  EXPECT_EQ(r.counters.tlb_misses, 1U);
  EXPECT_EQ(r.counters.tlb_hits, 3U);
}

TEST(Tlb, DisabledTlbWalksEveryReference) {
  SimConfig c = config_for("lru", 10);
  c.tlb_entries = 0;
  c.page_table = PageTableKind::Linear;
  c.va_bits = 32;
  // Linear table: 1 reference per walk. Ref 1 faults: walk + retry = 2; refs 2 and 3: 1 each.
  const Results r = simulate(c, reads_of({5, 5, 5}));
  EXPECT_EQ(r.counters.tlb_hits, 0U);
  EXPECT_EQ(r.counters.walks, 4U);
  EXPECT_EQ(r.counters.walk_memory_refs, 4U);
}

TEST(Walks, RadixWalkStopsAtMissingTableAndRetriesAfterFault) {
  SimConfig c = config_for("lru", 10);  // x86-64 default: 4 levels
  // Page 0 in an empty tree: walk reads 1 entry, fault, retry reads 4. Page 1 (same leaf table):
  // 4 + 4. Page 0 again: TLB hit.
  const Results r = simulate(c, reads_of({0, 1, 0}));
  EXPECT_EQ(r.counters.walks, 4U);
  EXPECT_EQ(r.counters.walk_memory_refs, 13U);
  EXPECT_EQ(r.counters.page_table_pages, 4U);
}

TEST(Accesses, PageCrossingTouchesBothPages) {
  const Results r = simulate(config_for("lru", 10), {Access{kPage - 1, 2, 0, Op::Write}});
  EXPECT_EQ(r.counters.accesses, 1U);
  EXPECT_EQ(r.counters.page_refs, 2U);
  EXPECT_EQ(r.counters.page_faults, 2U);
  const Results inside = simulate(config_for("lru", 10), {Access{kPage - 2, 2, 0, Op::Write}});
  EXPECT_EQ(inside.counters.page_refs, 1U);
}

TEST(Processes, EachPidHasItsOwnAddressSpace) {
  const Results r = simulate(config_for("lru", 10), {read_at(3, 1), read_at(3, 2), read_at(3, 1)});
  EXPECT_EQ(r.counters.processes, 2U);
  EXPECT_EQ(r.counters.page_faults, 2U);
  EXPECT_EQ(r.counters.page_table_pages, 8U);  // 4 table pages per x86-64 address space
  ASSERT_EQ(r.faults.size(), 2U);
  EXPECT_EQ(r.faults[1].pid, 2U);
}

TEST(Events, AreCountedApartFromAccesses) {
  // process_events_test.cpp has what fork and exit do.
  const Results r = simulate(config_for("lru", 10), {Access{2, 1, 1, Op::Fork}, read_at(0, 1)});
  EXPECT_EQ(r.counters.events, 1U);
  EXPECT_EQ(r.counters.forks, 1U);
  EXPECT_EQ(r.counters.accesses, 1U);
}

TEST(CostModel, EffectiveAccessTimeByHand) {
  SimConfig c = config_for("lru", 10);
  c.tlb_entries = 0;
  c.page_table = PageTableKind::Linear;
  c.va_bits = 32;
  c.timing.memory_ns = 100;
  c.timing.minor_fault_ns = 1000;
  // Two references to page 0: 2 data accesses (200) + 3 walk references (300) + 1 minor fault
  // (1000).
  const Results r = simulate(c, reads_of({0, 0}));
  EXPECT_DOUBLE_EQ(r.total_time_ns, 1500.0);
  EXPECT_DOUBLE_EQ(r.effective_access_time_ns, 750.0);
}

TEST(CostModel, SwapDeviceSetsMajorFaultCost) {
  SimConfig c = config_for("fifo", 1);
  c.tlb_entries = 0;
  c.page_table = PageTableKind::Linear;
  c.va_bits = 32;
  c.swap_device = SwapDevice::Hdd;
  c.timing.memory_ns = 0;
  c.timing.minor_fault_ns = 0;
  // W0, R1 (evicts dirty 0: one 8 ms write), R0 (major: one 8 ms read; evicts clean 1).
  const Results r = simulate(c, {write_at(0), read_at(1), read_at(0)});
  EXPECT_DOUBLE_EQ(r.total_time_ns, 16e6);
}

TEST(Simulate, EmptyTraceIsAValidRun) {
  const Results r = simulate(config_for("opt", 3), std::vector<Access>{});
  EXPECT_EQ(r.counters.accesses, 0U);
  EXPECT_EQ(r.counters.page_faults, 0U);
  EXPECT_EQ(r.effective_access_time_ns, 0.0);
}

TEST(Simulate, InvalidConfigurationListsEveryProblem) {
  SimConfig c;
  c.page_size = 3000;
  c.frames = 0;
  c.tlb_entries = 64;
  c.tlb_ways = 3;
  c.policy = "nosuch";
  try {
    simulate(c, std::vector<Access>{});
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("page size 3000"), std::string::npos) << msg;
    EXPECT_NE(msg.find("frames 0"), std::string::npos) << msg;
    EXPECT_NE(msg.find("TLB ways 3"), std::string::npos) << msg;
    EXPECT_NE(msg.find("unknown policy 'nosuch'"), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace vmsim::test
