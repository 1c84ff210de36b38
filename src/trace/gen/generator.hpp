// Deterministic synthetic workloads (`vmsim trace gen KIND`). Every generator is a TraceReader that
// produces its records on the fly, so a generated trace can be simulated or written without ever
// being held in memory, and the same parameters and seed always give the same records.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vmsim/trace.hpp"

namespace vmsim::gen {

struct GeneratorParams {
  std::uint64_t length = 1'000'000;  // memory references to produce (events not counted)
  std::uint64_t pages = 1024;        // footprint in pages
  std::uint64_t page_size = 4096;
  std::uint32_t access_size = 8;  // bytes per access
  double write_ratio = 0.25;      // fraction of accesses that are stores
  std::uint64_t seed = 1;
  std::uint64_t base = 0x10000000;  // address of page 0 of the footprint

  double alpha = 0.9;             // zipf: skew (0 = uniform)
  std::uint64_t stride = 0;       // strided: bytes between accesses (0 = one page)
  std::uint64_t working_set = 0;  // loop, phases: pages in the working set (0 = all pages)
  std::uint64_t phases = 4;       // phases: how many working sets in turn
  std::uint64_t matrix_n = 64;    // matmul: n x n matrices of doubles
  std::uint64_t block = 0;        // matmul: tile size for the blocked variant (0 = naive)
  std::uint64_t processes = 4;    // mix: processes forked by the parent
  double shared_fraction = 0.5;   // mix: fraction of a child's accesses to the parent's pages
};

struct GeneratorInfo {
  std::string_view name;
  std::string_view summary;
};

// Every kind with a one-line description, for --help and error messages.
const std::vector<GeneratorInfo>& generator_kinds();

// Throws vmsim::Error for an unknown kind (listing the valid ones) or parameters it cannot use.
std::unique_ptr<TraceReader> make_generator(std::string_view kind, const GeneratorParams& params);

}  // namespace vmsim::gen
