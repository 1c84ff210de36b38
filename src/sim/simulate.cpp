#include <memory>

#include "policy/page/registry.hpp"
#include "sim/compare.hpp"
#include "sim/driver.hpp"
#include "sim/memory_need.hpp"
#include "vmsim/simulator.hpp"

namespace vmsim {
namespace {

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

}  // namespace

Results simulate(const SimConfig& config, const TraceSpec& trace, const ProgressFn& progress) {
  config.validate();
  check_run_memory(std::span(&config, 1));
  if (config.model == SimModel::Refs || (!trace.rewindable() && policy_needs_next_use(config))) {
    std::unique_ptr<TraceReader> reader = open_trace(trace);
    return simulate_loaded(config, *reader, trace.display_name(), progress);
  }
  // A file is read twice for OPT (next-use pass, then the run) rather than held in memory.
  return run_engine(config, {.open = [&] { return open_trace(trace); }, .progress = progress},
                    trace.display_name());
}

Results simulate(const SimConfig& config, const std::vector<Access>& records) {
  config.validate();
  check_run_memory(std::span(&config, 1));
  if (config.model == SimModel::Refs) {
    SharedRecordsReader reader(records);
    return simulate_loaded(config, reader, "(memory)", {});
  }
  return run_engine(
      config, {.open = [&] { return std::make_unique<SharedRecordsReader>(records); }}, "(memory)");
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
