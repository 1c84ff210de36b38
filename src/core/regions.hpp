// The regions of every address space, as a trace's events declare them, and what each access may
// do. Like the address spaces themselves (core/address_space_ids.hpp), regions follow from the
// trace alone, never from the memory size, so every model keeps them through this one class: the
// full model's MMU checks an access against them when the TLB cannot answer (mmu/mmu.hpp), and
// reference-string decoding checks each access as it numbers pages (trace/dense_trace.cpp).
//
// A process that never declares a region keeps the behaviour of traces without events: it may
// touch any page, which it gets on first touch. Its first region event ends that: from then on
// only its regions are accessible, and the pages it touched before are unmapped (the event ends
// the implicit mapping of everything). A fork's child starts with a copy of its parent's regions
// (or with none, if the parent declared none); an exit (or exec) drops them.
//
// The heap is a region too, which `@brk` grows and shrinks as Linux's brk does: the first `@brk`
// of an address space gives its initial break (what brk(0) returns), each later one moves the
// break, mapping the pages between the old and the new break read-write or unmapping them. A break
// below the initial one, or growth into pages already mapped, is refused (nothing changes), as
// Linux refuses it.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "core/page_key.hpp"
#include "core/vma.hpp"
#include "vmsim/access.hpp"
#include "vmsim/results.hpp"

namespace vmsim {

// Every page a process can name: what the first region event unmaps.
inline constexpr std::uint64_t kAllPages = std::numeric_limits<std::uint64_t>::max();

// The listing of a protection fault: reference `ref_index` of access `a` to the page starting at
// byte `page_start`, which fell in `region` (or outside every region).
inline ProtectionFault describe_protection_fault(std::uint64_t ref_index, const Access& a,
                                                 std::uint64_t page_start,
                                                 const std::optional<Vma>& region,
                                                 unsigned page_shift) {
  ProtectionFault f;
  f.ref_index = ref_index;
  f.pid = a.pid;
  f.addr = a.addr > page_start ? a.addr : page_start;
  f.op = a.op;
  if (region) {
    f.in_region = true;
    f.region_start = region->start << page_shift;
    f.region_end = region->end << page_shift;
    f.region_prot = region->prot;
  }
  return f;
}

// A region of an address space that is alive: what a per-region report lists.
struct LiveRegion {
  Asid asid = 0;
  std::uint16_t pid = 0;  // the process whose address space it is
  Vma vma;
};

class Regions {
 public:
  explicit Regions(unsigned page_shift) : page_shift_(page_shift) {}

  // Whether `asid`'s process has declared regions (only then are its accesses checked).
  bool declared(Asid asid) const { return asid < sets_.size() && sets_[asid].has_value(); }
  const VmaSet& of(Asid asid) const { return *sets_[asid]; }

  // Whether an access of kind `op` to page `vpn` of `asid` is allowed. When it is not, `region`
  // is the region it fell in, or nothing when it fell outside every region.
  bool allows(Asid asid, std::uint64_t vpn, Op op, std::optional<Vma>& region) const {
    if (!declared(asid)) return true;
    const Vma* vma = sets_[asid]->find(vpn);
    if (vma != nullptr && vmsim::allows(vma->prot, required_prot(op))) return true;
    region = vma != nullptr ? std::optional<Vma>(*vma) : std::nullopt;
    return false;
  }

  // A region event (`@mmap`, `@munmap`, `@mprotect`, `@brk`) of `asid`'s process. Calls
  // unmapped(first, end) for page ranges whose pages leave the address space (munmap, a mapping
  // over mapped pages, and at the first event every page: [0, kAllPages)), and
  // reprotected(first, end) for a range whose protection changed (cached translations of it are
  // stale).
  template <class Unmapped, class Reprotected>
  void apply(Asid asid, const Access& event, Unmapped&& unmapped, Reprotected&& reprotected) {
    reach(asid);
    if (!sets_[asid]) {
      sets_[asid].emplace();
      unmapped(std::uint64_t{0}, kAllPages);
    }
    VmaSet& set = *sets_[asid];
    if (event.op == Op::Brk) {
      move_break(set, heaps_[asid], event.addr, unmapped);
      return;
    }
    if (event.size == 0) return;  // an empty range (Linux refuses it: EINVAL)
    const std::uint64_t first = event.addr >> page_shift_;
    const std::uint64_t end = ((event.addr + (event.size - 1)) >> page_shift_) + 1;
    switch (event.op) {
      case Op::Mmap:
        if (set.overlaps(first, end)) unmapped(first, end);
        set.map(first, end, event.prot);
        break;
      case Op::Munmap:
        if (set.overlaps(first, end)) unmapped(first, end);
        set.unmap(first, end);
        break;
      case Op::Mprotect:
        if (set.overlaps(first, end)) reprotected(first, end);
        set.protect(first, end, event.prot);
        break;
      default:
        break;
    }
  }

  // A fork's child begins with a copy of its parent's regions.
  void fork(Asid parent, Asid child) {
    reach(child);
    sets_[child] = declared(parent) ? sets_[parent] : std::nullopt;
    heaps_[child] = declared(parent) ? heaps_[parent] : Heap{};
  }
  // The address space ends (or is reused from now on by another process).
  void end(Asid asid) {
    if (asid >= sets_.size()) return;
    sets_[asid].reset();
    heaps_[asid] = Heap{};
  }

  unsigned page_shift() const { return page_shift_; }

  // Every region of every address space that declared regions, by ASID, then by address (the
  // pid left 0: AddressSpaces::live_regions fills it in).
  std::vector<LiveRegion> live() const {
    std::vector<LiveRegion> out;
    for (std::size_t asid = 0; asid < sets_.size(); ++asid) {
      if (!sets_[asid]) continue;
      sets_[asid]->for_each([&](const Vma& vma) {
        out.push_back({static_cast<Asid>(asid), 0, vma});
      });
    }
    return out;
  }

 private:
  // The per-ASID tables hold `asid`.
  void reach(Asid asid) {
    if (asid < sets_.size()) return;
    sets_.resize(std::size_t{asid} + 1);
    heaps_.resize(sets_.size());
  }

  // The heap of an address space: from the initial break `start` to the break `brk` (bytes). Its
  // pages are those from the page after the one holding start - 1 (which belongs to the data
  // before it) to the page holding brk - 1.
  struct Heap {
    bool known = false;  // a @brk gave the initial break
    std::uint64_t start = 0;
    std::uint64_t brk = 0;
  };

  // The page after the last one that bytes below `addr` touch.
  std::uint64_t page_up(std::uint64_t addr) const {
    return (addr >> page_shift_) + ((addr & ((std::uint64_t{1} << page_shift_) - 1)) != 0);
  }

  template <class Unmapped>
  void move_break(VmaSet& set, Heap& heap, std::uint64_t brk, Unmapped& unmapped) {
    if (!heap.known) {
      heap = {true, brk, brk};
      return;
    }
    if (brk < heap.start) return;  // below the heap's start: refused
    const std::uint64_t old_end = page_up(heap.brk);
    const std::uint64_t new_end = page_up(brk);
    if (new_end > old_end) {
      // Growth into mapped pages is refused, so growing never unmaps anything.
      if (set.overlaps(old_end, new_end)) return;
      // The heap's last region grows (Linux's do_brk_flags extends the brk VMA), unless the heap
      // is empty or its end was made something other than read-write.
      const bool grown = old_end > page_up(heap.start) && set.extend(old_end, new_end, kHeapProt);
      if (!grown) set.map(old_end, new_end, kHeapProt);
    } else if (new_end < old_end) {
      if (set.overlaps(new_end, old_end)) unmapped(new_end, old_end);
      set.unmap(new_end, old_end);
    }
    heap.brk = brk;
  }

  static constexpr Prot kHeapProt = kProtRead | kProtWrite;

  unsigned page_shift_;
  std::vector<std::optional<VmaSet>> sets_;  // per ASID: its regions, once declared
  std::vector<Heap> heaps_;                  // per ASID, as many as sets_
};

}  // namespace vmsim
