// The counters of a run, declared once: an enum to index them, and one table giving each its stable
// report key, unit, Linux /proc/vmstat equivalent and help line. The JSON, CSV and table reports,
// docs/cli.md (checked by a test) and the model-equivalence test all read this table, so a counter
// added to `Counters` without a row here does not compile, and one with a row is reported
// everywhere at once.
//
// The table is a `CounterSpec<Struct>` array over a plain struct of uint64_t fields. Per-process
// counters are further `Counters` values (one per address space); per-level TLB counters will be a
// struct of their own with a table of the same shape, read by the same report code.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vmsim/results.hpp"

namespace vmsim {

// One per field of `Counters`, in report order (which is also the order of the table below).
enum class Counter : std::uint8_t {
  accesses,
  reads,
  writes,
  fetches,
  page_refs,
  page_faults,
  minor_faults,
  major_faults,
  cow_faults,
  backing_reads,
  evictions,
  released,
  dirty_writebacks,
  swap_reads,
  swap_writes,
  tlb_hits,
  tlb_misses,
  tlb_invalidations,
  walks,
  walk_memory_refs,
  page_table_pages,
  peak_resident,
  processes,
  events,
  forks,
  exits,
  freed_at_exit,
  protection_faults,
  freed_at_munmap,
  execs,
  frames_shared,
};

// Which models keep a counter. `--model refs` has no TLB or page tables, so it reports their
// counters as 0.
enum class CounterModels : std::uint8_t {
  All,       // every model
  FullOnly,  // the full model (TLB, page-table walks) only
};

template <class Struct, class Id>
struct CounterSpec {
  Id id;
  std::string_view key;  // JSON/CSV key, stable across versions (docs/cli.md)
  std::uint64_t Struct::*member;
  std::string_view unit;    // what one count is
  std::string_view vmstat;  // the /proc/vmstat field that counts the same thing, or empty
  std::string_view help;    // one line
  CounterModels models = CounterModels::All;
};

using CounterInfo = CounterSpec<Counters, Counter>;

inline constexpr std::array kCounters = {
    CounterInfo{Counter::accesses, "accesses", &Counters::accesses, "references", "",
                "memory references in the trace"},
    CounterInfo{Counter::reads, "reads", &Counters::reads, "references", "", "data loads"},
    CounterInfo{Counter::writes, "writes", &Counters::writes, "references", "", "data stores"},
    CounterInfo{Counter::fetches, "fetches", &Counters::fetches, "references", "",
                "instruction fetches"},
    CounterInfo{Counter::page_refs, "page_refs", &Counters::page_refs, "page references", "",
                "pages touched (an access spanning two counts two)"},
    CounterInfo{Counter::page_faults, "page_faults", &Counters::page_faults, "faults", "pgfault",
                "page references that found the page absent, or write-protected after a fork"},
    CounterInfo{Counter::minor_faults, "minor_faults", &Counters::minor_faults, "faults", "",
                "faults served without I/O: zero-fill, swap cache, copy-on-write"},
    CounterInfo{Counter::major_faults, "major_faults", &Counters::major_faults, "faults",
                "pgmajfault", "faults served from swap or the backing store"},
    CounterInfo{Counter::cow_faults, "cow_faults", &Counters::cow_faults, "faults", "",
                "writes that copied a page shared since a fork into a frame of its own"},
    CounterInfo{Counter::backing_reads, "backing_reads", &Counters::backing_reads, "pages", "",
                "pages read from the backing store (--first-touch backing-store)"},
    CounterInfo{Counter::evictions, "evictions", &Counters::evictions, "pages", "pgsteal_direct",
                "pages reclaimed to free a frame"},
    CounterInfo{Counter::released, "released", &Counters::released, "pages", "",
                "pages freed outside faults (working-set policies)"},
    CounterInfo{Counter::dirty_writebacks, "dirty_writebacks", &Counters::dirty_writebacks, "pages",
                "", "evictions that wrote the page out"},
    CounterInfo{Counter::swap_reads, "swap_reads", &Counters::swap_reads, "pages", "pswpin",
                "pages read from swap"},
    CounterInfo{Counter::swap_writes, "swap_writes", &Counters::swap_writes, "pages", "pswpout",
                "pages written to swap"},
    CounterInfo{Counter::tlb_hits, "tlb_hits", &Counters::tlb_hits, "page references", "",
                "page references translated by the TLB", CounterModels::FullOnly},
    CounterInfo{Counter::tlb_misses, "tlb_misses", &Counters::tlb_misses, "page references", "",
                "page references that walked the page table", CounterModels::FullOnly},
    CounterInfo{Counter::tlb_invalidations, "tlb_invalidations", &Counters::tlb_invalidations,
                "entries", "nr_tlb_local_flush_one",
                "TLB entries shot down by eviction or a COW copy", CounterModels::FullOnly},
    CounterInfo{Counter::walks, "walks", &Counters::walks, "walks", "",
                "page-table walks, including the retry after a fault", CounterModels::FullOnly},
    CounterInfo{Counter::walk_memory_refs, "walk_memory_refs", &Counters::walk_memory_refs,
                "references", "", "memory references made by walks", CounterModels::FullOnly},
    CounterInfo{Counter::page_table_pages, "page_table_pages", &Counters::page_table_pages, "pages",
                "", "page-table pages allocated", CounterModels::FullOnly},
    CounterInfo{Counter::peak_resident, "peak_resident", &Counters::peak_resident, "frames", "",
                "most frames in use at once"},
    CounterInfo{Counter::processes, "processes", &Counters::processes, "processes", "",
                "distinct pids"},
    CounterInfo{Counter::events, "events", &Counters::events, "events", "", "trace events read"},
    CounterInfo{Counter::forks, "forks", &Counters::forks, "events", "",
                "@fork events: each gives the child a copy-on-write copy of the address space"},
    CounterInfo{Counter::exits, "exits", &Counters::exits, "events", "",
                "@exit events: each ends the process's address space"},
    CounterInfo{Counter::freed_at_exit, "freed_at_exit", &Counters::freed_at_exit, "pages", "",
                "resident pages freed when their address space ended"},
    CounterInfo{Counter::protection_faults, "protection_faults", &Counters::protection_faults,
                "page references", "",
                "page references outside every region or against its protection, dropped"},
    CounterInfo{Counter::freed_at_munmap, "freed_at_munmap", &Counters::freed_at_munmap, "pages",
                "", "resident pages freed because munmap, or a mapping over them, unmapped them"},
    CounterInfo{Counter::execs, "execs", &Counters::execs, "events", "",
                "@exec events: each replaces the process's address space by an empty one"},
    CounterInfo{Counter::frames_shared, "frames_shared", &Counters::frames_shared, "frames", "",
                "frames that more than one page maps at the end of the run"},
};

inline constexpr std::size_t kCounterCount = kCounters.size();

constexpr const CounterInfo& counter_info(Counter c) {
  return kCounters[static_cast<std::size_t>(c)];
}

constexpr std::uint64_t& counter(Counters& counters, Counter c) {
  return counters.*counter_info(c).member;
}
constexpr std::uint64_t counter(const Counters& counters, Counter c) {
  return counters.*counter_info(c).member;
}

namespace detail {

// Each row sits at its enum's index, and no two rows name the same field: with the size check
// below, every field of `Counters` has exactly one row.
template <class Spec, std::size_t N>
constexpr bool table_is_exact(const std::array<Spec, N>& table) {
  for (std::size_t i = 0; i < N; ++i) {
    if (static_cast<std::size_t>(table[i].id) != i) return false;
    for (std::size_t j = 0; j < i; ++j) {
      if (table[i].member == table[j].member || table[i].key == table[j].key) return false;
    }
  }
  return true;
}

}  // namespace detail

static_assert(detail::table_is_exact(kCounters), "kCounters: a row out of enum order or repeated");
static_assert(sizeof(Counters) == kCounterCount * sizeof(std::uint64_t),
              "a field of Counters has no row in kCounters");

}  // namespace vmsim
