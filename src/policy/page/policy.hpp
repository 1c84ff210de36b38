// The contract every page-replacement policy meets. A policy manages frame numbers only: the kernel
// model (mm/) owns pages, page tables and swap, and asks the policy for a victim when no frame is
// free.
#pragma once

#include <concepts>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/frame_id.hpp"
#include "core/frame_names.hpp"
#include "core/next_use.hpp"

namespace vmsim {

struct PolicyInfo {
  std::string_view name;      // what `--policy` takes
  std::string_view summary;   // one line for --list-policies
  std::string_view citation;  // where the algorithm is defined
};

// What a variable-allocation policy asks of the kernel besides a victim: frames to free now (pages
// leaving a working set, PFF shrinking the resident set) and dirty frames to write back ahead of
// eviction (WSClock's scheduled writes). The kernel drains the queues after each hook call.
struct PolicyRequests {
  std::vector<FrameId> release;  // unmap and free: the page leaves memory without a fault
  std::vector<FrameId> launder;  // write back if dirty and mark clean; the page stays resident

  bool empty() const { return release.empty() && launder.empty(); }
};

// The order in which the kernel carries out a policy's requests: every launder first (a frame both
// laundered and released is written once, then dropped clean), then every release, each in the
// order queued: part of the contract a policy is written against. The fault path
// (mm/fault.hpp's drain_policy_requests) drains through this.
template <class Launder, class Release>
void drain_requests(PolicyRequests& requests, Launder&& launder, Release&& release) {
  for (const FrameId f : requests.launder) launder(f);
  requests.launder.clear();
  for (const FrameId f : requests.release) release(f);
  requests.release.clear();
}

// What a policy may read from the rest of the system.
struct PolicyContext {
  std::uint32_t frames = 0;  // number of frames the policy manages: FrameIds are 0..frames-1
  std::uint64_t seed = 0;
  // Per-frame bits the access path sets, as hardware sets PTE bits; clock-like policies read and
  // clear them. `referenced` is null for a policy that does not declare reads_referenced.
  std::uint8_t* referenced = nullptr;
  const std::uint8_t* dirty = nullptr;
  // Per frame, the identity of the page occupying it; valid in on_map and on_unmap. Policies that
  // remember evicted pages (ghost lists) key them by it, through detail::PageMap. In the full
  // model it is the page key (core/page_key.hpp: asid and page number); in reference-string mode
  // it is the page's dense id (trace/dense_trace.hpp), below `dense_pages`. Either names each page
  // uniquely, so a policy decides the same way with both.
  FrameNames page_key = {};
  // Non-zero when page_key values are dense ids below it: maps keyed by page become flat arrays.
  std::uint32_t dense_pages = 0;
  // next_use[t] is the index of the next reference to the page referenced at index t
  // (kNeverUsedAgain if none); filled only for policies that declare `needs_next_use`.
  std::span<const std::uint64_t> next_use;
  // Where a policy that declares `issues_requests` queues its requests (see PolicyRequests).
  PolicyRequests* requests = nullptr;
};

// One settable parameter of a policy (`--policy name:param=value`). Values outside [min, max], and
// NaN or infinities, are errors (detail/param_check.hpp); the help line states the range in the
// words detail::valid_values gives it, which a test checks.
template <class Params, class T>
struct ParamField {
  std::string_view name;
  T Params::*member;
  std::string_view help;
  T min = std::numeric_limits<T>::lowest();
  T max = std::numeric_limits<T>::max();
};

// A policy whose choice of victim depends on the page about to be loaded (ARC's REPLACE asks
// whether it is in B2; 2Q asks whether it is in A1out before reclaiming) defines
// select_victim_for(key) instead of select_victim(); the fault path then passes the faulting page's
// key (core/page_key.hpp).
template <class P>
concept SelectsVictimFor = requires(P p, std::uint64_t incoming) {
  { p.select_victim_for(incoming) } -> std::same_as<FrameId>;
};

// The hooks the simulator calls; on_access(frame, now) is optional (only exact recency/frequency
// policies and OPT need a call per reference) and detected with HasOnAccess.
template <class P>
concept PagePolicy = requires(P p, FrameId f, const PolicyContext& ctx) {
  { P::info } -> std::convertible_to<PolicyInfo>;
  typename P::Params;
  P(ctx, typename P::Params{});
  p.on_map(f);
  p.on_unmap(f);
}
&&(SelectsVictimFor<P> || requires(P p) {
  { p.select_victim() } -> std::same_as<FrameId>;
});

template <class P>
concept HasOnAccess = requires(P p, FrameId f, std::uint64_t now) {
  p.on_access(f, now);
};

// Periodic work (a clock tick), for policies defined on sampled reference bits (NFU, aging): the
// simulator calls on_tick(now) after every tick_interval() page references, counting from the start
// of the run (`now` is the index of the reference just completed). Detected like on_access, so
// other policies pay nothing.
template <class P>
concept HasOnTick = requires(P p, const P& cp, std::uint64_t now) {
  p.on_tick(now);
  { cp.tick_interval() } -> std::convertible_to<std::uint64_t>;
};

// Whether the reference that faults a page in also sets that page's referenced bit. It does by
// default (the restarted access sets the accessed bit, as hardware does); a policy whose definition
// inserts pages as not yet used since loading (SIEVE's "x.visited <- 0") declares
// `static constexpr bool fault_sets_referenced = false`, and then only later references set it.
template <class P>
constexpr bool fault_sets_referenced() {
  if constexpr (requires { P::fault_sets_referenced; }) {
    return P::fault_sets_referenced;
  } else {
    return true;
  }
}

// Policies that read the referenced bits (the clocks, NFU and aging, SIEVE, the working-set
// clocks) declare `static constexpr bool reads_referenced = true`. For the others the access path
// stores no bit, and their PolicyContext::referenced is null, so a policy that reads the bits
// without declaring it fails at once in every test instead of deciding on bits never set.
template <class P>
constexpr bool reads_referenced() {
  if constexpr (requires { P::reads_referenced; }) {
    return P::reads_referenced;
  } else {
    return false;
  }
}

// Policies that free or launder frames on their own (working set, PFF, WSClock) declare
// `static constexpr bool issues_requests = true`; the kernel then drains PolicyRequests after every
// hook call. Others pay nothing.
template <class P>
constexpr bool issues_requests() {
  if constexpr (requires { P::issues_requests; }) {
    return P::issues_requests;
  } else {
    return false;
  }
}

// Called at the start of every page fault, before a frame is chosen, with the index of the faulting
// reference: PFF decides there whether to shrink the resident set.
template <class P>
concept HasOnFault = requires(P p, std::uint64_t now) {
  p.on_fault(now);
};

// A hint from a simulator that sees the trace ahead (reference-string mode): the page `key` is
// about to fault. A policy that looks the faulting page up in a map of pages it no longer holds
// (ghost lists) fetches that entry now, so the lookup at the fault does not wait on memory.
// Changes no state; detected like on_access, so other policies pay nothing.
template <class P>
concept HasPrefetchPage = requires(const P& p, std::uint64_t key) {
  p.prefetch_page(key);
};

// The page in a frame is freed, not evicted: its process exited, and nothing will reference it
// again (mm/process.hpp). A policy that remembers evicted pages (ghost entries, reference history)
// defines on_discard(frame) to let the page go without remembering it; for the others it is
// on_unmap, which discard() calls in its place.
template <class P>
concept HasOnDiscard = requires(P p, FrameId f) {
  p.on_discard(f);
};

// A frame's name (PolicyContext::page_key) changes while it stays resident when the page that
// named it stops mapping it but other pages still do (a shared frame: mm/frame_table.hpp). A
// policy that remembers evicted pages by name defines forget(key) to drop what it remembers of
// the new name, so that a resident frame's name is never also an evicted page's.
template <class P>
concept HasForget = requires(P p, std::uint64_t key) {
  p.forget(key);
};

template <class P>
void forget(P& policy, std::uint64_t key) {
  if constexpr (HasForget<P>) policy.forget(key);
}

template <class P>
void discard(P& policy, FrameId f) {
  if constexpr (HasOnDiscard<P>) {
    policy.on_discard(f);
  } else {
    policy.on_unmap(f);
  }
}

template <class P>
constexpr bool needs_next_use() {
  if constexpr (requires { P::needs_next_use; }) {
    return P::needs_next_use;
  } else {
    return false;
  }
}

// Params with no settable fields.
struct NoParams {
  static constexpr std::tuple<> fields{};
};

}  // namespace vmsim
