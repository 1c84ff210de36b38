// Deterministic synthetic traces for the benchmarks. Fixed seeds and vmsim::Rng (a stable sequence
// on every platform), so every machine measures exactly the same references.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "core/page_span.hpp"
#include "core/rng.hpp"
#include "sim/compare.hpp"
#include "vmsim/access.hpp"
#include "vmsim/trace.hpp"

namespace vmsim::bench {

inline constexpr std::size_t kTraceAccesses = 10'000'000;
inline constexpr std::uint64_t kPageShift = 12;  // the SimConfig default, 4 KiB pages
inline constexpr std::uint64_t kPageSize = std::uint64_t{1} << kPageShift;

// A reader over records someone else owns (VectorReader takes its records by value, which would put
// a 160 MB copy inside the timed loop): the one compare's grid uses.
using SpanReader = SharedRecordsReader;

namespace detail {

// Access sizes as compiled code issues them: mostly word-sized, some narrower.
inline std::uint32_t draw_size(Rng& rng) {
  const std::uint64_t r = rng.below(16);
  if (r < 9) return 8;
  if (r < 13) return 4;
  if (r < 15) return 2;
  return 1;
}

inline Op draw_op(Rng& rng) {
  return rng.below(10) < 3 ? Op::Write : Op::Read;  // about 3 loads per store
}

}  // namespace detail

// Good locality, shaped like a program's data references:
//  - 25% of runs touch the stack: a few word accesses just below the stack pointer (4 pages);
//  - 72% walk an array sequentially (stride = access size, 1..128 elements, so some runs cross a
//    page boundary) starting in the current working set of 512 pages of a 64 MiB heap, with a
//    skew towards the working set's first pages (hot objects are hotter than the rest);
//  - 3% jump anywhere in the heap (a pointer chase into a cold object);
//  - every 250 000 accesses the working set drifts to a new place in the heap (a program phase).
// About 30% of accesses are stores. With 64-entry TLB the hit ratio is about 99%.
inline std::vector<Access> make_local_trace(std::size_t accesses, std::uint64_t seed = 42) {
  constexpr std::uint64_t kHeapBase = 0x5555'0000'0000;
  constexpr std::uint64_t kHeapPages = 16384;  // 64 MiB
  constexpr std::uint64_t kStackTop = 0x7ffe'0000'0000;
  constexpr std::uint64_t kStackBytes = 4 * kPageSize;
  constexpr std::uint64_t kWorkingSetPages = 512;
  constexpr std::size_t kPhaseLength = 250'000;

  Rng rng(seed);
  std::vector<Access> out;
  out.reserve(accesses);
  std::uint64_t ws_base = 0;
  std::size_t next_phase = kPhaseLength;
  while (out.size() < accesses) {
    if (out.size() >= next_phase) {
      ws_base = rng.below(kHeapPages - kWorkingSetPages);
      next_phase += kPhaseLength;
    }
    const std::uint64_t kind = rng.below(100);
    std::uint64_t addr;
    std::uint32_t size;
    std::uint64_t run;
    if (kind < 25) {
      size = 8;
      addr = kStackTop - 8 - rng.below(kStackBytes / 8) * 8;
      run = 1 + rng.below(8);
    } else {
      size = detail::draw_size(rng);
      std::uint64_t page;
      if (kind < 97) {
        // min of two uniform draws: density falls linearly across the working set.
        page = ws_base + std::min(rng.below(kWorkingSetPages), rng.below(kWorkingSetPages));
      } else {
        page = rng.below(kHeapPages);
      }
      addr = kHeapBase + page * kPageSize + rng.below(kPageSize / size) * size;
      run = 1 + rng.below(128);
    }
    for (std::uint64_t i = 0; i < run && out.size() < accesses; ++i) {
      out.push_back({.addr = addr + i * size, .size = size, .pid = 1, .op = detail::draw_op(rng)});
    }
  }
  return out;
}

// Poor locality, for contrast: every access goes to a uniformly random place in 4 GiB (1 Mi pages),
// so nearly every access misses the TLB and, with memory a fraction of the footprint, most fault.
inline std::vector<Access> make_random_trace(std::size_t accesses, std::uint64_t seed = 43) {
  constexpr std::uint64_t kBase = 0x7f00'0000'0000;
  constexpr std::uint64_t kPages = std::uint64_t{1} << 20;
  Rng rng(seed);
  std::vector<Access> out;
  out.reserve(accesses);
  for (std::size_t i = 0; i < accesses; ++i) {
    const std::uint32_t size = detail::draw_size(rng);
    const std::uint64_t addr =
        kBase + rng.below(kPages) * kPageSize + rng.below(kPageSize / size) * size;
    out.push_back({.addr = addr, .size = size, .pid = 1, .op = detail::draw_op(rng)});
  }
  return out;
}

// Distinct (pid, page) pairs the trace touches: its footprint, used to size memory.
inline std::uint64_t distinct_pages(std::span<const Access> records) {
  std::vector<std::uint64_t> keys;
  keys.reserve(records.size());
  for (const Access& a : records) {
    const PageSpan span = page_span(a, kPageShift);
    // Pages are below 2^36 with 48-bit addresses, leaving room for the pid above them.
    for (std::uint64_t vpn = span.first; vpn <= span.last; ++vpn) {
      keys.push_back((std::uint64_t{a.pid} << 48) | vpn);
    }
  }
  std::sort(keys.begin(), keys.end());
  return static_cast<std::uint64_t>(std::unique(keys.begin(), keys.end()) - keys.begin());
}

}  // namespace vmsim::bench
