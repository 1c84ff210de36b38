#include "report/report.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "stats/counter_fields.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

double ratio(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

// A configuration value that is a plain number goes into JSON as a number, anything else as a
// string.
nlohmann::json config_value(const std::string& text) {
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (!text.empty() && ec == std::errc() && end == text.data() + text.size()) {
    std::uint64_t integer = 0;
    auto [iend, iec] = std::from_chars(text.data(), text.data() + text.size(), integer);
    if (iec == std::errc() && iend == text.data() + text.size()) return integer;
    return number;
  }
  return text;
}

nlohmann::ordered_json run_json(const Results& r, const ConfigEcho& config) {
  nlohmann::ordered_json j;
  j["trace"] = r.trace_name;
  j["policy"] = r.config.policy;
  j["frames"] = r.config.frames;
  for (const CounterField& f : kCounterFields) j[std::string(f.key)] = r.counters.*f.member;
  j["page_hits"] = r.counters.page_hits();
  j["fault_rate"] = fault_rate(r.counters);
  j["tlb_hit_rate"] = tlb_hit_rate(r.counters);
  j["total_time_ns"] = r.total_time_ns;
  j["effective_access_time_ns"] = r.effective_access_time_ns;
  nlohmann::ordered_json c;
  for (const auto& [key, value] : config) c[key] = config_value(value);
  j["config"] = std::move(c);
  return j;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char ch : text) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return quoted + "\"";
}

std::string csv(const std::vector<Results>& runs) {
  std::string out = "trace,policy,frames";
  for (const CounterField& f : kCounterFields) out += fmt::format(",{}", f.key);
  out += ",page_hits,fault_rate,tlb_hit_rate,total_time_ns,effective_access_time_ns\n";
  for (const Results& r : runs) {
    out += fmt::format("{},{},{}", csv_field(r.trace_name), csv_field(r.config.policy),
                       r.config.frames);
    for (const CounterField& f : kCounterFields) out += fmt::format(",{}", r.counters.*f.member);
    out += fmt::format(",{},{},{},{},{}\n", r.counters.page_hits(), fault_rate(r.counters),
                       tlb_hit_rate(r.counters), r.total_time_ns, r.effective_access_time_ns);
  }
  return out;
}

std::string human_time(double ns) {
  if (ns >= 1e9) return fmt::format("{:.3f} s", ns / 1e9);
  if (ns >= 1e6) return fmt::format("{:.3f} ms", ns / 1e6);
  if (ns >= 1e3) return fmt::format("{:.3f} us", ns / 1e3);
  return fmt::format("{:.2f} ns", ns);
}

std::string run_table(const Results& r, const ConfigEcho& config) {
  std::string out = fmt::format("trace: {}\nconfig:", r.trace_name);
  std::size_t width = 7;
  for (const auto& [key, value] : config) {
    const std::string item = fmt::format(" {}={}", key, value);
    if (width + item.size() > 100) {
      out += "\n       ";
      width = 7;
    }
    out += item;
    width += item.size();
  }
  out += "\n\n";
  if (r.config.model == SimModel::Refs) {
    out +=
        "  model refs: physical memory and the replacement policy only; TLB, walk and page-table\n"
        "  counters are not modelled (0), and the access time counts memory, fault and swap "
        "time\n\n";
  }
  for (const CounterField& f : kCounterFields) {
    out += fmt::format("  {:<26}{:>16}   {}\n", f.key, r.counters.*f.member, f.description);
  }
  const Counters& c = r.counters;
  out += "\n";
  out += fmt::format("  {:<26}{:>16.6f}   page faults per page reference\n", "fault_rate",
                     fault_rate(c));
  out += fmt::format("  {:<26}{:>15.2f}%   of page references\n", "tlb_hit_rate",
                     100 * tlb_hit_rate(c));
  out += fmt::format("  {:<26}{:>16}   for the whole trace\n", "total_time",
                     human_time(r.total_time_ns));
  out += fmt::format("  {:<26}{:>16}   per memory access\n", "effective_access_time",
                     human_time(r.effective_access_time_ns));
  return out;
}

std::string compare_table(const std::vector<Results>& runs) {
  std::string out;
  if (!runs.empty()) out += fmt::format("trace: {}\n\n", runs.front().trace_name);
  // The policy column fits the longest name given (with its parameters, e.g. arc:p=0.5).
  std::size_t width = 10;
  for (const Results& r : runs) width = std::max(width, r.config.policy.size());
  out += fmt::format("{:<{}} {:>9} {:>12} {:>12} {:>12} {:>10} {:>9} {:>14}\n", "policy", width,
                     "frames", "faults", "minor", "major", "fault%", "TLB hit%", "EAT");
  bool refs = false;
  for (const Results& r : runs) {
    const Counters& c = r.counters;
    // Reference-string mode has no TLB: its hit rate would read as 0%, which it is not.
    const bool no_tlb = r.config.model == SimModel::Refs;
    refs = refs || no_tlb;
    out += fmt::format("{:<{}} {:>9} {:>12} {:>12} {:>12} {:>9.3f}% {:>9} {:>14}\n",
                       r.config.policy, width, r.config.frames, c.page_faults, c.minor_faults,
                       c.major_faults, 100 * fault_rate(c),
                       no_tlb ? std::string("-") : fmt::format("{:.2f}%", 100 * tlb_hit_rate(c)),
                       human_time(r.effective_access_time_ns));
  }
  if (refs) {
    out +=
        "\nmodel refs: no TLB or page tables modelled; EAT counts memory, fault and swap time "
        "only\n";
  }
  return out;
}

}  // namespace

ReportFormat parse_report_format(std::string_view name) {
  if (name == "table") return ReportFormat::Table;
  if (name == "json") return ReportFormat::Json;
  if (name == "csv") return ReportFormat::Csv;
  throw Error(fmt::format("unknown output format '{}' (valid: table, json, csv)", name));
}

double fault_rate(const Counters& c) {
  return ratio(c.page_faults, c.page_refs);
}
double tlb_hit_rate(const Counters& c) {
  return ratio(c.tlb_hits, c.page_refs);
}

std::string render_run(const Results& results, const ConfigEcho& config, ReportFormat format) {
  switch (format) {
    case ReportFormat::Json:
      return run_json(results, config).dump(2) + "\n";
    case ReportFormat::Csv:
      return csv({results});
    case ReportFormat::Table:
      break;
  }
  return run_table(results, config);
}

std::string render_compare(const std::vector<Results>& runs, const std::vector<ConfigEcho>& configs,
                           ReportFormat format) {
  switch (format) {
    case ReportFormat::Json: {
      nlohmann::ordered_json j;
      j["trace"] = runs.empty() ? std::string() : runs.front().trace_name;
      j["runs"] = nlohmann::ordered_json::array();
      for (std::size_t i = 0; i < runs.size(); ++i)
        j["runs"].push_back(run_json(runs[i], configs[i]));
      return j.dump(2) + "\n";
    }
    case ReportFormat::Csv:
      return csv(runs);
    case ReportFormat::Table:
      break;
  }
  return compare_table(runs);
}

}  // namespace vmsim
