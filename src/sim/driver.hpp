// The one driver of a simulation run, used by simulate(), compare, the miss-ratio commands when
// they simulate, and the benchmarks: given a configuration and its trace, build OPT's next-use
// table if the policy needs it, build the engine with the model's translation, run it, collect
// the counters and the fault log, and price them. Dispatch by policy name happens once, in
// run_engine; run_policy is the same run for a policy chosen at compile time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "mm/direct_map.hpp"
#include "mm/observer.hpp"
#include "mmu/mmu.hpp"
#include "policy/page/policy.hpp"
#include "sim/engine.hpp"
#include "trace/dense_trace.hpp"
#include "trace/next_use.hpp"
#include "vmsim/config.hpp"
#include "vmsim/results.hpp"
#include "vmsim/simulator.hpp"
#include "vmsim/trace.hpp"

namespace vmsim {

// A run's trace, in the form its model reads.
struct RunInput {
  // SimModel::Refs: the decoded trace (must outlive the run).
  const DenseTrace* dense = nullptr;
  // SimModel::Full: a fresh reader over the trace each call (OPT's next-use pass reads it first).
  std::function<std::unique_ptr<TraceReader>()> open = {};
  // The trace's next-use table when already built (a grid shares one); built here when the policy
  // needs it and this is empty (or, in reference-string mode, not one entry per reference).
  std::span<const std::uint64_t> next_use = {};
  // Full model: called between batches with the reader's progress.
  ProgressFn progress = {};
};

// What a run produced before pricing.
struct RunOutput {
  Counters counters;
  std::vector<FaultRecord> faults;                 // only with SimConfig::record_faults
  std::vector<ProtectionFault> protection_faults;  // the first kProtectionFaultsListed
  bool stopped_at_protection_fault = false;        // OnSegv::Stop, and there was one
  std::vector<ProcessCounts> per_process;          // only with SimConfig::per_process
  std::vector<RegionCounts> per_region;            // likewise
  std::vector<std::string> warnings;  // the full model's reader's (see Results::warnings)
  TraceDamage damage;
};

struct NoAfterRun {
  void operator()() const {}
};

// Reference-string mode's run of policy P over input.dense. `after_run()` is called while the
// engine and the next-use table are still alive (the memory benchmarks measure them there).
template <PagePolicy P, class AfterRun = NoAfterRun>
RunOutput run_direct(const SimConfig& config, const typename P::Params& params,
                     const RunInput& input, const AfterRun& after_run = {}) {
  const DenseTrace& trace = *input.dense;
  std::span<const std::uint64_t> next_use = input.next_use;
  std::vector<std::uint64_t> own_next_use;
  if constexpr (needs_next_use<P>()) {
    if (next_use.size() != trace.size()) {
      own_next_use = trace.next_use();
      next_use = own_next_use;
    }
  }
  // A local, not on the heap: the engine object is small (its tables are vectors), and the
  // compiler may then keep its members in registers across the loop, which it cannot do for an
  // object any pointer might reach (measured: LRU's list head was reloaded every reference).
  Engine<P, DirectMap, FaultLog> engine(
      config, params, DirectMap(trace.keys(), trace.fork_pairs(), trace.forks_share_pages()),
      next_use, FaultLog(config.record_faults));
  // The decoding found the protection faults. A run that stops at the first ends there: the
  // references and changes before it, and the trace's counts up to it.
  const std::optional<DenseTrace::Stop>& stop = trace.first_protection_fault();
  const bool stops = config.on_segv == OnSegv::Stop && stop.has_value();
  std::span<const std::uint32_t> refs = trace.refs();
  std::span<const DenseTrace::SpaceChange> changes = trace.space_changes();
  if (stops) {
    refs = refs.first(stop->at);
    changes = changes.first(stop->changes);
  }
  engine.run(refs, changes, 0, refs.size());
  after_run();
  RunOutput out;
  out.counters = engine.counters();
  // The decoding counted the trace's accesses, events and processes.
  (stops ? stop->counts : trace.counts()).add_to(out.counters);
  out.counters.processes = stops ? stop->processes : trace.processes();
  out.counters.protection_faults = stops ? 1 : trace.protection_fault_count();
  out.protection_faults = trace.protection_faults();
  if (stops) out.protection_faults.resize(1);
  out.stopped_at_protection_fault = stops;
  out.faults = engine.observer().take();
  if (config.per_process) {
    if (stops) {
      engine.add_protection_faults(out.protection_faults.front().pid, 1);
    } else {
      for (const auto& [pid, n] : trace.protection_faults_by_pid()) {
        engine.add_protection_faults(pid, n);
      }
    }
    out.per_process = engine.per_process();
    out.per_region = engine.per_region(stops ? stop->regions : trace.live_regions());
  }
  return out;
}

// The full model's run of policy P over the reader input.open() gives.
template <PagePolicy P, class AfterRun = NoAfterRun>
RunOutput run_full(const SimConfig& config, const typename P::Params& params, const RunInput& input,
                   const AfterRun& after_run = {}) {
  std::span<const std::uint64_t> next_use = input.next_use;
  std::vector<std::uint64_t> own_next_use;
  if constexpr (needs_next_use<P>()) {
    if (next_use.empty()) {
      std::unique_ptr<TraceReader> prepass = input.open();
      own_next_use = compute_next_use(*prepass, config.page_shift());
      next_use = own_next_use;
    }
  }
  Engine<P, FullMmu, FaultLog> engine(config, params, FullMmu(config), next_use,
                                      FaultLog(config.record_faults));  // a local: see run_direct
  std::unique_ptr<TraceReader> reader = input.open();
  engine.run(*reader, input.progress);
  after_run();
  RunOutput out;
  out.counters = engine.counters();
  out.faults = engine.observer().take();
  out.protection_faults = engine.take_protection_faults();
  out.stopped_at_protection_fault = engine.stopped();
  out.per_process = engine.per_process();
  if (config.per_process) {
    out.per_region = engine.per_region(engine.translation().address_spaces().live_regions());
  }
  out.warnings = reader->warnings();
  out.damage = reader->damage();
  return out;
}

// Either model's run of policy P (config.model chooses).
template <PagePolicy P, class AfterRun = NoAfterRun>
RunOutput run_policy(const SimConfig& config, const typename P::Params& params,
                     const RunInput& input, const AfterRun& after_run = {}) {
  return config.model == SimModel::Refs ? run_direct<P>(config, params, input, after_run)
                                        : run_full<P>(config, params, input, after_run);
}

// The dispatch by policy name, one model per translation unit (each instantiates every policy's
// engine once).
RunOutput run_direct_model(const SimConfig& config, const RunInput& input);
RunOutput run_full_model(const SimConfig& config, const RunInput& input);

// Whether config's policy reads the future (OPT): its run needs the trace's next-use table.
bool policy_needs_next_use(const SimConfig& config);

// Runs `config` over `input` and prices the counts with the cost model. Validates the
// configuration; throws vmsim::Error on a bad one or on bad input.
Results run_engine(const SimConfig& config, const RunInput& input, std::string trace_name);

}  // namespace vmsim
