// How much memory a run can hold for its frames, its policy and its TLB, worked out from its
// configuration, so that an impossible size (`--frames 2147483648`, `--memory 1TiB`) is refused
// with the figure instead of ending in std::bad_alloc or the OOM killer.
#pragma once

#include <cstdint>
#include <span>

#include "vmsim/config.hpp"

namespace vmsim {

// An upper bound on the bytes one run of `config` holds for its frame table, its policy's state at
// its largest (ghost lists and histories full; policy/page/detail/footprint.hpp) and its TLB.
// `dense_pages` is the number of distinct pages of a decoded trace, which sizes the page maps of a
// reference-string run (0: not yet known, and not counted); the full model's maps are hash tables
// sized by the policy's parameters. The trace is counted as it is read; the full model's page
// tables, an entry per page touched, are not counted.
std::uint64_t run_memory_need(const SimConfig& config, std::uint32_t dense_pages = 0);

// Throws vmsim::Error with the figure when `configs`, run `concurrent` at a time, would need more
// memory than is available.
void check_run_memory(std::span<const SimConfig> configs, unsigned concurrent = 1,
                      std::uint32_t dense_pages = 0);

}  // namespace vmsim
