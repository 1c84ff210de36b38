// Rendering `vmsim trace info` results.
#pragma once

#include <string>

#include "report/report.hpp"
#include "stats/trace_summary.hpp"

namespace vmsim {

std::string render_trace_summary(const TraceSummary& summary, ReportFormat format);

}  // namespace vmsim
