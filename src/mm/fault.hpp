// The fault path: handle_mm_fault brings a page in (zero-fill or from swap), taking a frame from
// the free pool or reclaiming one through the replacement policy. Cold code: it runs once per page
// fault.
#pragma once

#include <cstdint>

#include "mm/kernel.hpp"
#include "mmu/tlb.hpp"
#include "policy/page/policy.hpp"

namespace vmsim {

// Unmaps the page in `victim`: reverse map -> PTE, TLB shootdown, write to swap if dirty. A clean
// page is dropped: either its swap copy is still valid or it was never written, in which case it is
// all zeroes and will be zero-filled again. The frame stays allocated; the caller reuses or frees
// it.
template <PagePolicy P>
void evict_frame(Kernel& k, P& policy, Tlb& tlb, FrameId victim, FaultRecord* record) {
  policy.on_unmap(victim);
  const PageKey page = k.frames.owner(victim);
  const Asid asid = key_asid(page);
  const std::uint64_t vpn = key_vpn(page);
  Pte& pte = k.mms[asid].page_table.existing(vpn);
  const bool written_back = k.frames.is_dirty(victim);
  if (written_back) {
    if (!pte.has_swap_copy()) pte.swap_slot = k.swap.allocate_slot();
    ++k.counters.swap_writes;
    ++k.counters.dirty_writebacks;
  }
  pte.frame = kNoFrame;
  if (tlb.invalidate(page)) ++k.counters.tlb_invalidations;
  k.frames.clear_bits(victim);
  if (record != nullptr) {
    record->victim_vpn = vpn;
    record->victim_pid = k.mms[asid].pid;
    record->victim_written_back = written_back;
  }
}

// Writes a dirty resident page to swap ahead of its eviction and marks it clean; its swap copy
// stays valid until it is written again (then the dirty bit says so).
inline void launder_frame(Kernel& k, FrameId f) {
  if (!k.frames.is_dirty(f)) return;
  const PageKey page = k.frames.owner(f);
  Pte& pte = k.mms[key_asid(page)].page_table.existing(key_vpn(page));
  if (!pte.has_swap_copy()) pte.swap_slot = k.swap.allocate_slot();
  ++k.counters.swap_writes;
  ++k.counters.dirty_writebacks;
  k.frames.clear_dirty(f);
}

// Carries out what a variable-allocation policy queued: frees the frames it released (their pages
// leave memory without a fault) and launders the ones it scheduled for writing.
template <PagePolicy P>
void drain_policy_requests(Kernel& k, P& policy, Tlb& tlb, PolicyRequests& requests) {
  drain_requests(
      requests, [&](FrameId f) { launder_frame(k, f); },
      [&](FrameId f) {
        evict_frame(k, policy, tlb, f, nullptr);
        k.frames.release(f);
        ++k.counters.released;
      });
}

// Takes the policy's victim and evicts it, returning its frame for the faulting page.
template <PagePolicy P>
FrameId reclaim_frame(Kernel& k, P& policy, Tlb& tlb, FaultRecord* record, PageKey incoming) {
  FrameId victim;
  if constexpr (SelectsVictimFor<P>) {
    victim = policy.select_victim_for(incoming);
  } else {
    victim = policy.select_victim();
  }
  if constexpr (issues_requests<P>()) drain_policy_requests(k, policy, tlb, k.requests);
  evict_frame(k, policy, tlb, victim, record);
  ++k.counters.evictions;
  return victim;
}

// Makes (asid, vpn) resident and returns its frame. `now` is the index of the faulting reference.
template <PagePolicy P>
FrameId handle_mm_fault(Kernel& k, P& policy, Tlb& tlb, Asid asid, std::uint64_t vpn,
                        std::uint64_t now) {
  ++k.counters.page_faults;
  FaultRecord record;
  record.ref_index = now;
  record.pid = k.mms[asid].pid;
  record.vpn = vpn;
  FaultRecord* log = k.record_faults ? &record : nullptr;

  if constexpr (HasOnFault<P>) {
    policy.on_fault(now);
    if constexpr (issues_requests<P>()) drain_policy_requests(k, policy, tlb, k.requests);
  }
  const auto free_frame = k.frames.take_free();
  const FrameId frame =
      free_frame ? *free_frame : reclaim_frame(k, policy, tlb, log, make_page_key(asid, vpn));
  if (k.frames.in_use() > k.counters.peak_resident) k.counters.peak_resident = k.frames.in_use();

  // Populate after reclaim: allocating table pages may move PTE storage.
  Pte& pte = k.mms[asid].page_table.populate(vpn);
  bool swapped_in_dirty = false;
  if (pte.has_swap_copy()) {
    // do_swap_page: major fault, one read from the swap device.
    ++k.counters.major_faults;
    ++k.counters.swap_reads;
    record.major = true;
    if (!k.swap_cache) {
      // Free the slot at once, as Linux does when swap is scarce (vm_swap_full): the page then has
      // no copy on swap, so it counts as dirty and is written again if evicted. Every swap read is
      // then preceded by its own swap write.
      k.swap.free_slot(pte.swap_slot);
      pte.swap_slot = 0;
      swapped_in_dirty = true;
    }
  } else if (k.first_touch == FirstTouch::BackingStore) {
    // do_read_fault: the page is read from the file that backs it, a major fault.
    ++k.counters.major_faults;
    ++k.counters.backing_reads;
    record.major = true;
  } else {
    // do_anonymous_page: first touch (or a never-written page dropped earlier) gets a zeroed frame.
    ++k.counters.minor_faults;
  }
  pte.frame = frame;
  k.frames.set_owner(frame, make_page_key(asid, vpn));
  if (swapped_in_dirty) k.frames.mark_dirty(frame);
  policy.on_map(frame);
  if (log != nullptr) k.fault_log.push_back(record);
  return frame;
}

}  // namespace vmsim
