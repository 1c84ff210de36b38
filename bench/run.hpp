// One full-model run of a policy over a trace source, through the driver every command uses
// (sim/driver.hpp) but with the policy chosen at compile time: the benchmarks time the engine,
// not the dispatch.
#pragma once

#include <memory>
#include <type_traits>

#include "sim/driver.hpp"
#include "vmsim/config.hpp"
#include "vmsim/results.hpp"

namespace vmsim::bench {

// `open()` returns a fresh reader (by value) over the same trace each call (OPT's pre-pass reads
// it twice). `after_run()` is called while the engine and OPT's next-use table are still alive,
// so the memory benchmarks can measure them.
template <PagePolicy P, class OpenFn, class AfterRunFn = NoAfterRun>
Counters run_policy(const SimConfig& config, const OpenFn& open, const AfterRunFn& after_run = {}) {
  using Reader = std::decay_t<decltype(open())>;
  const RunInput input{.open = [&] { return std::make_unique<Reader>(open()); }};
  return run_full<P>(config, typename P::Params{}, input, after_run).counters;
}

}  // namespace vmsim::bench
