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
  // The swap entry of a page about to be mapped (0: none); may allocate page-table pages.
  { m.fault_slot(page) } -> std::same_as<typename M::SwapDevice::Slot>;
  // The page is now present in f, writable unless write-protected (shared, copy-on-write).
  // `map<false>` may assume no page was ever write-protected (nothing is shared yet).
  m.map(page, f, true);
  m.template map<false>(page, f, false);
  // The page leaves memory; its entry becomes the swap entry `slot` (0: no copy).
  m.unmap(page, slot);
  // Every cached translation of the page is forgotten; true when a TLB entry was.
  { m.shootdown(page) } -> std::same_as<bool>;
  // The page as the trace names it.
  { cm.name(page) } -> std::same_as<PageName>;
};

// Everything the fault path works on. Passed by value: once inlined it is four pointers in
// registers, where a struct in memory would be reloaded after every byte store (the frame bits).
//
// `Shared`: pages may be shared. Until the first fork that copies an address space nothing is
// (mm/process.hpp: copy_mm), so every frame has at most one mapping and every swap slot one
// holder, and the engine runs the fault path with Shared false: the checks whose answer that
// fixes (is the frame exclusive, is the slot in the swap cache, are there other mappers) are
// left out at compile time. Both paths make the same decisions; Shared true is the general one.
template <PagePolicy P, PageMap M, FaultObserver O, bool Shared = true>
struct FaultContext {
  static constexpr bool kShared = Shared;
  using Policy = P;
  using Page = typename M::Page;
  using Swap = typename M::SwapDevice;
  using Slot = typename Swap::Slot;
  Kernel<typename M::SwapDevice>& kernel;
  M& pages;
  P& policy;
  O& observer;
};

// The frame's copy on swap is no longer needed by the frame: it leaves the swap cache.
template <class Ctx>
void drop_swap_cache(Ctx mm, FrameId frame) {
  auto& k = mm.kernel;
  typename Ctx::Slot& slot = k.frames.slot(frame);
  if (slot == 0) return;
  if constexpr (Ctx::kShared) k.swap.set_cached(slot, kNoFrame);
  k.swap.template put<Ctx::kShared>(slot);
  slot = 0;
}

// The frame's bits start clear for the next page it holds. The referenced bit only for a policy
// that reads it: nothing else ever sets it, and its store missed the cache once per eviction
// (callgrind's cache simulation: a write miss on most evictions, for LRU).
template <class Ctx>
void clear_frame_bits(Ctx mm, FrameId frame) {
  if constexpr (reads_referenced<typename Ctx::Policy>()) mm.kernel.frames.clear_referenced(frame);
  mm.kernel.frames.clear_dirty(frame);
}

// Writes the resident page in `frame` to swap, into its slot (given one if it has none, which the
// frame then keeps in the swap cache): the one write-back step of eviction and laundering.
template <class Ctx>
void swap_out(Ctx mm, FrameId frame) {
  auto& k = mm.kernel;
  typename Ctx::Slot& slot = k.frames.slot(frame);
  if (slot == 0) {
    slot = k.swap.template allocate_slot<Ctx::kShared>();
    if constexpr (Ctx::kShared) k.swap.set_cached(slot, frame);
  }
  ++k.counters.swap_writes;
  ++k.counters.dirty_writebacks;
}

// Per-process accounting (mm/process_tally.hpp), out of line and only when asked for: `page` now
// maps a frame, or no longer does. The engine serves every fault of a run that keeps it through
// the general path (Shared), so the path without sharing leaves the check out.
template <class Ctx>
[[gnu::cold, gnu::noinline]] void tally_mapped(Ctx mm, typename Ctx::Page page, bool mapped) {
  const std::uint16_t pid = mm.pages.name(page).pid;
  if (mapped) {
    mm.kernel.tally->mapped(pid);
  } else {
    mm.kernel.tally->unmapped(pid);
  }
}
template <class Ctx>
void note_mapped(Ctx mm, typename Ctx::Page page) {
  if constexpr (Ctx::kShared) {
    if (mm.kernel.tally) [[unlikely]]
      tally_mapped(mm, page, true);
  }
}
template <class Ctx>
void note_unmapped(Ctx mm, typename Ctx::Page page) {
  if constexpr (Ctx::kShared) {
    if (mm.kernel.tally) [[unlikely]]
      tally_mapped(mm, page, false);
  }
}

// Unmaps every page in `victim` (try_to_unmap: the reverse map gives each mapping, whose entry
// becomes a swap entry and whose TLB entry is shot down), writing the frame to swap first if it
// is dirty. A clean page is dropped: either its swap copy is still valid or it was never written,
// in which case it is all zeroes and will be zero-filled again (a fork shares no such page:
// mm/process.hpp). The frame stays allocated; the caller reuses or frees it. Returns whether the
// page was written back.
template <class Ctx>
bool evict_frame(Ctx mm, FrameId victim) {
  auto& k = mm.kernel;
  mm.policy.on_unmap(victim);
  const bool written_back = k.frames.is_dirty(victim);
  if (written_back) swap_out(mm, victim);
  // Each mapping's entry takes a reference to the slot: the first the swap cache's, the others
  // one more each.
  typename Ctx::Slot& slot = k.frames.slot(victim);
  if constexpr (Ctx::kShared) {
    bool first = true;
    k.frames.for_each_mapping(victim, [&](PageKey key) {
      const auto page = static_cast<typename Ctx::Page>(key);
      mm.pages.unmap(page, slot);
      note_unmapped(mm, page);
      if (slot != 0 && !first) k.swap.dup(slot);
      first = false;
      if (mm.pages.shootdown(page)) ++k.counters.tlb_invalidations;
    });
    k.frames.clear_mappings(victim);
    if (slot != 0) k.swap.set_cached(slot, kNoFrame);
  } else {
    // One mapping, the owner, and no swap cache to update.
    const auto page = static_cast<typename Ctx::Page>(k.frames.owner(victim));
    mm.pages.unmap(page, slot);
    note_unmapped(mm, page);
    if (mm.pages.shootdown(page)) ++k.counters.tlb_invalidations;
    k.frames.clear_only_mapping(victim);
  }
  slot = 0;
  clear_frame_bits(mm, victim);
  return written_back;
}

// Writes a dirty resident page to swap ahead of its eviction and marks it clean; its swap copy
// stays valid until it is written again (then the dirty bit says so).
template <class Ctx>
void launder_frame(Ctx mm, FrameId f) {
  auto& k = mm.kernel;
  if (!k.frames.is_dirty(f)) return;
  swap_out(mm, f);
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
void install_page(Ctx mm, typename Ctx::Page page, FrameId frame, bool write_protect) {
  mm.pages.template map<Ctx::kShared>(page, frame, write_protect);
  if constexpr (Ctx::kShared) {
    mm.kernel.frames.add_mapping(frame, page);
  } else {
    mm.kernel.frames.add_only_mapping(frame, page);
  }
  note_mapped(mm, page);
}

// `page` stops mapping `frame`, which other pages still map: if it named the frame, the frame
// takes another name, which the policy must not remember as an evicted page's (HasForget).
// Returns how many pages still map it.
template <class Ctx>
std::uint32_t unmap_one(Ctx mm, FrameId frame, typename Ctx::Page page) {
  auto& frames = mm.kernel.frames;
  const PageKey name = frames.owner(frame);
  const std::uint32_t left = frames.remove_mapping(frame, page);
  note_unmapped(mm, page);
  if (left != 0 && frames.owner(frame) != name) forget(mm.policy, frames.owner(frame));
  return left;
}

// Whether the page in `frame` has one user, so a write may change it in place: one mapping, and
// no other entry holding its copy on swap (Linux's check in do_wp_page). A frame that is not
// shared is always exclusive.
template <class Ctx>
bool exclusive(Ctx mm, FrameId frame) {
  if constexpr (!Ctx::kShared) return true;
  auto& k = mm.kernel;
  if (k.frames.mapcount(frame) != 1) return false;
  const typename Ctx::Slot slot = k.frames.slot(frame);
  return slot == 0 || k.swap.count(slot) == 1;
}

// First touch of an anonymous page (or a never-written page dropped earlier): a zeroed frame, no
// I/O, a minor fault.
template <class Ctx>
void do_anonymous_page(Ctx mm, typename Ctx::Page page, FrameId frame) {
  ++mm.kernel.counters.minor_faults;
  install_page(mm, page, frame, false);
}

// First touch of a file-backed page (--first-touch backing-store): read from the file, a major
// fault.
template <class Ctx>
void do_read_fault(Ctx mm, typename Ctx::Page page, FrameId frame) {
  ++mm.kernel.counters.major_faults;
  ++mm.kernel.counters.backing_reads;
  install_page(mm, page, frame, false);
}

// A swapped-in page is mapped by the entry that faulted it. Without the swap cache its slot is
// freed once no other entry holds it, as Linux does when swap is scarce (vm_swap_full): the page
// then has no copy on swap, so it counts as dirty and is written again if evicted, and every swap
// read is preceded by its own swap write. A page still shared is mapped write-protected: a write
// copies it first.
template <class Ctx>
void map_swapped_in(Ctx mm, typename Ctx::Page page, FrameId frame) {
  auto& k = mm.kernel;
  const typename Ctx::Slot slot = k.frames.slot(frame);
  install_page(mm, page, frame, false);
  if (!k.swap_cache && (!Ctx::kShared || k.swap.count(slot) == 1)) {
    drop_swap_cache(mm, frame);
    k.frames.mark_dirty(frame);
  }
  if constexpr (Ctx::kShared) {
    if (!exclusive(mm, frame)) [[unlikely]]
      mm.pages.map(page, frame, true);
  }
}

// A page with a copy on swap: a major fault, one read from the swap device into `frame`, which
// keeps the slot in the swap cache.
template <class Ctx>
void do_swap_page(Ctx mm, typename Ctx::Page page, FrameId frame, typename Ctx::Slot slot) {
  auto& k = mm.kernel;
  ++k.counters.major_faults;
  ++k.counters.swap_reads;
  if constexpr (!Ctx::kShared) {
    if (!k.swap_cache) {
      // What map_swapped_in does with the slot's one holder, without passing it through the frame.
      install_page(mm, page, frame, false);
      k.swap.template put<false>(slot);
      k.frames.mark_dirty(frame);
      return;
    }
  }
  k.frames.slot(frame) = slot;  // the entry's reference to the slot is the swap cache's now
  if constexpr (Ctx::kShared) k.swap.set_cached(slot, frame);
  map_swapped_in(mm, page, frame);
}

// A fault is counted, and a policy that watches faults (PFF) is told and its requests carried out.
template <class Ctx>
void count_fault(Ctx mm, std::uint64_t now) {
  ++mm.kernel.counters.page_faults;
  if constexpr (HasOnFault<typename Ctx::Policy>) {
    mm.policy.on_fault(now);
    if constexpr (issues_requests<typename Ctx::Policy>()) drain_policy_requests(mm);
  }
}

// A frame for `page`: a free one, else the policy's victim, evicted.
template <class Ctx>
FrameId take_frame(Ctx mm, typename Ctx::Page page) {
  auto& k = mm.kernel;
  if (const auto free_frame = k.frames.take_free()) {
    // Only a free frame raises the number in use: reclaim hands the victim's frame on.
    if (k.frames.in_use() > k.counters.peak_resident) k.counters.peak_resident = k.frames.in_use();
    return *free_frame;
  }
  return reclaim(mm, page);
}

// What a fault made of the page: its frame, and whether that frame is new to the policy (it was
// just mapped in, so the policy's on_map saw it).
struct Faulted {
  FrameId frame;
  bool inserted;
};

template <class Ctx>
Faulted handle_mm_fault(Ctx mm, typename Ctx::Page page, std::uint64_t now, bool write,
                        bool counted = false);

// The first write to a write-protected page (do_wp_page), after a fork shared it. A page that has
// only this user now (its other sharers wrote or exited) is made writable in place; one that
// other mappings share is copied into a new frame (a COW fault), which may have to be reclaimed.
// Returns the frame the page is mapped writable in, and whether it is new to the policy. `counted`:
// the fault is counted already (a write fault that found the page on swap copies it in the same
// fault, as Linux does).
// Out of line: only forks make write-protected pages, and the engine's flattened fault path would
// otherwise inline it (and the fault it may take) into every fault.
template <class Ctx>
[[gnu::noinline, gnu::cold]] Faulted do_wp_page(Ctx mm, typename Ctx::Page page, std::uint64_t now,
                                                bool counted) {
  auto& k = mm.kernel;
  if (!counted) {
    count_fault(mm, now);
    ++k.counters.minor_faults;
  }
  // The fault itself drops the write-protected TLB entry, as x86 does.
  mm.pages.shootdown(page);
  if (!mm.pages.present(page)) {
    // A request the policy issued above evicted the page: it faults in again.
    return handle_mm_fault(mm, page, now, true, true);
  }
  const FrameId old = mm.pages.frame_of(page);
  if (k.frames.mapcount(old) == 1 && !exclusive(mm, old)) {
    // Only the writer maps the page; the other sharers hold its copy on swap, which is valid
    // (nobody could write the frame since it was shared). The writer takes the frame as its own
    // copy and the others keep the one on swap: the sharing is broken without a new frame.
    ++k.counters.cow_faults;
    drop_swap_cache(mm, old);
  }
  if (exclusive(mm, old)) {
    mm.pages.map(page, old, false);
    if (!counted && mm.observer.wants_faults()) [[unlikely]]
      tell_fault(mm, page, now, false);
    return {old, false};
  }
  ++k.counters.cow_faults;
  const FrameId frame = take_frame(mm, page);
  if (mm.pages.present(page)) {
    unmap_one(mm, old, page);
  } else {
    // Reclaim chose the shared frame itself: its other users now find the page on swap, and the
    // writer keeps the frame, whose contents are the page's, with no copy.
    const typename Ctx::Slot slot = mm.pages.fault_slot(page);
    if (slot != 0) k.swap.put(slot);
  }
  install_page(mm, page, frame, false);
  mm.policy.on_map(frame);
  if (!counted && mm.observer.wants_faults()) [[unlikely]]
    tell_fault(mm, page, now, false);
  return {frame, true};
}

// Makes `page` resident and returns its frame. `now` is the index of the faulting reference;
// `write`: the access writes, so a page that comes in shared is copied at once.
template <class Ctx>
Faulted handle_mm_fault(Ctx mm, typename Ctx::Page page, std::uint64_t now, bool write,
                        bool counted) {
  auto& k = mm.kernel;
  if (!counted) count_fault(mm, now);
  // Reclaim changes only resident pages, so the entry's swap slot stays what it is read as here.
  const typename Ctx::Slot slot = mm.pages.fault_slot(page);
  if (Ctx::kShared && slot != 0 && k.swap.counting()) {
    if (const FrameId cached = k.swap.cached(slot); cached != kNoFrame) [[unlikely]] {
      // In the swap cache: another sharer brought it in. A minor fault, no I/O, and the policy
      // already has the frame.
      ++k.counters.minor_faults;
      k.swap.put(slot);  // the entry's reference; the frame keeps the swap cache's
      map_swapped_in(mm, page, cached);
      const Faulted result = write && !exclusive(mm, cached) ? do_wp_page(mm, page, now, true)
                                                             : Faulted{cached, false};
      if (mm.observer.wants_faults()) [[unlikely]]
        tell_fault(mm, page, now, false);
      return result;
    }
  }
  const FrameId frame = take_frame(mm, page);
  if (slot != 0) {
    do_swap_page(mm, page, frame, slot);
  } else if (k.first_touch == FirstTouch::BackingStore) {
    do_read_fault(mm, page, frame);
  } else {
    do_anonymous_page(mm, page, frame);
  }
  mm.policy.on_map(frame);
  Faulted result{frame, true};
  // A write that brought in a page still shared copies it in the same fault.
  if constexpr (Ctx::kShared) {
    if (write && !exclusive(mm, frame)) [[unlikely]]
      result = do_wp_page(mm, page, now, true);
  }
  if (mm.observer.wants_faults()) [[unlikely]]
    tell_fault(mm, page, now, slot != 0 || k.first_touch == FirstTouch::BackingStore);
  return result;
}

}  // namespace vmsim
