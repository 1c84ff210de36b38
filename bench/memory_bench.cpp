// Memory per distinct page: one pass over many distinct pages, measuring what the simulator holds.
//
// Two measures, both per distinct page:
//  - heap: bytes allocated through operator new (alloc_counter.cpp), both the peak during the run
//    (vector growth briefly holds old and new storage) and what is held at the end;
//  - rss: growth of the process's resident set from before the simulator is built to the end of
//    the run (the simulator still alive): what the heap figure misses, such as malloc's own
//    overhead, and minus what was allocated but never touched.
// The trace is generated on the fly, so neither measure includes it. OPT's figure includes its
// next-use table (8 bytes per page reference; here every page is referenced once) and the peak of
// its pre-pass hash map.
#include <benchmark/benchmark.h>

#include <malloc.h>

#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "alloc_counter.hpp"
#include "policy/page/registry.hpp"
#include "run.hpp"
#include "workloads.hpp"

namespace vmsim::bench {
namespace {

// Touches each of `pages` pages (a power of two) of one contiguous region exactly once, in a
// scattered order: page (i * an odd stride) mod pages is a permutation. About 30% stores.
class DistinctPagesReader final : public TraceReader {
 public:
  explicit DistinctPagesReader(std::uint64_t pages) : pages_(pages) {}

  std::size_t read(std::span<Access> out) override {
    std::size_t n = 0;
    for (; n < out.size() && next_ < pages_; ++n, ++next_) {
      const std::uint64_t page = (next_ * kStride) & (pages_ - 1);
      out[n] = {.addr = kBase + page * kPageSize + (next_ % 512) * 8,
                .size = 8,
                .pid = 1,
                .op = next_ % 10 < 3 ? Op::Write : Op::Read};
    }
    return n;
  }

 private:
  static constexpr std::uint64_t kBase = 0x1000'0000'0000;
  static constexpr std::uint64_t kStride = 0x9e37'79b9;  // odd, so the walk is a permutation

  std::uint64_t pages_;
  std::uint64_t next_ = 0;
};

template <class P>
void memory_case(benchmark::State& state) {
  const auto pages = static_cast<std::uint64_t>(state.range(0));
  const bool all_resident = state.range(1) != 0;
  SimConfig config;
  config.policy = std::string(P::info.name);
  // All resident: every distinct page holds a frame, the worst case for per-frame state.
  config.frames = all_resident ? pages : pages / 4;
  config.validate();

  // glibc raises its mmap threshold as large blocks are freed, after which freed vectors stay
  // resident in its heap and hide the next run's growth. A fixed threshold (which also stops the
  // adjustment) makes every large vector its own mapping, returned to the system when freed.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  malloc_trim(0);

  std::uint64_t heap_peak = 0;
  std::uint64_t heap_held = 0;
  std::uint64_t rss = 0;
  Counters c;
  for (auto _ : state) {
    const std::uint64_t heap_before = heap_live_bytes();
    const std::uint64_t rss_before = resident_bytes();
    reset_heap_peak();
    c = run_policy<P>(
        config, [&] { return DistinctPagesReader(pages); },
        [&] {
          heap_held = heap_live_bytes() - heap_before;
          rss = resident_bytes() - rss_before;
        });
    heap_peak = heap_peak_bytes() - heap_before;
  }
  const auto per_page = [&](std::uint64_t bytes) {
    return static_cast<double>(bytes) / static_cast<double>(pages);
  };
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * pages));
  state.counters["distinct_pages"] = static_cast<double>(pages);
  state.counters["frames"] = static_cast<double>(config.frames);
  state.counters["heap_peak_B_per_page"] = per_page(heap_peak);
  state.counters["heap_held_B_per_page"] = per_page(heap_held);
  state.counters["rss_B_per_page"] = per_page(rss);
  state.counters["page_table_pages"] = static_cast<double>(c.page_table_pages);
}

[[maybe_unused]] const bool registered = [] {
  for_each_policy([]<class P>() {
    benchmark::RegisterBenchmark(fmt::format("memory/{}", P::info.name).c_str(), memory_case<P>)
        ->ArgNames({"pages", "all_resident"})
        ->ArgsProduct({{1 << 20, 1 << 22}, {1, 0}})
        ->Iterations(1)
        ->Repetitions(1)  // deterministic: repeating it measures nothing new
        ->Unit(benchmark::kMillisecond);
  });
  return true;
}();

}  // namespace
}  // namespace vmsim::bench
