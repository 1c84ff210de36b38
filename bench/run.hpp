// One simulation run over a trace source, as simulate() does it but without the public API's copy
// of the records: the benchmarks time the engine, not the trace plumbing.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/simulator.hpp"
#include "trace/next_use.hpp"
#include "vmsim/config.hpp"
#include "vmsim/results.hpp"

namespace vmsim::bench {

// `open()` returns a fresh reader over the same trace each call (OPT's pre-pass reads it twice).
// `after_run(sim)` is called while the simulator and OPT's next-use table are still alive, so the
// memory benchmarks can measure them.
template <PagePolicy P, class OpenFn, class AfterRunFn>
Counters run_policy(const SimConfig& config, const OpenFn& open, const AfterRunFn& after_run) {
  std::vector<std::uint64_t> next_use;
  if constexpr (needs_next_use<P>()) {
    auto prepass = open();
    next_use = compute_next_use(prepass, config.page_shift());
  }
  auto sim = std::make_unique<Simulator<P>>(config, typename P::Params{}, next_use);
  auto reader = open();
  sim->run(reader, {});
  after_run();
  return sim->counters();
}

template <PagePolicy P, class OpenFn>
Counters run_policy(const SimConfig& config, const OpenFn& open) {
  return run_policy<P>(config, open, [] {});
}

}  // namespace vmsim::bench
