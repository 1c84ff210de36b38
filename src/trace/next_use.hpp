// OPT's pre-pass: for every page reference of a trace, the index of the next reference to the same
// page.
#pragma once

#include <cstdint>
#include <vector>

#include "vmsim/trace.hpp"

namespace vmsim {

// Reads the whole trace once. Page references are numbered as the simulator numbers them (every
// page an access spans, events skipped); next_use[t] is kNeverUsedAgain when page t is not
// referenced again.
std::vector<std::uint64_t> compute_next_use(TraceReader& reader, unsigned page_shift);

}  // namespace vmsim
