#include "stats/cost_model.hpp"

namespace vmsim {

double total_time_ns(const Counters& c, const SimConfig& config) {
  const TimingConfig& t = config.timing;
  // Reference-string mode has no TLB: a reference costs the memory access alone (its walk
  // counters are 0 too).
  const bool tlb = config.model == SimModel::Full && config.tlb_entries > 0;
  const double lookup = tlb ? t.tlb_ns : 0.0;
  return static_cast<double>(c.page_refs) * (lookup + t.memory_ns) +
         static_cast<double>(c.walk_memory_refs) * t.memory_ns +
         static_cast<double>(c.minor_faults) * t.minor_fault_ns +
         static_cast<double>(c.swap_reads + c.backing_reads) *
             t.effective_swap_read_ns(config.swap_device) +
         static_cast<double>(c.swap_writes) * t.effective_swap_write_ns(config.swap_device);
}

double effective_access_time_ns(const Counters& c, const SimConfig& config) {
  return c.accesses == 0 ? 0.0 : total_time_ns(c, config) / static_cast<double>(c.accesses);
}

void price(Results& results) {
  results.total_time_ns = total_time_ns(results.counters, results.config);
  results.effective_access_time_ns = effective_access_time_ns(results.counters, results.config);
}

}  // namespace vmsim
