// The fault path, written once for every translation: handle_mm_fault brings a page in (zero-fill,
// from swap or from the backing store), taking a frame from the free pool or reclaiming one through
// the replacement policy; reclaim evicts (write-back if dirty, TLB shootdown); policy requests are
// carried out here too. It works on a translation through the PageMap interface: where a page lives
// (a frame, a swap slot) and who must forget a translation. The full MMU (mmu/mmu.hpp) and the
// direct map of reference-string mode (mm/direct_map.hpp) both meet it, so both models make the
// same decisions by construction. Cold code: it runs once per page fault.
#pragma once

#include <concepts>
#include <cstdint>

#include "core/frame_id.hpp"
#include "core/page_key.hpp"
#include "mm/kernel.hpp"
#include "mm/observer.hpp"
#include "policy/page/policy.hpp"
#include "vmsim/results.hpp"

namespace vmsim {

// What the fault path asks of a translation. `Page` names one page (a page key in the full model, a
// dense id in reference-string mode); the frame table's reverse map holds it, widened to a PageKey,
// and policies see it as PolicyContext::page_key. `SwapDevice` is the swap device its page entries
// hold slots of (mm/swap.hpp); a slot is 0 for none.
template <class M>
concept PageMap = requires(M m, const M& cm, typename M::Page page, FrameId f,
                           typename M::SwapDevice::Slot slot) {
  // The swap slot of a page about to be mapped; may allocate page-table pages on the way.
  { m.fault_slot(page) } -> std::same_as<typename M::SwapDevice::Slot>;
  // The page is now resident in f, with that copy on swap (or none).
  m.map(page, f, slot);
  // The swap slot of a resident page: reclaim and laundering give it one when they write it.
  { m.resident_slot(page, f) } -> std::same_as<typename M::SwapDevice::Slot&>;
  // The page leaves f (its slot stays with it).
  m.unmap(page, f);
  // Every cached translation of the page is forgotten; true when a TLB entry was.
  { m.shootdown(page) } -> std::same_as<bool>;
  // The page as the trace names it.
  { cm.name(page) } -> std::same_as<PageName>;
};

// Everything the fault path works on. Passed by value: once inlined it is four pointers in
// registers, where a struct in memory would be reloaded after every byte store (the frame bits).
template <PagePolicy P, PageMap M, FaultObserver O>
struct FaultContext {
  using Policy = P;
  using Page = typename M::Page;
  using Slot = typename M::SwapDevice::Slot;
  Kernel<typename M::SwapDevice>& kernel;
  M& pages;
  P& policy;
  O& observer;
};

// Writes the resident page in `frame` to swap, into its slot (given one if it has none): the one
// write-back step of eviction and laundering.
template <class Ctx>
void swap_out(Ctx mm, typename Ctx::Page page, FrameId frame) {
  auto& k = mm.kernel;
  typename Ctx::Slot& slot = mm.pages.resident_slot(page, frame);
  if (slot == 0) slot = k.swap.allocate_slot();
  ++k.counters.swap_writes;
  ++k.counters.dirty_writebacks;
}

// Unmaps the page in `victim`: reverse map -> page entry, TLB shootdown, write to swap if dirty. A
// clean page is dropped: either its swap copy is still valid or it was never written, in which case
// it is all zeroes and will be zero-filled again. The frame stays allocated; the caller reuses or
// frees it. Returns whether the page was written back.
template <class Ctx>
bool evict_frame(Ctx mm, FrameId victim) {
  auto& k = mm.kernel;
  mm.policy.on_unmap(victim);
  const auto page = static_cast<typename Ctx::Page>(k.frames.owner(victim));
  const bool written_back = k.frames.is_dirty(victim);
  if (written_back) swap_out(mm, page, victim);
  mm.pages.unmap(page, victim);
  if (mm.pages.shootdown(page)) ++k.counters.tlb_invalidations;
  k.frames.clear_bits(victim);
  return written_back;
}

// Writes a dirty resident page to swap ahead of its eviction and marks it clean; its swap copy
// stays valid until it is written again (then the dirty bit says so).
template <class Ctx>
void launder_frame(Ctx mm, FrameId f) {
  auto& k = mm.kernel;
  if (!k.frames.is_dirty(f)) return;
  swap_out(mm, static_cast<typename Ctx::Page>(k.frames.owner(f)), f);
  k.frames.clear_dirty(f);
}

// Carries out what a variable-allocation policy queued: frees the frames it released (their pages
// leave memory without a fault) and launders the ones it scheduled for writing.
template <class Ctx>
void drain_policy_requests(Ctx mm) {
  auto& k = mm.kernel;
  drain_requests(
      k.requests, [&](FrameId f) { launder_frame(mm, f); },
      [&](FrameId f) {
        evict_frame(mm, f);
        k.frames.release(f);
        ++k.counters.released;
      });
}

// What the observer is told, out of line: the fault path stays small when nobody listens.
template <class Ctx>
[[gnu::cold, gnu::noinline]] void tell_reclaim(Ctx mm, typename Ctx::Page victim,
                                               bool written_back) {
  mm.observer.on_reclaim(mm.pages.name(victim), written_back);
}

template <class Ctx>
[[gnu::cold, gnu::noinline]] void tell_fault(Ctx mm, typename Ctx::Page page, std::uint64_t now,
                                             bool major) {
  const PageName name = mm.pages.name(page);
  FaultRecord record;
  record.ref_index = now;
  record.pid = name.pid;
  record.vpn = name.vpn;
  record.major = major;
  mm.observer.on_fault(record);
}

// Takes the policy's victim and evicts it; its frame goes to the faulting page `incoming`.
template <class Ctx>
FrameId reclaim(Ctx mm, typename Ctx::Page incoming) {
  FrameId victim;
  if constexpr (SelectsVictimFor<typename Ctx::Policy>) {
    victim = mm.policy.select_victim_for(incoming);
  } else {
    victim = mm.policy.select_victim();
  }
  if constexpr (issues_requests<typename Ctx::Policy>()) drain_policy_requests(mm);
  const auto page = static_cast<typename Ctx::Page>(mm.kernel.frames.owner(victim));
  const bool written_back = evict_frame(mm, victim);
  ++mm.kernel.counters.evictions;
  if (mm.observer.wants_faults()) [[unlikely]]
    tell_reclaim(mm, page, written_back);
  return victim;
}

// Maps a faulting page into `frame` and records it in the reverse map.
template <class Ctx>
void install_page(Ctx mm, typename Ctx::Page page, FrameId frame, typename Ctx::Slot slot) {
  mm.pages.map(page, frame, slot);
  mm.kernel.frames.set_owner(frame, page);
}

// First touch of an anonymous page (or a never-written page dropped earlier): a zeroed frame, no
// I/O, a minor fault.
template <class Ctx>
void do_anonymous_page(Ctx mm, typename Ctx::Page page, FrameId frame) {
  ++mm.kernel.counters.minor_faults;
  install_page(mm, page, frame, 0);
}

// First touch of a file-backed page (--first-touch backing-store): read from the file, a major
// fault.
template <class Ctx>
void do_read_fault(Ctx mm, typename Ctx::Page page, FrameId frame) {
  ++mm.kernel.counters.major_faults;
  ++mm.kernel.counters.backing_reads;
  install_page(mm, page, frame, 0);
}

// A page with a copy on swap: a major fault, one read from the swap device. Without the swap cache
// the slot is freed at once, as Linux does when swap is scarce (vm_swap_full): the page then has no
// copy on swap, so it counts as dirty and is written again if evicted. Every swap read is then
// preceded by its own swap write.
template <class Ctx>
void do_swap_page(Ctx mm, typename Ctx::Page page, FrameId frame, typename Ctx::Slot slot) {
  auto& k = mm.kernel;
  ++k.counters.major_faults;
  ++k.counters.swap_reads;
  if (k.swap_cache) {
    install_page(mm, page, frame, slot);
  } else {
    k.swap.free_slot(slot);
    install_page(mm, page, frame, 0);
    k.frames.mark_dirty(frame);
  }
}

// Makes `page` resident and returns its frame. `now` is the index of the faulting reference.
template <class Ctx>
FrameId handle_mm_fault(Ctx mm, typename Ctx::Page page, std::uint64_t now) {
  using Policy = typename Ctx::Policy;
  auto& k = mm.kernel;
  ++k.counters.page_faults;
  if constexpr (HasOnFault<Policy>) {
    mm.policy.on_fault(now);
    if constexpr (issues_requests<Policy>()) drain_policy_requests(mm);
  }
  const auto free_frame = k.frames.take_free();
  const FrameId frame = free_frame ? *free_frame : reclaim(mm, page);
  if (k.frames.in_use() > k.counters.peak_resident) k.counters.peak_resident = k.frames.in_use();

  // Read after reclaim, which changes only resident pages (and may not move page-table storage
  // while this page's entry is held).
  const typename Ctx::Slot slot = mm.pages.fault_slot(page);
  const bool major = slot != 0 || k.first_touch == FirstTouch::BackingStore;
  if (slot != 0) {
    do_swap_page(mm, page, frame, slot);
  } else if (k.first_touch == FirstTouch::BackingStore) {
    do_read_fault(mm, page, frame);
  } else {
    do_anonymous_page(mm, page, frame);
  }
  mm.policy.on_map(frame);
  if (mm.observer.wants_faults()) [[unlikely]]
    tell_fault(mm, page, now, major);
  return frame;
}

}  // namespace vmsim
