// Processes' address spaces as the trace's events begin and end them (core/address_space_ids.hpp
// says which event does what). Ending one is Linux's exit_mmap: every page it has in memory is
// freed, not evicted (nothing will reference it again, so a policy remembers nothing of it), its
// copies on swap are dropped, its translations are forgotten and its page table is freed; its
// ASID is then free for reuse. Written once for every translation, through the AddressSpaceMap
// interface; cold code, run once per event.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/address_space_ids.hpp"
#include "core/frame_id.hpp"
#include "core/page_key.hpp"
#include "mm/fault.hpp"
#include "vmsim/access.hpp"

namespace vmsim {

// What ending and beginning address spaces asks of a translation, besides PageMap.
template <class M>
concept AddressSpaceMap = PageMap<M> &&
    requires(M m, Asid asid, std::uint16_t pid, std::vector<FrameId>& frames,
             void (*free_slot)(typename M::SwapDevice::Slot)) {
  // `asid` is now pid's address space, with no pages yet.
  m.begin_space(asid, pid);
  // `asid` ends: appends the frame of each of its resident pages to `frames`, gives each swap
  // slot its pages hold to free_slot, forgets every translation cached for it and frees its
  // page table.
  m.end_space(asid, frames, free_slot);
};

// Ends the address space `asid`: exit_mmap.
template <class Ctx>
void exit_mmap(Ctx mm, Asid asid) {
  auto& k = mm.kernel;
  std::vector<FrameId>& frames = k.exiting;
  frames.clear();
  mm.pages.end_space(asid, frames, [&k](typename Ctx::Slot slot) { k.swap.free_slot(slot); });
  // Freed highest first, so the free pool (last freed, first taken) hands them out lowest first,
  // and in the same order whatever order a translation keeps its pages in.
  std::sort(frames.begin(), frames.end(), std::greater<>());
  for (const FrameId f : frames) {
    discard(mm.policy, f);
    k.frames.clear_bits(f);
    k.frames.release(f);
  }
  k.counters.freed_at_exit += frames.size();
}

// What a trace event does to the address spaces of the full model, which reads events as they
// come (reference-string mode replays the changes its decoding recorded: sim/engine.hpp).
template <class Ctx>
void handle_event(Ctx mm, const Access& event) {
  mm.pages.address_spaces().apply(
      event, [&](Asid asid) { exit_mmap(mm, asid); },
      [&](Asid asid, std::uint16_t pid) { mm.pages.begin_space(asid, pid); });
}

}  // namespace vmsim
