#include "policy/page/registry.hpp"
#include "sim/driver.hpp"

namespace vmsim {

RunOutput run_full_model(const SimConfig& config, const RunInput& input) {
  return dispatch_policy(parse_policy_spec(config.policy), [&]<class P>(typename P::Params params) {
    return run_full<P>(config, params, input);
  });
}

}  // namespace vmsim
