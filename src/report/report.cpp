#include "report/report.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "vmsim/counters.hpp"
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

nlohmann::ordered_json provenance_json(const Provenance& p) {
  nlohmann::ordered_json j;
  j["version"] = p.version;
  j["trace_path"] = p.trace_path;
  j["trace_bytes"] = p.trace_bytes ? nlohmann::ordered_json(*p.trace_bytes) : nullptr;
  j["trace_xxh3"] = p.trace_xxh3 ? nlohmann::ordered_json(*p.trace_xxh3) : nullptr;
  return j;
}

nlohmann::ordered_json damage_json(const TraceDamage& d) {
  nlohmann::ordered_json j;
  j["blocks_skipped"] = d.blocks_skipped;
  j["records_lost"] = d.records_lost;
  j["records_lost_unknown"] = d.records_lost_unknown;
  return j;
}

// What each counter key means, once per report: its unit, the /proc/vmstat field that counts the
// same thing (null where Linux has none), which models keep it and its help line. Programs read
// the figures by their self-explaining keys and the kernel name from here.
nlohmann::ordered_json counter_info_json() {
  nlohmann::ordered_json j;
  for (const CounterInfo& f : kCounters) {
    nlohmann::ordered_json c;
    c["unit"] = f.unit;
    c["vmstat"] =
        f.vmstat.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(f.vmstat);
    c["models"] = f.models == CounterModels::All ? "all" : "full";
    c["help"] = f.help;
    j[std::string(f.key)] = std::move(c);
  }
  return j;
}

nlohmann::ordered_json protection_faults_json(const std::vector<ProtectionFault>& faults) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ProtectionFault& f : faults) {
    nlohmann::ordered_json j;
    j["ref_index"] = f.ref_index;
    j["pid"] = f.pid;
    j["addr"] = fmt::format("{:#x}", f.addr);
    j["op"] = op_name(f.op);
    if (f.in_region) {
      nlohmann::ordered_json region;
      region["start"] = fmt::format("{:#x}", f.region_start);
      region["end"] = fmt::format("{:#x}", f.region_end);
      region["prot"] = prot_name(f.region_prot);
      j["region"] = std::move(region);
    } else {
      j["region"] = nullptr;
    }
    list.push_back(std::move(j));
  }
  return list;
}

// One line of the table per protection fault listed, the first few.
std::string protection_faults_text(const Results& r) {
  constexpr std::size_t kShown = 10;
  std::string out;
  const std::vector<ProtectionFault>& list = r.protection_fault_list;
  for (std::size_t i = 0; i < std::min(list.size(), kShown); ++i) {
    const ProtectionFault& f = list[i];
    out += fmt::format("  protection fault: reference {}, pid {}, {} at {:#x}, ", f.ref_index,
                       f.pid, op_name(f.op), f.addr);
    out += f.in_region ? fmt::format("region {:#x}-{:#x} {}\n", f.region_start, f.region_end,
                                     prot_name(f.region_prot))
                       : std::string("outside every region\n");
  }
  if (r.counters.protection_faults > std::min(list.size(), kShown)) {
    out += fmt::format("  ... {} protection faults in all ({} in the JSON report)\n",
                       r.counters.protection_faults, list.size());
  }
  if (r.stopped_at_protection_fault) {
    out += "  the run stopped at its first protection fault (--on-segv stop)\n";
  }
  return out.empty() ? out : "\n" + out;
}

// The per-process counts every report shows, in order, between the pid and the PSS: one table, so
// a new count cannot be left out of one of them (the size check below).
struct ProcessColumn {
  std::string_view key;     // JSON key
  std::string_view header;  // the table's column
  std::uint64_t ProcessCounts::*member;
};
constexpr std::array kProcessColumns = {
    ProcessColumn{"page_faults", "page_faults", &ProcessCounts::page_faults},
    ProcessColumn{"minor_faults", "minor", &ProcessCounts::minor_faults},
    ProcessColumn{"major_faults", "major", &ProcessCounts::major_faults},
    ProcessColumn{"cow_faults", "cow", &ProcessCounts::cow_faults},
    ProcessColumn{"swap_reads", "swap_in", &ProcessCounts::swap_reads},
    ProcessColumn{"protection_faults", "prot", &ProcessCounts::protection_faults},
    ProcessColumn{"resident", "resident", &ProcessCounts::resident},
    ProcessColumn{"peak_resident", "peak", &ProcessCounts::peak_resident},
};
// The pid (padded to 8 bytes), a column each, the PSS.
static_assert(sizeof(ProcessCounts) == 8 + kProcessColumns.size() * 8 + sizeof(double),
              "a field of ProcessCounts has no column in kProcessColumns");

nlohmann::ordered_json per_process_json(const std::vector<ProcessCounts>& processes) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ProcessCounts& p : processes) {
    nlohmann::ordered_json j;
    j["pid"] = p.pid;
    for (const ProcessColumn& c : kProcessColumns) j[std::string(c.key)] = p.*c.member;
    j["pss"] = p.pss;
    list.push_back(std::move(j));
  }
  return list;
}

// The per-process table (SimConfig::per_process): a line per process, PSS to two decimals.
std::string per_process_text(const Results& r) {
  if (!r.config.per_process) return {};
  std::string out = fmt::format("\n  {:>6}", "pid");
  for (const ProcessColumn& c : kProcessColumns) out += fmt::format(" {:>11}", c.header);
  out += fmt::format(" {:>11}\n", "pss");
  for (const ProcessCounts& p : r.per_process) {
    out += fmt::format("  {:>6}", p.pid);
    for (const ProcessColumn& c : kProcessColumns) out += fmt::format(" {:>11}", p.*c.member);
    out += fmt::format(" {:>11.2f}\n", p.pss);
  }
  return out;
}

// The regions alive at the end (SimConfig::per_process), as smaps lists mappings.
nlohmann::ordered_json per_region_json(const std::vector<RegionCounts>& regions) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const RegionCounts& r : regions) {
    nlohmann::ordered_json j;
    j["pid"] = r.pid;
    j["start"] = fmt::format("{:#x}", r.start);
    j["end"] = fmt::format("{:#x}", r.end);
    j["prot"] = prot_name(r.prot);
    j["pages"] = r.pages;
    j["resident"] = r.resident;
    j["pss"] = r.pss;
    list.push_back(std::move(j));
  }
  return list;
}

std::string per_region_text(const Results& r) {
  if (!r.config.per_process || r.per_region.empty()) return {};
  std::string out = fmt::format("\n  {:>6} {:>33} {:>4} {:>10} {:>11} {:>11}\n", "pid", "region",
                                "prot", "pages", "resident", "pss");
  for (const RegionCounts& c : r.per_region) {
    out += fmt::format("  {:>6} {:>33} {:>4} {:>10} {:>11} {:>11.2f}\n", c.pid,
                       fmt::format("{:#x}-{:#x}", c.start, c.end), prot_name(c.prot), c.pages,
                       c.resident, c.pss);
  }
  return out;
}

nlohmann::ordered_json run_json(const Results& r, const ConfigEcho& config) {
  nlohmann::ordered_json j;
  j["trace"] = r.trace_name;
  j["policy"] = r.config.policy;
  j["frames"] = r.config.frames;
  for (const CounterInfo& f : kCounters) j[std::string(f.key)] = r.counters.*f.member;
  j["page_hits"] = r.counters.page_hits();
  j["fault_rate"] = fault_rate(r.counters);
  j["tlb_hit_rate"] = has_tlb(r) ? nlohmann::ordered_json(tlb_hit_rate(r.counters)) : nullptr;
  j["total_time_ns"] = r.total_time_ns;
  j["effective_access_time_ns"] = r.effective_access_time_ns;
  j["warnings"] = r.warnings;
  j["trace_damage"] = damage_json(r.damage);
  j["protection_fault_list"] = protection_faults_json(r.protection_fault_list);
  j["stopped_at_protection_fault"] = r.stopped_at_protection_fault;
  if (r.config.per_process) {
    j["per_process"] = per_process_json(r.per_process);
    j["per_region"] = per_region_json(r.per_region);
  }
  nlohmann::ordered_json c;
  for (const auto& [key, value] : config) c[key] = config_value(value);
  j["config"] = std::move(c);
  return j;
}

std::string warnings_text(const std::vector<Results>& runs) {
  // Every run of a comparison read the same trace, so its warnings are said once.
  std::string out;
  if (runs.empty()) return out;
  for (const std::string& w : runs.front().warnings) out += fmt::format("warning: {}\n", w);
  if (!out.empty()) {
    out = "\n" + out +
          "the figures above cover only the records that could be read (--strict refuses a "
          "damaged trace)\n";
  }
  return out;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char ch : text) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return quoted + "\"";
}

std::string csv(const std::vector<Results>& runs) {
  std::string out = "trace,policy,frames";
  for (const CounterInfo& f : kCounters) out += fmt::format(",{}", f.key);
  out += ",page_hits,fault_rate,tlb_hit_rate,total_time_ns,effective_access_time_ns,warnings\n";
  for (const Results& r : runs) {
    out += fmt::format("{},{},{}", csv_field(r.trace_name), csv_field(r.config.policy),
                       r.config.frames);
    for (const CounterInfo& f : kCounters) out += fmt::format(",{}", r.counters.*f.member);
    // An empty field, not 0, where a figure does not apply.
    out += fmt::format(",{},{},{},{},{},{}\n", r.counters.page_hits(), fault_rate(r.counters),
                       has_tlb(r) ? fmt::format("{}", tlb_hit_rate(r.counters)) : std::string(),
                       r.total_time_ns, r.effective_access_time_ns, r.warnings.size());
  }
  return out;
}

struct TimeUnit {
  std::string_view name;
  double ns;
};

// The unit that shows `ns` with a whole part of one to three digits.
TimeUnit unit_for(double ns) {
  if (ns >= 1e9) return {"s", 1e9};
  if (ns >= 1e6) return {"ms", 1e6};
  if (ns >= 1e3) return {"us", 1e3};
  return {"ns", 1};
}

std::string human_time(double ns) {
  const TimeUnit u = unit_for(ns);
  if (u.ns == 1) return fmt::format("{:.2f} {}", ns, u.name);
  return fmt::format("{:.3f} {}", ns / u.ns, u.name);
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
  for (const CounterInfo& f : kCounters) {
    out += fmt::format("  {:<26}{:>16}   {}\n", f.key, r.counters.*f.member, f.help);
  }
  const Counters& c = r.counters;
  out += "\n";
  out += fmt::format("  {:<26}{:>16.6f}   page faults per page reference\n", "fault_rate",
                     fault_rate(c));
  if (has_tlb(r)) {
    out += fmt::format("  {:<26}{:>15}%   of page references\n", "tlb_hit_rate",
                       percent(c.tlb_hits, c.page_refs, 2, Rounding::Down));
  } else {
    out += fmt::format("  {:<26}{:>16}   no TLB modelled\n", "tlb_hit_rate", "-");
  }
  out += fmt::format("  {:<26}{:>16}   for the whole trace\n", "total_time",
                     human_time(r.total_time_ns));
  out += fmt::format("  {:<26}{:>16}   per memory access\n", "effective_access_time",
                     human_time(r.effective_access_time_ns));
  out += protection_faults_text(r);
  out += per_process_text(r);
  out += per_region_text(r);
  return out + warnings_text({r});
}

std::string compare_table(const std::vector<Results>& runs) {
  std::string out;
  if (!runs.empty()) out += fmt::format("trace: {}\n\n", runs.front().trace_name);
  // The policy column fits the longest name given (with its parameters, e.g. arc:p=0.5).
  std::size_t width = 10;
  for (const Results& r : runs) width = std::max(width, r.config.policy.size());
  // One unit for the whole EAT column, the one its largest figure reads best in, so rows compare
  // at a glance.
  double most = 0;
  for (const Results& r : runs) most = std::max(most, r.effective_access_time_ns);
  const TimeUnit unit = unit_for(most);
  out += fmt::format("{:<{}} {:>9} {:>12} {:>12} {:>12} {:>10} {:>9} {:>14}\n", "policy", width,
                     "frames", "faults", "minor", "major", "fault%", "TLB hit%",
                     fmt::format("EAT ({})", unit.name));
  bool refs = false;
  for (const Results& r : runs) {
    const Counters& c = r.counters;
    // Without a TLB its hit rate would read as 0%, which it is not.
    refs = refs || r.config.model == SimModel::Refs;
    out += fmt::format("{:<{}} {:>9} {:>12} {:>12} {:>12} {:>9}% {:>9} {:>14.3f}\n",
                       r.config.policy, width, r.config.frames, c.page_faults, c.minor_faults,
                       c.major_faults, percent(c.page_faults, c.page_refs, 3, Rounding::Up),
                       has_tlb(r) ? percent(c.tlb_hits, c.page_refs, 2, Rounding::Down) + "%" : "-",
                       r.effective_access_time_ns / unit.ns);
  }
  if (refs) {
    out +=
        "\nmodel refs: no TLB or page tables modelled; EAT counts memory, fault and swap time "
        "only\n";
  }
  return out + warnings_text(runs);
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

bool has_tlb(const Results& r) {
  return r.config.model == SimModel::Full && r.config.tlb_entries > 0;
}

std::string percent(std::uint64_t part, std::uint64_t whole, int decimals, Rounding rounding) {
  __extension__ using Wide = unsigned __int128;
  std::uint64_t unit = 1;  // 10^decimals
  for (int i = 0; i < decimals; ++i) unit *= 10;
  std::uint64_t units = 0;  // the percentage in steps of 10^-decimals
  if (whole != 0) {
    // Integer arithmetic: a double's rounding could still turn 99.9999% into 100.00%.
    const Wide scaled = static_cast<Wide>(part) * 100 * unit;
    units = static_cast<std::uint64_t>(scaled / whole);
    if (rounding == Rounding::Up && scaled % whole != 0) ++units;
  }
  if (decimals == 0) return fmt::format("{}", units);
  return fmt::format("{}.{:0{}}", units / unit, units % unit, decimals);
}

std::string render_run(const Results& results, const ConfigEcho& config, ReportFormat format,
                       const Provenance& provenance) {
  switch (format) {
    case ReportFormat::Json: {
      nlohmann::ordered_json j = run_json(results, config);
      j["provenance"] = provenance_json(provenance);
      j["counter_info"] = counter_info_json();
      return j.dump(2) + "\n";
    }
    case ReportFormat::Csv:
      return csv({results});
    case ReportFormat::Table:
      break;
  }
  return run_table(results, config);
}

std::string render_compare(const std::vector<Results>& runs, const std::vector<ConfigEcho>& configs,
                           ReportFormat format, const Provenance& provenance) {
  switch (format) {
    case ReportFormat::Json: {
      nlohmann::ordered_json j;
      j["trace"] = runs.empty() ? std::string() : runs.front().trace_name;
      j["runs"] = nlohmann::ordered_json::array();
      for (std::size_t i = 0; i < runs.size(); ++i)
        j["runs"].push_back(run_json(runs[i], configs[i]));
      j["provenance"] = provenance_json(provenance);
      j["counter_info"] = counter_info_json();
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
