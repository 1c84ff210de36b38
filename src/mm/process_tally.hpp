// Per-process accounting (SimConfig::per_process): each process's faults by kind, the pages it
// maps in memory (its resident set, and the most it held at once) and, at the end, its
// proportional set size. Kept only when asked for: the fault path then calls in at every mapping
// it adds or removes (mm/fault.hpp: note_mapped, note_unmapped), and the engine adds up what each
// fault counted for the process that took it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "vmsim/results.hpp"

namespace vmsim {

class ProcessTally {
 public:
  void mapped(std::uint16_t pid) {
    ProcessCounts& p = of(pid);
    ++p.resident;
    p.peak_resident = std::max(p.peak_resident, p.resident);
  }
  void unmapped(std::uint16_t pid) { --of(pid).resident; }

  // A fault of `pid`'s: what the kernel counted while serving it (`before` and `after` its
  // counters).
  void fault(std::uint16_t pid, const Counters& before, const Counters& after) {
    ProcessCounts& p = of(pid);
    p.page_faults += after.page_faults - before.page_faults;
    p.minor_faults += after.minor_faults - before.minor_faults;
    p.major_faults += after.major_faults - before.major_faults;
    p.cow_faults += after.cow_faults - before.cow_faults;
    p.swap_reads += after.swap_reads - before.swap_reads;
  }
  void protection_faults(std::uint16_t pid, std::uint64_t n) { of(pid).protection_faults += n; }
  // A resident page of `pid` in a frame that `mappers` pages map.
  void share(std::uint16_t pid, std::uint32_t mappers) { of(pid).pss += 1.0 / mappers; }
  void clear_pss() {
    for (ProcessCounts& p : by_pid_) p.pss = 0;
  }

  // Every process seen, by pid.
  std::vector<ProcessCounts> list() const {
    std::vector<ProcessCounts> out;
    for (std::size_t pid = 0; pid < by_pid_.size(); ++pid) {
      if (seen_[pid]) out.push_back(by_pid_[pid]);
    }
    return out;
  }

 private:
  ProcessCounts& of(std::uint16_t pid) {
    if (pid >= by_pid_.size()) {
      by_pid_.resize(std::size_t{pid} + 1);
      seen_.resize(std::size_t{pid} + 1);
    }
    if (!seen_[pid]) {
      seen_[pid] = true;
      by_pid_[pid].pid = pid;
    }
    return by_pid_[pid];
  }

  std::vector<ProcessCounts> by_pid_;
  std::vector<bool> seen_;
};

}  // namespace vmsim
