// Every process's address space and its regions, as a trace's events make them: which ASID each
// process has (core/address_space_ids.hpp) and the regions it declared (core/regions.hpp). Both
// follow from the trace alone, so the full model's MMU, reference-string decoding and OPT's
// next-use pass all replay events through this one class and agree on every page and every
// protection fault.
#pragma once

#include <cstdint>
#include <vector>

#include "core/address_space_ids.hpp"
#include "core/page_key.hpp"
#include "core/regions.hpp"
#include "vmsim/access.hpp"

namespace vmsim {

constexpr bool is_region_event(Op op) {
  return op == Op::Mmap || op == Op::Munmap || op == Op::Mprotect || op == Op::Brk;
}

// What an event asks of the one replaying it (each a no-op where a model has nothing to do):
//   end(asid)                         the address space ends (exit_mmap);
//   begin(asid, pid)                  a new, empty address space for pid;
//   fork(parent, child)               the child's new space is a copy of the parent's;
//   unmapped(asid, first, end)        pages [first, end) leave the address space (munmap);
//   reprotected(asid, first, end)     the protection of mapped pages [first, end) changed.
template <class H>
concept SpaceEventHandler = requires(H h, Asid asid, std::uint16_t pid, std::uint64_t page) {
  h.end(asid);
  h.begin(asid, pid);
  h.fork(asid, asid);
  h.unmapped(asid, page, page);
  h.reprotected(asid, page, page);
};

class AddressSpaces {
 public:
  explicit AddressSpaces(unsigned page_shift) : regions_(page_shift) {}

  AddressSpaceIds& ids() { return ids_; }
  const AddressSpaceIds& ids() const { return ids_; }
  const Regions& regions() const { return regions_; }
  // Every region alive now, with its process, by ASID then address.
  std::vector<LiveRegion> live_regions() const {
    std::vector<LiveRegion> out = regions_.live();
    for (LiveRegion& r : out) r.pid = ids_.pid_of(r.asid);
    return out;
  }

  // What `event` does (core/address_space_ids.hpp for fork and exit, core/regions.hpp for the
  // region events, which give a process without an address space one first).
  template <SpaceEventHandler H>
  void apply(const Access& event, H& handler) {
    if (is_region_event(event.op)) {
      bool created = false;
      const Asid asid = ids_.for_access(event.pid, created);
      if (created) handler.begin(asid, event.pid);
      regions_.apply(
          asid, event,
          [&](std::uint64_t first, std::uint64_t end) { handler.unmapped(asid, first, end); },
          [&](std::uint64_t first, std::uint64_t end) { handler.reprotected(asid, first, end); });
      return;
    }
    ids_.apply(
        event,
        [&](Asid asid) {
          regions_.end(asid);
          handler.end(asid);
        },
        [&](Asid asid, std::uint16_t pid) { handler.begin(asid, pid); },
        [&](Asid parent, Asid child) {
          regions_.fork(parent, child);
          handler.fork(parent, child);
        });
  }

 private:
  AddressSpaceIds ids_;
  Regions regions_;
};

}  // namespace vmsim
