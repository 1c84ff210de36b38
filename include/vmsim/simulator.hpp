// Running a trace through a simulated system.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vmsim/access.hpp"
#include "vmsim/config.hpp"
#include "vmsim/results.hpp"
#include "vmsim/trace.hpp"

namespace vmsim {

// Called between batches with the input bytes consumed so far and the total (0 when unknown).
using ProgressFn = std::function<void(std::uint64_t consumed, std::uint64_t total)>;

// Validates the configuration, opens the trace (twice for policies that need the future, such as
// OPT) and runs it to the end. Throws vmsim::Error / InputError on bad configuration or input.
Results simulate(const SimConfig& config, const TraceSpec& trace, const ProgressFn& progress = {});

// The same over records in memory (tests, generated workloads).
Results simulate(const SimConfig& config, const std::vector<Access>& records);

// Policy registry, for help texts and validation.
struct PolicyDescription {
  std::string_view name;
  std::string_view summary;
  std::string_view citation;
  std::vector<std::string> params;  // "name=default: help"
};
std::vector<PolicyDescription> list_policies();

}  // namespace vmsim
