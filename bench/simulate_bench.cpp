// End-to-end accesses per second for every registered policy on the two synthetic workloads, and
// the TLB-hit path alone. The traces are generated once, before any timing; each iteration is one
// whole simulation (OPT's next-use pre-pass included) over records already in memory.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "mmu/tlb.hpp"
#include "policy/page/registry.hpp"
#include "run.hpp"
#include "workloads.hpp"

namespace vmsim::bench {
namespace {

struct Workload {
  std::vector<Access> records;
  std::uint64_t frames;  // physical memory for the run
};

// Memory is a quarter of the footprint: the good-locality trace still mostly hits, the random one
// mostly faults.
Workload make_workload(std::vector<Access> records) {
  const std::uint64_t footprint = distinct_pages(records);
  return {std::move(records), footprint / 4};
}

const Workload& local_workload() {
  static const Workload w = make_workload(make_local_trace(kTraceAccesses));
  return w;
}
const Workload& random_workload() {
  static const Workload w = make_workload(make_random_trace(kTraceAccesses));
  return w;
}

// Hit-path traces: 10 M accesses over pages that all fit in the 64-entry TLB and in memory, so
// after the first few references every access is a TLB hit.
//  - same_page: sequential words through 16 pages in turn, so almost every access hits the
//    last-translation register before the TLB proper;
//  - set_lookup: round robin over 48 pages (3 per set), so every access searches a TLB set.
const Workload& same_page_workload() {
  static const Workload w = [] {
    std::vector<Access> out;
    out.reserve(kTraceAccesses);
    for (std::size_t i = 0; i < kTraceAccesses; ++i) {
      out.push_back({.addr = 0x1000'0000 + (i * 8) % (16 * kPageSize), .size = 8, .pid = 1});
    }
    return Workload{std::move(out), 64};
  }();
  return w;
}
const Workload& set_lookup_workload() {
  static const Workload w = [] {
    std::vector<Access> out;
    out.reserve(kTraceAccesses);
    for (std::size_t i = 0; i < kTraceAccesses; ++i) {
      out.push_back(
          {.addr = 0x1000'0000 + (i % 48) * kPageSize + (i / 48) % 512 * 8, .size = 8, .pid = 1});
    }
    return Workload{std::move(out), 64};
  }();
  return w;
}

SimConfig config_for(const Workload& w, std::string_view policy) {
  SimConfig config;  // defaults: 4 KiB pages, 64-entry 4-way TLB, 4-level radix page table
  config.policy = std::string(policy);
  config.frames = w.frames;
  config.validate();
  return config;
}

template <class P>
void simulate_case(benchmark::State& state, const Workload& (*workload)()) {
  const Workload& w = workload();  // generated on first use, outside the timed loop
  const SimConfig config = config_for(w, P::info.name);
  Counters c;
  for (auto _ : state) {
    c = run_policy<P>(config, [&] { return SpanReader(w.records); });
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * w.records.size()));
  const auto refs = static_cast<double>(c.page_refs);
  state.counters["frames"] = static_cast<double>(config.frames);
  state.counters["fault_ratio"] = static_cast<double>(c.page_faults) / refs;
  state.counters["tlb_hit_ratio"] = static_cast<double>(c.tlb_hits) / refs;
}

// The set-associative lookup alone: hits on 48 resident tags in a 64-entry 4-way TLB, each lookup
// a different page from the previous one (what the last-translation register cannot absorb).
void tlb_lookup_hit(benchmark::State& state) {
  Tlb tlb(64, 4);
  std::vector<std::uint64_t> tags;
  for (std::uint64_t vpn = 0; vpn < 48; ++vpn) {
    tags.push_back(Tlb::tag(0, 0x10000 + vpn));
    tlb.insert(tags.back(), static_cast<FrameId>(vpn));
  }
  std::uint64_t sum = 0;
  for (auto _ : state) {
    for (const std::uint64_t tag : tags) {
      TlbEntry frame = 0;
      const bool hit = tlb.lookup(tag, frame);
      sum += frame + hit;
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * tags.size()));
}

struct NamedWorkload {
  const char* name;
  const Workload& (*get)();
};

[[maybe_unused]] const bool registered = [] {
  for_each_policy([]<class P>() {
    for (const NamedWorkload w :
         {NamedWorkload{"local", &local_workload}, NamedWorkload{"random", &random_workload}}) {
      benchmark::RegisterBenchmark(fmt::format("simulate/{}/{}", w.name, P::info.name).c_str(),
                                   simulate_case<P>, w.get)
          ->Unit(benchmark::kMillisecond);
    }
  });
  for (const NamedWorkload w : {NamedWorkload{"tlb_hit_same_page", &same_page_workload},
                                NamedWorkload{"tlb_hit_set_lookup", &set_lookup_workload}}) {
    benchmark::RegisterBenchmark(fmt::format("simulate/{}/lru", w.name).c_str(), simulate_case<Lru>,
                                 w.get)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(fmt::format("simulate/{}/clock", w.name).c_str(),
                                 simulate_case<Clock>, w.get)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark("tlb/lookup_hit", tlb_lookup_hit);
  return true;
}();

}  // namespace
}  // namespace vmsim::bench
