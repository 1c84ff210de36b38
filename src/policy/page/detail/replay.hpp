// Runs a policy through its hooks over a short reference string, in the order the kernel model
// calls them (mm/fault.hpp, sim/engine.hpp), with nothing else around it: no page tables, no
// swap. For the fuzzer and the tests that build every policy with hostile parameters, which ask
// only that a policy built from accepted parameters keeps its contract: every victim is a frame in
// use, every frame it releases or launders is in use.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "policy/page/detail/footprint.hpp"
#include "policy/page/policy.hpp"

namespace vmsim::detail {

struct ReplayCounts {
  std::uint64_t faults = 0;
  std::uint64_t evictions = 0;
  std::uint64_t released = 0;
};

// `pages` are page numbers, which are also the page keys (sparse keys: the policies' maps are
// hash tables, as in the full model); every third reference writes. Throws std::logic_error if
// the policy breaks its contract; anything else it throws is its own.
template <class P>
ReplayCounts replay_references(const typename P::Params& params, std::uint32_t frames,
                               std::span<const std::uint64_t> pages, std::uint64_t seed = 1) {
  constexpr std::uint32_t kNoFrame = ~std::uint32_t{0};
  std::vector<std::uint8_t> referenced(frames, 0);
  std::vector<std::uint8_t> dirty(frames, 0);
  std::vector<std::uint64_t> page_key(frames, 0);
  std::vector<bool> in_use(frames, false);
  absl::flat_hash_map<std::uint64_t, FrameId> resident;  // page -> frame
  resident.reserve(no_growth_reserve(frames));
  std::vector<FrameId> free_frames;
  FrameId never_used = 0;

  std::vector<std::uint64_t> next_use;
  if constexpr (needs_next_use<P>()) {
    next_use.assign(pages.size(), kNeverUsedAgain);
    for (std::size_t t = 0; t < pages.size(); ++t) {
      for (std::size_t u = t + 1; u < pages.size(); ++u) {
        if (pages[u] == pages[t]) {
          next_use[t] = u;
          break;
        }
      }
    }
  }

  PolicyRequests requests;
  const PolicyContext ctx{.frames = frames,
                          .seed = seed,
                          .referenced = referenced.data(),
                          .dirty = dirty.data(),
                          .page_key = page_key.data(),
                          .dense_pages = 0,
                          .next_use = next_use,
                          .requests = &requests};
  P policy(ctx, params);
  ReplayCounts counts;

  const auto expect_in_use = [&](FrameId f, const char* what) {
    if (f >= frames || !in_use[f]) throw std::logic_error(what);
  };
  const auto frame_of = [&](std::uint64_t page) {
    const auto it = resident.find(page);
    return it == resident.end() ? kNoFrame : it->second;
  };
  const auto unmap = [&](FrameId f) {
    policy.on_unmap(f);
    resident.erase(page_key[f]);
    in_use[f] = false;
    referenced[f] = 0;
    dirty[f] = 0;
  };
  const auto drain = [&] {
    if constexpr (issues_requests<P>()) {
      for (const FrameId f : requests.launder) {
        expect_in_use(f, "laundered a frame not in use");
        dirty[f] = 0;
      }
      requests.launder.clear();
      for (const FrameId f : requests.release) {
        expect_in_use(f, "released a frame not in use");
        unmap(f);
        free_frames.push_back(f);
        ++counts.released;
      }
      requests.release.clear();
    }
  };

  std::uint64_t until_tick = 0;
  if constexpr (HasOnTick<P>) until_tick = policy.tick_interval();
  for (std::uint64_t now = 0; now < pages.size(); ++now) {
    const std::uint64_t page = pages[now];
    FrameId f = frame_of(page);
    const bool faulted = f == kNoFrame;
    if (faulted) {
      ++counts.faults;
      if constexpr (HasOnFault<P>) {
        policy.on_fault(now);
        drain();
      }
      if (!free_frames.empty()) {
        f = free_frames.back();
        free_frames.pop_back();
      } else if (never_used < frames) {
        f = never_used++;
      } else {
        if constexpr (SelectsVictimFor<P>) {
          f = policy.select_victim_for(page);
        } else {
          f = policy.select_victim();
        }
        drain();
        expect_in_use(f, "chose a victim not in use");
        unmap(f);
        ++counts.evictions;
      }
      in_use[f] = true;
      page_key[f] = page;
      resident.emplace(page, f);
      policy.on_map(f);
    }
    if (fault_sets_referenced<P>() || !faulted) referenced[f] = 1;
    if (now % 3 == 2) dirty[f] = 1;
    if constexpr (HasOnAccess<P>) policy.on_access(f, now);
    if constexpr (HasOnTick<P>) {
      if (--until_tick == 0) {
        policy.on_tick(now);
        until_tick = policy.tick_interval();
      }
    }
    drain();
  }
  return counts;
}

}  // namespace vmsim::detail
