// Fork with copy-on-write through whole runs: the child shares the parent's written pages, the
// first write by either side copies the page (a COW fault: a new frame), the last sharer writes
// without a copy, a shared frame is one frame to the policy and is evicted from every mapping,
// and pages on swap stay shared until written. Every expected count and victim is worked out by
// hand in the test's comment, following Linux's do_wp_page / do_swap_page (mm/memory.c) as
// described in Gorman, "Understanding the Linux Virtual Memory Manager", ch. 4.
#include <gtest/gtest.h>

#include <vector>

#include "support/processes.hpp"

namespace vmsim::test {
namespace {

std::vector<std::uint64_t> fault_times(const Results& r) {
  std::vector<std::uint64_t> out;
  for (const FaultRecord& f : r.faults) out.push_back(f.ref_index);
  return out;
}

TEST(CopyOnWrite, AChildWriteCopiesOnceAndTheParentKeepsItsFrame) {
  // LRU, 8 frames (never full). t0 1:W p0 -> frame 0, t1 1:W p1 -> frame 1 (2 minor faults).
  // @fork 1 2: the child maps frames 0 and 1 too, both sides write-protected. t2 2:R p0 shares
  // frame 0: no fault. t3 2:W p0: a COW fault, the child's copy goes to frame 2. t4 2:W p0 writes
  // its own copy: no fault. t5 1:R p0 reads frame 0: no fault. t6 1:W p0: the parent is now
  // frame 0's only user: a fault that makes the entry writable, no copy. t7 2:W p1: COW, frame 3.
  // t8 1:W p1: the last sharer again, no copy. Faults at t0 t1 t3 t6 t7 t8, all minor; 2 copies;
  // 4 frames in use at the end, none evicted.
  const std::vector<Access> trace{write_at(0, 1), write_at(1, 1), fork_of(1, 2), read_at(0, 2),
                                  write_at(0, 2), write_at(0, 2), read_at(0, 1), write_at(0, 1),
                                  write_at(1, 2), write_at(1, 1)};
  for (const Results& r : both_models(config_for("lru", 8), trace)) {
    const Counters& c = r.counters;
    EXPECT_EQ(c.page_faults, 6U) << model_name(r);
    EXPECT_EQ(c.minor_faults, 6U) << model_name(r);
    EXPECT_EQ(c.major_faults, 0U) << model_name(r);
    EXPECT_EQ(c.cow_faults, 2U) << model_name(r);
    EXPECT_EQ(c.peak_resident, 4U) << model_name(r);
    EXPECT_EQ(c.evictions, 0U) << model_name(r);
    EXPECT_EQ(c.forks, 1U) << model_name(r);
    EXPECT_EQ(fault_times(r), (std::vector<std::uint64_t>{0, 1, 3, 6, 7, 8})) << model_name(r);
  }
}

TEST(CopyOnWrite, AfterTheChildExitsTheParentWritesWithoutACopy) {
  // LRU, 4 frames. t0 1:W p0 -> frame 0. @fork 1 2 shares it; @exit 2 drops the child's mapping
  // (the frame stays: the parent maps it, so nothing is freed). t1 1:W p0: still write-protected,
  // so it faults, but the parent is the only user: no copy. 2 faults, no COW, 1 frame.
  const std::vector<Access> trace{write_at(0, 1), fork_of(1, 2), exit_of(2), write_at(0, 1)};
  for (const Results& r : both_models(config_for("lru", 4), trace)) {
    EXPECT_EQ(r.counters.page_faults, 2U) << model_name(r);
    EXPECT_EQ(r.counters.cow_faults, 0U) << model_name(r);
    EXPECT_EQ(r.counters.freed_at_exit, 0U) << model_name(r);
    EXPECT_EQ(r.counters.peak_resident, 1U) << model_name(r);
  }
}

TEST(CopyOnWrite, APageNeverWrittenIsNotShared) {
  // LRU, 4 frames. t0 1:R p0 zero-fills frame 0, clean. @fork 1 2 does not share it (zeroes can
  // be made again), so t1 2:R p0 zero-fills a frame of its own, and t2 2:W p0 writes it without
  // a COW fault. 2 faults, 2 frames, no copy.
  const std::vector<Access> trace{read_at(0, 1), fork_of(1, 2), read_at(0, 2), write_at(0, 2)};
  for (const Results& r : both_models(config_for("lru", 4), trace)) {
    EXPECT_EQ(r.counters.page_faults, 2U) << model_name(r);
    EXPECT_EQ(r.counters.cow_faults, 0U) << model_name(r);
    EXPECT_EQ(r.counters.peak_resident, 2U) << model_name(r);
  }
}

TEST(CopyOnWrite, ASharedFrameIsEvictedFromEveryMappingAndStaysSharedOnSwap) {
  // FIFO, 2 frames, a 64-entry TLB.
  //   t0 1:W p0 -> f0.  @fork 1 2 (the parent's TLB entries are flushed).
  //   t1 2:R p0: TLB miss, the child's copied entry maps f0: no fault; its TLB entry is filled.
  //   t2 1:R p0: TLB miss (flushed at the fork), no fault; filled.
  //   t3 1:W p1 -> f1.
  //   t4 1:W p2: memory full, FIFO evicts f0: dirty, written to swap once (1 write), and both
  //      mappings become swap entries: 2 TLB entries shot down. p2 -> f0.
  //   t5 2:R p0: major fault, 1 swap read into the frame FIFO frees next, f1 (1:p1, dirty: 1
  //      write, 1 shootdown). The slot stays: the parent's entry still holds it, so the child
  //      maps the page write-protected.
  //   t6 1:R p0: found in the swap cache: a minor fault, no I/O, no frame taken. The slot is
  //      freed now (no entry holds it), so the page counts as dirty.
  //   t7 1:W p0: write-protected and shared by two: a COW fault; FIFO evicts f0 (1:p2, dirty: 1
  //      write, 1 shootdown) for the parent's copy. The child keeps f1.
  // Faults t0 t3 t4 t5 t6 t7: 6, 1 major, 5 minor, 1 COW; evictions 3 (victims p0, p1, p2);
  // swap writes 3, swap reads 1; TLB shootdowns 2 + 1 + 1 = 4.
  const std::vector<Access> trace{write_at(0, 1), fork_of(1, 2),  read_at(0, 2),
                                  read_at(0, 1),  write_at(1, 1), write_at(2, 1),
                                  read_at(0, 2),  read_at(0, 1),  write_at(0, 1)};
  for (const Results& r : both_models(config_for("fifo", 2), trace)) {
    const Counters& c = r.counters;
    EXPECT_EQ(c.page_faults, 6U) << model_name(r);
    EXPECT_EQ(c.major_faults, 1U) << model_name(r);
    EXPECT_EQ(c.minor_faults, 5U) << model_name(r);
    EXPECT_EQ(c.cow_faults, 1U) << model_name(r);
    EXPECT_EQ(c.evictions, 3U) << model_name(r);
    EXPECT_EQ(c.swap_writes, 3U) << model_name(r);
    EXPECT_EQ(c.swap_reads, 1U) << model_name(r);
    EXPECT_EQ(fault_times(r), (std::vector<std::uint64_t>{0, 3, 4, 5, 6, 7})) << model_name(r);
    EXPECT_EQ(victims(r), (std::vector<std::int64_t>{-1, -1, 0, 1, -1, 2})) << model_name(r);
    if (r.config.model == SimModel::Full) {
      EXPECT_EQ(c.tlb_invalidations, 4U);
    }
  }
}

TEST(CopyOnWrite, PagesOnSwapBeforeTheForkAreSharedOnSwapAfterIt) {
  // FIFO, 1 frame, no swap cache. Before the fork nothing is shared and the swap device does not
  // number its slots; at the fork every page on swap gets a slot of its own, which the child's
  // entry then shares (mm/swap.hpp).
  //   t0 1:W p0 -> f0.  t1 1:W p1 evicts p0 (dirty: write 1, slot A).  t2 1:W p2 evicts p1
  //   (write 2, slot B).  @fork 1 2: the child holds A and B too, and maps f0 (p2, dirty).
  //   t3 2:R p0: FIFO evicts f0 from both mappings (write 3, slot C shared by both); p0 is read
  //      from A (major, read 1); the parent's entry still holds A, so f0 keeps it in the swap
  //      cache.
  //   t4 1:R p0: found in the swap cache: minor, no I/O, no victim; A is freed.
  //   t5 1:R p1: f0 (p0, both mappings) is evicted (write 4); p1 is read from B (major, read 2),
  //      which the child's entry still holds.
  //   t6 2:R p1: in the swap cache: minor.
  // Faults t0-t6: 7, 2 major, 5 minor, no COW; evictions 4 (victims p0, p1, p2, p0); swap
  // writes 4, reads 2; at the end f0 is mapped by both processes.
  const std::vector<Access> trace{write_at(0, 1), write_at(1, 1), write_at(2, 1), fork_of(1, 2),
                                  read_at(0, 2),  read_at(0, 1),  read_at(1, 1),  read_at(1, 2)};
  for (const Results& r : both_models(config_for("fifo", 1), trace)) {
    const Counters& c = r.counters;
    EXPECT_EQ(c.page_faults, 7U) << model_name(r);
    EXPECT_EQ(c.major_faults, 2U) << model_name(r);
    EXPECT_EQ(c.minor_faults, 5U) << model_name(r);
    EXPECT_EQ(c.cow_faults, 0U) << model_name(r);
    EXPECT_EQ(c.evictions, 4U) << model_name(r);
    EXPECT_EQ(c.swap_writes, 4U) << model_name(r);
    EXPECT_EQ(c.swap_reads, 2U) << model_name(r);
    EXPECT_EQ(c.frames_shared, 1U) << model_name(r);
    EXPECT_EQ(victims(r), (std::vector<std::int64_t>{-1, 0, 1, 2, -1, 0, -1})) << model_name(r);
  }
}

TEST(CopyOnWrite, OptFollowsTheSharedPageNotTheProcess) {
  // OPT, 2 frames. t0 1:W a -> f0. @fork 1 2. t1 2:R a (shared, no fault). t2 2:W b -> f1.
  // t3 2:R c: memory full. The shared page a is next used at t4 (by the parent), b at t5, so
  // OPT evicts b. (Following the child's own next use of a, t6, would evict a instead and cost
  // a fault more.) t4 1:R a hits. t5 2:R b: a major fault (b was dirty, so it is on swap); a is
  // next used at t6, c never: c goes. t6 2:R a hits. Faults t0 t2 t3 t5, victims b then c.
  const std::vector<Access> trace{write_at(0xa, 1), fork_of(1, 2),   read_at(0xa, 2),
                                  write_at(0xb, 2), read_at(0xc, 2), read_at(0xa, 1),
                                  read_at(0xb, 2),  read_at(0xa, 2)};
  for (const Results& r : both_models(config_for("opt", 2), trace)) {
    EXPECT_EQ(r.counters.page_faults, 4U) << model_name(r);
    EXPECT_EQ(r.counters.major_faults, 1U) << model_name(r);
    EXPECT_EQ(fault_times(r), (std::vector<std::uint64_t>{0, 2, 3, 5})) << model_name(r);
    EXPECT_EQ(victims(r), (std::vector<std::int64_t>{-1, -1, 0xb, 0xc})) << model_name(r);
  }
}

}  // namespace
}  // namespace vmsim::test
