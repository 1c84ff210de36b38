// Reference-string mode (--model refs) leaves out the TLB and page tables but must fault, evict and
// swap exactly as the full simulator does, for every registered policy: same counters, same fault
// log (which reference faulted, major or minor, which page was evicted). Random traces with two
// processes, writes, page-crossing accesses and events, and the recorded example traces at several
// memory sizes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/rng.hpp"
#include "sim/compare.hpp"
#include "support/refs.hpp"
#include "vmsim/counters.hpp"

namespace vmsim::test {
namespace {

std::vector<std::string> all_policies() {
  std::vector<std::string> names;
  for (const PolicyDescription& p : list_policies()) names.emplace_back(p.name);
  return names;
}

// A drifting hot set with excursions; about 30% writes, some accesses crossing a page boundary,
// pids 3 and 7 (so the full simulator's address-space numbering differs from the pids), and an
// occasional event record.
std::vector<Access> random_trace(Rng& rng, std::size_t length, std::uint64_t pages) {
  std::vector<Access> out;
  std::uint64_t base = 0;
  for (std::size_t i = 0; i < length; ++i) {
    if (rng.below(50) == 0) base = rng.below(pages);
    if (rng.below(100) == 0) {
      out.push_back(Access{0x1000, 4096, 3, Op::Mmap});
      continue;
    }
    const std::uint64_t page = rng.below(4) == 0 ? rng.below(pages) : (base + rng.below(5)) % pages;
    const std::uint64_t r = rng.below(10);
    const Op op = r < 3 ? Op::Write : (r < 9 ? Op::Read : Op::Fetch);
    const std::uint32_t size = rng.below(20) == 0 ? 16 : 1;
    const std::uint64_t offset = size > 1 ? 4090 : rng.below(4096);
    out.push_back(Access{page * 4096 + offset, size,
                         rng.below(3) == 0 ? std::uint16_t{3} : std::uint16_t{7}, op});
  }
  return out;
}

struct FaultKey {
  std::uint64_t ref_index;
  std::uint16_t pid;
  std::uint64_t vpn;
  bool major;
  std::int64_t victim;
  std::uint16_t victim_pid;
  friend bool operator==(const FaultKey&, const FaultKey&) = default;
};

std::vector<FaultKey> fault_log(const Results& r) {
  std::vector<FaultKey> out;
  for (const FaultRecord& f : r.faults) {
    out.push_back({f.ref_index, f.pid, f.vpn, f.major,
                   f.victim_vpn ? static_cast<std::int64_t>(*f.victim_vpn) : -1, f.victim_pid});
  }
  return out;
}

// Every counter the reference-string model keeps must equal the full model's; the TLB and page
// table ones must be 0.
void expect_same(const Results& full, const Results& refs, const std::string& what) {
  for (const CounterInfo& c : kCounters) {
    const std::uint64_t kept = counter(refs.counters, c.id);
    if (c.models == CounterModels::All) {
      EXPECT_EQ(counter(full.counters, c.id), kept) << what << ", " << c.key;
    } else {
      EXPECT_EQ(kept, 0U) << what << ", " << c.key << " is not modelled by --model refs";
    }
  }
  EXPECT_TRUE(fault_log(full) == fault_log(refs)) << what << ": fault logs differ";
}

TEST(RefsModel, SameFaultsAsTheFullSimulatorOnRandomTraces) {
  Rng rng(77);
  for (int i = 0; i < 12; ++i) {
    const std::uint64_t pages = 4 + rng.below(40);
    const std::vector<Access> trace = random_trace(rng, 400 + rng.below(600), pages);
    const std::uint64_t frames = 1 + rng.below(pages);
    for (const std::string& policy : all_policies()) {
      for (const bool swap_cache : {false, true}) {
        SimConfig config = config_for(policy, frames);
        config.swap_cache = swap_cache;
        // Every other trace serves first touches from the backing store.
        config.first_touch = i % 2 == 1 ? FirstTouch::BackingStore : FirstTouch::ZeroFill;
        config.seed = 5 + static_cast<std::uint64_t>(i);
        const Results full = simulate(config, trace);
        config.model = SimModel::Refs;
        const Results refs = simulate(config, trace);
        expect_same(full, refs,
                    policy + " frames " + std::to_string(frames) + " trace " + std::to_string(i) +
                        (swap_cache ? " swap cache" : "") + (i % 2 == 1 ? " backing store" : ""));
      }
    }
  }
}

TEST(RefsModel, SameFaultsAsTheFullSimulatorWithForksAndExits) {
  Rng rng(91);
  for (int i = 0; i < 8; ++i) {
    const std::uint64_t pages = 3 + rng.below(12);
    const std::vector<Access> trace = process_trace(rng, 500 + rng.below(500), pages, 40);
    const std::uint64_t frames = 1 + rng.below(3 * pages);
    for (const std::string& policy : all_policies()) {
      SimConfig config = config_for(policy, frames);
      config.swap_cache = i % 2 == 0;
      config.seed = 11 + static_cast<std::uint64_t>(i);
      const Results full = simulate(config, trace);
      config.model = SimModel::Refs;
      const Results refs = simulate(config, trace);
      const std::string what =
          policy + " frames " + std::to_string(frames) + " trace " + std::to_string(i);
      EXPECT_GT(full.counters.freed_at_exit, 0U) << what;
      expect_same(full, refs, what);
    }
  }
}

TEST(RefsModel, SameFaultsAsTheFullSimulatorWithRegions) {
  Rng rng(123);
  for (int i = 0; i < 8; ++i) {
    const std::uint64_t pages = 4 + rng.below(16);
    const std::vector<Access> trace = region_trace(rng, 600 + rng.below(600), pages, 60, 25);
    const std::uint64_t frames = 1 + rng.below(3 * pages);
    for (const std::string& policy : all_policies()) {
      SimConfig config = config_for(policy, frames);
      config.swap_cache = i % 2 == 0;
      config.seed = 17 + static_cast<std::uint64_t>(i);
      config.on_segv = i == 7 ? OnSegv::Stop : OnSegv::Continue;
      const Results full = simulate(config, trace);
      config.model = SimModel::Refs;
      const Results refs = simulate(config, trace);
      const std::string what =
          policy + " frames " + std::to_string(frames) + " trace " + std::to_string(i);
      // The traces exercise what they are for.
      EXPECT_GT(full.counters.protection_faults, 0U) << what;
      EXPECT_GT(full.counters.freed_at_munmap + full.counters.freed_at_exit, 0U) << what;
      expect_same(full, refs, what);
      ASSERT_EQ(full.protection_fault_list.size(), refs.protection_fault_list.size()) << what;
      for (std::size_t f = 0; f < full.protection_fault_list.size(); ++f) {
        const ProtectionFault& a = full.protection_fault_list[f];
        const ProtectionFault& b = refs.protection_fault_list[f];
        EXPECT_TRUE(a.ref_index == b.ref_index && a.pid == b.pid && a.addr == b.addr &&
                    a.op == b.op && a.in_region == b.in_region &&
                    a.region_start == b.region_start && a.region_end == b.region_end &&
                    a.region_prot == b.region_prot)
            << what << ", protection fault " << f;
      }
      EXPECT_EQ(full.stopped_at_protection_fault, refs.stopped_at_protection_fault) << what;
    }
  }
}

// The recorded traces (footprints of about 90 pages) at several sizes; the decoding is
// shared as compare shares it.
class RefsModelOnRecordedTrace : public ::testing::TestWithParam<const char*> {};

TEST_P(RefsModelOnRecordedTrace, SameFaultsAsTheFullSimulator) {
  TraceSpec spec;
  spec.path = std::string(VMSIM_SOURCE_DIR) + "/" + GetParam();
  std::vector<SimConfig> configs;
  for (const std::string& policy : all_policies()) {
    for (const std::uint64_t frames : {3, 12, 48}) {
      for (const SimModel model : {SimModel::Full, SimModel::Refs}) {
        SimConfig c = config_for(policy, frames);
        c.record_faults = false;  // the counters suffice here; the random traces check the logs
        c.model = model;
        configs.push_back(c);
      }
    }
  }
  const std::vector<Results> runs =
      compare(configs, spec, CompareOptions{.threads = 2, .reading = {}, .run_done = {}});
  ASSERT_EQ(runs.size(), configs.size());
  for (std::size_t i = 0; i < runs.size(); i += 2) {
    ASSERT_GT(runs[i].counters.page_refs, 10000U);
    expect_same(runs[i], runs[i + 1],
                configs[i].policy + " frames " + std::to_string(configs[i].frames));
  }
  // The grid is `compare --policies all` on a real program; OPT bounds every policy's faults from
  // below at each size (all of them are demand paging in at most that many frames).
  for (std::size_t i = 0; i < runs.size(); ++i) {
    for (std::size_t j = 0; j < runs.size(); ++j) {
      if (configs[j].policy != "opt" || configs[j].frames != configs[i].frames) continue;
      EXPECT_GE(runs[i].counters.page_faults, runs[j].counters.page_faults)
          << configs[i].policy << " frames " << configs[i].frames << " below OPT";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, RefsModelOnRecordedTrace,
                         ::testing::Values("examples/traces/matmul-naive.lackey.zst",
                                           "examples/traces/matmul-blocked.lackey.zst",
                                           "examples/traces/listwalk.lackey.zst"));

}  // namespace
}  // namespace vmsim::test
