// Rendering miss-ratio curves (`vmsim mrc`): a table, CSV or JSON of faults and miss ratio per
// memory size, and a plot drawn by gnuplot.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mrc/curve.hpp"
#include "report/report.hpp"

namespace vmsim {

struct MrcReport {
  std::string trace_name;
  std::uint64_t page_size = 4096;
  std::vector<mrc::MissRatioCurve> curves;  // one per policy, all over the same trace
  std::vector<std::uint64_t> frames;        // the memory sizes to list
};

std::string render_mrc(const MrcReport& report, ReportFormat format);

// Checks before any work that `path` can take a plot: it ends in .png or .svg, its directory is
// writable and gnuplot is on PATH. Throws vmsim::Error saying which is not so.
void check_plot_path(const std::string& path);

// Draws every curve (miss ratio against memory) into `path`, PNG or SVG by its extension, by
// running gnuplot; the file appears whole or not at all. Throws vmsim::Error when gnuplot is not
// installed or fails.
void plot_mrc(const MrcReport& report, const std::string& path);

}  // namespace vmsim
