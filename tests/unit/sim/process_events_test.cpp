// Fork and exit through whole runs, in both models: an exit frees its process's frames (not
// evictions: no write-back, nothing remembered), drops its swap copies, and a pid forked again
// gets a new, empty address space. Expected counts and victims are worked out by hand in each
// comment.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/address_space_ids.hpp"
#include "support/processes.hpp"

namespace vmsim::test {
namespace {

TEST(ProcessEvents, ExitFreesFramesSoLaterFaultsNeedNoEviction) {
  // FIFO, 3 frames. 1:p0 1:p1 2:p0 fault into frames 0, 1, 2 (memory full). @exit 1 frees frames
  // 0 and 1. 2:p1 and 2:p2 fault into them (frame 0 first), no eviction. Then pid 1 reads p0
  // again: its address space ended, so the fault is a first touch in a new one (pid 1 has none,
  // so its access makes one), and memory is full: FIFO evicts the oldest page, 2:p0. Without
  // the exit, 2:p1 and 2:p2 would have evicted 1:p0 and 1:p1, and 1:p0 2:p0: 3 evictions.
  const std::vector<Access> trace{read_at(0, 1), read_at(1, 1), read_at(0, 2), exit_of(1),
                                  read_at(1, 2), read_at(2, 2), read_at(0, 1)};
  for (const Results& r : both_models(config_for("fifo", 3), trace)) {
    const Counters& c = r.counters;
    EXPECT_EQ(c.page_faults, 6U) << model_name(r);
    EXPECT_EQ(c.minor_faults, 6U) << model_name(r);
    EXPECT_EQ(c.evictions, 1U) << model_name(r);
    EXPECT_EQ(c.freed_at_exit, 2U) << model_name(r);
    EXPECT_EQ(c.exits, 1U) << model_name(r);
    EXPECT_EQ(c.forks, 0U) << model_name(r);
    EXPECT_EQ(c.events, 1U) << model_name(r);
    EXPECT_EQ(c.processes, 2U) << model_name(r);  // distinct pids, not address spaces
    EXPECT_EQ(c.peak_resident, 3U) << model_name(r);
    EXPECT_EQ(victims(r), (std::vector<std::int64_t>{-1, -1, -1, -1, -1, 0})) << model_name(r);
    ASSERT_EQ(r.faults.size(), 6U);
    EXPECT_EQ(r.faults[5].victim_pid, 2U) << model_name(r);
  }
}

TEST(ProcessEvents, DirtyPagesOfAnExitedProcessAreNotWrittenBack) {
  // FIFO, 2 frames. 1:W p0, 1:W p1 fill memory with dirty pages; @exit 1 frees both without a
  // write. 2:p0 and 2:p1 take the free frames. Nothing was written to swap.
  const std::vector<Access> trace{write_at(0, 1), write_at(1, 1), exit_of(1), read_at(0, 2),
                                  read_at(1, 2)};
  for (const Results& r : both_models(config_for("fifo", 2), trace)) {
    EXPECT_EQ(r.counters.page_faults, 4U) << model_name(r);
    EXPECT_EQ(r.counters.evictions, 0U) << model_name(r);
    EXPECT_EQ(r.counters.dirty_writebacks, 0U) << model_name(r);
    EXPECT_EQ(r.counters.swap_writes, 0U) << model_name(r);
    EXPECT_EQ(r.counters.freed_at_exit, 2U) << model_name(r);
  }
}

TEST(ProcessEvents, AForkedAgainPidStartsEmptyAndItsSwapCopiesAreGone) {
  // FIFO, 1 frame. 1:W p0 (minor); 1:R p1 evicts dirty p0 to swap (1 write, minor fault). @exit
  // 1 frees p1's frame and drops p0's swap copy. @fork 0 1: pid 0 gets an address space, and pid
  // 1 a new one. 1:R p0 is a first touch in it: a minor fault into the free frame, not a swap
  // read. Then 1:R p1 evicts it (clean in this address space: dropped, no write). 4 faults, all
  // minor, 1 swap write, no swap read, 2 evictions.
  const std::vector<Access> trace{write_at(0, 1), read_at(1, 1), exit_of(1),
                                  fork_of(0, 1),  read_at(0, 1), read_at(1, 1)};
  for (const Results& r : both_models(config_for("fifo", 1), trace)) {
    const Counters& c = r.counters;
    EXPECT_EQ(c.page_faults, 4U) << model_name(r);
    EXPECT_EQ(c.minor_faults, 4U) << model_name(r);
    EXPECT_EQ(c.major_faults, 0U) << model_name(r);
    EXPECT_EQ(c.swap_reads, 0U) << model_name(r);
    EXPECT_EQ(c.swap_writes, 1U) << model_name(r);
    EXPECT_EQ(c.evictions, 2U) << model_name(r);
    EXPECT_EQ(c.freed_at_exit, 1U) << model_name(r);
    EXPECT_EQ(c.forks, 1U) << model_name(r);
    EXPECT_EQ(c.exits, 1U) << model_name(r);
    EXPECT_EQ(c.processes, 1U) << model_name(r);  // only pid 1 accesses memory
  }
}

TEST(ProcessEvents, WithoutTheExitTheSamePidKeepsItsPages) {
  // The trace above without its events: 1:R p0 after the swap-out is a major fault (swap read).
  const std::vector<Access> trace{write_at(0, 1), read_at(1, 1), read_at(0, 1), read_at(1, 1)};
  for (const Results& r : both_models(config_for("fifo", 1), trace)) {
    EXPECT_EQ(r.counters.major_faults, 1U) << model_name(r);
    EXPECT_EQ(r.counters.swap_reads, 1U) << model_name(r);
  }
}

TEST(ProcessEvents, AForkToALivePidEndsItsAddressSpaceFirst) {
  // LRU, 4 frames. 1:p0 1:p1 resident; @fork 0 1 while pid 1 still has its address space: that
  // one ends (2 pages freed), and pid 1 starts empty, so 1:p0 faults again (minor).
  const std::vector<Access> trace{read_at(0, 1), read_at(1, 1), fork_of(0, 1), read_at(0, 1)};
  for (const Results& r : both_models(config_for("lru", 4), trace)) {
    EXPECT_EQ(r.counters.page_faults, 3U) << model_name(r);
    EXPECT_EQ(r.counters.freed_at_exit, 2U) << model_name(r);
    EXPECT_EQ(r.counters.evictions, 0U) << model_name(r);
  }
}

TEST(ProcessEvents, OptKnowsTheExitedProcessesPagesAreDead) {
  // OPT, 2 frames: t0 1:a, t1 2:c, t2 3:x, @exit 1, @fork 0 1, t3 1:a (a new address space's
  // page), t4 2:c. At t2 memory is full with 1:a and 2:c: 1:a dies at the exit, so it is never
  // used again and goes. (Taking the t3 reference as its next use would evict 2:c, used at t4,
  // instead.) At t3, 3:x is never used again and goes; t4 hits. 4 faults, 2 evictions.
  const std::vector<Access> trace{read_at(0xa, 1), read_at(0xc, 2), read_at(0xe, 3), exit_of(1),
                                  fork_of(0, 1),   read_at(0xa, 1), read_at(0xc, 2)};
  for (const Results& r : both_models(config_for("opt", 2), trace)) {
    EXPECT_EQ(r.counters.page_faults, 4U) << model_name(r);
    EXPECT_EQ(victims(r), (std::vector<std::int64_t>{-1, -1, 0xa, 0xe})) << model_name(r);
    ASSERT_EQ(r.faults.size(), 4U);
    EXPECT_EQ(r.faults[2].victim_pid, 1U) << model_name(r);
    EXPECT_EQ(r.faults[3].victim_pid, 3U) << model_name(r);
  }
}

TEST(ProcessEvents, PageTablePagesCountEveryAddressSpaceEverMade) {
  // x86-64 radix tables: 4 table pages for one page's path in each address space. pid 1's first
  // and second address spaces and pid 0's (made by the fork, no pages): 4 + 1 + 4 = 9 (pid 0's
  // table is just its root).
  const std::vector<Access> trace{read_at(0, 1), exit_of(1), fork_of(0, 1), read_at(0, 1)};
  SimConfig config = config_for("lru", 4);
  const Results r = simulate(config, trace);
  EXPECT_EQ(r.counters.page_table_pages, 9U);
  EXPECT_EQ(r.counters.page_faults, 2U);
}

TEST(ProcessEvents, ARecycledAsidFindsNothingOfTheDeadProcess) {
  // @fork 0 1 gives pid 0 ASID 0 and pid 1 ASID 1; pid 1 reads page 5 (TLB and register filled).
  // 65,535 more forks of pid 1 each end its address space and make another: ASIDs 2..65535, and
  // then, all 2^16 handed out, ASID 1 again. Its read of page 5 must fault in a new address space,
  // not hit the TLB entry or the register the first pid 1 left: 2 faults, 2 TLB misses.
  std::vector<Access> trace{fork_of(0, 1), read_at(5, 1)};
  for (int i = 0; i < 65'535; ++i) trace.push_back(fork_of(0, 1));
  trace.push_back(read_at(5, 1));
  for (const Results& r : both_models(config_for("lru", 4), trace)) {
    EXPECT_EQ(r.counters.forks, 65'536U) << model_name(r);
    EXPECT_EQ(r.counters.page_faults, 2U) << model_name(r);
    EXPECT_EQ(r.counters.minor_faults, 2U) << model_name(r);
    EXPECT_EQ(r.counters.freed_at_exit, 1U) << model_name(r);
    if (r.config.model == SimModel::Full) {
      EXPECT_EQ(r.counters.tlb_misses, 2U);
    }
  }
}

TEST(AddressSpaceIds, FreshAsidsFirstThenTheLongestFreed) {
  AddressSpaceIds ids;
  bool created = false;
  for (std::uint32_t pid = 0; pid < AddressSpaceIds::kAsids; ++pid) {
    ASSERT_EQ(ids.for_access(static_cast<std::uint16_t>(pid), created), pid);
    ASSERT_TRUE(created);
  }
  std::vector<Asid> ended;
  const auto end = [&](Asid asid) { ended.push_back(asid); };
  std::vector<Asid> begun;
  const auto begin = [&](Asid asid, std::uint16_t) { begun.push_back(asid); };
  std::vector<std::pair<Asid, Asid>> forked;
  const auto fork = [&](Asid parent, Asid child) { forked.emplace_back(parent, child); };
  ids.apply(exit_of(5), end, begin, fork);
  ids.apply(exit_of(3), end, begin, fork);
  EXPECT_EQ(ended, (std::vector<Asid>{5, 3}));
  EXPECT_EQ(ids.live(5), -1);
  // All 2^16 handed out: pid 5 forked again takes ASID 5, freed longest ago; pid 3 then 3.
  ids.apply(fork_of(0, 5), end, begin, fork);
  EXPECT_EQ(ids.for_access(3, created), 3U);
  EXPECT_TRUE(created);
  EXPECT_EQ(begun, (std::vector<Asid>{5}));
  // The child's new space (ASID 5) is a copy of pid 0's (ASID 0), made after it begins.
  EXPECT_EQ(forked, (std::vector<std::pair<Asid, Asid>>{{0, 5}}));
  EXPECT_EQ(ids.live(5), 5);
  EXPECT_EQ(ids.pid_of(3), 3U);
  // Before the fresh ones run out, an exit's ASID is not reused at once.
  AddressSpaceIds young;
  EXPECT_EQ(young.for_access(7, created), 0U);
  young.apply(exit_of(7), end, begin, fork);
  EXPECT_EQ(young.for_access(7, created), 1U);
  EXPECT_EQ(young.pid_of(1), 7U);
}

}  // namespace
}  // namespace vmsim::test
