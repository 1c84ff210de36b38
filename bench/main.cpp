// Runs the benchmarks with Google Benchmark's console output, then prints a summary: accesses per
// second per policy and workload, the TLB-hit path, and memory per distinct page. The summary is
// built here rather than by a script so scripts/bench.sh needs nothing beyond a shell.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace {

struct Row {
  std::string name;  // function name, e.g. "simulate/local/lru"
  std::string args;  // e.g. "pages:1048576/all_resident:1"
  double items_per_second = 0;
  std::map<std::string, double> counters;
};

// Prints as the console reporter does and keeps one row per benchmark: the median when repeated.
class SummaryReporter final : public benchmark::ConsoleReporter {
 public:
  // A display reporter passed to RunSpecifiedBenchmarks does not see --benchmark_color; colour
  // only a terminal, so logs and docs get plain text.
  SummaryReporter() : ConsoleReporter(isatty(STDOUT_FILENO) != 0 ? OO_ColorTabular : OO_Tabular) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      const bool aggregate = run.run_type == Run::RT_Aggregate;
      if (aggregate && run.aggregate_name != "median") continue;
      if (!aggregate && run.repetitions > 1) continue;
      Row row{run.run_name.function_name, run.run_name.args, 0, {}};
      for (const auto& [key, counter] : run.counters) row.counters[key] = counter.value;
      row.items_per_second = row.counters["items_per_second"];
      rows_.push_back(std::move(row));
    }
  }

  const std::vector<Row>& rows() const { return rows_; }

 private:
  std::vector<Row> rows_;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t pos; (pos = s.find(sep, start)) != std::string::npos; start = pos + 1) {
    parts.push_back(s.substr(start, pos - start));
  }
  parts.push_back(s.substr(start));
  return parts;
}

double counter(const Row& row, const std::string& key) {
  const auto it = row.counters.find(key);
  return it == row.counters.end() ? 0 : it->second;
}

void print_summary(const std::vector<Row>& rows) {
  // simulate/<workload>/<policy>, in the order the policies are registered.
  std::vector<std::string> policies;
  std::map<std::pair<std::string, std::string>, const Row*> sim;
  for (const Row& row : rows) {
    const auto parts = split(row.name, '/');
    if (parts.size() != 3 || parts[0] != "simulate") continue;
    sim[{parts[1], parts[2]}] = &row;
    if ((parts[1] == "local" || parts[1] == "random") &&
        std::find(policies.begin(), policies.end(), parts[2]) == policies.end()) {
      policies.push_back(parts[2]);
    }
  }

  if (!policies.empty()) {
    fmt::print(
        "\nEnd-to-end throughput, 10,000,000 accesses, 64-entry 4-way TLB, memory = 1/4 of "
        "footprint\n");
    fmt::print("{:<8} | {:>14} {:>9} {:>9} | {:>14} {:>9} {:>9}\n", "policy", "local Macc/s",
               "faults", "TLB hits", "random Macc/s", "faults", "TLB hits");
    for (const std::string& p : policies) {
      fmt::print("{:<8}", p);
      for (const char* w : {"local", "random"}) {
        const auto it = sim.find({w, p});
        if (it == sim.end()) {
          fmt::print(" | {:>14} {:>9} {:>9}", "-", "-", "-");
          continue;
        }
        const Row& r = *it->second;
        fmt::print(" | {:>14.1f} {:>8.2f}% {:>8.2f}%", r.items_per_second / 1e6,
                   100 * counter(r, "fault_ratio"), 100 * counter(r, "tlb_hit_ratio"));
      }
      fmt::print("\n");
    }
  }

  bool hit_header = false;
  for (const Row& row : rows) {
    const auto parts = split(row.name, '/');
    const bool hit_sim = parts.size() == 3 && parts[1].starts_with("tlb_hit");
    if (!hit_sim && row.name != "tlb/lookup_hit") continue;
    if (!hit_header) {
      fmt::print("\nTLB-hit path (every reference hits after warm-up)\n");
      fmt::print("{:<36} | {:>12}\n", "case", "M/s");
      hit_header = true;
    }
    fmt::print("{:<36} | {:>12.1f}\n", hit_sim ? parts[1] + "/" + parts[2] : row.name + " (Tlb)",
               row.items_per_second / 1e6);
  }

  bool mem_header = false;
  // The target is for the policies that keep no more than a list per frame; the others keep ghost
  // lists, histories or counters by design (docs/reliability.md states their bounds), and OPT's
  // figure is dominated by the next-use pre-pass (trace/next_use.cpp), an offline cost.
  double worst_simple = 0;
  double worst_other = 0;
  double worst_opt = 0;
  for (const Row& row : rows) {
    const auto parts = split(row.name, '/');
    if (parts.size() != 2 || parts[0] != "memory") continue;
    if (!mem_header) {
      fmt::print("\nMemory per distinct page (each page touched once; bytes / distinct pages)\n");
      fmt::print("{:<8} | {:>9} {:>9} | {:>10} {:>10} {:>10}\n", "policy", "pages", "frames",
                 "heap peak", "heap held", "RSS");
      mem_header = true;
    }
    const double peak = counter(row, "heap_peak_B_per_page");
    const bool simple =
        parts[1] == "fifo" || parts[1] == "lru" || parts[1] == "clock" || parts[1] == "random";
    double& worst = parts[1] == "opt" ? worst_opt : simple ? worst_simple : worst_other;
    worst = std::max(worst, peak);
    fmt::print("{:<8} | {:>9} {:>9} | {:>10.1f} {:>10.1f} {:>10.1f}\n", parts[1],
               static_cast<std::uint64_t>(counter(row, "distinct_pages")),
               static_cast<std::uint64_t>(counter(row, "frames")), peak,
               counter(row, "heap_held_B_per_page"), counter(row, "rss_B_per_page"));
  }

  const auto lru = sim.find({"local", "lru"});
  if (lru == sim.end() && !mem_header) return;
  fmt::print("\nTargets\n");
  if (lru != sim.end()) {
    const double m = lru->second->items_per_second / 1e6;
    fmt::print("  LRU, TLB on, good locality: {:.1f} M accesses/s (aim >= 50): {}\n", m,
               m >= 50 ? "met" : "NOT met");
  }
  if (mem_header) {
    fmt::print(
        "  memory per distinct page, worst heap peak, fifo/lru/clock/random: {:.1f} B (aim <= 64): "
        "{}\n",
        worst_simple, worst_simple <= 64 ? "met" : "NOT met");
    if (worst_other > 0) {
      fmt::print(
          "  memory per distinct page, worst heap peak, the other online policies: {:.1f} B (no "
          "target)\n",
          worst_other);
    }
    if (worst_opt > 0) {
      fmt::print(
          "  memory per distinct page, worst heap peak, opt with its pre-pass: {:.1f} B (aim <= "
          "64): {}\n",
          worst_opt, worst_opt <= 64 ? "met" : "NOT met");
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  print_summary(reporter.rows());
  std::fflush(stdout);
  return 0;
}
