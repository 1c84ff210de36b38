// The cost model: turns the functional model's event counts into time. Kept apart from the
// simulation so the same run can be priced under different timings.
#pragma once

#include "vmsim/config.hpp"
#include "vmsim/results.hpp"

namespace vmsim {

// Total time for the trace:
//   page_refs * (tlb_ns + memory_ns)        every page reference: lookup (only when the TLB is
//                                           enabled and the model is full) + data access
// + walk_memory_refs * memory_ns                               the page walker's references
// + minor_faults * minor_fault_ns                              zero-fill service
// + swap_reads * swap_read_ns + swap_writes * swap_write_ns    major-fault reads, dirty write-backs
double total_time_ns(const Counters& counters, const SimConfig& config);

// total_time_ns / accesses; 0 for an empty trace.
double effective_access_time_ns(const Counters& counters, const SimConfig& config);

// Fills results.total_time_ns and results.effective_access_time_ns from its counters and config.
void price(Results& results);

}  // namespace vmsim
