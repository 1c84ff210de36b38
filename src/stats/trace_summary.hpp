// What `vmsim trace info` reports about a trace, computed in one streaming pass over its records.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "vmsim/simulator.hpp"
#include "vmsim/trace.hpp"

namespace vmsim {

struct PidSummary {
  std::uint64_t accesses = 0;
  std::uint64_t reads = 0, writes = 0, fetches = 0;
  std::uint64_t distinct_pages = 0;
  std::uint64_t min_addr = ~std::uint64_t{0};
  std::uint64_t max_addr = 0;  // last byte touched
};

struct TraceSummary {
  std::string name;
  std::string format;
  std::uint64_t page_size = 4096;
  std::uint64_t records = 0;
  std::uint64_t accesses = 0;
  std::uint64_t reads = 0, writes = 0, fetches = 0;
  std::uint64_t bytes_accessed = 0;  // sum of access sizes
  std::uint64_t page_refs = 0;       // pages touched, an access spanning two counting two
  std::uint64_t distinct_pages = 0;  // (pid, page) pairs
  std::map<std::string, std::uint64_t> events;  // "fork" -> count ...
  std::map<std::uint16_t, PidSummary> pids;
  std::uint64_t file_bytes = 0;
  TraceHeader header;
  bool has_header = false;
  std::vector<std::string> warnings;

  std::uint64_t footprint_bytes() const { return distinct_pages * page_size; }
};

// Reads `reader` to its end. Distinct pages are counted per (pid, page) with pages of `page_size`.
// `progress`, if set, is called after every batch with the bytes read and the total (0: unknown).
TraceSummary summarize_trace(TraceReader& reader, std::string name, std::string format,
                             std::uint64_t page_size, const ProgressFn& progress = {});

}  // namespace vmsim
