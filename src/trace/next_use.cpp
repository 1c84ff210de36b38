#include "trace/next_use.hpp"

#include <absl/container/flat_hash_map.h>

#include <fmt/format.h>

#include "core/address_space_ids.hpp"
#include "core/memory_budget.hpp"
#include "core/next_use.hpp"
#include "core/page_key.hpp"
#include "core/page_span.hpp"

namespace vmsim {

std::vector<std::uint64_t> compute_next_use(TraceReader& reader, unsigned page_shift) {
  std::vector<std::uint64_t> next_use;
  // The page key (address space and page, as the simulator numbers them) -> index of its latest
  // reference so far; that entry's next use is the current index. Page numbers below 2^48 are all
  // the simulator accepts, so the packing is exact for every trace that can run (a larger page
  // number stops the run with an error anyway). A process that exits and is forked again has a new
  // address space, so its pages' earlier references are not used again.
  absl::flat_hash_map<std::uint64_t, std::uint64_t> last_seen;
  AddressSpaceIds spaces;
  std::vector<Access> batch(4096);
  while (const std::size_t n = reader.read(batch)) {
    for (std::size_t i = 0; i < n; ++i) {
      const Access& a = batch[i];
      if (is_event(a.op)) {
        spaces.apply(
            a, [](Asid) {}, [](Asid, std::uint16_t) {});
        continue;
      }
      bool created = false;
      const Asid asid = spaces.for_access(a.pid, created);
      const PageSpan pages = page_span(a, page_shift);
      for (std::uint64_t vpn = pages.first; vpn <= pages.last; ++vpn) {
        const std::uint64_t now = next_use.size();
        if (now == next_use.capacity()) {
          const std::size_t grown = std::max<std::size_t>(2 * now, 4096);
          require_memory(saturating_mul(grown, sizeof(std::uint64_t) + 16),
                         fmt::format("the next-use table of the trace for OPT (over {} page "
                                     "references so far)",
                                     now));
          next_use.reserve(grown);
        }
        next_use.push_back(kNeverUsedAgain);
        auto [it, inserted] = last_seen.try_emplace(make_page_key(asid, vpn), now);
        if (!inserted) {
          next_use[it->second] = now;
          it->second = now;
        }
      }
    }
  }
  return next_use;
}

}  // namespace vmsim
