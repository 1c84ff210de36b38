// Rendering results as a readable table, JSON or CSV. One Results is a `run`; several are a
// `compare`.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vmsim/results.hpp"

namespace vmsim {

enum class ReportFormat { Table, Json, Csv };

// Throws vmsim::Error listing the valid names.
ReportFormat parse_report_format(std::string_view name);

using ConfigEcho = std::vector<std::pair<std::string, std::string>>;

// A single run: every counter, the derived rates and times, and the configuration that produced
// them.
std::string render_run(const Results& results, const ConfigEcho& config, ReportFormat format);

// Several runs over one trace, one row per (policy, frames).
std::string render_compare(const std::vector<Results>& runs, const std::vector<ConfigEcho>& configs,
                           ReportFormat format);

// Derived figures shared by every format.
double fault_rate(const Counters& c);    // page_faults / page_refs
double tlb_hit_rate(const Counters& c);  // tlb_hits / page_refs

}  // namespace vmsim
