#include "sim/memory_need.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "core/memory_budget.hpp"
#include "policy/page/registry.hpp"

namespace vmsim {
namespace {

constexpr std::uint64_t kBytesPerTlbEntry = 16;

// Every policy states what it keeps at its largest (policy/page/detail/footprint.hpp): a constant
// per frame, or a bound from its parameters and how its page maps are stored.
template <class P>
std::uint64_t policy_memory_bound(std::uint32_t frames, std::uint32_t dense_pages,
                                  const typename P::Params& params) {
  if constexpr (requires { P::memory_bound(frames, dense_pages, params); }) {
    return P::memory_bound(frames, dense_pages, params);
  } else {
    static_assert(
        requires { P::bytes_per_frame; },
        "a policy states bytes_per_frame or memory_bound (sim/memory_need.hpp)");
    return saturating_mul(frames, P::bytes_per_frame);
  }
}

}  // namespace

std::uint64_t run_memory_need(const SimConfig& config, std::uint32_t dense_pages) {
  // validate() keeps frames within 2^31; a config that was not validated is costed at the most.
  if (config.frames > std::numeric_limits<std::uint32_t>::max()) return ~std::uint64_t{0};
  const auto frames = static_cast<std::uint32_t>(config.frames);
  // The full model keys pages sparsely (asid and page number); the reference-string model by dense
  // ids, whose count is known once the trace is decoded (until then 1: the index is not counted).
  const std::uint32_t dense =
      config.model == SimModel::Refs ? std::max<std::uint32_t>(dense_pages, 1) : 0;
  const std::uint64_t bytes =
      dispatch_policy(parse_policy_spec(config.policy), [&]<class P>(typename P::Params params) {
        return policy_memory_bound<P>(frames, dense, params);
      });
  return saturating_add(bytes, saturating_mul(config.tlb_entries, kBytesPerTlbEntry));
}

void check_run_memory(std::span<const SimConfig> configs, unsigned concurrent,
                      std::uint32_t dense_pages) {
  if (configs.empty()) return;
  std::vector<std::uint64_t> needs;
  needs.reserve(configs.size());
  for (const SimConfig& c : configs) needs.push_back(run_memory_need(c, dense_pages));
  // The worst moment: the largest runs all at once.
  const std::size_t at_once = std::clamp<std::size_t>(concurrent, 1, needs.size());
  std::partial_sort(needs.begin(), needs.begin() + static_cast<std::ptrdiff_t>(at_once),
                    needs.end(), std::greater<>());
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < at_once; ++i) {
    total = saturating_add(total, needs[i]);
  }
  const SimConfig& largest =
      *std::max_element(configs.begin(), configs.end(),
                        [](const SimConfig& a, const SimConfig& b) { return a.frames < b.frames; });
  require_memory(total, at_once == 1 ? fmt::format("a run with {} frames", largest.frames)
                                     : fmt::format("{} runs at once (up to {} frames each)",
                                                   at_once, largest.frames));
}

}  // namespace vmsim
