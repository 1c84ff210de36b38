#include "sim/policy_sim.hpp"

#include <memory>

#include "policy/page/registry.hpp"
#include "stats/cost_model.hpp"

namespace vmsim {

namespace {

Results refs_results(const SimConfig& config, const Counters& counters, std::string trace_name) {
  Results results;
  results.config = config;
  results.trace_name = std::move(trace_name);
  results.counters = counters;
  results.total_time_ns = total_time_ns(counters, config);
  results.effective_access_time_ns = effective_access_time_ns(counters, config);
  return results;
}

}  // namespace

Results simulate_refs(const SimConfig& config, const DenseTrace& trace,
                      std::span<const std::uint64_t> next_use, std::string trace_name) {
  config.validate();
  Counters counters;
  std::vector<FaultRecord> faults;
  dispatch_policy(parse_policy_spec(config.policy), [&]<class P>(typename P::Params params) {
    std::vector<std::uint64_t> own_next_use;
    if constexpr (needs_next_use<P>()) {
      if (next_use.size() != trace.size()) {
        own_next_use = trace.next_use();
        next_use = own_next_use;
      }
    }
    // On the heap: a policy's state can be large, and worker threads have small stacks.
    auto sim = std::make_unique<RefsSimulator<P>>(config, params, trace, next_use);
    sim->run();
    counters = sim->counters();
    faults = sim->take_fault_log();
  });
  Results results = refs_results(config, counters, std::move(trace_name));
  results.faults = std::move(faults);
  return results;
}

}  // namespace vmsim
