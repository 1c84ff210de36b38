// Exact LRU and OPT curves over a decoded trace.
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "core/pages_by_asid.hpp"
#include "mrc/mrc.hpp"
#include "mrc/stack_distance.hpp"
#include "vmsim/error.hpp"

namespace vmsim::mrc {
namespace {

// References between two progress reports: a few milliseconds of work even for LRU, so the
// call costs nothing measurable.
constexpr std::size_t kProgressEvery = std::size_t{1} << 18;

// The curves count each process's pages apart; a page two processes share after a fork is one
// page to `vmsim run`, which the stacks do not follow yet.
void check_no_sharing(const DenseTrace& trace) {
  if (trace.forks_share_pages()) {
    throw Error(
        "the trace's forks share pages copy-on-write, which the exact curves do not follow yet; "
        "simulate the sizes you need with `vmsim compare TRACE --frames N,N,...`");
  }
}

// Visits the LRU stack distance of every reference in order. An address space that ends frees its
// pages, as `vmsim run` does, which leaves holes in the stack (mrc/stack_distance.hpp).
template <class Fn>
void for_each_lru_distance(const DenseTrace& trace, Fn&& fn, const ProgressFn& progress = {}) {
  check_no_sharing(trace);
  // How many references ahead to prefetch a page's state: enough to cover a memory latency.
  constexpr std::size_t kAhead = 16;
  LruStackDistance stack(trace.distinct_pages());
  const std::vector<std::uint32_t>& refs = trace.refs();
  const std::size_t n = refs.size();
  // The references between address spaces' ends (and munmaps) run in stretches; most traces
  // have none.
  std::vector<DenseTrace::SpaceChange> ends;
  for (const DenseTrace::SpaceChange& c : trace.space_changes()) {
    if (c.kind == DenseTrace::Change::End || c.kind == DenseTrace::Change::Unmap) ends.push_back(c);
  }
  std::optional<PagesByAsid> pages;
  std::optional<PagesByKey> by_key;
  if (!ends.empty()) pages.emplace(trace.keys());
  std::size_t next_end = 0;
  const auto end_spaces_at = [&](std::size_t i) {
    for (; next_end < ends.size() && ends[next_end].at == i; ++next_end) {
      const DenseTrace::SpaceChange& c = ends[next_end];
      if (c.kind == DenseTrace::Change::End) {
        for (const std::uint32_t page : pages->of(c.asid)) stack.free_page(page);
        continue;
      }
      // munmap: the range's pages leave memory; touched again, they are new pages.
      if (!by_key) by_key.emplace(trace.keys());
      for (const std::uint32_t page : by_key->of(c.asid, c.first, c.end)) stack.free_page(page);
    }
  };
  for (std::size_t chunk = 0; chunk < n; chunk += kProgressEvery) {
    const std::size_t end = std::min(n, chunk + kProgressEvery);
    for (std::size_t i = chunk; i < end;) {
      end_spaces_at(i);
      const std::size_t stop =
          next_end < ends.size() ? std::min<std::size_t>(end, ends[next_end].at) : end;
      // Holes appear only where an address space ends, so a stretch without them at its start
      // has none.
      if (!stack.has_holes()) [[likely]] {
        for (; i < stop; ++i) {
          if (i + kAhead < n) stack.prefetch(refs[i + kAhead] & DenseTrace::kIdMask);
          fn(stack.access(refs[i] & DenseTrace::kIdMask));
        }
      } else {
        for (; i < stop; ++i) {
          if (i + kAhead < n) stack.prefetch(refs[i + kAhead] & DenseTrace::kIdMask);
          fn(stack.access_with_holes(refs[i] & DenseTrace::kIdMask));
        }
      }
    }
    if (progress) progress(end, n);
  }
}

// OPT as a stack algorithm (Mattson et al. 1970, section 4): the stack is ordered so that its top c
// entries are what OPT keeps in c frames, for every c at once. Priority is the next use (sooner is
// higher). On a reference to x at depth d, x goes to the top, and the page pushed out of each
// top-(i-1) set (the "carry") meets the page at depth i: the one used sooner stays at depth i,
// the other is what OPT with i frames evicts and moves on down, until it fills x's old place
// (or, for a first reference, the new bottom). Pages below d do not move.
template <class Fn>
void for_each_opt_distance(const DenseTrace& trace, Fn&& fn, const ProgressFn& progress = {}) {
  check_no_sharing(trace);
  // The stack keys pages by id, and an id touched after its page was unmapped is a new page.
  if (trace.unmaps_pages()) {
    throw Error(
        "the trace unmaps pages that it may touch again (@munmap, or a process's first region "
        "event), which the exact OPT curve does not follow yet; simulate the sizes you need with "
        "`vmsim compare TRACE --policies opt --frames N,N,...`");
  }
  struct Entry {
    std::uint64_t next;  // index of the page's next reference (kNeverUsedAgain sorts last)
    std::uint32_t page;
  };
  const std::vector<std::uint64_t> next = trace.next_use();
  std::vector<Entry> stack;
  stack.reserve(trace.distinct_pages());
  for (std::size_t i = 0; i < trace.size(); ++i) {
    // OPT costs up to the stack depth per reference, so it reports far more often than LRU would.
    if (progress && i % 4096 == 0) progress(i, trace.size());
    const std::uint32_t x = trace.id(i);
    const Entry now{next[i], x};
    if (!stack.empty() && stack[0].page == x) {
      stack[0] = now;
      fn(1);
      continue;
    }
    if (stack.empty()) {
      stack.push_back(now);
      fn(0);
      continue;
    }
    Entry carry = stack[0];
    stack[0] = now;
    std::size_t depth = 1;
    const std::size_t n = stack.size();
    for (; depth < n; ++depth) {
      const Entry here = stack[depth];
      if (here.page == x) break;
      // Ties only happen between pages never used again, where either choice is optimal.
      const bool carry_stays = carry.next < here.next;
      stack[depth] = carry_stays ? carry : here;
      carry = carry_stays ? here : carry;
    }
    if (depth == n) {
      stack.push_back(carry);
      fn(0);
    } else {
      stack[depth] = carry;
      fn(depth + 1);
    }
  }
}

template <class Visit>
MissRatioCurve curve_from(const DenseTrace& trace, const char* policy, Visit&& visit) {
  // Distances never exceed the distinct pages; counting in integers keeps the curve exact, and 32
  // bits suffice (a DenseTrace holds fewer than 2^32 references) and halve the cache misses of
  // this scattered increment.
  std::vector<std::uint32_t> hist(std::size_t{trace.distinct_pages()} + 1);
  visit(trace, [&hist](std::uint64_t d) { ++hist[d]; });
  MissRatioCurve c;
  c.policy = policy;
  c.method = Method::Exact;
  c.accesses = trace.accesses();
  c.page_refs = trace.size();
  c.distinct_pages = trace.referenced_pages();
  std::vector<double> hits(hist.begin(), hist.end());
  c.faults_at =
      faults_from_histogram(hits, static_cast<double>(hist[0]), static_cast<double>(trace.size()));
  return c;
}

}  // namespace

std::vector<std::uint64_t> lru_stack_distances(const DenseTrace& trace) {
  std::vector<std::uint64_t> out;
  out.reserve(trace.size());
  for_each_lru_distance(trace, [&out](std::uint64_t d) { out.push_back(d); });
  return out;
}

std::vector<std::uint64_t> opt_stack_distances(const DenseTrace& trace) {
  std::vector<std::uint64_t> out;
  out.reserve(trace.size());
  for_each_opt_distance(trace, [&out](std::uint64_t d) { out.push_back(d); });
  return out;
}

MissRatioCurve exact_lru_curve(const DenseTrace& trace, const ProgressFn& progress) {
  return curve_from(trace, "lru", [&progress](const DenseTrace& t, auto&& fn) {
    for_each_lru_distance(t, fn, progress);
  });
}

MissRatioCurve exact_opt_curve(const DenseTrace& trace, const OptLimits& limits,
                               const ProgressFn& progress) {
  const std::uint64_t pages = trace.distinct_pages();
  const std::uint64_t work = pages * trace.size();
  if (pages > limits.max_pages || work > limits.max_work) {
    throw Error(fmt::format(
        "the exact OPT curve costs up to references x distinct pages = {} x {}, above the limit "
        "(at most {} pages and {} x pages); use a shorter trace (vmsim trace slice) or "
        "--max-opt-pages",
        trace.size(), pages, limits.max_pages, limits.max_work));
  }
  return curve_from(trace, "opt", [&progress](const DenseTrace& t, auto&& fn) {
    for_each_opt_distance(t, fn, progress);
  });
}

}  // namespace vmsim::mrc
