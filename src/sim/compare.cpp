#include "sim/compare.hpp"

#include <atomic>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "core/memory_budget.hpp"
#include "policy/page/registry.hpp"
#include "sim/driver.hpp"
#include "sim/memory_need.hpp"
#include "trace/next_use.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

constexpr std::size_t kBatch = 4096;

// Forwards to another reader and reports progress after every batch.
class ProgressReader final : public TraceReader {
 public:
  ProgressReader(TraceReader& inner, const ProgressFn& progress)
      : inner_(inner), progress_(progress) {}

  std::size_t read(std::span<Access> out) override {
    const std::size_t n = inner_.read(out);
    if (progress_) progress_(inner_.bytes_consumed(), inner_.bytes_total());
    return n;
  }

 private:
  TraceReader& inner_;
  const ProgressFn& progress_;
};

// Holding a trace in memory: refused before it outgrows the machine, with the figure.
std::vector<Access> read_all(TraceReader& reader) {
  std::vector<Access> records;
  const std::uint64_t hint = reader.records_hint();
  if (hint > 0) {
    require_memory(saturating_mul(hint, sizeof(Access)),
                   fmt::format("holding the trace's {} records in memory", hint));
    records.reserve(hint);
  }
  std::size_t filled = 0;
  for (;;) {
    if (filled + kBatch > records.capacity()) {
      const std::size_t grown = std::max(2 * records.capacity(), filled + kBatch);
      require_memory(saturating_mul(grown, sizeof(Access)),
                     fmt::format("holding the trace in memory (over {} records so far)", filled));
      records.reserve(grown);
    }
    records.resize(filled + kBatch);
    const std::size_t n = reader.read(std::span(records).subspan(filled));
    filled += n;
    if (n == 0) break;
  }
  records.resize(filled);
  records.shrink_to_fit();
  return records;
}

// Calls run(i) for i in [0, n) on `threads` threads, cells taken in increasing order. If some
// throw, rethrows the exception of the lowest failing index: every index below it has run (cells
// are claimed in order and none below a failure is skipped), so the choice does not depend on the
// thread count or timing.
template <class Fn>
void parallel_for(std::size_t n, unsigned threads, const Fn& run) {
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> first_failure{std::numeric_limits<std::size_t>::max()};
  std::vector<std::exception_ptr> errors(n);
  auto worker = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      if (i > first_failure.load()) continue;
      try {
        run(i);
      } catch (...) {
        errors[i] = std::current_exception();
        std::size_t seen = first_failure.load();
        while (i < seen && !first_failure.compare_exchange_weak(seen, i)) {
        }
      }
    }
  };
  const std::size_t helpers = std::min<std::size_t>(threads, n) - 1;
  {
    std::vector<std::jthread> pool;
    pool.reserve(helpers);
    for (std::size_t t = 0; t < helpers; ++t) pool.emplace_back(worker);
    worker();
  }
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace

SharedTrace SharedTrace::load(TraceReader& reader, std::span<const SimConfig> configs,
                              const ProgressFn& progress) {
  SharedTrace t;
  if (configs.empty()) return t;
  const unsigned shift = configs.front().page_shift();
  bool full = false;
  bool refs = false;
  bool next_use = false;
  for (const SimConfig& c : configs) {
    if (c.page_shift() != shift) throw Error("the runs of one comparison must share a page size");
    full = full || c.model == SimModel::Full;
    refs = refs || c.model == SimModel::Refs;
    next_use = next_use || policy_needs_next_use(c);
  }
  ProgressReader input(reader, progress);
  if (full) t.records_ = read_all(input);
  if (refs) {
    if (full) {
      SharedRecordsReader again(t.records_);
      t.dense_ = DenseTrace::decode(again, shift);
    } else {
      t.dense_ = DenseTrace::decode(input, shift);
    }
  }
  t.warnings_ = reader.warnings();
  t.damage_ = reader.damage();
  if (next_use) {
    if (t.dense_) {
      t.next_use_ = t.dense_->next_use();
    } else {
      SharedRecordsReader again(t.records_);
      t.next_use_ = compute_next_use(again, shift);
    }
  }
  return t;
}

Results simulate_shared(const SimConfig& config, const SharedTrace& trace, std::string trace_name) {
  RunInput input{.next_use = trace.next_use()};
  if (config.model == SimModel::Refs) {
    if (trace.dense() == nullptr) throw Error("the shared trace was loaded without its decoding");
    input.dense = trace.dense();
  } else {
    input.open = [&] { return std::make_unique<SharedRecordsReader>(trace.records()); };
  }
  Results results = run_engine(config, input, std::move(trace_name));
  results.warnings = trace.warnings();
  results.damage = trace.damage();
  return results;
}

std::vector<Results> compare(const std::vector<SimConfig>& configs, const SharedTrace& trace,
                             const std::string& trace_name, const CompareOptions& options) {
  const unsigned threads =
      options.threads != 0 ? options.threads : std::max(1U, std::thread::hardware_concurrency());
  std::vector<Results> runs(configs.size());
  std::mutex progress_mutex;
  std::size_t done = 0;
  parallel_for(configs.size(), threads, [&](std::size_t i) {
    runs[i] = simulate_shared(configs[i], trace, trace_name);
    if (options.run_done) {
      const std::lock_guard lock(progress_mutex);
      options.run_done(++done, configs.size());
    }
  });
  return runs;
}

std::vector<Results> compare(const std::vector<SimConfig>& configs, const TraceSpec& trace,
                             const CompareOptions& options) {
  for (const SimConfig& c : configs) c.validate();
  const unsigned threads =
      options.threads != 0 ? options.threads : std::max(1U, std::thread::hardware_concurrency());
  check_run_memory(configs, threads);
  std::unique_ptr<TraceReader> reader = open_trace(trace);
  const SharedTrace shared = SharedTrace::load(*reader, configs, options.reading);
  // Now that the decoding counts the distinct pages, the reference-string runs' page maps too.
  if (shared.dense() != nullptr)
    check_run_memory(configs, threads, shared.dense()->distinct_pages());
  return compare(configs, shared, trace.display_name(), options);
}

}  // namespace vmsim
