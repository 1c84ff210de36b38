// Rendering results as a readable table, JSON or CSV. One Results is a `run`; several are a
// `compare`.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "report/provenance.hpp"
#include "vmsim/results.hpp"

namespace vmsim {

enum class ReportFormat { Table, Json, Csv };

// Throws vmsim::Error listing the valid names.
ReportFormat parse_report_format(std::string_view name);

using ConfigEcho = std::vector<std::pair<std::string, std::string>>;

// A single run: every counter, the derived rates and times, the configuration that produced them,
// the trace reader's warnings and (JSON) where the result came from.
std::string render_run(const Results& results, const ConfigEcho& config, ReportFormat format,
                       const Provenance& provenance = {});

// Several runs over one trace, one row per (policy, frames).
std::string render_compare(const std::vector<Results>& runs, const std::vector<ConfigEcho>& configs,
                           ReportFormat format, const Provenance& provenance = {});

// A percentage of part/whole with `decimals` digits, rounded toward the figure that claims less
// perfection: hit rates down (a single miss never shows as 100.00% hits), fault rates up (a single
// fault never shows as 0.000%).
enum class Rounding { Down, Up };
std::string percent(std::uint64_t part, std::uint64_t whole, int decimals, Rounding rounding);

// Derived figures shared by every format.
double fault_rate(const Counters& c);    // page_faults / page_refs
double tlb_hit_rate(const Counters& c);  // tlb_hits / page_refs
// Whether the run modelled a TLB at all (reference-string mode and --tlb-entries 0 do not), so that
// its hit rate means something; otherwise reports show "-" (JSON null).
bool has_tlb(const Results& r);

}  // namespace vmsim
