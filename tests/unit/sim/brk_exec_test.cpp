// @brk and @exec through whole runs, in both models. The heap follows Linux's brk (mm/mmap.c):
// the first @brk gives the initial break, growth maps the pages up to the new break read-write
// (extending the heap's region), shrinking unmaps them, and a break below the initial one or
// growth into mapped pages is refused. An exec ends the address space as exit_mmap does and the
// new program starts with an empty one. Every expected count is worked out by hand in the test's
// comment, following docs/events.md.
#include <gtest/gtest.h>

#include <vector>

#include "support/processes.hpp"

namespace vmsim::test {
namespace {

TEST(Brk, TheHeapGrowsShrinksAndRefusesWhatLinuxRefuses) {
  // LRU, 8 frames. @mmap 1 page 0 r-x. @brk 1 0x5000: the initial break, an empty heap from
  // page 5. 1:R p5: outside every region, protection fault 1 (reference 0).
  // @brk 1 0x7800: the heap is pages 5-7 (0x7800 ends inside page 7), one region rw-.
  // t0 1:W p5 fault, t1 1:W p7 fault. @brk 1 0x9000: pages 5-8, the same region extended.
  // t2 1:W p8 fault. 1:X p6: a fetch from the heap, protection fault 2 in region 0x5000-0x9000
  // rw- (one region: the growth extended it). @brk 1 0x6000: the heap shrinks to page 5; pages
  // 6-8 leave, resident 7 and 8 are freed (freed_at_munmap 2). 1:R p7: protection fault 3,
  // outside. t3 1:R p5 hit. @brk 1 0x1000: below the initial break, refused. t4 1:R p5 hit.
  // @mmap 1 page 6 rw-, then @brk 1 0x8000: growth into page 6, which is mapped: refused, so
  // 1:R p7 is protection fault 4 (reference 5). t5 1:R p6 fault.
  // 10 accesses, 6 page references, 4 faults, 4 protection faults.
  const std::vector<Access> trace{mmap_of(1, 0, 1, kRx), brk_of(1, 0x5000), read_at(5, 1),
                                  brk_of(1, 0x7800),     write_at(5, 1),    write_at(7, 1),
                                  brk_of(1, 0x9000),     write_at(8, 1),    fetch_at(6, 1),
                                  brk_of(1, 0x6000),     read_at(7, 1),     read_at(5, 1),
                                  brk_of(1, 0x1000),     read_at(5, 1),     mmap_of(1, 6, 1, kRw),
                                  brk_of(1, 0x8000),     read_at(7, 1),     read_at(6, 1)};
  for (const Results& r : both_models(config_for("lru", 8), trace)) {
    const Counters& c = r.counters;
    EXPECT_EQ(c.accesses, 10U) << model_name(r);
    EXPECT_EQ(c.page_refs, 6U) << model_name(r);
    EXPECT_EQ(c.page_faults, 4U) << model_name(r);
    EXPECT_EQ(c.protection_faults, 4U) << model_name(r);
    EXPECT_EQ(c.freed_at_munmap, 2U) << model_name(r);
    EXPECT_EQ(c.events, 8U) << model_name(r);
    ASSERT_EQ(r.protection_fault_list.size(), 4U) << model_name(r);
    const auto& list = r.protection_fault_list;
    EXPECT_EQ(list[0].ref_index, 0U);
    EXPECT_FALSE(list[0].in_region);
    EXPECT_EQ(list[1].ref_index, 3U);
    EXPECT_EQ(list[1].op, Op::Fetch);
    EXPECT_TRUE(list[1].in_region);
    EXPECT_EQ(list[1].region_start, 5 * kTestPage);
    EXPECT_EQ(list[1].region_end, 9 * kTestPage);
    EXPECT_EQ(list[1].region_prot, kRw);
    EXPECT_EQ(list[2].addr, 7 * kTestPage);
    EXPECT_FALSE(list[2].in_region);
    EXPECT_EQ(list[3].ref_index, 5U);
    EXPECT_FALSE(list[3].in_region);
  }
}

TEST(Brk, AFirstBrkEndsTheImplicitMappingOfEverything) {
  // FIFO, 4 frames. t0 1:W p3 fault, in a process without regions. @brk 1 0x10000 is its first
  // region event: every page it had leaves (p3 freed, freed_at_munmap 1) and the heap is empty.
  // 1:R p3: protection fault. @brk 1 0x11000: heap page 16. t1 1:W p16 fault.
  const std::vector<Access> trace{write_at(3, 1), brk_of(1, 0x10000), read_at(3, 1),
                                  brk_of(1, 0x11000), write_at(16, 1)};
  for (const Results& r : both_models(config_for("fifo", 4), trace)) {
    EXPECT_EQ(r.counters.page_refs, 2U) << model_name(r);
    EXPECT_EQ(r.counters.page_faults, 2U) << model_name(r);
    EXPECT_EQ(r.counters.freed_at_munmap, 1U) << model_name(r);
    EXPECT_EQ(r.counters.protection_faults, 1U) << model_name(r);
  }
}

TEST(Brk, AForkedChildHasACopyOfTheHeap) {
  // LRU, 8 frames. @brk 1 0x5000, @brk 1 0x6000: parent heap page 5. @fork 1 2: the child's
  // regions and break are copies. @brk 2 0x7000: the child's heap grows to pages 5-6, the
  // parent's does not. t0 2:W p6 fault. 1:W p6: protection fault (outside the parent's heap).
  // t1 1:W p5 fault (the parent never touched it before the fork, so nothing is shared).
  const std::vector<Access> trace{brk_of(1, 0x5000), brk_of(1, 0x6000), fork_of(1, 2),
                                  brk_of(2, 0x7000), write_at(6, 2),    write_at(6, 1),
                                  write_at(5, 1)};
  for (const Results& r : both_models(config_for("lru", 8), trace)) {
    EXPECT_EQ(r.counters.page_refs, 2U) << model_name(r);
    EXPECT_EQ(r.counters.page_faults, 2U) << model_name(r);
    EXPECT_EQ(r.counters.protection_faults, 1U) << model_name(r);
    ASSERT_EQ(r.protection_fault_list.size(), 1U) << model_name(r);
    EXPECT_EQ(r.protection_fault_list[0].pid, 1U);
  }
}

TEST(Exec, ReplacesTheAddressSpaceByAnEmptyOne) {
  // LRU, 8 frames. @mmap 1 pages 0-1 rw-. t0 1:W p0 fault, t1 1:W p1 fault. @exec 1: the old
  // address space ends as at exit (both frames freed, freed_at_exit 2) and so do its regions:
  // the new program has declared none, so any page is allowed. t2 1:R p0 fault (a new, zero
  // page: the old one is gone). t3 1:R p5 fault (outside the old regions, allowed now).
  const std::vector<Access> trace{mmap_of(1, 0, 2, kRw), write_at(0, 1), write_at(1, 1), exec_of(1),
                                  read_at(0, 1),         read_at(5, 1)};
  for (const Results& r : both_models(config_for("lru", 8), trace)) {
    const Counters& c = r.counters;
    EXPECT_EQ(c.page_refs, 4U) << model_name(r);
    EXPECT_EQ(c.page_faults, 4U) << model_name(r);
    EXPECT_EQ(c.freed_at_exit, 2U) << model_name(r);
    EXPECT_EQ(c.execs, 1U) << model_name(r);
    EXPECT_EQ(c.exits, 0U) << model_name(r);
    EXPECT_EQ(c.protection_faults, 0U) << model_name(r);
    EXPECT_EQ(c.processes, 1U) << model_name(r);
    EXPECT_EQ(c.swap_writes, 0U) << model_name(r);
  }
}

TEST(Exec, AChildThatExecsLeavesTheParentItsPages) {
  // LRU, 8 frames. t0 1:W p0 fault. @fork 1 2: p0 (written) is shared, write-protected on both
  // sides. @exec 2: the child's address space ends; the frame is still the parent's, so nothing
  // is freed. t1 1:W p0: a write-protection fault; the parent is the last sharer, so it writes
  // without a copy (a fault, no COW copy). t2 2:R p0: the new program's first touch, a fault.
  const std::vector<Access> trace{write_at(0, 1), fork_of(1, 2), exec_of(2), write_at(0, 1),
                                  read_at(0, 2)};
  for (const Results& r : both_models(config_for("lru", 8), trace)) {
    const Counters& c = r.counters;
    EXPECT_EQ(c.page_refs, 3U) << model_name(r);
    EXPECT_EQ(c.page_faults, 3U) << model_name(r);
    EXPECT_EQ(c.cow_faults, 0U) << model_name(r);
    EXPECT_EQ(c.freed_at_exit, 0U) << model_name(r);
    EXPECT_EQ(c.execs, 1U) << model_name(r);
    EXPECT_EQ(c.peak_resident, 2U) << model_name(r);
  }
}

}  // namespace
}  // namespace vmsim::test
