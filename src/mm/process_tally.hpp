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

  // The kernel's counters that a fault's process is given its share of.
  struct FaultCounts {
    std::uint64_t page_faults, minor_faults, major_faults, cow_faults, swap_reads;
    explicit FaultCounts(const Counters& c)
        : page_faults(c.page_faults),
          minor_faults(c.minor_faults),
          major_faults(c.major_faults),
          cow_faults(c.cow_faults),
          swap_reads(c.swap_reads) {}
  };
  // A fault of `pid`'s: what the kernel counted while serving it (`before` it, `after` its
  // counters).
  void fault(std::uint16_t pid, const FaultCounts& before, const Counters& after) {
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
    for (Entry& e : by_pid_) e.counts.pss = 0;
  }

  // Every process seen, by pid.
  std::vector<ProcessCounts> list() const {
    std::vector<ProcessCounts> out;
    for (const Entry& e : by_pid_) {
      if (e.seen) out.push_back(e.counts);
    }
    return out;
  }

 private:
  ProcessCounts& of(std::uint16_t pid) {
    if (pid >= by_pid_.size() || !by_pid_[pid].seen) [[unlikely]]
      add(pid);
    return by_pid_[pid].counts;
  }
  // Out of line: growing the table inline made every call save and restore registers.
  [[gnu::noinline, gnu::cold]] void add(std::uint16_t pid) {
    if (pid >= by_pid_.size()) by_pid_.resize(std::size_t{pid} + 1);
    by_pid_[pid].seen = true;
    by_pid_[pid].counts.pid = pid;
  }

  struct Entry {
    ProcessCounts counts;
    bool seen = false;
  };
  std::vector<Entry> by_pid_;  // indexed by pid
};

}  // namespace vmsim
