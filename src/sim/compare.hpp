// `vmsim compare`: a grid of (policy, frames) runs over one trace, read and decoded once, run in
// parallel. Each run only reads the shared decoding, so results never depend on the thread count
// and come back in the order the configurations were given.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "trace/dense_trace.hpp"
#include "vmsim/config.hpp"
#include "vmsim/results.hpp"
#include "vmsim/simulator.hpp"
#include "vmsim/trace.hpp"

namespace vmsim {

// A reader over records someone else owns, so many runs can read one buffer at once without
// copying it.
class SharedRecordsReader final : public TraceReader {
 public:
  explicit SharedRecordsReader(std::span<const Access> records) : records_(records) {}

  std::size_t read(std::span<Access> out) override {
    const std::size_t n = std::min(out.size(), records_.size() - pos_);
    std::copy_n(records_.begin() + static_cast<std::ptrdiff_t>(pos_), n, out.begin());
    pos_ += n;
    return n;
  }

 private:
  std::span<const Access> records_;
  std::size_t pos_ = 0;
};

// One reading of a trace in the forms a grid needs: the records themselves for full-model runs
// (16 bytes per record), the dense decoding for reference-string runs (4 bytes per page reference
// + 8 per distinct page), and OPT's next-use table (8 bytes per page reference) when a policy
// needs it. Built once, then only read.
class SharedTrace {
 public:
  // Reads `reader` to its end, keeping what `configs` need (they must share one page size).
  // `progress` is called between batches while reading.
  static SharedTrace load(TraceReader& reader, std::span<const SimConfig> configs,
                          const ProgressFn& progress = {});

  const std::vector<Access>& records() const { return records_; }
  const DenseTrace* dense() const { return dense_ ? &*dense_ : nullptr; }
  std::span<const std::uint64_t> next_use() const { return next_use_; }
  // What the reader said about damage while the trace was loaded.
  const std::vector<std::string>& warnings() const { return warnings_; }
  const TraceDamage& damage() const { return damage_; }

 private:
  std::vector<Access> records_;
  std::optional<DenseTrace> dense_;
  std::vector<std::uint64_t> next_use_;
  std::vector<std::string> warnings_;
  TraceDamage damage_;
};

// Runs one configuration (either model) over a shared trace loaded for it.
Results simulate_shared(const SimConfig& config, const SharedTrace& trace, std::string trace_name);

struct CompareOptions {
  unsigned threads = 0;  // worker threads; 0 = one per hardware thread
  ProgressFn reading;    // while the trace is read
  // After each run finishes, with runs done and the total (called from worker threads, one at a
  // time).
  std::function<void(std::size_t done, std::size_t total)> run_done;
};

// Validates every configuration, reads the trace once and runs the grid; results in the order of
// `configs`. Throws vmsim::Error on bad configuration or input (for a failing run, the error of
// the first failing configuration in order, whatever the thread count).
std::vector<Results> compare(const std::vector<SimConfig>& configs, const TraceSpec& trace,
                             const CompareOptions& options = {});

// The same over a trace already loaded (benchmarks, tests).
std::vector<Results> compare(const std::vector<SimConfig>& configs, const SharedTrace& trace,
                             const std::string& trace_name, const CompareOptions& options = {});

}  // namespace vmsim
