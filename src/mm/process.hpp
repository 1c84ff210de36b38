// Processes' address spaces as the trace's events begin and end them (core/address_spaces.hpp
// says which event does what). Ending one is Linux's exit_mmap: every page it has in memory is
// freed, not evicted (nothing will reference it again, so a policy remembers nothing of it), its
// copies on swap are dropped, its translations are forgotten and its page table is freed; its
// ASID is then free for reuse. munmap frees a range of pages the same way (zap_page_range).
// Written once for every translation, through the AddressSpaceMap
// interface; cold code, run once per event.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/address_space_ids.hpp"
#include "core/address_spaces.hpp"
#include "core/frame_id.hpp"
#include "core/page_key.hpp"
#include "mm/fault.hpp"
#include "vmsim/access.hpp"

namespace vmsim {

// What ending and beginning address spaces asks of a translation, besides PageMap.
template <class M>
concept AddressSpaceMap = PageMap<M> &&
    requires(M m, Asid asid, std::uint16_t pid, void (*unmapped)(typename M::Page, FrameId),
             void (*put_slot)(typename M::SwapDevice::Slot),
             typename M::SwapDevice::Slot (*next_slot)()) {
  // `asid` is now pid's address space, with no pages yet.
  m.begin_space(asid, pid);
  // `asid` ends: tells unmapped(page, frame) of each of its resident pages and put_slot(slot) of
  // each swap entry its pages hold, forgets every translation cached for it and frees its page
  // table.
  m.end_space(asid, unmapped, put_slot);
  // Pages [first, end) of `asid` leave it (munmap): the same for each of those pages, whose
  // entries are cleared and whose translations are forgotten.
  m.zap_range(asid, std::uint64_t{0}, std::uint64_t{0}, unmapped, put_slot);
  // The protection of pages [first, end) of `asid` changed: cached translations are stale.
  m.reprotect(asid, std::uint64_t{0}, std::uint64_t{0});
  // Sharing begins (start_sharing): every swap entry takes the slot `next_slot()` returns.
  m.number_swap_entries(next_slot);
};

// Frees the frames of pages that left their address space and that no other page maps; returns
// how many. Highest first, so the free pool (last freed, first taken) hands them out lowest
// first, and in the same order whatever order a translation keeps its pages in.
template <class Ctx>
std::uint64_t free_unmapped(Ctx mm, std::vector<FrameId>& frames) {
  auto& k = mm.kernel;
  std::sort(frames.begin(), frames.end(), std::greater<>());
  for (const FrameId f : frames) {
    discard(mm.policy, f);
    drop_swap_cache(mm, f);
    clear_frame_bits(mm, f);
    k.frames.release(f);
  }
  return frames.size();
}

// Ends the address space `asid`: exit_mmap. A frame another address space still maps (shared
// since a fork) stays; the others are freed.
template <class Ctx>
void exit_mmap(Ctx mm, Asid asid) {
  auto& k = mm.kernel;
  std::vector<FrameId>& frames = k.exiting;
  frames.clear();
  mm.pages.end_space(
      asid,
      [&](typename Ctx::Page page, FrameId f) {
        if (unmap_one(mm, f, page) == 0) frames.push_back(f);
      },
      [&k](typename Ctx::Slot slot) { k.swap.put(slot); });
  k.counters.freed_at_exit += free_unmapped(mm, frames);
}

// Pages [first, end) of `asid` leave it (munmap, or a mapping over them: Linux's
// zap_page_range): as at exit, a frame another page still maps stays and the others are freed,
// and swap copies are dropped; the address space goes on.
template <class Ctx>
void zap_page_range(Ctx mm, Asid asid, std::uint64_t first, std::uint64_t end) {
  auto& k = mm.kernel;
  std::vector<FrameId>& frames = k.exiting;
  frames.clear();
  mm.pages.zap_range(
      asid, first, end,
      [&](typename Ctx::Page page, FrameId f) {
        if (unmap_one(mm, f, page) == 0) frames.push_back(f);
      },
      [&k](typename Ctx::Slot slot) { k.swap.put(slot); });
  k.counters.freed_at_munmap += free_unmapped(mm, frames);
}

// Sharing may begin: the swap device numbers and counts slots and maps them to the frames that
// cache them from now on (mm/swap.hpp). Until now every slot had one holder and was the same
// placeholder: each holder gets a slot of its own, the frames in frame order, then the page
// entries in the order the translation keeps them.
template <class Ctx>
void start_sharing(Ctx mm) {
  auto& k = mm.kernel;
  k.swap.start_counting();
  for (FrameId f = 0; f < k.frames.size(); ++f) {
    typename Ctx::Slot& slot = k.frames.slot(f);
    if (slot == 0) continue;
    slot = k.swap.allocate_slot();
    k.swap.set_cached(slot, f);
  }
  mm.pages.number_swap_entries([&k] { return k.swap.allocate_slot(); });
}

// Fork: the child's new address space `child` shares the parent's pages copy-on-write (the
// translation copies the entries; the kernel counts the new users of each frame and swap slot).
// A page that was never written is not shared (it is clean with no copy on swap: zeroes, or what
// the backing store holds): the child makes its own at its first touch, as it would after the
// parent's copy was dropped, so that what is shared never depends on the memory size
// (core/page_objects.hpp follows the same rule from the trace alone).
template <class Ctx>
void copy_mm(Ctx mm, Asid parent, Asid child) {
  auto& k = mm.kernel;
  if (!k.swap.counting()) start_sharing(mm);
  mm.pages.copy_space(
      parent, child,
      [&k, mm](PageKey page, FrameId f) {
        if (!k.frames.is_dirty(f) && k.frames.slot(f) == 0) return false;
        k.frames.add_mapping(f, page);
        note_mapped(mm, static_cast<typename Ctx::Page>(page));
        return true;
      },
      [&k](typename Ctx::Slot slot) { k.swap.dup(slot); });
}

// What a trace event does to the address spaces of the full model, which reads events as they
// come (reference-string mode replays the changes its decoding recorded: sim/engine.hpp).
template <class Ctx>
struct KernelEvents {
  Ctx mm;
  void end(Asid asid) { exit_mmap(mm, asid); }
  void begin(Asid asid, std::uint16_t pid) { mm.pages.begin_space(asid, pid); }
  void fork(Asid parent, Asid child) { copy_mm(mm, parent, child); }
  void unmapped(Asid asid, std::uint64_t first, std::uint64_t end) {
    zap_page_range(mm, asid, first, end);
  }
  void reprotected(Asid asid, std::uint64_t first, std::uint64_t end) {
    mm.pages.reprotect(asid, first, end);
  }
};

template <class Ctx>
void handle_event(Ctx mm, const Access& event) {
  KernelEvents<Ctx> kernel{mm};
  mm.pages.address_spaces().apply(event, kernel);
}

}  // namespace vmsim
