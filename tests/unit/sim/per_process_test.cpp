// Per-process accounting (SimConfig::per_process) in both models: faults by kind go to the process
// that took them, resident sets follow every mapping added and removed, and the proportional set
// size splits a shared frame among the pages that map it, as /proc/PID/smaps's Pss does. Every
// expected value is worked out by hand in the test's comment (docs/events.md for fork and exit).
#include <gtest/gtest.h>

#include <vector>

#include "support/processes.hpp"

namespace vmsim::test {
namespace {

SimConfig per_process_config(const char* policy, std::uint64_t frames) {
  SimConfig config = config_for(policy, frames);
  config.per_process = true;
  return config;
}

// LRU, 8 frames. t0-t2: 1:W p0, p1, p2, three first touches (frames 0-2). @fork 1 2, @fork 1 3:
// both children share the three written pages. t3 2:R p0 and t4 3:R p1 hit (their entries were
// copied). t5 3:W p2: a COW fault, process 3 gets frame 3 of its own. Frames 0 and 1 are mapped by
// three pages each, frame 2 by two (processes 1 and 2), frame 3 by one.
const std::vector<Access> kSharedTrace{write_at(0, 1), write_at(1, 1), write_at(2, 1),
                                       fork_of(1, 2),  fork_of(1, 3),  read_at(0, 2),
                                       read_at(1, 3),  write_at(2, 3)};

TEST(PerProcess, SharedFramesSplitTheirPssAmongTheirMappers) {
  // PSS: process 1 = 1/3 + 1/3 + 1/2 = 7/6, process 2 the same, process 3 = 1/3 + 1/3 + 1 = 5/3;
  // the sum is the 4 mapped frames. Each process maps 3 pages. Faults: process 1 three minor,
  // process 2 none, process 3 one (the COW copy, also a minor fault).
  for (const Results& r : both_models(per_process_config("lru", 8), kSharedTrace)) {
    ASSERT_EQ(r.per_process.size(), 3U) << model_name(r);
    const ProcessCounts& p1 = r.per_process[0];
    const ProcessCounts& p2 = r.per_process[1];
    const ProcessCounts& p3 = r.per_process[2];
    EXPECT_EQ(p1.pid, 1U);
    EXPECT_EQ(p2.pid, 2U);
    EXPECT_EQ(p3.pid, 3U);
    EXPECT_DOUBLE_EQ(p1.pss, 7.0 / 6.0) << model_name(r);
    EXPECT_DOUBLE_EQ(p2.pss, 7.0 / 6.0) << model_name(r);
    EXPECT_DOUBLE_EQ(p3.pss, 5.0 / 3.0) << model_name(r);
    for (const ProcessCounts& p : r.per_process) {
      EXPECT_EQ(p.resident, 3U) << model_name(r) << " pid " << p.pid;
      EXPECT_EQ(p.peak_resident, 3U) << model_name(r) << " pid " << p.pid;
    }
    EXPECT_EQ(p1.page_faults, 3U) << model_name(r);
    EXPECT_EQ(p1.minor_faults, 3U) << model_name(r);
    EXPECT_EQ(p2.page_faults, 0U) << model_name(r);
    EXPECT_EQ(p3.page_faults, 1U) << model_name(r);
    EXPECT_EQ(p3.cow_faults, 1U) << model_name(r);
    EXPECT_EQ(p3.minor_faults, 1U) << model_name(r);
    // The whole run's counts are the processes' sums.
    EXPECT_EQ(r.counters.page_faults, 4U) << model_name(r);
    // Frames 0, 1 and 2 are shared (by three, three and two pages); frame 3 is not.
    EXPECT_EQ(r.counters.frames_shared, 3U) << model_name(r);
  }
}

TEST(PerProcess, AnExitLeavesItsSharersALargerShare) {
  // The shared trace, then @exit 3: process 3's own frame 3 is freed and frames 0 and 1 are left
  // to processes 1 and 2, a half each: both PSS 1/2 + 1/2 + 1/2 = 3/2. Process 3 keeps its counts
  // with resident 0 and peak 3.
  std::vector<Access> trace = kSharedTrace;
  trace.push_back(exit_of(3));
  for (const Results& r : both_models(per_process_config("lru", 8), trace)) {
    ASSERT_EQ(r.per_process.size(), 3U) << model_name(r);
    EXPECT_DOUBLE_EQ(r.per_process[0].pss, 1.5) << model_name(r);
    EXPECT_DOUBLE_EQ(r.per_process[1].pss, 1.5) << model_name(r);
    EXPECT_DOUBLE_EQ(r.per_process[2].pss, 0.0) << model_name(r);
    EXPECT_EQ(r.per_process[2].resident, 0U) << model_name(r);
    EXPECT_EQ(r.per_process[2].peak_resident, 3U) << model_name(r);
    EXPECT_EQ(r.per_process[2].cow_faults, 1U) << model_name(r);
    EXPECT_EQ(r.counters.freed_at_exit, 1U) << model_name(r);
    EXPECT_EQ(r.counters.frames_shared, 3U) << model_name(r);  // each of frames 0-2 by two
  }
}

TEST(PerProcess, WritesAndExitsEndTheSharingOfFrames) {
  // LRU, 8 frames. t0 1:W p0, t1 1:W p1 (frames 0, 1). @fork 1 2: both shared. t2 1:W p0: a COW
  // copy into frame 2; frame 0 is left to the child alone. So one frame is shared (frame 1).
  // Then @exit 2: frame 1 is the parent's alone, frame 0 freed: none is shared.
  std::vector<Access> trace{write_at(0, 1), write_at(1, 1), fork_of(1, 2), write_at(0, 1)};
  for (const Results& r : both_models(config_for("lru", 8), trace)) {
    EXPECT_EQ(r.counters.cow_faults, 1U) << model_name(r);
    EXPECT_EQ(r.counters.frames_shared, 1U) << model_name(r);
  }
  trace.push_back(exit_of(2));
  for (const Results& r : both_models(config_for("lru", 8), trace)) {
    EXPECT_EQ(r.counters.frames_shared, 0U) << model_name(r);
    EXPECT_EQ(r.counters.freed_at_exit, 1U) << model_name(r);
  }
}

TEST(PerProcess, EvictionTakesPagesFromTheProcessThatHadThem) {
  // FIFO, 2 frames, no sharing. t0 1:W p0 fault (frame 0), t1 2:W p0 fault (frame 1). t2 1:R p1
  // fault: evicts 1:p0 (dirty: a swap write). t3 1:R p0 fault: evicts 2:p0 (dirty) and reads
  // 1:p0 back from swap, a major fault. At the end process 1 maps 2 pages (PSS 2) and process 2
  // none (PSS 0, peak 1). Faults: process 1 three (two minor, one major with one swap read),
  // process 2 one minor.
  const std::vector<Access> trace{write_at(0, 1), write_at(0, 2), read_at(1, 1), read_at(0, 1)};
  for (const Results& r : both_models(per_process_config("fifo", 2), trace)) {
    ASSERT_EQ(r.per_process.size(), 2U) << model_name(r);
    const ProcessCounts& p1 = r.per_process[0];
    const ProcessCounts& p2 = r.per_process[1];
    EXPECT_EQ(p1.page_faults, 3U) << model_name(r);
    EXPECT_EQ(p1.minor_faults, 2U) << model_name(r);
    EXPECT_EQ(p1.major_faults, 1U) << model_name(r);
    EXPECT_EQ(p1.swap_reads, 1U) << model_name(r);
    EXPECT_EQ(p1.resident, 2U) << model_name(r);
    EXPECT_EQ(p1.peak_resident, 2U) << model_name(r);
    EXPECT_DOUBLE_EQ(p1.pss, 2.0) << model_name(r);
    EXPECT_EQ(p2.page_faults, 1U) << model_name(r);
    EXPECT_EQ(p2.minor_faults, 1U) << model_name(r);
    EXPECT_EQ(p2.resident, 0U) << model_name(r);
    EXPECT_EQ(p2.peak_resident, 1U) << model_name(r);
    EXPECT_DOUBLE_EQ(p2.pss, 0.0) << model_name(r);
    EXPECT_EQ(r.counters.swap_writes, 2U) << model_name(r);
  }
}

TEST(PerProcess, ProtectionFaultsAreCountedForTheirProcess) {
  // @mmap 1 page 0 r--. 1:W p0: protection fault of process 1 (no page reference). t0 2:R p5: a
  // first touch of process 2, which declared no region.
  const std::vector<Access> trace{mmap_of(1, 0, 1, kProtRead), write_at(0, 1), read_at(5, 2)};
  for (const Results& r : both_models(per_process_config("lru", 4), trace)) {
    ASSERT_EQ(r.per_process.size(), 2U) << model_name(r);
    EXPECT_EQ(r.per_process[0].pid, 1U);
    EXPECT_EQ(r.per_process[0].protection_faults, 1U) << model_name(r);
    EXPECT_EQ(r.per_process[0].page_faults, 0U) << model_name(r);
    EXPECT_EQ(r.per_process[1].protection_faults, 0U) << model_name(r);
    EXPECT_EQ(r.per_process[1].page_faults, 1U) << model_name(r);
  }
}

TEST(PerProcess, OffByDefaultAndTheCountsStayTheSame) {
  for (const Results& r : both_models(config_for("lru", 8), kSharedTrace)) {
    EXPECT_TRUE(r.per_process.empty()) << model_name(r);
  }
  const std::vector<Results> with = both_models(per_process_config("lru", 8), kSharedTrace);
  const std::vector<Results> without = both_models(config_for("lru", 8), kSharedTrace);
  for (std::size_t i = 0; i < with.size(); ++i) {
    EXPECT_EQ(with[i].counters.page_faults, without[i].counters.page_faults);
    EXPECT_EQ(with[i].counters.cow_faults, without[i].counters.cow_faults);
    EXPECT_EQ(with[i].counters.tlb_misses, without[i].counters.tlb_misses);
  }
}

// Per region, as smaps lists mappings. Process 1 maps A = pages 0-3 rw- and B = page 8 r-x.
// LRU, 8 frames, no eviction. t0 W p0, t1 W p1, t2 X p8 (frames 0-2). @fork 1 2: the child shares
// p0 and p1 (written), not p8. t3 2:W p1: COW, the child's p1 gets frame 3. Then:
//   process 1, A: p0 (frame 0, mapped by both: 1/2), p1 (frame 1, its own now: 1) -> resident 2,
//             PSS 1.5; B: p8 (frame 2, its own) -> resident 1, PSS 1.
//   process 2, A: p0 (1/2), p1 (frame 3: 1) -> resident 2, PSS 1.5; B: nothing resident.
// Each region is 4 and 1 pages long.
TEST(PerProcess, RegionsListTheirResidentPagesAndPss) {
  const std::vector<Access> trace{mmap_of(1, 0, 4, kRw), mmap_of(1, 8, 1, kRx), write_at(0, 1),
                                  write_at(1, 1),        fetch_at(8, 1),        fork_of(1, 2),
                                  write_at(1, 2)};
  for (const Results& r : both_models(per_process_config("lru", 8), trace)) {
    ASSERT_EQ(r.per_region.size(), 4U) << model_name(r);
    const RegionCounts& a1 = r.per_region[0];
    const RegionCounts& b1 = r.per_region[1];
    const RegionCounts& a2 = r.per_region[2];
    const RegionCounts& b2 = r.per_region[3];
    EXPECT_EQ(a1.pid, 1U);
    EXPECT_EQ(b1.pid, 1U);
    EXPECT_EQ(a2.pid, 2U);
    EXPECT_EQ(b2.pid, 2U);
    EXPECT_EQ(a1.start, 0U);
    EXPECT_EQ(a1.end, 4 * kTestPage);
    EXPECT_EQ(b1.start, 8 * kTestPage);
    EXPECT_EQ(b1.end, 9 * kTestPage);
    EXPECT_EQ(a1.prot, kRw);
    EXPECT_EQ(b2.prot, kRx);
    EXPECT_EQ(a1.pages, 4U);
    EXPECT_EQ(b2.pages, 1U);
    EXPECT_EQ(a1.resident, 2U) << model_name(r);
    EXPECT_DOUBLE_EQ(a1.pss, 1.5) << model_name(r);
    EXPECT_EQ(b1.resident, 1U) << model_name(r);
    EXPECT_DOUBLE_EQ(b1.pss, 1.0) << model_name(r);
    EXPECT_EQ(a2.resident, 2U) << model_name(r);
    EXPECT_DOUBLE_EQ(a2.pss, 1.5) << model_name(r);
    EXPECT_EQ(b2.resident, 0U) << model_name(r);
    EXPECT_DOUBLE_EQ(b2.pss, 0.0) << model_name(r);
  }
}

// A process without region events has no regions to list, and a run without --per-process lists
// none at all.
TEST(PerProcess, OnlyDeclaredRegionsAreListed) {
  for (const Results& r : both_models(per_process_config("lru", 8), kSharedTrace)) {
    EXPECT_TRUE(r.per_region.empty()) << model_name(r);
  }
  const std::vector<Access> trace{mmap_of(1, 0, 4, kRw), write_at(0, 1)};
  for (const Results& r : both_models(config_for("lru", 8), trace)) {
    EXPECT_TRUE(r.per_region.empty()) << model_name(r);
  }
}

// A run that stops at its first protection fault lists the regions alive there. Process 1 maps
// pages 0-1, writes p0, then writes p5 (outside: the fault), then unmaps its region. Stopped: the
// region is listed with p0 resident. Going on: the munmap leaves no region to list.
TEST(PerProcess, AStoppedRunListsTheRegionsWhereItStopped) {
  const std::vector<Access> trace{mmap_of(1, 0, 2, kRw), write_at(0, 1), write_at(5, 1),
                                  munmap_of(1, 0, 2)};
  SimConfig stop = per_process_config("lru", 8);
  stop.on_segv = OnSegv::Stop;
  for (const Results& r : both_models(stop, trace)) {
    ASSERT_EQ(r.per_region.size(), 1U) << model_name(r);
    EXPECT_EQ(r.per_region[0].pages, 2U) << model_name(r);
    EXPECT_EQ(r.per_region[0].resident, 1U) << model_name(r);
  }
  for (const Results& r : both_models(per_process_config("lru", 8), trace)) {
    EXPECT_TRUE(r.per_region.empty()) << model_name(r);
  }
}

}  // namespace
}  // namespace vmsim::test
