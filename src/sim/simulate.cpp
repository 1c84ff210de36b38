#include <memory>

#include "policy/page/registry.hpp"
#include "sim/compare.hpp"
#include "sim/memory_need.hpp"
#include "sim/simulator.hpp"
#include "stats/cost_model.hpp"
#include "trace/next_use.hpp"
#include "vmsim/simulator.hpp"

namespace vmsim {
namespace {

// `open` returns a fresh reader over the same trace each time it is called.
template <class OpenFn>
Results simulate_with(const SimConfig& config, const OpenFn& open, std::string trace_name,
                      const ProgressFn& progress) {
  config.validate();
  Results results;
  results.config = config;
  results.trace_name = std::move(trace_name);
  dispatch_policy(parse_policy_spec(config.policy), [&]<class P>(typename P::Params params) {
    std::vector<std::uint64_t> next_use;
    if constexpr (needs_next_use<P>()) {
      std::unique_ptr<TraceReader> prepass = open();
      next_use = compute_next_use(*prepass, config.page_shift());
    }
    auto sim = std::make_unique<Simulator<P>>(config, params, next_use);
    std::unique_ptr<TraceReader> reader = open();
    sim->run(*reader, progress);
    results.counters = sim->counters();
    results.warnings = reader->warnings();
    results.damage = reader->damage();
    results.faults = sim->take_fault_log();
  });
  results.total_time_ns = total_time_ns(results.counters, config);
  results.effective_access_time_ns = effective_access_time_ns(results.counters, config);
  return results;
}

// Reads the trace once into memory (its decoding for --model refs, its records for a full run
// that needs the future from an input that cannot be read twice: standard input, a pipe, a FIFO),
// then runs.
Results simulate_loaded(const SimConfig& config, TraceReader& reader, std::string trace_name,
                        const ProgressFn& progress) {
  config.validate();
  const SharedTrace shared = SharedTrace::load(reader, std::span(&config, 1), progress);
  if (shared.dense() != nullptr) {
    check_run_memory(std::span(&config, 1), 1, shared.dense()->distinct_pages());
  }
  return simulate_shared(config, shared, std::move(trace_name));
}

bool policy_needs_next_use(const SimConfig& config) {
  return dispatch_policy(parse_policy_spec(config.policy),
                         []<class P>(typename P::Params) { return needs_next_use<P>(); });
}

}  // namespace

Results simulate(const SimConfig& config, const TraceSpec& trace, const ProgressFn& progress) {
  config.validate();
  check_run_memory(std::span(&config, 1));
  if (config.model == SimModel::Refs || (!trace.rewindable() && policy_needs_next_use(config))) {
    std::unique_ptr<TraceReader> reader = open_trace(trace);
    return simulate_loaded(config, *reader, trace.display_name(), progress);
  }
  // A file is read twice for OPT (next-use pass, then the run) rather than held in memory.
  return simulate_with(
      config, [&] { return open_trace(trace); }, trace.display_name(), progress);
}

Results simulate(const SimConfig& config, const std::vector<Access>& records) {
  config.validate();
  check_run_memory(std::span(&config, 1));
  if (config.model == SimModel::Refs) {
    SharedRecordsReader reader(records);
    return simulate_loaded(config, reader, "(memory)", {});
  }
  return simulate_with(config, [&] { return std::make_unique<SharedRecordsReader>(records); },
                       "(memory)", {});
}

std::vector<PolicyDescription> list_policies() {
  std::vector<PolicyDescription> out;
  for_each_policy([&]<class P>() {
    PolicyDescription d{P::info.name, P::info.summary, P::info.citation, {}};
    std::apply(
        [&](const auto&... field) {
          (d.params.push_back(std::string(field.name) + ": " + std::string(field.help)), ...);
        },
        P::Params::fields);
    out.push_back(std::move(d));
  });
  return out;
}

}  // namespace vmsim
