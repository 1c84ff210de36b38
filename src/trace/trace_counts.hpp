// What a trace holds, counted as the simulator reads it: its accesses by kind and its events.
// The full model's engine counts them as it reads; reference-string decoding counts them once
// (trace/dense_trace.hpp). Either way they enter a run's Counters through add_to.
#pragma once

#include <cstdint>

#include "vmsim/results.hpp"

namespace vmsim {

struct TraceCounts {
  std::uint64_t accesses = 0;  // memory references (a page-crossing access is one)
  std::uint64_t reads = 0;
  std::uint64_t writes = 0;
  std::uint64_t fetches = 0;
  std::uint64_t events = 0;  // `@` records
  std::uint64_t forks = 0;
  std::uint64_t exits = 0;
  std::uint64_t execs = 0;

  void add_to(Counters& c) const {
    c.accesses = accesses;
    c.reads = reads;
    c.writes = writes;
    c.fetches = fetches;
    c.events = events;
    c.forks = forks;
    c.exits = exits;
    c.execs = execs;
  }
};

}  // namespace vmsim
