#include "sim/driver.hpp"

#include <utility>

#include "policy/page/registry.hpp"
#include "stats/cost_model.hpp"

namespace vmsim {

bool policy_needs_next_use(const SimConfig& config) {
  return dispatch_policy(parse_policy_spec(config.policy),
                         []<class P>(typename P::Params) { return needs_next_use<P>(); });
}

Results run_engine(const SimConfig& config, const RunInput& input, std::string trace_name) {
  config.validate();
  RunOutput out = config.model == SimModel::Refs ? run_direct_model(config, input)
                                                 : run_full_model(config, input);
  Results results;
  results.config = config;
  results.trace_name = std::move(trace_name);
  results.counters = out.counters;
  results.faults = std::move(out.faults);
  results.protection_fault_list = std::move(out.protection_faults);
  results.stopped_at_protection_fault = out.stopped_at_protection_fault;
  results.per_process = std::move(out.per_process);
  results.per_region = std::move(out.per_region);
  results.warnings = std::move(out.warnings);
  results.damage = out.damage;
  price(results);
  return results;
}

}  // namespace vmsim
