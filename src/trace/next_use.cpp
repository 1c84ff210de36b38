#include "trace/next_use.hpp"

#include <fmt/format.h>

#include <optional>

#include "core/address_spaces.hpp"
#include "core/memory_budget.hpp"
#include "core/next_use.hpp"
#include "core/page_key.hpp"
#include "core/page_objects.hpp"
#include "core/page_span.hpp"
#include "core/vma.hpp"

namespace vmsim {

std::vector<std::uint64_t> compute_next_use(TraceReader& reader, unsigned page_shift) {
  std::vector<std::uint64_t> next_use;
  // Per page (core/page_objects.hpp: what a frame holds, shared after a fork until written), the
  // index of its latest reference so far; that entry's next use is the current index. Page
  // numbers below 2^48 are all the simulator accepts, so page keys are exact for every trace that
  // can run (a larger page number stops the run with an error anyway). A process that exits and
  // is forked again has a new address space, so its pages' earlier references are not used again.
  PageObjects pages;
  NextUseLinks links(next_use);
  // Events replayed as every model replays them (core/address_spaces.hpp), so the references a
  // region does not allow are dropped here too, and unmapped pages come back as new pages.
  struct Replay {
    PageObjects& pages;
    void end(Asid asid) { pages.exit(asid); }
    void begin(Asid, std::uint16_t) {}
    void fork(Asid parent, Asid child) { pages.fork(parent, child); }
    void unmapped(Asid asid, std::uint64_t first, std::uint64_t end) {
      pages.unmap(asid, first, end);
    }
    void reprotected(Asid, std::uint64_t, std::uint64_t) {}
  };
  Replay replay{pages};
  AddressSpaces spaces(page_shift);
  std::vector<Access> batch(4096);
  while (const std::size_t n = reader.read(batch)) {
    for (std::size_t i = 0; i < n; ++i) {
      const Access& a = batch[i];
      if (is_event(a.op)) {
        spaces.apply(a, replay);
        continue;
      }
      bool created = false;
      const Asid asid = spaces.ids().for_access(a.pid, created);
      const bool write = a.op == Op::Write;
      const PageSpan span = page_span(a, page_shift);
      for (std::uint64_t vpn = span.first; vpn <= span.last; ++vpn) {
        std::optional<Vma> region;
        if (!spaces.regions().allows(asid, vpn, a.op, region)) break;  // dropped, as it runs
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
        links.see(now, pages.reference(make_page_key(asid, vpn), write));
      }
    }
  }
  return next_use;
}

}  // namespace vmsim
