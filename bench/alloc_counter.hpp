// Live heap bytes of the whole benchmark process, counted by replacing the global operator new and
// delete (alloc_counter.cpp). The memory benchmarks read it to measure what the simulator itself
// allocates, separately from the process's resident set.
#pragma once

#include <cstdint>

namespace vmsim::bench {

// Bytes currently allocated through operator new (as malloc_usable_size reports them, so malloc's
// rounding is included).
std::uint64_t heap_live_bytes();
// The most heap_live_bytes() has been since the last reset_heap_peak().
std::uint64_t heap_peak_bytes();
void reset_heap_peak();

// The process's resident set size now, from /proc/self/statm.
std::uint64_t resident_bytes();

}  // namespace vmsim::bench
