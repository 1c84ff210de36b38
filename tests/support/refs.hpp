// Helpers for tests that drive the simulator with page numbers, as textbook exercises do.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/rng.hpp"
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

// Processes 1..5 that fork (children 0..5), exit and are forked again under the same pids, and
// forks to pids still alive, about one event in `events_every / 2` records: address spaces begin
// and end all through the trace, so pages of ended ones are freed while others are evicted.
inline std::vector<Access> process_trace(Rng& rng, std::size_t length, std::uint64_t pages,
                                         std::uint64_t events_every) {
  std::vector<Access> out;
  for (std::size_t i = 0; i < length; ++i) {
    const auto pid = static_cast<std::uint16_t>(1 + rng.below(5));
    const std::uint64_t r = rng.below(events_every);
    if (r == 0) {
      out.push_back(Access{pid, 1, static_cast<std::uint16_t>(rng.below(6)), Op::Fork});
    } else if (r == 1) {
      out.push_back(Access{0, 1, pid, Op::Exit});
    } else {
      const Op op = rng.below(3) == 0 ? Op::Write : Op::Read;
      out.push_back(Access{rng.below(pages) * 4096 + rng.below(4096), 1, pid, op});
    }
  }
  return out;
}

// process_trace with region events too: every `regions_every` records or so, some process maps,
// unmaps or reprotects a random range of pages (a third of them read-only or executable), so
// that processes declare regions at different times, forks copy them, accesses fall outside
// them or against their protection, and munmap frees pages that forks share. Fetches too.
inline std::vector<Access> region_trace(Rng& rng, std::size_t length, std::uint64_t pages,
                                        std::uint64_t events_every, std::uint64_t regions_every) {
  std::vector<Access> out = process_trace(rng, length, pages, events_every);
  constexpr Prot kProts[] = {kProtRead | kProtWrite,
                             kProtRead | kProtWrite,
                             kProtRead,
                             kProtRead | kProtExec,
                             kProtAll,
                             kProtNone};
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!is_event(out[i].op) && rng.below(7) == 0) out[i].op = Op::Fetch;
    if (rng.below(regions_every) != 0) continue;
    const auto pid = static_cast<std::uint16_t>(1 + rng.below(5));
    const std::uint64_t first = rng.below(pages);
    const auto length_bytes = static_cast<std::uint32_t>((1 + rng.below(pages - first)) * 4096);
    const std::uint64_t r = rng.below(4);
    const Op op = r < 2 ? Op::Mmap : r == 2 ? Op::Munmap : Op::Mprotect;
    const Prot prot = op == Op::Munmap ? kProtNone : kProts[rng.below(6)];
    out.insert(out.begin() + static_cast<std::ptrdiff_t>(i),
               Access{first * 4096 + rng.below(4096), length_bytes, pid, op, prot});
    ++i;
  }
  return out;
}

inline const std::vector<std::uint64_t> kSilberschatz = {7, 0, 1, 2, 0, 3, 0, 4, 2, 3,
                                                         0, 3, 2, 1, 2, 0, 1, 7, 0, 1};
inline const std::vector<std::uint64_t> kBelady = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};

}  // namespace vmsim::test
