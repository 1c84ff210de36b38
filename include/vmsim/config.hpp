// The configuration of one simulated system: a plain aggregate with defaults and a validate() that
// reports every problem at once. The CLI, TOML config files and presets all fill this same
// structure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vmsim {

enum class PageTableKind : std::uint8_t {
  Linear,  // one flat table covering the whole virtual address space: one memory reference per walk
  Radix,   // multi-level tree (x86-64: 4 levels of 9 bits); one memory reference per level per walk
};

enum class SwapDevice : std::uint8_t { Ssd, Hdd };

// Where a page comes from at a fault when it has no copy on swap.
enum class FirstTouch : std::uint8_t {
  ZeroFill,      // an anonymous page: a zeroed frame, a minor fault (Linux's do_anonymous_page)
  BackingStore,  // read from the backing store (the program file): a major fault costing the swap
                 // device's read time, as the textbook's effective access time charges the
                 // page-fault service time to every fault (Silberschatz et al., 10.2.2)
};

// What a protection fault does to the run (docs/events.md).
enum class OnSegv : std::uint8_t {
  Continue,  // the access is dropped, counted and listed, and the run goes on
  Stop,      // the run stops there, as the process would (the CLI exits 3)
};

// How much of the system a run models.
enum class SimModel : std::uint8_t {
  Full,  // TLB, page tables and walks, faults, reclaim and swap: every counter
  Refs,  // reference-string mode: only physical memory and the replacement policy (no TLB, no
         // page tables; their counters stay 0). Faults, evictions and swap traffic are the same as
         // Full's; it runs several times faster and is what compare grids and curves need.
};

// The cost model: turns event counts into time. Defaults are documented in docs/cli.md with
// sources.
struct TimingConfig {
  double tlb_ns = 1.0;       // one TLB lookup (hit or miss)
  double memory_ns = 100.0;  // one DRAM reference: the data access itself and each page-walk step
  double minor_fault_ns = 1000.0;  // kernel entry + zero-filling a 4 KiB frame
  // Swap I/O per page; negative means "the swap device's default" (SSD 100 us, HDD 8 ms).
  double swap_read_ns = -1.0;
  double swap_write_ns = -1.0;

  double effective_swap_read_ns(SwapDevice device) const;
  double effective_swap_write_ns(SwapDevice device) const;
};

// One thing wrong with a configuration, and the setting (the long option / TOML key) to fix.
struct ConfigProblem {
  std::string_view setting;
  std::string message;
};

struct SimConfig {
  std::uint64_t page_size = 4096;  // bytes, a power of two >= 256
  std::uint64_t frames = 1024;     // physical memory in page frames (`--memory` sets it in bytes)
  std::string policy = "lru";      // name[:param=value,...], see `vmsim --list-policies`
  std::uint64_t seed = 1;          // every random choice derives from it
  SimModel model = SimModel::Full;

  std::uint32_t tlb_entries = 64;  // 0 disables the TLB: every reference walks the page table
  std::uint32_t tlb_ways = 4;      // associativity; equal to tlb_entries for fully associative

  PageTableKind page_table = PageTableKind::Radix;
  std::uint32_t va_bits = 48;  // virtual address bits
  std::uint32_t pt_levels =
      4;  // radix levels, splitting the page-number bits evenly (root gets the rest)
  std::vector<std::uint32_t>
      pt_bits;                  // explicit bits per radix level, root first; overrides pt_levels
  std::uint32_t pte_bytes = 8;  // size of one page-table entry

  SwapDevice swap_device = SwapDevice::Ssd;
  // Keep a swapped-in page's swap slot while the page stays clean, so evicting it again costs no
  // write (Linux's swap cache with ample swap). Off: the slot is freed at swap-in and the page
  // counts as dirty, so every swap read is preceded by its own write (the textbook model, and Linux
  // when swap is scarce).
  bool swap_cache = false;
  FirstTouch first_touch = FirstTouch::ZeroFill;
  OnSegv on_segv = OnSegv::Continue;
  TimingConfig timing;

  // Record every fault (reference index, page, victim) in Results::faults: for tests and
  // explanations.
  bool record_faults = false;
  // Count faults, resident pages and the proportional set size per process, in
  // Results::per_process.
  bool per_process = false;

  // Every problem found, one message each; empty when the configuration is usable.
  std::vector<std::string> problems() const;
  // The same with the setting each problem is about, so a caller can say where it was set.
  std::vector<ConfigProblem> problem_list() const;
  // Throws vmsim::Error with all problems, one per line.
  void validate() const;

  // Bits of the page number per radix level, root first (derived from pt_bits or pt_levels and
  // va_bits).
  std::vector<std::uint32_t> radix_level_bits() const;
  unsigned page_shift() const;
};

}  // namespace vmsim
