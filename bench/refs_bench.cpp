// Reference-string mode (sim/engine.hpp with mm/direct_map.hpp) on a Zipf workload: 10,000,000
// accesses over 1,000,000 pages, alpha 0.9, memory of 1% and 10% of the pages.
//
//  - refs/zipf/POLICY/mem_pct:P    the simulation over the decoded trace (OPT's next-use pass
//                                  included), one core;
//  - refs_e2e/zipf/POLICY/mem_pct:P  from a .vmt file: read, decode, (next-use), simulate;
//  - refs_decode/zipf_vmt          reading and decoding the .vmt file alone;
//  - refs_memory/POLICY            bytes per distinct page: decoded trace + simulator;
//  - compare/zipf/threads:N        the whole grid (every policy x 1%, 10%), wall time.
// The trace is generated once, outside any timed loop, by the same generator as
// `vmsim trace gen zipf --length 10000000 --pages 1000000 --alpha 0.9`.
#include <benchmark/benchmark.h>

#include <malloc.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "alloc_counter.hpp"
#include "policy/page/registry.hpp"
#include "sim/compare.hpp"
#include "sim/driver.hpp"
#include "trace/dense_trace.hpp"
#include "trace/gen/generator.hpp"
#include "workloads.hpp"

namespace vmsim::bench {
namespace {

constexpr std::uint64_t kZipfAccesses = 10'000'000;
constexpr std::uint64_t kZipfPages = 1'000'000;

gen::GeneratorParams zipf_params() {
  gen::GeneratorParams p;
  p.length = kZipfAccesses;
  p.pages = kZipfPages;
  p.alpha = 0.9;
  return p;
}

const DenseTrace& zipf_dense() {
  static const DenseTrace trace = [] {
    auto reader = gen::make_generator("zipf", zipf_params());
    return DenseTrace::decode(*reader, kPageShift);
  }();
  return trace;
}

// The workload as a .vmt file in the temp directory, written on first use and removed at exit.
class VmtFile {
 public:
  VmtFile()
      : path_((std::filesystem::temp_directory_path() /
               fmt::format("vmsim-bench-zipf-{}.vmt", ::getpid()))
                  .string()) {
    auto reader = gen::make_generator("zipf", zipf_params());
    auto writer = create_trace_writer(path_, TraceWriterOptions{});
    std::vector<Access> batch(4096);
    while (const std::size_t n = reader->read(batch)) writer->write(std::span(batch).first(n));
    writer->finish(TraceHeader{});
  }
  VmtFile(const VmtFile&) = delete;
  VmtFile& operator=(const VmtFile&) = delete;
  ~VmtFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

const std::string& zipf_vmt() {
  static const VmtFile file;
  return file.path();
}

SimConfig zipf_config(std::string_view policy, std::int64_t percent) {
  SimConfig config;
  config.policy = std::string(policy);
  config.model = SimModel::Refs;
  config.frames = kZipfPages * static_cast<std::uint64_t>(percent) / 100;
  config.validate();
  return config;
}

// OPT's next-use pass is part of the run (the driver builds it when none is given).
template <class P>
Counters run_refs(const SimConfig& config, const DenseTrace& trace) {
  return run_direct<P>(config, typename P::Params{}, RunInput{.dense = &trace}).counters;
}

void report(benchmark::State& state, const Counters& c, const SimConfig& config) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.accesses));
  state.counters["frames"] = static_cast<double>(config.frames);
  state.counters["fault_ratio"] =
      static_cast<double>(c.page_faults) / static_cast<double>(c.page_refs);
}

template <class P>
void refs_case(benchmark::State& state) {
  const DenseTrace& trace = zipf_dense();  // decoded on first use, outside the timed loop
  const SimConfig config = zipf_config(P::info.name, state.range(0));
  Counters c;
  for (auto _ : state) {
    c = run_refs<P>(config, trace);
    benchmark::DoNotOptimize(c);
  }
  report(state, c, config);
}

template <class P>
void e2e_case(benchmark::State& state) {
  const SimConfig config = zipf_config(P::info.name, state.range(0));
  TraceSpec spec;
  spec.path = zipf_vmt();
  Counters c;
  for (auto _ : state) {
    auto reader = open_trace(spec);
    const DenseTrace trace = DenseTrace::decode(*reader, kPageShift);
    c = run_refs<P>(config, trace);
    benchmark::DoNotOptimize(c);
  }
  report(state, c, config);
}

void decode_case(benchmark::State& state) {
  TraceSpec spec;
  spec.path = zipf_vmt();
  std::size_t refs = 0;
  for (auto _ : state) {
    auto reader = open_trace(spec);
    refs = DenseTrace::decode(*reader, kPageShift).size();
    benchmark::DoNotOptimize(refs);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kZipfAccesses));
}

// Bytes per distinct page of the decoded trace plus the simulator, every page touched once (a
// quarter of them resident, or all): the analogue of memory_bench.cpp's full-model figures.
// `decode peak` includes the decoder's hash map (freed before the run); `run peak` is the most
// held while the simulator runs, the decoded trace included.
template <class P>
void memory_case(benchmark::State& state) {
  constexpr std::uint64_t kPages = std::uint64_t{1} << 22;
  const bool all_resident = state.range(0) != 0;
  SimConfig config;
  config.policy = std::string(P::info.name);
  config.model = SimModel::Refs;
  config.frames = all_resident ? kPages : kPages / 4;
  config.validate();
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  malloc_trim(0);
  std::uint64_t decode_peak = 0;
  std::uint64_t run_peak = 0;
  std::uint64_t held = 0;
  std::uint64_t trace_held = 0;
  for (auto _ : state) {
    const std::uint64_t before = heap_live_bytes();
    reset_heap_peak();
    // The input: the page list and the records from_pages makes of it (not the decoder's).
    const std::uint64_t with_input = before + kPages * (sizeof(std::uint64_t) + sizeof(Access));
    const DenseTrace trace = [] {
      // Freed before the run: the input list of pages is the benchmark's, not the engine's.
      std::vector<std::uint64_t> pages(kPages);
      for (std::uint64_t i = 0; i < kPages; ++i) pages[i] = (i * 0x9e37'79b9) & (kPages - 1);
      return DenseTrace::from_pages(pages);
    }();
    decode_peak = heap_peak_bytes() - with_input;
    reset_heap_peak();
    const std::uint64_t start = heap_live_bytes();
    trace_held = start - before;
    const RunOutput out = run_direct<P>(config, typename P::Params{}, RunInput{.dense = &trace},
                                        [&] { held = heap_live_bytes() - before; });
    benchmark::DoNotOptimize(out.counters);
    run_peak = heap_peak_bytes() - start + (start - before);
  }
  const auto per_page = [&](std::uint64_t bytes) {
    return static_cast<double>(bytes) / static_cast<double>(kPages);
  };
  state.counters["distinct_pages"] = static_cast<double>(kPages);
  state.counters["frames"] = static_cast<double>(config.frames);
  state.counters["decode_peak_B_per_page"] = per_page(decode_peak);
  state.counters["run_peak_B_per_page"] = per_page(run_peak);
  state.counters["held_B_per_page"] = per_page(held);
  state.counters["trace_B_per_page"] = per_page(trace_held);
}

void compare_case(benchmark::State& state) {
  const DenseTrace& dense = zipf_dense();
  (void)dense;
  std::vector<SimConfig> configs;
  for_each_policy([&]<class P>() {
    for (const std::int64_t percent : {1, 10})
      configs.push_back(zipf_config(P::info.name, percent));
  });
  TraceSpec spec;
  spec.path = zipf_vmt();
  const auto threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    const std::vector<Results> runs =
        compare(configs, spec, CompareOptions{.threads = threads, .reading = {}, .run_done = {}});
    benchmark::DoNotOptimize(runs.data());
  }
  state.SetItemsProcessed(
      static_cast<std::int64_t>(state.iterations() * configs.size() * kZipfAccesses));
  state.counters["runs"] = static_cast<double>(configs.size());
}

[[maybe_unused]] const bool registered = [] {
  for_each_policy([]<class P>() {
    benchmark::RegisterBenchmark(fmt::format("refs/zipf/{}", P::info.name).c_str(), refs_case<P>)
        ->ArgName("mem_pct")
        ->Arg(1)
        ->Arg(10)
        ->Unit(benchmark::kMillisecond);
  });
  for_each_policy([]<class P>() {
    benchmark::RegisterBenchmark(fmt::format("refs_e2e/zipf/{}", P::info.name).c_str(), e2e_case<P>)
        ->ArgName("mem_pct")
        ->Arg(1)
        ->Arg(10)
        ->Unit(benchmark::kMillisecond);
  });
  benchmark::RegisterBenchmark("refs_decode/zipf_vmt", decode_case)->Unit(benchmark::kMillisecond);
  for_each_policy([]<class P>() {
    benchmark::RegisterBenchmark(fmt::format("refs_memory/{}", P::info.name).c_str(),
                                 memory_case<P>)
        ->ArgName("all_resident")
        ->Arg(1)
        ->Arg(0)
        ->Iterations(1)
        ->Repetitions(1)
        ->Unit(benchmark::kMillisecond);
  });
  benchmark::RegisterBenchmark("compare/zipf", compare_case)
      ->ArgName("threads")
      ->Arg(1)
      ->Arg(2)
      ->UseRealTime()
      ->Iterations(1)
      ->Unit(benchmark::kMillisecond);
  return true;
}();

}  // namespace
}  // namespace vmsim::bench
