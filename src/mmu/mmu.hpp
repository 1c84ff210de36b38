// The full model's translation: every process's page table (mm/mm_struct.hpp) and the hardware in
// front of it. A page reference goes to the last-translation register, then the TLB, then a walk of
// the page table; a page that is not present raises a fault, and the restarted access walks again
// and fills the TLB. The fault path (mm/fault.hpp) reaches pages through the PageMap interface this
// class meets, and shoots down the TLB entry of each page it evicts.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/address_space_ids.hpp"
#include "core/frame_id.hpp"
#include "core/page_key.hpp"
#include "mm/mm_struct.hpp"
#include "mm/page_table.hpp"
#include "mm/pte.hpp"
#include "mm/swap.hpp"
#include "mmu/tlb.hpp"
#include "vmsim/config.hpp"
#include "vmsim/results.hpp"

namespace vmsim {

class FullMmu {
 public:
  using Page = PageKey;  // address-space id and page number, as the TLB tags it
  using SwapDevice = SwapSpace;

  explicit FullMmu(const SimConfig& config)
      : shape_(PageTableShape::from_config(config)), tlb_(config.tlb_entries, config.tlb_ways) {}

  // Policies key pages sparsely, by page key.
  static constexpr std::uint32_t dense_pages() { return 0; }

  // The address space of `pid` for an access, created if it has none (core/address_space_ids.hpp).
  Asid asid_of(std::uint16_t pid) {
    if (pid == last_pid_) return last_asid_;
    return switch_to(pid);
  }

  // The hit path: the last-translation register, then the TLB. On a hit, `frame` is the page's.
  bool lookup(PageKey page, FrameId& frame) {
    if (page == last_page_) {
      // Same page as the previous reference: its TLB entry is already the most recent in its set.
      frame = last_frame_;
      return true;
    }
    if (!tlb_.lookup(Tlb::tag(page), frame)) return false;
    remember(page, frame);
    return true;
  }

  // A TLB miss: walk the page table. Returns the frame, or kNoFrame when the page is not present
  // (the caller handles the fault, then calls walk_again and fill).
  FrameId walk(PageKey page) {
    ++tlb_misses_;
    const PageTable::Walk walk = count_walk(page);
    return walk.pte != nullptr && walk.pte->present() ? walk.pte->frame : kNoFrame;
  }
  // After a fault the access restarts and walks again, as on x86; both walks count.
  void walk_again(PageKey page) { count_walk(page); }
  // The translation goes into the TLB and the register.
  void fill(PageKey page, FrameId frame) {
    tlb_.insert(Tlb::tag(page), frame);
    remember(page, frame);
  }

  // PageMap (mm/fault.hpp). Reclaim and the fault each touch one page's entry twice; the entry
  // found last is kept, valid until the next populate() (the only call that can move PTE storage).
  std::uint32_t fault_slot(PageKey page) {
    entry_page_ = page;
    entry_ = &mms_[key_asid(page)]->page_table.populate(key_vpn(page));
    return entry_->swap_slot;
  }
  void map(PageKey page, FrameId frame, std::uint32_t slot) {
    Pte& pte = entry(page);
    pte.frame = frame;
    pte.swap_slot = slot;
  }
  std::uint32_t& resident_slot(PageKey page, FrameId /*frame*/) { return entry(page).swap_slot; }
  void unmap(PageKey page, FrameId /*frame*/) { entry(page).frame = kNoFrame; }
  bool shootdown(PageKey page) {
    if (page == last_page_) last_page_ = kNoPage;
    return tlb_.invalidate(Tlb::tag(page));
  }
  PageName name(PageKey page) const { return {mms_[key_asid(page)]->pid, key_vpn(page)}; }

  // AddressSpaceMap (mm/process.hpp).
  AddressSpaceIds& address_spaces() { return spaces_; }
  void begin_space(Asid asid, std::uint16_t pid) {
    if (asid >= mms_.size()) mms_.resize(std::size_t{asid} + 1);
    mms_[asid].emplace(pid, shape_);
    last_pid_ = -1;  // the pid's address space may be another now
  }
  template <class FreeSlot>
  void end_space(Asid asid, std::vector<FrameId>& frames, FreeSlot&& free_slot) {
    const PageTable& table = mms_[asid]->page_table;
    table.for_each_entry([&](const Pte& pte) {
      if (pte.present()) frames.push_back(pte.frame);
      if (pte.has_swap_copy()) free_slot(pte.swap_slot);
    });
    ended_table_pages_ += table.table_pages();
    mms_[asid].reset();
    tlb_.flush_asid(asid);
    if (last_page_ != kNoPage && key_asid(last_page_) == asid) last_page_ = kNoPage;
    entry_page_ = kNoPage;  // its entry may have been in the freed table
    last_pid_ = -1;
  }

  // The TLB and page-table counters. Every page reference either hits (the register or the TLB)
  // or misses, so hits are derived from `page_refs`.
  void add_counters(Counters& c) const {
    c.tlb_misses = tlb_misses_;
    c.tlb_hits = c.page_refs - tlb_misses_;
    c.walks = walks_;
    c.walk_memory_refs = walk_memory_refs_;
    c.processes = processes_;
    c.page_table_pages = ended_table_pages_;
    for (const std::optional<MmStruct>& mm : mms_) {
      if (mm) c.page_table_pages += mm->page_table.table_pages();
    }
  }

 private:
  static constexpr PageKey kNoPage = ~PageKey{0};

  [[gnu::noinline]] Asid switch_to(std::uint16_t pid) {
    bool created = false;
    const Asid asid = spaces_.for_access(pid, created);
    if (created) begin_space(asid, pid);
    if (!pid_seen_[pid]) {
      pid_seen_[pid] = true;
      ++processes_;
    }
    last_pid_ = pid;
    last_asid_ = asid;
    return asid;
  }

  PageTable::Walk count_walk(PageKey page) {
    const PageTable::Walk walk = mms_[key_asid(page)]->page_table.walk(key_vpn(page));
    ++walks_;
    walk_memory_refs_ += walk.memory_refs;
    return walk;
  }

  // A disabled TLB caches nothing, the register included.
  void remember(PageKey page, FrameId frame) {
    if (tlb_.enabled()) {
      last_page_ = page;
      last_frame_ = frame;
    }
  }

  Pte& entry(PageKey page) {
    if (page != entry_page_) {
      entry_page_ = page;
      entry_ = &mms_[key_asid(page)]->page_table.existing(key_vpn(page));
    }
    return *entry_;
  }

  PageTableShape shape_;
  AddressSpaceIds spaces_;
  std::vector<std::optional<MmStruct>> mms_;  // indexed by Asid; empty once ended
  Tlb tlb_;
  PageKey last_page_ = kNoPage;  // the last-translation register
  FrameId last_frame_ = 0;
  PageKey entry_page_ = kNoPage;  // the page-table entry found last (see fault_slot)
  Pte* entry_ = nullptr;
  std::int32_t last_pid_ = -1;  // the pid of the previous access, and its address space
  Asid last_asid_ = 0;
  std::vector<bool> pid_seen_ = std::vector<bool>(AddressSpaceIds::kAsids);
  std::uint64_t processes_ = 0;          // distinct pids among the accesses
  std::uint64_t ended_table_pages_ = 0;  // page-table pages of ended address spaces
  std::uint64_t tlb_misses_ = 0;
  std::uint64_t walks_ = 0;
  std::uint64_t walk_memory_refs_ = 0;
};

}  // namespace vmsim
