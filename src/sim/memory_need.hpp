// How much memory a run allocates before its first reference, estimated from its configuration, so
// that an impossible size (`--frames 2147483648`, `--memory 1TiB`) is refused with the figure
// instead of ending in std::bad_alloc or the OOM killer.
#pragma once

#include <cstdint>
#include <span>

#include "vmsim/config.hpp"

namespace vmsim {

// An estimate of the bytes one run of `config` allocates up front: the frame table and the
// policy's per-frame state (the policy's `bytes_per_frame`, else 96 bytes a frame; measured in
// docs/reliability.md) and the TLB.
std::uint64_t run_memory_need(const SimConfig& config);

// Throws vmsim::Error with the figure when `configs`, run `concurrent` at a time, would need more
// memory than is available.
void check_run_memory(std::span<const SimConfig> configs, unsigned concurrent = 1);

}  // namespace vmsim
