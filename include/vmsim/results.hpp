// What a run produced: event counters (named like /proc/vmstat where a kernel name exists) and the
// cost model's view of them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vmsim/config.hpp"
#include "vmsim/trace.hpp"

namespace vmsim {

struct Counters {
  std::uint64_t accesses = 0;       // memory references in the trace (events excluded)
  std::uint64_t reads = 0;          // data loads
  std::uint64_t writes = 0;         // data stores
  std::uint64_t fetches = 0;        // instruction fetches
  std::uint64_t page_refs = 0;      // pages touched: an access spanning two pages touches both
  std::uint64_t page_faults = 0;    // page_refs that faulted: not resident, or COW (pgfault)
  std::uint64_t minor_faults = 0;   // served without I/O: zero-fill, swap cache, copy-on-write
  std::uint64_t major_faults = 0;   // served from the swap device or the backing store (pgmajfault)
  std::uint64_t cow_faults = 0;     // writes to a page shared since a fork that copied it
  std::uint64_t backing_reads = 0;  // first touches read from the backing store (--first-touch)
  std::uint64_t evictions = 0;      // resident pages reclaimed at a fault to free a frame
  std::uint64_t released =
      0;  // pages a variable-allocation policy freed outside faults (working set)
  std::uint64_t dirty_writebacks = 0;  // evictions that had to write the page out
  std::uint64_t swap_reads = 0;        // pages read from swap (pswpin)
  std::uint64_t swap_writes = 0;       // pages written to swap (pswpout)
  std::uint64_t tlb_hits = 0;
  std::uint64_t tlb_misses = 0;
  std::uint64_t tlb_invalidations = 0;  // entries shot down: their page was evicted or copied
  std::uint64_t walks = 0;              // page-table walks (one per TLB miss)
  std::uint64_t walk_memory_refs = 0;   // memory references made by the walker
  std::uint64_t page_table_pages = 0;   // page-table pages allocated, all processes
  std::uint64_t processes = 0;          // distinct pids seen
  std::uint64_t events = 0;             // `@` event records read
  std::uint64_t peak_resident = 0;      // most frames in use at once
  std::uint64_t forks = 0;              // `@fork` events: a new address space each, a COW copy
  std::uint64_t exits = 0;              // `@exit` events
  std::uint64_t freed_at_exit = 0;      // resident pages freed when their address space ended
  std::uint64_t protection_faults = 0;  // page references a region did not allow (dropped)
  std::uint64_t freed_at_munmap = 0;    // resident pages freed by munmap or a mapping over them
  std::uint64_t execs = 0;              // `@exec` events
  std::uint64_t frames_shared = 0;      // frames more than one page maps, at the end of the run

  std::uint64_t page_hits() const { return page_refs - page_faults; }
};

// One fault, recorded only with SimConfig::record_faults.
struct FaultRecord {
  std::uint64_t ref_index = 0;  // 0-based index among page references
  std::uint16_t pid = 0;
  std::uint64_t vpn = 0;
  bool major = false;
  std::optional<std::uint64_t> victim_vpn;  // the page evicted to make room, if any
  std::uint16_t victim_pid = 0;
  bool victim_written_back = false;  // the victim was dirty and written to swap
};

// A page reference a process's regions did not allow (docs/events.md): dropped, and listed.
struct ProtectionFault {
  std::uint64_t ref_index = 0;  // page references before it (a dropped one is not counted)
  std::uint16_t pid = 0;
  std::uint64_t addr = 0;          // the first byte the access touched on the page
  Op op = Op::Read;                // what was attempted: read, write or fetch
  bool in_region = false;          // false: outside every region
  std::uint64_t region_start = 0;  // the region's bytes [start, end) and protection, when in one
  std::uint64_t region_end = 0;
  Prot region_prot = kProtNone;
};

// How many protection faults a run lists (all are counted).
inline constexpr std::size_t kProtectionFaultsListed = 1000;

// One process's share of a run (SimConfig::per_process), as Linux's /proc/PID/stat and smaps give
// it. The fault counts are those of the faults the process's references took (what those faults
// did, such as evicting another process's page, counts for the process that faulted).
struct ProcessCounts {
  std::uint16_t pid = 0;
  std::uint64_t page_faults = 0;
  std::uint64_t minor_faults = 0;
  std::uint64_t major_faults = 0;
  std::uint64_t cow_faults = 0;
  std::uint64_t swap_reads = 0;
  std::uint64_t protection_faults = 0;
  std::uint64_t resident = 0;       // pages it maps in memory at the end of the run (RSS)
  std::uint64_t peak_resident = 0;  // the most it mapped at once
  // Proportional set size at the end: each resident page counts 1 / (number of pages mapping its
  // frame), so a frame three processes share adds a third to each.
  double pss = 0;
};

// One region alive at the end of a run (SimConfig::per_process), as a mapping's lines in
// /proc/PID/smaps give it: its range and protection, its size, and how much of it is in memory.
struct RegionCounts {
  std::uint16_t pid = 0;
  std::uint64_t start = 0;  // first byte
  std::uint64_t end = 0;    // one past the last byte
  Prot prot = kProtNone;
  std::uint64_t pages = 0;     // its size in pages (Size)
  std::uint64_t resident = 0;  // of them, in memory at the end (Rss)
  double pss = 0;              // each resident page's 1 / (pages mapping its frame) (Pss)
};

struct Results {
  SimConfig config;
  std::string trace_name;
  Counters counters;
  double total_time_ns = 0;             // cost model: time for the whole trace
  double effective_access_time_ns = 0;  // total_time_ns / accesses (0 for an empty trace)
  std::vector<FaultRecord> faults;      // only with config.record_faults
  std::vector<ProtectionFault> protection_fault_list;  // the first kProtectionFaultsListed
  // The run stopped at a protection fault (SimConfig::on_segv == OnSegv::Stop): the counts are
  // those up to it.
  bool stopped_at_protection_fault = false;
  // With SimConfig::per_process: every process that made a reference or held a page, by pid.
  std::vector<ProcessCounts> per_process;
  // With SimConfig::per_process: every region alive at the end (or where the run stopped), by
  // address space (ASID order), then by address.
  std::vector<RegionCounts> per_region;
  // What reading the trace survived (a damaged or truncated .vmt file): the reader's warnings and
  // the damage counted. A run with warnings covers only the records that could be read.
  std::vector<std::string> warnings;
  TraceDamage damage;
};

}  // namespace vmsim
