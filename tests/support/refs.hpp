// Helpers for tests that drive the simulator with page numbers, as textbook exercises do.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vmsim/access.hpp"
#include "vmsim/config.hpp"
#include "vmsim/results.hpp"
#include "vmsim/simulator.hpp"

namespace vmsim::test {

// One single-byte read per page number (a `w` page list marks writes separately).
inline std::vector<Access> reads_of(const std::vector<std::uint64_t>& pages,
                                    std::uint64_t page_size = 4096) {
  std::vector<Access> out;
  out.reserve(pages.size());
  for (std::uint64_t p : pages) out.push_back(Access{p * page_size, 1, 0, Op::Read});
  return out;
}

inline SimConfig config_for(const std::string& policy, std::uint64_t frames) {
  SimConfig c;
  c.policy = policy;
  c.frames = frames;
  c.record_faults = true;
  return c;
}

inline Results run_pages(const std::string& policy, std::uint64_t frames,
                         const std::vector<std::uint64_t>& pages) {
  return simulate(config_for(policy, frames), reads_of(pages));
}

inline std::uint64_t faults(const std::string& policy, std::uint64_t frames,
                            const std::vector<std::uint64_t>& pages) {
  return run_pages(policy, frames, pages).counters.page_faults;
}

// The victim page of each fault in order; -1 where a free frame was used.
inline std::vector<std::int64_t> victims(const Results& r) {
  std::vector<std::int64_t> out;
  for (const FaultRecord& f : r.faults)
    out.push_back(f.victim_vpn ? static_cast<std::int64_t>(*f.victim_vpn) : -1);
  return out;
}

inline const std::vector<std::uint64_t> kSilberschatz = {7, 0, 1, 2, 0, 3, 0, 4, 2, 3,
                                                         0, 3, 2, 1, 2, 0, 1, 7, 0, 1};
inline const std::vector<std::uint64_t> kBelady = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};

}  // namespace vmsim::test
