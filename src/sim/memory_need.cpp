#include "sim/memory_need.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "core/memory_budget.hpp"
#include "policy/page/registry.hpp"

namespace vmsim {
namespace {

// What a policy that states no figure is costed at per frame, the frame table's own words included:
// above what any policy keeps at the start (LIRS is the largest, about 90 bytes a frame at 16 Mi
// frames, measured as the peak resident set of `vmsim run --frames 16777216`; the simple policies,
// which state their figure, keep 10 to 19). Ghost lists grow with evictions beyond that.
constexpr std::uint64_t kBytesPerFrame = 96;
constexpr std::uint64_t kBytesPerTlbEntry = 16;

}  // namespace

std::uint64_t run_memory_need(const SimConfig& config) {
  // A policy may state what it keeps per frame (`static constexpr std::uint64_t bytes_per_frame`,
  // the frame table's share included); the others are taken at the largest any policy keeps.
  const std::uint64_t per_frame =
      dispatch_policy(parse_policy_spec(config.policy), []<class P>(typename P::Params) {
        if constexpr (requires { P::bytes_per_frame; }) {
          return std::uint64_t{P::bytes_per_frame};
        } else {
          return kBytesPerFrame;
        }
      });
  std::uint64_t bytes = saturating_mul(config.frames, per_frame);
  bytes += saturating_mul(config.tlb_entries, kBytesPerTlbEntry);
  return bytes;
}

void check_run_memory(std::span<const SimConfig> configs, unsigned concurrent) {
  if (configs.empty()) return;
  std::vector<std::uint64_t> needs;
  needs.reserve(configs.size());
  for (const SimConfig& c : configs) needs.push_back(run_memory_need(c));
  // The worst moment: the largest runs all at once.
  const std::size_t at_once = std::clamp<std::size_t>(concurrent, 1, needs.size());
  std::partial_sort(needs.begin(), needs.begin() + static_cast<std::ptrdiff_t>(at_once),
                    needs.end(), std::greater<>());
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < at_once; ++i) {
    total = needs[i] > ~std::uint64_t{0} - total ? ~std::uint64_t{0} : total + needs[i];
  }
  const SimConfig& largest =
      *std::max_element(configs.begin(), configs.end(),
                        [](const SimConfig& a, const SimConfig& b) { return a.frames < b.frames; });
  require_memory(total, at_once == 1 ? fmt::format("a run with {} frames", largest.frames)
                                     : fmt::format("{} runs at once (up to {} frames each)",
                                                   at_once, largest.frames));
}

}  // namespace vmsim
