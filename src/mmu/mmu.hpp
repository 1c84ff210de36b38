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
      : shape_(PageTableShape::from_config(config)),
        table_frames_(config.frames),
        tlb_(config.tlb_entries, config.tlb_ways) {}

  // Policies key pages sparsely, by page key.
  static constexpr std::uint32_t dense_pages() { return 0; }

  // The address space of `pid` for an access, created if it has none (core/address_space_ids.hpp).
  Asid asid_of(std::uint16_t pid) {
    if (pid == last_pid_) return last_asid_;
    return switch_to(pid);
  }

  // What the TLB and the register cache for a page: its frame, with kReadOnly set when the entry
  // is write-protected (a write must fault). Frames are below 2^31.
  static constexpr std::uint32_t kReadOnly = 1U << 31;
  static constexpr std::uint32_t kFrameMask = kReadOnly - 1;
  static std::uint32_t cached(const Pte& pte) {
    return pte.frame() | (pte.writable() ? 0 : kReadOnly);
  }

  // The hit path: the last-translation register, then the TLB. On a hit, `entry` is the page's
  // cached translation (see kReadOnly).
  bool lookup(PageKey page, std::uint32_t& entry) {
    if (page == last_page_) {
      // Same page as the previous reference: its TLB entry is already the most recent in its set.
      entry = last_entry_;
      return true;
    }
    if (!tlb_.lookup(Tlb::tag(page), entry)) return false;
    remember(page, entry);
    return true;
  }

  // A TLB miss: walk the page table. Returns the translation to cache, or kNotPresent when the
  // page is not present (the caller handles the fault, then calls rewalk and fill).
  static constexpr std::uint64_t kNotPresent = std::uint64_t{1} << 32;
  std::uint64_t walk(PageKey page) {
    ++tlb_misses_;
    return rewalk(page);
  }
  // After a fault the access restarts and walks again, as on x86; both walks count.
  std::uint64_t rewalk(PageKey page) {
    const PageTable::Walk walk = mms_[key_asid(page)]->page_table.walk(key_vpn(page));
    ++walks_;
    walk_memory_refs_ += walk.memory_refs;
    return walk.pte != nullptr && walk.pte->present() ? cached(*walk.pte) : kNotPresent;
  }
  // The translation goes into the TLB and the register.
  void fill(PageKey page, std::uint32_t entry) {
    tlb_.insert(Tlb::tag(page), entry);
    remember(page, entry);
  }

  // PageMap (mm/fault.hpp). The faulting page keeps the entry fault_slot found; reclaim touches
  // its victims' entries twice, and the one found last is kept too. Entries never move, so both
  // stay valid until their address space ends.
  std::uint32_t fault_slot(PageKey page) {
    fault_page_ = page;
    fault_entry_ = &mms_[key_asid(page)]->page_table.populate(key_vpn(page));
    return fault_entry_->swap_slot();
  }
  void map(PageKey page, FrameId frame, bool write_protect) {
    (page == fault_page_ ? *fault_entry_ : entry(page)).set_present(frame, write_protect);
  }
  void unmap(PageKey page, std::uint32_t slot) { entry(page).set_swap(slot); }
  bool shootdown(PageKey page) {
    if (page == last_page_) last_page_ = kNoPage;
    return tlb_.invalidate(Tlb::tag(page));
  }
  // A frame's owner may have ended (mm/frame_table.hpp: a swap-cache page no one maps), so the
  // process is the one its ASID was last given to.
  PageName name(PageKey page) const { return {spaces_.pid_of(key_asid(page)), key_vpn(page)}; }
  // For copy-on-write (do_wp_page): a page with an entry, present or not, and its frame.
  bool present(PageKey page) { return entry(page).present(); }
  FrameId frame_of(PageKey page) { return entry(page).frame(); }

  // The walk of a page step by step, each entry with its physical address (mm/page_table.hpp).
  template <class Visit>
  std::uint32_t walk_steps(PageKey page, Visit&& visit) const {
    return mms_[key_asid(page)]->page_table.walk_steps(key_vpn(page), visit);
  }
  // Table pages in use over every live page table.
  std::uint64_t table_pages_in_use() const { return table_frames_.in_use(); }

  // AddressSpaceMap (mm/process.hpp).
  AddressSpaceIds& address_spaces() { return spaces_; }
  void begin_space(Asid asid, std::uint16_t pid) {
    if (asid >= mms_.size()) mms_.resize(std::size_t{asid} + 1);
    mms_[asid].emplace(pid, shape_, table_frames_);
    last_pid_ = -1;  // the pid's address space may be another now
  }
  template <class Unmapped, class PutSlot>
  void end_space(Asid asid, Unmapped&& unmapped, PutSlot&& put_slot) {
    PageTable& table = mms_[asid]->page_table;
    table.for_each_entry([&](std::uint64_t vpn, Pte& pte) {
      if (pte.present()) {
        unmapped(make_page_key(asid, vpn), pte.frame());
      } else {
        put_slot(pte.swap_slot());
      }
    });
    ended_table_pages_ += table.table_pages();
    table.release();
    mms_[asid].reset();
    tlb_.flush_asid(asid);
    if (last_page_ != kNoPage && key_asid(last_page_) == asid) last_page_ = kNoPage;
    entry_page_ = kNoPage;  // its entry may have been in the freed table
    fault_page_ = kNoPage;
    last_pid_ = -1;
  }
  // Fork's copy_page_range: the child's table maps the pages of the parent's that share(page,
  // frame) accepts, to the same frame, and holds every swap entry of the parent's too
  // (dup_slot(slot) is told of each). Both sides' entries of a shared page become write-protected,
  // so the first write by either copies it (mm/fault.hpp: do_wp_page), and the parent's cached
  // translations, writable until now, are flushed.
  template <class Share, class DupSlot>
  void copy_space(Asid parent, Asid child, Share&& share, DupSlot&& dup_slot) {
    PageTable& from = mms_[parent]->page_table;
    PageTable& to = mms_[child]->page_table;
    from.for_each_entry([&](std::uint64_t vpn, Pte& pte) {
      if (pte.present()) {
        if (!share(make_page_key(child, vpn), pte.frame())) return;
        pte.write_protect();
        to.populate(vpn).set_present(pte.frame(), true);
      } else {
        to.populate(vpn).set_swap(pte.swap_slot());
        dup_slot(pte.swap_slot());
      }
    });
    tlb_.flush_asid(parent);
    if (last_page_ != kNoPage && key_asid(last_page_) == parent) last_page_ = kNoPage;
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

  // A disabled TLB caches nothing, the register included.
  void remember(PageKey page, std::uint32_t entry) {
    if (tlb_.enabled()) {
      last_page_ = page;
      last_entry_ = entry;
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
  TableFrames table_frames_;  // numbered just above the data frames
  AddressSpaceIds spaces_;
  std::vector<std::optional<MmStruct>> mms_;  // indexed by Asid; empty once ended
  Tlb tlb_;
  PageKey last_page_ = kNoPage;  // the last-translation register
  std::uint32_t last_entry_ = 0;
  PageKey entry_page_ = kNoPage;  // the page-table entry found last (see fault_slot)
  Pte* entry_ = nullptr;
  PageKey fault_page_ = kNoPage;  // the faulting page's entry, found by fault_slot
  Pte* fault_entry_ = nullptr;
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
