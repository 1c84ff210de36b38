// Properties that must hold on any trace: OPT is a lower bound, stack algorithms obey inclusion,
// and the counters add up. Random traces come from a fixed seed so failures reproduce.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/rng.hpp"
#include "support/refs.hpp"

namespace vmsim::test {
namespace {

// Every registered policy, so a new policy is held to these properties as soon as it is registered,
// plus the working-set policies with windows small enough to release pages on these short traces.
std::vector<std::string> all_policies() {
  std::vector<std::string> names;
  for (const PolicyDescription& p : list_policies()) names.emplace_back(p.name);
  for (const char* spec : {"ws:tau=7", "pff:threshold=5", "wsclock:tau=7"})
    names.emplace_back(spec);
  return names;
}
const std::vector<std::string> kPolicies = all_policies();

// A trace with some locality: mostly a drifting hot set, sometimes anywhere; about 30% writes.
std::vector<Access> random_trace(Rng& rng, std::size_t length, std::uint64_t pages) {
  std::vector<Access> out;
  std::uint64_t base = 0;
  for (std::size_t i = 0; i < length; ++i) {
    if (rng.below(50) == 0) base = rng.below(pages);
    const std::uint64_t page = rng.below(4) == 0 ? rng.below(pages) : (base + rng.below(5)) % pages;
    const Op op = rng.below(10) < 3 ? Op::Write : Op::Read;
    out.push_back(
        Access{page * 4096 + rng.below(4096), 1, static_cast<std::uint16_t>(rng.below(2)), op});
  }
  return out;
}

struct Case {
  std::vector<Access> trace;
  std::uint64_t frames;
};

std::vector<Case> cases() {
  Rng rng(2024);
  std::vector<Case> out;
  for (int i = 0; i < 40; ++i) {
    const std::uint64_t pages = 3 + rng.below(30);
    out.push_back({random_trace(rng, 300 + rng.below(400), pages), 1 + rng.below(pages)});
  }
  return out;
}

Results run(const std::string& policy, std::uint64_t frames, const std::vector<Access>& trace) {
  return simulate(config_for(policy, frames), trace);
}

std::set<std::uint64_t> fault_indices(const Results& r) {
  std::set<std::uint64_t> out;
  for (const FaultRecord& f : r.faults) out.insert(f.ref_index);
  return out;
}

TEST(Properties, OptNeverFaultsMoreThanAnyPolicy) {
  for (const Case& c : cases()) {
    const std::uint64_t opt = run("opt", c.frames, c.trace).counters.page_faults;
    for (const std::string& p : kPolicies) {
      EXPECT_LE(opt, run(p, c.frames, c.trace).counters.page_faults) << p << " frames " << c.frames;
    }
  }
}

// Mattson et al.'s inclusion property: with more frames a stack algorithm's resident set is a
// superset, so every reference that hits with m frames also hits with m + 1: the fault positions
// are nested.
TEST(Properties, StackAlgorithmsObeyInclusion) {
  for (const Case& c : cases()) {
    for (const std::string p : {"lru", "opt"}) {
      std::set<std::uint64_t> previous = fault_indices(run(p, 1, c.trace));
      for (std::uint64_t frames = 2; frames <= c.frames + 3; ++frames) {
        const std::set<std::uint64_t> current = fault_indices(run(p, frames, c.trace));
        for (std::uint64_t i : current) {
          ASSERT_TRUE(previous.count(i)) << p << ": reference " << i << " faults with " << frames
                                         << " frames but hit with " << frames - 1;
        }
        previous = current;
      }
    }
  }
}

TEST(Properties, CountersAddUp) {
  for (const Case& c : cases()) {
    for (const std::string& p : kPolicies) {
      const Counters k = run(p, c.frames, c.trace).counters;
      EXPECT_EQ(k.page_faults + k.page_hits(), k.page_refs) << p;
      EXPECT_EQ(k.page_refs, k.accesses);  // one-byte accesses never cross a page
      EXPECT_EQ(k.tlb_hits + k.tlb_misses, k.page_refs) << p;
      EXPECT_EQ(k.minor_faults + k.major_faults, k.page_faults) << p;
      EXPECT_EQ(k.reads + k.writes + k.fetches, k.accesses) << p;
      // Unless a policy releases pages on its own, no frame is ever freed, so every fault after
      // memory filled up evicted exactly one page.
      EXPECT_LE(k.evictions, k.page_faults) << p;
      if (k.released == 0) {
        EXPECT_EQ(k.evictions, k.page_faults - k.peak_resident) << p;
      }
      EXPECT_LE(k.peak_resident, c.frames) << p;
      EXPECT_EQ(k.swap_reads, k.major_faults) << p;
      // Pages are written when they leave memory (evicted or released), except that WSClock also
      // writes old dirty pages ahead of their eviction.
      if (p.rfind("wsclock", 0) != 0) {
        EXPECT_LE(k.dirty_writebacks, k.evictions + k.released) << p;
      }
      EXPECT_EQ(k.swap_writes, k.dirty_writebacks) << p;
      // Without the swap cache each swap read consumes the one copy its own earlier write made.
      EXPECT_LE(k.swap_reads, k.swap_writes) << p;
    }
  }
}

// Replaying the fault log: a major fault is only ever for a page that was evicted dirty before (per
// page, with or without the swap cache), and a page evicted clean and never written is zero-filled.
TEST(Properties, SwapReadsFollowWritesPerPage) {
  for (const Case& c : cases()) {
    for (bool swap_cache : {false, true}) {
      SimConfig config = config_for("lru", c.frames);
      config.swap_cache = swap_cache;
      const Results r = simulate(config, c.trace);
      // Reconstruct which pages have been written since they were loaded, from the trace itself.
      std::map<std::pair<std::uint16_t, std::uint64_t>, bool> dirty_now, ever_swapped;
      std::size_t next_fault = 0;
      for (std::size_t i = 0; i < c.trace.size(); ++i) {
        const auto key = std::make_pair(c.trace[i].pid, c.trace[i].addr / 4096);
        if (next_fault < r.faults.size() && r.faults[next_fault].ref_index == i) {
          const FaultRecord& f = r.faults[next_fault++];
          if (f.victim_vpn) {
            const auto victim = std::make_pair(f.victim_pid, *f.victim_vpn);
            if (dirty_now[victim]) ever_swapped[victim] = true;
            dirty_now[victim] = false;
          }
          EXPECT_EQ(f.major, ever_swapped[key]) << "reference " << i;
          // Without the swap cache a swapped-in page has no copy left and must be written again.
          if (f.major && !swap_cache) dirty_now[key] = true;
        }
        if (c.trace[i].op == Op::Write) dirty_now[key] = true;
      }
      EXPECT_EQ(next_fault, r.faults.size());
    }
  }
}

TEST(Properties, SameSeedSameResultsDifferentSeedDifferentVictims) {
  const Case c = cases().front();
  SimConfig a = config_for("random", 3);
  SimConfig b = a;
  const auto first = simulate(a, c.trace);
  const auto second = simulate(b, c.trace);
  EXPECT_EQ(victims(first), victims(second));
  b.seed = 99;
  bool any_difference = false;
  for (std::uint64_t seed = 2; seed < 10 && !any_difference; ++seed) {
    b.seed = seed;
    any_difference = victims(simulate(b, c.trace)) != victims(first);
  }
  EXPECT_TRUE(any_difference);
}

}  // namespace
}  // namespace vmsim::test
