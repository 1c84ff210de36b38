// Regions and protection through whole runs, in both models: accesses outside every region, writes
// to read-only and fetches from non-executable regions are protection faults (dropped, counted,
// listed), munmap frees a range of pages, mprotect changes what the TLB may cache, and a process
// that declares no region behaves as before. Every expected count is worked out by hand in the
// test's comment, following the rules of docs/events.md (Linux's mmap, munmap and mprotect, and
// its access_error check in do_user_addr_fault).
#include <gtest/gtest.h>

#include <vector>

#include "support/processes.hpp"

namespace vmsim::test {
namespace {

TEST(Regions, AccessesAgainstTheRegionsAreDroppedAndListed) {
  // LRU, 8 frames. @mmap 1 pages 1-2 r--, pages 4 rw-, page 8 r-x.
  // t0 1:R p1 fault (zero-fill). 1:W p1: a write to r--: protection fault, dropped.
  // 1:X p1: a fetch from non-x: dropped. 1:R p3: between regions: dropped. t1 1:W p4 fault.
  // t2 1:X p8 fault. t3 1:R p8 hit (r-x reads). 1:W p8 dropped.
  // 8 accesses, 4 page references, 3 faults, 4 protection faults at references 1, 1, 1, 4.
  const std::vector<Access> trace{mmap_of(1, 1, 2, kProtRead),
                                  mmap_of(1, 4, 1, kRw),
                                  mmap_of(1, 8, 1, kRx),
                                  read_at(1, 1),
                                  write_at(1, 1),
                                  fetch_at(1, 1),
                                  read_at(3, 1),
                                  write_at(4, 1),
                                  fetch_at(8, 1),
                                  read_at(8, 1),
                                  write_at(8, 1)};
  for (const Results& r : both_models(config_for("lru", 8), trace)) {
    const Counters& c = r.counters;
    EXPECT_EQ(c.accesses, 8U) << model_name(r);
    EXPECT_EQ(c.page_refs, 4U) << model_name(r);
    EXPECT_EQ(c.page_faults, 3U) << model_name(r);
    EXPECT_EQ(c.protection_faults, 4U) << model_name(r);
    ASSERT_EQ(r.protection_fault_list.size(), 4U) << model_name(r);
    const ProtectionFault& w = r.protection_fault_list[0];
    EXPECT_EQ(w.ref_index, 1U);
    EXPECT_EQ(w.pid, 1U);
    EXPECT_EQ(w.addr, 1 * kTestPage);
    EXPECT_EQ(w.op, Op::Write);
    EXPECT_TRUE(w.in_region);
    EXPECT_EQ(w.region_start, 1 * kTestPage);
    EXPECT_EQ(w.region_end, 3 * kTestPage);
    EXPECT_EQ(w.region_prot, kProtRead);
    EXPECT_EQ(r.protection_fault_list[1].op, Op::Fetch);
    EXPECT_FALSE(r.protection_fault_list[2].in_region);  // page 3
    EXPECT_EQ(r.protection_fault_list[3].ref_index, 4U);
    EXPECT_EQ(r.protection_fault_list[3].region_prot, kRx);
    EXPECT_FALSE(r.stopped_at_protection_fault);
  }
}

// Reference-string decoding lets a process with regions keep to its fast loop while it stays
// in the region of its last access, with the ops that region allows; every way out of that is
// checked. The fast loop with a window runs from the second batch of 4096 records on, so the
// accesses that matter come after 5,000 reads of page 0. LRU, 8 frames. @mmap 1 pages 0-3 rw-,
// page 8 r-x. refs 0-4999 1:R p0 (one fault). Then:
//   1:R p1 (ref 5000, fault), 1:W p1 (5001), 1:X p1: a fetch from rw- in the window's range:
//   protection fault at 5002. 2:W p1 (5002, fault: process 2 has no regions). 1:X p1 again,
//   after the pid changed: protection fault at 5003. 1:X p8 (5003, fault), 1:R p8 (5004),
//   1:W p8: protection fault at 5005; 1:R p5, outside every region: at 5005. 1:R p3 (5005,
//   fault). @mprotect 1 pages 0-3 r--. 1:W p3: protection fault at 5006. 1:R p3 (5006).
// 5,007 page references, 5 faults, 5 protection faults.
TEST(Regions, RunsWithinARegionAreCheckedWhereTheyLeaveIt) {
  std::vector<Access> trace{mmap_of(1, 0, 4, kRw), mmap_of(1, 8, 1, kRx)};
  for (int i = 0; i < 5000; ++i) trace.push_back(read_at(0, 1));
  for (const Access& a :
       {read_at(1, 1), write_at(1, 1), fetch_at(1, 1), write_at(1, 2), fetch_at(1, 1),
        fetch_at(8, 1), read_at(8, 1), write_at(8, 1), read_at(5, 1), read_at(3, 1),
        mprotect_of(1, 0, 4, kProtRead), write_at(3, 1), read_at(3, 1)}) {
    trace.push_back(a);
  }
  for (const Results& r : both_models(config_for("lru", 8), trace)) {
    EXPECT_EQ(r.counters.page_refs, 5007U) << model_name(r);
    EXPECT_EQ(r.counters.page_faults, 5U) << model_name(r);
    EXPECT_EQ(r.counters.protection_faults, 5U) << model_name(r);
    ASSERT_EQ(r.protection_fault_list.size(), 5U) << model_name(r);
    const std::vector<ProtectionFault>& f = r.protection_fault_list;
    EXPECT_EQ(f[0].ref_index, 5002U) << model_name(r);
    EXPECT_EQ(f[0].op, Op::Fetch) << model_name(r);
    EXPECT_EQ(f[0].addr, 1 * kTestPage) << model_name(r);
    EXPECT_EQ(f[1].ref_index, 5003U) << model_name(r);
    EXPECT_EQ(f[1].op, Op::Fetch) << model_name(r);
    EXPECT_EQ(f[2].ref_index, 5005U) << model_name(r);
    EXPECT_EQ(f[2].op, Op::Write) << model_name(r);
    EXPECT_EQ(f[2].region_prot, kRx) << model_name(r);
    EXPECT_EQ(f[3].ref_index, 5005U) << model_name(r);
    EXPECT_FALSE(f[3].in_region) << model_name(r);
    EXPECT_EQ(f[4].ref_index, 5006U) << model_name(r);
    EXPECT_EQ(f[4].op, Op::Write) << model_name(r);
    EXPECT_EQ(f[4].region_prot, kProtRead) << model_name(r);
  }
}

TEST(Regions, OnSegvStopEndsTheRunAtTheFirstProtectionFault) {
  // The same start: t0 1:R p1 fault, then 1:W p1 faults on protection and the run stops there,
  // before the events and accesses after it: 2 accesses counted, 1 reference, 1 fault, 1
  // protection fault; the @exit after it is not read, so nothing is freed at exit.
  const std::vector<Access> trace{mmap_of(1, 1, 2, kProtRead), read_at(1, 1), write_at(1, 1),
                                  exit_of(1), read_at(5, 2)};
  SimConfig config = config_for("lru", 8);
  config.on_segv = OnSegv::Stop;
  for (const Results& r : both_models(config, trace)) {
    const Counters& c = r.counters;
    EXPECT_TRUE(r.stopped_at_protection_fault) << model_name(r);
    EXPECT_EQ(c.accesses, 2U) << model_name(r);
    EXPECT_EQ(c.page_refs, 1U) << model_name(r);
    EXPECT_EQ(c.page_faults, 1U) << model_name(r);
    EXPECT_EQ(c.protection_faults, 1U) << model_name(r);
    EXPECT_EQ(c.exits, 0U) << model_name(r);
    EXPECT_EQ(c.freed_at_exit, 0U) << model_name(r);
    EXPECT_EQ(c.processes, 1U) << model_name(r);
    EXPECT_EQ(r.protection_fault_list.size(), 1U) << model_name(r);
  }
}

TEST(Regions, MunmapFreesThePagesAndTheyComeBackZeroFilled) {
  // FIFO, 3 frames. @mmap 1 pages 0-3 rw-. t0 1:W p0, t1 1:W p1, t2 1:W p2: three faults fill
  // memory. @munmap 1 pages 1-2 frees frames 1 and 2 (freed_at_munmap 2). 1:R p1 is a protection
  // fault now. @mmap 1 pages 1-1 rw- again: t3 1:R p1 is a fresh zero-filled page (a minor fault,
  // not a swap read: nothing was written to swap), into a free frame. t4 1:W p3 faults into the
  // last free frame: no eviction at all. t5 1:R p0 hits. 5 faults, all minor, 0 evictions.
  const std::vector<Access> trace{mmap_of(1, 0, 4, kRw), write_at(0, 1),     write_at(1, 1),
                                  write_at(2, 1),        munmap_of(1, 1, 2), read_at(1, 1),
                                  mmap_of(1, 1, 1, kRw), read_at(1, 1),      write_at(3, 1),
                                  read_at(0, 1)};
  for (const Results& r : both_models(config_for("fifo", 3), trace)) {
    const Counters& c = r.counters;
    EXPECT_EQ(c.page_refs, 6U) << model_name(r);
    EXPECT_EQ(c.page_faults, 5U) << model_name(r);
    EXPECT_EQ(c.minor_faults, 5U) << model_name(r);
    EXPECT_EQ(c.evictions, 0U) << model_name(r);
    EXPECT_EQ(c.swap_writes, 0U) << model_name(r);
    EXPECT_EQ(c.freed_at_munmap, 2U) << model_name(r);
    EXPECT_EQ(c.protection_faults, 1U) << model_name(r);
  }
}

TEST(Regions, AMappingOverMappedPagesReplacesThem) {
  // LRU, 4 frames. @mmap 1 page 0 rw-; t0 1:W p0 fault. @mmap 1 page 0 r-- again (MAP_FIXED over
  // it): the written page is freed, not swapped (freed_at_munmap 1). t1 1:R p0: a new zero page,
  // a minor fault. 1:W p0: a protection fault. 2 faults, no swap traffic.
  const std::vector<Access> trace{mmap_of(1, 0, 1, kRw), write_at(0, 1),
                                  mmap_of(1, 0, 1, kProtRead), read_at(0, 1), write_at(0, 1)};
  for (const Results& r : both_models(config_for("lru", 4), trace)) {
    EXPECT_EQ(r.counters.page_faults, 2U) << model_name(r);
    EXPECT_EQ(r.counters.freed_at_munmap, 1U) << model_name(r);
    EXPECT_EQ(r.counters.swap_writes, 0U) << model_name(r);
    EXPECT_EQ(r.counters.protection_faults, 1U) << model_name(r);
  }
}

TEST(Regions, MprotectIsSeenThroughTheTlb) {
  // Full model, 64-entry TLB. @mmap 1 page 0 rw-. t0 1:W p0: TLB miss, fault, fill (writable).
  // t1 1:W p0: a TLB hit. @mprotect p0 r--: the entry is shot down (tlb_invalidations 1).
  // 1:W p0: a TLB miss, then the region check refuses it: a protection fault, dropped. t2 1:R p0:
  // a miss (nothing was filled for the refused write), filled read-only. 1:W p0: a hit on an
  // entry that denies writes: the region check refuses it again. @mprotect p0 rw-: shot down
  // again. t3 1:W p0: a miss, no fault (the page-table entry was writable all along). 4 references,
  // 1 hit, 3 misses, 1 fault, 2 protection faults, 2 entries shot down.
  const std::vector<Access> trace{
      mmap_of(1, 0, 1, kRw), write_at(0, 1), write_at(0, 1), mprotect_of(1, 0, 1, kProtRead),
      write_at(0, 1),        read_at(0, 1),  write_at(0, 1), mprotect_of(1, 0, 1, kRw),
      write_at(0, 1)};
  SimConfig config = config_for("lru", 4);
  config.model = SimModel::Full;
  const Results r = simulate(config, trace);
  const Counters& c = r.counters;
  EXPECT_EQ(c.page_refs, 4U);
  EXPECT_EQ(c.tlb_hits, 1U);
  EXPECT_EQ(c.tlb_misses, 3U);
  EXPECT_EQ(c.page_faults, 1U);
  EXPECT_EQ(c.protection_faults, 2U);
  EXPECT_EQ(c.tlb_invalidations, 2U);
  // Reference-string mode makes the same decisions without a TLB.
  config.model = SimModel::Refs;
  const Results refs = simulate(config, trace);
  EXPECT_EQ(refs.counters.page_refs, 4U);
  EXPECT_EQ(refs.counters.page_faults, 1U);
  EXPECT_EQ(refs.counters.protection_faults, 2U);
}

TEST(Regions, TheFirstRegionEventUnmapsWhatTheProcessTouchedBefore) {
  // LRU, 4 frames. 1:W p0 and 1:W p1 before any region: two faults, as without events. Then
  // @mmap 1 page 5 rw-: the implicit mapping of everything ends, so pages 0 and 1 are freed
  // (freed_at_munmap 2) and are protection faults from now on. t2 1:W p5 faults. Process 2 has no
  // regions: t3 2:W p0 faults and t4 2:R p9 faults, unchecked.
  const std::vector<Access> trace{write_at(0, 1), write_at(1, 1), mmap_of(1, 5, 1, kRw),
                                  read_at(0, 1),  write_at(5, 1), write_at(0, 2),
                                  read_at(9, 2)};
  for (const Results& r : both_models(config_for("lru", 4), trace)) {
    EXPECT_EQ(r.counters.page_refs, 5U) << model_name(r);
    EXPECT_EQ(r.counters.page_faults, 5U) << model_name(r);
    EXPECT_EQ(r.counters.freed_at_munmap, 2U) << model_name(r);
    EXPECT_EQ(r.counters.protection_faults, 1U) << model_name(r);
  }
}

TEST(Regions, AForkChildInheritsTheRegions) {
  // LRU, 8 frames. @mmap 1 pages 0-1 rw-, t0 1:W p0 fault. @fork 1 2: the child has the regions
  // too and shares the written page. 2:R p2: outside them: a protection fault. t1 2:R p0 hits the
  // shared frame; t2 2:W p0 copies it (COW). @munmap 2 page 0 frees the child's copy only
  // (freed_at_munmap 1), and the parent's page stays: t3 1:R p0 finds it present. 2 faults (t0,
  // t2).
  const std::vector<Access> trace{mmap_of(1, 0, 2, kRw), write_at(0, 1), fork_of(1, 2),
                                  read_at(2, 2),         read_at(0, 2),  write_at(0, 2),
                                  munmap_of(2, 0, 1),    read_at(0, 1)};
  for (const Results& r : both_models(config_for("lru", 8), trace)) {
    EXPECT_EQ(r.counters.page_refs, 4U) << model_name(r);
    EXPECT_EQ(r.counters.page_faults, 2U) << model_name(r);
    EXPECT_EQ(r.counters.cow_faults, 1U) << model_name(r);
    EXPECT_EQ(r.counters.protection_faults, 1U) << model_name(r);
    EXPECT_EQ(r.counters.freed_at_munmap, 1U) << model_name(r);
  }
}

TEST(Regions, OptSeesAnUnmappedPageAsGone) {
  // OPT, 2 frames. @mmap 1 pages 0-9 rw-. t0 1:R p0, t1 1:R p1 fill memory. t2 1:R p2 must evict:
  // p0 is unmapped before anyone uses it again (the later 1:R p0 reaches a new page), so its
  // page is never used again and OPT evicts it, keeping p1. @munmap and @mmap of page 0. t3 1:R
  // p0, a new page: evicts p2 (never used again), keeping p1 for t4 1:R p1, a hit. 4 faults.
  // An OPT that followed page number 0 across the munmap would see p0 used at t3, before p1 at
  // t4, evict p1 at t2 and fault again at t4: 5 faults.
  const std::vector<Access> trace{mmap_of(1, 0, 10, kRw), read_at(0, 1),      read_at(1, 1),
                                  read_at(2, 1),          munmap_of(1, 0, 1), mmap_of(1, 0, 1, kRw),
                                  read_at(0, 1),          read_at(1, 1)};
  SimConfig config = config_for("opt", 2);
  config.record_faults = true;
  for (const Results& r : both_models(config, trace)) {
    EXPECT_EQ(r.counters.page_faults, 4U) << model_name(r);
    ASSERT_EQ(r.faults.size(), 4U) << model_name(r);
    ASSERT_TRUE(r.faults[2].victim_vpn.has_value()) << model_name(r);
    EXPECT_EQ(*r.faults[2].victim_vpn, 0U) << model_name(r);
    ASSERT_TRUE(r.faults[3].victim_vpn.has_value()) << model_name(r);
    EXPECT_EQ(*r.faults[3].victim_vpn, 2U) << model_name(r);
  }
}

}  // namespace
}  // namespace vmsim::test
