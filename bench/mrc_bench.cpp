// One-pass miss-ratio curves (src/mrc/) on the Zipf workload of the issue: 10,000,000 accesses over
// 1,000,000 pages, alpha 0.9 (as `vmsim trace gen zipf --length 10000000 --pages 1000000`).
//
//  - mrc/exact_lru/zipf          the exact LRU curve over the decoded trace (DenseTrace), one core;
//  - mrc/exact_lru_decode/zipf   the same including decoding the records into a DenseTrace;
//  - mrc/shards/zipf/rate_ppm:R  SHARDS at a fixed rate (R parts per million; 10000 = 1%) over the
//                                decoded records read in batches, as from any trace reader;
//  - mrc/shards_fixed/zipf/pages:S  fixed-size SHARDS keeping at most S pages, from rate 1;
//  - mrc/exact_opt/zipf_small    the exact OPT curve on 1,000,000 accesses over 10,000 pages
//                                (OPT's stack processing is O(stack depth) per reference).
// Records are generated once, outside the timed loops; items are trace accesses.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "mrc/mrc.hpp"
#include "trace/dense_trace.hpp"
#include "trace/gen/generator.hpp"
#include "workloads.hpp"

namespace vmsim::bench {
namespace {

gen::GeneratorParams zipf(std::uint64_t length, std::uint64_t pages) {
  gen::GeneratorParams p;
  p.length = length;
  p.pages = pages;
  p.alpha = 0.9;
  return p;
}

std::vector<Access> records_of(const gen::GeneratorParams& p) {
  auto reader = gen::make_generator("zipf", p);
  std::vector<Access> out;
  std::vector<Access> batch(4096);
  while (const std::size_t n = reader->read(batch)) {
    out.insert(out.end(), batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return out;
}

const std::vector<Access>& zipf_records() {
  static const std::vector<Access> records = records_of(zipf(10'000'000, 1'000'000));
  return records;
}

const DenseTrace& zipf_dense() {
  static const DenseTrace trace = [] {
    SpanReader reader(zipf_records());
    return DenseTrace::decode(reader, kPageShift);
  }();
  return trace;
}

void report(benchmark::State& state, const mrc::MissRatioCurve& c) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.accesses));
  // The miss ratio with memory for 1% of the pages, to show the curves agree.
  state.counters["mr_at_1pct"] = c.miss_ratio(10'000);
}

void exact_lru_case(benchmark::State& state) {
  const DenseTrace& trace = zipf_dense();
  mrc::MissRatioCurve c;
  for (auto _ : state) {
    c = mrc::exact_lru_curve(trace);
    benchmark::DoNotOptimize(c.faults_at.data());
  }
  report(state, c);
}

void exact_lru_decode_case(benchmark::State& state) {
  const std::vector<Access>& records = zipf_records();
  mrc::MissRatioCurve c;
  for (auto _ : state) {
    SpanReader reader(records);
    c = mrc::exact_lru_curve(DenseTrace::decode(reader, kPageShift));
    benchmark::DoNotOptimize(c.faults_at.data());
  }
  report(state, c);
}

void shards_case(benchmark::State& state) {
  const std::vector<Access>& records = zipf_records();
  mrc::ShardsOptions o;
  o.sample_rate = static_cast<double>(state.range(0)) / 1e6;
  mrc::MissRatioCurve c;
  for (auto _ : state) {
    SpanReader reader(records);
    c = mrc::shards_lru_curve(reader, kPageShift, o);
    benchmark::DoNotOptimize(c.faults_at.data());
  }
  report(state, c);
  state.counters["sampled_pages"] = static_cast<double>(c.sampled_pages);
}

void shards_fixed_case(benchmark::State& state) {
  const std::vector<Access>& records = zipf_records();
  mrc::ShardsOptions o;
  o.sample_rate = 1.0;
  o.max_pages = static_cast<std::uint64_t>(state.range(0));
  mrc::MissRatioCurve c;
  for (auto _ : state) {
    SpanReader reader(records);
    c = mrc::shards_lru_curve(reader, kPageShift, o);
    benchmark::DoNotOptimize(c.faults_at.data());
  }
  report(state, c);
  state.counters["final_rate"] = c.sample_rate;
}

void exact_opt_case(benchmark::State& state) {
  static const DenseTrace trace = [] {
    const std::vector<Access> records = records_of(zipf(1'000'000, 10'000));
    SpanReader reader(records);
    return DenseTrace::decode(reader, kPageShift);
  }();
  mrc::MissRatioCurve c;
  for (auto _ : state) {
    c = mrc::exact_opt_curve(trace);
    benchmark::DoNotOptimize(c.faults_at.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.accesses));
  state.counters["mr_at_1pct"] = c.miss_ratio(100);
}

[[maybe_unused]] const bool registered = [] {
  benchmark::RegisterBenchmark("mrc/exact_lru/zipf", exact_lru_case)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("mrc/exact_lru_decode/zipf", exact_lru_decode_case)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("mrc/shards/zipf", shards_case)
      ->ArgName("rate_ppm")
      ->Arg(10'000)
      ->Arg(1'000)
      ->Arg(100'000)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("mrc/shards_fixed/zipf", shards_fixed_case)
      ->ArgName("pages")
      ->Arg(8'000)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("mrc/exact_opt/zipf_small", exact_opt_case)
      ->Unit(benchmark::kMillisecond);
  return true;
}();

}  // namespace
}  // namespace vmsim::bench
