// Every counter with its stable report key and a description: the one list that the table, JSON and
// CSV reports iterate, so a new counter appears everywhere at once.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "vmsim/results.hpp"

namespace vmsim {

struct CounterField {
  std::string_view key;  // JSON/CSV key, stable across versions (docs/cli.md)
  std::uint64_t Counters::*member;
  std::string_view description;
};

inline constexpr std::array kCounterFields = {
    CounterField{"accesses", &Counters::accesses, "memory references in the trace"},
    CounterField{"reads", &Counters::reads, "data loads"},
    CounterField{"writes", &Counters::writes, "data stores"},
    CounterField{"fetches", &Counters::fetches, "instruction fetches"},
    CounterField{"page_refs", &Counters::page_refs,
                 "pages touched (an access spanning two counts two)"},
    CounterField{"page_faults", &Counters::page_faults,
                 "page references that found the page absent"},
    CounterField{"minor_faults", &Counters::minor_faults, "faults served by zero-fill"},
    CounterField{"major_faults", &Counters::major_faults,
                 "faults served from swap or the backing store"},
    CounterField{"backing_reads", &Counters::backing_reads,
                 "pages read from the backing store (--first-touch backing-store)"},
    CounterField{"evictions", &Counters::evictions, "pages reclaimed to free a frame"},
    CounterField{"released", &Counters::released,
                 "pages freed outside faults (working-set policies)"},
    CounterField{"dirty_writebacks", &Counters::dirty_writebacks,
                 "evictions that wrote the page out"},
    CounterField{"swap_reads", &Counters::swap_reads, "pages read from swap"},
    CounterField{"swap_writes", &Counters::swap_writes, "pages written to swap"},
    CounterField{"tlb_hits", &Counters::tlb_hits, "page references translated by the TLB"},
    CounterField{"tlb_misses", &Counters::tlb_misses, "page references that walked the page table"},
    CounterField{"tlb_invalidations", &Counters::tlb_invalidations,
                 "TLB entries shot down by eviction"},
    CounterField{"walks", &Counters::walks, "page-table walks, including the retry after a fault"},
    CounterField{"walk_memory_refs", &Counters::walk_memory_refs,
                 "memory references made by walks"},
    CounterField{"page_table_pages", &Counters::page_table_pages, "page-table pages allocated"},
    CounterField{"peak_resident", &Counters::peak_resident, "most frames in use at once"},
    CounterField{"processes", &Counters::processes, "distinct pids"},
    CounterField{"events", &Counters::events, "trace events read (not yet modelled)"},
};

}  // namespace vmsim
