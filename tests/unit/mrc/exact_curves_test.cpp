// The one-pass curves equal simulation: for LRU and OPT, the faults the curve gives at c frames
// are what the full simulator (vmsim::simulate, TLB off) counts with c frames, on the recorded
// example traces, generated workloads and random traces (several processes, accesses that cross a
// page boundary).
#include <gtest/gtest.h>

#include <algorithm>

#include "core/rng.hpp"
#include "mrc/mrc.hpp"
#include "support/refs.hpp"
#include "trace/dense_trace.hpp"
#include "trace/gen/generator.hpp"
#include "unit/mrc/slow_build.hpp"
#include "vmsim/error.hpp"
#include "vmsim/simulator.hpp"

namespace vmsim::test {
namespace {

std::vector<Access> read_all(TraceReader& reader, std::uint64_t limit = ~std::uint64_t{0}) {
  std::vector<Access> out;
  std::vector<Access> batch(4096);
  while (out.size() < limit) {
    const std::size_t n = reader.read(batch);
    if (n == 0) break;
    out.insert(out.end(), batch.begin(),
               batch.begin() +
                   static_cast<std::ptrdiff_t>(std::min<std::uint64_t>(n, limit - out.size())));
  }
  return out;
}

std::uint64_t simulated_faults(const std::vector<Access>& records, const std::string& policy,
                               std::uint64_t frames) {
  SimConfig config;
  config.policy = policy;
  config.frames = frames;
  config.tlb_entries = 0;
  return simulate(config, records).counters.page_faults;
}

// Every size up to `dense_up_to`, then about `more` sizes spread over the rest, and the footprint.
std::vector<std::uint64_t> sizes_to_check(std::uint64_t pages, std::uint64_t dense_up_to,
                                          std::uint64_t more) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t c = 1; c <= std::min(pages, dense_up_to); ++c) out.push_back(c);
  if (pages > dense_up_to) {
    const std::uint64_t step = std::max<std::uint64_t>(1, (pages - dense_up_to) / more);
    for (std::uint64_t c = dense_up_to + step; c < pages; c += step) out.push_back(c);
    out.push_back(pages);
  }
  out.push_back(pages + 1);
  return out;
}

void expect_curves_match_simulation(const std::vector<Access>& records, const std::string& what,
                                    std::uint64_t dense_up_to = 1000, std::uint64_t more = 0) {
  VectorReader reader(records);
  const DenseTrace trace = DenseTrace::decode(reader, 12);
  const mrc::MissRatioCurve lru = mrc::exact_lru_curve(trace);
  const mrc::MissRatioCurve opt = mrc::exact_opt_curve(trace);
  EXPECT_EQ(lru.page_refs, trace.size());
  for (const std::uint64_t c : sizes_to_check(trace.distinct_pages(), dense_up_to, more)) {
    EXPECT_EQ(lru.faults(c), static_cast<double>(simulated_faults(records, "lru", c)))
        << what << ", LRU with " << c << " frames";
    EXPECT_EQ(opt.faults(c), static_cast<double>(simulated_faults(records, "opt", c)))
        << what << ", OPT with " << c << " frames";
    EXPECT_LE(opt.faults(c), lru.faults(c)) << what << ": OPT is a lower bound";
  }
}

TEST(ExactCurves, RecordedTraces) {
  for (const char* name : {"listwalk", "matmul-naive", "matmul-blocked"}) {
    TraceSpec spec;
    spec.path = std::string(VMSIM_SOURCE_DIR) + "/examples/traces/" + name + ".lackey.zst";
    const auto reader = open_trace(spec);
    const std::vector<Access> records = read_all(*reader, kSlowBuild ? 30'000 : 400'000);
    // About 95 pages each: every size up to 24, then every fourth.
    expect_curves_match_simulation(records, name, 24, 20);
  }
}

TEST(ExactCurves, GeneratedWorkloads) {
  struct Case {
    const char* kind;
    gen::GeneratorParams params;
  };
  std::vector<Case> cases;
  gen::GeneratorParams p;
  p.length = 20'000;
  p.pages = 300;
  cases.push_back({"zipf", p});
  p.working_set = 40;  // a loop one page larger than memory is LRU's worst case
  cases.push_back({"loop", p});
  cases.push_back({"phases", p});
  gen::GeneratorParams m;
  m.matrix_n = 24;
  m.block = 8;
  m.length = 30'000;
  cases.push_back({"matmul", m});
  for (const Case& k : cases) {
    const auto reader = gen::make_generator(k.kind, k.params);
    expect_curves_match_simulation(read_all(*reader), k.kind, kSlowBuild ? 16 : 48,
                                   kSlowBuild ? 10 : 25);
  }
}

TEST(ExactCurves, RandomTracesEverySize) {
  Rng rng(1970);
  for (int round = 0; round < 12; ++round) {
    const std::uint64_t pages = 2 + rng.below(40);
    std::vector<Access> records;
    std::uint64_t base = 0;
    for (int i = 0; i < 600; ++i) {
      if (rng.below(30) == 0) base = rng.below(pages);
      const std::uint64_t page =
          rng.below(3) == 0 ? rng.below(pages) : (base + rng.below(5)) % pages;
      // Some accesses straddle two pages; three processes.
      const std::uint64_t offset = rng.below(8) == 0 ? 4094 : rng.below(4000);
      records.push_back(Access{page * 4096 + offset, 4, static_cast<std::uint16_t>(rng.below(3)),
                               rng.below(4) == 0 ? Op::Write : Op::Read});
    }
    expect_curves_match_simulation(records, "random trace " + std::to_string(round));
  }
}

// Processes that exit and are forked again: `run` frees an exited process's pages, and the LRU
// curve's stack leaves holes for them (mrc/stack_distance.hpp), so the two still agree at every
// size. The OPT curve needs nothing of the kind: a freed page is never used again, which is the
// page OPT evicts first, so freeing it instead changes which frame a fault takes, never whether
// it faults (without the frees the OPT stack still matches run).
TEST(ExactCurves, LruFreesThePagesOfExitedProcesses) {
  Rng rng(1975);
  for (int round = 0; round < 16; ++round) {
    const std::uint64_t pages = 2 + rng.below(20);
    std::vector<Access> records = process_trace(rng, 800, pages, 30);
    // Forks by a process that touches no memory, so that no page is shared (the curves refuse
    // that: SharedPagesAreRefused).
    for (Access& a : records) {
      if (a.op == Op::Fork) a.pid = 9;
    }
    VectorReader reader(records);
    const DenseTrace trace = DenseTrace::decode(reader, 12);
    ASSERT_GT(trace.exits(), 0U);
    const mrc::MissRatioCurve lru = mrc::exact_lru_curve(trace);
    const mrc::MissRatioCurve opt = mrc::exact_opt_curve(trace);
    for (std::uint64_t c = 1; c <= trace.distinct_pages() + 1; ++c) {
      EXPECT_EQ(lru.faults(c), static_cast<double>(simulated_faults(records, "lru", c)))
          << "round " << round << ", LRU with " << c << " frames";
      EXPECT_EQ(opt.faults(c), static_cast<double>(simulated_faults(records, "opt", c)))
          << "round " << round << ", OPT with " << c << " frames";
    }
  }
}

// Regions: `run` frees the pages munmap unmaps (and, at a process's first region event, those it
// touched before), and drops the references its regions do not allow. The decoding leaves the
// dropped ones out, and the LRU curve's stack leaves holes for the unmapped pages, so the two
// agree at every size. The OPT curve refuses such a trace (an unmapped page touched again is a new
// page under the same id).
TEST(ExactCurves, LruFreesUnmappedPagesAndSkipsProtectionFaults) {
  Rng rng(2024);
  for (int round = 0; round < 16; ++round) {
    const std::uint64_t pages = 3 + rng.below(20);
    // No forks or exits (a fork may share pages, which the curves refuse).
    const std::vector<Access> records = region_trace(rng, 800, pages, 1'000'000, 20);
    VectorReader reader(records);
    const DenseTrace trace = DenseTrace::decode(reader, 12);
    ASSERT_GT(trace.protection_fault_count(), 0U) << "round " << round;
    const mrc::MissRatioCurve lru = mrc::exact_lru_curve(trace);
    for (std::uint64_t c = 1; c <= trace.distinct_pages() + 1; ++c) {
      EXPECT_EQ(lru.faults(c), static_cast<double>(simulated_faults(records, "lru", c)))
          << "round " << round << ", LRU with " << c << " frames";
    }
    if (trace.unmaps_pages()) {
      EXPECT_THROW(mrc::exact_opt_curve(trace), Error);
    }
  }
}

// A fork whose child shares written pages with its parent: one page for `vmsim run`, two for the
// stacks, so the curves refuse the trace rather than give another model's answer.
TEST(ExactCurves, SharedPagesAreRefused) {
  const std::vector<Access> records{
      {0x1000, 1, 1, Op::Write}, {2, 1, 1, Op::Fork}, {0x1000, 1, 2, Op::Read}};
  VectorReader reader(records);
  const DenseTrace trace = DenseTrace::decode(reader, 12);
  EXPECT_TRUE(trace.forks_share_pages());
  EXPECT_THROW(mrc::exact_lru_curve(trace), Error);
  EXPECT_THROW(mrc::exact_opt_curve(trace), Error);
  // The same fork after a read only: nothing written, nothing shared.
  const std::vector<Access> read_only{
      {0x1000, 1, 1, Op::Read}, {2, 1, 1, Op::Fork}, {0x1000, 1, 2, Op::Read}};
  VectorReader again(read_only);
  const DenseTrace unshared = DenseTrace::decode(again, 12);
  EXPECT_FALSE(unshared.forks_share_pages());
  EXPECT_EQ(mrc::exact_lru_curve(unshared).faults(1), 2.0);
}

TEST(ExactCurves, OptRefusesPastItsLimit) {
  const DenseTrace t = DenseTrace::from_pages({1, 2, 3, 4, 5, 1});
  mrc::OptLimits limits;
  limits.max_pages = 4;
  EXPECT_THROW(mrc::exact_opt_curve(t, limits), Error);
  limits.max_pages = 5;
  EXPECT_NO_THROW(mrc::exact_opt_curve(t, limits));
}

TEST(ExactCurves, EmptyTrace) {
  const DenseTrace t = DenseTrace::from_pages({});
  const mrc::MissRatioCurve c = mrc::exact_lru_curve(t);
  EXPECT_EQ(c.faults(1), 0);
  EXPECT_EQ(c.miss_ratio(1), 0);
}

}  // namespace
}  // namespace vmsim::test
