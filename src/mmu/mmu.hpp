// The full model's translation: every process's page table (mm/mm_struct.hpp) and the hardware in
// front of it. A page reference goes to the last-translation register, then the TLB, then a walk of
// the page table; a page that is not present raises a fault, and the restarted access walks again
// and fills the TLB. The fault path (mm/fault.hpp) reaches pages through the PageMap interface this
// class meets, and shoots down the TLB entry of each page it evicts.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/address_spaces.hpp"
#include "core/frame_id.hpp"
#include "core/page_key.hpp"
#include "core/vma.hpp"
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
        spaces_(config.page_shift()),
        tlb_(config.tlb_entries, config.tlb_ways) {}

  // Policies key pages sparsely, by page key.
  static constexpr std::uint32_t dense_pages() { return 0; }

  // The address space of `pid` for an access, created if it has none (core/address_space_ids.hpp).
  Asid asid_of(std::uint16_t pid) {
    if (pid == last_pid_) return last_asid_;
    return switch_to(pid);
  }

  // What the TLB and the register cache for a page (mmu/tlb.hpp): its frame, and kTlbNoWrite when
  // the entry is write-protected (a write must fault, copy-on-write). The region's protection is
  // added at fill (region_denies).
  static TlbEntry cached(const Pte& pte) {
    return pte.frame() | (pte.writable() ? 0 : kTlbNoWrite);
  }
  // What a TLB entry must not allow for an access of kind op (Read, Write, Fetch).
  static TlbEntry denied_to(Op op) { return TlbEntry{1} << (32 + static_cast<unsigned>(op)); }

  // The hit path: the last-translation register, then the TLB. On a hit, `entry` is the page's
  // cached translation.
  bool lookup(PageKey page, TlbEntry& entry) {
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
  static constexpr TlbEntry kNotPresent = TlbEntry{1} << 63;
  TlbEntry walk(PageKey page) {
    ++tlb_misses_;
    return rewalk(page);
  }
  // After a fault the access restarts and walks again, as on x86; both walks count.
  TlbEntry rewalk(PageKey page) {
    const PageTable::Walk walk = mms_[key_asid(page)]->page_table.walk(key_vpn(page));
    ++walks_;
    walk_memory_refs_ += walk.memory_refs;
    return walk.pte != nullptr && walk.pte->present() ? cached(*walk.pte) : kNotPresent;
  }
  // The translation goes into the TLB and the register.
  void fill(PageKey page, TlbEntry entry) {
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
  template <bool Shared = true>
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
  PageName name(PageKey page) const {
    return {spaces_.ids().pid_of(key_asid(page)), key_vpn(page)};
  }
  // The page as its address space numbers it: ASID and page number (core/page_key.hpp).
  static PageKey space_key(PageKey page) { return page; }
  // For copy-on-write (do_wp_page): a page with an entry, present or not, and its frame.
  bool present(PageKey page) { return entry(page).present(); }
  FrameId frame_of(PageKey page) { return entry(page).frame(); }

  // Regions (core/regions.hpp), checked when the TLB cannot answer: whether `asid`'s process
  // declared any (only then are its accesses checked).
  bool checks_regions(Asid asid) const { return spaces_.regions().declared(asid); }
  // For a process that declared regions: kDenied when an access of kind op to `page` is not
  // allowed (`region` is then the region it fell in, if any), else what the TLB entry must deny
  // because of the region's protection (or-ed into the entry at fill).
  static constexpr TlbEntry kDenied = ~TlbEntry{0};
  TlbEntry region_denies(PageKey page, Op op, std::optional<Vma>& region) {
    const std::uint64_t vpn = key_vpn(page);
    if (key_asid(page) != vma_asid_ || vpn < vma_.start || vpn >= vma_.end) {
      const Vma* vma = spaces_.regions().of(key_asid(page)).find(vpn);
      if (vma == nullptr) {
        region.reset();
        return kDenied;
      }
      vma_ = *vma;  // the region found last: accesses come in runs within one region
      vma_asid_ = key_asid(page);
    }
    if (!allows(vma_.prot, required_prot(op))) {
      region = vma_;
      return kDenied;
    }
    return (allows(vma_.prot, kProtWrite) ? 0 : kTlbNoWrite) |
           (allows(vma_.prot, kProtExec) ? 0 : kTlbNoExec) |
           (allows(vma_.prot, kProtRead) ? 0 : kTlbNoRead);
  }

  // The walk of a page step by step, each entry with its physical address (mm/page_table.hpp).
  template <class Visit>
  std::uint32_t walk_steps(PageKey page, Visit&& visit) const {
    return mms_[key_asid(page)]->page_table.walk_steps(key_vpn(page), visit);
  }
  // Table pages in use over every live page table.
  std::uint64_t table_pages_in_use() const { return table_frames_.in_use(); }

  // AddressSpaceMap (mm/process.hpp).
  AddressSpaces& address_spaces() { return spaces_; }
  void begin_space(Asid asid, std::uint16_t pid) {
    if (asid >= mms_.size()) mms_.resize(std::size_t{asid} + 1);
    mms_[asid].emplace(pid, shape_, table_frames_);
    last_pid_ = -1;  // the pid's address space may be another now
    forget_region(asid);
  }
  // munmap: every entry of pages [first, end) is cleared, resident ones told to unmapped(page,
  // frame) and swap entries to put_slot(slot), and their translations are shot down.
  template <class Unmapped, class PutSlot>
  void zap_range(Asid asid, std::uint64_t first, std::uint64_t end, Unmapped&& unmapped,
                 PutSlot&& put_slot) {
    mms_[asid]->page_table.for_each_entry_in(first, end, [&](std::uint64_t vpn, Pte& pte) {
      const PageKey page = make_page_key(asid, vpn);
      if (pte.present()) {
        unmapped(page, pte.frame());
        range_invalidations_ += shootdown(page);
      } else {
        put_slot(pte.swap_slot());
      }
      pte.set_swap(0);
    });
    forget_region(asid);
  }
  // mprotect: the cached translations of pages [first, end) carry the old protection, so they
  // are shot down (the page-table entries hold no region protection: it is added at fill).
  void reprotect(Asid asid, std::uint64_t first, std::uint64_t end) {
    mms_[asid]->page_table.for_each_entry_in(first, end, [&](std::uint64_t vpn, Pte& pte) {
      if (pte.present()) range_invalidations_ += shootdown(make_page_key(asid, vpn));
    });
    forget_region(asid);
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
    forget_region(asid);
  }
  // Sharing begins: each swap entry, by ASID then page, takes the slot next_slot() returns.
  template <class NextSlot>
  void number_swap_entries(NextSlot&& next_slot) {
    for (std::optional<MmStruct>& mm : mms_) {
      if (!mm) continue;
      mm->page_table.for_each_entry([&](std::uint64_t /*vpn*/, Pte& pte) {
        if (!pte.present() && pte.swap_slot() != 0) pte.set_swap(next_slot());
      });
    }
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
    c.tlb_invalidations += range_invalidations_;
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
    const Asid asid = spaces_.ids().for_access(pid, created);
    if (created) begin_space(asid, pid);
    if (!pid_seen_[pid]) {
      pid_seen_[pid] = true;
      ++processes_;
    }
    last_pid_ = pid;
    last_asid_ = asid;
    return asid;
  }

  // The region found last may have changed.
  void forget_region(Asid asid) {
    if (asid == vma_asid_) vma_asid_ = kNoAsid;
  }

  // A disabled TLB caches nothing, the register included.
  void remember(PageKey page, TlbEntry entry) {
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

  static constexpr std::uint32_t kNoAsid = kAsidCount;  // no ASID is this

  PageTableShape shape_;
  TableFrames table_frames_;  // numbered just above the data frames
  AddressSpaces spaces_;
  std::vector<std::optional<MmStruct>> mms_;  // indexed by Asid; empty once ended
  Tlb tlb_;
  PageKey last_page_ = kNoPage;  // the last-translation register
  TlbEntry last_entry_ = 0;
  PageKey entry_page_ = kNoPage;  // the page-table entry found last (see fault_slot)
  Pte* entry_ = nullptr;
  PageKey fault_page_ = kNoPage;  // the faulting page's entry, found by fault_slot
  Pte* fault_entry_ = nullptr;
  std::int32_t last_pid_ = -1;  // the pid of the previous access, and its address space
  Asid last_asid_ = 0;
  std::vector<bool> pid_seen_ = std::vector<bool>(kAsidCount);
  std::uint32_t vma_asid_ = kNoAsid;  // the region found last (region_denies), and its ASID
  Vma vma_;
  std::uint64_t range_invalidations_ = 0;  // TLB entries shot down by munmap and mprotect
  std::uint64_t processes_ = 0;            // distinct pids among the accesses
  std::uint64_t ended_table_pages_ = 0;    // page-table pages of ended address spaces
  std::uint64_t tlb_misses_ = 0;
  std::uint64_t walks_ = 0;
  std::uint64_t walk_memory_refs_ = 0;
};

}  // namespace vmsim
