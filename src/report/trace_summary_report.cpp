#include "report/trace_summary_report.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/units.hpp"

namespace vmsim {
namespace {

double percent(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

std::string mib(std::uint64_t bytes) {
  return fmt::format("{:.2f} MiB", static_cast<double>(bytes) / (1 << 20));
}

nlohmann::ordered_json to_json(const TraceSummary& s) {
  nlohmann::ordered_json j;
  j["trace"] = s.name;
  j["format"] = s.format;
  j["file_bytes"] = s.file_bytes;
  j["page_size"] = s.page_size;
  j["records"] = s.records;
  j["accesses"] = s.accesses;
  j["reads"] = s.reads;
  j["writes"] = s.writes;
  j["fetches"] = s.fetches;
  j["bytes_accessed"] = s.bytes_accessed;
  j["page_refs"] = s.page_refs;
  j["distinct_pages"] = s.distinct_pages;
  j["footprint_bytes"] = s.footprint_bytes();
  j["events"] = s.events;
  nlohmann::ordered_json pids = nlohmann::ordered_json::array();
  for (const auto& [pid, p] : s.pids) {
    pids.push_back({{"pid", pid},
                    {"accesses", p.accesses},
                    {"reads", p.reads},
                    {"writes", p.writes},
                    {"fetches", p.fetches},
                    {"distinct_pages", p.distinct_pages},
                    {"min_addr", p.min_addr},
                    {"max_addr", p.max_addr}});
  }
  j["pids"] = std::move(pids);
  if (s.has_header) {
    j["recorded_command"] = s.header.command;
    j["page_size_hint"] = s.header.page_size_hint;
    j["start_unix_ns"] = s.header.start_unix_ns;
    j["duration_ns"] = s.header.duration_ns;
  }
  j["warnings"] = s.warnings;
  return j;
}

std::string to_table(const TraceSummary& s) {
  std::string out =
      fmt::format("trace: {} ({} format, {} bytes)\n", s.name, s.format, s.file_bytes);
  if (s.has_header) {
    if (!s.header.command.empty()) out += fmt::format("recorded: {}\n", s.header.command);
    if (s.header.duration_ns != 0) {
      out +=
          fmt::format("recording took {:.3f} s\n", static_cast<double>(s.header.duration_ns) / 1e9);
    }
  }
  out += fmt::format("records          {:>14}\n", s.records);
  out += fmt::format(
      "accesses         {:>14}   reads {} ({:.1f}%), writes {} ({:.1f}%), fetches {} ({:.1f}%)\n",
      s.accesses, s.reads, percent(s.reads, s.accesses), s.writes, percent(s.writes, s.accesses),
      s.fetches, percent(s.fetches, s.accesses));
  out += fmt::format("bytes accessed   {:>14}\n", s.bytes_accessed);
  out +=
      fmt::format("page references  {:>14}   at {} pages\n", s.page_refs, format_size(s.page_size));
  out += fmt::format("distinct pages   {:>14}   footprint {}\n", s.distinct_pages,
                     mib(s.footprint_bytes()));
  if (!s.events.empty()) {
    std::string events;
    for (const auto& [name, n] : s.events)
      events += fmt::format("{}{} {}", events.empty() ? "" : ", ", name, n);
    out += fmt::format("events           {}\n", events);
  }
  out += fmt::format("\n{:>6} {:>12} {:>12} {:>10} {:>12} {:>10} {:>12}  {}\n", "pid", "accesses",
                     "reads", "writes", "fetches", "pages", "footprint", "address range");
  for (const auto& [pid, p] : s.pids) {
    out += fmt::format("{:>6} {:>12} {:>12} {:>10} {:>12} {:>10} {:>12}  {:#x}-{:#x}\n", pid,
                       p.accesses, p.reads, p.writes, p.fetches, p.distinct_pages,
                       mib(p.distinct_pages * s.page_size), p.min_addr, p.max_addr);
  }
  for (const std::string& w : s.warnings) out += fmt::format("warning: {}\n", w);
  return out;
}

}  // namespace

std::string render_trace_summary(const TraceSummary& summary, ReportFormat format) {
  if (format == ReportFormat::Json) return to_json(summary).dump(2) + "\n";
  if (format == ReportFormat::Csv) {
    std::string out = "pid,accesses,reads,writes,fetches,distinct_pages,min_addr,max_addr\n";
    for (const auto& [pid, p] : summary.pids) {
      out += fmt::format("{},{},{},{},{},{},{},{}\n", pid, p.accesses, p.reads, p.writes, p.fetches,
                         p.distinct_pages, p.min_addr, p.max_addr);
    }
    return out;
  }
  return to_table(summary);
}

}  // namespace vmsim
